/*
 * test.h - the Wine-style ok() idiom shared by every test program.
 *
 * A test program is a plain executable: main() calls its test functions and
 * returns test_finish(), which prints "N passed, N failed" and is non-zero when
 * anything failed.  The same sources build natively (gcc, sanitizers,
 * valgrind) and for i686/x86_64 Windows (run under Wine), so this header uses
 * nothing beyond stdio and the Win32 vocabulary of platform/win_types.h.
 *
 *   ok(cond, "got %lu\n", value)   one check; the message says what was seen
 *   expect_eq(a, b)                integer equality with both values printed
 *   test_trace("...")              diagnostic line, shown only on failure runs
 */
#ifndef RTM_TESTS_TEST_H
#define RTM_TESTS_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../src/platform/win_types.h"
#include <rtmv2.h>

static unsigned test_passes, test_failures;

static inline int test_ok(int cond, const char *file, int line, const char *fmt, ...)
{
	if (cond) {
		test_passes++;
		return 1;
	}
	test_failures++;
	fprintf(stderr, "%s:%d: Test failed: ", file, line);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	return 0;
}

#define ok(cond, ...) test_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

#define expect_eq(a, b)                                                                    \
	do {                                                                               \
		unsigned long long expect_a_ = (unsigned long long)(a);                    \
		unsigned long long expect_b_ = (unsigned long long)(b);                    \
		ok(expect_a_ == expect_b_, "%s == %s: got %llu, expected %llu\n", #a, #b, \
		   expect_a_, expect_b_);                                                  \
	} while (0)

static inline int test_finish(void)
{
	printf("%u passed, %u failed\n", test_passes, test_failures);
	fflush(stdout);
	return test_failures ? 1 : 0;
}

#endif

/*
 * test_thread.h - threads, a mutex, sleeping and a clock for the API tests.
 *
 * API tests link only what a client links (rtm.dll on Windows), so they
 * cannot use RTM's internal platform layer; this is the few lines of it the
 * tests of callbacks, timers and methods need, for Win32 and pthreads.
 * Timing in tests is for waiting, never for asserting tight bounds:
 * test_wait_for polls a condition with a generous deadline.
 */
#ifndef RTM_TESTS_TEST_THREAD_H
#define RTM_TESTS_TEST_THREAD_H

/*
 * test_util.h has test_thread, test_thread_join and test_sleep_ms, and
 * test_thread_start for pthread-style "void *fn(void *)" threads; this adds
 * test_thread_run for threads running "void fn(void *)".
 */
#include "test_util.h"
#include <stdint.h>

typedef struct test_run_ {
	void (*fn)(void *);
	void *arg;
} test_run_;

#ifdef _WIN32
typedef CRITICAL_SECTION test_mutex;
static inline void test_mutex_init(test_mutex *m) { InitializeCriticalSection(m); }
static inline void test_mutex_lock(test_mutex *m) { EnterCriticalSection(m); }
static inline void test_mutex_unlock(test_mutex *m) { LeaveCriticalSection(m); }
static inline uint64_t test_now_ms(void) { return GetTickCount64(); }
static inline uintptr_t test_thread_id(void) { return (uintptr_t)GetCurrentThreadId(); }

static DWORD WINAPI test_run_trampoline_(LPVOID p)
{
	test_run_ s = *(test_run_ *)p;
	free(p);
	s.fn(s.arg);
	return 0;
}

static inline test_thread test_thread_run(void (*fn)(void *), void *arg)
{
	test_run_ *s = malloc(sizeof(*s));
	s->fn = fn;
	s->arg = arg;
	return CreateThread(NULL, 0, test_run_trampoline_, s, 0, NULL);
}
#else
typedef pthread_mutex_t test_mutex;
static inline void test_mutex_init(test_mutex *m) { pthread_mutex_init(m, NULL); }
static inline void test_mutex_lock(test_mutex *m) { pthread_mutex_lock(m); }
static inline void test_mutex_unlock(test_mutex *m) { pthread_mutex_unlock(m); }
static inline uint64_t test_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}
static inline uintptr_t test_thread_id(void) { return (uintptr_t)pthread_self(); }

static void *test_run_trampoline_(void *p)
{
	test_run_ s = *(test_run_ *)p;
	free(p);
	s.fn(s.arg);
	return NULL;
}

static inline test_thread test_thread_run(void (*fn)(void *), void *arg)
{
	test_thread t;
	test_run_ *s = malloc(sizeof(*s));
	s->fn = fn;
	s->arg = arg;
	pthread_create(&t, NULL, test_run_trampoline_, s);
	return t;
}
#endif

/* atomics shared by callbacks and the test's main thread */
#define test_load(p) __atomic_load_n((p), __ATOMIC_SEQ_CST)
#define test_store(p, v) __atomic_store_n((p), (v), __ATOMIC_SEQ_CST)
#define test_inc(p) __atomic_add_fetch((p), 1, __ATOMIC_SEQ_CST)
#define test_dec(p) __atomic_sub_fetch((p), 1, __ATOMIC_SEQ_CST)

/* poll cond every ms until it holds or timeout_ms pass; evaluates to cond's final value */
#define test_wait_for(cond, timeout_ms)                                                     \
	({                                                                                  \
		uint64_t test_deadline_ = test_now_ms() + (timeout_ms);                      \
		int test_ok_;                                                               \
		while (!(test_ok_ = !!(cond)) && test_now_ms() < test_deadline_)            \
			test_sleep_ms(1);                                                   \
		test_ok_;                                                                   \
	})

#endif

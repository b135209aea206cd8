/*
 * wt.h - the whole-system test harness: real rtmhost processes, talked to
 * with the real rtmctl, under Wine (or Windows).
 *
 * A test writes a configuration, starts one rtmhost per router (its output
 * to wt-<name>.log in the working directory), waits for its control pipe,
 * and then asks questions with rtmctl -m, whose one-line-per-object output
 * it searches.  Checks use the ok() idiom of tests/test.h.  Nothing here
 * waits forever: every wait has a deadline, and every router gets a
 * lifetime so it stops by itself even if the test dies.
 *
 * UDP ports: each test passes its own base (wt_port), shifted on i686 so
 * that the x86_64 and i686 trees may run at the same time; router names
 * are per test, and each tree has its own Wine prefix, so pipe names never
 * meet.  Only loopback addresses appear in the configurations.
 */
#ifndef WINE_TESTS_WT_H
#define WINE_TESTS_WT_H

#include "../tests/test.h"

#include <string.h>

#define WT_OUT 65536

typedef struct wt_router {
	char name[32];
	HANDLE process;
} wt_router;

/* wt_port - base + an offset per architecture */
unsigned wt_port(unsigned base);

/*
 * wt_config - the configuration of test-bed router n: its link interfaces
 * (ifaces: whole "interface ..." lines), a LAN as interface 9
 * (127.n.1.1/24), static with the indented lines `statics`, dv with the
 * indented lines `dv` (a format, for the ports: printf arguments follow).
 */
void wt_config(char *buf, size_t size, unsigned n, const char *ifaces, const char *statics, const char *dv, ...);

/* wt_start - write the configuration and start rtmhost on it; waits for
 * its pipe (FALSE if it never answered ping) */
BOOL wt_start(wt_router *r, const char *name, const char *config);

/* wt_ctl - run "rtmctl -m -r NAME <command>"; its exit code, output in out */
int wt_ctl(const wt_router *r, const char *command, char *out, size_t size);

/* wt_wait - poll a command until its output contains every one of the
 * NULL-terminated needles (present) or none of them (!present) */
BOOL wt_wait(const wt_router *r, const char *command, BOOL present, DWORD timeout_ms, ...);

/* wt_line - the first line of text that contains every NULL-terminated
 * needle, copied to out; FALSE if none */
BOOL wt_line(const char *text, char *out, size_t size, ...);

/* wt_count - lines of text starting with prefix */
unsigned wt_count(const char *text, const char *prefix);

/* wt_stop - "rtmctl stop", wait for the process; its exit code (or -1) */
int wt_stop(wt_router *r);

/* wt_log_has - does the router's log contain text? */
BOOL wt_log_has(const wt_router *r, const char *text);

#endif

/*
 * sync.h - the few operating-system services the RTM core needs.
 *
 * The core is written once and builds two ways: into rtm.dll with Win32
 * primitives (sync_win32.c) and natively on Linux with pthreads
 * (sync_posix.c), so that sanitizers, fuzzers and valgrind can run the same
 * code.  Everything here is a thin wrapper; the types are defined in this
 * header so they can be embedded in RTM's own objects without allocation.
 *
 *   rtm_mutex   a plain lock (CRITICAL_SECTION / pthread_mutex_t)
 *   rtm_rwlock  reader/writer lock of a routing table (SRWLOCK / pthread_rwlock_t)
 *   rtm_cond    condition variable used with an rtm_mutex
 *   rtm_thread  a joinable thread
 *
 * Atomics are the compiler's __atomic builtins (gcc on both sides).
 */
#ifndef RTM_PLATFORM_SYNC_H
#define RTM_PLATFORM_SYNC_H

#include "win_types.h"
#include <stdint.h>

#ifdef _WIN32
typedef struct rtm_mutex { CRITICAL_SECTION cs; } rtm_mutex;
typedef struct rtm_rwlock { SRWLOCK srw; } rtm_rwlock;
typedef struct rtm_cond { CONDITION_VARIABLE cv; } rtm_cond;
typedef struct rtm_thread { HANDLE h; } rtm_thread;
#define RTM_RWLOCK_INIT { SRWLOCK_INIT }
#else
#include <pthread.h>
typedef struct rtm_mutex { pthread_mutex_t m; } rtm_mutex;
typedef struct rtm_rwlock { pthread_rwlock_t rw; } rtm_rwlock;
typedef struct rtm_cond { pthread_cond_t cv; } rtm_cond;
typedef struct rtm_thread { pthread_t t; } rtm_thread;
#define RTM_RWLOCK_INIT { PTHREAD_RWLOCK_INITIALIZER }
#endif
/* RTM_RWLOCK_INIT: static initializer, for process-wide locks that must work
 * before any code has run (no heavy DllMain) */

void rtm_mutex_init(rtm_mutex *m);
void rtm_mutex_destroy(rtm_mutex *m);
void rtm_mutex_lock(rtm_mutex *m);
void rtm_mutex_unlock(rtm_mutex *m);

void rtm_rwlock_init(rtm_rwlock *l);
void rtm_rwlock_destroy(rtm_rwlock *l);
void rtm_rwlock_rdlock(rtm_rwlock *l);
void rtm_rwlock_rdunlock(rtm_rwlock *l);
void rtm_rwlock_wrlock(rtm_rwlock *l);
void rtm_rwlock_wrunlock(rtm_rwlock *l);

void rtm_cond_init(rtm_cond *c);
void rtm_cond_destroy(rtm_cond *c);
void rtm_cond_wait(rtm_cond *c, rtm_mutex *m);
/* waits at most timeout_ms (INFINITE = no limit); spurious wake-ups allowed */
void rtm_cond_timedwait(rtm_cond *c, rtm_mutex *m, uint32_t timeout_ms);
void rtm_cond_signal(rtm_cond *c);
void rtm_cond_broadcast(rtm_cond *c);

typedef void (*rtm_thread_fn)(void *arg);
/* returns 0 on success */
int rtm_thread_start(rtm_thread *t, rtm_thread_fn fn, void *arg);
void rtm_thread_join(rtm_thread *t);

/* a non-zero identifier of the calling thread, unique among live threads */
uintptr_t rtm_thread_self(void);

/* monotonic milliseconds, for timers */
uint64_t rtm_now_ms(void);
/* wall-clock UTC time as a Windows FILETIME (100 ns since 1601) */
void rtm_system_time(FILETIME *ft);
void rtm_sleep_ms(uint32_t ms);

#endif

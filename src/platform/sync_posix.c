/*
 * sync_posix.c - platform/sync.h on the native Linux host build (pthreads).
 * Used only so that the core can run under sanitizers, fuzzers and valgrind.
 */
#define _GNU_SOURCE
#include "sync.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

void rtm_mutex_init(rtm_mutex *m)
{
	pthread_mutexattr_t a;
	pthread_mutexattr_init(&a);
	/* CRITICAL_SECTION is recursive; keep the host build identical */
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&m->m, &a);
	pthread_mutexattr_destroy(&a);
}
void rtm_mutex_destroy(rtm_mutex *m) { pthread_mutex_destroy(&m->m); }
void rtm_mutex_lock(rtm_mutex *m) { pthread_mutex_lock(&m->m); }
void rtm_mutex_unlock(rtm_mutex *m) { pthread_mutex_unlock(&m->m); }

void rtm_rwlock_init(rtm_rwlock *l) { pthread_rwlock_init(&l->rw, NULL); }
void rtm_rwlock_destroy(rtm_rwlock *l) { pthread_rwlock_destroy(&l->rw); }
void rtm_rwlock_rdlock(rtm_rwlock *l) { pthread_rwlock_rdlock(&l->rw); }
void rtm_rwlock_rdunlock(rtm_rwlock *l) { pthread_rwlock_unlock(&l->rw); }
void rtm_rwlock_wrlock(rtm_rwlock *l) { pthread_rwlock_wrlock(&l->rw); }
void rtm_rwlock_wrunlock(rtm_rwlock *l) { pthread_rwlock_unlock(&l->rw); }

void rtm_cond_init(rtm_cond *c)
{
	pthread_condattr_t a;
	pthread_condattr_init(&a);
	pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cv, &a);
	pthread_condattr_destroy(&a);
}
void rtm_cond_destroy(rtm_cond *c) { pthread_cond_destroy(&c->cv); }
void rtm_cond_wait(rtm_cond *c, rtm_mutex *m) { pthread_cond_wait(&c->cv, &m->m); }

void rtm_cond_timedwait(rtm_cond *c, rtm_mutex *m, uint32_t timeout_ms)
{
	if (timeout_ms == INFINITE) {
		pthread_cond_wait(&c->cv, &m->m);
		return;
	}
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&c->cv, &m->m, &ts);
}

void rtm_cond_signal(rtm_cond *c) { pthread_cond_signal(&c->cv); }
void rtm_cond_broadcast(rtm_cond *c) { pthread_cond_broadcast(&c->cv); }

struct thread_start {
	rtm_thread_fn fn;
	void *arg;
};

static void *thread_trampoline(void *p)
{
	struct thread_start s = *(struct thread_start *)p;
	free(p);
	s.fn(s.arg);
	return NULL;
}

int rtm_thread_start(rtm_thread *t, rtm_thread_fn fn, void *arg)
{
	struct thread_start *s = malloc(sizeof(*s));
	if (!s)
		return -1;
	s->fn = fn;
	s->arg = arg;
	if (pthread_create(&t->t, NULL, thread_trampoline, s) != 0) {
		free(s);
		return -1;
	}
	return 0;
}

void rtm_thread_join(rtm_thread *t) { pthread_join(t->t, NULL); }

uintptr_t rtm_thread_self(void)
{
	/* the address of a thread-local is unique among live threads */
	static __thread char marker;
	return (uintptr_t)&marker;
}

uint64_t rtm_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void rtm_system_time(FILETIME *ft)
{
	/* FILETIME counts 100 ns intervals since 1601-01-01 */
	static const uint64_t unix_epoch_in_filetime = 116444736000000000ull;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	uint64_t t = unix_epoch_in_filetime + (uint64_t)ts.tv_sec * 10000000u +
		     (uint64_t)ts.tv_nsec / 100u;
	ft->dwLowDateTime = (DWORD)t;
	ft->dwHighDateTime = (DWORD)(t >> 32);
}

void rtm_sleep_ms(uint32_t ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

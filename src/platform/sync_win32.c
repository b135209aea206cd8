/*
 * sync_win32.c - platform/sync.h on Win32: critical sections, slim
 * reader/writer locks and condition variables (all present since Vista and in
 * Wine), threads from CreateThread.
 */
#include "sync.h"

#include <stdlib.h>

void rtm_mutex_init(rtm_mutex *m) { InitializeCriticalSection(&m->cs); }
void rtm_mutex_destroy(rtm_mutex *m) { DeleteCriticalSection(&m->cs); }
void rtm_mutex_lock(rtm_mutex *m) { EnterCriticalSection(&m->cs); }
void rtm_mutex_unlock(rtm_mutex *m) { LeaveCriticalSection(&m->cs); }

void rtm_rwlock_init(rtm_rwlock *l) { InitializeSRWLock(&l->srw); }
void rtm_rwlock_destroy(rtm_rwlock *l) { (void)l; }
void rtm_rwlock_rdlock(rtm_rwlock *l) { AcquireSRWLockShared(&l->srw); }
void rtm_rwlock_rdunlock(rtm_rwlock *l) { ReleaseSRWLockShared(&l->srw); }
void rtm_rwlock_wrlock(rtm_rwlock *l) { AcquireSRWLockExclusive(&l->srw); }
void rtm_rwlock_wrunlock(rtm_rwlock *l) { ReleaseSRWLockExclusive(&l->srw); }

void rtm_cond_init(rtm_cond *c) { InitializeConditionVariable(&c->cv); }
void rtm_cond_destroy(rtm_cond *c) { (void)c; }
void rtm_cond_wait(rtm_cond *c, rtm_mutex *m) { SleepConditionVariableCS(&c->cv, &m->cs, INFINITE); }
void rtm_cond_timedwait(rtm_cond *c, rtm_mutex *m, uint32_t timeout_ms)
{
	SleepConditionVariableCS(&c->cv, &m->cs, timeout_ms);
}
void rtm_cond_signal(rtm_cond *c) { WakeConditionVariable(&c->cv); }
void rtm_cond_broadcast(rtm_cond *c) { WakeAllConditionVariable(&c->cv); }

struct thread_start {
	rtm_thread_fn fn;
	void *arg;
};

static DWORD WINAPI thread_trampoline(LPVOID p)
{
	struct thread_start s = *(struct thread_start *)p;
	free(p);
	s.fn(s.arg);
	return 0;
}

int rtm_thread_start(rtm_thread *t, rtm_thread_fn fn, void *arg)
{
	struct thread_start *s = malloc(sizeof(*s));
	if (!s)
		return -1;
	s->fn = fn;
	s->arg = arg;
	t->h = CreateThread(NULL, 0, thread_trampoline, s, 0, NULL);
	if (!t->h) {
		free(s);
		return -1;
	}
	return 0;
}

void rtm_thread_join(rtm_thread *t)
{
	WaitForSingleObject(t->h, INFINITE);
	CloseHandle(t->h);
	t->h = NULL;
}

uintptr_t rtm_thread_self(void) { return (uintptr_t)GetCurrentThreadId(); }

uint64_t rtm_now_ms(void) { return GetTickCount64(); }

void rtm_system_time(FILETIME *ft) { GetSystemTimeAsFileTime(ft); }

void rtm_sleep_ms(uint32_t ms) { Sleep(ms); }

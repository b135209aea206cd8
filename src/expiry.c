/*
 * expiry.c - route time-to-live and hold-down timers.
 *
 * Design.  Every timer of every table lives in one binary min-heap ordered
 * by due time (monotonic ms), served by one timer thread started at the
 * first timer: arming, re-arming and cancelling cost O(log n), and 100,000
 * routes with a lifetime cost 100,000 small records, not threads.
 *
 *   route timers  one record per route, hung off route_ext.timer and freed
 *                 when the route is deleted (expiry_route_cancel, called by
 *                 route_delete).  Each (re)arm bumps the record's generation.
 *   hold timers   one record per started hold, owned by the heap; the
 *                 destination's hold_until[view] says which hold is current.
 *
 * The heap lock (T.mutex) is a leaf: arming happens under a table's write
 * lock, and the timer thread never holds T.mutex while it takes a table
 * lock.  So a record popped by the timer thread may be freed or re-armed
 * before the thread gets the table lock; the thread therefore copies what
 * it needs (table, handle, generation or due time) and re-validates under
 * the write lock, through the handle table: a deleted route's or freed
 * destination's handle no longer resolves, a refreshed route has a new
 * generation, a replaced hold a new due time.  No timer record keeps an
 * object alive, and none is read after its object is gone.
 *
 * Expiry.  When a route's timer fires and the route is still live with the
 * same generation, its owner (if it has a callback) is sent
 * RTM_ROUTE_EXPIRED through the dispatcher with Context1 = the route handle
 * carrying one reference for the owner and Context2 = RTM's own
 * RTM_ROUTE_INFO (made full-size so the owner may edit it in place).  The
 * event's check hook re-validates just before delivery; its done hook
 * deletes the route and takes the reference back when the callback answered
 * ERROR_NOT_SUPPORTED (or the event was dropped).  An owner without a
 * callback has the route deleted at once.
 *
 * Client locks.  A deletion or hold end that meets another thread's client
 * lock on the destination is not waited for on the timer thread (that would
 * stall every timer): the timer is re-armed RETRY_MS later.  The dispatcher's
 * deletion after ERROR_NOT_SUPPORTED waits for the lock like an API call.
 */
#include "expiry.h"
#include "events.h"
#include "lock.h"

#include <stdlib.h>

#define RETRY_MS 10
#define FIRE_BATCH 256
#define MAX_WAIT_MS 60000u

enum { T_ROUTE, T_HOLD };

typedef struct trec {
	uint64_t due;
	int32_t index;       /* in the heap; -1 when not armed */
	uint8_t kind;
	uint8_t view;        /* T_HOLD */
	uint16_t table_index;
	HANDLE h;            /* the route or destination */
	uint64_t key;        /* T_ROUTE: generation; T_HOLD: the hold's hold_until */
} trec;

typedef struct fired {
	trec *hold;          /* T_HOLD: the record, now the timer thread's */
	uint8_t kind, view;
	uint16_t table_index;
	HANDLE h;
	uint64_t key;
} fired;

static struct {
	rtm_mutex mutex;
	rtm_cond wake;
	trec **heap;
	uint32_t n, cap;
	int started;
	int stopping; /* native process exit (expiry_shutdown) */
	int busy;     /* the thread is firing timers */
	rtm_thread thread;
	int inited;
} T;

static rtm_rwlock init_lock = RTM_RWLOCK_INIT;

static void ensure_init(void)
{
	if (__atomic_load_n(&T.inited, __ATOMIC_ACQUIRE))
		return;
	rtm_rwlock_wrlock(&init_lock);
	if (!T.inited) {
		rtm_mutex_init(&T.mutex);
		rtm_cond_init(&T.wake);
		__atomic_store_n(&T.inited, 1, __ATOMIC_RELEASE);
	}
	rtm_rwlock_wrunlock(&init_lock);
}

/* ---- the heap (T.mutex held) ------------------------------------------------ */

static void heap_set(uint32_t i, trec *r)
{
	T.heap[i] = r;
	r->index = (int32_t)i;
}

static void sift_up(uint32_t i)
{
	trec *r = T.heap[i];
	while (i > 0) {
		uint32_t p = (i - 1) / 2;
		if (T.heap[p]->due <= r->due)
			break;
		heap_set(i, T.heap[p]);
		i = p;
	}
	heap_set(i, r);
}

static void sift_down(uint32_t i)
{
	trec *r = T.heap[i];
	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= T.n)
			break;
		if (c + 1 < T.n && T.heap[c + 1]->due < T.heap[c]->due)
			c++;
		if (r->due <= T.heap[c]->due)
			break;
		heap_set(i, T.heap[c]);
		i = c;
	}
	heap_set(i, r);
}

static int heap_insert(trec *r)
{
	if (T.n == T.cap) {
		uint32_t cap = T.cap ? T.cap * 2 : 256;
		trec **h = realloc(T.heap, cap * sizeof(*h));
		if (!h)
			return -1;
		T.heap = h;
		T.cap = cap;
	}
	heap_set(T.n++, r);
	sift_up(T.n - 1);
	return 0;
}

static void heap_remove(trec *r)
{
	uint32_t i = (uint32_t)r->index;
	r->index = -1;
	trec *last = T.heap[--T.n];
	if (i == T.n)
		return;
	heap_set(i, last);
	sift_down(i);
	sift_up((uint32_t)last->index);
}

static trec *heap_pop(void)
{
	trec *top = T.heap[0];
	heap_remove(top);
	return top;
}

/* ---- the timer thread ------------------------------------------------------- */

static void timer_main(void *arg);

/* arm r at due (T.mutex held); wakes the thread if r is the new first timer */
static int arm_locked(trec *r, uint64_t due)
{
	r->due = due;
	if (r->index >= 0) {
		sift_down((uint32_t)r->index);
		sift_up((uint32_t)r->index);
	} else if (heap_insert(r) < 0) {
		return -1;
	}
	if (!T.started && !T.stopping) {
		events_pin_module();
		if (rtm_thread_start(&T.thread, timer_main, NULL) == 0)
			T.started = 1; /* on failure the next arm tries again */
	}
	if (T.heap[0] == r)
		rtm_cond_signal(&T.wake);
	return 0;
}

static int arm(trec *r, uint64_t due)
{
	rtm_mutex_lock(&T.mutex);
	int err = arm_locked(r, due);
	rtm_mutex_unlock(&T.mutex);
	return err;
}

/*
 * The clock's step: rtm_now_ms may lag real time by up to one step
 * (GetTickCount64 advances by the system tick, ~15.6 ms, on Windows; the
 * POSIX clock truncates to 1 ms), so a timer is due one step late to never
 * fire early (spec concepts §19: late, never early).
 */
#ifdef _WIN32
#define CLOCK_STEP_MS 16
#else
#define CLOCK_STEP_MS 1
#endif

/* due time of a timer of ms milliseconds from now, never early */
static uint64_t due_in(ULONG ms)
{
	return rtm_now_ms() + ms + (ms ? CLOCK_STEP_MS : 0);
}

static int expired_check_gen(rtm_table *t, route *r, uint64_t gen)
{
	(void)t;
	const trec *rec = r && route_live(r) && r->ext ? r->ext->timer : NULL;
	return rec && rec->key == gen;
}

static int expired_check(const events_msg *m);
static void expired_done(const events_msg *m, int delivered, DWORD result);
static const events_hooks expired_hooks = { expired_check, expired_done };

/* a route timer fired (write lock held) */
static void fire_route(rtm_table *t, const fired *f)
{
	route *r = route_lookup(f->h, t);
	if (!expired_check_gen(t, r, f->key))
		return; /* deleted or refreshed since */
	entity *owner = r->owner;
	if (owner->callback && owner->registered) {
		(void)route_make_full(r); /* if this fails the inline structure serves */
		obj_ref(&r->hdr);         /* the owner's reference */
		if (events_post(owner, RTM_ROUTE_EXPIRED, r->hdr.handle, r->info, &expired_hooks,
				(void *)(uintptr_t)f->key) == 0)
			return;
		obj_unref_internal(&r->hdr); /* out of memory: delete it instead */
	}
	if (lock_blocks(t, DEST_LOCK_SLOT(r->d), 1)) {
		arm(r->ext->timer, rtm_now_ms() + RETRY_MS);
		return;
	}
	route_delete(t, r, NULL);
}

/* a hold timer fired (write lock held); returns 1 if f->hold was re-armed */
static int fire_hold(rtm_table *t, const fired *f)
{
	dest *d = (dest *)handle_lookup_any(f->h, OBJ_DEST, t);
	if (!d || !d->ext || !d->ext->held[f->view] || d->ext->hold_until[f->view] != f->key)
		return 0; /* ended or replaced by a newer hold */
	if (lock_blocks(t, DEST_LOCK_SLOT(d), 1))
		return arm(f->hold, rtm_now_ms() + RETRY_MS) == 0;
	d->ext->hold_until[f->view] = 0;
	route_hold_end(t, d, f->view);
	return 0;
}

static void fire_batch(fired *batch, uint32_t n)
{
	for (uint32_t i = 0; i < n;) {
		rtm_table *t = table_from_index(batch[i].table_index);
		uint32_t j = i;
		table_wrlock(t);
		for (; j < n && batch[j].table_index == batch[i].table_index; j++) {
			if (batch[j].kind == T_ROUTE)
				fire_route(t, &batch[j]);
			else if (!fire_hold(t, &batch[j]))
				free(batch[j].hold);
		}
		table_reap(t);
		table_wrunlock(t);
		i = j;
	}
}

static void timer_main(void *arg)
{
	(void)arg;
	static fired batch[FIRE_BATCH]; /* one timer thread */
	rtm_mutex_lock(&T.mutex);
	while (!T.stopping) {
		if (!T.n) {
			rtm_cond_wait(&T.wake, &T.mutex);
			continue;
		}
		uint64_t now = rtm_now_ms();
		if (T.heap[0]->due > now) {
			uint64_t wait = T.heap[0]->due - now;
			rtm_cond_timedwait(&T.wake, &T.mutex, wait > MAX_WAIT_MS ? MAX_WAIT_MS : (uint32_t)wait);
			continue;
		}
		uint32_t n = 0;
		while (T.n && T.heap[0]->due <= now && n < FIRE_BATCH) {
			trec *r = heap_pop();
			fired *f = &batch[n++];
			f->kind = r->kind;
			f->view = r->view;
			f->table_index = r->table_index;
			f->h = r->h;
			f->key = r->key;
			f->hold = r->kind == T_HOLD ? r : NULL;
		}
		T.busy = 1;
		rtm_mutex_unlock(&T.mutex);
		fire_batch(batch, n);
		rtm_mutex_lock(&T.mutex);
		T.busy = 0;
	}
	rtm_mutex_unlock(&T.mutex);
}

#ifndef _WIN32
void expiry_shutdown(void)
{
	if (!__atomic_load_n(&T.inited, __ATOMIC_ACQUIRE))
		return;
	rtm_mutex_lock(&T.mutex);
	/* firing takes table locks; a thread stuck there is not waited for */
	int join = T.started && !T.busy;
	if (join) {
		T.stopping = 1;
		rtm_cond_signal(&T.wake);
	}
	rtm_mutex_unlock(&T.mutex);
	if (join)
		rtm_thread_join(&T.thread);
}
#endif

/* ---- the expiry event's hooks (dispatcher thread, no lock held) ------------- */

static int expired_check(const events_msg *m)
{
	rtm_table *t = m->t;
	table_rdlock(t);
	int live = expired_check_gen(t, route_lookup(m->ctx1, t), (uint64_t)(uintptr_t)m->arg);
	table_rdunlock(t);
	return live;
}

static void expired_done(const events_msg *m, int delivered, DWORD result)
{
	if (delivered && result != ERROR_NOT_SUPPORTED)
		return; /* the owner handled it; the reference is the owner's */
	rtm_table *t = m->t;
	for (;;) {
		table_wrlock(t);
		route *r = (route *)handle_lookup_any(m->ctx1, OBJ_ROUTE, t); /* our reference keeps it */
		if (r && delivered && route_live(r)) {
			api_ctx c = { NULL, t, 1 };
			if (api_wait_if_locked(&c, &r->hdr, 1))
				continue;
			route_delete(t, r, NULL);
		}
		if (r) {
			obj_unref_internal(&r->hdr);
			if (obj_dead(&r->hdr))
				table_queue_reap(t, &r->hdr);
		}
		table_reap(t);
		table_wrunlock(t);
		return;
	}
}

/* ---- arming (write lock held) ----------------------------------------------- */

void expiry_route_set(rtm_table *t, route *r, ULONG ttl_ms)
{
	if (ttl_ms == INFINITE) {
		expiry_route_cancel(t, r);
		return;
	}
	ensure_init();
	route_ext *x = route_ext_get(r);
	if (!x)
		return; /* out of memory: the route lives on without a lifetime */
	trec *rec = x->timer;
	if (!rec) {
		if (!(rec = calloc(1, sizeof(*rec))))
			return;
		rec->index = -1;
		rec->kind = T_ROUTE;
		rec->table_index = t->index;
		rec->h = r->hdr.handle;
		x->timer = rec;
	}
	rtm_mutex_lock(&T.mutex);
	rec->key++; /* a timer that fired before this no longer matches */
	if (arm_locked(rec, due_in(ttl_ms)) < 0 && rec->index < 0) {
		/* no memory for the heap: forget the lifetime rather than keep a dangling record */
		rtm_mutex_unlock(&T.mutex);
		free(rec);
		x->timer = NULL;
		return;
	}
	rtm_mutex_unlock(&T.mutex);
}

void expiry_route_cancel(rtm_table *t, route *r)
{
	(void)t;
	trec *rec = r->ext ? r->ext->timer : NULL;
	if (!rec)
		return;
	rtm_mutex_lock(&T.mutex);
	if (rec->index >= 0)
		heap_remove(rec);
	rtm_mutex_unlock(&T.mutex);
	free(rec);
	r->ext->timer = NULL;
}

void expiry_hold_started(rtm_table *t, dest *d, unsigned view)
{
	dest_ext *x = d->ext;
	if (x->hold_time == INFINITE) {
		/*
		 * Never ends, and no timer.  Past every finite due time, and rising
		 * with each hold started, so that route enumerations still list a
		 * destination's holds oldest first (spec functions-2 0.12); with one
		 * value for all, two views' holds came out in view order.
		 */
		static uint64_t infinite_holds;
		x->hold_until[view] = (UINT64_C(1) << 63) + __atomic_add_fetch(&infinite_holds, 1, __ATOMIC_RELAXED);
		return;
	}
	ensure_init();
	uint64_t due = due_in(x->hold_time);
	x->hold_until[view] = due;
	trec *rec = calloc(1, sizeof(*rec));
	if (!rec)
		return; /* out of memory: this hold lasts until replaced */
	rec->index = -1;
	rec->kind = T_HOLD;
	rec->view = (uint8_t)view;
	rec->table_index = t->index;
	rec->h = d->hdr.handle;
	rec->key = due;
	if (arm(rec, due) < 0)
		free(rec);
}

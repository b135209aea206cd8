/*
 * events.c - the dispatcher: queued, ordered delivery of event callbacks.
 *
 * Design.  Every entity has a FIFO of events waiting for it (struct
 * entity_ev, hung off the entity).  An entity whose FIFO is not empty and
 * to which nothing is being delivered sits on one process-wide "ready" list.
 * A small pool of dispatcher threads takes the first ready entity, removes
 * ONE event from its FIFO, delivers it with no lock held, and puts the entity
 * back at the end of the ready list if more is waiting.  So:
 *
 *   - callbacks to one entity run one at a time, in the order posted (only
 *     one thread can be delivering to an entity: it is off the ready list
 *     meanwhile);
 *   - entities are served round robin, and while one entity's callback is
 *     blocked the other threads serve the others.  The pool starts with
 *     EV_MIN_THREADS at the first registration and grows (up to
 *     EV_MAX_THREADS) when ready entities outnumber idle threads, so a few
 *     stuck callbacks do not stop delivery to everyone else.
 *
 * Locking.  One leaf mutex (D.mutex) guards all queues and the per-entity
 * state; it is taken under a table lock or with none, never the other way
 * round, and no callback or hook runs while it is held.  Threads that must
 * wait for a delivery or a method invocation to finish (deregistration,
 * RtmBlockMethods) wait on D.state, which is broadcast whenever a delivery
 * ends or method state changes.
 *
 * Lifetime.  The entity_ev outlives its entity while a dispatcher thread is
 * still delivering to it (an entity may deregister itself, and be freed,
 * from inside its own callback) or a method invocation still uses it:
 * `users` counts the entity itself plus every such user, and the last one
 * frees it.  A thread delivering to an entity touches only the entity_ev,
 * never the entity (whose memory is reused by the next registration).
 *
 * Threads are never stopped (the spec allows leaving them to process exit);
 * on Windows the module is pinned when the first one starts, so an
 * FreeLibrary of rtm.dll can never unmap code they run.
 */
#include "events.h"
#include "expiry.h"

#include <stdlib.h>
#include <string.h>

#define EV_MIN_THREADS 2
#define EV_MAX_THREADS 8

typedef struct ev_item {
	struct ev_item *next;
	events_msg m;
	const events_hooks *hooks;
	RTM_ENTITY_INFO info; /* Context2 of entity events points here */
} ev_item;

typedef struct ev_list {
	ev_item *head, *tail;
} ev_list;

struct entity_ev {
	rtm_table *t;
	RTM_ENTITY_HANDLE handle;
	RTM_EVENT_CALLBACK callback;
	RTM_ENTITY_INFO info;

	ev_list queue;            /* waiting for delivery */
	ev_list dropped;          /* dropped at closing, done hooks still to run */
	struct entity_ev *ready_next;
	uint8_t on_ready;         /* on D's ready list */
	uint8_t closing;          /* deregistering: deliver nothing more */
	uint8_t closed;           /* events_entity_deregistered has run */
	uint8_t delivering;       /* a dispatcher thread is delivering to it */
	uintptr_t deliverer;      /* ... that thread */
	uint32_t users;           /* the entity + deliverer + method users */
	method_state ms;
};

static struct {
	rtm_mutex mutex;
	rtm_cond work;  /* dispatcher threads wait here for work */
	rtm_cond state; /* deliveries ended / method state changed */
	struct entity_ev *ready_head, *ready_tail;
	uint32_t ready_count;
	ev_list grave; /* dropped events (no live receiver) whose done hooks must run */
	uint32_t threads, idle;
	uint32_t busy;  /* threads running a callback or hook */
	int stopping;   /* native process exit: threads leave (see events_shutdown) */
	rtm_thread thread[EV_MAX_THREADS];
	int inited;
} D;

static rtm_rwlock init_lock = RTM_RWLOCK_INIT;
static __thread struct entity_ev *tls_delivering;

static void ensure_init(void)
{
	if (__atomic_load_n(&D.inited, __ATOMIC_ACQUIRE))
		return;
	rtm_rwlock_wrlock(&init_lock);
	if (!D.inited) {
		rtm_mutex_init(&D.mutex);
		rtm_cond_init(&D.work);
		rtm_cond_init(&D.state);
		__atomic_store_n(&D.inited, 1, __ATOMIC_RELEASE);
	}
	rtm_rwlock_wrunlock(&init_lock);
}

void events_lock(void) { rtm_mutex_lock(&D.mutex); }
void events_unlock(void) { rtm_mutex_unlock(&D.mutex); }
void events_wait(void) { rtm_cond_wait(&D.state, &D.mutex); }
void events_wake_all(void) { rtm_cond_broadcast(&D.state); }

void events_pin_module(void)
{
#ifdef _WIN32
	static int pinned;
	HMODULE m;
	if (__atomic_exchange_n(&pinned, 1, __ATOMIC_ACQ_REL))
		return;
	/* our threads run code of this module until process exit */
	GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_PIN,
			   (LPCWSTR)(void *)&events_pin_module, &m);
#endif
}

static void list_push(ev_list *l, ev_item *it)
{
	it->next = NULL;
	if (l->tail)
		l->tail->next = it;
	else
		l->head = it;
	l->tail = it;
}

static ev_item *list_pop(ev_list *l)
{
	ev_item *it = l->head;
	if (it) {
		l->head = it->next;
		if (!l->head)
			l->tail = NULL;
		it->next = NULL;
	}
	return it;
}

static void list_append(ev_list *to, ev_list *from)
{
	if (!from->head)
		return;
	if (to->tail)
		to->tail->next = from->head;
	else
		to->head = from->head;
	to->tail = from->tail;
	from->head = from->tail = NULL;
}

static void worker_main(void *arg);

/* start one more dispatcher thread; D.mutex held.  0 ok */
static int start_worker(void)
{
	events_pin_module();
	if (rtm_thread_start(&D.thread[D.threads], worker_main, NULL) != 0)
		return -1;
	D.threads++;
	return 0;
}

static void ready_push(struct entity_ev *ev)
{
	ev->ready_next = NULL;
	ev->on_ready = 1;
	if (D.ready_tail)
		D.ready_tail->ready_next = ev;
	else
		D.ready_head = ev;
	D.ready_tail = ev;
	D.ready_count++;
	if (D.ready_count > D.idle && D.threads < EV_MAX_THREADS)
		(void)start_worker(); /* failure: the running threads get to it later */
	rtm_cond_signal(&D.work);
}

static struct entity_ev *ready_pop(void)
{
	struct entity_ev *ev = D.ready_head;
	if (ev) {
		D.ready_head = ev->ready_next;
		if (!D.ready_head)
			D.ready_tail = NULL;
		ev->ready_next = NULL;
		ev->on_ready = 0;
		D.ready_count--;
	}
	return ev;
}

static void ready_remove(struct entity_ev *ev)
{
	struct entity_ev **pp = &D.ready_head, *prev = NULL;
	while (*pp && *pp != ev) {
		prev = *pp;
		pp = &(*pp)->ready_next;
	}
	if (!*pp)
		return;
	*pp = ev->ready_next;
	if (D.ready_tail == ev)
		D.ready_tail = prev;
	ev->ready_next = NULL;
	ev->on_ready = 0;
	D.ready_count--;
}

/* D.mutex held */
static void ev_put_locked(struct entity_ev *ev)
{
	if (--ev->users == 0)
		free(ev);
}

void events_ev_get(struct entity_ev *ev) { ev->users++; }
void events_ev_put(struct entity_ev *ev) { ev_put_locked(ev); }
struct entity_ev *events_ev_of(entity *e) { return e->ev; }
method_state *events_methods(struct entity_ev *ev) { return &ev->ms; }
int events_ev_closing(const struct entity_ev *ev) { return ev->closing; }
int events_on_dispatcher(void) { return tls_delivering != NULL; }

/* the done hook of an event that will not be delivered (no lock held) */
static void finish_dropped(ev_item *it)
{
	if (it->hooks && it->hooks->done)
		it->hooks->done(&it->m, 0, 0);
	free(it);
}

static void deliver(struct entity_ev *ev, RTM_EVENT_CALLBACK cb, ev_item *it)
{
	const events_hooks *h = it->hooks;
	tls_delivering = ev;
	if (h && h->check && !h->check(&it->m)) {
		if (h->done)
			h->done(&it->m, 0, 0);
	} else {
		DWORD result = cb(it->m.to, it->m.type, it->m.ctx1, it->m.ctx2);
		if (h && h->done)
			h->done(&it->m, 1, result);
	}
	tls_delivering = NULL;
	free(it);
}

static void worker_main(void *arg)
{
	(void)arg;
	uintptr_t self = rtm_thread_self();
	rtm_mutex_lock(&D.mutex);
	while (!D.stopping) {
		ev_item *it = list_pop(&D.grave);
		if (it) {
			D.busy++;
			rtm_mutex_unlock(&D.mutex);
			finish_dropped(it);
			rtm_mutex_lock(&D.mutex);
			D.busy--;
			continue;
		}
		struct entity_ev *ev = ready_pop();
		if (!ev) {
			D.idle++;
			rtm_cond_wait(&D.work, &D.mutex);
			D.idle--;
			continue;
		}
		if (ev->closing || !(it = list_pop(&ev->queue)))
			continue; /* not expected: closing takes it off the list */
		RTM_EVENT_CALLBACK cb = ev->callback;
		ev->delivering = 1;
		ev->deliverer = self;
		ev->users++;
		D.busy++;
		rtm_mutex_unlock(&D.mutex);

		deliver(ev, cb, it);

		rtm_mutex_lock(&D.mutex);
		D.busy--;
		ev->delivering = 0;
		ev->deliverer = 0;
		if (ev->queue.head && !ev->closing)
			ready_push(ev);
		rtm_cond_broadcast(&D.state);
		ev_put_locked(ev);
	}
	rtm_mutex_unlock(&D.mutex);
}

/* queue it for ev, or drop it; D.mutex held */
static void enqueue_locked(struct entity_ev *ev, ev_item *it)
{
	if (ev->closed || !ev->callback) {
		if (it->hooks && it->hooks->done) {
			list_push(&D.grave, it);
			if (!D.threads)
				(void)start_worker();
			rtm_cond_signal(&D.work);
		} else {
			free(it);
		}
	} else if (ev->closing) {
		list_push(&ev->dropped, it);
	} else {
		list_push(&ev->queue, it);
		if (!ev->on_ready && !ev->delivering)
			ready_push(ev);
	}
}

static ev_item *item_new(struct entity_ev *ev, RTM_EVENT_TYPE type, void *ctx1, void *ctx2,
			 const events_hooks *hooks, void *arg)
{
	ev_item *it = malloc(sizeof(*it));
	if (!it)
		return NULL;
	memset(it, 0, sizeof(*it));
	it->m.t = ev->t;
	it->m.to = ev->handle;
	it->m.type = type;
	it->m.ctx1 = ctx1;
	it->m.ctx2 = ctx2;
	it->m.arg = arg;
	it->hooks = hooks;
	return it;
}

int events_post(entity *to, RTM_EVENT_TYPE type, void *ctx1, void *ctx2, const events_hooks *hooks, void *arg)
{
	struct entity_ev *ev = to->ev;
	ev_item *it = item_new(ev, type, ctx1, ctx2, hooks, arg);
	if (!it)
		return -1;
	rtm_mutex_lock(&D.mutex);
	enqueue_locked(ev, it);
	rtm_mutex_unlock(&D.mutex);
	return 0;
}

int events_entity_init(entity *e)
{
	ensure_init();
	struct entity_ev *ev = calloc(1, sizeof(*ev));
	if (!ev)
		return -1;
	rtm_mutex_lock(&D.mutex);
	while (D.threads < EV_MIN_THREADS && start_worker() == 0)
		;
	int ok = D.threads > 0;
	rtm_mutex_unlock(&D.mutex);
	if (!ok) {
		free(ev);
		return -1;
	}
	ev->users = 1; /* the entity's own */
	e->ev = ev;
	return 0;
}

/* post a copy of subject's identity to x (entity events; no hooks) */
static void post_entity_event(entity *x, RTM_EVENT_TYPE type, const struct entity_ev *subject)
{
	ev_item *it = item_new(x->ev, type, subject->handle, NULL, NULL, NULL);
	if (!it)
		return; /* out of memory: the event is lost, nothing else to undo */
	it->info = subject->info;
	it->m.ctx2 = &it->info;
	rtm_mutex_lock(&D.mutex);
	enqueue_locked(x->ev, it);
	rtm_mutex_unlock(&D.mutex);
}

void events_entity_registered(rtm_table *t, entity *e)
{
	struct entity_ev *ev = e->ev;
	rtm_mutex_lock(&D.mutex);
	ev->t = t;
	ev->handle = e->hdr.handle;
	ev->callback = e->callback;
	ev->info = e->info;
	rtm_mutex_unlock(&D.mutex);
	for (entity *x = t->entities_head; x; x = x->next)
		if (x != e && x->registered && x->callback)
			post_entity_event(x, RTM_ENTITY_REGISTERED, ev);
}

void events_entity_closing(rtm_table *t, entity *e)
{
	(void)t;
	struct entity_ev *ev = e->ev;
	rtm_mutex_lock(&D.mutex);
	ev->closing = 1;
	if (ev->on_ready)
		ready_remove(ev);
	list_append(&ev->dropped, &ev->queue);
	ev->ms.blocked = 0; /* blocked invokers wake up and fail */
	rtm_cond_broadcast(&D.state);
	rtm_mutex_unlock(&D.mutex);
}

void events_entity_deregistered(rtm_table *t, entity *e)
{
	struct entity_ev *ev = e->ev;
	uintptr_t self = rtm_thread_self();
	rtm_mutex_lock(&D.mutex);
	for (;;) {
		int cb_busy = ev->delivering && ev->deliverer != self;
		int inv_busy = ev->ms.running + ev->ms.waiting > methods_running_here(ev);
		if (!cb_busy && !inv_busy)
			break;
		rtm_cond_wait(&D.state, &D.mutex);
	}
	ev_list dropped = ev->dropped;
	ev->dropped.head = ev->dropped.tail = NULL;
	ev->closed = 1;
	rtm_mutex_unlock(&D.mutex);

	ev_item *it;
	while ((it = list_pop(&dropped)) != NULL)
		finish_dropped(it);

	table_rdlock(t);
	for (entity *x = t->entities_head; x; x = x->next)
		if (x != e && x->registered && x->callback)
			post_entity_event(x, RTM_ENTITY_DEREGISTERED, ev);
	table_rdunlock(t);
}

void events_entity_free(entity *e)
{
	struct entity_ev *ev = e->ev;
	if (!ev)
		return;
	e->ev = NULL;
	rtm_mutex_lock(&D.mutex);
	/* anything still queued (a registration that never completed) is dropped */
	list_append(&ev->dropped, &ev->queue);
	ev_list left = ev->dropped;
	ev->dropped.head = ev->dropped.tail = NULL;
	ev_item *it;
	while ((it = list_pop(&left)) != NULL)
		enqueue_locked(&(struct entity_ev){ .closed = 1 }, it);
	ev_put_locked(ev);
	rtm_mutex_unlock(&D.mutex);
}

#ifndef _WIN32
/*
 * events_shutdown - native builds only, at process exit: stop and join the
 * timer thread and the dispatcher threads, so that memory checkers see no
 * thread left running (and no thread-local block "possibly lost").  Threads
 * in the middle of a callback are left alone: nothing is joined then, as a
 * stuck callback would hang the exit.  On Windows the threads simply end
 * with the process (nothing may be waited for under the loader lock).
 */
__attribute__((destructor)) static void events_shutdown(void)
{
	expiry_shutdown();
	if (!__atomic_load_n(&D.inited, __ATOMIC_ACQUIRE))
		return;
	rtm_mutex_lock(&D.mutex);
	if (D.busy) {
		rtm_mutex_unlock(&D.mutex);
		return;
	}
	D.stopping = 1;
	rtm_cond_broadcast(&D.work);
	uint32_t n = D.threads;
	rtm_mutex_unlock(&D.mutex);
	for (uint32_t i = 0; i < n; i++)
		rtm_thread_join(&D.thread[i]);
}
#endif

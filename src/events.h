/*
 * events.h - delivery of event callbacks (entity events, route expiry,
 * change notification) and the per-entity state of methods.
 *
 * Callbacks never run inside the API call that caused them nor under any RTM
 * lock: events are queued per receiving entity and delivered by RTM's
 * dispatcher threads (a small pool shared by every table), one at a time per
 * entity, in the order they were posted; different entities are served
 * concurrently, so one entity's slow callback does not hold up the others.
 * The queueing functions below may be called with the table's write lock held
 * (they only take the dispatcher's leaf mutex); events_entity_deregistered is
 * called with no lock held because it may wait.  docs/EVENTS.md has the whole
 * story (threads, ordering, guarantees).
 */
#ifndef RTM_EVENTS_H
#define RTM_EVENTS_H

#include "entity.h"

/* ---- posting an event (for notify.c, expiry.c) ---------------------------- */

/* what a poster's hooks are shown about its event */
typedef struct events_msg {
	rtm_table *t;             /* the receiver's table */
	RTM_ENTITY_HANDLE to;     /* the receiver (its registration handle) */
	RTM_EVENT_TYPE type;
	void *ctx1, *ctx2;        /* as passed to the callback */
	void *arg;                /* the poster's own value, never interpreted */
} events_msg;

/*
 * events_hooks - optional functions a poster attaches to an event.  Both run
 * on a thread holding no RTM lock (so they may take the table lock), one at a
 * time with the receiver's callbacks, never concurrently with another
 * callback to the same receiver.
 *
 *  check  just before the callback: return 0 to drop the event (it is then
 *         not delivered, and done is called with delivered = 0).
 *  done   exactly once per successfully posted event, after the callback
 *         returned (delivered = 1, result = its return value) or when the
 *         event was dropped (delivered = 0, result = 0): check said no, the
 *         receiver has no callback, or it deregistered first.  Dropped
 *         events of a deregistering entity have their done run before its
 *         RtmDeregisterEntity returns (on that thread, no lock held); others
 *         run on a dispatcher thread.
 * A hooks structure is usually a static const of the posting module.
 */
typedef struct events_hooks {
	int (*check)(const events_msg *m);
	void (*done)(const events_msg *m, int delivered, DWORD result);
} events_hooks;

/*
 * events_post - queue one callback to entity `to`:
 *   to->callback(to's handle, type, ctx1, ctx2)
 * after every event posted to `to` before it.  hooks may be NULL.  Call with
 * `to`'s table locked (any mode) or with no lock at all; only the
 * dispatcher's leaf mutex is taken.  Returns 0 when queued (done will be
 * called), -1 when out of memory (nothing queued, done is never called).
 * Posting to an entity that is deregistering, or has no callback, succeeds and
 * the event is dropped (done(delivered = 0)).
 */
int events_post(entity *to, RTM_EVENT_TYPE type, void *ctx1, void *ctx2, const events_hooks *hooks, void *arg);

/* on Windows: pin rtm.dll in memory once RTM starts a thread of its own (no-op elsewhere) */
void events_pin_module(void);

/* non-zero on RTM's dispatcher threads (a callback is being delivered by this thread) */
int events_on_dispatcher(void);

/* ---- entity life (entity.c) ----------------------------------------------- */

/* per-entity delivery and method state; 0 ok, -1 out of memory.  Write lock held. */
int events_entity_init(entity *e);
/* queue RTM_ENTITY_REGISTERED for e to every other registered entity with a callback */
void events_entity_registered(rtm_table *t, entity *e);
/*
 * e is deregistering (write lock held): nothing more is delivered to it, its
 * queued events are dropped, its method invocations are refused and the
 * invokers waiting on its blocked methods are woken to fail.
 */
void events_entity_closing(rtm_table *t, entity *e);
/*
 * no lock held: wait until no callback of e and no invocation of its methods
 * is running (except those on the calling thread, e.g. when e deregisters
 * itself from inside its own callback), run the done hooks of its dropped
 * events, then queue RTM_ENTITY_DEREGISTERED for e to the other registered
 * entities.
 */
void events_entity_deregistered(rtm_table *t, entity *e);
/* e is being freed (reaper, write lock held) */
void events_entity_free(entity *e);

/* ---- methods (methods.c) -------------------------------------------------- */

/*
 * The per-entity state shared by events.c and methods.c; both guard it with
 * the dispatcher mutex (events_lock/events_unlock).  Private to those two.
 */
struct entity_ev;
void events_lock(void);
void events_unlock(void);
/* wait on / wake the dispatcher's state condition (events_lock held) */
void events_wait(void);
void events_wake_all(void);

/*
 * method-invocation bookkeeping of an entity, under events_lock.  The state
 * outlives the entity while an invocation or a blocker still uses it
 * (events_ev_get / events_ev_put).
 */
typedef struct method_state {
	uint8_t blocked;      /* RtmBlockMethods flag */
	uint32_t running;     /* invocations running its methods */
	uint32_t waiting;     /* invocations waiting for a resume */
} method_state;

struct entity_ev *events_ev_of(entity *e);
method_state *events_methods(struct entity_ev *ev);
int events_ev_closing(const struct entity_ev *ev);
void events_ev_get(struct entity_ev *ev);
void events_ev_put(struct entity_ev *ev); /* events_lock held */

/* invocations of ev's methods running on the calling thread (methods.c keeps them) */
uint32_t methods_running_here(const struct entity_ev *ev);

#endif

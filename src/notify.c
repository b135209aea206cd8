/*
 * notify.c - change notification (spec functions-2 §3, concepts §11).
 *
 * A table has at most RTM_MAX_NOTIFY_REGS (32) registrations, all entities
 * together, and each occupies one index 0..31 for as long as it lives.  That
 * index is a bit in two 32-bit masks of every destination: notify_pending
 * (the destination is in the registration's pending set) and notify_marked
 * (the client marked it for the registration).  The bits answer the hot
 * questions - "already pending?" when a change is recorded, "marked?" for an
 * only-marked registration, RtmGetChangeStatus, RtmIsMarked... - in O(1)
 * without touching anything but the destination.
 *
 * The bits cannot say in what order destinations became pending, nor find
 * every marked destination when a registration goes away, so each
 * registration also keeps two insertion-ordered sets of destinations (dset
 * below): its pending set, drained oldest first by RtmGetChangedDests, and
 * its marks.  A dset is an append-only array with holes plus an
 * open-addressing index (destination -> position), so append, lookup,
 * removal from the middle (RtmIgnoreChangedDests, unmarking) and pop-oldest
 * are all O(1) amortised; the array is compacted when it fills up.
 *
 * Recording (notify_dest_changed) runs inside the modifying call under the
 * table's write lock and costs O(registrations of the table): per
 * registration a mask test and, the first time a destination changes since
 * it was last retrieved, one append.  A destination changed 1,000 times
 * before anyone looks is still one entry.  Each pending entry and each mark
 * holds the destination object (obj_hold: a reference plus a link), so a
 * destination whose last route went away is still reported once, with no
 * routes, and a marked destination keeps its object and handle across a
 * route flap.
 *
 * The callback is edge-triggered: it is queued (through the dispatcher, so
 * never under our lock) when a pending set goes from empty to non-empty, and
 * not again until the set has been emptied by RtmGetChangedDests or
 * RtmIgnoreChangedDests.  The dispatcher runs one callback at a time per
 * entity, so calls for one registration never overlap.
 *
 * Lifetime of a registration: its handle (OBJ_NOTIFY, private to the owner)
 * is live while it is registered; RtmDeregisterFromChangeNotification (or
 * the owner's deregistration) drops its entries and marks, clears its bits,
 * retires the handle and frees it.  Its memory is never named by a queued
 * event (events carry the handle value, which goes stale), so it is freed at
 * once; RtmDeregisterFromChangeNotification then waits, without the table
 * lock, for a callback of this registration that is still running.
 */
#include "notify.h"
#include "events.h"

#include <stdlib.h>
#include <string.h>

/* ---- dset: an insertion-ordered set of destinations ------------------------------------------- */

#define DSET_MIN_CAP 16u
#define DSET_KEEP_CAP 64u /* an emptied set keeps arrays up to this size */

typedef struct dset {
	dest **q;        /* entries in insertion order; NULL = removed */
	uint32_t head;   /* first position that may hold an entry */
	uint32_t tail;   /* next free position */
	uint32_t cap;    /* size of q */
	uint32_t live;   /* entries present */
	uint32_t *idx;   /* open addressing: position + 1, 0 = empty */
	uint32_t idx_mask;
} dset;

static inline uint32_t dset_hash(const dest *d)
{
	uint64_t x = (uint64_t)(uintptr_t)d;
	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 32;
	return (uint32_t)x;
}

static void dset_free(dset *s)
{
	free(s->q);
	free(s->idx);
	memset(s, 0, sizeof(*s));
}

static void idx_put(uint32_t *idx, uint32_t mask, uint32_t h, uint32_t pos)
{
	uint32_t i = h & mask;
	while (idx[i])
		i = (i + 1) & mask;
	idx[i] = pos + 1;
}

/* re-lay the set into arrays with room for at least need entries; -1 if memory is short */
static int dset_rebuild(dset *s, uint32_t need)
{
	uint32_t cap = DSET_MIN_CAP;
	while (cap < 2 * need)
		cap *= 2;
	dest **q = malloc(cap * sizeof(*q));
	uint32_t *idx = calloc(2 * (size_t)cap, sizeof(*idx));
	if (!q || !idx) {
		free(q);
		free(idx);
		return -1;
	}
	uint32_t mask = 2 * cap - 1, n = 0;
	for (uint32_t p = s->head; p < s->tail; p++)
		if (s->q[p]) {
			q[n] = s->q[p];
			idx_put(idx, mask, dset_hash(q[n]), n);
			n++;
		}
	free(s->q);
	free(s->idx);
	s->q = q;
	s->idx = idx;
	s->idx_mask = mask;
	s->cap = cap;
	s->head = 0;
	s->tail = n;
	return 0;
}

/* index slot of d, or -1 */
static int64_t dset_slot(const dset *s, const dest *d)
{
	if (!s->live)
		return -1;
	for (uint32_t i = dset_hash(d) & s->idx_mask; s->idx[i]; i = (i + 1) & s->idx_mask)
		if (s->q[s->idx[i] - 1] == d)
			return i;
	return -1;
}

/* append d (not present); 0 ok, -1 out of memory (the set is unchanged) */
static int dset_add(dset *s, dest *d)
{
	if (s->tail == s->cap && dset_rebuild(s, s->live + 1) < 0)
		return -1;
	s->q[s->tail] = d;
	idx_put(s->idx, s->idx_mask, dset_hash(d), s->tail);
	s->tail++;
	s->live++;
	return 0;
}

/* remove the entry at index slot i (backward-shift deletion keeps probe chains whole) */
static void dset_remove_slot(dset *s, uint32_t i)
{
	uint32_t mask = s->idx_mask;
	s->q[s->idx[i] - 1] = NULL;
	s->idx[i] = 0;
	for (uint32_t j = (i + 1) & mask; s->idx[j]; j = (j + 1) & mask) {
		uint32_t home = dset_hash(s->q[s->idx[j] - 1]) & mask;
		/* the entry at j may move to i unless its home lies in (i, j] (cyclically) */
		int stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
		if (stays)
			continue;
		s->idx[i] = s->idx[j];
		s->idx[j] = 0;
		i = j;
	}
	if (--s->live == 0) {
		if (s->cap > DSET_KEEP_CAP) {
			dset_free(s);
		} else {
			s->head = s->tail = 0;
			memset(s->idx, 0, ((size_t)s->idx_mask + 1) * sizeof(*s->idx));
		}
	}
}

/* remove d if present; returns whether it was */
static int dset_remove(dset *s, const dest *d)
{
	int64_t i = dset_slot(s, d);
	if (i < 0)
		return 0;
	dset_remove_slot(s, (uint32_t)i);
	return 1;
}

/* remove and return the oldest entry (the set is not empty) */
static dest *dset_pop(dset *s)
{
	while (!s->q[s->head])
		s->head++;
	dest *d = s->q[s->head];
	s->head++;
	dset_remove_slot(s, (uint32_t)dset_slot(s, d));
	return d;
}

/* ---- registrations ----------------------------------------------------------------------------- */

#define CHANGE_TYPES (RTM_CHANGE_TYPE_ALL | RTM_CHANGE_TYPE_BEST | RTM_CHANGE_TYPE_FORWARDING)

typedef struct notify_reg {
	rtm_obj hdr;
	entity *owner;
	uint32_t bit;    /* 1 << index in the table's registrations */
	DWORD views;     /* effective views (never 0) */
	DWORD types;     /* RTM_CHANGE_TYPE_* asked for */
	int only_marked; /* RTM_NOTIFY_ONLY_MARKED_DESTS */
	PVOID context;   /* Context2 of the callback */
	int signal_lost; /* the last callback could not be queued */
	dset pending;
	dset marks;
} notify_reg;

/* the registrations of one table (rtm_table.notify) */
typedef struct notify_table {
	uint32_t used; /* bit r: regs[r] is a live registration */
	notify_reg *regs[RTM_MAX_NOTIFY_REGS];
} notify_table;

static notify_table *ntab_of(const rtm_table *t) { return __atomic_load_n(&t->notify, __ATOMIC_ACQUIRE); }

/* the table's registrations, created if needed (write lock); tables are never freed, neither are these */
static notify_table *ntab_get(rtm_table *t)
{
	notify_table *nt = ntab_of(t);
	if (nt)
		return nt;
	nt = calloc(1, sizeof(*nt));
	if (nt)
		__atomic_store_n(&t->notify, nt, __ATOMIC_RELEASE);
	return nt;
}

static notify_reg *notify_lookup(rtm_table *t, const entity *owner, HANDLE h)
{
	notify_reg *n = (notify_reg *)handle_lookup(h, OBJ_NOTIFY, t);
	return n && n->owner == owner ? n : NULL;
}

/*
 * notify_enter - api_enter, then resolve the caller's registration h; on
 * failure the table is unlocked again and the error returned.
 */
static DWORD notify_enter(api_ctx *c, RTM_ENTITY_HANDLE reg, RTM_NOTIFY_HANDLE h, int write, notify_reg **n)
{
	DWORD err = api_enter(c, reg, write);
	if (err)
		return err;
	*n = notify_lookup(c->t, c->e, h);
	return *n ? NO_ERROR : api_leave(c, ERROR_INVALID_HANDLE);
}

/*
 * Callbacks in flight.  The dispatcher calls check_delivery just before it
 * runs a callback and delivery_done after it; between the two, the
 * registration's handle and the dispatcher thread are listed here, so that
 * RtmDeregisterFromChangeNotification can wait for a running callback (and
 * see when it is itself running inside it).  The list names registrations by
 * handle value only, never by pointer, so a registration can be freed while
 * its callback still runs (the owner's deregistration does that, and then
 * waits for all of the owner's callbacks).  At most one entry per dispatcher
 * thread; run_lock is a leaf lock.
 */
typedef struct running_cb {
	HANDLE notify;
	uintptr_t thread;
} running_cb;

static rtm_mutex run_lock;
static rtm_cond run_cond;
static running_cb *running;
static uint32_t running_count, running_cap;
static int run_init_done; /* set once, under a table's write lock */

static void run_init(void)
{
	if (__atomic_load_n(&run_init_done, __ATOMIC_ACQUIRE))
		return;
	static rtm_rwlock once = RTM_RWLOCK_INIT;
	rtm_rwlock_wrlock(&once);
	if (!run_init_done) {
		rtm_mutex_init(&run_lock);
		rtm_cond_init(&run_cond);
		__atomic_store_n(&run_init_done, 1, __ATOMIC_RELEASE);
	}
	rtm_rwlock_wrunlock(&once);
}

/* dispatcher, no lock held: deliver only if the registration still exists */
static int check_delivery(const events_msg *m)
{
	table_rdlock(m->t);
	rtm_obj *o = handle_lookup(m->ctx1, OBJ_NOTIFY, m->t);
	int deliver = o && o == m->arg;
	if (deliver) {
		rtm_mutex_lock(&run_lock);
		if (running_count == running_cap) {
			uint32_t cap = running_cap ? 2 * running_cap : 8;
			running_cb *grown = realloc(running, cap * sizeof(*grown));
			if (grown) {
				running = grown;
				running_cap = cap;
			}
		}
		if (running_count < running_cap)
			running[running_count++] = (running_cb){ m->ctx1, rtm_thread_self() };
		else
			deliver = 0; /* out of memory: drop this signal rather than lose track */
		rtm_mutex_unlock(&run_lock);
	}
	table_rdunlock(m->t);
	return deliver;
}

/* after the callback; an event that was dropped (delivered 0) never had an entry */
static void delivery_done(const events_msg *m, int delivered, DWORD result)
{
	(void)result;
	if (!delivered)
		return;
	uintptr_t self = rtm_thread_self();
	rtm_mutex_lock(&run_lock);
	for (uint32_t i = 0; i < running_count; i++)
		if (running[i].notify == m->ctx1 && running[i].thread == self) {
			running[i] = running[--running_count];
			rtm_cond_broadcast(&run_cond);
			break;
		}
	rtm_mutex_unlock(&run_lock);
}

static const events_hooks notify_hooks = { check_delivery, delivery_done };

/* wait until no callback of registration h runs, except one on this thread (no lock held) */
static void wait_not_running(HANDLE h)
{
	uintptr_t self = rtm_thread_self();
	rtm_mutex_lock(&run_lock);
	for (;;) {
		int busy = 0;
		for (uint32_t i = 0; i < running_count; i++)
			busy |= running[i].notify == h && running[i].thread != self;
		if (!busy)
			break;
		rtm_cond_wait(&run_cond, &run_lock);
	}
	rtm_mutex_unlock(&run_lock);
}

/* queue RTM_CHANGE_NOTIFICATION for n (its pending set just became non-empty) */
static void notify_signal(notify_reg *n)
{
	n->signal_lost = 0;
	if (!n->owner->callback)
		return;
	if (events_post(n->owner, RTM_CHANGE_NOTIFICATION, n->hdr.handle, n->context, &notify_hooks, n) < 0)
		n->signal_lost = 1; /* try again at the next recorded change */
}

/* does a change (per-view bits) concern n for destination d? */
static int concerns(const notify_reg *n, const dest *d, const DWORD change[RTM_NUMBER_OF_VIEWS])
{
	if (n->only_marked && !(d->notify_marked & n->bit))
		return 0;
	for (unsigned v = 0; v < RTM_NUMBER_OF_VIEWS; v++)
		if ((n->views & (1u << v)) && (change[v] & n->types))
			return 1;
	return 0;
}

void notify_dest_changed(rtm_table *t, dest *d, const DWORD change[RTM_NUMBER_OF_VIEWS])
{
	notify_table *nt = ntab_of(t);
	if (!nt)
		return;
	/* only registrations for which d is not pending yet can gain anything */
	uint32_t todo = nt->used & ~d->notify_pending;
	while (todo) {
		unsigned r = (unsigned)__builtin_ctz(todo);
		todo &= todo - 1;
		notify_reg *n = nt->regs[r];
		if (!concerns(n, d, change))
			continue;
		int signal = n->pending.live == 0 || n->signal_lost;
		/* out of memory: the change is lost for this registration (documented in NOTIFY.md) */
		if (dset_add(&n->pending, d) < 0)
			continue;
		d->notify_pending |= n->bit;
		obj_hold(&d->hdr);
		if (signal)
			notify_signal(n);
	}
}

/* drop everything n holds and free its index; the handle goes stale (write lock) */
static void notify_close(rtm_table *t, notify_reg *n)
{
	notify_table *nt = ntab_of(t);
	unsigned r = (unsigned)__builtin_ctz(n->bit);
	nt->regs[r] = NULL;
	nt->used &= ~n->bit;
	while (n->pending.live) {
		dest *d = dset_pop(&n->pending);
		d->notify_pending &= ~n->bit;
		obj_drop(t, &d->hdr);
	}
	while (n->marks.live) {
		dest *d = dset_pop(&n->marks);
		d->notify_marked &= ~n->bit;
		obj_drop(t, &d->hdr);
	}
	dset_free(&n->pending);
	dset_free(&n->marks);
	obj_unlink(&n->hdr);
	handle_retire(&n->hdr);
}

void notify_entity_closing(rtm_table *t, entity *e)
{
	notify_table *nt = ntab_of(t);
	if (!nt)
		return;
	for (unsigned r = 0; r < RTM_MAX_NOTIFY_REGS; r++) {
		notify_reg *n = nt->regs[r];
		if (n && n->owner == e) {
			notify_close(t, n);
			free(n);
		}
	}
}

/* ---- the API ----------------------------------------------------------------------------------- */

DWORD WINAPI RtmRegisterForChangeNotification(RTM_ENTITY_HANDLE RtmRegHandle, RTM_VIEW_SET TargetViews,
					      RTM_NOTIFY_FLAGS NotifyFlags, PVOID NotifyContext,
					      PRTM_NOTIFY_HANDLE NotifyHandle)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!NotifyHandle)
		return ERROR_INVALID_PARAMETER;
	if (!(NotifyFlags & CHANGE_TYPES) || (NotifyFlags & ~(CHANGE_TYPES | RTM_NOTIFY_ONLY_MARKED_DESTS)))
		return ERROR_INVALID_PARAMETER;
	DWORD views = TargetViews;
	if (views == 0 || views == RTM_VIEW_MASK_ALL)
		views = RTM_VIEWS_SUPPORTED;
	else if (views & ~RTM_VIEWS_SUPPORTED)
		return ERROR_NOT_SUPPORTED;

	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 1);
	if (err)
		return err;
	run_init();
	notify_table *nt = ntab_get(c.t);
	if (!nt)
		return api_leave(&c, ERROR_NOT_ENOUGH_MEMORY);
	if (nt->used == 0xFFFFFFFFu)
		return api_leave(&c, ERROR_NO_SYSTEM_RESOURCES);
	notify_reg *n = calloc(1, sizeof(*n));
	if (!n)
		return api_leave(&c, ERROR_NOT_ENOUGH_MEMORY);
	if (handle_assign(&n->hdr, OBJ_NOTIFY, c.t) < 0) {
		free(n);
		return api_leave(&c, ERROR_NOT_ENOUGH_MEMORY);
	}
	unsigned r = (unsigned)__builtin_ctz(~nt->used);
	n->owner = c.e;
	n->bit = 1u << r;
	n->views = views;
	n->types = NotifyFlags & CHANGE_TYPES;
	n->only_marked = (NotifyFlags & RTM_NOTIFY_ONLY_MARKED_DESTS) != 0;
	n->context = NotifyContext;
	obj_link(&n->hdr); /* registered */
	nt->regs[r] = n;
	nt->used |= n->bit;
	*NotifyHandle = n->hdr.handle;
	return api_leave(&c, NO_ERROR);
}

DWORD WINAPI RtmGetChangedDests(RTM_ENTITY_HANDLE RtmRegHandle, RTM_NOTIFY_HANDLE NotifyHandle, PUINT NumDests,
				PRTM_DEST_INFO ChangedDests)
{
	if (!api_peek(RtmRegHandle)) {
		if (NumDests)
			*NumDests = 0;
		return ERROR_INVALID_HANDLE;
	}
	if (!NumDests)
		return ERROR_INVALID_PARAMETER;
	UINT room = *NumDests;
	*NumDests = 0;
	if (!ChangedDests && room)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	notify_reg *n;
	DWORD err = notify_enter(&c, RtmRegHandle, NotifyHandle, 1, &n);
	if (err)
		return err;
	if (room > RTM_MAX_HANDLES_IN_ENUM)
		return api_leave(&c, ERROR_INVALID_PARAMETER);
	if (room == 0)
		return api_leave(&c, NO_ERROR);
	UINT got = 0;
	while (got < room && n->pending.live) {
		dest *d = dset_pop(&n->pending);
		d->notify_pending &= ~n->bit;
		RTM_DEST_INFO *out = (RTM_DEST_INFO *)((char *)ChangedDests + (size_t)got * DEST_INFO_STRIDE);
		dest_fill_info(c.t, d, c.e, RTM_BEST_PROTOCOL, n->views, out);
		obj_drop(c.t, &d->hdr); /* the pending entry's hold; the info has its own reference */
		got++;
	}
	*NumDests = got;
	return api_leave(&c, got < room ? ERROR_NO_MORE_ITEMS : NO_ERROR);
}

DWORD WINAPI RtmReleaseChangedDests(RTM_ENTITY_HANDLE RtmRegHandle, RTM_NOTIFY_HANDLE NotifyHandle, UINT NumDests,
				    PRTM_DEST_INFO ChangedDests)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!ChangedDests && NumDests)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	notify_reg *n;
	DWORD err = notify_enter(&c, RtmRegHandle, NotifyHandle, 0, &n);
	if (err)
		return err;
	/* exactly what RtmReleaseDests releases (spec functions-2 §3.3) */
	return api_leave(&c, dest_release_infos(c.t, NumDests, ChangedDests, DEST_INFO_STRIDE));
}

DWORD WINAPI RtmIgnoreChangedDests(RTM_ENTITY_HANDLE RtmRegHandle, RTM_NOTIFY_HANDLE NotifyHandle, UINT NumDests,
				   PRTM_DEST_HANDLE ChangedDests)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!ChangedDests && NumDests)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	notify_reg *n;
	DWORD err = notify_enter(&c, RtmRegHandle, NotifyHandle, 1, &n);
	if (err)
		return err;
	for (UINT i = 0; i < NumDests; i++)
		if (!dest_lookup(ChangedDests[i], c.t))
			return api_leave(&c, ERROR_INVALID_HANDLE);
	for (UINT i = 0; i < NumDests; i++) {
		dest *d = dest_lookup(ChangedDests[i], c.t);
		/* NULL: a repeated handle of a destination only its entry held (dead now, freed at api_leave) */
		if (!d || !(d->notify_pending & n->bit))
			continue; /* nothing pending, or a repeated handle */
		dset_remove(&n->pending, d);
		d->notify_pending &= ~n->bit;
		obj_drop(c.t, &d->hdr);
	}
	return api_leave(&c, NO_ERROR);
}

/* shared body of RtmGetChangeStatus and RtmIsMarkedForChangeNotification */
static DWORD query_bit(RTM_ENTITY_HANDLE reg, RTM_NOTIFY_HANDLE nh, RTM_DEST_HANDLE dh, PBOOL out, int marked)
{
	if (!api_peek(reg))
		return ERROR_INVALID_HANDLE;
	if (!out)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	notify_reg *n;
	DWORD err = notify_enter(&c, reg, nh, 0, &n);
	if (err)
		return err;
	dest *d = dest_lookup(dh, c.t);
	if (!d)
		return api_leave(&c, ERROR_INVALID_HANDLE);
	*out = ((marked ? d->notify_marked : d->notify_pending) & n->bit) ? TRUE : FALSE;
	return api_leave(&c, NO_ERROR);
}

DWORD WINAPI RtmGetChangeStatus(RTM_ENTITY_HANDLE RtmRegHandle, RTM_NOTIFY_HANDLE NotifyHandle,
				RTM_DEST_HANDLE DestHandle, PBOOL ChangeStatus)
{
	return query_bit(RtmRegHandle, NotifyHandle, DestHandle, ChangeStatus, 0);
}

DWORD WINAPI RtmIsMarkedForChangeNotification(RTM_ENTITY_HANDLE RtmRegHandle, RTM_NOTIFY_HANDLE NotifyHandle,
					      RTM_DEST_HANDLE DestHandle, PBOOL DestMarked)
{
	return query_bit(RtmRegHandle, NotifyHandle, DestHandle, DestMarked, 1);
}

DWORD WINAPI RtmMarkDestForChangeNotification(RTM_ENTITY_HANDLE RtmRegHandle, RTM_NOTIFY_HANDLE NotifyHandle,
					      RTM_DEST_HANDLE DestHandle, WINBOOL MarkDest)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	api_ctx c;
	notify_reg *n;
	DWORD err = notify_enter(&c, RtmRegHandle, NotifyHandle, 1, &n);
	if (err)
		return err;
	dest *d = dest_lookup(DestHandle, c.t);
	if (!d)
		return api_leave(&c, ERROR_INVALID_HANDLE);
	int marked = (d->notify_marked & n->bit) != 0;
	if (MarkDest && !marked) {
		if (dset_add(&n->marks, d) < 0)
			return api_leave(&c, ERROR_NOT_ENOUGH_MEMORY);
		d->notify_marked |= n->bit;
		obj_hold(&d->hdr);
	} else if (!MarkDest && marked) {
		dset_remove(&n->marks, d);
		d->notify_marked &= ~n->bit;
		obj_drop(c.t, &d->hdr);
	}
	return api_leave(&c, NO_ERROR);
}

DWORD WINAPI RtmDeregisterFromChangeNotification(RTM_ENTITY_HANDLE RtmRegHandle, RTM_NOTIFY_HANDLE NotifyHandle)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	api_ctx c;
	notify_reg *n;
	DWORD err = notify_enter(&c, RtmRegHandle, NotifyHandle, 1, &n);
	if (err)
		return err;
	notify_close(c.t, n);
	free(n);
	api_leave(&c, NO_ERROR);
	/* a callback of this registration may still be running: wait, unless we are inside it */
	wait_not_running(NotifyHandle);
	return NO_ERROR;
}

/*
 * lock.c - client locks on destinations (and so on their routes) and on
 * next hops; in-place route commits; opaque-pointer slots.
 *
 * A held lock is a record hung off the locked object: a stack of levels,
 * one per successful lock call, each naming its thread and entity.  Records
 * are created, changed and freed only under the table's write lock, and
 * read under any table lock, so no extra locking protects them.  Threads
 * that must wait for a release do so with no table lock held, on the
 * table's condition variable, watching a release generation counter so no
 * wake-up is lost; then they start their operation over.
 *
 * In-place edits: when the owner locks a route, its editable members are
 * saved (route_ext.saved).  On commit (RtmUpdateAndUnlockRoute) or plain
 * unlock RTM validates what the client wrote; an invalid edit is refused by
 * the commit and rolled back by the plain unlock.  Either way RTM moves its
 * structural links from the saved next hops to the current ones (the client
 * moved the references itself, spec functions-1 §7.5).
 */
#include "lock.h"
#include "dest.h"
#include "expiry.h"
#include "nexthop.h"
#include "route.h"
#include "route_list.h"

#include <stdlib.h>
#include <string.h>

typedef struct lock_level {
	uintptr_t thread;
	entity *e;
	uint8_t exclusive;
} lock_level;

typedef struct client_lock {
	struct client_lock *next, **pprev; /* t->client_locks */
	struct client_lock **slot;         /* where the record hangs */
	rtm_obj *obj;                      /* the locked dest or next hop (linked while locked) */
	uint32_t count, cap;
	lock_level *levels;
	RTM_NEXTHOP_INFO nh_saved; /* next hop locks: members at the owner's lock */
	uint8_t nh_saved_valid;
} client_lock;

static int held_by(const client_lock *l, uintptr_t self, int *exclusive)
{
	int held = 0;
	*exclusive = 0;
	for (uint32_t i = 0; i < l->count; i++)
		if (l->levels[i].thread == self) {
			held = 1;
			*exclusive |= l->levels[i].exclusive;
		}
	return held;
}

int lock_blocks(rtm_table *t, struct client_lock *const *slot, int write)
{
	(void)t;
	const client_lock *l = slot ? __atomic_load_n(slot, __ATOMIC_ACQUIRE) : NULL;
	if (!l)
		return 0;
	uintptr_t self = rtm_thread_self();
	for (uint32_t i = 0; i < l->count; i++)
		if (l->levels[i].thread != self && (write || l->levels[i].exclusive))
			return 1;
	return 0;
}

static uint32_t generation(rtm_table *t)
{
	rtm_mutex_lock(&t->client_lock_mutex);
	uint32_t g = t->client_lock_generation;
	rtm_mutex_unlock(&t->client_lock_mutex);
	return g;
}

static void signal_release(rtm_table *t)
{
	rtm_mutex_lock(&t->client_lock_mutex);
	t->client_lock_generation++;
	rtm_cond_broadcast(&t->client_lock_released);
	rtm_mutex_unlock(&t->client_lock_mutex);
}

void api_wait_lock(api_ctx *c, rtm_obj *obj, struct client_lock *const *slot, int write)
{
	rtm_table *t = c->t;
	obj_ref(obj);
	uint32_t g = generation(t);
	api_leave(c, NO_ERROR);
	for (;;) {
		rtm_mutex_lock(&t->client_lock_mutex);
		while (t->client_lock_generation == g)
			rtm_cond_wait(&t->client_lock_released, &t->client_lock_mutex);
		g = t->client_lock_generation;
		rtm_mutex_unlock(&t->client_lock_mutex);
		table_rdlock(t);
		int blocked = lock_blocks(t, slot, write);
		table_rdunlock(t);
		if (!blocked)
			break;
	}
	table_rdlock(t);
	obj_unref_internal(obj);
	if (obj_dead(obj))
		table_queue_reap(t, obj);
	table_rdunlock(t);
}

static struct client_lock *const *lock_slot_of(rtm_obj *o)
{
	switch (o->kind) {
	case OBJ_DEST:
		return DEST_LOCK_SLOT((dest *)o);
	case OBJ_ROUTE:
		return DEST_LOCK_SLOT(((route *)o)->d);
	case OBJ_NEXTHOP:
		return (struct client_lock *const *)&((nexthop *)o)->lock;
	default:
		return NULL;
	}
}

int api_wait_if_locked(api_ctx *c, rtm_obj *o, int write)
{
	struct client_lock *const *slot = lock_slot_of(o);
	if (!lock_blocks(c->t, slot, write))
		return 0;
	/* a route's lock lives in its destination: keep that alive while waiting */
	api_wait_lock(c, o->kind == OBJ_ROUTE ? &((route *)o)->d->hdr : o, slot, write);
	return 1;
}

rtm_obj *api_enter_object(api_ctx *c, RTM_ENTITY_HANDLE reg, int write, HANDLE h, enum rtm_obj_kind kind, DWORD *err)
{
	for (;;) {
		if ((*err = api_enter(c, reg, write)))
			return NULL;
		rtm_obj *o = handle_lookup(h, kind, c->t);
		if (!o) {
			*err = api_leave(c, ERROR_INVALID_HANDLE);
			return NULL;
		}
		if (!api_wait_if_locked(c, o, write))
			return o;
	}
}

/* push a level on *slot; write lock held, no conflict (checked by the caller) */
static void free_record(rtm_table *t, client_lock *l);

static int push_level(rtm_table *t, client_lock **slot, rtm_obj *obj, entity *e, int exclusive)
{
	client_lock *l = *slot;
	if (!l) {
		if (!(l = calloc(1, sizeof(*l))))
			return 0;
		l->slot = slot;
		l->obj = obj;
		obj_link(obj);
		l->next = t->client_locks;
		if (l->next)
			l->next->pprev = &l->next;
		l->pprev = &t->client_locks;
		t->client_locks = l;
		__atomic_store_n(slot, l, __ATOMIC_RELEASE);
	}
	if (l->count == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 4;
		lock_level *a = realloc(l->levels, cap * sizeof(*a));
		if (!a) {
			if (!l->count)
				free_record(t, l); /* just made for this level: nothing else holds it */
			return 0;
		}
		l->levels = a;
		l->cap = cap;
	}
	l->levels[l->count++] = (lock_level){ rtm_thread_self(), e, (uint8_t)exclusive };
	return 1;
}

static void free_record(rtm_table *t, client_lock *l)
{
	*l->pprev = l->next;
	if (l->next)
		l->next->pprev = l->pprev;
	__atomic_store_n(l->slot, NULL, __ATOMIC_RELEASE);
	obj_unlink(l->obj);
	if (obj_dead(l->obj))
		table_queue_reap(t, l->obj);
	free(l->levels);
	free(l);
}

static void drop_level(rtm_table *t, client_lock *l, uint32_t i)
{
	memmove(&l->levels[i], &l->levels[i + 1], (l->count - i - 1) * sizeof(*l->levels));
	if (--l->count == 0)
		free_record(t, l);
	signal_release(t);
}

/* release the calling thread's innermost level; 0 if it holds none */
static int pop_level(rtm_table *t, client_lock *l)
{
	uintptr_t self = rtm_thread_self();
	for (uint32_t i = l ? l->count : 0; i-- > 0;)
		if (l->levels[i].thread == self) {
			drop_level(t, l, i);
			return 1;
		}
	return 0;
}

void lock_entity_closing(rtm_table *t, entity *e)
{
	client_lock *l = t->client_locks;
	while (l) {
		client_lock *next = l->next;
		for (uint32_t i = l->count; i-- > 0;)
			if (l->levels[i].e == e) {
				int last = l->count == 1;
				drop_level(t, l, i);
				if (last)
					break;
			}
		l = next;
	}
}

enum lock_outcome { LOCK_TAKEN, LOCK_MUST_WAIT, LOCK_REFUSED };

/* try to take a level; the spec's nesting rules (functions-1 §1.8) */
static enum lock_outcome try_lock(rtm_table *t, client_lock **slot, rtm_obj *obj, entity *e, int exclusive, DWORD *err)
{
	int mine_exclusive;
	client_lock *l = *slot;
	if (l && held_by(l, rtm_thread_self(), &mine_exclusive)) {
		if (exclusive && !mine_exclusive) {
			*err = ERROR_INVALID_PARAMETER; /* an upgrade would deadlock */
			return LOCK_REFUSED;
		}
	} else if (lock_blocks(t, slot, exclusive)) {
		return LOCK_MUST_WAIT;
	}
	if (!push_level(t, slot, obj, e, exclusive)) {
		*err = ERROR_NOT_ENOUGH_MEMORY;
		return LOCK_REFUSED;
	}
	return LOCK_TAKEN;
}

DWORD WINAPI RtmLockDestination(RTM_ENTITY_HANDLE RtmRegHandle, RTM_DEST_HANDLE DestHandle, WINBOOL Exclusive,
				WINBOOL LockDest)
{
	api_ctx c;
	for (;;) {
		DWORD err = api_enter(&c, RtmRegHandle, 1);
		if (err)
			return err;
		dest *d = dest_lookup(DestHandle, c.t);
		dest_ext *x;
		if (!d)
			return api_leave(&c, ERROR_INVALID_HANDLE);
		if (!LockDest)
			return api_leave(&c, d->ext && pop_level(c.t, d->ext->lock) ? NO_ERROR : ERROR_INVALID_PARAMETER);
		if (!(x = dest_ext_get(d)))
			return api_leave(&c, ERROR_NOT_ENOUGH_MEMORY);
		enum lock_outcome o = try_lock(c.t, &x->lock, &d->hdr, c.e, !!Exclusive, &err);
		if (o != LOCK_MUST_WAIT)
			return api_leave(&c, o == LOCK_TAKEN ? NO_ERROR : err);
		api_wait_lock(&c, &d->hdr, &x->lock, !!Exclusive);
	}
}

/* is a route as edited in place by its owner valid?  (spec functions-1 §7.6) */
static int edit_valid(rtm_table *t, const route *r)
{
	const RTM_ROUTE_INFO *i = r->info;
	if (i->NextHopsList.NumNextHops > RTM_MAX_NEXTHOPS_IN_ROUTE)
		return 0;
	if (i->Neighbour && !handle_lookup_any(i->Neighbour, OBJ_NEXTHOP, t))
		return 0;
	for (USHORT k = 0; k < i->NextHopsList.NumNextHops; k++) {
		nexthop *n = (nexthop *)handle_lookup_any(i->NextHopsList.NextHops[k], OBJ_NEXTHOP, t);
		if (!n || n->owner != r->owner || !nexthop_live(n))
			return 0;
	}
	return 1;
}

static void set_links(rtm_table *t, const route_vals *v, int add)
{
	HANDLE all[1 + RTM_MAX_NEXTHOPS_IN_ROUTE];
	unsigned n = 0;
	if (v->neighbour)
		all[n++] = v->neighbour;
	for (USHORT k = 0; k < v->nh_count; k++)
		all[n++] = v->nh[k];
	for (unsigned k = 0; k < n; k++) {
		rtm_obj *o = handle_lookup_any(all[k], OBJ_NEXTHOP, t);
		if (!o)
			continue;
		if (add) {
			obj_link(o);
		} else {
			obj_unlink(o);
			if (obj_dead(o))
				table_queue_reap(t, o);
		}
	}
}

/*
 * finish_edit - the owner's edit session on r ends: move RTM's links from
 * the saved next hops to the current ones.  Returns the saved values in *old.
 */
static void finish_edit(rtm_table *t, route *r, route_vals *old)
{
	route_ext *x = r->ext;
	if (!x || !x->saved_valid) {
		route_vals_get(r, old);
		return;
	}
	*old = x->saved;
	x->saved_valid = 0;
	route_vals now;
	route_vals_get(r, &now);
	set_links(t, &now, 1);
	set_links(t, old, 0);
}

static void restore_saved(route *r)
{
	const route_vals *v = &r->ext->saved;
	RTM_ROUTE_INFO *i = r->info;
	i->Neighbour = v->neighbour;
	i->PrefInfo = v->pref;
	i->BelongsToViews = v->views;
	i->EntitySpecificInfo = v->esi;
	i->NextHopsList.NumNextHops = v->nh_count;
	memcpy(i->NextHopsList.NextHops, v->nh, v->nh_count * sizeof(HANDLE));
}

void lock_route_end_edit(rtm_table *t, route *r)
{
	if (!r->ext || !r->ext->saved_valid)
		return;
	if (!edit_valid(t, r))
		restore_saved(r);
	route_vals old;
	finish_edit(t, r, &old);
}

static DWORD unlock_route(rtm_table *t, route *r, const entity *e)
{
	client_lock *l = r->d->ext ? r->d->ext->lock : NULL;
	int excl;
	if (!l || !held_by(l, rtm_thread_self(), &excl))
		return ERROR_INVALID_PARAMETER;
	if (r->owner == e && r->ext && r->ext->saved_valid) {
		if (!edit_valid(t, r))
			restore_saved(r);
		route_vals old;
		finish_edit(t, r, &old);
		if (route_live(r))
			route_keep_uncommitted(r);
	}
	pop_level(t, l);
	return NO_ERROR;
}

DWORD WINAPI RtmLockRoute(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ROUTE_HANDLE RouteHandle, WINBOOL Exclusive,
			  WINBOOL LockRoute, PRTM_ROUTE_INFO *RoutePointer)
{
	api_ctx c;
	for (;;) {
		DWORD err = api_enter(&c, RtmRegHandle, 1);
		if (err)
			return err;
		route *r = route_lookup(RouteHandle, c.t);
		if (!r || (LockRoute && !route_live(r)))
			return api_leave(&c, ERROR_INVALID_HANDLE);
		if (!LockRoute)
			return api_leave(&c, unlock_route(c.t, r, c.e));
		int owner = r->owner == c.e;
		if (RoutePointer && !owner)
			return api_leave(&c, ERROR_ACCESS_DENIED);
		dest_ext *x = dest_ext_get(r->d);
		if (!x || (owner && (!route_ext_get(r) || !route_make_full(r))))
			return api_leave(&c, ERROR_NOT_ENOUGH_MEMORY);
		enum lock_outcome o = try_lock(c.t, &x->lock, &r->d->hdr, c.e, !!Exclusive, &err);
		if (o == LOCK_MUST_WAIT) {
			api_wait_lock(&c, &r->d->hdr, &x->lock, !!Exclusive);
			continue;
		}
		if (o == LOCK_TAKEN && owner) {
			if (!r->ext->saved_valid) {
				route_vals_get(r, &r->ext->saved);
				r->ext->saved_valid = 1;
			}
			if (RoutePointer)
				*RoutePointer = r->info;
		}
		return api_leave(&c, o == LOCK_TAKEN ? NO_ERROR : err);
	}
}

DWORD WINAPI RtmUpdateAndUnlockRoute(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ROUTE_HANDLE RouteHandle, ULONG TimeToLive,
				     RTM_ROUTE_LIST_HANDLE RouteListHandle, RTM_NOTIFY_FLAGS NotifyType,
				     RTM_NOTIFY_HANDLE NotifyHandle, PRTM_ROUTE_CHANGE_FLAGS ChangeFlags)
{
	(void)NotifyType; /* reserved */
	(void)NotifyHandle;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 1);
	if (err)
		return err;
	rtm_table *t = c.t;
	route *r = route_lookup(RouteHandle, t);
	struct route_list *list = NULL;
	int excl;
	if (!r || !route_live(r))
		return api_leave(&c, ERROR_INVALID_HANDLE);
	if (r->owner != c.e)
		return api_leave(&c, ERROR_ACCESS_DENIED);
	client_lock *l = r->d->ext ? r->d->ext->lock : NULL;
	if (!l || !held_by(l, rtm_thread_self(), &excl) || !edit_valid(t, r))
		return api_leave(&c, ERROR_INVALID_PARAMETER);
	if (RouteListHandle && !(list = route_list_lookup(t, c.e, RouteListHandle)))
		return api_leave(&c, ERROR_INVALID_HANDLE);

	route_vals old;
	finish_edit(t, r, &old);
	DWORD flags = route_commit_in_place(t, r, &old);
	expiry_route_set(t, r, TimeToLive);
	if (list)
		route_list_move(r, list);
	pop_level(t, l);
	if (ChangeFlags)
		*ChangeFlags = flags;
	return api_leave(&c, NO_ERROR);
}

/* restore what a next hop's owner may not change, and apply the RemoteNextHop rule */
static void unlock_nexthop_edit(rtm_table *t, nexthop *n, const RTM_NEXTHOP_INFO *saved)
{
	RTM_NEXTHOP_INFO *i = &n->info;
	i->NextHopAddress = saved->NextHopAddress;
	i->NextHopOwner = saved->NextHopOwner;
	i->InterfaceIndex = saved->InterfaceIndex;
	i->State = saved->State;
	dest *remote = NULL;
	if ((i->Flags & RTM_NEXTHOP_FLAGS_REMOTE) && i->RemoteNextHop)
		remote = dest_lookup(i->RemoteNextHop, t);
	if (remote != n->remote) {
		if (remote)
			obj_hold(&remote->hdr);
		if (n->remote)
			obj_drop(t, &n->remote->hdr);
		n->remote = remote;
	}
	i->RemoteNextHop = remote ? remote->hdr.handle : NULL;
}

void lock_nexthop_end_edit(rtm_table *t, nexthop *n)
{
	client_lock *l = n->lock;
	if (l && l->nh_saved_valid) {
		unlock_nexthop_edit(t, n, &l->nh_saved);
		l->nh_saved_valid = 0;
	}
}

DWORD WINAPI RtmLockNextHop(RTM_ENTITY_HANDLE RtmRegHandle, RTM_NEXTHOP_HANDLE NextHopHandle, WINBOOL Exclusive,
			    WINBOOL LockNextHop, PRTM_NEXTHOP_INFO *NextHopPointer)
{
	api_ctx c;
	for (;;) {
		DWORD err = api_enter(&c, RtmRegHandle, 1);
		if (err)
			return err;
		nexthop *n = nexthop_lookup(NextHopHandle, c.t);
		int excl;
		if (!n)
			return api_leave(&c, ERROR_INVALID_HANDLE);
		if (!LockNextHop) {
			client_lock *l = n->lock;
			if (!l || !held_by(l, rtm_thread_self(), &excl))
				return api_leave(&c, ERROR_INVALID_PARAMETER);
			if (l->nh_saved_valid) {
				unlock_nexthop_edit(c.t, n, &l->nh_saved);
				l->nh_saved_valid = 0;
			}
			pop_level(c.t, l);
			return api_leave(&c, NO_ERROR);
		}
		if (!nexthop_live(n))
			return api_leave(&c, ERROR_NOT_FOUND);
		int owner = n->owner == c.e;
		if (NextHopPointer && !owner)
			return api_leave(&c, ERROR_ACCESS_DENIED);
		enum lock_outcome o = try_lock(c.t, &n->lock, &n->hdr, c.e, !!Exclusive, &err);
		if (o == LOCK_MUST_WAIT) {
			api_wait_lock(&c, &n->hdr, &n->lock, !!Exclusive);
			continue;
		}
		if (o == LOCK_TAKEN && owner) {
			if (!n->lock->nh_saved_valid) {
				n->lock->nh_saved = n->info;
				n->lock->nh_saved_valid = 1;
			}
			if (NextHopPointer)
				*NextHopPointer = &n->info;
		}
		return api_leave(&c, o == LOCK_TAKEN ? NO_ERROR : err);
	}
}

DWORD WINAPI RtmGetOpaqueInformationPointer(RTM_ENTITY_HANDLE RtmRegHandle, RTM_DEST_HANDLE DestHandle,
					    PVOID *OpaqueInfoPointer)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!OpaqueInfoPointer)
		return ERROR_INVALID_PARAMETER;
	/* the slot array is allocated on first use: exclusive */
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 1);
	if (err)
		return err;
	dest *d = dest_lookup(DestHandle, c.t);
	dest_ext *x;
	if (!d)
		err = ERROR_INVALID_HANDLE;
	else if (c.e->opaque_slot < 0)
		err = ERROR_NOT_FOUND;
	else if (!(x = dest_ext_get(d)))
		err = ERROR_NOT_ENOUGH_MEMORY;
	else
		*OpaqueInfoPointer = &x->opaque[c.e->opaque_slot];
	return api_leave(&c, err);
}

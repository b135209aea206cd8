/*
 * route.c - adding, updating and deleting routes; best-route changes.
 *
 * Every change to a destination follows one pattern: note each view's best
 * route before, change the route list, note them after, then classify the
 * change per view (spec functions-2 §3.0, concepts §11.2) and hand it to
 * change notification.  The classification only needs the touched route's
 * values before and after, because an operation changes one route.
 */
#include "route.h"
#include "expiry.h"
#include "lock.h"
#include "nexthop.h"
#include "notify.h"
#include "route_list.h"

#include <stdlib.h>
#include <string.h>

#define FULL_INFO_SIZE \
	(offsetof(RTM_ROUTE_INFO, NextHopsList.NextHops) + RTM_MAX_NEXTHOPS_IN_ROUTE * sizeof(RTM_NEXTHOP_HANDLE))

static void route_free_unused(rtm_table *t, route *r);

typedef struct best_set {
	route *best[RTM_NUMBER_OF_VIEWS];
} best_set;

static void best_get(const dest *d, best_set *b)
{
	for (unsigned v = 0; v < RTM_NUMBER_OF_VIEWS; v++)
		b->best[v] = dest_best(d, v, 1, 0);
}

int route_rank_before(const route *a, const route *b)
{
	const RTM_PREF_INFO *pa = &a->info->PrefInfo, *pb = &b->info->PrefInfo;
	if (pa->Preference != pb->Preference)
		return pa->Preference < pb->Preference;
	if (pa->Metric != pb->Metric)
		return pa->Metric < pb->Metric;
	return a->seq < b->seq;
}

static void list_insert_ranked(dest *d, route *r)
{
	route **pp = &d->routes;
	while (*pp && route_rank_before(*pp, r))
		pp = &(*pp)->next;
	r->next = *pp;
	*pp = r;
}

static void list_remove(dest *d, route *r)
{
	for (route **pp = &d->routes; *pp; pp = &(*pp)->next)
		if (*pp == r) {
			*pp = r->next;
			r->next = NULL;
			return;
		}
}

void route_vals_get(const route *r, route_vals *v)
{
	const RTM_ROUTE_INFO *i = r->info;
	/* no memset: every reader of v->nh stops at v->nh_count */
	v->neighbour = i->Neighbour;
	v->flags1 = i->Flags1;
	v->flags = i->Flags;
	v->pref = i->PrefInfo;
	v->views = i->BelongsToViews;
	v->esi = i->EntitySpecificInfo;
	/* an owner may have written anything in place (validated at commit and unlock) */
	v->nh_count = i->NextHopsList.NumNextHops <= RTM_MAX_NEXTHOPS_IN_ROUTE ? i->NextHopsList.NumNextHops
									      : RTM_MAX_NEXTHOPS_IN_ROUTE;
	if (v->nh_count == 1) /* the usual route: no call to memcpy */
		v->nh[0] = i->NextHopsList.NextHops[0];
	else
		memcpy(v->nh, i->NextHopsList.NextHops, v->nh_count * sizeof(HANDLE));
}

static int nexthops_equal(const route_vals *a, const route_vals *b)
{
	return a->nh_count == b->nh_count && !memcmp(a->nh, b->nh, a->nh_count * sizeof(HANDLE));
}

/*
 * change_of_best - what a change of the best route (same route before and
 * after) means, from its values before and after.
 */
static DWORD change_of_best(const route_vals *o, const route_vals *n)
{
	if (o->pref.Metric != n->pref.Metric || o->pref.Preference != n->pref.Preference ||
	    !nexthops_equal(o, n) || ((o->flags ^ n->flags) & RTM_ROUTE_FLAGS_FORWARDING))
		return RTM_CHANGE_TYPE_ALL | RTM_CHANGE_TYPE_BEST | RTM_CHANGE_TYPE_FORWARDING;
	if (o->flags != n->flags)
		return RTM_CHANGE_TYPE_ALL | RTM_CHANGE_TYPE_BEST;
	if (o->neighbour != n->neighbour || o->flags1 != n->flags1 || o->esi != n->esi)
		return RTM_CHANGE_TYPE_ALL;
	return 0;
}

static int vals_differ(const route_vals *o, const route_vals *n)
{
	return o->views != n->views || change_of_best(o, n) != 0;
}

/*
 * classify - per-view change bits of one operation on route r.
 * old: r's values before (NULL if r did not exist or was not live);
 * now: its values after (NULL if it is no longer live).
 */
static void classify(const best_set *before, const best_set *after, const route *r, const route_vals *old,
		     const route_vals *now, DWORD change[RTM_NUMBER_OF_VIEWS])
{
	for (unsigned v = 0; v < RTM_NUMBER_OF_VIEWS; v++) {
		DWORD bit = 1u << v;
		int in_before = old && (old->views & bit), in_after = now && (now->views & bit);
		change[v] = 0;
		if (before->best[v] != after->best[v])
			change[v] = RTM_CHANGE_TYPE_ALL | RTM_CHANGE_TYPE_BEST | RTM_CHANGE_TYPE_FORWARDING;
		else if (after->best[v] == r && old && now) {
			change[v] = change_of_best(old, now);
			/* still best here but now in other views too, or fewer: BelongsToViews is observable */
			if (!change[v] && old->views != now->views)
				change[v] = RTM_CHANGE_TYPE_ALL;
		} else if ((in_before || in_after) && (!old || !now || vals_differ(old, now)))
			change[v] = RTM_CHANGE_TYPE_ALL;
	}
}

static int any_change(const DWORD change[RTM_NUMBER_OF_VIEWS])
{
	for (unsigned v = 0; v < RTM_NUMBER_OF_VIEWS; v++)
		if (change[v])
			return 1;
	return 0;
}

static void record_change(rtm_table *t, dest *d, const DWORD change[RTM_NUMBER_OF_VIEWS])
{
	if (!any_change(change))
		return;
	dest_touch(d);
	notify_dest_changed(t, d, change);
}

/* the RTM_ROUTE_CHANGE_BEST rule of spec functions-1 §7.1 */
static DWORD best_flag(const best_set *before, const best_set *after, const route *r)
{
	for (unsigned v = 0; v < RTM_NUMBER_OF_VIEWS; v++)
		if (before->best[v] != after->best[v] || before->best[v] == r || after->best[v] == r)
			return RTM_ROUTE_CHANGE_BEST;
	return 0;
}

route_ext *route_ext_get(route *r)
{
	if (!r->ext)
		r->ext = calloc(1, sizeof(*r->ext));
	return r->ext;
}

int route_make_full(route *r)
{
	if (r->full)
		return 1;
	RTM_ROUTE_INFO *info = malloc(FULL_INFO_SIZE);
	if (!info)
		return 0;
	memset(info, 0, FULL_INFO_SIZE);
	memcpy(info, r->info, offsetof(RTM_ROUTE_INFO, NextHopsList.NextHops) +
				      r->info->NextHopsList.NumNextHops * sizeof(HANDLE));
	r->info = info;
	r->full = 1;
	return 1;
}

/* RTM's own references on the neighbour and next hops named by v */
static void hold_nexthops(rtm_table *t, const route_vals *v)
{
	if (v->neighbour)
		obj_hold(handle_lookup_any(v->neighbour, OBJ_NEXTHOP, t));
	for (USHORT i = 0; i < v->nh_count; i++)
		obj_hold(handle_lookup_any(v->nh[i], OBJ_NEXTHOP, t));
}

static void drop_nexthops(rtm_table *t, const route_vals *v)
{
	rtm_obj *o;
	if (v->neighbour && (o = handle_lookup_any(v->neighbour, OBJ_NEXTHOP, t)))
		obj_drop(t, o);
	for (USHORT i = 0; i < v->nh_count; i++)
		if ((o = handle_lookup_any(v->nh[i], OBJ_NEXTHOP, t)))
			obj_drop(t, o);
}

/* copy the members a client may set into r's public structure */
static void route_set_vals(route *r, const route_vals *v)
{
	RTM_ROUTE_INFO *i = r->info;
	i->Neighbour = v->neighbour;
	i->Flags1 = v->flags1;
	i->Flags = v->flags;
	i->PrefInfo = v->pref;
	i->BelongsToViews = v->views;
	i->EntitySpecificInfo = v->esi;
	i->NextHopsList.NumNextHops = v->nh_count;
	memcpy(i->NextHopsList.NextHops, v->nh, v->nh_count * sizeof(HANDLE));
}

static route *route_create(rtm_table *t, entity *owner, dest *d)
{
	route *r = slab_alloc(&t->route_slab);
	if (!r)
		return NULL;
	if (handle_assign(&r->hdr, OBJ_ROUTE, t) < 0) {
		slab_free(&t->route_slab, r);
		return NULL;
	}
	r->d = d;
	r->owner = owner;
	r->seq = ++t->route_seq;
	r->info = &r->inline_info;
	r->info->DestHandle = d->hdr.handle;
	r->info->RouteOwner = owner->hdr.handle;
	r->info->State = RTM_ROUTE_STATE_CREATED;
	obj_hold(&d->hdr);
	obj_hold(&owner->hdr);
	obj_link(&r->hdr); /* in its destination's list */
	return r;
}

/*
 * check_new_vals - validate a client's route content (spec functions-1 §7.1)
 * and translate it into route_vals.
 */
static DWORD check_new_vals(rtm_table *t, const entity *owner, const RTM_ROUTE_INFO *in, route_vals *v)
{
	memset(v, 0, sizeof(*v));
	if (in->NextHopsList.NumNextHops > RTM_MAX_NEXTHOPS_IN_ROUTE)
		return ERROR_INVALID_PARAMETER;
	if (in->Neighbour && !nexthop_lookup(in->Neighbour, t))
		return ERROR_INVALID_HANDLE;
	for (USHORT i = 0; i < in->NextHopsList.NumNextHops; i++) {
		nexthop *n = nexthop_lookup(in->NextHopsList.NextHops[i], t);
		if (!n)
			return ERROR_INVALID_HANDLE;
		if (n->owner != owner || !nexthop_live(n))
			return ERROR_INVALID_PARAMETER;
	}
	v->neighbour = in->Neighbour;
	v->flags1 = in->Flags1;
	v->flags = in->Flags;
	v->pref = in->PrefInfo;
	v->views = table_mask_views(in->BelongsToViews);
	v->esi = in->EntitySpecificInfo;
	v->nh_count = in->NextHopsList.NumNextHops;
	memcpy(v->nh, in->NextHopsList.NextHops, v->nh_count * sizeof(HANDLE));
	return NO_ERROR;
}

static route *match_route(const dest *d, const entity *owner, DWORD flags, HANDLE neighbour)
{
	if (flags & RTM_ROUTE_CHANGE_NEW)
		return NULL;
	for (route *r = d->routes; r; r = r->next)
		if (r->owner == owner && ((flags & RTM_ROUTE_CHANGE_FIRST) || r->info->Neighbour == neighbour))
			return r;
	return NULL;
}

/*
 * route_commit - re-rank r after its values changed from old (NULL: r is
 * new), classify and record the change, and report RTM_ROUTE_CHANGE_BEST.
 */
static DWORD route_commit(rtm_table *t, route *r, const best_set *before, const route_vals *old)
{
	dest *d = r->d;
	list_remove(d, r);
	list_insert_ranked(d, r);
	dest_update_views(d);
	best_set after;
	best_get(d, &after);
	route_vals now;
	route_vals_get(r, &now);
	DWORD change[RTM_NUMBER_OF_VIEWS];
	classify(before, &after, r, old, &now, change);
	record_change(t, d, change);
	return best_flag(before, &after, r);
}

static DWORD add_or_update(api_ctx *c, route *r, dest *d, const route_vals *v, ULONG ttl,
			   struct route_list *list, DWORD *out_flags, route **result)
{
	rtm_table *t = c->t;
	best_set before;
	best_get(d, &before);
	DWORD flags = 0;
	route_vals old;
	if (r) {
		lock_route_end_edit(t, r); /* the update replaces an uncommitted in-place edit */
		route_vals_get(r, &old);
		if (v->nh_count > 1 && !route_make_full(r))
			return ERROR_NOT_ENOUGH_MEMORY;
		hold_nexthops(t, v);
		drop_nexthops(t, &old);
	} else {
		r = route_create(t, c->e, d);
		if (!r || (v->nh_count > 1 && !route_make_full(r))) {
			if (r)
				route_free_unused(t, r);
			return ERROR_NOT_ENOUGH_MEMORY;
		}
		hold_nexthops(t, v);
		flags |= RTM_ROUTE_CHANGE_NEW;
	}
	route_set_vals(r, v);
	flags |= route_commit(t, r, &before, flags & RTM_ROUTE_CHANGE_NEW ? NULL : &old);
	expiry_route_set(t, r, ttl);
	if (list)
		route_list_move(r, list);
	*out_flags = flags;
	*result = r;
	return NO_ERROR;
}

DWORD WINAPI RtmAddRouteToDest(RTM_ENTITY_HANDLE RtmRegHandle, PRTM_ROUTE_HANDLE RouteHandle,
			       PRTM_NET_ADDRESS DestAddress, PRTM_ROUTE_INFO RouteInfo, ULONG TimeToLive,
			       RTM_ROUTE_LIST_HANDLE RouteListHandle, RTM_NOTIFY_FLAGS NotifyType,
			       RTM_NOTIFY_HANDLE NotifyHandle, PRTM_ROUTE_CHANGE_FLAGS ChangeFlags)
{
	(void)NotifyType; /* reserved */
	(void)NotifyHandle;
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	HANDLE given = RouteHandle ? *RouteHandle : NULL;
	DWORD in_flags = ChangeFlags && !given ? *ChangeFlags : 0;
	if (!RouteInfo || (!given && !DestAddress))
		return ERROR_INVALID_PARAMETER;
	if ((in_flags & RTM_ROUTE_CHANGE_FIRST) && (in_flags & RTM_ROUTE_CHANGE_NEW))
		return ERROR_INVALID_PARAMETER;
	if (RouteInfo->NextHopsList.NumNextHops > RTM_MAX_NEXTHOPS_IN_ROUTE)
		return ERROR_INVALID_PARAMETER;

	api_ctx c;
retry:;
	DWORD err = api_enter(&c, RtmRegHandle, 1);
	if (err)
		return err;
	rtm_table *t = c.t;
	route *r = NULL;
	dest *d = NULL;
	struct route_list *list = NULL;
	route_vals v;
	if (given) {
		r = route_lookup(given, t);
		if (!r || !route_live(r))
			return api_leave(&c, ERROR_INVALID_HANDLE);
		if (r->owner != c.e)
			return api_leave(&c, ERROR_ACCESS_DENIED);
		d = r->d;
	} else if (!table_check_address(t, DestAddress)) {
		return api_leave(&c, ERROR_INVALID_PARAMETER);
	}
	err = check_new_vals(t, c.e, RouteInfo, &v);
	if (!err && RouteListHandle && !(list = route_list_lookup(t, c.e, RouteListHandle)))
		err = ERROR_INVALID_HANDLE;
	if (err)
		return api_leave(&c, err);
	if (!d) {
		uint8_t key[PT_MAX_KEY_BYTES];
		table_canonical_key(t, DestAddress, key);
		if (!(d = dest_get_or_create(t, key, DestAddress->NumBits)))
			return api_leave(&c, ERROR_NOT_ENOUGH_MEMORY);
		r = match_route(d, c.e, in_flags, v.neighbour);
	}
	if (api_wait_if_locked(&c, &d->hdr, 1))
		goto retry;

	DWORD out_flags = 0;
	obj_ref(&d->hdr); /* d may be brand new: keep it through a failure */
	err = add_or_update(&c, r, d, &v, TimeToLive, list, &out_flags, &r);
	obj_unref_internal(&d->hdr);
	if (obj_dead(&d->hdr))
		table_queue_reap(t, &d->hdr);
	if (!err) {
		if (ChangeFlags)
			*ChangeFlags = out_flags;
		if (RouteHandle && !given) {
			obj_ref(&r->hdr);
			*RouteHandle = r->hdr.handle;
		}
	}
	return api_leave(&c, err);
}

/* start the hold-down of every view where r was the last live route (spec functions-1 §7.2) */
static void start_holds(rtm_table *t, dest *d, route *r, DWORD change[RTM_NUMBER_OF_VIEWS])
{
	dest_ext *x = d->ext;
	if (!x || !x->hold_views)
		return;
	for (unsigned v = 0; v < RTM_NUMBER_OF_VIEWS; v++) {
		DWORD bit = 1u << v;
		if (!(x->hold_views & bit) || !(r->info->BelongsToViews & bit) || dest_best(d, v, 1, 0))
			continue;
		route *old = x->held[v];
		if (old != r) {
			x->held[v] = r;
			r->held_views |= (uint8_t)bit;
			obj_hold(&r->hdr);
			if (old) {
				old->held_views &= (uint8_t)~bit;
				obj_drop(t, &old->hdr);
			}
		}
		change[v] |= RTM_CHANGE_TYPE_ALL | RTM_CHANGE_TYPE_BEST;
		expiry_hold_started(t, d, v);
	}
}

DWORD route_delete(rtm_table *t, route *r, DWORD *change_flags)
{
	dest *d = r->d;
	lock_route_end_edit(t, r); /* RTM's links follow the edited next hops, a corrupt edit is undone */
	best_set before, after;
	best_get(d, &before);
	route_vals old;
	route_vals_get(r, &old);

	r->info->State = RTM_ROUTE_STATE_DELETING;
	expiry_route_cancel(t, r);
	route_list_remove(r);
	list_remove(d, r);
	dest_update_views(d);
	r->info->State = RTM_ROUTE_STATE_DELETED;

	best_get(d, &after);
	DWORD change[RTM_NUMBER_OF_VIEWS];
	classify(&before, &after, r, &old, NULL, change);
	start_holds(t, d, r, change);
	record_change(t, d, change);
	if (change_flags)
		*change_flags = best_flag(&before, &after, r);
	obj_unlink(&r->hdr); /* out of its destination's list */
	if (obj_dead(&r->hdr))
		table_queue_reap(t, &r->hdr);
	return NO_ERROR;
}

DWORD WINAPI RtmDeleteRouteToDest(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ROUTE_HANDLE RouteHandle,
				  PRTM_ROUTE_CHANGE_FLAGS ChangeFlags)
{
	api_ctx c;
	DWORD err;
	route *r = (route *)api_enter_object(&c, RtmRegHandle, 1, RouteHandle, OBJ_ROUTE, &err);
	if (!r)
		return err;
	if (r->owner != c.e)
		return api_leave(&c, ERROR_ACCESS_DENIED);
	if (!route_live(r))
		return api_leave(&c, ERROR_NOT_FOUND);
	DWORD flags = 0;
	route_delete(c.t, r, &flags);
	if (ChangeFlags)
		*ChangeFlags = flags;
	/* the caller's handle is consumed on success */
	obj_unref_internal(&r->hdr);
	if (obj_dead(&r->hdr))
		table_queue_reap(c.t, &r->hdr);
	return api_leave(&c, NO_ERROR);
}

/* frees a route created by a call that then failed */
static void route_free_unused(rtm_table *t, route *r)
{
	r->info->NextHopsList.NumNextHops = 0;
	r->info->Neighbour = NULL;
	obj_unlink(&r->hdr);
	route_free(t, r);
}

void route_free(rtm_table *t, route *r)
{
	route_vals v;
	route_vals_get(r, &v);
	drop_nexthops(t, &v);
	obj_drop(t, &r->d->hdr);
	obj_drop(t, &r->owner->hdr);
	handle_retire(&r->hdr);
	if (r->full)
		free(r->info);
	free(r->ext);
	slab_free(&t->route_slab, r);
}

DWORD WINAPI RtmHoldDestination(RTM_ENTITY_HANDLE RtmRegHandle, RTM_DEST_HANDLE DestHandle, RTM_VIEW_SET TargetViews,
				ULONG HoldTime)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (HoldTime == 0)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 1);
	if (err)
		return err;
	dest *d = dest_lookup(DestHandle, c.t);
	dest_ext *x;
	if (!d)
		err = ERROR_INVALID_HANDLE;
	else if (!(x = dest_ext_get(d)))
		err = ERROR_NOT_ENOUGH_MEMORY;
	else {
		/* a permanent mark that only widens (spec functions-1 §7.3) */
		DWORD views = table_mask_views(TargetViews);
		x->hold_views |= views ? views : RTM_VIEWS_SUPPORTED;
		if (HoldTime > x->hold_time)
			x->hold_time = HoldTime;
	}
	return api_leave(&c, err);
}

void route_hold_end(rtm_table *t, dest *d, unsigned view)
{
	dest_ext *x = d->ext;
	route *r = x ? x->held[view] : NULL;
	if (!r)
		return;
	x->held[view] = NULL;
	r->held_views &= (uint8_t) ~(1u << view);
	DWORD change[RTM_NUMBER_OF_VIEWS] = { 0 };
	change[view] = RTM_CHANGE_TYPE_ALL | RTM_CHANGE_TYPE_BEST;
	record_change(t, d, change);
	obj_drop(t, &r->hdr);
}

DWORD route_commit_in_place(rtm_table *t, route *r, const route_vals *old)
{
	/* the list is still ranked by the values before the edit; only r's
	 * membership of views may already show the edit */
	best_set before;
	for (unsigned v = 0; v < RTM_NUMBER_OF_VIEWS; v++) {
		before.best[v] = NULL;
		for (route *x = r->d->routes; x && !before.best[v]; x = x->next)
			if ((x == r ? old->views : x->info->BelongsToViews) & (1u << v))
				before.best[v] = x;
	}
	r->info->BelongsToViews = table_mask_views(r->info->BelongsToViews);
	return route_commit(t, r, &before, old);
}

void route_keep_uncommitted(route *r)
{
	r->info->BelongsToViews = table_mask_views(r->info->BelongsToViews);
	dest_update_views(r->d);
}

/*
 * enum_route.c - route enumerations: RtmCreateRouteEnum, RtmGetEnumRoutes
 * (spec functions-2 §2.4, §2.5).
 *
 * Route order (§0.12) is destination key order, then within a destination
 * its live routes in rank order (Preference, Metric, age: the order of
 * d->routes), then - only for TargetViews 0 - its hold-down routes, the
 * oldest hold first, a route held in several views once.
 *
 * The position is a copy, never a pointer: the key of the destination of the
 * last route returned, and where in that destination it stood (the rank
 * triple of a live route, or the sequence numbers of the hold-down routes
 * already returned there).  A batch seeks to that destination (inclusive),
 * finishes it from after that rank, then walks on in key order.  A route
 * whose rank changes between two batches may be skipped or returned again
 * (accepted by §0.12); nothing else is.
 *
 * An enumeration of one destination (DestHandle) keeps a reference on it,
 * so the object, and with it the prefix's identity, lasts as long as the
 * enumeration; it needs no key, only the in-destination position.
 */
#include "enum.h"
#include "lock.h"
#include "route.h"

#include <stdlib.h>
#include <string.h>

#define ROUTE_ENUM_FLAGS (ENUM_POSITION_FLAGS | RTM_ENUM_OWN_ROUTES)
/* criteria that read CriteriaRoute */
#define MATCH_NEEDS_ROUTE (RTM_MATCH_OWNER | RTM_MATCH_NEIGHBOUR | RTM_MATCH_PREF | RTM_MATCH_NEXTHOP)

typedef struct route_enum {
	enum_obj base;    /* first: the enumeration is freed through it */
	dest *d;          /* one destination's routes (referenced), or NULL: the table */
	DWORD views;      /* effective TargetViews, 0 = any, hold-down routes too */
	uint8_t own;      /* RTM_ENUM_OWN_ROUTES */
	match_criteria m; /* MatchingFlags and their criteria, m.views = views */
	enum_pos pos;     /* key of the destination of the last route returned */
	/* where that route stood in its destination */
	uint8_t in_held;  /* it was a hold-down route */
	uint8_t held_count;
	uint64_t held_seq[RTM_NUMBER_OF_VIEWS]; /* hold-down routes returned there */
	ULONG pref, metric;                     /* rank of the last live route returned */
	uint64_t seq;
} route_enum;

static void route_enum_destroy(rtm_table *t, enum_obj *en)
{
	route_enum *re = (route_enum *)en;
	if (re->d) {
		obj_unref_internal(&re->d->hdr);
		if (obj_dead(&re->d->hdr))
			table_queue_reap(t, &re->d->hdr);
	}
	free(re);
}

/* the checks of step 4 (§0.2) and the criteria copy; caller holds the lock */
static DWORD fill_criteria(route_enum *re, RTM_VIEW_SET target, RTM_ENUM_FLAGS flags, RTM_MATCH_FLAGS match,
			   const RTM_ROUTE_INFO *crit, ULONG ifindex)
{
	DWORD err = enum_check_views(target, &re->views);
	if (err)
		return err;
	if ((flags & ~(RTM_ENUM_FLAGS)ROUTE_ENUM_FLAGS) || (match & ~(RTM_MATCH_FLAGS)RTM_MATCH_FULL))
		return ERROR_INVALID_PARAMETER;
	if ((match & RTM_MATCH_NEXTHOP) && crit->NextHopsList.NumNextHops > RTM_MAX_NEXTHOPS_IN_ROUTE)
		return ERROR_INVALID_PARAMETER;
	re->own = (flags & RTM_ENUM_OWN_ROUTES) != 0;
	re->m.flags = match;
	re->m.ifindex = ifindex;
	re->m.views = re->views;
	if (match & MATCH_NEEDS_ROUTE) {
		re->m.owner = crit->RouteOwner;
		re->m.neighbour = crit->Neighbour;
		re->m.pref = crit->PrefInfo;
	}
	if (match & RTM_MATCH_NEXTHOP) {
		re->m.nh_count = crit->NextHopsList.NumNextHops;
		memcpy(re->m.nh, crit->NextHopsList.NextHops, re->m.nh_count * sizeof(HANDLE));
	}
	return NO_ERROR;
}

DWORD WINAPI RtmCreateRouteEnum(RTM_ENTITY_HANDLE RtmRegHandle, RTM_DEST_HANDLE DestHandle, RTM_VIEW_SET TargetViews,
				RTM_ENUM_FLAGS EnumFlags, PRTM_NET_ADDRESS StartDest, RTM_MATCH_FLAGS MatchingFlags,
				PRTM_ROUTE_INFO CriteriaRoute, ULONG CriteriaInterface, PRTM_ENUM_HANDLE RtmEnumHandle)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	int walk_from = !DestHandle && (EnumFlags & ENUM_POSITION_FLAGS);
	if (!RtmEnumHandle || (walk_from && !StartDest) || ((MatchingFlags & MATCH_NEEDS_ROUTE) && !CriteriaRoute))
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 1);
	if (err)
		return err;
	dest *d = NULL;
	if (DestHandle && !(d = dest_lookup(DestHandle, c.t)))
		return api_leave(&c, ERROR_INVALID_HANDLE);
	route_enum *re = calloc(1, sizeof(*re));
	if (!re)
		return api_leave(&c, ERROR_NOT_ENOUGH_MEMORY);
	err = fill_criteria(re, TargetViews, EnumFlags, MatchingFlags, CriteriaRoute, CriteriaInterface);
	if (!err && walk_from && !table_check_address(c.t, StartDest))
		err = ERROR_INVALID_PARAMETER;
	if (err) {
		free(re);
		return api_leave(&c, err);
	}
	enum_pos_init(&re->pos, c.t, d ? RTM_ENUM_START : EnumFlags, StartDest);
	err = enum_publish(&c, &re->base, route_enum_destroy, RtmEnumHandle);
	if (!err && d) {
		re->d = d;
		obj_ref(&d->hdr);
	}
	return api_leave(&c, err);
}

static int selected(const route_enum *re, rtm_table *t, const entity *caller, const route *r)
{
	return (!re->own || r->owner == caller) && route_matches(t, r, &re->m);
}

/* does live route r rank after the last live route returned? */
static int after_last(const route_enum *re, const route *r)
{
	const RTM_PREF_INFO *p = &r->info->PrefInfo;
	if (p->Preference != re->pref)
		return p->Preference > re->pref;
	if (p->Metric != re->metric)
		return p->Metric > re->metric;
	return r->seq > re->seq;
}

static int held_returned(const route_enum *re, const route *r)
{
	for (unsigned i = 0; i < re->held_count; i++)
		if (re->held_seq[i] == r->seq)
			return 1;
	return 0;
}

/* d's distinct hold-down routes, oldest hold first (the earliest end: holds only lengthen) */
static unsigned held_routes(const dest *d, route *out[RTM_NUMBER_OF_VIEWS])
{
	const dest_ext *x = d->ext;
	uint64_t end[RTM_NUMBER_OF_VIEWS];
	unsigned n = 0;
	if (!x)
		return 0;
	for (unsigned v = 0; v < RTM_NUMBER_OF_VIEWS; v++) {
		route *r = x->held[v];
		unsigned i = 0;
		while (i < n && out[i] != r)
			i++;
		if (!r || i < n)
			continue; /* none, or held in an earlier view too */
		for (i = n++; i > 0 && end[i - 1] > x->hold_until[v]; i--) {
			out[i] = out[i - 1];
			end[i] = end[i - 1];
		}
		out[i] = r;
		end[i] = x->hold_until[v];
	}
	return n;
}

/* record r as the last route returned, at d */
static void note(route_enum *re, const dest *d, const route *r, int held, int *fresh)
{
	if (*fresh) {
		enum_pos_set(&re->pos, d->node.key, d->node.len);
		re->held_count = 0;
		*fresh = 0;
	}
	re->in_held = (uint8_t)held;
	if (held) {
		re->held_seq[re->held_count++] = r->seq;
	} else {
		re->pref = r->info->PrefInfo.Preference;
		re->metric = r->info->PrefInfo.Metric;
		re->seq = r->seq;
	}
}

/*
 * collect - up to room selected routes of d, in route order, after the
 * position when resume (the last route returned was at d).
 */
static UINT collect(route_enum *re, rtm_table *t, const entity *caller, const dest *d, int resume,
		    RTM_ROUTE_HANDLE *out, UINT room)
{
	UINT got = 0;
	int fresh = !resume;
	if (!(resume && re->in_held))
		for (route *r = d->routes; r && got < room; r = r->next) {
			if ((resume && !after_last(re, r)) || !selected(re, t, caller, r))
				continue;
			obj_ref(&r->hdr);
			out[got++] = r->hdr.handle;
			note(re, d, r, 0, &fresh);
		}
	if (re->views)
		return got;
	route *held[RTM_NUMBER_OF_VIEWS];
	unsigned n = held_routes(d, held);
	for (unsigned i = 0; i < n && got < room; i++) {
		if ((!fresh && held_returned(re, held[i])) || !selected(re, t, caller, held[i]))
			continue;
		obj_ref(&held[i]->hdr);
		out[got++] = held[i]->hdr.handle;
		note(re, d, held[i], 1, &fresh);
	}
	return got;
}

DWORD WINAPI RtmGetEnumRoutes(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ENUM_HANDLE EnumHandle, PUINT NumRoutes,
			      PRTM_ROUTE_HANDLE RouteHandles)
{
	enum_batch b;
	DWORD err = enum_batch_begin(&b, RtmRegHandle, EnumHandle, route_enum_destroy, NumRoutes, RouteHandles);
	if (err || !b.en)
		return err;
	route_enum *re = (route_enum *)b.en;
	rtm_table *t = b.c.t;
	UINT want = *NumRoutes, got = 0;
	if (re->d) {
		while (!re->pos.done && lock_blocks(t, DEST_LOCK_SLOT(re->d), 0))
			if ((err = enum_batch_wait(&b, &re->d->hdr, DEST_LOCK_SLOT(re->d))) != NO_ERROR)
				goto failed;
		if (!re->pos.done)
			got = collect(re, t, b.c.e, re->d, re->pos.started, RouteHandles, want);
	} else {
	again:;
		pt_node *n = enum_pos_resume(&re->pos, &t->tree, 1);
		int resume = n && re->pos.started && n->len == re->pos.len &&
			     !memcmp(n->key, re->pos.key, PT_MAX_KEY_BYTES);
		for (; n && got < want; n = pt_next(&t->tree, n), resume = 0) {
			if (!enum_pos_in_range(&re->pos, n->key, n->len))
				break;
			enum_prefetch_children(n);
			dest *d = dest_of_node(n);
			if (lock_blocks(t, DEST_LOCK_SLOT(d), 0)) {
				/* another thread's client lock: wait, then resume after the last route returned */
				if ((err = enum_batch_wait(&b, &d->hdr, DEST_LOCK_SLOT(d))) != NO_ERROR)
					goto failed;
				goto again;
			}
			got += collect(re, t, b.c.e, d, resume, RouteHandles + got, want - got);
		}
	}
	*NumRoutes = got;
	return enum_batch_end(&b, enum_batch_status(&re->pos, got, want));

failed: /* the caller deregistered while the batch waited */
	table_wrlock(t);
	(void)table_release_array(t, OBJ_ROUTE, got, RouteHandles);
	table_reap(t);
	table_wrunlock(t);
	*NumRoutes = 0;
	return enum_batch_abort(&b, err);
}

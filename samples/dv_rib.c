/*
 * dv_rib.c - the dv protocol's side of RTM.
 *
 * RTM is dv's routing information base: dv keeps no route table of its own.
 * Each configured neighbour is one next hop (its address, the interface),
 * created when the interface comes up.  A route heard from neighbour N is
 * added with Neighbour = N's next hop and NextHops = { N's next hop }, so
 * RTM's identity rule (destination, owner, neighbour) makes every periodic
 * repetition an update of the same route, which restarts its time-to-live:
 * a neighbour that falls silent loses its routes when the TTL runs out, and
 * the RTM_ROUTE_EXPIRED callback answers ERROR_NOT_SUPPORTED ("delete it for
 * me").  Routes from several neighbours for one prefix live side by side in
 * RTM, which picks the best (preference, then metric).
 *
 * What dv announces is read back from RTM: the best unicast route of every
 * destination, if dv owns it or its owner's protocol is in the configured
 * announce list (redistribution).  Change notification (best-route changes
 * in the unicast view) wakes the worker for a triggered update.
 *
 * All functions but the callback run on the worker thread with `lock` held.
 */
#include "dv.h"

#include <stdlib.h>
#include <string.h>

typedef union dv_route_buf {
	RTM_ROUTE_INFO info;
	BYTE bytes[RTM_SIZE_OF_ROUTE_INFO(8)];
} dv_route_buf;

DWORD WINAPI dv_rtm_event(RTM_ENTITY_HANDLE reg, RTM_EVENT_TYPE type, PVOID context1, PVOID context2)
{
	(void)reg, (void)context1, (void)context2;
	switch (type) {
	case RTM_ROUTE_EXPIRED:
		InterlockedIncrement((volatile LONG *)&S.stats.RoutesExpired);
		InterlockedExchange(&S.changed, 1);
		SetEvent(S.wake);
		return ERROR_NOT_SUPPORTED; /* RTM deletes it */
	case RTM_CHANGE_NOTIFICATION:
		InterlockedExchange(&S.changed, 1);
		SetEvent(S.wake);
		return NO_ERROR;
	default:
		return NO_ERROR;
	}
}

void dv_rib_neighbors_up(dv_iface *i)
{
	for (DWORD k = 0; k < i->cfg.NumNeighbors; k++) {
		dv_neighbor *n = &i->neighbors[k];
		if (n->nexthop)
			continue;
		RTM_NEXTHOP_INFO nh;
		memset(&nh, 0, sizeof(nh));
		kit_net_address(&nh.NextHopAddress, n->cfg.Address, 32);
		nh.InterfaceIndex = i->index;
		DWORD st = RtmAddNextHop(S.rtm, &nh, &n->nexthop, NULL);
		if (st != NO_ERROR) {
			kit_log(WHO, "RtmAddNextHop failed: %lu", st);
			n->nexthop = NULL;
		}
	}
}

static BOOL delete_route(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE route, void *ctx)
{
	(void)ctx;
	return RtmDeleteRouteToDest(reg, route, NULL) == NO_ERROR;
}

/* every route of ours whose neighbour is this next hop */
static void delete_routes_via(RTM_NEXTHOP_HANDLE nexthop)
{
	dv_route_buf criteria;
	memset(&criteria, 0, sizeof(criteria));
	criteria.info.Neighbour = nexthop;
	RTM_ENUM_HANDLE e;
	if (RtmCreateRouteEnum(S.rtm, NULL, RTM_VIEW_MASK_ANY, RTM_ENUM_OWN_ROUTES, NULL, RTM_MATCH_NEIGHBOUR,
			       &criteria.info, 0, &e) != NO_ERROR)
		return;
	kit_walk_routes(S.rtm, &S.profile, e, delete_route, NULL);
	RtmDeleteEnumHandle(S.rtm, e);
}

void dv_rib_neighbors_down(dv_iface *i)
{
	for (DWORD k = 0; k < i->cfg.NumNeighbors; k++) {
		dv_neighbor *n = &i->neighbors[k];
		if (!n->nexthop)
			continue;
		delete_routes_via(n->nexthop);
		if (RtmDeleteNextHop(S.rtm, n->nexthop, NULL) != NO_ERROR)
			RtmReleaseNextHops(S.rtm, 1, &n->nexthop);
		n->nexthop = NULL;
	}
}

void dv_rib_delete_all(void)
{
	for (unsigned k = 0; k < S.nifaces; k++)
		dv_rib_neighbors_down(&S.ifaces[k]);
}

void dv_rib_learn(dv_iface *i, dv_neighbor *n, DWORD dest, unsigned len, DWORD metric)
{
	if (!n->nexthop)
		return;
	RTM_NET_ADDRESS addr;
	kit_net_address(&addr, dest & RTM_IPV4_MASK_FROM_LEN(len), len);
	DWORD total = metric + i->cfg.Cost;
	if (metric >= SAMPLE_DV_INFINITY || total >= SAMPLE_DV_INFINITY) {
		/* unreachable through n: forget what n told us before */
		dv_route_buf criteria;
		memset(&criteria, 0, sizeof(criteria));
		criteria.info.RouteOwner = S.rtm;
		criteria.info.Neighbour = n->nexthop;
		RTM_ROUTE_HANDLE route;
		if (RtmGetExactMatchRoute(S.rtm, &addr, RTM_MATCH_OWNER | RTM_MATCH_NEIGHBOUR, &criteria.info, 0,
					  RTM_VIEW_MASK_ANY, &route) == NO_ERROR &&
		    RtmDeleteRouteToDest(S.rtm, route, NULL) != NO_ERROR)
			RtmReleaseRoutes(S.rtm, 1, &route);
		return;
	}
	dv_route_buf r;
	memset(&r, 0, sizeof(r));
	r.info.Neighbour = n->nexthop;
	r.info.PrefInfo.Preference = S.cfg.Preference;
	r.info.PrefInfo.Metric = total;
	r.info.BelongsToViews = RTM_VIEW_MASK_UCAST;
	r.info.Flags = RTM_ROUTE_FLAGS_REMOTE;
	r.info.NextHopsList.NumNextHops = 1;
	r.info.NextHopsList.NextHops[0] = n->nexthop;
	DWORD st = RtmAddRouteToDest(S.rtm, NULL, &addr, &r.info, S.cfg.TimeoutMs, NULL, 0, NULL, NULL);
	if (st != NO_ERROR) {
		char p[20];
		kit_log(WHO, "RtmAddRouteToDest %s failed: %lu", kit_prefix(p, dest, len), st);
	}
}

static void count_dest(RTM_ENTITY_HANDLE reg, PRTM_DEST_INFO dest, void *ctx)
{
	(void)reg, (void)dest;
	(*(unsigned *)ctx)++;
}

BOOL dv_rib_drain_changes(void)
{
	unsigned changed = 0;
	kit_walk_dests(S.rtm, &S.profile, NULL, S.notify, count_dest, &changed);
	return changed > 0;
}

static BOOL announced_protocol(RTM_ENTITY_HANDLE owner)
{
	if (owner == S.rtm)
		return TRUE;
	RTM_ENTITY_INFO ei;
	if (RtmGetEntityInfo(S.rtm, owner, &ei) != NO_ERROR)
		return FALSE;
	for (DWORD k = 0; k < S.cfg.NumAnnounce; k++)
		if (S.cfg.Announce[k] == ei.EntityId.EntityProtocolId)
			return TRUE;
	return FALSE;
}

/* the announced metric and split-horizon interface of a best route */
static BOOL announce_route(RTM_ROUTE_HANDLE route, dv_entry *e)
{
	dv_route_buf r;
	if (RtmGetRouteInfo(S.rtm, route, &r.info, NULL) != NO_ERROR)
		return FALSE;
	BOOL wanted = announced_protocol(r.info.RouteOwner);
	e->metric = r.info.PrefInfo.Metric < SAMPLE_DV_INFINITY ? r.info.PrefInfo.Metric : SAMPLE_DV_INFINITY;
	e->learned_on = 0;
	if (wanted && r.info.RouteOwner == S.rtm && r.info.NextHopsList.NumNextHops) {
		RTM_NEXTHOP_INFO nh;
		if (RtmGetNextHopInfo(S.rtm, r.info.NextHopsList.NextHops[0], &nh) == NO_ERROR) {
			e->learned_on = nh.InterfaceIndex;
			RtmReleaseNextHopInfo(S.rtm, &nh);
		}
	}
	RtmReleaseRouteInfo(S.rtm, &r.info);
	return wanted;
}

typedef struct announcement {
	dv_entry *entries;
	unsigned n, cap;
} announcement;

static void announce_dest(RTM_ENTITY_HANDLE reg, PRTM_DEST_INFO d, void *ctx)
{
	(void)reg;
	announcement *a = ctx;
	dv_entry entry;
	unsigned len;
	if (!d->NumberOfViews || !d->ViewInfo[0].Route || !announce_route(d->ViewInfo[0].Route, &entry))
		return;
	kit_from_net_address(&d->DestAddress, &entry.dest, &len);
	entry.len = (BYTE)len;
	if (a->n == a->cap) {
		unsigned cap = a->cap ? 2 * a->cap : 64;
		dv_entry *grown = realloc(a->entries, cap * sizeof(*grown));
		if (!grown)
			return;
		a->entries = grown;
		a->cap = cap;
	}
	a->entries[a->n++] = entry;
}

dv_entry *dv_rib_announcement(unsigned *count)
{
	announcement a = { NULL, 0, 0 };
	RTM_ENUM_HANDLE e;
	if (RtmCreateDestEnum(S.rtm, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, NULL, RTM_BEST_PROTOCOL, &e) == NO_ERROR) {
		kit_walk_dests(S.rtm, &S.profile, e, NULL, announce_dest, &a);
		RtmDeleteEnumHandle(S.rtm, e);
	}
	*count = a.n;
	return a.entries;
}

static BOOL count_route(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE route, void *ctx)
{
	(void)reg, (void)route;
	(*(DWORD *)ctx)++;
	return FALSE;
}

DWORD dv_rib_count_routes(void)
{
	DWORD total = 0;
	RTM_ENUM_HANDLE e;
	if (RtmCreateRouteEnum(S.rtm, NULL, RTM_VIEW_MASK_ANY, RTM_ENUM_OWN_ROUTES, NULL, RTM_MATCH_NONE, NULL, 0,
			       &e) == NO_ERROR) {
		kit_walk_routes(S.rtm, &S.profile, e, count_route, &total);
		RtmDeleteEnumHandle(S.rtm, e);
	}
	return total;
}

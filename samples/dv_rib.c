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
	RTM_ROUTE_HANDLE *h = malloc(S.profile.MaxHandlesInEnum * sizeof(*h));
	DWORD st = h ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY;
	while (st == NO_ERROR) {
		UINT n = S.profile.MaxHandlesInEnum;
		st = RtmGetEnumRoutes(S.rtm, e, &n, h);
		for (UINT k = 0; k < n; k++)
			if (RtmDeleteRouteToDest(S.rtm, h[k], NULL) != NO_ERROR)
				RtmReleaseRoutes(S.rtm, 1, &h[k]);
		if (!n)
			break;
	}
	free(h);
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

BOOL dv_rib_drain_changes(void)
{
	UINT stride = RTM_SIZE_OF_DEST_INFO(S.profile.NumberOfViews);
	UINT max = S.profile.MaxHandlesInEnum;
	BYTE *buf = malloc((size_t)stride * max);
	BOOL any = FALSE;
	DWORD st = buf ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY;
	while (st == NO_ERROR) {
		UINT n = max;
		st = RtmGetChangedDests(S.rtm, S.notify, &n, (PRTM_DEST_INFO)buf);
		if (st != NO_ERROR && st != ERROR_NO_MORE_ITEMS)
			break;
		any |= n > 0;
		RtmReleaseChangedDests(S.rtm, S.notify, n, (PRTM_DEST_INFO)buf);
		if (!n)
			break;
	}
	free(buf);
	return any;
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

dv_entry *dv_rib_announcement(unsigned *count)
{
	*count = 0;
	RTM_ENUM_HANDLE e;
	if (RtmCreateDestEnum(S.rtm, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, NULL, RTM_BEST_PROTOCOL, &e) != NO_ERROR)
		return NULL;
	UINT stride = RTM_SIZE_OF_DEST_INFO(S.profile.NumberOfViews);
	UINT max = S.profile.MaxHandlesInEnum;
	BYTE *buf = malloc((size_t)stride * max);
	dv_entry *out = NULL;
	unsigned n_out = 0, cap = 0;
	DWORD st = buf ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY;
	while (st == NO_ERROR) {
		UINT n = max;
		st = RtmGetEnumDests(S.rtm, e, &n, (PRTM_DEST_INFO)buf);
		for (UINT k = 0; k < n; k++) {
			PRTM_DEST_INFO d = (PRTM_DEST_INFO)(buf + (size_t)k * stride);
			dv_entry entry;
			unsigned len;
			if (!d->NumberOfViews || !d->ViewInfo[0].Route || !announce_route(d->ViewInfo[0].Route, &entry))
				continue;
			kit_from_net_address(&d->DestAddress, &entry.dest, &len);
			entry.len = (BYTE)len;
			if (n_out == cap) {
				cap = cap ? 2 * cap : 64;
				dv_entry *grown = realloc(out, cap * sizeof(*out));
				if (!grown)
					break;
				out = grown;
			}
			out[n_out++] = entry;
		}
		RtmReleaseDests(S.rtm, n, (PRTM_DEST_INFO)buf);
		if (!n)
			break;
	}
	free(buf);
	RtmDeleteEnumHandle(S.rtm, e);
	*count = n_out;
	return out;
}

DWORD dv_rib_count_routes(void)
{
	RTM_ENUM_HANDLE e;
	if (RtmCreateRouteEnum(S.rtm, NULL, RTM_VIEW_MASK_ANY, RTM_ENUM_OWN_ROUTES, NULL, RTM_MATCH_NONE, NULL, 0,
			       &e) != NO_ERROR)
		return 0;
	RTM_ROUTE_HANDLE *h = malloc(S.profile.MaxHandlesInEnum * sizeof(*h));
	DWORD total = 0, st = h ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY;
	while (st == NO_ERROR) {
		UINT n = S.profile.MaxHandlesInEnum;
		st = RtmGetEnumRoutes(S.rtm, e, &n, h);
		total += n;
		RtmReleaseRoutes(S.rtm, n, h);
		if (!n)
			break;
	}
	free(h);
	RtmDeleteEnumHandle(S.rtm, e);
	return total;
}

/*
 * lookup.c - targeted searches: exact, longest-prefix and less-specific
 * destination lookups, and the exact-match route lookup (spec functions-2 §1).
 *
 * All of them run under the table's read lock and only return visible
 * destinations (functions-2 §0.6): the prefix tree's filter callback skips
 * the others, so a unicast lookup walks past a multicast-only prefix to a
 * shorter one.
 */
#include "lock.h"
#include "nexthop.h"
#include "route.h"

#include <string.h>

static int visible_filter(const pt_node *n, void *ctx)
{
	return dest_visible(dest_of_node(n), *(const DWORD *)ctx);
}

typedef pt_node *(*dest_search)(const pt_tree *t, const uint8_t *key, unsigned len, pt_filter f, void *ctx);

static pt_node *find_exact(const pt_tree *t, const uint8_t *key, unsigned len, pt_filter f, void *ctx)
{
	pt_node *n = pt_find(t, key, len);
	return n && f(n, ctx) ? n : NULL;
}

/* shared body of the lookups that take an address */
static DWORD lookup_by_address(RTM_ENTITY_HANDLE reg, const RTM_NET_ADDRESS *addr, ULONG protocol, DWORD views,
			       RTM_DEST_INFO *out, dest_search search)
{
	if (!api_peek(reg))
		return ERROR_INVALID_HANDLE;
	if (!addr || !out)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	pt_node *n;
	views = table_mask_views(views);
	for (;;) {
		DWORD err = api_enter(&c, reg, 0);
		if (err)
			return err;
		if (!table_check_address(c.t, addr))
			return api_leave(&c, ERROR_INVALID_PARAMETER);
		uint8_t key[PT_MAX_KEY_BYTES];
		table_canonical_key(c.t, addr, key);
		if (!(n = search(&c.t->tree, key, addr->NumBits, visible_filter, &views)))
			return api_leave(&c, ERROR_NOT_FOUND);
		if (!api_wait_if_locked(&c, &dest_of_node(n)->hdr, 0))
			break;
	}
	dest_fill_info(c.t, dest_of_node(n), c.e, protocol, views, out);
	return api_leave(&c, NO_ERROR);
}

DWORD WINAPI RtmGetExactMatchDestination(RTM_ENTITY_HANDLE RtmRegHandle, PRTM_NET_ADDRESS DestAddress,
					 ULONG ProtocolId, RTM_VIEW_SET TargetViews, PRTM_DEST_INFO DestInfo)
{
	return lookup_by_address(RtmRegHandle, DestAddress, ProtocolId, TargetViews, DestInfo, find_exact);
}

DWORD WINAPI RtmGetMostSpecificDestination(RTM_ENTITY_HANDLE RtmRegHandle, PRTM_NET_ADDRESS DestAddress,
					   ULONG ProtocolId, RTM_VIEW_SET TargetViews, PRTM_DEST_INFO DestInfo)
{
	return lookup_by_address(RtmRegHandle, DestAddress, ProtocolId, TargetViews, DestInfo, pt_longest_match);
}

DWORD WINAPI RtmGetLessSpecificDestination(RTM_ENTITY_HANDLE RtmRegHandle, RTM_DEST_HANDLE DestHandle,
					   ULONG ProtocolId, RTM_VIEW_SET TargetViews, PRTM_DEST_INFO DestInfo)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!DestInfo)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD views = table_mask_views(TargetViews);
	pt_node *n;
	for (;;) {
		DWORD err = api_enter(&c, RtmRegHandle, 0);
		if (err)
			return err;
		dest *d = dest_lookup(DestHandle, c.t);
		if (!d)
			return api_leave(&c, ERROR_INVALID_HANDLE);
		if (!(n = pt_less_specific(&c.t->tree, d->node.key, d->node.len, visible_filter, &views)))
			return api_leave(&c, ERROR_NOT_FOUND);
		if (!api_wait_if_locked(&c, &dest_of_node(n)->hdr, 0))
			break;
	}
	dest_fill_info(c.t, dest_of_node(n), c.e, ProtocolId, views, DestInfo);
	return api_leave(&c, NO_ERROR);
}

static int uses_nexthop(const RTM_ROUTE_INFO *i, HANDLE nh)
{
	for (USHORT k = 0; k < i->NextHopsList.NumNextHops; k++)
		if (i->NextHopsList.NextHops[k] == nh)
			return 1;
	return 0;
}

static int uses_interface(rtm_table *t, const RTM_ROUTE_INFO *i, ULONG ifindex)
{
	for (USHORT k = 0; k < i->NextHopsList.NumNextHops; k++) {
		nexthop *n = (nexthop *)handle_lookup_any(i->NextHopsList.NextHops[k], OBJ_NEXTHOP, t);
		if (n && n->info.InterfaceIndex == ifindex)
			return 1;
	}
	return 0;
}

int route_matches(rtm_table *t, const route *r, const match_criteria *m)
{
	const RTM_ROUTE_INFO *i = r->info;
	if (m->views && !(i->BelongsToViews & m->views))
		return 0;
	if ((m->flags & RTM_MATCH_OWNER) && r->owner->hdr.handle != m->owner)
		return 0;
	if ((m->flags & RTM_MATCH_NEIGHBOUR) && i->Neighbour != m->neighbour)
		return 0;
	if ((m->flags & RTM_MATCH_PREF) &&
	    (i->PrefInfo.Metric != m->pref.Metric || i->PrefInfo.Preference != m->pref.Preference))
		return 0;
	if (m->flags & RTM_MATCH_NEXTHOP)
		for (USHORT k = 0; k < m->nh_count; k++)
			if (!uses_nexthop(i, m->nh[k]))
				return 0;
	if ((m->flags & RTM_MATCH_INTERFACE) && !uses_interface(t, i, m->ifindex))
		return 0;
	return 1;
}

DWORD WINAPI RtmGetExactMatchRoute(RTM_ENTITY_HANDLE RtmRegHandle, PRTM_NET_ADDRESS DestAddress,
				   RTM_MATCH_FLAGS MatchingFlags, PRTM_ROUTE_INFO RouteInfo, ULONG InterfaceIndex,
				   RTM_VIEW_SET TargetViews, PRTM_ROUTE_HANDLE RouteHandle)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!DestAddress || !RouteInfo)
		return ERROR_INVALID_PARAMETER;
	if (MatchingFlags & ~(RTM_MATCH_FLAGS)RTM_MATCH_FULL)
		return ERROR_INVALID_PARAMETER;
	if ((MatchingFlags & RTM_MATCH_NEXTHOP) && RouteInfo->NextHopsList.NumNextHops > RTM_MAX_NEXTHOPS_IN_ROUTE)
		return ERROR_INVALID_PARAMETER;
	match_criteria m = { MatchingFlags, RouteInfo->RouteOwner, RouteInfo->Neighbour, RouteInfo->PrefInfo, 0,
			     { 0 }, InterfaceIndex, table_mask_views(TargetViews) };
	if (MatchingFlags & RTM_MATCH_NEXTHOP) {
		m.nh_count = RouteInfo->NextHopsList.NumNextHops;
		memcpy(m.nh, RouteInfo->NextHopsList.NextHops, m.nh_count * sizeof(HANDLE));
	}

	api_ctx c;
	pt_node *n;
	for (;;) {
		DWORD err = api_enter(&c, RtmRegHandle, 0);
		if (err)
			return err;
		if (!table_check_address(c.t, DestAddress))
			return api_leave(&c, ERROR_INVALID_PARAMETER);
		uint8_t key[PT_MAX_KEY_BYTES];
		table_canonical_key(c.t, DestAddress, key);
		n = pt_find(&c.t->tree, key, DestAddress->NumBits);
		if (!n || !api_wait_if_locked(&c, &dest_of_node(n)->hdr, 0))
			break;
	}
	route *r = n ? dest_of_node(n)->routes : NULL;
	while (r && !route_matches(c.t, r, &m))
		r = r->next;
	if (!r)
		return api_leave(&c, ERROR_NOT_FOUND);
	route_fill_info(c.t, r, RouteInfo);
	if (RouteHandle) {
		obj_ref(&r->hdr);
		*RouteHandle = r->hdr.handle;
	}
	return api_leave(&c, NO_ERROR);
}

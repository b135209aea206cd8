/*
 * info.c - information and reference functions for destinations and routes:
 * RtmGetDestInfo, RtmGetRouteInfo, their Release functions, RtmIsBestRoute,
 * RtmGetRoutePointer, RtmReleaseRoutes, RtmReferenceHandles.
 */
#include "lock.h"
#include "route.h"

#include <string.h>

DWORD WINAPI RtmGetDestInfo(RTM_ENTITY_HANDLE RtmRegHandle, RTM_DEST_HANDLE DestHandle, ULONG ProtocolId,
			    RTM_VIEW_SET TargetViews, PRTM_DEST_INFO DestInfo)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!DestInfo)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err;
	dest *d = (dest *)api_enter_object(&c, RtmRegHandle, 0, DestHandle, OBJ_DEST, &err);
	if (!d)
		return err;
	dest_fill_info(c.t, d, c.e, ProtocolId, table_mask_views(TargetViews), DestInfo);
	return api_leave(&c, NO_ERROR);
}

DWORD WINAPI RtmReleaseDestInfo(RTM_ENTITY_HANDLE RtmRegHandle, PRTM_DEST_INFO DestInfo)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!DestInfo)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 0);
	if (err)
		return err;
	return api_leave(&c, dest_release_infos(c.t, 1, DestInfo, DEST_INFO_STRIDE));
}

static HANDLE ref_handle(rtm_obj *o)
{
	obj_ref(o);
	return o->handle;
}

void route_fill_info(rtm_table *t, const route *r, RTM_ROUTE_INFO *out)
{
	const RTM_ROUTE_INFO *in = r->info;
	USHORT n = in->NextHopsList.NumNextHops;
	if (n > RTM_MAX_NEXTHOPS_IN_ROUTE)
		n = RTM_MAX_NEXTHOPS_IN_ROUTE;
	out->DestHandle = ref_handle(&r->d->hdr);
	out->RouteOwner = ref_handle(&r->owner->hdr);
	out->Neighbour = NULL;
	rtm_obj *o;
	if (in->Neighbour && (o = handle_lookup_any(in->Neighbour, OBJ_NEXTHOP, t)))
		out->Neighbour = ref_handle(o);
	out->State = in->State;
	out->Flags1 = in->Flags1;
	out->Flags = in->Flags;
	out->PrefInfo = in->PrefInfo;
	out->BelongsToViews = in->BelongsToViews;
	out->EntitySpecificInfo = in->EntitySpecificInfo;
	USHORT written = 0;
	for (USHORT i = 0; i < n; i++)
		if ((o = handle_lookup_any(in->NextHopsList.NextHops[i], OBJ_NEXTHOP, t)))
			out->NextHopsList.NextHops[written++] = ref_handle(o);
	out->NextHopsList.NumNextHops = written;
}

DWORD WINAPI RtmGetRouteInfo(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ROUTE_HANDLE RouteHandle,
			     PRTM_ROUTE_INFO RouteInfo, PRTM_NET_ADDRESS DestAddress)
{
	api_ctx c;
	DWORD err;
	route *r = (route *)api_enter_object(&c, RtmRegHandle, 0, RouteHandle, OBJ_ROUTE, &err);
	if (!r)
		return err;
	if (RouteInfo)
		route_fill_info(c.t, r, RouteInfo);
	if (DestAddress)
		table_write_address(c.t, r->d->node.key, r->d->node.len, DestAddress);
	return api_leave(&c, NO_ERROR);
}

/* is info RTM's own structure of a route (a direct pointer)? */
static int is_own_info(rtm_table *t, const RTM_ROUTE_INFO *info)
{
	dest *d = dest_lookup(info->DestHandle, t);
	if (!d)
		return 0;
	for (route *r = d->routes; r; r = r->next)
		if (r->info == info)
			return 1;
	if (d->ext)
		for (unsigned v = 0; v < RTM_NUMBER_OF_VIEWS; v++)
			if (d->ext->held[v] && d->ext->held[v]->info == info)
				return 1;
	return 0;
}

struct route_info_iter {
	const RTM_ROUTE_INFO *info;
};

/* yields DestHandle, RouteOwner, Neighbour, then each next hop */
static int route_info_next(const void *ctx, size_t i, HANDLE *h, enum rtm_obj_kind *kind)
{
	const RTM_ROUTE_INFO *info = ((const struct route_info_iter *)ctx)->info;
	switch (i) {
	case 0:
		*h = info->DestHandle;
		*kind = OBJ_DEST;
		return 1;
	case 1:
		*h = info->RouteOwner;
		*kind = OBJ_ENTITY;
		return 1;
	case 2:
		*h = info->Neighbour;
		*kind = OBJ_NEXTHOP;
		return 1;
	default:
		if (i - 3 >= info->NextHopsList.NumNextHops)
			return 0;
		*h = info->NextHopsList.NextHops[i - 3];
		*kind = OBJ_NEXTHOP;
		return 1;
	}
}

DWORD route_release_info(rtm_table *t, const RTM_ROUTE_INFO *info)
{
	if (info->NextHopsList.NumNextHops > RTM_MAX_NEXTHOPS_IN_ROUTE)
		return ERROR_INVALID_PARAMETER;
	if (is_own_info(t, info))
		return NO_ERROR; /* a direct pointer: nothing to release */
	struct route_info_iter it = { info };
	return table_release(t, route_info_next, &it);
}

DWORD WINAPI RtmReleaseRouteInfo(RTM_ENTITY_HANDLE RtmRegHandle, PRTM_ROUTE_INFO RouteInfo)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!RouteInfo)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 0);
	if (err)
		return err;
	return api_leave(&c, route_release_info(c.t, RouteInfo));
}

DWORD WINAPI RtmGetRoutePointer(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ROUTE_HANDLE RouteHandle,
				PRTM_ROUTE_INFO *RoutePointer)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!RoutePointer)
		return ERROR_INVALID_PARAMETER;
	/* may move the route to its full-size block: exclusive */
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 1);
	if (err)
		return err;
	route *r = route_lookup(RouteHandle, c.t);
	if (!r)
		err = ERROR_INVALID_HANDLE;
	else if (r->owner != c.e)
		err = ERROR_ACCESS_DENIED;
	else if (!route_make_full(r))
		err = ERROR_NOT_ENOUGH_MEMORY;
	else
		*RoutePointer = r->info;
	return api_leave(&c, err);
}

DWORD WINAPI RtmIsBestRoute(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ROUTE_HANDLE RouteHandle, PRTM_VIEW_SET BestInViews)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!BestInViews)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err;
	route *r = (route *)api_enter_object(&c, RtmRegHandle, 0, RouteHandle, OBJ_ROUTE, &err);
	if (!r)
		return err;
	*BestInViews = dest_best_views(r->d, r);
	return api_leave(&c, NO_ERROR);
}

DWORD WINAPI RtmReleaseRoutes(RTM_ENTITY_HANDLE RtmRegHandle, UINT NumRoutes, PRTM_ROUTE_HANDLE RouteHandles)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!RouteHandles && NumRoutes)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 0);
	if (err)
		return err;
	return api_leave(&c, table_release_array(c.t, OBJ_ROUTE, NumRoutes, RouteHandles));
}

DWORD WINAPI RtmReferenceHandles(RTM_ENTITY_HANDLE RtmRegHandle, UINT NumHandles, HANDLE *RtmHandles)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!RtmHandles && NumHandles)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 0);
	if (err)
		return err;
	for (UINT i = 0; i < NumHandles; i++) {
		enum rtm_obj_kind k = RtmHandles[i] ? handle_kind(RtmHandles[i], c.t) : OBJ_ENTITY;
		if (k != OBJ_ENTITY && k != OBJ_DEST && k != OBJ_ROUTE && k != OBJ_NEXTHOP)
			return api_leave(&c, ERROR_INVALID_HANDLE);
	}
	for (UINT i = 0; i < NumHandles; i++)
		if (RtmHandles[i])
			obj_ref(handle_lookup_untyped(RtmHandles[i], c.t));
	return api_leave(&c, NO_ERROR);
}

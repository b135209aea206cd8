/*
 * enum_nexthop.c - next-hop enumerations: RtmCreateNextHopEnum,
 * RtmGetEnumNextHops (spec functions-2 §2.7, §2.8).
 *
 * Only the caller's own live next hops are enumerated (Decision of §2.7),
 * in the order of its sorted next-hop array (nexthop.h): address key in
 * prefix order (§0.4), then interface index.  The position is the identity
 * (address, length, interface) of the last next hop returned; each batch
 * binary-searches strictly past it, so it costs O(log n + batch) and never
 * returns a next hop twice, whatever was added or deleted in between.
 */
#include "enum.h"
#include "nexthop.h"

#include <stdlib.h>

typedef struct nexthop_enum {
	enum_obj base; /* first: the enumeration is freed through it */
	enum_pos pos;
	ULONG ifindex; /* interface of the last next hop returned */
} nexthop_enum;

static void nexthop_enum_destroy(rtm_table *t, enum_obj *en)
{
	(void)t;
	free(en);
}

DWORD WINAPI RtmCreateNextHopEnum(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ENUM_FLAGS EnumFlags, PRTM_NET_ADDRESS NetAddress,
				  PRTM_ENUM_HANDLE RtmEnumHandle)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!RtmEnumHandle || ((EnumFlags & ENUM_POSITION_FLAGS) && !NetAddress))
		return ERROR_INVALID_PARAMETER;
	if (EnumFlags & ~(RTM_ENUM_FLAGS)ENUM_POSITION_FLAGS)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 1);
	if (err)
		return err;
	if ((EnumFlags & ENUM_POSITION_FLAGS) && !table_check_address(c.t, NetAddress))
		return api_leave(&c, ERROR_INVALID_PARAMETER);
	nexthop_enum *ne = calloc(1, sizeof(*ne));
	if (ne)
		enum_pos_init(&ne->pos, c.t, EnumFlags, NetAddress);
	return api_leave(&c, enum_publish(&c, (enum_obj *)ne, nexthop_enum_destroy, RtmEnumHandle));
}

/* index of the first next hop of e to look at */
static uint32_t resume_index(const nexthop_enum *ne, const entity *e)
{
	int found;
	if (!ne->pos.started)
		return nexthop_search(e, ne->pos.start, ne->pos.start_len, 0, &found);
	uint32_t i = nexthop_search(e, ne->pos.key, ne->pos.len, ne->ifindex, &found);
	return found ? i + 1 : i;
}

DWORD WINAPI RtmGetEnumNextHops(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ENUM_HANDLE EnumHandle, PUINT NumNextHops,
				PRTM_NEXTHOP_HANDLE NextHopHandles)
{
	enum_batch b;
	DWORD err = enum_batch_begin(&b, RtmRegHandle, EnumHandle, nexthop_enum_destroy, NumNextHops, NextHopHandles);
	if (err || !b.en)
		return err;
	nexthop_enum *ne = (nexthop_enum *)b.en;
	const entity *e = b.c.e;
	UINT want = *NumNextHops, got = 0;
	const nexthop *last = NULL;
	for (uint32_t i = ne->pos.done ? e->nexthop_count : resume_index(ne, e); i < e->nexthop_count && got < want; i++) {
		nexthop *n = e->nexthops[i];
		const RTM_NET_ADDRESS *a = &n->info.NextHopAddress;
		if (!enum_pos_in_range(&ne->pos, a->AddrBits, a->NumBits))
			break;
		if (!nexthop_live(n))
			continue;
		obj_ref(&n->hdr);
		NextHopHandles[got++] = n->hdr.handle;
		last = n;
	}
	if (last) {
		enum_pos_set(&ne->pos, last->info.NextHopAddress.AddrBits, last->info.NextHopAddress.NumBits);
		ne->ifindex = last->info.InterfaceIndex;
	}
	*NumNextHops = got;
	return enum_batch_end(&b, enum_batch_status(&ne->pos, got, want));
}

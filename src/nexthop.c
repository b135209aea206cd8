/*
 * nexthop.c - next hops: add/update, find, delete, info, pointers.
 *
 * Each entity keeps its live next hops in an array sorted by (address key,
 * prefix length, interface index): binary search for find/add, and the
 * order next-hop enumerations return.  Entities rarely own more than a few
 * thousand next hops, so the memmove on insert is cheaper than a tree.
 */
#include "nexthop.h"
#include "dest.h"
#include "lock.h"

#include <stdlib.h>
#include <string.h>

static int nexthop_cmp(const nexthop *n, const uint8_t *key, unsigned len, ULONG ifindex, unsigned width)
{
	int c = pt_key_cmp(n->info.NextHopAddress.AddrBits, n->info.NextHopAddress.NumBits, key, len, width);
	if (c)
		return c;
	return n->info.InterfaceIndex < ifindex ? -1 : n->info.InterfaceIndex > ifindex;
}

uint32_t nexthop_search(const entity *e, const uint8_t *key, unsigned len, ULONG ifindex, int *found)
{
	uint32_t lo = 0, hi = e->nexthop_count;
	unsigned width = e->t->addr_bits;
	*found = 0;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int c = nexthop_cmp(e->nexthops[mid], key, len, ifindex, width);
		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int list_insert(entity *e, uint32_t pos, nexthop *n)
{
	if (e->nexthop_count == e->nexthop_cap) {
		uint32_t cap = e->nexthop_cap ? e->nexthop_cap * 2 : 8;
		nexthop **a = realloc(e->nexthops, cap * sizeof(*a));
		if (!a)
			return -1;
		e->nexthops = a;
		e->nexthop_cap = cap;
	}
	memmove(&e->nexthops[pos + 1], &e->nexthops[pos], (e->nexthop_count - pos) * sizeof(*e->nexthops));
	e->nexthops[pos] = n;
	e->nexthop_count++;
	return 0;
}

static nexthop *find_by_info(const rtm_table *t, const entity *e, const RTM_NEXTHOP_INFO *info)
{
	uint8_t key[PT_MAX_KEY_BYTES];
	int found;
	table_canonical_key(t, &info->NextHopAddress, key);
	uint32_t pos = nexthop_search(e, key, info->NextHopAddress.NumBits, info->InterfaceIndex, &found);
	return found ? e->nexthops[pos] : NULL;
}

/* sets n's RemoteNextHop (spec functions-1 §8.1): kept only for remote next hops */
static void set_remote(rtm_table *t, nexthop *n, dest *remote)
{
	if (!(n->info.Flags & RTM_NEXTHOP_FLAGS_REMOTE))
		remote = NULL;
	if (remote)
		obj_hold(&remote->hdr);
	if (n->remote)
		obj_drop(t, &n->remote->hdr);
	n->remote = remote;
	n->info.RemoteNextHop = remote ? remote->hdr.handle : NULL;
}

static nexthop *nexthop_create(rtm_table *t, entity *e, const uint8_t *key, const RTM_NEXTHOP_INFO *in, uint32_t pos)
{
	nexthop *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	if (handle_assign(&n->hdr, OBJ_NEXTHOP, t) < 0) {
		free(n);
		return NULL;
	}
	if (list_insert(e, pos, n) < 0) {
		handle_retire(&n->hdr);
		free(n);
		return NULL;
	}
	n->owner = e;
	table_write_address(t, key, in->NextHopAddress.NumBits, &n->info.NextHopAddress);
	n->info.NextHopOwner = e->hdr.handle;
	n->info.InterfaceIndex = in->InterfaceIndex;
	n->info.State = RTM_NEXTHOP_STATE_CREATED;
	obj_hold(&e->hdr);
	obj_link(&n->hdr); /* in the owner's list */
	return n;
}

DWORD WINAPI RtmAddNextHop(RTM_ENTITY_HANDLE RtmRegHandle, PRTM_NEXTHOP_INFO NextHopInfo,
			   PRTM_NEXTHOP_HANDLE NextHopHandle, PRTM_NEXTHOP_CHANGE_FLAGS ChangeFlags)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!NextHopInfo)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
retry:;
	DWORD err = api_enter(&c, RtmRegHandle, 1);
	if (err)
		return err;
	rtm_table *t = c.t;
	HANDLE given = NextHopHandle ? *NextHopHandle : NULL;
	nexthop *n = NULL;
	uint8_t key[PT_MAX_KEY_BYTES];
	uint32_t pos = 0;
	if (given) {
		n = nexthop_lookup(given, t);
		if (!n || !nexthop_live(n))
			return api_leave(&c, ERROR_INVALID_HANDLE);
		if (n->owner != c.e)
			return api_leave(&c, ERROR_ACCESS_DENIED);
	} else {
		if (!table_check_address(t, &NextHopInfo->NextHopAddress))
			return api_leave(&c, ERROR_INVALID_PARAMETER);
		int found;
		table_canonical_key(t, &NextHopInfo->NextHopAddress, key);
		pos = nexthop_search(c.e, key, NextHopInfo->NextHopAddress.NumBits, NextHopInfo->InterfaceIndex, &found);
		if (found)
			n = c.e->nexthops[pos];
	}
	if (n && api_wait_if_locked(&c, &n->hdr, 1))
		goto retry;
	dest *remote = NULL;
	if ((NextHopInfo->Flags & RTM_NEXTHOP_FLAGS_REMOTE) && NextHopInfo->RemoteNextHop &&
	    !(remote = dest_lookup(NextHopInfo->RemoteNextHop, t)))
		return api_leave(&c, ERROR_INVALID_HANDLE);

	DWORD flags = 0;
	if (!n) {
		if (!(n = nexthop_create(t, c.e, key, NextHopInfo, pos)))
			return api_leave(&c, ERROR_NOT_ENOUGH_MEMORY);
		flags = RTM_NEXTHOP_CHANGE_NEW;
	}
	n->info.Flags = NextHopInfo->Flags;
	n->info.EntitySpecificInfo = NextHopInfo->EntitySpecificInfo;
	set_remote(t, n, remote);
	if (ChangeFlags)
		*ChangeFlags = flags;
	if (NextHopHandle && !given) {
		obj_ref(&n->hdr);
		*NextHopHandle = n->hdr.handle;
	}
	return api_leave(&c, NO_ERROR);
}

DWORD WINAPI RtmFindNextHop(RTM_ENTITY_HANDLE RtmRegHandle, PRTM_NEXTHOP_INFO NextHopInfo,
			    PRTM_NEXTHOP_HANDLE NextHopHandle, PRTM_NEXTHOP_INFO *NextHopPointer)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!NextHopInfo)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 0);
	if (err)
		return err;
	if (!table_check_address(c.t, &NextHopInfo->NextHopAddress))
		return api_leave(&c, ERROR_INVALID_PARAMETER);
	nexthop *n = find_by_info(c.t, c.e, NextHopInfo);
	if (!n)
		return api_leave(&c, ERROR_NOT_FOUND);
	if (NextHopHandle) {
		obj_ref(&n->hdr);
		*NextHopHandle = n->hdr.handle;
	}
	if (NextHopPointer)
		*NextHopPointer = &n->info;
	return api_leave(&c, NO_ERROR);
}

void nexthop_delete(rtm_table *t, nexthop *n)
{
	entity *e = n->owner;
	int found;
	lock_nexthop_end_edit(t, n); /* the search below needs the address and interface RTM gave it */
	uint32_t pos = nexthop_search(e, n->info.NextHopAddress.AddrBits, n->info.NextHopAddress.NumBits,
				      n->info.InterfaceIndex, &found);
	if (found && e->nexthops[pos] == n) {
		memmove(&e->nexthops[pos], &e->nexthops[pos + 1], (e->nexthop_count - pos - 1) * sizeof(*e->nexthops));
		e->nexthop_count--;
	}
	n->info.State = RTM_NEXTHOP_STATE_DELETED;
	obj_unlink(&n->hdr);
	if (obj_dead(&n->hdr))
		table_queue_reap(t, &n->hdr);
}

DWORD WINAPI RtmDeleteNextHop(RTM_ENTITY_HANDLE RtmRegHandle, RTM_NEXTHOP_HANDLE NextHopHandle,
			      PRTM_NEXTHOP_INFO NextHopInfo)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!NextHopHandle && !NextHopInfo)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
retry:;
	DWORD err = api_enter(&c, RtmRegHandle, 1);
	if (err)
		return err;
	nexthop *n;
	if (NextHopHandle) {
		n = nexthop_lookup(NextHopHandle, c.t);
		if (!n)
			return api_leave(&c, ERROR_INVALID_HANDLE);
		if (n->owner != c.e)
			return api_leave(&c, ERROR_ACCESS_DENIED);
		if (!nexthop_live(n))
			return api_leave(&c, ERROR_NOT_FOUND);
	} else {
		if (!table_check_address(c.t, &NextHopInfo->NextHopAddress))
			return api_leave(&c, ERROR_INVALID_PARAMETER);
		if (!(n = find_by_info(c.t, c.e, NextHopInfo)))
			return api_leave(&c, ERROR_NOT_FOUND);
	}
	if (api_wait_if_locked(&c, &n->hdr, 1))
		goto retry;
	nexthop_delete(c.t, n);
	if (NextHopHandle) {
		/* the caller's handle is consumed on success */
		obj_unref_internal(&n->hdr);
		if (obj_dead(&n->hdr))
			table_queue_reap(c.t, &n->hdr);
	}
	return api_leave(&c, NO_ERROR);
}

DWORD WINAPI RtmGetNextHopInfo(RTM_ENTITY_HANDLE RtmRegHandle, RTM_NEXTHOP_HANDLE NextHopHandle,
			       PRTM_NEXTHOP_INFO NextHopInfo)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!NextHopInfo)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err;
	nexthop *n = (nexthop *)api_enter_object(&c, RtmRegHandle, 0, NextHopHandle, OBJ_NEXTHOP, &err);
	if (!n)
		return err;
	*NextHopInfo = n->info;
	obj_ref(&n->owner->hdr);
	if (n->remote)
		obj_ref(&n->remote->hdr);
	return api_leave(&c, NO_ERROR);
}

/* is info RTM's own structure of a next hop (a direct pointer)? */
static int is_own_info(const rtm_table *t, const RTM_NEXTHOP_INFO *info)
{
	entity *owner = entity_lookup(info->NextHopOwner, (rtm_table *)t);
	if (!owner || info->NextHopAddress.NumBits > t->addr_bits)
		return 0;
	nexthop *n = find_by_info(t, owner, info);
	return n && &n->info == info;
}

struct nexthop_info_iter {
	const RTM_NEXTHOP_INFO *info;
};

static int nexthop_info_next(const void *ctx, size_t i, HANDLE *h, enum rtm_obj_kind *kind)
{
	const RTM_NEXTHOP_INFO *info = ((const struct nexthop_info_iter *)ctx)->info;
	if (i == 0) {
		*h = info->NextHopOwner;
		*kind = OBJ_ENTITY;
		return 1;
	}
	if (i == 1) {
		*h = info->RemoteNextHop;
		*kind = OBJ_DEST;
		return 1;
	}
	return 0;
}

DWORD WINAPI RtmReleaseNextHopInfo(RTM_ENTITY_HANDLE RtmRegHandle, PRTM_NEXTHOP_INFO NextHopInfo)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!NextHopInfo)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 0);
	if (err)
		return err;
	if (is_own_info(c.t, NextHopInfo))
		return api_leave(&c, NO_ERROR); /* a direct pointer: nothing to release */
	struct nexthop_info_iter it = { NextHopInfo };
	return api_leave(&c, table_release(c.t, nexthop_info_next, &it));
}

DWORD WINAPI RtmGetNextHopPointer(RTM_ENTITY_HANDLE RtmRegHandle, RTM_NEXTHOP_HANDLE NextHopHandle,
				  PRTM_NEXTHOP_INFO *NextHopPointer)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!NextHopPointer)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 0);
	if (err)
		return err;
	nexthop *n = nexthop_lookup(NextHopHandle, c.t);
	if (!n)
		err = ERROR_INVALID_HANDLE;
	else if (n->owner != c.e)
		err = ERROR_ACCESS_DENIED;
	else
		*NextHopPointer = &n->info;
	return api_leave(&c, err);
}

DWORD WINAPI RtmReleaseNextHops(RTM_ENTITY_HANDLE RtmRegHandle, UINT NumNextHops, PRTM_NEXTHOP_HANDLE NextHopHandles)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!NextHopHandles && NumNextHops)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 0);
	if (err)
		return err;
	return api_leave(&c, table_release_array(c.t, OBJ_NEXTHOP, NumNextHops, NextHopHandles));
}

void nexthop_free(rtm_table *t, nexthop *n)
{
	if (n->remote)
		obj_drop(t, &n->remote->hdr);
	obj_drop(t, &n->owner->hdr);
	handle_retire(&n->hdr);
	free(n);
}

/*
 * enum_dest.c - destination enumerations: RtmCreateDestEnum, RtmGetEnumDests,
 * RtmReleaseDests (spec functions-2 §2.1-2.3).
 *
 * A destination enumeration is a walk of the prefix tree in key order
 * (§0.4) that remembers only the key of the last destination it returned.
 * Each batch seeks strictly past that key (O(log n)), then steps node to
 * node, so a batch costs O(log n + nodes stepped over) under the read lock
 * and nothing at all between batches.  Because the position is a key, a
 * destination is never returned twice, one that stays in the table for the
 * whole walk is always returned, and deletions of anything, even of the
 * destination last returned, cannot invalidate the walk.
 *
 * The tree also holds destinations that have left the table but are still
 * referenced (dest.h); dest_visible skips them like any destination not
 * visible in the requested views.
 */
#include "enum.h"
#include "dest.h"
#include "lock.h"
#include "route.h"

#include <stdlib.h>

#define DEST_ENUM_FLAGS (ENUM_POSITION_FLAGS | RTM_ENUM_OWN_DESTS)

typedef struct dest_enum {
	enum_obj base; /* first: the enumeration is freed through it */
	DWORD views;   /* effective TargetViews, 0 = any */
	ULONG protocol;
	uint8_t own;   /* RTM_ENUM_OWN_DESTS */
	enum_pos pos;
} dest_enum;

static void dest_enum_destroy(rtm_table *t, enum_obj *en)
{
	(void)t;
	free(en);
}

DWORD WINAPI RtmCreateDestEnum(RTM_ENTITY_HANDLE RtmRegHandle, RTM_VIEW_SET TargetViews, RTM_ENUM_FLAGS EnumFlags,
			       PRTM_NET_ADDRESS NetAddress, ULONG ProtocolId, PRTM_ENUM_HANDLE RtmEnumHandle)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!RtmEnumHandle || ((EnumFlags & ENUM_POSITION_FLAGS) && !NetAddress))
		return ERROR_INVALID_PARAMETER;
	DWORD views;
	DWORD err = enum_check_views(TargetViews, &views);
	if (err)
		return err;
	if (EnumFlags & ~(RTM_ENUM_FLAGS)DEST_ENUM_FLAGS)
		return ERROR_INVALID_PARAMETER;

	api_ctx c;
	if ((err = api_enter(&c, RtmRegHandle, 1)))
		return err;
	if ((EnumFlags & ENUM_POSITION_FLAGS) && !table_check_address(c.t, NetAddress))
		return api_leave(&c, ERROR_INVALID_PARAMETER);
	dest_enum *de = calloc(1, sizeof(*de));
	if (de) {
		de->views = views;
		de->protocol = ProtocolId;
		de->own = (EnumFlags & RTM_ENUM_OWN_DESTS) != 0;
		enum_pos_init(&de->pos, c.t, EnumFlags, NetAddress);
	}
	return api_leave(&c, enum_publish(&c, (enum_obj *)de, dest_enum_destroy, RtmEnumHandle));
}

/* RTM_ENUM_OWN_DESTS: the caller owns the best route of d in one of views (0: any supported view) */
static int owns_best(const dest *d, DWORD views, const entity *caller)
{
	if (!views)
		views = RTM_VIEWS_SUPPORTED;
	for (unsigned v = 0; v < RTM_NUMBER_OF_VIEWS; v++) {
		if (!(views & (1u << v)))
			continue;
		const route *best = dest_best(d, v, 1, 0);
		if (best && best->owner == caller)
			return 1;
	}
	return 0;
}

DWORD WINAPI RtmGetEnumDests(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ENUM_HANDLE EnumHandle, PUINT NumDests,
			     PRTM_DEST_INFO DestInfos)
{
	enum_batch b;
	DWORD err = enum_batch_begin(&b, RtmRegHandle, EnumHandle, dest_enum_destroy, NumDests, DestInfos);
	if (err || !b.en)
		return err;
	dest_enum *de = (dest_enum *)b.en;
	rtm_table *t = b.c.t;
	UINT want = *NumDests, got = 0;
	char *slot = (char *)DestInfos;
	const pt_node *last = NULL;
again:
	for (pt_node *n = enum_pos_resume(&de->pos, &t->tree, 0); n; n = pt_next(&t->tree, n)) {
		if (!enum_pos_in_range(&de->pos, n->key, n->len))
			break;
		enum_prefetch_children(n);
		dest *d = dest_of_node(n);
		if (!dest_visible(d, de->views))
			continue;
		if (lock_blocks(t, DEST_LOCK_SLOT(d), 0)) {
			/* another thread's client lock: wait for it, then go on from the last key returned */
			if (last)
				enum_pos_set(&de->pos, last->key, last->len);
			last = NULL;
			if ((err = enum_batch_wait(&b, &d->hdr, DEST_LOCK_SLOT(d))) != NO_ERROR) {
				table_wrlock(t);
				(void)dest_release_infos(t, got, DestInfos, DEST_INFO_STRIDE);
				table_reap(t);
				table_wrunlock(t);
				*NumDests = 0;
				return enum_batch_abort(&b, err);
			}
			goto again;
		}
		if (de->own && !owns_best(d, de->views, b.c.e))
			continue;
		dest_fill_info(t, d, b.c.e, de->protocol, de->views, (RTM_DEST_INFO *)slot);
		slot += DEST_INFO_STRIDE;
		last = n;
		if (++got == want)
			break;
	}
	if (last)
		enum_pos_set(&de->pos, last->key, last->len);
	*NumDests = got;
	return enum_batch_end(&b, enum_batch_status(&de->pos, got, want));
}

DWORD WINAPI RtmReleaseDests(RTM_ENTITY_HANDLE RtmRegHandle, UINT NumDests, PRTM_DEST_INFO DestInfos)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!DestInfos && NumDests)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 0);
	if (err)
		return err;
	return api_leave(&c, dest_release_infos(c.t, NumDests, DestInfos, DEST_INFO_STRIDE));
}

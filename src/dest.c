/*
 * dest.c - destination objects, best routes and RTM_DEST_INFO.
 */
#include "dest.h"
#include "route.h"

#include <stdlib.h>
#include <string.h>

int dest_in_table(const dest *d)
{
	if (d->routes)
		return 1;
	if (d->ext)
		for (unsigned v = 0; v < RTM_NUMBER_OF_VIEWS; v++)
			if (d->ext->held[v])
				return 1;
	return 0;
}

int dest_visible(const dest *d, DWORD views)
{
	return views ? (d->views & views) != 0 : dest_in_table(d);
}

dest_ext *dest_ext_get(dest *d)
{
	if (!d->ext)
		d->ext = calloc(1, sizeof(*d->ext));
	return d->ext;
}

dest *dest_get_or_create(rtm_table *t, const uint8_t *key, unsigned len)
{
	pt_node *n = pt_find(&t->tree, key, len);
	if (n)
		return dest_of_node(n);
	dest *d = slab_alloc(&t->dest_slab);
	if (!d)
		return NULL;
	memcpy(d->node.key, key, PT_MAX_KEY_BYTES);
	d->node.len = (uint8_t)len;
	if (handle_assign(&d->hdr, OBJ_DEST, t) < 0) {
		slab_free(&t->dest_slab, d);
		return NULL;
	}
	pt_node *existing;
	if (pt_insert(&t->tree, &d->node, &existing) != 0) {
		handle_retire(&d->hdr);
		slab_free(&t->dest_slab, d);
		return NULL;
	}
	rtm_system_time(&d->last_changed);
	return d;
}

static int owned_by_protocol(const route *r, int any_protocol, ULONG protocol)
{
	return any_protocol || r->owner->info.EntityId.EntityProtocolId == protocol;
}

route *dest_best(const dest *d, unsigned view, int any_protocol, ULONG protocol)
{
	DWORD bit = 1u << view;
	for (route *r = d->routes; r; r = r->next)
		if ((r->info->BelongsToViews & bit) && owned_by_protocol(r, any_protocol, protocol))
			return r;
	return NULL;
}

DWORD dest_best_views(const dest *d, const route *r)
{
	DWORD best = 0;
	for (unsigned v = 0; v < RTM_NUMBER_OF_VIEWS; v++)
		if (dest_best(d, v, 1, 0) == r)
			best |= 1u << v;
	return r && route_live(r) ? best : 0;
}

void dest_update_views(dest *d)
{
	DWORD views = 0;
	for (route *r = d->routes; r; r = r->next)
		views |= r->info->BelongsToViews;
	d->views = views;
}

void dest_touch(dest *d) { rtm_system_time(&d->last_changed); }

static UINT count_in_view(const dest *d, DWORD bit)
{
	UINT n = 0;
	for (route *r = d->routes; r; r = r->next)
		n += (r->info->BelongsToViews & bit) != 0;
	return n;
}

static HANDLE ref_handle(rtm_obj *o)
{
	if (!o)
		return NULL;
	obj_ref(o);
	return o->handle;
}

void dest_fill_info(rtm_table *t, dest *d, const entity *caller, ULONG protocol, DWORD views, RTM_DEST_INFO *out)
{
	int any = protocol == RTM_BEST_PROTOCOL;
	if (protocol == RTM_THIS_PROTOCOL)
		protocol = caller->info.EntityId.EntityProtocolId;
	out->DestHandle = ref_handle(&d->hdr);
	table_write_address(t, d->node.key, d->node.len, &out->DestAddress);
	out->LastChanged = d->last_changed;
	out->BelongsToViews = d->views;
	UINT k = 0;
	for (unsigned v = 0; v < RTM_NUMBER_OF_VIEWS; v++) {
		if (!(views & (1u << v)))
			continue;
		route *best = dest_best(d, v, any, protocol);
		route *held = d->ext ? d->ext->held[v] : NULL;
		out->ViewInfo[k].ViewId = (RTM_VIEW_ID)v;
		out->ViewInfo[k].NumRoutes = count_in_view(d, 1u << v);
		out->ViewInfo[k].Route = best ? ref_handle(&best->hdr) : NULL;
		out->ViewInfo[k].Owner = best ? ref_handle(&best->owner->hdr) : NULL;
		out->ViewInfo[k].DestFlags = best ? best->info->Flags : 0;
		out->ViewInfo[k].HoldRoute = held ? ref_handle(&held->hdr) : NULL;
		k++;
	}
	out->NumberOfViews = k;
}

struct dest_info_iter {
	UINT count;
	const RTM_DEST_INFO *infos;
	size_t stride;
};

/* yields, per info: DestHandle, then Route, Owner, HoldRoute of each view */
static int dest_info_next(const void *ctx, size_t i, HANDLE *h, enum rtm_obj_kind *kind)
{
	const struct dest_info_iter *it = ctx;
	const size_t per_info = 1 + 3 * RTM_NUMBER_OF_VIEWS;
	size_t n = i / per_info, j = i % per_info;
	if (n >= it->count)
		return 0;
	const RTM_DEST_INFO *info = (const RTM_DEST_INFO *)((const char *)it->infos + n * it->stride);
	if (j == 0) {
		*h = info->DestHandle;
		*kind = OBJ_DEST;
		return 1;
	}
	size_t v = (j - 1) / 3, field = (j - 1) % 3;
	*h = NULL;
	*kind = OBJ_ROUTE;
	if (v >= info->NumberOfViews)
		return 1;
	if (field == 0) {
		*h = info->ViewInfo[v].Route;
	} else if (field == 1) {
		*h = info->ViewInfo[v].Owner;
		*kind = OBJ_ENTITY;
	} else {
		*h = info->ViewInfo[v].HoldRoute;
	}
	return 1;
}

/* the handles of at most FLAT_INFOS infos, NULLs left out */
#define FLAT_INFOS RTM_MAX_HANDLES_IN_ENUM
struct flat_iter {
	size_t n;
	HANDLE h[FLAT_INFOS * (1 + 3 * RTM_NUMBER_OF_VIEWS)];
	uint8_t kind[FLAT_INFOS * (1 + 3 * RTM_NUMBER_OF_VIEWS)];
};

static void flat_push(struct flat_iter *f, HANDLE h, enum rtm_obj_kind kind)
{
	if (h) {
		f->h[f->n] = h;
		f->kind[f->n++] = (uint8_t)kind;
	}
}

static int flat_next(const void *ctx, size_t i, HANDLE *h, enum rtm_obj_kind *kind)
{
	const struct flat_iter *f = ctx;
	if (i >= f->n)
		return 0;
	*h = f->h[i];
	*kind = (enum rtm_obj_kind)f->kind[i];
	return 1;
}

DWORD dest_release_infos(rtm_table *t, UINT count, const RTM_DEST_INFO *infos, size_t stride)
{
	for (UINT n = 0; n < count; n++) {
		const RTM_DEST_INFO *info = (const RTM_DEST_INFO *)((const char *)infos + n * stride);
		if (info->NumberOfViews > RTM_NUMBER_OF_VIEWS)
			return ERROR_INVALID_PARAMETER;
	}
	if (count > FLAT_INFOS) {
		struct dest_info_iter it = { count, infos, stride };
		return table_release(t, dest_info_next, &it);
	}
	/* the usual case (one info, or a batch of at most MaxHandlesInEnum):
	 * list the non-NULL handles first, so the release visits only those */
	struct flat_iter f;
	f.n = 0;
	for (UINT n = 0; n < count; n++) {
		const RTM_DEST_INFO *info = (const RTM_DEST_INFO *)((const char *)infos + n * stride);
		flat_push(&f, info->DestHandle, OBJ_DEST);
		for (UINT v = 0; v < info->NumberOfViews; v++) {
			flat_push(&f, info->ViewInfo[v].Route, OBJ_ROUTE);
			flat_push(&f, info->ViewInfo[v].Owner, OBJ_ENTITY);
			flat_push(&f, info->ViewInfo[v].HoldRoute, OBJ_ROUTE);
		}
	}
	return table_release(t, flat_next, &f);
}

int dest_can_free(const dest *d)
{
	if (d->ext)
		for (unsigned i = 0; i < RTM_OPAQUE_SLOTS; i++)
			if (d->ext->opaque[i])
				return 0; /* a client's data still hangs here (spec README, resolution 1) */
	return 1;
}

void dest_free(rtm_table *t, dest *d)
{
	pt_remove(&t->tree, &d->node);
	handle_retire(&d->hdr);
	free(d->ext);
	slab_free(&t->dest_slab, d);
}

/*
 * entity.c - registration, deregistration and the registered-entity list.
 *
 * Entity objects are type-stable: a freed entity goes to a per-table pool
 * and is only ever reused as an entity of the same table.  That lets
 * api_peek and api_enter find an entity's table from its handle without a
 * lock, before they know which table lock to take.
 */
#include "entity.h"
#include "dest.h"
#include "enum.h"
#include "events.h"
#include "lock.h"
#include "nexthop.h"
#include "notify.h"
#include "route.h"
#include "route_list.h"

#include <stdlib.h>
#include <string.h>

int api_peek(RTM_ENTITY_HANDLE reg) { return handle_peek_table(reg, OBJ_ENTITY) != NULL; }

DWORD api_enter(api_ctx *c, RTM_ENTITY_HANDLE reg, int write)
{
	rtm_table *t = handle_peek_table(reg, OBJ_ENTITY);
	if (!t)
		return ERROR_INVALID_HANDLE;
	if (write)
		table_wrlock(t);
	else
		table_rdlock(t);
	entity *e = entity_lookup(reg, t);
	if (!e || !e->registered) {
		if (write)
			table_wrunlock(t);
		else
			table_rdunlock(t);
		return ERROR_INVALID_HANDLE;
	}
	c->e = e;
	c->t = t;
	c->write = write;
	return NO_ERROR;
}

DWORD api_leave(api_ctx *c, DWORD err)
{
	if (c->write) {
		table_reap(c->t);
		table_wrunlock(c->t);
	} else {
		table_rdunlock(c->t);
	}
	return err;
}

static DWORD check_methods(const RTM_ENTITY_EXPORT_METHODS *m)
{
	if (!m)
		return NO_ERROR;
	if (m->NumMethods > RTM_MAX_METHODS)
		return ERROR_INVALID_DATA;
	for (UINT i = 0; i < m->NumMethods; i++)
		if (!m->Methods[i])
			return ERROR_INVALID_DATA;
	return NO_ERROR;
}

static entity *find_registered(const rtm_table *t, ULONGLONG id)
{
	for (entity *e = t->entities_head; e; e = e->next)
		if (e->registered && e->info.EntityId.EntityId == id)
			return e;
	return NULL;
}

static int reserve_opaque_slot(rtm_table *t)
{
	for (int i = 0; i < RTM_OPAQUE_SLOTS; i++)
		if (!(t->opaque_used & (1u << i))) {
			t->opaque_used |= (uint16_t)(1u << i);
			return i;
		}
	return -1;
}

static entity *entity_alloc(rtm_table *t)
{
	entity *e = t->entity_pool;
	if (e)
		t->entity_pool = e->next;
	else
		e = malloc(sizeof(*e));
	if (!e)
		return NULL;
	memset(e, 0, sizeof(*e));
	if (handle_assign(&e->hdr, OBJ_ENTITY, t) < 0) {
		e->next = t->entity_pool;
		t->entity_pool = e;
		return NULL;
	}
	return e;
}

DWORD WINAPI RtmRegisterEntity(PRTM_ENTITY_INFO RtmEntityInfo, PRTM_ENTITY_EXPORT_METHODS ExportMethods,
			       RTM_EVENT_CALLBACK EventCallback, WINBOOL ReserveOpaquePointer,
			       PRTM_REGN_PROFILE RtmRegProfile, PRTM_ENTITY_HANDLE RtmRegHandle)
{
	if (!RtmEntityInfo || !RtmRegProfile || !RtmRegHandle)
		return ERROR_INVALID_PARAMETER;
	if (RtmEntityInfo->AddressFamily != AF_INET && RtmEntityInfo->AddressFamily != AF_INET6)
		return ERROR_INVALID_PARAMETER;
	DWORD err = check_methods(ExportMethods);
	if (err)
		return err;
	rtm_table *t = table_get(RtmEntityInfo->RtmInstanceId, RtmEntityInfo->AddressFamily);
	if (!t)
		return ERROR_NOT_ENOUGH_MEMORY;

	table_wrlock(t);
	entity *e = NULL;
	int slot = -1;
	if (find_registered(t, RtmEntityInfo->EntityId.EntityId))
		err = ERROR_ALREADY_EXISTS;
	else if (ReserveOpaquePointer && (slot = reserve_opaque_slot(t)) < 0)
		err = ERROR_NO_SYSTEM_RESOURCES;
	else if (!(e = entity_alloc(t)))
		err = ERROR_NOT_ENOUGH_MEMORY;
	else if (events_entity_init(e) < 0)
		err = ERROR_NOT_ENOUGH_MEMORY;
	if (err) {
		if (slot >= 0)
			t->opaque_used &= (uint16_t) ~(1u << slot);
		if (e) {
			handle_retire(&e->hdr);
			e->next = t->entity_pool;
			t->entity_pool = e;
		}
		table_wrunlock(t);
		return err;
	}

	e->t = t;
	e->info = *RtmEntityInfo;
	e->callback = EventCallback;
	e->opaque_slot = (int8_t)slot;
	if (ExportMethods) {
		e->method_count = ExportMethods->NumMethods;
		memcpy(e->methods, ExportMethods->Methods, e->method_count * sizeof(e->methods[0]));
	}
	obj_link(&e->hdr); /* the registration itself */
	e->registered = 1;
	if (t->entities_tail)
		t->entities_tail->next = e;
	else
		t->entities_head = e;
	t->entities_tail = e;
	t->entity_count++;

	RtmRegProfile->MaxNextHopsInRoute = RTM_MAX_NEXTHOPS_IN_ROUTE;
	RtmRegProfile->MaxHandlesInEnum = RTM_MAX_HANDLES_IN_ENUM;
	RtmRegProfile->ViewsSupported = RTM_VIEWS_SUPPORTED;
	RtmRegProfile->NumberOfViews = RTM_NUMBER_OF_VIEWS;
	*RtmRegHandle = e->hdr.handle;
	events_entity_registered(t, e);
	table_wrunlock(t);
	return NO_ERROR;
}

static void unlink_registered(rtm_table *t, entity *e)
{
	entity **pp = &t->entities_head, *prev = NULL;
	while (*pp && *pp != e) {
		prev = *pp;
		pp = &(*pp)->next;
	}
	if (!*pp)
		return;
	*pp = e->next;
	if (t->entities_tail == e)
		t->entities_tail = prev;
	e->next = NULL;
	t->entity_count--;
}

/* delete every live route of e and clear its opaque slot, in one walk of the table */
static void remove_from_dests(rtm_table *t, entity *e)
{
	pt_node *n = pt_first(&t->tree);
	while (n) {
		dest *d = dest_of_node(n);
		obj_ref(&d->hdr); /* keep d (and so its tree position) while we change it */
		route *r = d->routes;
		while (r) {
			route *next = r->next;
			if (r->owner == e)
				route_delete(t, r, NULL);
			r = next;
		}
		if (e->opaque_slot >= 0 && d->ext)
			d->ext->opaque[e->opaque_slot] = NULL;
		pt_node *following = pt_next(&t->tree, n);
		obj_unref_internal(&d->hdr);
		if (obj_dead(&d->hdr))
			table_queue_reap(t, &d->hdr);
		n = following;
	}
}

DWORD WINAPI RtmDeregisterEntity(RTM_ENTITY_HANDLE RtmRegHandle)
{
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 1);
	if (err)
		return err;
	rtm_table *t = c.t;
	entity *e = c.e;

	e->registered = 0;
	events_entity_closing(t, e);
	lock_entity_closing(t, e);
	remove_from_dests(t, e);
	while (e->nexthop_count)
		nexthop_delete(t, e->nexthops[e->nexthop_count - 1]);
	notify_entity_closing(t, e);
	enum_entity_closing(t, e);
	route_list_entity_closing(t, e);
	if (e->opaque_slot >= 0)
		t->opaque_used &= (uint16_t) ~(1u << e->opaque_slot);
	e->opaque_slot = -1;
	unlink_registered(t, e);
	table_reap(t);
	table_wrunlock(t);

	/* outside the lock: wait for e's running callbacks, then tell the others */
	events_entity_deregistered(t, e);
	table_wrlock(t);
	obj_unlink(&e->hdr);
	if (obj_dead(&e->hdr))
		table_queue_reap(t, &e->hdr);
	table_reap(t);
	table_wrunlock(t);
	return NO_ERROR;
}

void entity_free(rtm_table *t, entity *e)
{
	events_entity_free(e);
	free(e->nexthops);
	handle_retire(&e->hdr);
	e->next = t->entity_pool;
	t->entity_pool = e;
}

DWORD WINAPI RtmGetRegisteredEntities(RTM_ENTITY_HANDLE RtmRegHandle, PUINT NumEntities,
				      PRTM_ENTITY_HANDLE EntityHandles, PRTM_ENTITY_INFO EntityInfos)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!NumEntities)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 0);
	if (err)
		return err;
	UINT total = 0, room = *NumEntities, written = 0;
	for (entity *e = c.t->entities_head; e; e = e->next) {
		if (!e->registered)
			continue;
		total++;
		if (written >= room)
			continue;
		if (EntityHandles) {
			obj_ref(&e->hdr);
			EntityHandles[written] = e->hdr.handle;
		}
		if (EntityInfos)
			EntityInfos[written] = e->info;
		written++;
	}
	if (room == 0) {
		*NumEntities = total;
		err = ERROR_INSUFFICIENT_BUFFER;
	} else {
		*NumEntities = written;
		err = written < total ? ERROR_INSUFFICIENT_BUFFER : NO_ERROR;
	}
	return api_leave(&c, err);
}

DWORD WINAPI RtmReleaseEntities(RTM_ENTITY_HANDLE RtmRegHandle, UINT NumEntities, PRTM_ENTITY_HANDLE EntityHandles)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!EntityHandles && NumEntities)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 0);
	if (err)
		return err;
	return api_leave(&c, table_release_array(c.t, OBJ_ENTITY, NumEntities, EntityHandles));
}

DWORD WINAPI RtmGetEntityInfo(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ENTITY_HANDLE EntityHandle,
			      PRTM_ENTITY_INFO EntityInfo)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!EntityInfo)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 0);
	if (err)
		return err;
	entity *e = entity_lookup(EntityHandle, c.t);
	if (!e || !e->registered)
		err = ERROR_INVALID_HANDLE;
	else
		*EntityInfo = e->info;
	return api_leave(&c, err);
}

DWORD WINAPI RtmReleaseEntityInfo(RTM_ENTITY_HANDLE RtmRegHandle, PRTM_ENTITY_INFO EntityInfo)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!EntityInfo)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 0);
	if (err)
		return err;
	/* RTM_ENTITY_INFO carries no reference (spec functions-1 §3.5) */
	return api_leave(&c, NO_ERROR);
}

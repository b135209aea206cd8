/*
 * route_list.c - client route lists (spec functions-2 §4, concepts §14).
 *
 * A route list is a private, insertion-ordered list of some of its owner's
 * live routes.  Membership is threaded through the routes themselves
 * (route_ext.list / list_prev / list_next), so a route is in at most one
 * list, moving it is O(1), and deleting a route (route_delete calls
 * route_list_remove) takes it out of its list with no search.  Membership is
 * not a reference: a list never keeps a route alive, and only live routes
 * are ever members, so a member pointer is always safe to follow under the
 * table lock.
 *
 * A list enumeration (RtmCreateRouteListEnum) is a position in one list:
 * the member it returned last, or "before the first".  Its list keeps track
 * of its open enumerations, and whenever a member leaves the list each
 * enumeration standing on it steps back to the member before it.  So a
 * batch always resumes right after everything it has returned that is still
 * there: a member removed ahead of the position is not returned, a route
 * appended (or moved to the end) before the position gets there is, and a
 * route returned and then moved to the end of the same list comes back
 * again.  Deleting the list detaches its enumerations; they then return no
 * routes but their handles stay valid until RtmDeleteEnumHandle.
 *
 * Everything that changes a list or a position runs under the table's write
 * lock, except the position update of a batch, which runs under the read
 * lock and the enumeration's own mutex (enum.h): writers exclude it, and
 * two batches on one enumeration are serialised.
 *
 * List objects are OBJ_ROUTE_LIST handles: live (one link) from creation to
 * RtmDeleteRouteList or the owner's deregistration, then retired and freed
 * at once; nothing else ever holds them.
 */
#include "route_list.h"
#include "enum.h"

#include <stdlib.h>
#include <string.h>

struct list_enum;

typedef struct route_list {
	rtm_obj hdr;
	entity *owner;
	route *head, *tail;        /* members in insertion order */
	struct list_enum *enums;   /* open enumerations of this list */
	struct route_list *tprev, *tnext; /* the table's lists */
} route_list;

typedef struct list_enum {
	enum_obj base;             /* first: enum.c hands this pointer back */
	route_list *list;          /* NULL once the list is deleted */
	route *pos;                /* last member returned; NULL: before the first */
	struct list_enum *prev, *next; /* in list->enums */
} list_enum;

/* the lists of each table, for the owner's deregistration (write lock) */

struct route_list *route_list_lookup(rtm_table *t, entity *e, HANDLE h)
{
	route_list *l = (route_list *)handle_lookup(h, OBJ_ROUTE_LIST, t);
	return l && l->owner == e ? l : NULL;
}

/* api_enter, then resolve the caller's list h; on failure unlocked again */
static DWORD list_enter(api_ctx *c, RTM_ENTITY_HANDLE reg, HANDLE h, route_list **l)
{
	DWORD err = api_enter(c, reg, 1);
	if (err)
		return err;
	*l = route_list_lookup(c->t, c->e, h);
	return *l ? NO_ERROR : api_leave(c, ERROR_INVALID_HANDLE);
}

void route_list_remove(route *r)
{
	route_ext *x = r->ext;
	route_list *l = x ? x->list : NULL;
	if (!l)
		return;
	for (list_enum *le = l->enums; le; le = le->next)
		if (le->pos == r)
			le->pos = x->list_prev;
	if (x->list_prev)
		x->list_prev->ext->list_next = x->list_next;
	else
		l->head = x->list_next;
	if (x->list_next)
		x->list_next->ext->list_prev = x->list_prev;
	else
		l->tail = x->list_prev;
	x->list = NULL;
	x->list_prev = x->list_next = NULL;
}

/* append r, which has an extension and is in no list */
static void list_append(route_list *l, route *r)
{
	route_ext *x = r->ext;
	x->list = l;
	x->list_prev = l->tail;
	x->list_next = NULL;
	if (l->tail)
		l->tail->ext->list_next = r;
	else
		l->head = r;
	l->tail = r;
}

void route_list_move(route *r, struct route_list *l)
{
	if (!route_live(r))
		return;
	route_list_remove(r);
	if (l && route_ext_get(r))
		list_append(l, r);
}

/* empty l, detach its enumerations, forget it and free it (write lock) */
static void list_delete(rtm_table *t, route_list *l)
{
	while (l->head)
		route_list_remove(l->head);
	for (list_enum *le = l->enums, *next; le; le = next) {
		next = le->next;
		le->list = NULL;
		le->pos = NULL;
		le->prev = le->next = NULL;
	}
	l->enums = NULL;
	if (l->tprev)
		l->tprev->tnext = l->tnext;
	else
		t->route_lists = l->tnext;
	if (l->tnext)
		l->tnext->tprev = l->tprev;
	obj_unlink(&l->hdr);
	handle_retire(&l->hdr);
	free(l);
}

void route_list_entity_closing(rtm_table *t, entity *e)
{
	for (route_list *l = t->route_lists, *next; l; l = next) {
		next = l->tnext;
		if (l->owner == e)
			list_delete(t, l);
	}
}

DWORD WINAPI RtmCreateRouteList(RTM_ENTITY_HANDLE RtmRegHandle, PRTM_ROUTE_LIST_HANDLE RouteListHandle)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!RouteListHandle)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 1);
	if (err)
		return err;
	route_list *l = calloc(1, sizeof(*l));
	if (!l)
		return api_leave(&c, ERROR_NOT_ENOUGH_MEMORY);
	if (handle_assign(&l->hdr, OBJ_ROUTE_LIST, c.t) < 0) {
		free(l);
		return api_leave(&c, ERROR_NOT_ENOUGH_MEMORY);
	}
	l->owner = c.e;
	obj_link(&l->hdr); /* exists until deleted */
	l->tnext = c.t->route_lists;
	if (l->tnext)
		l->tnext->tprev = l;
	c.t->route_lists = l;
	*RouteListHandle = l->hdr.handle;
	return api_leave(&c, NO_ERROR);
}

DWORD WINAPI RtmInsertInRouteList(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ROUTE_LIST_HANDLE RouteListHandle,
				  UINT NumRoutes, PRTM_ROUTE_HANDLE RouteHandles)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!RouteHandles && NumRoutes)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 1);
	if (err)
		return err;
	route_list *l = NULL;
	if (RouteListHandle && !(l = route_list_lookup(c.t, c.e, RouteListHandle)))
		return api_leave(&c, ERROR_INVALID_HANDLE);
	/* every handle first, then ownership, then memory: on any error nothing moves */
	for (UINT i = 0; i < NumRoutes; i++)
		if (!route_lookup(RouteHandles[i], c.t))
			return api_leave(&c, ERROR_INVALID_HANDLE);
	for (UINT i = 0; i < NumRoutes; i++)
		if (route_lookup(RouteHandles[i], c.t)->owner != c.e)
			return api_leave(&c, ERROR_ACCESS_DENIED);
	if (l)
		for (UINT i = 0; i < NumRoutes; i++) {
			route *r = route_lookup(RouteHandles[i], c.t);
			if (route_live(r) && !route_ext_get(r))
				return api_leave(&c, ERROR_NOT_ENOUGH_MEMORY);
		}
	for (UINT i = 0; i < NumRoutes; i++)
		route_list_move(route_lookup(RouteHandles[i], c.t), l);
	return api_leave(&c, NO_ERROR);
}

static void list_enum_destroy(rtm_table *t, enum_obj *en)
{
	(void)t;
	list_enum *le = (list_enum *)en;
	route_list *l = le->list;
	if (l) {
		if (le->prev)
			le->prev->next = le->next;
		else
			l->enums = le->next;
		if (le->next)
			le->next->prev = le->prev;
	}
	free(le);
}

DWORD WINAPI RtmCreateRouteListEnum(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ROUTE_LIST_HANDLE RouteListHandle,
				    PRTM_ENUM_HANDLE RtmEnumHandle)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!RtmEnumHandle)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	route_list *l;
	DWORD err = list_enter(&c, RtmRegHandle, RouteListHandle, &l);
	if (err)
		return err;
	list_enum *le = calloc(1, sizeof(*le));
	if (!le)
		return api_leave(&c, ERROR_NOT_ENOUGH_MEMORY);
	if (enum_register(c.t, c.e, &le->base, list_enum_destroy) < 0) {
		free(le);
		return api_leave(&c, ERROR_NOT_ENOUGH_MEMORY);
	}
	le->list = l;
	le->next = l->enums;
	if (le->next)
		le->next->prev = le;
	l->enums = le;
	*RtmEnumHandle = le->base.hdr.handle;
	return api_leave(&c, NO_ERROR);
}

DWORD WINAPI RtmGetListEnumRoutes(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ENUM_HANDLE EnumHandle, PUINT NumRoutes,
				  PRTM_ROUTE_HANDLE RouteHandles)
{
	enum_batch b;
	DWORD err = enum_batch_begin(&b, RtmRegHandle, EnumHandle, list_enum_destroy, NumRoutes, RouteHandles);
	if (err || !b.en)
		return err;
	list_enum *le = (list_enum *)b.en;
	UINT room = *NumRoutes, got = 0;
	route *r = le->pos ? le->pos->ext->list_next : le->list ? le->list->head : NULL;
	for (; r && got < room; r = r->ext->list_next) {
		obj_ref(&r->hdr);
		RouteHandles[got++] = r->hdr.handle;
		le->pos = r;
	}
	*NumRoutes = got;
	/* the end is a short batch, never ERROR_NO_MORE_ITEMS (spec functions-2 §4.4) */
	return enum_batch_end(&b, NO_ERROR);
}

DWORD WINAPI RtmDeleteRouteList(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ROUTE_LIST_HANDLE RouteListHandle)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	api_ctx c;
	route_list *l;
	DWORD err = list_enter(&c, RtmRegHandle, RouteListHandle, &l);
	if (err)
		return err;
	list_delete(c.t, l);
	return api_leave(&c, NO_ERROR);
}

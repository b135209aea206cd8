/*
 * enum.c - the enumeration-handle base shared by every kind of enumeration:
 * registration, owner-checked lookup, closing, the pinning protocol of batch
 * calls, RtmDeleteEnumHandle, and the prefix-order position (enum_pos).
 *
 * The rules are in enum.h.  In short: a handle's reference and the
 * references of running batches are one atomic count; the handle is retired
 * as soon as the enumeration is closed, and the object is destroyed (under
 * the table's write lock) by whoever drops the last reference, so a batch
 * running while another thread deletes the handle finishes normally.
 *
 * Open enumerations of all tables are kept in one list so that an entity's
 * deregistration can close its own (entities have no field for them); the
 * list has its own leaf lock, taken after the table lock.
 */
#include "enum.h"
#include "lock.h"

#include <stdlib.h>
#include <string.h>

static rtm_rwlock open_lock = RTM_RWLOCK_INIT; /* leaf lock of open_head (used exclusively) */
static enum_obj *open_head;

static void open_list_add(enum_obj *en)
{
	rtm_rwlock_wrlock(&open_lock);
	en->owner_prev = NULL;
	en->owner_next = open_head;
	if (open_head)
		open_head->owner_prev = en;
	open_head = en;
	rtm_rwlock_wrunlock(&open_lock);
}

/* caller holds open_lock */
static void open_list_remove(enum_obj *en)
{
	if (en->owner_prev)
		en->owner_prev->owner_next = en->owner_next;
	else
		open_head = en->owner_next;
	if (en->owner_next)
		en->owner_next->owner_prev = en->owner_prev;
	en->owner_next = en->owner_prev = NULL;
}

int enum_register(rtm_table *t, entity *owner, enum_obj *en, enum_destroy_fn destroy)
{
	if (handle_assign(&en->hdr, OBJ_ENUM, t) < 0)
		return -1;
	en->owner = owner;
	en->destroy = destroy;
	en->closed = 0;
	rtm_mutex_init(&en->mutex);
	__atomic_store_n(&en->hdr.refs, 1, __ATOMIC_RELEASE); /* the handle's reference */
	open_list_add(en);
	return 0;
}

DWORD enum_publish(api_ctx *c, enum_obj *en, enum_destroy_fn destroy, PRTM_ENUM_HANDLE out)
{
	if (!en || enum_register(c->t, c->e, en, destroy) < 0) {
		free(en);
		return ERROR_NOT_ENOUGH_MEMORY;
	}
	*out = en->hdr.handle;
	return NO_ERROR;
}

enum_obj *enum_lookup(rtm_table *t, const entity *owner, HANDLE h)
{
	enum_obj *en = (enum_obj *)handle_lookup(h, OBJ_ENUM, t);
	return en && en->owner == owner && !en->closed ? en : NULL;
}

/* drop one reference; destroy on the last.  Caller holds t's write lock. */
static void enum_unref_locked(rtm_table *t, enum_obj *en)
{
	if (__atomic_sub_fetch(&en->hdr.refs, 1, __ATOMIC_ACQ_REL) == 0) {
		rtm_mutex_destroy(&en->mutex);
		en->destroy(t, en);
	}
}

/* the same with no table lock held (end of a batch) */
static void enum_unref(rtm_table *t, enum_obj *en)
{
	if (__atomic_sub_fetch(&en->hdr.refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	table_wrlock(t);
	rtm_mutex_destroy(&en->mutex);
	en->destroy(t, en);
	table_reap(t); /* destroy may have dropped references */
	table_wrunlock(t);
}

/* en is already out of the open list */
static void close_unlisted(rtm_table *t, enum_obj *en)
{
	en->closed = 1;
	handle_retire(&en->hdr);
	enum_unref_locked(t, en);
}

void enum_close(rtm_table *t, enum_obj *en)
{
	rtm_rwlock_wrlock(&open_lock);
	open_list_remove(en);
	rtm_rwlock_wrunlock(&open_lock);
	close_unlisted(t, en);
}

void enum_entity_closing(rtm_table *t, entity *e)
{
	/* take e's enumerations out of the list first: destroy may take other locks */
	enum_obj *mine = NULL;
	rtm_rwlock_wrlock(&open_lock);
	for (enum_obj *en = open_head, *next; en; en = next) {
		next = en->owner_next;
		if (en->owner != e)
			continue;
		open_list_remove(en);
		en->owner_next = mine;
		mine = en;
	}
	rtm_rwlock_wrunlock(&open_lock);
	while (mine) {
		enum_obj *next = mine->owner_next;
		mine->owner_next = NULL;
		close_unlisted(t, mine);
		mine = next;
	}
}

DWORD WINAPI RtmDeleteEnumHandle(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ENUM_HANDLE EnumHandle)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 1);
	if (err)
		return err;
	enum_obj *en = enum_lookup(c.t, c.e, EnumHandle);
	if (!en)
		return api_leave(&c, ERROR_INVALID_HANDLE);
	enum_close(c.t, en);
	return api_leave(&c, NO_ERROR);
}

/* the part of enum_batch_begin after the pointer checks */
static DWORD batch_pin(enum_batch *b, RTM_ENTITY_HANDLE reg, HANDLE h, enum_destroy_fn kind, UINT want)
{
	DWORD err = api_enter(&b->c, reg, 0);
	if (err)
		return err;
	rtm_table *t = b->c.t;
	enum_obj *en = enum_lookup(t, b->c.e, h);
	if (!en || en->destroy != kind)
		return api_leave(&b->c, ERROR_INVALID_HANDLE);
	if (want > RTM_MAX_HANDLES_IN_ENUM)
		return api_leave(&b->c, ERROR_INVALID_PARAMETER);
	if (want == 0)
		return api_leave(&b->c, NO_ERROR);
	obj_ref(&en->hdr); /* keeps en (not its handle) alive while we wait */
	api_leave(&b->c, NO_ERROR);

	rtm_mutex_lock(&en->mutex);
	err = api_enter(&b->c, reg, 0);
	if (!err && en->closed)
		err = api_leave(&b->c, ERROR_INVALID_HANDLE); /* deleted while we waited */
	if (err) {
		rtm_mutex_unlock(&en->mutex);
		enum_unref(t, en);
		return err;
	}
	b->en = en;
	return NO_ERROR;
}

DWORD enum_batch_begin(enum_batch *b, RTM_ENTITY_HANDLE reg, HANDLE h, enum_destroy_fn kind, PUINT count,
		       const void *out)
{
	DWORD err;
	b->en = NULL;
	b->reg = reg;
	if (!api_peek(reg))
		err = ERROR_INVALID_HANDLE;
	else if (!count)
		return ERROR_INVALID_PARAMETER;
	else if (*count && !out)
		err = ERROR_INVALID_PARAMETER;
	else
		err = batch_pin(b, reg, h, kind, *count);
	if (err && count)
		*count = 0;
	return err;
}

DWORD enum_batch_end(enum_batch *b, DWORD err)
{
	enum_obj *en = b->en;
	api_leave(&b->c, NO_ERROR);
	rtm_mutex_unlock(&en->mutex);
	enum_unref(b->c.t, en);
	return err;
}

DWORD enum_batch_wait(enum_batch *b, rtm_obj *obj, struct client_lock *const *slot)
{
	/* not held while waiting: the lock holder may use this handle too (then it moves on first) */
	rtm_mutex_unlock(&b->en->mutex);
	api_wait_lock(&b->c, obj, slot, 0);
	rtm_mutex_lock(&b->en->mutex);
	return api_enter(&b->c, b->reg, 0);
}

DWORD enum_batch_abort(enum_batch *b, DWORD err)
{
	rtm_mutex_unlock(&b->en->mutex);
	enum_unref(b->c.t, b->en);
	return err;
}

void enum_pos_init(enum_pos *p, const rtm_table *t, RTM_ENUM_FLAGS flags, const RTM_NET_ADDRESS *addr)
{
	memset(p, 0, sizeof(*p));
	if (flags & ENUM_POSITION_FLAGS) {
		table_canonical_key(t, addr, p->start);
		p->start_len = (uint8_t)addr->NumBits;
		p->range = (flags & RTM_ENUM_RANGE) != 0;
	}
}

pt_node *enum_pos_resume(const enum_pos *p, const pt_tree *tree, int at_last)
{
	if (p->done)
		return NULL;
	pt_node *n = p->started ? pt_seek(tree, p->key, p->len, at_last) : pt_seek(tree, p->start, p->start_len, 1);
	return n && enum_pos_in_range(p, n->key, n->len) ? n : NULL;
}

DWORD enum_check_views(RTM_VIEW_SET target, DWORD *views)
{
	if (target == RTM_VIEW_MASK_ALL) {
		*views = RTM_VIEWS_SUPPORTED;
		return NO_ERROR;
	}
	if (target & ~(DWORD)RTM_VIEWS_SUPPORTED)
		return ERROR_NOT_SUPPORTED;
	*views = target;
	return NO_ERROR;
}

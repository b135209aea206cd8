/*
 * enum.h - enumeration handles (destination, route, next-hop and route-list
 * enumerations), private to the entity that created them.
 *
 * Every kind of enumeration starts with an enum_obj; RtmDeleteEnumHandle
 * serves them all.  The kind of an enumeration is its destroy function: a
 * batch function accepts a handle only if en->destroy is its own kind's
 * (so a route enumeration handle given to RtmGetEnumDests is invalid).
 *
 * Lifetime (the handle.h rules, specialised): hdr.refs is 1 for the handle
 * itself plus 1 per batch call in flight; hdr.links stays 0.  Closing
 * (RtmDeleteEnumHandle, deregistration of the owner) retires the handle
 * under the write lock, so the handle is stale the moment the call returns,
 * and drops the handle's reference.  Whoever drops the last reference calls
 * destroy, always under the table's write lock; destroy frees the object.
 *
 * Batches: a batch call pins the enumeration (a reference taken under the
 * read lock), drops the table lock, takes the enumeration's mutex, and then
 * takes the read lock again to do its work.  So the order is always
 * "enumeration mutex, then table lock", two threads sharing a handle are
 * serialised, and no thread ever waits for the mutex while it holds a table
 * lock.  No table lock is held between batches: every batch resumes from a
 * key it copied (enum_pos), never from a pointer into the table.
 */
#ifndef RTM_ENUM_H
#define RTM_ENUM_H

#include "entity.h"

#include <string.h>

struct enum_obj;
typedef void (*enum_destroy_fn)(rtm_table *t, struct enum_obj *en);

typedef struct enum_obj {
	rtm_obj hdr;
	entity *owner;
	struct enum_obj *owner_next, *owner_prev; /* every open enumeration (enum.c) */
	rtm_mutex mutex;                          /* serialises batches on this handle */
	enum_destroy_fn destroy;                  /* frees the object; also its kind */
	uint8_t closed;                           /* handle retired (write lock) */
} enum_obj;

/*
 * enum_register - give en (zeroed, kind fields filled) a handle and attach it
 * to its owner.  Write lock.  0 ok, -1 no memory (en untouched, not freed).
 */
int enum_register(rtm_table *t, entity *owner, enum_obj *en, enum_destroy_fn destroy);
/*
 * enum_publish - register en (allocated by the caller with malloc/calloc,
 * kind fields filled) for the caller of c and write its handle to *out.
 * On failure frees en and returns ERROR_NOT_ENOUGH_MEMORY.  Write lock.
 */
DWORD enum_publish(api_ctx *c, enum_obj *en, enum_destroy_fn destroy, PRTM_ENUM_HANDLE out);
/* an open enumeration handle of owner (any kind), or NULL.  Table lock held. */
enum_obj *enum_lookup(rtm_table *t, const entity *owner, HANDLE h);
/* close en: retire its handle, free it unless a batch still runs.  Write lock. */
void enum_close(rtm_table *t, enum_obj *en);
/* close every enumeration of e (deregistration, write lock) */
void enum_entity_closing(rtm_table *t, entity *e);

/*
 * A batch call, from validation to the end:
 *
 *	enum_batch b;
 *	DWORD err = enum_batch_begin(&b, RtmRegHandle, EnumHandle, my_destroy, pCount, Out);
 *	if (err || !b.en)
 *		return err;
 *	... b.c.t is read-locked, b.c.e is the caller, b.en the enumeration ...
 *	return enum_batch_end(&b, err);
 *
 * enum_batch_begin validates in the order of spec functions-2 §0.2 (caller,
 * pointers, the enumeration handle and its kind, then *pCount against
 * MaxHandlesInEnum).  On failure it sets *pCount to 0 (when pCount is not
 * NULL) and returns the error.  *pCount == 0 returns NO_ERROR with b.en NULL:
 * nothing to do, the position does not move.  Otherwise it returns NO_ERROR
 * with the enumeration's mutex and the table's read lock held.
 */
typedef struct enum_batch {
	api_ctx c;
	enum_obj *en;
	RTM_ENTITY_HANDLE reg;
} enum_batch;

DWORD enum_batch_begin(enum_batch *b, RTM_ENTITY_HANDLE reg, HANDLE h, enum_destroy_fn kind, PUINT count,
		       const void *out);
/* unlock and unpin; returns err */
DWORD enum_batch_end(enum_batch *b, DWORD err);
/*
 * enum_batch_wait - the batch reached an object (obj, its client-lock slot)
 * that another thread's client lock keeps from readers (spec functions-1
 * 1.8: enumerations reaching a locked destination wait): leave the table
 * lock and the enumeration's mutex, wait for the release, and take both
 * again.  NO_ERROR: read-locked again, and the caller resumes from its
 * position (a key: the table, or another batch on the same handle, may have
 * moved on meanwhile; the caller set the position before waiting).  Otherwise the
 * table is not locked: the caller releases what the batch gathered, sets the
 * count to 0 and returns enum_batch_abort(b, err).
 */
struct client_lock;
DWORD enum_batch_wait(enum_batch *b, rtm_obj *obj, struct client_lock *const *slot);
DWORD enum_batch_abort(enum_batch *b, DWORD err);

/*
 * enum_pos - where a walk in prefix order (spec functions-2 §0.4) starts,
 * where it stops, and the last key it returned.  Used by the destination
 * and route enumerations over the prefix tree and by next-hop enumerations
 * over an entity's sorted next hops.
 */
typedef struct enum_pos {
	uint8_t start[PT_MAX_KEY_BYTES]; /* first key, inclusive (0/0 for START) */
	uint8_t start_len;
	uint8_t range;                   /* RANGE: keys outside (start, start_len) end the walk */
	uint8_t started;                 /* something was returned: key/len are valid */
	uint8_t done;                    /* the end was reported: final */
	uint8_t key[PT_MAX_KEY_BYTES];   /* last key returned */
	uint8_t len;
} enum_pos;

/* the position flags RTM_ENUM_START/NEXT/RANGE of every enumeration */
#define ENUM_POSITION_FLAGS (RTM_ENUM_NEXT | RTM_ENUM_RANGE)

/*
 * enum_pos_init - START (whole table), NEXT (from addr, inclusive) or RANGE
 * (inside addr) per flags; NEXT|RANGE is RANGE.  addr is read only for NEXT
 * and RANGE and must then be valid (table_check_address).
 */
void enum_pos_init(enum_pos *p, const rtm_table *t, RTM_ENUM_FLAGS flags, const RTM_NET_ADDRESS *addr);
/*
 * enum_pos_resume - the first tree node to look at: the start key (inclusive)
 * the first time, else the node after the last key returned (or at it, when
 * at_last).  NULL when the walk is over.
 */
pt_node *enum_pos_resume(const enum_pos *p, const pt_tree *tree, int at_last);
/* does (key, len) lie inside the walk's range (always, without RANGE)? */
static inline int enum_pos_in_range(const enum_pos *p, const uint8_t *key, unsigned len)
{
	return !p->range || pt_contains(p->start, p->start_len, key, len);
}
/*
 * enum_prefetch_children - a walk in key order visits n's children after n
 * (the 1-side after the whole 0-side): asking for both lines now lets their
 * cache misses overlap the work on n and its 0-side instead of following it.
 */
static inline void enum_prefetch_children(const pt_node *n)
{
	__builtin_prefetch(n->child[0]);
	__builtin_prefetch(n->child[1]);
}
static inline void enum_pos_set(enum_pos *p, const uint8_t *key, unsigned len)
{
	memcpy(p->key, key, PT_MAX_KEY_BYTES);
	p->len = (uint8_t)len;
	p->started = 1;
}

/*
 * enum_check_views - TargetViews of RtmCreateDestEnum/RtmCreateRouteEnum:
 * ERROR_NOT_SUPPORTED for bits outside the supported views unless exactly
 * RTM_VIEW_MASK_ALL; else *views = the effective mask (0 = any).
 */
DWORD enum_check_views(RTM_VIEW_SET target, DWORD *views);

/* end-of-batch status of spec functions-2 §0.9: fewer than asked is the end */
static inline DWORD enum_batch_status(enum_pos *p, UINT got, UINT want)
{
	if (got < want) {
		p->done = 1;
		return ERROR_NO_MORE_ITEMS;
	}
	return NO_ERROR;
}

#endif

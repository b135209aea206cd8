/*
 * handle.h - RTM handles: encoded, validated, reference counted.
 *
 * Every object RTM hands to a client (entity, destination, route, next hop,
 * enumeration, notification registration, route list) starts with an
 * rtm_obj header and is named by a handle: an index into one process-wide
 * slot table plus a generation, never a raw pointer.  A handle is resolved
 * by looking up its slot and checking generation, kind and table, so
 * garbage, stale and wrong-kind handles are rejected without touching
 * freed memory.
 *
 * Handle value:  ((slot index + 1) << GEN_BITS) | (generation & GEN_MASK)
 *   x86:  24-bit index, 8-bit generation (fits a 32-bit HANDLE)
 *   x64:  32-bit index space used up to 2^24, 24-bit generation
 * Freed slots are reused first-in first-out, so a stale handle aliases a new
 * object only after a slot has been recycled 2^GEN_BITS times.
 *
 * Lifetime rules (the one place they are written down):
 *  - refs  ("C") counts references: every handle given to a client plus
 *    RTM's own references that the documented in-place update protocol lets
 *    clients move (a route's on its dest, owner, neighbour and next hops).
 *  - links ("L") counts RTM's structural links (entity registered, route in
 *    its destination, next hop in its owner's list or used by a route, ...).
 *  - An object is dead when both are zero.  Client releases never take refs
 *    below zero (that release fails with ERROR_INVALID_HANDLE); RTM's own
 *    decrements stop at zero.  So a miscounting client can leak or get
 *    errors but can never make RTM use freed memory.
 *  - Objects of a table are created and freed only under that table's write
 *    lock.  Readers (under the read lock) only take references on objects
 *    that are linked (L > 0) or that the caller already references, so a
 *    dead object is never revived except by a racing, buggy client; the
 *    reaper re-checks both counts before freeing.
 *  - A release made under the read lock that leaves an object dead queues it
 *    on the table's reap list; the caller then takes the write lock and reaps
 *    (table_reap) before returning, so objects are gone when the last
 *    release returns.
 */
#ifndef RTM_HANDLE_H
#define RTM_HANDLE_H

#include "platform/win_types.h"
#include <stdint.h>

struct rtm_table;

enum rtm_obj_kind {
	OBJ_FREE = 0,
	OBJ_ENTITY,
	OBJ_DEST,
	OBJ_ROUTE,
	OBJ_NEXTHOP,
	OBJ_ENUM,
	OBJ_NOTIFY,
	OBJ_ROUTE_LIST,
	OBJ_KIND_COUNT
};

typedef struct rtm_obj {
	HANDLE handle;
	uint32_t refs;  /* C: atomic */
	uint32_t links; /* L: changed under the table's write lock (atomically read) */
	struct rtm_obj *reap_next;
	uint8_t kind;
	uint8_t reap_queued;
	uint16_t table_index;
} rtm_obj;

/* assigns a slot and handle to obj; kind and table recorded. 0 ok, -1 full/no memory */
int handle_assign(rtm_obj *obj, enum rtm_obj_kind kind, struct rtm_table *t);
/* frees obj's slot; the handle becomes stale */
void handle_retire(rtm_obj *obj);
/*
 * handle_lookup - resolve a handle to a live object of kind in table t.
 * Returns NULL for NULL, garbage, stale, wrong kind, other table, or dead.
 * Caller holds t's lock (read or write).
 */
rtm_obj *handle_lookup(HANDLE h, enum rtm_obj_kind kind, const struct rtm_table *t);
/* as handle_lookup, but also returns dead objects not yet reaped */
rtm_obj *handle_lookup_any(HANDLE h, enum rtm_obj_kind kind, const struct rtm_table *t);
/* an object of any kind in t, dead or not (NULL if the handle names none) */
rtm_obj *handle_lookup_untyped(HANDLE h, const struct rtm_table *t);
/* kind of a live handle in table t, OBJ_FREE if not one */
enum rtm_obj_kind handle_kind(HANDLE h, const struct rtm_table *t);
/* unlocked peek used only to find the table of an entity handle */
struct rtm_table *handle_peek_table(HANDLE h, enum rtm_obj_kind kind);

static inline int obj_dead(const rtm_obj *o)
{
	return __atomic_load_n(&o->refs, __ATOMIC_ACQUIRE) == 0 &&
	       __atomic_load_n(&o->links, __ATOMIC_ACQUIRE) == 0;
}

static inline void obj_ref(rtm_obj *o) { __atomic_add_fetch(&o->refs, 1, __ATOMIC_RELAXED); }

/* client-side release: fails (returns 0) if refs is already 0 */
int obj_try_unref(rtm_obj *o);
/* RTM-side decrement of refs, stops at zero */
void obj_unref_internal(rtm_obj *o);

static inline void obj_link(rtm_obj *o) { __atomic_add_fetch(&o->links, 1, __ATOMIC_RELAXED); }
static inline void obj_unlink(rtm_obj *o)
{
	uint32_t l = __atomic_load_n(&o->links, __ATOMIC_RELAXED);
	if (l)
		__atomic_store_n(&o->links, l - 1, __ATOMIC_RELEASE);
}

/* RTM's own reference: moves refs and links together */
static inline void obj_hold(rtm_obj *o)
{
	obj_ref(o);
	obj_link(o);
}
void obj_drop(struct rtm_table *t, rtm_obj *o);

/* live objects of a kind (OBJ_FREE: all kinds), for the statistics hook */
uint32_t handle_live_count(enum rtm_obj_kind kind);

#endif

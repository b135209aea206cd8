/*
 * table.h - one routing table per (RtmInstanceId, AddressFamily).
 *
 * Entities registered with the same pair share a table: its destinations
 * (indexed by a prefix tree), routes, next hops, entities and notification
 * registrations.  Each table has one reader/writer lock; lookups, info calls
 * and enumeration batches take it shared, everything that changes the table
 * takes it exclusive.  Tables are created on first registration and are
 * never freed (they are few, and a table pointer read without a lock must
 * stay valid); an emptied table is simply reused by the next registration.
 *
 * Lock order: client locks (RtmLockDestination & co.) are always waited for
 * with no table lock held; table lock; then the small leaf locks (the
 * handle table's free list, dispatcher queues; the reap list takes none).
 * No callback ever runs under any of them.
 */
#ifndef RTM_TABLE_H
#define RTM_TABLE_H

#include "handle.h"
#include "platform/sync.h"
#include "prefix_tree.h"
#include "slab.h"

#include <rtmv2.h>

/* The registration profile every table reports (spec README, resolution 4). */
#define RTM_MAX_NEXTHOPS_IN_ROUTE 8
#define RTM_MAX_HANDLES_IN_ENUM 100
#define RTM_VIEWS_SUPPORTED (RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST)
#define RTM_NUMBER_OF_VIEWS 2
/* opaque-pointer slots per destination, first come first served */
#define RTM_OPAQUE_SLOTS 16
/* change-notification registrations per table, all entities together */
#define RTM_MAX_NOTIFY_REGS 32
#define RTM_MAX_METHODS 32

struct entity;
struct dest;

typedef struct rtm_table {
	rtm_rwlock lock;
	uint16_t instance_id;
	uint16_t family;
	uint16_t index; /* position in the table registry, recorded in handles */
	uint8_t addr_bytes;
	uint8_t addr_bits;
	pt_tree tree;
	/* destinations, routes and the tree's glue nodes, carved from one arena
	 * (slab.h: freed ones are kept for reuse; write lock only) */
	slab_arena arena;
	slab dest_slab, route_slab, glue_slab;

	/* registered entities in registration order */
	struct entity *entities_head, *entities_tail;
	uint32_t entity_count;
	struct entity *entity_pool; /* freed entities, reused (type-stable) */
	uint16_t opaque_used; /* bit i: slot i reserved */

	uint64_t route_seq; /* insertion order for the best-route tie break */

	struct notify_table *notify;    /* change-notification registrations (notify.c) */
	struct route_list *route_lists; /* every route list of the table (route_list.c) */

	/* client locks (RtmLockDestination & co., lock.c): every held lock
	 * record, and the condition other threads wait on for a release */
	rtm_mutex client_lock_mutex;
	rtm_cond client_lock_released;
	struct client_lock *client_locks;
	uint32_t client_lock_generation; /* bumped at every release */

	/* dead objects waiting for the write lock (see handle.h); a lock-free
	 * stack (table.c) */
	rtm_obj *reap_head;
} rtm_table;

/*
 * table_get - the table of (instance, family), created if needed.
 * Returns NULL if the family is not AF_INET/AF_INET6 or memory is short.
 */
rtm_table *table_get(uint16_t instance_id, uint16_t family);
rtm_table *table_from_index(uint16_t index);

static inline void table_rdlock(rtm_table *t) { rtm_rwlock_rdlock(&t->lock); }
static inline void table_wrlock(rtm_table *t) { rtm_rwlock_wrlock(&t->lock); }
static inline void table_wrunlock(rtm_table *t) { rtm_rwlock_wrunlock(&t->lock); }
/* drops the read lock, then reaps whatever the reader's releases left dead */
void table_rdunlock(rtm_table *t);

/* queue a dead object for freeing (any lock mode) */
void table_queue_reap(rtm_table *t, rtm_obj *o);
/* free every queued object still dead; caller holds the write lock */
void table_reap(rtm_table *t);

/*
 * table_release - drop one client reference per handle an iterator yields.
 * The iterator returns 0 past the end; NULL handles are skipped.  If any
 * handle is invalid, or an object has fewer references than the times it
 * appears, nothing is dropped and ERROR_INVALID_HANDLE is returned.
 */
typedef int (*handle_iter)(const void *ctx, size_t i, HANDLE *h, enum rtm_obj_kind *kind);
DWORD table_release(rtm_table *t, handle_iter it, const void *ctx);
/* the same for a plain array of handles of one kind */
DWORD table_release_array(rtm_table *t, enum rtm_obj_kind kind, UINT n, const HANDLE *h);

/* canonical address checks shared by every function taking an RTM_NET_ADDRESS */
int table_check_address(const rtm_table *t, const RTM_NET_ADDRESS *a);
void table_canonical_key(const rtm_table *t, const RTM_NET_ADDRESS *a, uint8_t key[PT_MAX_KEY_BYTES]);
void table_write_address(const rtm_table *t, const uint8_t *key, unsigned len, RTM_NET_ADDRESS *out);

/* supported-view helpers */
static inline DWORD table_mask_views(DWORD views) { return views & RTM_VIEWS_SUPPORTED; }

#endif

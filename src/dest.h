/*
 * dest.h - destinations: one object per prefix, its routes and per-view state.
 *
 * A destination is *in the table* while it has a live route or a hold-down
 * route; lookups and enumerations see only those.  Its object lives longer:
 * while any reference, pending notification, mark or non-NULL opaque pointer
 * holds it, and while it lives it stays in the prefix tree (flagged empty) so
 * that a route re-added for the prefix reuses the same object and handle
 * (spec README, resolution 1).  The reaper takes it out of the tree when it
 * is finally freed.
 *
 * Live routes are kept in one list sorted by rank (Preference, Metric,
 * insertion sequence); the best route of a view is the first route in that
 * list that belongs to the view, so nothing per view is cached but the
 * union of the routes' views.  Rare state (hold-down, opaque slots, client
 * lock) lives in a lazily allocated extension.
 */
#ifndef RTM_DEST_H
#define RTM_DEST_H

#include "entity.h"

struct route;
struct client_lock;

typedef struct dest_ext {
	DWORD hold_views;      /* views marked by RtmHoldDestination (0: none) */
	ULONG hold_time;       /* largest HoldTime given, ms */
	struct route *held[RTM_NUMBER_OF_VIEWS];
	uint64_t hold_until[RTM_NUMBER_OF_VIEWS]; /* monotonic ms; from 2^63 up: forever (expiry.c) */
	void *opaque[RTM_OPAQUE_SLOTS];
	struct client_lock *lock; /* client lock (lock.c), NULL when unlocked */
} dest_ext;

typedef struct dest {
	rtm_obj hdr;
	pt_node node;          /* key and length of the prefix */
	struct route *routes;  /* live routes, best first */
	DWORD views;           /* union of the live routes' BelongsToViews */
	uint32_t notify_pending; /* bit r: pending for notification registration r */
	uint32_t notify_marked;  /* bit r: marked for registration r */
	FILETIME last_changed;
	dest_ext *ext;
} dest;

static inline dest *dest_of_node(const pt_node *n)
{
	return (dest *)((char *)n - offsetof(dest, node));
}

static inline dest *dest_lookup(HANDLE h, rtm_table *t) { return (dest *)handle_lookup(h, OBJ_DEST, t); }

/* in the table: has a live route or a hold-down route */
int dest_in_table(const dest *d);
/* visible to a search with these (already masked) views; 0 = any (spec functions-2 §0.6) */
int dest_visible(const dest *d, DWORD views);

/* the prefix-tree node for this key, creating the dest if needed (write lock) */
dest *dest_get_or_create(rtm_table *t, const uint8_t *key, unsigned len);
dest_ext *dest_ext_get(dest *d); /* NULL on allocation failure */

/* best live route of view id v for a protocol selector (RTM_BEST_PROTOCOL or a protocol id) */
struct route *dest_best(const dest *d, unsigned view, int any_protocol, ULONG protocol);
/* views (mask) in which r is the overall best route */
DWORD dest_best_views(const dest *d, const struct route *r);

/*
 * dest_fill_info - write an RTM_DEST_INFO for views (masked; 0 = no ViewInfo)
 * and protocol selector, taking one reference per handle written.
 */
void dest_fill_info(rtm_table *t, dest *d, const entity *caller, ULONG protocol, DWORD views, RTM_DEST_INFO *out);
/* validate and drop the references of an RTM_DEST_INFO; ERROR_INVALID_HANDLE changes nothing */
DWORD dest_release_infos(rtm_table *t, UINT count, const RTM_DEST_INFO *infos, size_t stride);

/* recompute views after a change to the route list */
void dest_update_views(dest *d);
void dest_touch(dest *d); /* LastChanged = now */

/* frees a dead destination; called by the reaper */
int dest_can_free(const dest *d);
void dest_free(rtm_table *t, dest *d);

/* stride of RTM_DEST_INFO arrays (spec README, resolution 5) */
#define DEST_INFO_STRIDE RTM_SIZE_OF_DEST_INFO(RTM_NUMBER_OF_VIEWS)

#endif

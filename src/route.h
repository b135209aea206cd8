/*
 * route.h - routes: the public RTM_ROUTE_INFO plus RTM's bookkeeping.
 *
 * A route's public part is an RTM_ROUTE_INFO that RTM owns; direct pointers
 * (RtmGetRoutePointer, RtmLockRoute, the expiry callback) point straight at
 * it, so owners may edit it in place.  Most routes have one next hop, so the
 * structure starts inline with room for one; the first time a route needs
 * more room or a direct pointer is handed out, it moves to a full-size block
 * (RTM_MAX_NEXTHOPS_IN_ROUTE handles) and stays there, so a pointer once
 * given never moves.  RTM never trusts the handles in the public part: its
 * own dest/owner pointers are authoritative, and next-hop handles written
 * in place are validated at commit.
 */
#ifndef RTM_ROUTE_H
#define RTM_ROUTE_H

#include "dest.h"

struct nexthop;
struct route_ext;

/* the members a route update can change, as compared for change notification */
typedef struct route_vals {
	HANDLE neighbour;
	UCHAR flags1;
	USHORT flags;
	RTM_PREF_INFO pref;
	DWORD views;
	PVOID esi;
	USHORT nh_count;
	HANDLE nh[RTM_MAX_NEXTHOPS_IN_ROUTE];
} route_vals;

/* per-route state of the timer, route-list and in-place-edit code */
typedef struct route_ext {
	void *timer;                     /* expiry.c */
	struct route_list *list;         /* route_list.c */
	struct route *list_prev, *list_next;
	route_vals saved;                /* members at the owner's lock (lock.c) */
	uint32_t saved_valid;
} route_ext;

typedef struct route {
	rtm_obj hdr;
	dest *d;
	entity *owner;
	struct route *next; /* in d->routes, by rank */
	uint64_t seq;
	struct route_ext *ext; /* timer, route list, lock-time snapshot */
	uint8_t full;          /* info points at a full-size block */
	uint8_t held_views;    /* views whose HoldRoute this is */
	RTM_ROUTE_INFO *info;
	RTM_ROUTE_INFO inline_info; /* room for one next hop */
} route;

static inline route *route_lookup(HANDLE h, rtm_table *t) { return (route *)handle_lookup(h, OBJ_ROUTE, t); }
static inline int route_live(const route *r) { return r->info->State == RTM_ROUTE_STATE_CREATED; }

/* fill a client's RTM_ROUTE_INFO, taking references on the handles in it */
void route_fill_info(rtm_table *t, const route *r, RTM_ROUTE_INFO *out);
/* release the handles of an RTM_ROUTE_INFO (guarding against RTM's own structure) */
DWORD route_release_info(rtm_table *t, const RTM_ROUTE_INFO *info);

/* snapshot / compare of the observable members */
void route_vals_get(const route *r, route_vals *v);

/* rank order: lower preference, then lower metric, then older */
int route_rank_before(const route *a, const route *b);

/* route-matching criteria (RTM_MATCH_*), of RtmGetExactMatchRoute and route enumerations */
typedef struct match_criteria {
	RTM_MATCH_FLAGS flags;
	HANDLE owner, neighbour;
	RTM_PREF_INFO pref;
	USHORT nh_count;
	HANDLE nh[RTM_MAX_NEXTHOPS_IN_ROUTE];
	ULONG ifindex;
	DWORD views;
} match_criteria;

int route_matches(rtm_table *t, const route *r, const match_criteria *m);

/* RtmDeleteRouteToDest's effect, used also by expiry and deregistration */
DWORD route_delete(rtm_table *t, route *r, DWORD *change_flags);
route_ext *route_ext_get(route *r); /* NULL on allocation failure */
/* makes sure r->info is the full-size block (for direct pointers); 0 on failure */
int route_make_full(route *r);

/*
 * route_commit_in_place - an owner edited r in place (old: its values when
 * the lock was taken): re-rank, classify and record the change; returns
 * RTM_ROUTE_CHANGE_BEST or 0.  route_keep_uncommitted accepts an edit the
 * client did not commit: it stays where it ranked before (spec functions-1
 * §7.5: not re-ranked, no change reported) until a later commit.
 */
DWORD route_commit_in_place(rtm_table *t, route *r, const route_vals *old);
void route_keep_uncommitted(route *r);

/* the hold-down of view v of d is over: drop the held route, notify (write lock) */
void route_hold_end(rtm_table *t, dest *d, unsigned view);

void route_free(rtm_table *t, route *r);

#endif

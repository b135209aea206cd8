/*
 * nexthop.h - next hops, per owning entity.
 *
 * A next hop is identified by (canonical address, interface index) within
 * its owner's list; two owners may each have one with the same identity.
 * The public RTM_NEXTHOP_INFO lives inside the object so that direct
 * pointers (RtmFindNextHop, RtmGetNextHopPointer, RtmLockNextHop) point at
 * RTM's own copy.  Being in the owner's list is one link, each use by a
 * route (as Neighbour or in NextHopsList) is another.  A deleted next hop
 * leaves the list, stays readable while referenced, and is never found again.
 */
#ifndef RTM_NEXTHOP_H
#define RTM_NEXTHOP_H

#include "entity.h"

struct dest;
struct client_lock;

typedef struct nexthop {
	rtm_obj hdr;
	entity *owner;
	struct dest *remote; /* RTM's reference behind info.RemoteNextHop */
	struct client_lock *lock; /* client lock (lock.c), NULL when unlocked */
	RTM_NEXTHOP_INFO info;
} nexthop;

static inline nexthop *nexthop_lookup(HANDLE h, rtm_table *t)
{
	return (nexthop *)handle_lookup(h, OBJ_NEXTHOP, t);
}
static inline int nexthop_live(const nexthop *n) { return n->info.State == RTM_NEXTHOP_STATE_CREATED; }

/* position of (key, len, ifindex) in e's sorted list; *found set when present */
uint32_t nexthop_search(const entity *e, const uint8_t *key, unsigned len, ULONG ifindex, int *found);
/* RtmDeleteNextHop's effect, also used by deregistration */
void nexthop_delete(rtm_table *t, nexthop *n);
void nexthop_free(rtm_table *t, nexthop *n);

#endif

/*
 * lock.h - client locks: RtmLockDestination, RtmLockRoute (a lock on the
 * route's destination), RtmLockNextHop.
 *
 * A client lock belongs to a thread and an entity, nests per thread, and
 * is either shared or exclusive (spec functions-1 §1.8).  It is not a table
 * lock: RTM never waits for a client lock while it holds a table lock.
 * Operations of other threads that meet a conflicting client lock leave the
 * table, wait for the release (api_wait_lock) and start over; operations of
 * the holding thread itself go straight through.
 */
#ifndef RTM_LOCK_H
#define RTM_LOCK_H

#include "entity.h"

struct client_lock;
struct route;

/*
 * lock_blocks - would a read (write = 0) or change (write = 1) by the
 * calling thread have to wait for the client lock in *slot?
 * Any table lock mode held.
 */
int lock_blocks(rtm_table *t, struct client_lock *const *slot, int write);
/* the client-lock slot of a destination (NULL: never locked) */
#define DEST_LOCK_SLOT(d) ((d)->ext ? (struct client_lock *const *)&(d)->ext->lock : NULL)
/*
 * api_wait_lock - leave the API context (c's table lock is released), wait
 * until *slot no longer blocks the calling thread, and return.  obj keeps the
 * object holding *slot alive meanwhile.  The caller then starts over.
 */
void api_wait_lock(api_ctx *c, rtm_obj *obj, struct client_lock *const *slot, int write);
/*
 * api_wait_if_locked - if the client lock covering o (a destination, a
 * route's destination, or a next hop) blocks the calling thread for this
 * access, wait as api_wait_lock does and return 1: c has been left and the
 * caller starts over.  Otherwise return 0 with c still entered.
 */
int api_wait_if_locked(api_ctx *c, rtm_obj *o, int write);
/*
 * api_enter_object - api_enter, then resolve h as an object of kind,
 * waiting out other threads' client locks on it.  NULL: *err says why
 * (a bad registration or a bad handle) and c has been left.
 */
rtm_obj *api_enter_object(api_ctx *c, RTM_ENTITY_HANDLE reg, int write, HANDLE h, enum rtm_obj_kind kind, DWORD *err);
/* release every client lock held on behalf of e (deregistration, write lock) */
void lock_entity_closing(rtm_table *t, entity *e);
/*
 * lock_route_end_edit - the owner's in-place edit session on r (if one is
 * open) ends without a commit, as at a plain unlock: an invalid edit is
 * rolled back, RTM's links move to the next hops now in the route.  Called
 * before RTM itself updates or deletes r (write lock).
 */
void lock_route_end_edit(rtm_table *t, struct route *r);
/*
 * lock_nexthop_end_edit - the same for the owner's edit session on next hop
 * n: the members it may not change are restored (the owner's sorted list is
 * searched by them) and RemoteNextHop follows the rule of the unlock.
 */
struct nexthop;
void lock_nexthop_end_edit(rtm_table *t, struct nexthop *n);

#endif

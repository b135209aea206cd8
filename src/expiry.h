/*
 * expiry.h - route time-to-live and hold-down timers.
 *
 * One timer structure serves every route and destination of every table
 * (O(log n) per timer, no thread per timer).  When a route's time runs out
 * its owner gets RTM_ROUTE_EXPIRED (or the route is deleted); when a hold
 * ends, the held route is dropped and the change is notified.
 */
#ifndef RTM_EXPIRY_H
#define RTM_EXPIRY_H

#include "route.h"

/* (re)start r's lifetime; INFINITE cancels.  Write lock held. */
void expiry_route_set(rtm_table *t, route *r, ULONG ttl_ms);
void expiry_route_cancel(rtm_table *t, route *r);
/* a hold of view v of d started now; it ends after d->ext->hold_time. Write lock held. */
void expiry_hold_started(rtm_table *t, dest *d, unsigned view);

#ifndef _WIN32
/* native builds, at process exit: stop and join the timer thread if it is idle (events.c) */
void expiry_shutdown(void);
#endif

#endif

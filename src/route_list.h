/*
 * route_list.h - client route lists (RtmCreateRouteList & co.).
 *
 * A live route is in at most one list of its owner; membership is not a
 * reference and ends when the route is deleted.
 */
#ifndef RTM_ROUTE_LIST_H
#define RTM_ROUTE_LIST_H

#include "route.h"

struct route_list;

/* resolve a route-list handle of entity e; NULL if invalid */
struct route_list *route_list_lookup(rtm_table *t, entity *e, HANDLE h);
/* move live route r to the end of list l (leaving its previous list) */
void route_list_move(route *r, struct route_list *l);
/* take r out of its list, if any */
void route_list_remove(route *r);
/* close every route list of e (deregistration) */
void route_list_entity_closing(rtm_table *t, entity *e);

#endif

/* TEMPORARY: placeholders for modules being written right now (events, notify, expiry, route lists, enumerations); each owner deletes its part. */
#include "notify.h"
#include "route_list.h"
void notify_dest_changed(rtm_table *t, dest *d, const DWORD change[RTM_NUMBER_OF_VIEWS]){(void)t;(void)d;(void)change;}
void notify_entity_closing(rtm_table *t, entity *e){(void)t;(void)e;}
struct route_list *route_list_lookup(rtm_table *t, entity *e, HANDLE h){(void)t;(void)e;(void)h;return 0;}
void route_list_move(route *r, struct route_list *l){(void)r;(void)l;}
void route_list_remove(route *r){(void)r;}
void route_list_entity_closing(rtm_table *t, entity *e){(void)t;(void)e;}

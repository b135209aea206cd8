/* TEMPORARY: placeholders for modules being written right now (events, notify, expiry, route lists, enumerations); each owner deletes its part. */
#include "events.h"
#include "notify.h"
#include "expiry.h"
#include "route_list.h"
int events_entity_init(entity *e){(void)e;return 0;}
void events_entity_registered(rtm_table *t, entity *e){(void)t;(void)e;}
void events_entity_closing(rtm_table *t, entity *e){(void)t;(void)e;}
void events_entity_deregistered(rtm_table *t, entity *e){(void)t;(void)e;}
void events_entity_free(entity *e){(void)e;}
void notify_dest_changed(rtm_table *t, dest *d, const DWORD change[RTM_NUMBER_OF_VIEWS]){(void)t;(void)d;(void)change;}
void notify_entity_closing(rtm_table *t, entity *e){(void)t;(void)e;}
void expiry_route_set(rtm_table *t, route *r, ULONG ttl_ms){(void)t;(void)r;(void)ttl_ms;}
void expiry_route_cancel(rtm_table *t, route *r){(void)t;(void)r;}
void expiry_hold_started(rtm_table *t, dest *d, unsigned view){(void)t;(void)d;(void)view;}
struct route_list *route_list_lookup(rtm_table *t, entity *e, HANDLE h){(void)t;(void)e;(void)h;return 0;}
void route_list_move(route *r, struct route_list *l){(void)r;(void)l;}
void route_list_remove(route *r){(void)r;}
void route_list_entity_closing(rtm_table *t, entity *e){(void)t;(void)e;}

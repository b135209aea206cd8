/*
 * events.h - delivery of event callbacks (entity events, route expiry,
 * change notification).
 *
 * Callbacks never run inside the API call that caused them nor under any RTM
 * lock: events are queued per receiving entity and delivered by RTM's
 * dispatcher threads, one at a time per entity, in the order they happened.
 * The queueing functions below are called with the table's write lock held
 * (they only take the dispatcher's leaf mutex); events_entity_deregistered
 * is called with no lock held because it may wait.
 */
#ifndef RTM_EVENTS_H
#define RTM_EVENTS_H

#include "entity.h"

/* per-entity delivery state; 0 ok, -1 out of memory */
int events_entity_init(entity *e);
/* queue RTM_ENTITY_REGISTERED for e to every other registered entity with a callback */
void events_entity_registered(rtm_table *t, entity *e);
/* e is deregistering: nothing more is queued for it and its pending events are dropped */
void events_entity_closing(rtm_table *t, entity *e);
/*
 * wait until no callback of e is running (except one on the calling thread,
 * when e deregisters itself from inside its own callback), then queue
 * RTM_ENTITY_DEREGISTERED for e to the other registered entities.
 */
void events_entity_deregistered(rtm_table *t, entity *e);
void events_entity_free(entity *e);

#endif

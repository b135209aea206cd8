/*
 * enum.h - enumeration handles (destination, route, next-hop and route-list
 * enumerations), private to the entity that created them.
 *
 * Every kind of enumeration starts with an enum_obj; RtmDeleteEnumHandle
 * serves them all through the destroy callback.  Batch calls on one handle
 * are serialised by its mutex (two threads may share a handle); the table
 * is only read-locked during a batch and never between batches.
 */
#ifndef RTM_ENUM_H
#define RTM_ENUM_H

#include "entity.h"

typedef struct enum_obj {
	rtm_obj hdr;
	entity *owner;
	struct enum_obj *owner_next; /* the owner's open enumerations */
	rtm_mutex mutex;             /* serialises batches on this handle */
	void (*destroy)(rtm_table *t, struct enum_obj *en);
} enum_obj;

/* give en a handle and attach it to its owner (write lock); 0 ok, -1 no memory */
int enum_register(rtm_table *t, entity *owner, enum_obj *en, void (*destroy)(rtm_table *, enum_obj *));
/* an enumeration handle of owner, or NULL */
enum_obj *enum_lookup(rtm_table *t, const entity *owner, HANDLE h);
/* close every enumeration of e (deregistration, write lock) */
void enum_entity_closing(rtm_table *t, entity *e);

#endif

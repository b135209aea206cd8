/*
 * entity.h - registered clients of a table.
 *
 * An entity is one registration (RtmRegisterEntity).  Its handle is both the
 * registration handle and the entity handle others see.  Being registered is
 * one structural link; routes and next hops owned by it hold it too, so the
 * object outlives deregistration while anything still names it.
 */
#ifndef RTM_ENTITY_H
#define RTM_ENTITY_H

#include "table.h"

struct nexthop;

typedef struct entity {
	rtm_obj hdr;
	rtm_table *t;
	RTM_ENTITY_INFO info;
	RTM_EVENT_CALLBACK callback;
	struct entity *next; /* registration order */
	uint8_t registered;  /* cleared when deregistration starts */
	int8_t opaque_slot;  /* -1: none reserved */

	/* next hops owned, sorted by (address key, length, interface) */
	struct nexthop **nexthops;
	uint32_t nexthop_count, nexthop_cap;

	uint32_t method_count;
	RTM_ENTITY_EXPORT_METHOD methods[RTM_MAX_METHODS];

	struct entity_ev *ev; /* event queue and method state (events.c) */
} entity;

/*
 * api_ctx - what every public function holds between entering and leaving:
 * the caller's entity and table, and how the table is locked.
 */
typedef struct api_ctx {
	entity *e;
	rtm_table *t;
	int write;
} api_ctx;

/*
 * api_enter - validate the registration handle and lock its table.
 * Returns ERROR_INVALID_HANDLE for anything but a registered entity.
 */
DWORD api_enter(api_ctx *c, RTM_ENTITY_HANDLE reg, int write);
/* quick unlocked check, used before argument validation */
int api_peek(RTM_ENTITY_HANDLE reg);
/* unlock (reaping dead objects) and return err */
DWORD api_leave(api_ctx *c, DWORD err);

static inline entity *entity_lookup(HANDLE h, rtm_table *t)
{
	return (entity *)handle_lookup(h, OBJ_ENTITY, t);
}

/* frees a dead entity; called by the reaper */
void entity_free(rtm_table *t, entity *e);

#endif

/*
 * methods.c - entity methods: RtmGetEntityMethods, RtmInvokeMethod,
 * RtmBlockMethods (spec functions-1 §4, concepts §4).
 *
 * Methods are plain function pointers copied at registration (entity.c).
 * An invocation validates under the table's read lock, then leaves every RTM
 * lock and calls the methods synchronously on the caller's thread.  What
 * RtmInvokeMethod arbitrates lives in the target's method_state (events.h),
 * guarded by the dispatcher mutex:
 *
 *   running  invocations inside the target's methods;
 *   waiting  invocations admitted but not yet running (waiting for a
 *            resume, or on their way);
 *   blocked  the RtmBlockMethods flag.
 *
 * RtmBlockMethods(BLOCK) sets the flag and waits until `running` drops to
 * the number of invocations of those methods on its own thread (a method may
 * block its own entity's methods without waiting for itself).  Deregistration
 * clears the flag and wakes the waiters, which then fail with
 * ERROR_INVALID_HANDLE; it waits for running invocations like for running
 * callbacks (events_entity_deregistered).  Each thread keeps a small stack of
 * the invocations it is running, so "on its own thread" can be counted.
 */
#include "events.h"

#include <string.h>

#define OUTPUT_HEADER ((UINT)FIELD_OFFSET(RTM_ENTITY_METHOD_OUTPUT, OutputData))

typedef struct inv_frame {
	const struct entity_ev *ev;
	struct inv_frame *next;
} inv_frame;

static __thread inv_frame *tls_frames;

uint32_t methods_running_here(const struct entity_ev *ev)
{
	uint32_t n = 0;
	for (const inv_frame *f = tls_frames; f; f = f->next)
		n += f->ev == ev;
	return n;
}

/*
 * enter_target - api_enter (read lock) and resolve the target entity, which
 * must be registered in the caller's table.  On error nothing is held.
 */
static DWORD enter_target(api_ctx *c, RTM_ENTITY_HANDLE reg, RTM_ENTITY_HANDLE target, entity **out)
{
	DWORD err = api_enter(c, reg, 0);
	if (err)
		return err;
	entity *e = entity_lookup(target, c->t);
	if (!e || !e->registered)
		return api_leave(c, ERROR_INVALID_HANDLE);
	*out = e;
	return NO_ERROR;
}

DWORD WINAPI RtmGetEntityMethods(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ENTITY_HANDLE EntityHandle, PUINT NumMethods,
				 PRTM_ENTITY_EXPORT_METHOD ExptMethods)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!NumMethods || (!ExptMethods && *NumMethods))
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	entity *e;
	DWORD err = enter_target(&c, RtmRegHandle, EntityHandle, &e);
	if (err)
		return err;
	UINT m = e->method_count, room = *NumMethods;
	if (room == 0) {
		*NumMethods = m; /* the count query (the public sample relies on NO_ERROR) */
	} else if (room < m) {
		memcpy(ExptMethods, e->methods, room * sizeof(*ExptMethods));
		err = ERROR_INSUFFICIENT_BUFFER;
	} else {
		memcpy(ExptMethods, e->methods, m * sizeof(*ExptMethods));
		*NumMethods = m;
	}
	return api_leave(&c, err);
}

/*
 * run_methods - the output walk of spec functions-1 §4.2: one
 * RTM_ENTITY_METHOD_OUTPUT per selected method, ascending bits, each after
 * the previous one's 12-byte header and data rounded up to 4.
 * Returns the bytes used.
 */
static UINT run_methods(struct entity_ev *ev, RTM_ENTITY_HANDLE caller, RTM_ENTITY_HANDLE callee, UINT count,
			const RTM_ENTITY_EXPORT_METHOD *methods, RTM_ENTITY_METHOD_INPUT *in, UINT size,
			RTM_ENTITY_METHOD_OUTPUT *out)
{
	UINT used = 0;
	for (UINT i = 0; i < count; i++) {
		DWORD bit = 1u << i;
		if (!(in->MethodType & bit))
			continue;
		if (size - used < OUTPUT_HEADER)
			break;
		events_lock();
		int closing = events_ev_closing(ev);
		events_unlock();
		if (closing)
			break; /* the target deregistered from inside one of its methods */
		RTM_ENTITY_METHOD_OUTPUT *o = (RTM_ENTITY_METHOD_OUTPUT *)((char *)out + used);
		UINT room = size - used - OUTPUT_HEADER;
		o->MethodType = bit;
		o->MethodStatus = NO_ERROR;
		o->OutputSize = room;
		methods[i](caller, callee, in, o);
		if (o->OutputSize > room)
			o->OutputSize = room;
		UINT step = (OUTPUT_HEADER + o->OutputSize + 3u) & ~3u;
		used = step > size - used ? size : used + step;
	}
	return used;
}

DWORD WINAPI RtmInvokeMethod(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ENTITY_HANDLE EntityHandle,
			     PRTM_ENTITY_METHOD_INPUT Input, PUINT OutputSize, PRTM_ENTITY_METHOD_OUTPUT Output)
{
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (!Input || !OutputSize || (!Output && *OutputSize))
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	entity *e;
	DWORD err = enter_target(&c, RtmRegHandle, EntityHandle, &e);
	if (err)
		return err;
	RTM_ENTITY_EXPORT_METHOD methods[RTM_MAX_METHODS];
	UINT count = e->method_count;
	memcpy(methods, e->methods, count * sizeof(methods[0]));
	RTM_ENTITY_HANDLE callee = e->hdr.handle;
	struct entity_ev *ev = events_ev_of(e);
	method_state *ms = events_methods(ev);
	/* admitted while the table says it is registered: deregistration now waits for us */
	events_lock();
	events_ev_get(ev);
	ms->waiting++;
	events_unlock();
	api_leave(&c, NO_ERROR);

	events_lock();
	while (ms->blocked && !events_ev_closing(ev))
		events_wait();
	ms->waiting--;
	if (events_ev_closing(ev)) {
		events_wake_all();
		events_ev_put(ev);
		events_unlock();
		return ERROR_INVALID_HANDLE;
	}
	ms->running++;
	events_unlock();

	inv_frame frame = { ev, tls_frames };
	tls_frames = &frame;
	UINT used = run_methods(ev, RtmRegHandle, callee, count, methods, Input, *OutputSize, Output);
	tls_frames = frame.next;

	events_lock();
	ms->running--;
	events_wake_all();
	events_ev_put(ev);
	events_unlock();
	*OutputSize = used;
	return NO_ERROR;
}

DWORD WINAPI RtmBlockMethods(RTM_ENTITY_HANDLE RtmRegHandle, HANDLE TargetHandle, UCHAR TargetType,
			     DWORD BlockingFlag)
{
	(void)TargetHandle; /* per-object blocking is not supported (spec functions-1 §4.3) */
	(void)TargetType;
	if (!api_peek(RtmRegHandle))
		return ERROR_INVALID_HANDLE;
	if (BlockingFlag != RTM_BLOCK_METHODS && BlockingFlag != RTM_RESUME_METHODS)
		return ERROR_INVALID_PARAMETER;
	api_ctx c;
	DWORD err = api_enter(&c, RtmRegHandle, 0);
	if (err)
		return err;
	struct entity_ev *ev = events_ev_of(c.e);
	method_state *ms = events_methods(ev);
	events_lock();
	if (BlockingFlag == RTM_RESUME_METHODS) {
		ms->blocked = 0;
		events_wake_all();
		events_unlock();
		return api_leave(&c, NO_ERROR);
	}
	ms->blocked = 1;
	events_ev_get(ev);
	events_unlock();
	api_leave(&c, NO_ERROR);

	/* wait for the invocations already running on other threads */
	events_lock();
	while (ms->running > methods_running_here(ev) && !events_ev_closing(ev))
		events_wait();
	events_ev_put(ev);
	events_unlock();
	return NO_ERROR;
}

/*
 * test_events.c - delivery of event callbacks: entity events, ordering,
 * re-entrant callbacks, deregistration while events are queued, and
 * isolation of a blocked entity (spec concepts §3.5-3.6, §19; functions-1 §2).
 */
#include "test_thread.h"
#include "test_util.h"

#define MAX_LOG 4096
#define WAIT_MS 10000

typedef struct logged {
	RTM_ENTITY_HANDLE to;
	RTM_EVENT_TYPE type;
	void *ctx1;
	RTM_ENTITY_INFO info;
	uintptr_t thread;
} logged;

static test_mutex log_mutex;
static logged log_[MAX_LOG];
static int log_count;
static uintptr_t main_thread;

static DWORD WINAPI record_cb(RTM_ENTITY_HANDLE to, RTM_EVENT_TYPE type, PVOID c1, PVOID c2)
{
	test_mutex_lock(&log_mutex);
	if (log_count < MAX_LOG) {
		logged *l = &log_[log_count++];
		l->to = to;
		l->type = type;
		l->ctx1 = c1;
		if (c2 && (type == RTM_ENTITY_REGISTERED || type == RTM_ENTITY_DEREGISTERED))
			l->info = *(RTM_ENTITY_INFO *)c2;
		else
			memset(&l->info, 0, sizeof(l->info));
		l->thread = test_thread_id();
	}
	test_mutex_unlock(&log_mutex);
	return NO_ERROR;
}

static void log_reset(void)
{
	test_mutex_lock(&log_mutex);
	log_count = 0;
	test_mutex_unlock(&log_mutex);
}

/* index of the first event to `to` of type about ctx1 at or after `from`, or -1 */
static int log_find(int from, RTM_ENTITY_HANDLE to, RTM_EVENT_TYPE type, void *ctx1)
{
	int found = -1;
	test_mutex_lock(&log_mutex);
	for (int i = from; i < log_count && found < 0; i++)
		if (log_[i].to == to && log_[i].type == type && log_[i].ctx1 == ctx1)
			found = i;
	test_mutex_unlock(&log_mutex);
	return found;
}

static int log_count_to(RTM_ENTITY_HANDLE to)
{
	int n = 0;
	test_mutex_lock(&log_mutex);
	for (int i = 0; i < log_count; i++)
		n += log_[i].to == to;
	test_mutex_unlock(&log_mutex);
	return n;
}

/* field by field: struct copies need not preserve padding */
static int info_equal(const RTM_ENTITY_INFO *a, const RTM_ENTITY_INFO *b)
{
	return a->RtmInstanceId == b->RtmInstanceId && a->AddressFamily == b->AddressFamily &&
	       a->EntityId.EntityId == b->EntityId.EntityId;
}

static RTM_ENTITY_INFO entity_info(USHORT instance, ULONG protocol, ULONG pinst)
{
	RTM_ENTITY_INFO i;
	memset(&i, 0, sizeof(i));
	i.RtmInstanceId = instance;
	i.AddressFamily = AF_INET;
	i.EntityId.EntityProtocolId = protocol;
	i.EntityId.EntityInstanceId = pinst;
	return i;
}

/* RTM_ENTITY_REGISTERED / DEREGISTERED: who is told, with what, in which order */
static void test_entity_events(void)
{
	const USHORT inst = 11;
	log_reset();
	RTM_ENTITY_HANDLE a = test_register(inst, AF_INET, 1, 0, record_cb);
	RTM_ENTITY_HANDLE b = test_register(inst, AF_INET, 2, 0, record_cb);
	RTM_ENTITY_HANDLE c = test_register(inst, AF_INET, 3, 7, NULL); /* no callback */
	/* a different table: nobody here hears of it */
	RTM_ENTITY_HANDLE other = test_register(inst + 1, AF_INET, 9, 0, record_cb);

	ok(test_wait_for(log_find(0, a, RTM_ENTITY_REGISTERED, c) >= 0 && log_find(0, b, RTM_ENTITY_REGISTERED, c) >= 0,
			 WAIT_MS),
	   "registration events not delivered\n");
	int ab = log_find(0, a, RTM_ENTITY_REGISTERED, b);
	int ac = log_find(0, a, RTM_ENTITY_REGISTERED, c);
	int bc = log_find(0, b, RTM_ENTITY_REGISTERED, c);
	ok(ab >= 0 && ac > ab, "a: REGISTERED(b) at %d, REGISTERED(c) at %d\n", ab, ac);
	ok(bc >= 0, "b: REGISTERED(c) at %d\n", bc);
	ok(log_find(0, b, RTM_ENTITY_REGISTERED, a) < 0, "b was told about a, which registered before it\n");
	ok(log_find(0, a, RTM_ENTITY_REGISTERED, a) < 0 && log_find(0, b, RTM_ENTITY_REGISTERED, b) < 0,
	   "an entity was told about itself\n");
	if (ac >= 0) {
		RTM_ENTITY_INFO want = entity_info(inst, 3, 7);
		ok(info_equal(&log_[ac].info, &want), "Context2 of REGISTERED(c) is not c's info\n");
		ok(log_[ac].thread != main_thread, "callback ran on the registering thread\n");
	}

	ok(RtmDeregisterEntity(c) == NO_ERROR, "deregister c\n");
	ok(test_wait_for(log_find(0, a, RTM_ENTITY_DEREGISTERED, c) >= 0 && log_find(0, b, RTM_ENTITY_DEREGISTERED, c) >= 0,
			 WAIT_MS),
	   "DEREGISTERED(c) not delivered\n");
	int adc = log_find(0, a, RTM_ENTITY_DEREGISTERED, c);
	ok(adc > ac, "a: DEREGISTERED(c) at %d before REGISTERED(c) at %d\n", adc, ac);
	if (adc >= 0) {
		RTM_ENTITY_INFO want = entity_info(inst, 3, 7);
		ok(info_equal(&log_[adc].info, &want), "Context2 of DEREGISTERED(c) is not c's info\n");
	}

	ok(RtmDeregisterEntity(b) == NO_ERROR, "deregister b\n");
	int b_events = log_count_to(b);
	ok(test_wait_for(log_find(0, a, RTM_ENTITY_DEREGISTERED, b) >= 0, WAIT_MS), "DEREGISTERED(b) not delivered\n");
	ok(log_find(0, b, RTM_ENTITY_DEREGISTERED, b) < 0, "b was told of its own deregistration\n");
	test_sleep_ms(50);
	ok(log_count_to(b) == b_events, "b got %d events after deregistering\n", log_count_to(b) - b_events);
	ok(log_count_to(other) == 0, "an entity of another table got %d events\n", log_count_to(other));
	ok(RtmDeregisterEntity(b) == ERROR_INVALID_HANDLE, "second deregistration\n");

	ok(RtmDeregisterEntity(a) == NO_ERROR, "deregister a\n");
	ok(RtmDeregisterEntity(other) == NO_ERROR, "deregister other\n");
}

/* ---- a callback that calls back into RTM, then deregisters itself ---------- */

static RTM_ENTITY_HANDLE reentrant_self;
static int reentrant_stage;
static DWORD reentrant_results[4];
static int reentrant_after;

static DWORD WINAPI reentrant_cb(RTM_ENTITY_HANDLE to, RTM_EVENT_TYPE type, PVOID c1, PVOID c2)
{
	(void)c1;
	(void)c2;
	if (test_load(&reentrant_stage) == 2) {
		test_inc(&reentrant_after);
		return NO_ERROR;
	}
	if (type != RTM_ENTITY_REGISTERED || to != reentrant_self)
		return NO_ERROR;
	UINT n = 0;
	reentrant_results[0] = RtmGetRegisteredEntities(to, &n, NULL, NULL);
	RTM_NET_ADDRESS addr = test_ipv4(10, 1, 0, 0, 16);
	RTM_ROUTE_INFO info;
	memset(&info, 0, sizeof(info));
	info.BelongsToViews = RTM_VIEW_MASK_UCAST;
	RTM_ROUTE_HANDLE route = NULL;
	reentrant_results[1] = RtmAddRouteToDest(to, &route, &addr, &info, INFINITE, NULL, 0, NULL, NULL);
	if (route)
		RtmReleaseRoutes(to, 1, &route);
	reentrant_results[2] = RtmDeregisterEntity(to);
	reentrant_results[3] = RtmDeregisterEntity(to);
	test_store(&reentrant_stage, 2);
	return NO_ERROR;
}

static void test_reentrant(void)
{
	const USHORT inst = 21;
	reentrant_self = test_register(inst, AF_INET, 1, 0, reentrant_cb);
	RTM_ENTITY_HANDLE peer = test_register(inst, AF_INET, 2, 0, record_cb);
	ok(test_wait_for(test_load(&reentrant_stage) == 2, WAIT_MS), "the re-entrant callback did not finish\n");
	ok(reentrant_results[0] == ERROR_INSUFFICIENT_BUFFER, "RtmGetRegisteredEntities size query: %lu\n",
	   (unsigned long)reentrant_results[0]);
	ok(reentrant_results[1] == NO_ERROR, "RtmAddRouteToDest from a callback: %lu\n", (unsigned long)reentrant_results[1]);
	ok(reentrant_results[2] == NO_ERROR, "RtmDeregisterEntity of itself from its callback: %lu\n",
	   (unsigned long)reentrant_results[2]);
	ok(reentrant_results[3] == ERROR_INVALID_HANDLE, "second deregistration: %lu\n", (unsigned long)reentrant_results[3]);
	UINT n = 0;
	ok(RtmGetRegisteredEntities(reentrant_self, &n, NULL, NULL) == ERROR_INVALID_HANDLE, "stale handle accepted\n");
	ok(test_wait_for(log_find(0, peer, RTM_ENTITY_DEREGISTERED, reentrant_self) >= 0, WAIT_MS),
	   "peer not told of the self-deregistration\n");
	/* more events that would have gone to the deregistered entity */
	RTM_ENTITY_HANDLE extra = test_register(inst, AF_INET, 3, 0, NULL);
	ok(RtmDeregisterEntity(extra) == NO_ERROR, "deregister extra\n");
	ok(test_wait_for(log_find(0, peer, RTM_ENTITY_DEREGISTERED, extra) >= 0, WAIT_MS), "peer not told of extra\n");
	ok(test_load(&reentrant_after) == 0, "%d callbacks after self-deregistration\n", test_load(&reentrant_after));
	ok(RtmDeregisterEntity(peer) == NO_ERROR, "deregister peer\n");
}

/* ---- deregistration while events are queued -------------------------------- */

static int slow_inside, slow_calls, slow_after;
static int slow_closed;

static DWORD WINAPI slow_cb(RTM_ENTITY_HANDLE to, RTM_EVENT_TYPE type, PVOID c1, PVOID c2)
{
	(void)to;
	(void)type;
	(void)c1;
	(void)c2;
	if (test_load(&slow_closed))
		test_inc(&slow_after);
	test_inc(&slow_inside);
	test_inc(&slow_calls);
	test_sleep_ms(20);
	test_dec(&slow_inside);
	return NO_ERROR;
}

static void test_deregister_with_queue(void)
{
	const USHORT inst = 31;
	RTM_ENTITY_HANDLE slow = test_register(inst, AF_INET, 1, 0, slow_cb);
	/* 40 entity events queue up behind a 20 ms callback */
	for (ULONG i = 0; i < 20; i++) {
		RTM_ENTITY_HANDLE x = test_register(inst, AF_INET, 100 + i, 0, NULL);
		RtmDeregisterEntity(x);
	}
	ok(test_wait_for(test_load(&slow_calls) >= 1, WAIT_MS), "no event delivered\n");
	ok(RtmDeregisterEntity(slow) == NO_ERROR, "deregister while queued\n");
	test_store(&slow_closed, 1);
	int inside = test_load(&slow_inside), calls = test_load(&slow_calls);
	ok(inside == 0, "a callback still running after RtmDeregisterEntity returned\n");
	ok(calls < 40, "all %d queued events delivered before deregistration (test too slow to tell)\n", calls);
	test_sleep_ms(200);
	ok(test_load(&slow_calls) == calls && test_load(&slow_after) == 0, "%d callbacks after deregistration\n",
	   test_load(&slow_calls) - calls);
}

/* ---- one blocked entity does not hold up the others ---------------------- */

static RTM_ENTITY_HANDLE blocker, quick;
static int blocker_inside, blocker_release, quick_got, quick_saw_blocked;

static DWORD WINAPI blocker_cb(RTM_ENTITY_HANDLE to, RTM_EVENT_TYPE type, PVOID c1, PVOID c2)
{
	(void)to;
	(void)type;
	(void)c1;
	(void)c2;
	test_store(&blocker_inside, 1);
	/* until the test has seen what it wanted (a few ms to ~2 s), at most 10 s */
	for (int i = 0; i < 1000 && !test_load(&blocker_release); i++)
		test_sleep_ms(10);
	test_store(&blocker_inside, 0);
	return NO_ERROR;
}

static DWORD WINAPI quick_cb(RTM_ENTITY_HANDLE to, RTM_EVENT_TYPE type, PVOID c1, PVOID c2)
{
	(void)to;
	(void)c2;
	if (type == RTM_ENTITY_REGISTERED && c1 != blocker) {
		if (test_load(&blocker_inside))
			test_inc(&quick_saw_blocked);
		test_inc(&quick_got);
	}
	return NO_ERROR;
}

static void test_blocked_entity(void)
{
	const USHORT inst = 41;
	blocker = test_register(inst, AF_INET, 1, 0, blocker_cb);
	quick = test_register(inst, AF_INET, 2, 0, quick_cb);
	RTM_ENTITY_HANDLE x[3];
	x[0] = test_register(inst, AF_INET, 3, 0, NULL);
	ok(test_wait_for(test_load(&blocker_inside), WAIT_MS), "blocker's callback never ran\n");
	x[1] = test_register(inst, AF_INET, 4, 0, NULL);
	x[2] = test_register(inst, AF_INET, 5, 0, NULL);
	ok(test_wait_for(test_load(&quick_got) >= 3, WAIT_MS), "quick got %d events\n", test_load(&quick_got));
	ok(test_load(&quick_saw_blocked) >= 2, "only %d of quick's events arrived while blocker was blocked\n",
	   test_load(&quick_saw_blocked));
	test_store(&blocker_release, 1);
	for (int i = 0; i < 3; i++)
		RtmDeregisterEntity(x[i]);
	ok(RtmDeregisterEntity(blocker) == NO_ERROR, "deregister blocker\n");
	ok(RtmDeregisterEntity(quick) == NO_ERROR, "deregister quick\n");
}

/* ---- many entities, many events: per-entity order under concurrency ------- */

#define FLOOD_ENTITIES 8
#define FLOOD_ROUNDS 50

static RTM_ENTITY_HANDLE flood_h[FLOOD_ENTITIES];
static int flood_bad_order, flood_events[FLOOD_ENTITIES];
static int flood_seen[FLOOD_ENTITIES][FLOOD_ROUNDS]; /* 1 registered, 2 deregistered */
static void *flood_subject[FLOOD_ENTITIES][FLOOD_ROUNDS]; /* Context1 of REGISTERED */
static int flood_inside[FLOOD_ENTITIES], flood_overlap;

static DWORD WINAPI flood_cb(RTM_ENTITY_HANDLE to, RTM_EVENT_TYPE type, PVOID c1, PVOID c2)
{
	RTM_ENTITY_INFO *info = c2;
	int me = -1;
	for (int i = 0; i < FLOOD_ENTITIES; i++)
		if (test_load(&flood_h[i]) == to)
			me = i;
	if (me < 0 || !info || info->EntityId.EntityProtocolId < 1000)
		return NO_ERROR;
	if (test_inc(&flood_inside[me]) != 1)
		test_inc(&flood_overlap);
	int round = (int)(info->EntityId.EntityProtocolId - 1000);
	if (round >= 0 && round < FLOOD_ROUNDS) {
		int want = type == RTM_ENTITY_REGISTERED ? 0 : 1;
		if (flood_seen[me][round] != want || (want && flood_subject[me][round] != c1))
			test_inc(&flood_bad_order);
		flood_seen[me][round] = want + 1;
		flood_subject[me][round] = c1;
	}
	test_inc(&flood_events[me]);
	test_dec(&flood_inside[me]);
	return NO_ERROR;
}

static void test_flood_order(void)
{
	const USHORT inst = 51;
	for (int i = 0; i < FLOOD_ENTITIES; i++)
		test_store(&flood_h[i], test_register(inst, AF_INET, 1 + i, 0, flood_cb));
	for (int r = 0; r < FLOOD_ROUNDS; r++) {
		RTM_ENTITY_INFO info = entity_info(inst, 1000 + r, 0);
		RTM_REGN_PROFILE p;
		RTM_ENTITY_HANDLE h;
		ok(RtmRegisterEntity(&info, NULL, NULL, FALSE, &p, &h) == NO_ERROR, "register round %d\n", r);
		ok(RtmDeregisterEntity(h) == NO_ERROR, "deregister round %d\n", r);
	}
	int all = 1;
	for (int i = 0; i < FLOOD_ENTITIES; i++)
		all &= test_wait_for(test_load(&flood_events[i]) == 2 * FLOOD_ROUNDS, WAIT_MS);
	ok(all, "not every entity got its %d events\n", 2 * FLOOD_ROUNDS);
	ok(test_load(&flood_bad_order) == 0, "%d events out of order\n", test_load(&flood_bad_order));
	ok(test_load(&flood_overlap) == 0, "%d overlapping callbacks to one entity\n", test_load(&flood_overlap));
	for (int i = 0; i < FLOOD_ENTITIES; i++)
		ok(RtmDeregisterEntity(flood_h[i]) == NO_ERROR, "deregister %d\n", i);
}

int main(void)
{
	test_mutex_init(&log_mutex);
	main_thread = test_thread_id();
	test_entity_events();
	test_reentrant();
	test_deregister_with_queue();
	test_blocked_entity();
	test_flood_order();
	expect_no_live_objects();
	return test_finish();
}

/*
 * test_regress_review.c - regression tests for defects found by a correctness review of src/
 * against the spec.  One function per defect.
 */
#include "test_util.h"

/*
 * The owner locks its route, moves it in place from next hop A to next hop B (taking a reference
 * on B and releasing A's, as the in-place protocol says, functions-1 7.5), and then deletes the
 * route without committing.  RTM's structural links were still on A; the route's end dropped
 * them from B instead, so B (still in its owner's list) was freed when the client released its
 * handle, and A was never freed.
 */
static void test_delete_during_inplace_edit(void)
{
	RTM_ENTITY_HANDLE a = test_register(81, AF_INET, 1, 1, NULL);
	RTM_NEXTHOP_HANDLE na = test_nexthop(a, test_ipv4(192, 168, 0, 1, 32), 1);
	RTM_NEXTHOP_HANDLE nb = test_nexthop(a, test_ipv4(192, 168, 0, 2, 32), 1);
	RTM_ROUTE_HANDLE r = test_route(a, test_ipv4(10, 0, 0, 0, 8), na, 1, 1, RTM_VIEW_MASK_UCAST);
	RTM_DEST_HANDLE d = test_dest_of(a, r);

	PRTM_ROUTE_INFO p = NULL;
	expect_eq(RtmLockRoute(a, r, TRUE, TRUE, &p), NO_ERROR);
	expect_eq(RtmReferenceHandles(a, 1, &nb), NO_ERROR);
	p->Neighbour = nb;
	test_hops(p)[0] = nb;
	HANDLE two[2] = { na, na }; /* RTM's references on A as neighbour and next hop */
	expect_eq(RtmReleaseNextHops(a, 2, two), NO_ERROR);
	expect_eq(RtmReferenceHandles(a, 1, &nb), NO_ERROR);

	expect_eq(RtmDeleteRouteToDest(a, r, NULL), NO_ERROR);
	expect_eq(RtmLockDestination(a, d, TRUE, FALSE), NO_ERROR);
	expect_eq(RtmReleaseNextHops(a, 1, &nb), NO_ERROR);
	expect_eq(RtmReleaseNextHops(a, 1, &na), NO_ERROR);
	/* both next hops are still in their owner's list: both can be found */
	RTM_NEXTHOP_INFO q;
	memset(&q, 0, sizeof(q));
	q.NextHopAddress = test_ipv4(192, 168, 0, 2, 32);
	q.InterfaceIndex = 1;
	RTM_NEXTHOP_HANDLE found = NULL;
	expect_eq(RtmFindNextHop(a, &q, &found, NULL), NO_ERROR);
	if (found)
		expect_eq(RtmReleaseNextHops(a, 1, &found), NO_ERROR);
	test_deregister(a);
	expect_no_live_objects();
}

/*
 * The same with a corrupt edit: more next hops than the profile allows.  Deleting the route (or
 * the owner's deregistration, which deletes it) copied all of them into an 8-entry array.
 */
static void test_delete_after_corrupt_inplace_edit(void)
{
	RTM_ENTITY_HANDLE a = test_register(82, AF_INET, 1, 1, NULL);
	RTM_NEXTHOP_HANDLE na = test_nexthop(a, test_ipv4(192, 168, 0, 1, 32), 1);
	RTM_ROUTE_HANDLE r = test_route(a, test_ipv4(10, 0, 0, 0, 8), na, 1, 1, RTM_VIEW_MASK_UCAST);
	RTM_ROUTE_HANDLE r2 = test_route(a, test_ipv4(10, 1, 0, 0, 16), na, 1, 1, RTM_VIEW_MASK_UCAST);

	PRTM_ROUTE_INFO p = NULL;
	expect_eq(RtmLockRoute(a, r, TRUE, TRUE, &p), NO_ERROR);
	p->NextHopsList.NumNextHops = 4000;
	expect_eq(RtmDeleteRouteToDest(a, r, NULL), NO_ERROR);

	/* and an open, corrupt edit when the owner deregisters */
	expect_eq(RtmLockRoute(a, r2, TRUE, TRUE, &p), NO_ERROR);
	p->NextHopsList.NumNextHops = 4000;
	expect_eq(RtmReleaseRoutes(a, 1, &r2), NO_ERROR);
	expect_eq(RtmReleaseNextHops(a, 1, &na), NO_ERROR);
	test_deregister(a);
	expect_no_live_objects();
}

/*
 * An owner in an in-place edit session (next hops moved from A to B as in the first test) updates
 * the route to next hop C through RtmAddRouteToDest instead of committing: the update dropped
 * RTM's links from B, which had none of the route's (they were still on A), taking B's link of
 * its owner's list, so B was freed while listed.
 */
static void test_update_during_inplace_edit(void)
{
	RTM_ENTITY_HANDLE a = test_register(83, AF_INET, 1, 1, NULL);
	RTM_NEXTHOP_HANDLE na = test_nexthop(a, test_ipv4(192, 168, 0, 1, 32), 1);
	RTM_NEXTHOP_HANDLE nb = test_nexthop(a, test_ipv4(192, 168, 0, 2, 32), 1);
	RTM_NEXTHOP_HANDLE nc = test_nexthop(a, test_ipv4(192, 168, 0, 3, 32), 1);
	RTM_ROUTE_HANDLE r = test_route(a, test_ipv4(10, 0, 0, 0, 8), na, 1, 1, RTM_VIEW_MASK_UCAST);

	PRTM_ROUTE_INFO p = NULL;
	expect_eq(RtmLockRoute(a, r, TRUE, TRUE, &p), NO_ERROR);
	p->Neighbour = nb;
	test_hops(p)[0] = nb;
	HANDLE refs[2] = { nb, nb };
	expect_eq(RtmReferenceHandles(a, 2, refs), NO_ERROR);
	HANDLE two[2] = { na, na };
	expect_eq(RtmReleaseNextHops(a, 2, two), NO_ERROR);

	test_route_info_buf b;
	test_fill_route(&b.info, nc, 1, 2, RTM_VIEW_MASK_UCAST);
	expect_eq(RtmAddRouteToDest(a, &r, NULL, &b.info, INFINITE, NULL, 0, NULL, NULL), NO_ERROR);
	expect_eq(RtmLockRoute(a, r, TRUE, FALSE, NULL), NO_ERROR);
	expect_eq(RtmReleaseNextHops(a, 1, &nb), NO_ERROR);
	RTM_NEXTHOP_INFO q;
	memset(&q, 0, sizeof(q));
	q.NextHopAddress = test_ipv4(192, 168, 0, 2, 32);
	q.InterfaceIndex = 1;
	RTM_NEXTHOP_HANDLE found = NULL;
	expect_eq(RtmFindNextHop(a, &q, &found, NULL), NO_ERROR);
	if (found)
		expect_eq(RtmDeleteNextHop(a, found, NULL), NO_ERROR);
	expect_eq(RtmDeleteRouteToDest(a, r, NULL), NO_ERROR);
	expect_eq(RtmDeleteNextHop(a, na, NULL), NO_ERROR);
	expect_eq(RtmDeleteNextHop(a, nc, NULL), NO_ERROR);
	test_deregister(a);
	expect_no_live_objects();
}

/*
 * A destination locked exclusively by another thread (its owner editing a route in place) must
 * hold up enumerations that reach it (functions-1 1.8); they read the route under edit without
 * waiting, racing with the owner's writes.
 */
struct enum_waiter {
	RTM_ENTITY_HANDLE reg;
	int routes; /* 1: RtmGetEnumRoutes, 0: RtmGetEnumDests */
	volatile int done;
	UINT count;
	ULONG metric;
	DWORD err;
};

static void *enum_waiter_main(void *arg)
{
	struct enum_waiter *w = arg;
	RTM_ENUM_HANDLE e = NULL;
	UINT n = 10;
	if (w->routes) {
		RTM_ROUTE_HANDLE h[10];
		RtmCreateRouteEnum(w->reg, NULL, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, NULL, RTM_MATCH_NONE, NULL, 0,
				   &e); /* no ok() in this thread: test.h's counters are not atomic */
		w->err = RtmGetEnumRoutes(w->reg, e, &n, h);
		if (n) {
			test_route_info_buf b;
			if (RtmGetRouteInfo(w->reg, h[0], &b.info, NULL) == NO_ERROR)
				w->metric = b.info.PrefInfo.Metric;
			RtmReleaseRouteInfo(w->reg, &b.info);
		}
		RtmReleaseRoutes(w->reg, n, h);
	} else {
		static union {
			RTM_DEST_INFO info;
			char room[10 * RTM_SIZE_OF_DEST_INFO(2)];
		} b;
		RtmCreateDestEnum(w->reg, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, NULL, RTM_BEST_PROTOCOL, &e);
		w->err = RtmGetEnumDests(w->reg, e, &n, &b.info);
		RtmReleaseDests(w->reg, n, &b.info);
	}
	RtmDeleteEnumHandle(w->reg, e);
	w->count = n;
	__atomic_store_n(&w->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void test_enum_waits_for_client_lock(void)
{
	RTM_ENTITY_HANDLE a = test_register(84, AF_INET, 1, 1, NULL);
	RTM_ENTITY_HANDLE o = test_register(84, AF_INET, 2, 1, NULL);
	RTM_ROUTE_HANDLE r8 = test_route(a, test_ipv4(10, 0, 0, 0, 8), NULL, 1, 1, RTM_VIEW_MASK_UCAST);
	RTM_ROUTE_HANDLE r = test_route(a, test_ipv4(10, 1, 0, 0, 16), NULL, 1, 1, RTM_VIEW_MASK_UCAST);
	for (int routes = 0; routes < 2; routes++) {
		PRTM_ROUTE_INFO p = NULL;
		expect_eq(RtmLockRoute(a, r, TRUE, TRUE, &p), NO_ERROR);
		struct enum_waiter w = { o, routes, 0, 0, 0, 0 };
		test_thread th = test_thread_start(enum_waiter_main, &w);
		test_sleep_ms(200);
		ok(!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE),
		   "%s did not wait for another thread's exclusive lock\n", routes ? "RtmGetEnumRoutes" : "RtmGetEnumDests");
		p->PrefInfo.Metric = 5 + routes;
		expect_eq(RtmUpdateAndUnlockRoute(a, r, INFINITE, NULL, 0, NULL, NULL), NO_ERROR);
		test_thread_join(th);
		expect_eq(w.count, 2);
		if (routes)
			expect_eq(w.metric, 1); /* the /8 comes first, unchanged */
	}
	test_deregister(o);

	/* the waiting client deregisters meanwhile: its batch fails and keeps no reference */
	for (int routes = 0; routes < 2; routes++) {
		o = test_register(84, AF_INET, 2, 1, NULL);
		PRTM_ROUTE_INFO p = NULL;
		expect_eq(RtmLockRoute(a, r, TRUE, TRUE, &p), NO_ERROR);
		struct enum_waiter w = { o, routes, 0, 0, 0, 0 };
		test_thread th = test_thread_start(enum_waiter_main, &w);
		test_sleep_ms(200);
		test_deregister(o);
		expect_eq(RtmUpdateAndUnlockRoute(a, r, INFINITE, NULL, 0, NULL, NULL), NO_ERROR);
		test_thread_join(th);
		expect_eq(w.err, ERROR_INVALID_HANDLE);
		expect_eq(w.count, 0);
	}
	expect_eq(RtmReleaseRoutes(a, 1, &r), NO_ERROR);
	expect_eq(RtmReleaseRoutes(a, 1, &r8), NO_ERROR);
	test_deregister(a);
	expect_no_live_objects();
}

/*
 * RtmIgnoreChangedDests with a handle given twice, for a destination that only its pending entry
 * kept (the client had released its own handle, the route is gone): dropping the entry at the
 * first occurrence left the object dead, and the second occurrence was looked up as NULL and
 * dereferenced (found by the fuzzer in fuzz/fuzz_api).
 */
static void test_ignore_repeated_handle_of_unheld_dest(void)
{
	RTM_ENTITY_HANDLE a = test_register(85, AF_INET, 1, 1, NULL);
	RTM_NOTIFY_HANDLE n;
	expect_eq(RtmRegisterForChangeNotification(a, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, NULL, &n), NO_ERROR);
	RTM_ROUTE_HANDLE r = test_route(a, test_ipv4(10, 0, 0, 0, 8), NULL, 1, 1, RTM_VIEW_MASK_UCAST);
	RTM_DEST_HANDLE d = test_dest_of(a, r); /* no reference kept */
	expect_eq(RtmDeleteRouteToDest(a, r, NULL), NO_ERROR);
	RTM_DEST_HANDLE twice[2] = { d, d };
	expect_eq(RtmIgnoreChangedDests(a, n, 2, twice), NO_ERROR);
	BOOL st = TRUE;
	expect_eq(RtmGetChangeStatus(a, n, d, &st), ERROR_INVALID_HANDLE); /* the destination is gone */
	expect_eq(RtmDeregisterFromChangeNotification(a, n), NO_ERROR);
	test_deregister(a);
	expect_no_live_objects();
}

/*
 * The owner of a next hop locks it and writes members it may not change (its address) through
 * the pointer, which the unlock would restore; then it deletes the next hop, or deregisters,
 * before unlocking.  The deletion searched the owner's sorted next hops by the edited address,
 * did not find it and left it listed: RtmDeleteNextHop left a freed next hop in the list, and
 * deregistration looped for ever.
 */
static void test_delete_nexthop_during_inplace_edit(void)
{
	RTM_ENTITY_HANDLE a = test_register(86, AF_INET, 1, 1, NULL);
	RTM_NEXTHOP_HANDLE n1 = test_nexthop(a, test_ipv4(192, 168, 0, 1, 32), 1);
	RTM_NEXTHOP_HANDLE n2 = test_nexthop(a, test_ipv4(192, 168, 0, 2, 32), 1);
	PRTM_NEXTHOP_INFO p = NULL;
	expect_eq(RtmLockNextHop(a, n1, TRUE, TRUE, &p), NO_ERROR);
	p->NextHopAddress.AddrBits[3] = 9;
	expect_eq(RtmDeleteNextHop(a, n1, NULL), NO_ERROR);
	expect_eq(RtmLockNextHop(a, n1, TRUE, FALSE, NULL), NO_ERROR); /* the lock kept it until now */

	expect_eq(RtmLockNextHop(a, n2, TRUE, TRUE, &p), NO_ERROR);
	p->NextHopAddress.AddrBits[3] = 9;
	p->InterfaceIndex = 77;
	expect_eq(RtmReleaseNextHops(a, 1, &n2), NO_ERROR);
	test_deregister(a);
	expect_no_live_objects();
}

int main(void)
{
	test_delete_during_inplace_edit();
	test_delete_after_corrupt_inplace_edit();
	test_update_during_inplace_edit();
	test_enum_waits_for_client_lock();
	test_ignore_repeated_handle_of_unheld_dest();
	test_delete_nexthop_during_inplace_edit();
	return test_finish();
}

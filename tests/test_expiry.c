/*
 * test_expiry.c - route time-to-live (RTM_ROUTE_EXPIRED) and hold-down
 * timers (spec concepts §9, §10; functions-1 §1.9, §2.2, §7.3).
 *
 * Timing is only ever waited for with generous deadlines; the few "not
 * before" checks allow for the clock's granularity.
 */
#include "test_thread.h"
#include "test_util.h"

#ifndef _WIN32
#include <stdio.h>
#endif

#define WAIT_MS 20000
#define CLOCK_SLACK_MS 20 /* GetTickCount64 may step by ~16 ms */

/* ---- one route, one callback at a time --------------------------------- */

enum expiry_mode { MODE_DELETE, MODE_KEEP, MODE_UPDATE };

static int mode;
static int expired_count;
static RTM_ROUTE_HANDLE expired_route;
static RTM_ROUTE_INFO expired_copy;
static PRTM_ROUTE_INFO expired_ptr;
static uint64_t expired_at;
static uintptr_t expired_thread;
static DWORD update_results[3];

static DWORD WINAPI expiry_cb(RTM_ENTITY_HANDLE to, RTM_EVENT_TYPE type, PVOID c1, PVOID c2)
{
	if (type != RTM_ROUTE_EXPIRED)
		return NO_ERROR;
	expired_route = c1;
	expired_ptr = c2;
	expired_copy = *(PRTM_ROUTE_INFO)c2;
	expired_at = test_now_ms();
	expired_thread = test_thread_id();
	DWORD ret = NO_ERROR;
	switch (test_load(&mode)) {
	case MODE_DELETE:
		ret = ERROR_NOT_SUPPORTED;
		break;
	case MODE_KEEP:
		break;
	case MODE_UPDATE: {
		/* the documented sample: lock, mark unreachable, commit with an infinite life */
		PRTM_ROUTE_INFO p = NULL;
		update_results[0] = RtmLockRoute(to, c1, TRUE, TRUE, &p);
		update_results[1] = p == c2 ? NO_ERROR : ERROR_INVALID_DATA;
		if (update_results[0] == NO_ERROR && p) {
			p->PrefInfo.Metric = 16;
			update_results[2] = RtmUpdateAndUnlockRoute(to, c1, INFINITE, NULL, 0, NULL, NULL);
		}
		RtmReleaseRoutes(to, 1, (PRTM_ROUTE_HANDLE)&c1);
		break;
	}
	}
	test_inc(&expired_count);
	return ret;
}

static RTM_ROUTE_HANDLE add_route(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS a, ULONG metric, ULONG ttl)
{
	test_route_info_buf b;
	RTM_ROUTE_HANDLE h = NULL;
	test_fill_route(&b.info, NULL, 10, metric, RTM_VIEW_MASK_UCAST);
	DWORD err = RtmAddRouteToDest(reg, &h, &a, &b.info, ttl, NULL, 0, NULL, NULL);
	ok(err == NO_ERROR, "RtmAddRouteToDest: %lu\n", (unsigned long)err);
	return h;
}

/* refresh: update the same route (same neighbour) with a new lifetime */
static void refresh_route(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE h, ULONG metric, ULONG ttl)
{
	test_route_info_buf b;
	test_fill_route(&b.info, NULL, 10, metric, RTM_VIEW_MASK_UCAST);
	DWORD err = RtmAddRouteToDest(reg, &h, NULL, &b.info, ttl, NULL, 0, NULL, NULL);
	ok(err == NO_ERROR, "refresh: %lu\n", (unsigned long)err);
}

static void test_expire_delete(RTM_ENTITY_HANDLE reg)
{
	RTM_NET_ADDRESS a = test_ipv4(10, 1, 0, 0, 16);
	test_store(&mode, MODE_DELETE);
	test_store(&expired_count, 0);
	uint64_t start = test_now_ms();
	RTM_ROUTE_HANDLE h = add_route(reg, a, 1, 100);
	ok(test_wait_for(test_load(&expired_count) == 1, WAIT_MS), "no RTM_ROUTE_EXPIRED\n");
	ok(expired_route == h, "Context1 %p, route %p\n", expired_route, h);
	ok(expired_copy.RouteOwner == reg, "RouteOwner %p, owner %p\n", expired_copy.RouteOwner, reg);
	ok(expired_copy.PrefInfo.Metric == 1, "metric %lu\n", (unsigned long)expired_copy.PrefInfo.Metric);
	ok(expired_at + CLOCK_SLACK_MS >= start + 100, "expired after %lu ms of 100\n",
	   (unsigned long)(expired_at - start));
	ok(test_wait_for(test_dest_routes(reg, a, 0) < 0, WAIT_MS), "ERROR_NOT_SUPPORTED did not delete the route\n");
	/* our own handle from the add still works and shows the deletion */
	test_route_info_buf b;
	ok(RtmGetRouteInfo(reg, h, &b.info, NULL) == NO_ERROR, "RtmGetRouteInfo of the deleted route\n");
	ok(b.info.State == RTM_ROUTE_STATE_DELETED, "state %u\n", b.info.State);
	RtmReleaseRouteInfo(reg, &b.info);
	ok(RtmReleaseRoutes(reg, 1, &h) == NO_ERROR, "release our handle\n");
	/* RTM took its callback reference back: nothing more to release */
	ok(RtmReleaseRoutes(reg, 1, &h) == ERROR_INVALID_HANDLE, "an extra reference was left\n");
}

static void test_expire_keep(RTM_ENTITY_HANDLE reg)
{
	RTM_NET_ADDRESS a = test_ipv4(10, 2, 0, 0, 16);
	test_store(&mode, MODE_KEEP);
	test_store(&expired_count, 0);
	RTM_ROUTE_HANDLE h = add_route(reg, a, 2, 0); /* 0: expires at once, asynchronously */
	ok(test_wait_for(test_load(&expired_count) == 1, WAIT_MS), "no RTM_ROUTE_EXPIRED for TTL 0\n");
	/* asynchronous: on RTM's thread, never inside the adding call */
	ok(expired_thread != test_thread_id(), "expiry delivered on the caller's thread\n");
	ok(expired_route == h, "Context1 %p, route %p\n", expired_route, h);
	test_sleep_ms(50);
	ok(test_dest_routes(reg, a, 0) == 1, "route gone although the owner kept it\n");
	ok(test_load(&expired_count) == 1, "expired %d times\n", test_load(&expired_count));
	/* two references are ours now: the add's and the callback's */
	ok(RtmReleaseRoutes(reg, 1, &h) == NO_ERROR, "release the callback's reference\n");
	ok(RtmReleaseRoutes(reg, 1, &h) == NO_ERROR, "release the add's reference\n");
	ok(RtmReleaseRoutes(reg, 1, &h) == ERROR_INVALID_HANDLE, "a third reference\n");
	ok(test_dest_routes(reg, a, 0) == 1, "releasing the handles deleted the route\n");
}

static void test_expire_update_in_place(RTM_ENTITY_HANDLE reg)
{
	RTM_NET_ADDRESS a = test_ipv4(10, 3, 0, 0, 16);
	test_store(&mode, MODE_UPDATE);
	test_store(&expired_count, 0);
	RTM_ROUTE_HANDLE h = add_route(reg, a, 3, 50);
	ok(test_wait_for(test_load(&expired_count) == 1, WAIT_MS), "no RTM_ROUTE_EXPIRED\n");
	ok(update_results[0] == NO_ERROR, "RtmLockRoute in the expiry callback: %lu\n", (unsigned long)update_results[0]);
	ok(update_results[1] == NO_ERROR, "RtmLockRoute's pointer is not Context2\n");
	ok(update_results[2] == NO_ERROR, "RtmUpdateAndUnlockRoute: %lu\n", (unsigned long)update_results[2]);
	test_route_info_buf b;
	ok(RtmGetRouteInfo(reg, h, &b.info, NULL) == NO_ERROR, "RtmGetRouteInfo\n");
	ok(b.info.State == RTM_ROUTE_STATE_CREATED && b.info.PrefInfo.Metric == 16, "state %u metric %lu\n",
	   b.info.State, (unsigned long)b.info.PrefInfo.Metric);
	RtmReleaseRouteInfo(reg, &b.info);
	test_sleep_ms(150);
	ok(test_load(&expired_count) == 1, "an infinite life expired again\n");
	ok(RtmDeleteRouteToDest(reg, h, NULL) == NO_ERROR, "delete\n");
}

static void test_refresh_and_delete_suppress(RTM_ENTITY_HANDLE reg)
{
	RTM_NET_ADDRESS a = test_ipv4(10, 4, 0, 0, 16), b = test_ipv4(10, 5, 0, 0, 16);
	test_store(&mode, MODE_DELETE);
	test_store(&expired_count, 0);
	RTM_ROUTE_HANDLE ha = add_route(reg, a, 4, 300);
	RTM_ROUTE_HANDLE hb = add_route(reg, b, 5, 100);
	refresh_route(reg, ha, 4, INFINITE);           /* never expires now */
	ok(RtmDeleteRouteToDest(reg, hb, NULL) == NO_ERROR, "delete b\n"); /* consumes hb */
	test_sleep_ms(600);
	ok(test_load(&expired_count) == 0, "%d expiries of refreshed/deleted routes\n", test_load(&expired_count));

	/* each refresh restarts the time: the event comes a full TTL after the last one */
	uint64_t last = 0;
	for (int i = 0; i < 3; i++) {
		refresh_route(reg, ha, 4, 400);
		last = test_now_ms();
		test_sleep_ms(100);
	}
	ok(test_wait_for(test_load(&expired_count) == 1, WAIT_MS), "no expiry after the refreshes\n");
	ok(expired_route == ha, "the wrong route expired\n");
	ok(expired_at + CLOCK_SLACK_MS >= last + 400, "expired %ld ms after the last refresh (TTL 400)\n",
	   (long)(expired_at - last));
	ok(test_wait_for(test_dest_routes(reg, a, 0) < 0, WAIT_MS), "not deleted\n");
	RtmReleaseRoutes(reg, 1, &ha);
}

static void test_no_callback(void)
{
	RTM_ENTITY_HANDLE reg = test_register(62, AF_INET, 1, 0, NULL);
	RTM_NET_ADDRESS a = test_ipv4(10, 6, 0, 0, 16);
	RTM_ROUTE_HANDLE h = add_route(reg, a, 6, 30);
	ok(test_wait_for(test_dest_routes(reg, a, 0) < 0, WAIT_MS), "an owner without callback keeps the route\n");
	RtmReleaseRoutes(reg, 1, &h);
	test_deregister(reg);
}

/* ---- 100,000 routes with short lives --------------------------------------- */

#define MANY 100000

static unsigned char many_seen[MANY];
static int many_total, many_dupes, many_bad;

static DWORD WINAPI many_cb(RTM_ENTITY_HANDLE to, RTM_EVENT_TYPE type, PVOID c1, PVOID c2)
{
	(void)to;
	(void)c1;
	if (type != RTM_ROUTE_EXPIRED)
		return NO_ERROR;
	uintptr_t i = (uintptr_t)((PRTM_ROUTE_INFO)c2)->EntitySpecificInfo;
	if (i >= MANY) {
		test_inc(&many_bad);
		return ERROR_NOT_SUPPORTED;
	}
	if (__atomic_fetch_add(&many_seen[i], 1, __ATOMIC_SEQ_CST))
		test_inc(&many_dupes);
	test_inc(&many_total);
	return ERROR_NOT_SUPPORTED;
}

static int thread_count(void)
{
#ifdef _WIN32
	return -1;
#else
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	int n = -1;
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Threads: %d", &n) == 1)
			break;
	if (f)
		fclose(f);
	return n;
#endif
}

static void test_many(void)
{
	RTM_ENTITY_HANDLE reg = test_register(63, AF_INET, 1, 0, many_cb);
	int threads_before = thread_count();
	uint64_t start = test_now_ms();
	test_route_info_buf b;
	for (unsigned i = 0; i < MANY; i++) {
		RTM_NET_ADDRESS a = test_ipv4(10, (i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff, 32);
		test_fill_route(&b.info, NULL, 10, 1, RTM_VIEW_MASK_UCAST);
		b.info.EntitySpecificInfo = (PVOID)(uintptr_t)i;
		DWORD err = RtmAddRouteToDest(reg, NULL, &a, &b.info, 50 + (i * 7919u) % 451, NULL, 0, NULL, NULL);
		if (err != NO_ERROR) {
			ok(0, "add %u: %lu\n", i, (unsigned long)err);
			break;
		}
	}
	uint64_t added = test_now_ms();
	int threads_during = thread_count();
	ok(test_wait_for(test_load(&many_total) >= MANY, 120000), "%d of %d expired\n", test_load(&many_total), MANY);
	uint64_t done = test_now_ms();
	printf("expiry of %d routes: adds %lu ms, last expiry at %lu ms (lives 50-500 ms)\n", MANY,
	       (unsigned long)(added - start), (unsigned long)(done - start));
	test_sleep_ms(100);
	ok(test_load(&many_total) == MANY && test_load(&many_dupes) == 0 && test_load(&many_bad) == 0,
	   "total %d, duplicates %d, unknown %d\n", test_load(&many_total), test_load(&many_dupes),
	   test_load(&many_bad));
	int missing = 0;
	for (unsigned i = 0; i < MANY; i++)
		missing += many_seen[i] != 1;
	ok(missing == 0, "%d routes not reported exactly once\n", missing);
	if (threads_before > 0)
		ok(threads_during <= threads_before + 2, "threads: %d before, %d with 100000 timers\n", threads_before,
		   threads_during);
	ok(test_wait_for(test_live_count(RTM_TEST_COUNT_ROUTES) == 0, WAIT_MS), "%lu routes left\n",
	   (unsigned long)test_live_count(RTM_TEST_COUNT_ROUTES));
	test_deregister(reg);
}

/* live objects of every kind (~0u if the statistics hook does not answer); no ok() per poll */
static DWORD live_total(void)
{
	DWORD c[RTM_TEST_COUNT_KINDS], n = 0;
	if (!test_object_counts(c))
		return ~0u;
	for (int i = 0; i < RTM_TEST_COUNT_KINDS; i++)
		n += c[i];
	return n;
}

/* ---- hold-down ------------------------------------------------------------------ */

static RTM_ROUTE_HANDLE view_hold_route(RTM_ENTITY_HANDLE reg, RTM_DEST_HANDLE d, RTM_ROUTE_HANDLE *best)
{
	test_dest_info_buf b;
	RTM_ROUTE_HANDLE held = NULL;
	*best = NULL;
	if (RtmGetDestInfo(reg, d, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &b.info) != NO_ERROR)
		return (RTM_ROUTE_HANDLE)(uintptr_t)-1;
	held = b.info.ViewInfo[0].HoldRoute;
	*best = b.info.ViewInfo[0].Route;
	RtmReleaseDestInfo(reg, &b.info);
	return held;
}

static void test_hold_down(void)
{
	const ULONG hold = 1500;
	RTM_ENTITY_HANDLE reg = test_register(64, AF_INET, 1, 0, NULL);
	RTM_NET_ADDRESS a = test_ipv4(10, 9, 0, 0, 16);
	RTM_ROUTE_HANDLE r1 = add_route(reg, a, 1, INFINITE);
	test_dest_info_buf b;
	ok(RtmGetExactMatchDestination(reg, &a, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &b.info) == NO_ERROR,
	   "dest lookup\n");
	RTM_DEST_HANDLE d = b.info.DestHandle;
	RtmReferenceHandles(reg, 1, &d);
	RtmReleaseDestInfo(reg, &b.info);
	ok(RtmHoldDestination(reg, d, RTM_VIEW_MASK_UCAST, 0) == ERROR_INVALID_PARAMETER, "HoldTime 0\n");
	ok(RtmHoldDestination(reg, d, RTM_VIEW_MASK_UCAST, hold) == NO_ERROR, "RtmHoldDestination\n");

	RTM_ROUTE_HANDLE r1_keep = r1, best;
	RtmReferenceHandles(reg, 1, &r1_keep);
	uint64_t t0 = test_now_ms();
	ok(RtmDeleteRouteToDest(reg, r1, NULL) == NO_ERROR, "delete the last route\n");
	RTM_ROUTE_HANDLE held = view_hold_route(reg, d, &best);
	ok(held == r1_keep && best == NULL, "HoldRoute %p (route %p), Route %p\n", held, r1_keep, best);
	ok(RtmGetExactMatchDestination(reg, &a, RTM_BEST_PROTOCOL, 0, &b.info) == NO_ERROR,
	   "a held destination is not visible with RTM_VIEW_MASK_ANY\n");
	RtmReleaseDestInfo(reg, &b.info);
	ok(RtmGetExactMatchDestination(reg, &a, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &b.info) == ERROR_NOT_FOUND,
	   "a held destination is visible in the unicast view\n");

	/* a newer last route replaces the held one and restarts the time */
	test_sleep_ms(hold / 2);
	RTM_ROUTE_HANDLE r2 = add_route(reg, a, 2, INFINITE), r2_keep = r2;
	RtmReferenceHandles(reg, 1, &r2_keep);
	held = view_hold_route(reg, d, &best);
	if (test_now_ms() < t0 + hold)
		ok(held == r1_keep && best == r2_keep, "during the hold: HoldRoute %p, Route %p\n", held, best);
	else
		printf("machine too slow for the mid-hold check\n");
	uint64_t t1 = test_now_ms();
	ok(RtmDeleteRouteToDest(reg, r2, NULL) == NO_ERROR, "delete r2\n");
	test_sleep_ms(hold / 2 + hold / 4); /* past the first hold's end, before the second's */
	held = view_hold_route(reg, d, &best);
	uint64_t t2 = test_now_ms();
	if (t2 < t1 + hold && t2 > t0 + hold + CLOCK_SLACK_MS)
		ok(held == r2_keep, "HoldRoute %p after the restart, want %p\n", held, r2_keep);
	else
		printf("machine too slow for the restart check (%lu ms)\n", (unsigned long)(t2 - t1));

	ok(test_wait_for(view_hold_route(reg, d, &best) == NULL, WAIT_MS), "the hold never ended\n");
	uint64_t t3 = test_now_ms();
	ok(t3 + CLOCK_SLACK_MS >= t1 + hold, "the hold ended %ld ms after it restarted (%lu)\n", (long)(t3 - t1),
	   (unsigned long)hold);
	ok(RtmGetExactMatchDestination(reg, &a, RTM_BEST_PROTOCOL, 0, &b.info) == ERROR_NOT_FOUND,
	   "the destination did not leave the table\n");
	test_route_info_buf ri;
	ok(RtmGetRouteInfo(reg, r2_keep, &ri.info, NULL) == NO_ERROR && ri.info.State == RTM_ROUTE_STATE_DELETED,
	   "held route's info\n");
	RtmReleaseRouteInfo(reg, &ri.info);
	RtmReleaseRoutes(reg, 1, &r1_keep);
	RtmReleaseRoutes(reg, 1, &r2_keep);
	ok(test_release_dest_handle(reg, d) == NO_ERROR, "release dest\n");

	/* INFINITE: held until replaced; deregistration leaves it to RTM */
	RTM_NET_ADDRESS c = test_ipv4(10, 10, 0, 0, 16);
	RTM_ROUTE_HANDLE r3 = add_route(reg, c, 1, INFINITE);
	ok(RtmGetExactMatchDestination(reg, &c, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &b.info) == NO_ERROR, "c\n");
	ok(RtmHoldDestination(reg, b.info.DestHandle, 0, 100) == NO_ERROR, "hold c (all views)\n");
	RtmReleaseDestInfo(reg, &b.info);
	ok(RtmDeleteRouteToDest(reg, r3, NULL) == NO_ERROR, "delete r3\n");
	ok(RtmGetExactMatchDestination(reg, &c, RTM_BEST_PROTOCOL, 0, &b.info) == NO_ERROR, "c held\n");
	RtmReleaseDestInfo(reg, &b.info);
	test_deregister(reg);
	/* the hold outlives the owner, then everything goes */
	ok(test_wait_for(live_total() == 0, WAIT_MS), "%lu objects left after the hold\n", (unsigned long)live_total());
}

/* ---- deregistration with expiries queued ----------------------------------------- */

#define LATE 50

static int late_count;
static RTM_ROUTE_HANDLE late_handles[LATE];

static DWORD WINAPI late_cb(RTM_ENTITY_HANDLE to, RTM_EVENT_TYPE type, PVOID c1, PVOID c2)
{
	(void)to;
	(void)c2;
	if (type == RTM_ROUTE_EXPIRED) {
		int i = test_inc(&late_count) - 1;
		if (i < LATE)
			late_handles[i] = c1;
		test_sleep_ms(30);
	}
	return NO_ERROR; /* keep: each delivered event leaves the owner one reference */
}

static void test_deregister_with_expiries(void)
{
	RTM_ENTITY_HANDLE reg = test_register(65, AF_INET, 1, 0, late_cb);
	RTM_ENTITY_HANDLE janitor = test_register(65, AF_INET, 2, 0, NULL);
	RTM_ROUTE_HANDLE added[LATE];
	for (unsigned i = 0; i < LATE; i++)
		added[i] = add_route(reg, test_ipv4(10, 20, i, 0, 24), 1, 0);
	ok(test_wait_for(test_load(&late_count) >= 1, WAIT_MS), "no expiry\n");
	test_deregister(reg);
	int n = test_load(&late_count);
	ok(n < LATE, "all delivered before the deregistration (test too slow to tell)\n");
	test_sleep_ms(100);
	ok(test_load(&late_count) == n, "%d expiries after deregistration\n", test_load(&late_count) - n);
	/* the departed owner's references can be released through any entity of the table:
	 * one per add and one per delivered event; the undelivered events' were taken back */
	ok(RtmReleaseRoutes(janitor, LATE, added) == NO_ERROR, "release the adds' references\n");
	ok(RtmReleaseRoutes(janitor, (UINT)n, late_handles) == NO_ERROR, "release the delivered events' references\n");
	ok(test_live_count(RTM_TEST_COUNT_ROUTES) == 0, "%lu routes left: references not taken back\n",
	   (unsigned long)test_live_count(RTM_TEST_COUNT_ROUTES));
	ok(RtmReleaseRoutes(janitor, 1, added) == ERROR_INVALID_HANDLE, "a route survived\n");
	test_deregister(janitor);
	expect_no_live_objects();
}

int main(void)
{
	RTM_ENTITY_HANDLE reg = test_register(61, AF_INET, 1, 0, expiry_cb);
	test_expire_delete(reg);
	test_expire_keep(reg);
	test_expire_update_in_place(reg);
	test_refresh_and_delete_suppress(reg);
	test_deregister(reg);
	test_no_callback();
	test_many();
	test_hold_down();
	test_deregister_with_expiries();
	return test_finish();
}

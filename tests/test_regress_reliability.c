/*
 * test_regress_reliability.c - regression tests for the bugs that the reliability tests (the
 * model-based random driver, the fuzzer, the bad-input table, issue 7) found in src/.  One
 * function per bug, named after it; docs/RELIABILITY.md lists them with their fixes.
 */
#include "test_util.h"

typedef union {
	RTM_DEST_INFO info;
	char room[100 * RTM_SIZE_OF_DEST_INFO(2)];
} changed_buf;

static UINT drain(RTM_ENTITY_HANDLE reg, RTM_NOTIFY_HANDLE n)
{
	static changed_buf b;
	UINT c = 100;
	RtmGetChangedDests(reg, n, &c, &b.info);
	RtmReleaseChangedDests(reg, n, c, &b.info);
	return c;
}

static BOOL pending(RTM_ENTITY_HANDLE reg, RTM_NOTIFY_HANDLE n, RTM_DEST_HANDLE d)
{
	BOOL st = 7;
	expect_eq(RtmGetChangeStatus(reg, n, d, &st), NO_ERROR);
	return st;
}

/*
 * A best route that stays best in a view but joins or leaves another view changed its
 * BelongsToViews, which a client can observe: an RTM_CHANGE_TYPE_ALL change in the view where it
 * stays (functions-2 3.0).  It was reported nowhere, through RtmAddRouteToDest and through an
 * in-place commit alike.
 */
static void test_views_change_of_best_is_all_change(void)
{
	RTM_ENTITY_HANDLE a = test_register(71, AF_INET, 1, 1, NULL);
	RTM_NOTIFY_HANDLE n;
	expect_eq(RtmRegisterForChangeNotification(a, RTM_VIEW_MASK_MCAST, RTM_CHANGE_TYPE_ALL, NULL, &n), NO_ERROR);
	RTM_ROUTE_HANDLE r = test_route(a, test_ipv4(10, 0, 0, 0, 8), NULL, 2, 3, RTM_VIEW_MASK_MCAST);
	RTM_DEST_HANDLE d = test_dest_of(a, r);
	expect_eq(drain(a, n), 1);

	test_route_info_buf b;
	test_fill_route(&b.info, NULL, 2, 3, RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST);
	expect_eq(RtmAddRouteToDest(a, &r, NULL, &b.info, INFINITE, NULL, 0, NULL, NULL), NO_ERROR);
	ok(pending(a, n, d), "RtmAddRouteToDest: joining the unicast view was not an ALL change in multicast\n");
	expect_eq(drain(a, n), 1);

	PRTM_ROUTE_INFO p = NULL;
	expect_eq(RtmLockRoute(a, r, TRUE, TRUE, &p), NO_ERROR);
	p->BelongsToViews = RTM_VIEW_MASK_MCAST;
	expect_eq(RtmUpdateAndUnlockRoute(a, r, INFINITE, NULL, 0, NULL, NULL), NO_ERROR);
	ok(pending(a, n, d), "in-place commit: leaving the unicast view was not an ALL change in multicast\n");
	expect_eq(drain(a, n), 1);

	/* a refresh with the same views is still no change (README resolution 9) */
	expect_eq(RtmAddRouteToDest(a, &r, NULL, &b.info, INFINITE, NULL, 0, NULL, NULL), NO_ERROR);
	expect_eq(drain(a, n), 1);
	expect_eq(RtmAddRouteToDest(a, &r, NULL, &b.info, INFINITE, NULL, 0, NULL, NULL), NO_ERROR);
	ok(!pending(a, n, d), "a refresh that changes nothing was reported\n");

	expect_eq(RtmDeregisterFromChangeNotification(a, n), NO_ERROR);
	expect_eq(RtmReleaseRoutes(a, 1, &r), NO_ERROR);
	test_deregister(a);
}

/*
 * Route enumerations list a destination's hold-down routes oldest hold first (functions-2
 * 0.12).  With an INFINITE hold time every hold had the same end (forever) and they came out in
 * view order instead: the unicast view's hold first even when it started later.
 */
static void test_infinite_holds_listed_oldest_first(void)
{
	RTM_ENTITY_HANDLE a = test_register(72, AF_INET, 1, 1, NULL);
	RTM_NET_ADDRESS p = test_ipv4(10, 1, 0, 0, 16);
	RTM_NEXTHOP_HANDLE n1 = test_nexthop(a, test_ipv4(10, 0, 0, 1, 32), 1);
	RTM_NEXTHOP_HANDLE n2 = test_nexthop(a, test_ipv4(10, 0, 0, 2, 32), 1);
	RTM_ROUTE_HANDLE m = test_route(a, p, n1, 1, 1, RTM_VIEW_MASK_MCAST);
	RTM_ROUTE_HANDLE u = test_route(a, p, n2, 1, 1, RTM_VIEW_MASK_UCAST); /* another neighbour: a second route */
	RTM_DEST_HANDLE d = test_dest_of(a, m);
	expect_eq(RtmHoldDestination(a, d, RTM_VIEW_MASK_ANY, INFINITE), NO_ERROR);
	HANDLE keep[2] = { m, u };
	expect_eq(RtmReferenceHandles(a, 2, keep), NO_ERROR);
	expect_eq(RtmDeleteRouteToDest(a, m, NULL), NO_ERROR); /* held in multicast first */
	expect_eq(RtmDeleteRouteToDest(a, u, NULL), NO_ERROR); /* then in unicast */

	RTM_ENUM_HANDLE e;
	expect_eq(RtmCreateRouteEnum(a, d, RTM_VIEW_MASK_ANY, RTM_ENUM_START, NULL, RTM_MATCH_NONE, NULL, 0, &e),
		  NO_ERROR);
	RTM_ROUTE_HANDLE hs[4];
	UINT n = 4;
	expect_eq(RtmGetEnumRoutes(a, e, &n, hs), ERROR_NO_MORE_ITEMS);
	expect_eq(n, 2);
	ok(n == 2 && hs[0] == m && hs[1] == u, "hold-down routes not oldest first: %p %p (multicast's %p)\n",
	   n > 0 ? (void *)hs[0] : NULL, n > 1 ? (void *)hs[1] : NULL, (void *)m);
	expect_eq(RtmReleaseRoutes(a, n, hs), NO_ERROR);
	expect_eq(RtmDeleteEnumHandle(a, e), NO_ERROR);
	expect_eq(RtmReleaseRoutes(a, 2, (RTM_ROUTE_HANDLE *)keep), NO_ERROR);
	RTM_NEXTHOP_HANDLE nhs[2] = { n1, n2 };
	expect_eq(RtmReleaseNextHops(a, 2, nhs), NO_ERROR);
	test_deregister(a);
	/* an INFINITE hold never ends: the held routes and their destination stay, nothing else */
	DWORD c[RTM_TEST_COUNT_KINDS];
	ok(test_object_counts(c), "statistics hook\n");
	expect_eq(c[RTM_TEST_COUNT_ROUTES], 2);
	expect_eq(c[RTM_TEST_COUNT_DESTS], 1);
	expect_eq(c[RTM_TEST_COUNT_NEXTHOPS], 2); /* the held routes' */
	expect_eq(c[RTM_TEST_COUNT_ENTITIES], 1); /* their owner */
	expect_eq(c[RTM_TEST_COUNT_ENUMS] + c[RTM_TEST_COUNT_NOTIFY_REGS] + c[RTM_TEST_COUNT_ROUTE_LISTS], 0);
}

int main(void)
{
	test_views_change_of_best_is_all_change();
	expect_no_live_objects();
	test_infinite_holds_listed_oldest_first(); /* last: it leaves its INFINITE holds */
	return test_finish();
}

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

int main(void)
{
	test_views_change_of_best_is_all_change();
	expect_no_live_objects();
	return test_finish();
}

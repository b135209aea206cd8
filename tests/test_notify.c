/*
 * test_notify.c - change notification (spec functions-2 §3, concepts §11):
 * registration limits and errors, pending sets (order, coalescing, batches,
 * stride, ignore), marks, change classification per type and view, the
 * callback (edge trigger, contexts, waiting deregistration), two consumers
 * (polling, and draining in the callback) while four writers churn, and
 * object accounting.
 */
#include "test_util.h"

#include "test_thread.h"

static int load_int(const int *p) { return test_load(p); }
static void store_int(int *p, int v) { test_store(p, v); }
static void sleep_ms(unsigned ms) { test_sleep_ms(ms); }
/* wait up to ms for *p to reach at least v */
static int wait_for(const int *p, int v, unsigned ms) { return test_wait_for(load_int(p) >= v, ms); }

#define STRIDE RTM_SIZE_OF_DEST_INFO(2)
#define MAXH 100
#define INST 31 /* our own routing table instance */

/* an array of MaxHandlesInEnum changed-dest slots, stride STRIDE */
typedef struct dest_batch {
	char buf[MAXH * STRIDE];
} dest_batch;

static RTM_DEST_INFO *slot(dest_batch *b, UINT i) { return (RTM_DEST_INFO *)(b->buf + (size_t)i * STRIDE); }

static RTM_NOTIFY_HANDLE reg_notify(RTM_ENTITY_HANDLE reg, DWORD views, DWORD flags, void *ctx)
{
	RTM_NOTIFY_HANDLE n = NULL;
	DWORD err = RtmRegisterForChangeNotification(reg, views, flags, ctx, &n);
	ok(err == NO_ERROR, "RtmRegisterForChangeNotification: %lu\n", (unsigned long)err);
	return n;
}

static void dereg_notify(RTM_ENTITY_HANDLE reg, RTM_NOTIFY_HANDLE n)
{
	DWORD err = RtmDeregisterFromChangeNotification(reg, n);
	ok(err == NO_ERROR, "RtmDeregisterFromChangeNotification: %lu\n", (unsigned long)err);
}

/* drain n completely; returns the number of destinations (their infos released) */
static UINT drain(RTM_ENTITY_HANDLE reg, RTM_NOTIFY_HANDLE n)
{
	static dest_batch b;
	UINT total = 0;
	for (int rounds = 0; rounds < 100000; rounds++) {
		UINT got = MAXH;
		DWORD err = RtmGetChangedDests(reg, n, &got, slot(&b, 0));
		ok(err == NO_ERROR || err == ERROR_NO_MORE_ITEMS, "RtmGetChangedDests: %lu\n", (unsigned long)err);
		total += got;
		if (got) {
			DWORD r = RtmReleaseChangedDests(reg, n, got, slot(&b, 0));
			ok(r == NO_ERROR, "RtmReleaseChangedDests: %lu\n", (unsigned long)r);
		}
		if (err != NO_ERROR)
			break;
	}
	return total;
}

static BOOL pending(RTM_ENTITY_HANDLE reg, RTM_NOTIFY_HANDLE n, RTM_DEST_HANDLE d)
{
	BOOL st = 2;
	DWORD err = RtmGetChangeStatus(reg, n, d, &st);
	ok(err == NO_ERROR, "RtmGetChangeStatus: %lu\n", (unsigned long)err);
	ok(st == TRUE || st == FALSE, "status %d\n", st);
	return st;
}

/* route content with every observable member settable */
typedef struct route_spec {
	RTM_NEXTHOP_HANDLE nh;
	ULONG pref, metric;
	DWORD views;
	USHORT flags;
	UCHAR flags1;
	PVOID esi;
} route_spec;

/* add (*h NULL) or update (*h given) a route of reg */
static DWORD put_route(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS a, const route_spec *s, RTM_ROUTE_HANDLE *h)
{
	test_route_info_buf b;
	test_fill_route(&b.info, s->nh, s->pref, s->metric, s->views);
	b.info.Flags = s->flags;
	b.info.Flags1 = s->flags1;
	b.info.EntitySpecificInfo = s->esi;
	DWORD flags = 0;
	return RtmAddRouteToDest(reg, h, &a, &b.info, INFINITE, NULL, 0, NULL, &flags);
}

/* the destination handle of an exact prefix (referenced; release with test_release_dest_handle) */
static RTM_DEST_HANDLE dest_of(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS a)
{
	test_dest_info_buf b;
	DWORD err = RtmGetExactMatchDestination(reg, &a, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ANY, &b.info);
	ok(err == NO_ERROR, "RtmGetExactMatchDestination: %lu\n", (unsigned long)err);
	return err == NO_ERROR ? b.info.DestHandle : NULL;
}

static void delete_route(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE h)
{
	DWORD flags = 0;
	DWORD err = RtmDeleteRouteToDest(reg, h, &flags);
	ok(err == NO_ERROR, "RtmDeleteRouteToDest: %lu\n", (unsigned long)err);
}

static void release_route(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE h)
{
	DWORD err = RtmReleaseRoutes(reg, 1, &h);
	ok(err == NO_ERROR, "RtmReleaseRoutes: %lu\n", (unsigned long)err);
}

static void release_nh(RTM_ENTITY_HANDLE reg, RTM_NEXTHOP_HANDLE nh)
{
	DWORD err = RtmReleaseNextHops(reg, 1, &nh);
	ok(err == NO_ERROR, "RtmReleaseNextHops: %lu\n", (unsigned long)err);
}

/* ---- registration and argument errors ------------------------------------------------------------ */

static void test_register_errors(void)
{
	RTM_ENTITY_HANDLE a = test_register(INST, AF_INET, 1, 0, NULL);
	RTM_ENTITY_HANDLE b = test_register(INST, AF_INET, 2, 0, NULL);
	RTM_NOTIFY_HANDLE n = (RTM_NOTIFY_HANDLE)0x1234, m;
	DWORD err;

	err = RtmRegisterForChangeNotification(NULL, 0, RTM_CHANGE_TYPE_ALL, NULL, &n);
	expect_eq(err, ERROR_INVALID_HANDLE);
	err = RtmRegisterForChangeNotification((RTM_ENTITY_HANDLE)0x5a5a5a, 0, RTM_CHANGE_TYPE_ALL, NULL, &n);
	expect_eq(err, ERROR_INVALID_HANDLE);
	err = RtmRegisterForChangeNotification(NULL, 0, RTM_CHANGE_TYPE_ALL, NULL, NULL);
	expect_eq(err, ERROR_INVALID_HANDLE); /* the registration handle is checked first */
	err = RtmRegisterForChangeNotification(a, 0, RTM_CHANGE_TYPE_ALL, NULL, NULL);
	expect_eq(err, ERROR_INVALID_PARAMETER);
	err = RtmRegisterForChangeNotification(a, 0, 0, NULL, &n);
	expect_eq(err, ERROR_INVALID_PARAMETER);
	err = RtmRegisterForChangeNotification(a, 0, RTM_NOTIFY_ONLY_MARKED_DESTS, NULL, &n);
	expect_eq(err, ERROR_INVALID_PARAMETER);
	err = RtmRegisterForChangeNotification(a, 0, RTM_CHANGE_TYPE_ALL | 0x8, NULL, &n);
	expect_eq(err, ERROR_INVALID_PARAMETER);
	err = RtmRegisterForChangeNotification(a, 0, RTM_CHANGE_TYPE_BEST | 0x100000, NULL, &n);
	expect_eq(err, ERROR_INVALID_PARAMETER);
	err = RtmRegisterForChangeNotification(a, 0x4, RTM_CHANGE_TYPE_ALL, NULL, &n);
	expect_eq(err, ERROR_NOT_SUPPORTED);
	err = RtmRegisterForChangeNotification(a, RTM_VIEW_MASK_UCAST | 0x80000000, RTM_CHANGE_TYPE_ALL, NULL, &n);
	expect_eq(err, ERROR_NOT_SUPPORTED);
	ok(n == (RTM_NOTIFY_HANDLE)0x1234, "handle written on failure\n");

	/* every valid view set and flag combination */
	DWORD views[] = { 0, RTM_VIEW_MASK_ALL, RTM_VIEW_MASK_UCAST, RTM_VIEW_MASK_MCAST,
			  RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST };
	for (unsigned i = 0; i < sizeof(views) / sizeof(views[0]); i++)
		for (DWORD f = 1; f <= 7; f++) {
			n = reg_notify(a, views[i], f | (i & 1 ? RTM_NOTIFY_ONLY_MARKED_DESTS : 0), NULL);
			ok(n != NULL, "no handle\n");
			dereg_notify(a, n);
		}

	/* 32 per table, all entities together */
	RTM_NOTIFY_HANDLE all[32];
	for (int i = 0; i < 32; i++)
		all[i] = reg_notify(i & 1 ? b : a, 0, RTM_CHANGE_TYPE_ALL, NULL);
	for (int i = 0; i < 32; i++)
		for (int j = 0; j < i; j++)
			ok(all[i] != all[j], "duplicate handle %d %d\n", i, j);
	err = RtmRegisterForChangeNotification(a, 0, RTM_CHANGE_TYPE_ALL, NULL, &m);
	expect_eq(err, ERROR_NO_SYSTEM_RESOURCES);
	err = RtmRegisterForChangeNotification(b, 0, RTM_CHANGE_TYPE_BEST, NULL, &m);
	expect_eq(err, ERROR_NO_SYSTEM_RESOURCES);
	/* another table has its own 32 */
	RTM_ENTITY_HANDLE other = test_register(INST + 1, AF_INET, 1, 0, NULL);
	m = reg_notify(other, 0, RTM_CHANGE_TYPE_ALL, NULL);
	/* private: another entity's (or another table's) registration is an invalid handle */
	err = RtmDeregisterFromChangeNotification(a, all[1]);
	expect_eq(err, ERROR_INVALID_HANDLE);
	err = RtmDeregisterFromChangeNotification(a, m);
	expect_eq(err, ERROR_INVALID_HANDLE);
	dereg_notify(other, m);
	test_deregister(other);

	dereg_notify(a, all[0]);
	m = reg_notify(b, 0, RTM_CHANGE_TYPE_ALL, NULL);
	err = RtmRegisterForChangeNotification(a, 0, RTM_CHANGE_TYPE_ALL, NULL, &n);
	expect_eq(err, ERROR_NO_SYSTEM_RESOURCES);
	dereg_notify(b, m);
	for (int i = 1; i < 32; i++)
		dereg_notify(i & 1 ? b : a, all[i]);

	/* deregistration: twice, garbage, wrong kind */
	n = reg_notify(a, 0, RTM_CHANGE_TYPE_ALL, NULL);
	dereg_notify(a, n);
	err = RtmDeregisterFromChangeNotification(a, n);
	expect_eq(err, ERROR_INVALID_HANDLE);
	err = RtmDeregisterFromChangeNotification(a, NULL);
	expect_eq(err, ERROR_INVALID_HANDLE);
	err = RtmDeregisterFromChangeNotification(a, (RTM_NOTIFY_HANDLE)0x777777);
	expect_eq(err, ERROR_INVALID_HANDLE);
	err = RtmDeregisterFromChangeNotification(a, a);
	expect_eq(err, ERROR_INVALID_HANDLE);
	err = RtmDeregisterFromChangeNotification(NULL, n);
	expect_eq(err, ERROR_INVALID_HANDLE);

	/* an entity's registrations go away with it, and their slots are free again */
	for (int i = 0; i < 32; i++)
		all[i] = reg_notify(b, 0, RTM_CHANGE_TYPE_ALL, NULL);
	test_deregister(b);
	expect_eq(test_live_count(RTM_TEST_COUNT_NOTIFY_REGS), 0);
	for (int i = 0; i < 32; i++)
		all[i] = reg_notify(a, 0, RTM_CHANGE_TYPE_ALL, NULL);
	for (int i = 0; i < 32; i++)
		dereg_notify(a, all[i]);
	test_deregister(a);
}

static void test_call_errors(void)
{
	RTM_ENTITY_HANDLE a = test_register(INST, AF_INET, 1, 0, NULL);
	RTM_ENTITY_HANDLE b = test_register(INST, AF_INET, 2, 0, NULL);
	RTM_NEXTHOP_HANDLE nh = test_nexthop(a, test_ipv4(192, 168, 0, 1, 32), 1);
	RTM_NET_ADDRESS p = test_ipv4(10, 1, 0, 0, 16);
	RTM_ROUTE_HANDLE r = test_route(a, p, nh, 10, 1, RTM_VIEW_MASK_UCAST);
	RTM_DEST_HANDLE d = dest_of(a, p);
	RTM_NOTIFY_HANDLE n = reg_notify(a, 0, RTM_CHANGE_TYPE_ALL, NULL);
	RTM_NOTIFY_HANDLE nb = reg_notify(b, 0, RTM_CHANGE_TYPE_ALL, NULL);
	RTM_NOTIFY_HANDLE stale = reg_notify(a, 0, RTM_CHANGE_TYPE_ALL, NULL);
	dereg_notify(a, stale);
	HANDLE bad[] = { NULL, (HANDLE)0x424242, stale, nb, d, r, a, nh };
	static dest_batch batch;
	UINT cnt;
	BOOL flag;
	DWORD err;

	/* RtmGetChangedDests */
	cnt = 5;
	err = RtmGetChangedDests(NULL, n, &cnt, slot(&batch, 0));
	expect_eq(err, ERROR_INVALID_HANDLE);
	expect_eq(cnt, 0);
	err = RtmGetChangedDests(a, n, NULL, slot(&batch, 0));
	expect_eq(err, ERROR_INVALID_PARAMETER);
	cnt = 1;
	err = RtmGetChangedDests(a, n, &cnt, NULL);
	expect_eq(err, ERROR_INVALID_PARAMETER);
	expect_eq(cnt, 0);
	cnt = 0;
	err = RtmGetChangedDests(a, n, &cnt, NULL);
	expect_eq(err, NO_ERROR);
	expect_eq(cnt, 0);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cnt = 10;
		err = RtmGetChangedDests(a, bad[i], &cnt, slot(&batch, 0));
		ok(err == ERROR_INVALID_HANDLE, "bad handle %u: %lu\n", i, (unsigned long)err);
		expect_eq(cnt, 0);
	}
	cnt = MAXH + 1;
	err = RtmGetChangedDests(a, n, &cnt, slot(&batch, 0));
	expect_eq(err, ERROR_INVALID_PARAMETER);
	expect_eq(cnt, 0);
	cnt = 1000;
	err = RtmGetChangedDests(a, n, &cnt, slot(&batch, 0));
	expect_eq(err, ERROR_INVALID_PARAMETER);
	cnt = MAXH;
	err = RtmGetChangedDests(a, n, &cnt, slot(&batch, 0));
	expect_eq(err, ERROR_NO_MORE_ITEMS); /* a new registration has nothing pending */
	expect_eq(cnt, 0);

	/* a change pending, then the errors above must not consume it */
	RTM_ROUTE_HANDLE r2 = test_route(a, p, nh, 10, 2, RTM_VIEW_MASK_UCAST);
	ok(r2 == r, "update gave another route\n");
	release_route(a, r2);
	cnt = MAXH + 1;
	RtmGetChangedDests(a, n, &cnt, slot(&batch, 0));
	ok(pending(a, n, d), "lost by a failed call\n");

	/* RtmReleaseChangedDests */
	err = RtmReleaseChangedDests(NULL, n, 0, NULL);
	expect_eq(err, ERROR_INVALID_HANDLE);
	err = RtmReleaseChangedDests(a, n, 1, NULL);
	expect_eq(err, ERROR_INVALID_PARAMETER);
	err = RtmReleaseChangedDests(a, n, 0, NULL);
	expect_eq(err, NO_ERROR);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = RtmReleaseChangedDests(a, bad[i], 0, slot(&batch, 0));
		ok(err == ERROR_INVALID_HANDLE, "bad handle %u: %lu\n", i, (unsigned long)err);
	}
	cnt = 1;
	err = RtmGetChangedDests(a, n, &cnt, slot(&batch, 0));
	expect_eq(err, NO_ERROR); /* exactly filled: NO_ERROR */
	expect_eq(cnt, 1);
	ok(slot(&batch, 0)->DestHandle == d, "wrong dest\n");
	/* a bad entry: nothing released */
	RTM_DEST_HANDLE keep = slot(&batch, 0)->DestHandle;
	UINT views = slot(&batch, 0)->NumberOfViews;
	slot(&batch, 0)->NumberOfViews = 3;
	err = RtmReleaseChangedDests(a, n, 1, slot(&batch, 0));
	expect_eq(err, ERROR_INVALID_PARAMETER);
	slot(&batch, 0)->NumberOfViews = views;
	slot(&batch, 0)->DestHandle = (HANDLE)0x31313131;
	err = RtmReleaseChangedDests(a, n, 1, slot(&batch, 0));
	expect_eq(err, ERROR_INVALID_HANDLE);
	slot(&batch, 0)->DestHandle = keep;
	err = RtmReleaseChangedDests(b, nb, 1, slot(&batch, 0)); /* any own registration will do */
	expect_eq(err, NO_ERROR);
	cnt = 1;
	err = RtmGetChangedDests(a, n, &cnt, slot(&batch, 0));
	expect_eq(err, ERROR_NO_MORE_ITEMS);
	expect_eq(cnt, 0);
	expect_eq(drain(b, nb), 1);

	/* RtmIgnoreChangedDests */
	err = RtmIgnoreChangedDests(NULL, n, 1, &d);
	expect_eq(err, ERROR_INVALID_HANDLE);
	err = RtmIgnoreChangedDests(a, n, 1, NULL);
	expect_eq(err, ERROR_INVALID_PARAMETER);
	err = RtmIgnoreChangedDests(a, n, 0, NULL);
	expect_eq(err, NO_ERROR);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = RtmIgnoreChangedDests(a, bad[i], 1, &d);
		ok(err == ERROR_INVALID_HANDLE, "bad notify handle %u: %lu\n", i, (unsigned long)err);
	}
	r2 = test_route(a, p, nh, 10, 3, RTM_VIEW_MASK_UCAST);
	release_route(a, r2);
	RTM_DEST_HANDLE mixed[3] = { d, (HANDLE)0x515151, d };
	err = RtmIgnoreChangedDests(a, n, 3, mixed);
	expect_eq(err, ERROR_INVALID_HANDLE);
	mixed[1] = r; /* a route is not a destination */
	err = RtmIgnoreChangedDests(a, n, 3, mixed);
	expect_eq(err, ERROR_INVALID_HANDLE);
	ok(pending(a, n, d), "failed ignore changed the pending set\n");
	mixed[1] = d;
	err = RtmIgnoreChangedDests(a, n, 3, mixed); /* repeats are harmless */
	expect_eq(err, NO_ERROR);
	ok(!pending(a, n, d), "still pending after ignore\n");
	ok(pending(b, nb, d), "ignore touched another registration\n");
	expect_eq(drain(a, n), 0);
	expect_eq(drain(b, nb), 1);

	/* RtmGetChangeStatus / RtmIsMarkedForChangeNotification / RtmMarkDestForChangeNotification */
	err = RtmGetChangeStatus(NULL, n, d, &flag);
	expect_eq(err, ERROR_INVALID_HANDLE);
	err = RtmGetChangeStatus(a, n, d, NULL);
	expect_eq(err, ERROR_INVALID_PARAMETER);
	err = RtmIsMarkedForChangeNotification(NULL, n, d, &flag);
	expect_eq(err, ERROR_INVALID_HANDLE);
	err = RtmIsMarkedForChangeNotification(a, n, d, NULL);
	expect_eq(err, ERROR_INVALID_PARAMETER);
	err = RtmMarkDestForChangeNotification(NULL, n, d, TRUE);
	expect_eq(err, ERROR_INVALID_HANDLE);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = RtmGetChangeStatus(a, bad[i], d, &flag);
		ok(err == ERROR_INVALID_HANDLE, "status, notify %u: %lu\n", i, (unsigned long)err);
		err = RtmIsMarkedForChangeNotification(a, bad[i], d, &flag);
		ok(err == ERROR_INVALID_HANDLE, "is marked, notify %u: %lu\n", i, (unsigned long)err);
		err = RtmMarkDestForChangeNotification(a, bad[i], d, TRUE);
		ok(err == ERROR_INVALID_HANDLE, "mark, notify %u: %lu\n", i, (unsigned long)err);
		if (bad[i] == d)
			continue;
		err = RtmGetChangeStatus(a, n, bad[i], &flag);
		ok(err == ERROR_INVALID_HANDLE, "status, dest %u: %lu\n", i, (unsigned long)err);
		err = RtmIsMarkedForChangeNotification(a, n, bad[i], &flag);
		ok(err == ERROR_INVALID_HANDLE, "is marked, dest %u: %lu\n", i, (unsigned long)err);
		err = RtmMarkDestForChangeNotification(a, n, bad[i], TRUE);
		ok(err == ERROR_INVALID_HANDLE, "mark, dest %u: %lu\n", i, (unsigned long)err);
	}
	flag = TRUE;
	err = RtmIsMarkedForChangeNotification(a, n, d, &flag);
	expect_eq(err, NO_ERROR);
	expect_eq(flag, FALSE);

	/* a handle of another table */
	RTM_ENTITY_HANDLE other = test_register(INST + 1, AF_INET, 1, 0, NULL);
	RTM_NOTIFY_HANDLE no = reg_notify(other, 0, RTM_CHANGE_TYPE_ALL, NULL);
	err = RtmGetChangeStatus(other, no, d, &flag);
	expect_eq(err, ERROR_INVALID_HANDLE);
	err = RtmGetChangeStatus(a, no, d, &flag);
	expect_eq(err, ERROR_INVALID_HANDLE);
	dereg_notify(other, no);
	test_deregister(other);

	delete_route(a, r);
	dereg_notify(a, n);
	dereg_notify(b, nb);
	test_release_dest_handle(a, d);
	release_nh(a, nh);
	test_deregister(b);
	test_deregister(a);
}

/* ---- pending sets -------------------------------------------------------------------------------- */

static void test_pending(void)
{
	RTM_ENTITY_HANDLE a = test_register(INST, AF_INET, 1, 0, NULL);
	RTM_ENTITY_HANDLE b = test_register(INST, AF_INET, 2, 0, NULL);
	RTM_NEXTHOP_HANDLE nh = test_nexthop(a, test_ipv4(192, 168, 0, 1, 32), 1);
	RTM_NET_ADDRESS p[4] = { test_ipv4(10, 0, 0, 0, 8), test_ipv4(10, 1, 0, 0, 16), test_ipv4(10, 2, 0, 0, 16),
				 test_ipv4(10, 2, 3, 0, 24) };
	RTM_ROUTE_HANDLE r[4];
	static dest_batch batch;
	UINT cnt;
	DWORD err;

	/* existing content is not reported */
	r[0] = test_route(a, p[0], nh, 10, 1, RTM_VIEW_MASK_UCAST);
	RTM_NOTIFY_HANDLE n = reg_notify(a, 0, RTM_CHANGE_TYPE_ALL, (void *)0x1);
	RTM_NOTIFY_HANDLE nu = reg_notify(a, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_ALL, NULL);
	RTM_NOTIFY_HANDLE nb = reg_notify(b, RTM_VIEW_MASK_ALL, RTM_CHANGE_TYPE_ALL, NULL);
	RTM_NOTIFY_HANDLE nm = reg_notify(b, RTM_VIEW_MASK_MCAST, RTM_CHANGE_TYPE_ALL, NULL);
	expect_eq(drain(a, n), 0);

	/* one change: pending as soon as the call returns, for every matching registration */
	r[1] = test_route(a, p[1], nh, 10, 1, RTM_VIEW_MASK_UCAST);
	RTM_DEST_HANDLE d1 = dest_of(a, p[1]);
	ok(pending(a, n, d1), "not pending after the add returned\n");
	ok(pending(a, nu, d1), "unicast registration missed it\n");
	ok(pending(b, nb, d1), "another entity's registration missed it\n");
	ok(!pending(b, nm, d1), "a multicast registration got a unicast change\n");
	cnt = MAXH;
	err = RtmGetChangedDests(a, n, &cnt, slot(&batch, 0));
	expect_eq(err, ERROR_NO_MORE_ITEMS);
	expect_eq(cnt, 1);
	RTM_DEST_INFO *i0 = slot(&batch, 0);
	ok(i0->DestHandle == d1, "dest handle %p\n", i0->DestHandle);
	expect_eq(i0->DestAddress.NumBits, 16);
	expect_eq(i0->DestAddress.AddrBits[0], 10);
	expect_eq(i0->DestAddress.AddrBits[1], 1);
	expect_eq(i0->DestAddress.AddressFamily, AF_INET);
	expect_eq(i0->BelongsToViews, RTM_VIEW_MASK_UCAST);
	expect_eq(i0->NumberOfViews, 2);
	expect_eq(i0->ViewInfo[0].ViewId, RTM_VIEW_ID_UCAST);
	expect_eq(i0->ViewInfo[0].NumRoutes, 1);
	ok(i0->ViewInfo[0].Route == r[1], "best route %p\n", i0->ViewInfo[0].Route);
	ok(i0->ViewInfo[0].Owner == a, "owner %p\n", i0->ViewInfo[0].Owner);
	expect_eq(i0->ViewInfo[1].ViewId, RTM_VIEW_ID_MCAST);
	expect_eq(i0->ViewInfo[1].NumRoutes, 0);
	ok(i0->ViewInfo[1].Route == NULL, "multicast route\n");
	ok(!pending(a, n, d1), "still pending after retrieval\n");
	ok(pending(a, nu, d1), "retrieval touched another registration\n");
	err = RtmReleaseChangedDests(a, n, cnt, slot(&batch, 0));
	expect_eq(err, NO_ERROR);
	/* a unicast registration gets one ViewInfo, still at stride RTM_SIZE_OF_DEST_INFO(2) */
	r[2] = test_route(a, p[2], nh, 10, 1, RTM_VIEW_MASK_UCAST);
	memset(&batch, 0xcc, sizeof(batch));
	cnt = MAXH;
	err = RtmGetChangedDests(a, nu, &cnt, slot(&batch, 0));
	expect_eq(err, ERROR_NO_MORE_ITEMS);
	expect_eq(cnt, 2);
	expect_eq(slot(&batch, 0)->NumberOfViews, 1);
	expect_eq(slot(&batch, 1)->NumberOfViews, 1);
	ok(slot(&batch, 0)->DestHandle == d1, "first entry\n");
	expect_eq(slot(&batch, 1)->DestAddress.AddrBits[1], 2);
	ok(slot(&batch, 1)->ViewInfo[0].Route == r[2], "second entry's route\n");
	/* nothing written past RTM_SIZE_OF_DEST_INFO(1) of each slot */
	expect_eq((unsigned char)slot(&batch, 0)->ViewInfo[1].NumRoutes, 0xcc);
	expect_eq((unsigned char)batch.buf[2 * STRIDE], 0xcc);
	RtmReleaseChangedDests(a, nu, cnt, slot(&batch, 0));
	drain(a, n);
	drain(b, nb);

	/* first-changed order, no duplicates; batches; exact fill */
	r[3] = test_route(a, p[3], nh, 10, 1, RTM_VIEW_MASK_UCAST);
	release_route(a, test_route(a, p[1], nh, 10, 2, RTM_VIEW_MASK_UCAST));
	release_route(a, test_route(a, p[0], nh, 10, 2, RTM_VIEW_MASK_UCAST));
	release_route(a, test_route(a, p[3], nh, 10, 2, RTM_VIEW_MASK_UCAST));
	release_route(a, test_route(a, p[2], nh, 10, 2, RTM_VIEW_MASK_UCAST));
	/* order: p3, p1, p0, p2 */
	const int order[4] = { 3, 1, 0, 2 };
	cnt = 2;
	err = RtmGetChangedDests(a, n, &cnt, slot(&batch, 0));
	expect_eq(err, NO_ERROR);
	expect_eq(cnt, 2);
	cnt = 2;
	err = RtmGetChangedDests(a, n, &cnt, slot(&batch, 2));
	expect_eq(err, NO_ERROR); /* exactly filled, even though nothing is left */
	expect_eq(cnt, 2);
	for (int i = 0; i < 4; i++) {
		RTM_DEST_INFO *e = slot(&batch, (UINT)i);
		ok(e->DestAddress.NumBits == p[order[i]].NumBits &&
			   !memcmp(e->DestAddress.AddrBits, p[order[i]].AddrBits, 4),
		   "entry %d is not prefix %d\n", i, order[i]);
	}
	cnt = 2;
	err = RtmGetChangedDests(a, n, &cnt, slot(&batch, 4));
	expect_eq(err, ERROR_NO_MORE_ITEMS);
	expect_eq(cnt, 0);
	RtmReleaseChangedDests(a, n, 4, slot(&batch, 0));

	/* coalescing: 1,000 changes of one destination before draining are one entry */
	for (ULONG i = 0; i < 1000; i++)
		release_route(a, test_route(a, p[1], nh, 10, 100 + i, RTM_VIEW_MASK_UCAST));
	cnt = MAXH;
	err = RtmGetChangedDests(a, n, &cnt, slot(&batch, 0));
	expect_eq(err, ERROR_NO_MORE_ITEMS);
	expect_eq(cnt, 1);
	ok(slot(&batch, 0)->DestHandle == d1, "coalesced entry\n");
	RtmReleaseChangedDests(a, n, cnt, slot(&batch, 0));
	/* the latest state is what is reported */
	test_route_info_buf ri;
	err = RtmGetRouteInfo(a, r[1], &ri.info, NULL);
	expect_eq(err, NO_ERROR);
	expect_eq(ri.info.PrefInfo.Metric, 1099);
	RtmReleaseRouteInfo(a, &ri.info);
	/* many destinations: a full batch, then the rest */
	RTM_NET_ADDRESS many[150];
	RTM_ROUTE_HANDLE mr[150];
	drain(a, n);
	for (int i = 0; i < 150; i++) {
		many[i] = test_ipv4(172, 16 + i / 100, (unsigned)i % 100, 0, 24);
		mr[i] = test_route(a, many[i], nh, 10, 1, RTM_VIEW_MASK_UCAST);
	}
	cnt = MAXH;
	err = RtmGetChangedDests(a, n, &cnt, slot(&batch, 0));
	expect_eq(err, NO_ERROR);
	expect_eq(cnt, 100);
	for (UINT i = 0; i < cnt; i++)
		ok(!memcmp(slot(&batch, i)->DestAddress.AddrBits, many[i].AddrBits, 4), "order at %u\n", i);
	RtmReleaseChangedDests(a, n, cnt, slot(&batch, 0));
	cnt = MAXH;
	err = RtmGetChangedDests(a, n, &cnt, slot(&batch, 0));
	expect_eq(err, ERROR_NO_MORE_ITEMS);
	expect_eq(cnt, 50);
	for (UINT i = 0; i < cnt; i++)
		ok(!memcmp(slot(&batch, i)->DestAddress.AddrBits, many[100 + i].AddrBits, 4), "order at %u\n", 100 + i);
	RtmReleaseChangedDests(a, n, cnt, slot(&batch, 0));

	/* ignoring: removes from the middle; a later change is recorded again, at the end */
	for (int i = 0; i < 150; i++) {
		DWORD f;
		err = RtmDeleteRouteToDest(a, mr[i], &f);
		expect_eq(err, NO_ERROR);
	}
	drain(a, n);
	release_route(a, test_route(a, p[0], nh, 10, 5, RTM_VIEW_MASK_UCAST));
	release_route(a, test_route(a, p[1], nh, 10, 5, RTM_VIEW_MASK_UCAST));
	release_route(a, test_route(a, p[2], nh, 10, 5, RTM_VIEW_MASK_UCAST));
	RTM_DEST_HANDLE d0 = dest_of(a, p[0]);
	err = RtmIgnoreChangedDests(a, n, 1, &d0);
	expect_eq(err, NO_ERROR);
	ok(!pending(a, n, d0), "ignored but pending\n");
	release_route(a, test_route(a, p[0], nh, 10, 6, RTM_VIEW_MASK_UCAST));
	ok(pending(a, n, d0), "change after ignore not recorded\n");
	cnt = MAXH;
	err = RtmGetChangedDests(a, n, &cnt, slot(&batch, 0));
	expect_eq(cnt, 3);
	expect_eq(slot(&batch, 0)->DestAddress.AddrBits[1], 1);
	expect_eq(slot(&batch, 1)->DestAddress.AddrBits[1], 2);
	ok(slot(&batch, 2)->DestHandle == d0, "re-recorded entry not last\n");
	RtmReleaseChangedDests(a, n, cnt, slot(&batch, 0));
	/* ignoring everything empties the set; ignoring what is not pending is harmless */
	release_route(a, test_route(a, p[0], nh, 10, 7, RTM_VIEW_MASK_UCAST));
	RTM_DEST_HANDLE two[2] = { d1, d0 };
	err = RtmIgnoreChangedDests(a, n, 2, two);
	expect_eq(err, NO_ERROR);
	expect_eq(drain(a, n), 0);

	/* a destination whose last route goes is reported once, with no routes, then freed */
	drain(a, nu);
	drain(b, nb);
	DWORD dests_before = test_live_count(RTM_TEST_COUNT_DESTS);
	delete_route(a, r[3]);
	test_dest_info_buf look;
	err = RtmGetExactMatchDestination(a, &p[3], RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ANY, &look.info);
	expect_eq(err, ERROR_NOT_FOUND);
	expect_eq(test_live_count(RTM_TEST_COUNT_DESTS), dests_before); /* held by the pending entries */
	cnt = MAXH;
	err = RtmGetChangedDests(a, n, &cnt, slot(&batch, 0));
	expect_eq(err, ERROR_NO_MORE_ITEMS);
	expect_eq(cnt, 1);
	expect_eq(slot(&batch, 0)->DestAddress.NumBits, 24);
	expect_eq(slot(&batch, 0)->BelongsToViews, 0);
	expect_eq(slot(&batch, 0)->ViewInfo[0].NumRoutes, 0);
	ok(slot(&batch, 0)->ViewInfo[0].Route == NULL, "route of an emptied dest\n");
	ok(slot(&batch, 0)->ViewInfo[0].Owner == NULL, "owner of an emptied dest\n");
	ok(slot(&batch, 0)->ViewInfo[0].HoldRoute == NULL, "hold route\n");
	RtmReleaseChangedDests(a, n, cnt, slot(&batch, 0));
	expect_eq(drain(a, n), 0); /* once */
	expect_eq(drain(a, nu), 1);
	expect_eq(test_live_count(RTM_TEST_COUNT_DESTS), dests_before); /* nb still holds it */
	expect_eq(drain(b, nb), 1);
	expect_eq(test_live_count(RTM_TEST_COUNT_DESTS), dests_before - 1);

	/* multicast view */
	expect_eq(drain(b, nm), 0);
	RTM_ROUTE_HANDLE mc = test_route(a, p[3], nh, 10, 1, RTM_VIEW_MASK_MCAST);
	cnt = MAXH;
	err = RtmGetChangedDests(b, nm, &cnt, slot(&batch, 0));
	expect_eq(cnt, 1);
	expect_eq(slot(&batch, 0)->NumberOfViews, 1);
	expect_eq(slot(&batch, 0)->ViewInfo[0].ViewId, RTM_VIEW_ID_MCAST);
	ok(slot(&batch, 0)->ViewInfo[0].Route == mc, "multicast best\n");
	RtmReleaseChangedDests(b, nm, cnt, slot(&batch, 0));
	expect_eq(drain(a, nu), 0);
	expect_eq(drain(a, n), 1);
	delete_route(a, mc);

	/* deregistering drops pending entries (and their holds) */
	drain(a, n);
	drain(a, nu);
	drain(b, nb);
	drain(b, nm);
	release_route(a, test_route(a, p[2], nh, 10, 9, RTM_VIEW_MASK_UCAST));
	dereg_notify(a, n);
	dereg_notify(a, nu);
	dereg_notify(b, nb);
	dereg_notify(b, nm);

	/* infos retrieved before deregistration: the stale handle is refused, RtmReleaseDests works */
	n = reg_notify(a, 0, RTM_CHANGE_TYPE_ALL, NULL);
	release_route(a, test_route(a, p[2], nh, 10, 10, RTM_VIEW_MASK_UCAST));
	cnt = MAXH;
	RtmGetChangedDests(a, n, &cnt, slot(&batch, 0));
	expect_eq(cnt, 1);
	dereg_notify(a, n);
	err = RtmReleaseChangedDests(a, n, cnt, slot(&batch, 0));
	expect_eq(err, ERROR_INVALID_HANDLE);
	err = RtmReleaseDests(a, cnt, slot(&batch, 0));
	expect_eq(err, NO_ERROR);

	test_release_dest_handle(a, d0);
	test_release_dest_handle(a, d1);
	for (int i = 0; i < 3; i++)
		delete_route(a, r[i]);
	release_nh(a, nh);
	test_deregister(b);
	test_deregister(a);
}

/* ---- marks --------------------------------------------------------------------------------------- */

static void test_marks(void)
{
	RTM_ENTITY_HANDLE a = test_register(INST, AF_INET, 1, 0, NULL);
	RTM_NEXTHOP_HANDLE nh = test_nexthop(a, test_ipv4(192, 168, 0, 1, 32), 1);
	RTM_NET_ADDRESS p1 = test_ipv4(10, 1, 0, 0, 16), p2 = test_ipv4(10, 2, 0, 0, 16);
	RTM_ROUTE_HANDLE r1 = test_route(a, p1, nh, 10, 1, RTM_VIEW_MASK_UCAST);
	RTM_ROUTE_HANDLE r2 = test_route(a, p2, nh, 10, 1, RTM_VIEW_MASK_UCAST);
	RTM_DEST_HANDLE d1 = dest_of(a, p1), d2 = dest_of(a, p2);
	RTM_NOTIFY_HANDLE nm = reg_notify(a, 0, RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS, NULL);
	RTM_NOTIFY_HANDLE na = reg_notify(a, 0, RTM_CHANGE_TYPE_ALL, NULL);
	BOOL marked;
	DWORD err;

	/* nothing marked: nothing recorded */
	release_route(a, test_route(a, p1, nh, 10, 2, RTM_VIEW_MASK_UCAST));
	release_route(a, test_route(a, p2, nh, 10, 2, RTM_VIEW_MASK_UCAST));
	ok(!pending(a, nm, d1) && !pending(a, nm, d2), "unmarked dest recorded\n");
	expect_eq(drain(a, na), 2);

	/* marked: only the marked dest; marking is not retroactive and is idempotent */
	release_route(a, test_route(a, p1, nh, 10, 3, RTM_VIEW_MASK_UCAST));
	err = RtmMarkDestForChangeNotification(a, nm, d1, TRUE);
	expect_eq(err, NO_ERROR);
	ok(!pending(a, nm, d1), "marking was retroactive\n");
	err = RtmMarkDestForChangeNotification(a, nm, d1, 5); /* any non-zero marks */
	expect_eq(err, NO_ERROR);
	err = RtmIsMarkedForChangeNotification(a, nm, d1, &marked);
	expect_eq(err, NO_ERROR);
	expect_eq(marked, TRUE);
	err = RtmIsMarkedForChangeNotification(a, nm, d2, &marked);
	expect_eq(marked, FALSE);
	err = RtmIsMarkedForChangeNotification(a, na, d1, &marked);
	expect_eq(marked, FALSE); /* marks are per registration */
	release_route(a, test_route(a, p1, nh, 10, 4, RTM_VIEW_MASK_UCAST));
	release_route(a, test_route(a, p2, nh, 10, 4, RTM_VIEW_MASK_UCAST));
	ok(pending(a, nm, d1), "marked dest not recorded\n");
	ok(!pending(a, nm, d2), "unmarked dest recorded\n");

	/* unmarking does not withdraw a pending entry, but stops later recording */
	err = RtmMarkDestForChangeNotification(a, nm, d1, FALSE);
	expect_eq(err, NO_ERROR);
	err = RtmMarkDestForChangeNotification(a, nm, d1, FALSE);
	expect_eq(err, NO_ERROR);
	err = RtmIsMarkedForChangeNotification(a, nm, d1, &marked);
	expect_eq(marked, FALSE);
	ok(pending(a, nm, d1), "unmarking withdrew the entry\n");
	expect_eq(drain(a, nm), 1);
	release_route(a, test_route(a, p1, nh, 10, 5, RTM_VIEW_MASK_UCAST));
	expect_eq(drain(a, nm), 0);

	/* a mark on a registration for all dests is reported but changes nothing */
	err = RtmMarkDestForChangeNotification(a, na, d2, TRUE);
	expect_eq(err, NO_ERROR);
	err = RtmIsMarkedForChangeNotification(a, na, d2, &marked);
	expect_eq(marked, TRUE);
	drain(a, na);
	release_route(a, test_route(a, p1, nh, 10, 6, RTM_VIEW_MASK_UCAST));
	expect_eq(drain(a, na), 1);

	/* a mark keeps the destination object (and handle) across a route flap */
	err = RtmMarkDestForChangeNotification(a, nm, d1, TRUE);
	expect_eq(err, NO_ERROR);
	HANDLE d1_value = d1;
	test_release_dest_handle(a, d1);
	delete_route(a, r1);
	drain(a, na);
	expect_eq(drain(a, nm), 1); /* the deletion, reported with no routes */
	test_dest_info_buf look;
	err = RtmGetExactMatchDestination(a, &p1, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ANY, &look.info);
	expect_eq(err, ERROR_NOT_FOUND);
	DWORD dests = test_live_count(RTM_TEST_COUNT_DESTS);
	r1 = test_route(a, p1, nh, 10, 1, RTM_VIEW_MASK_UCAST);
	expect_eq(test_live_count(RTM_TEST_COUNT_DESTS), dests);
	d1 = dest_of(a, p1);
	ok(d1 == d1_value, "a marked destination got a new handle\n");
	err = RtmIsMarkedForChangeNotification(a, nm, d1, &marked);
	expect_eq(marked, TRUE);
	ok(pending(a, nm, d1), "re-added route not recorded for the mark\n");
	drain(a, nm);

	/* unmarking an emptied destination lets it go */
	test_release_dest_handle(a, d1);
	delete_route(a, r1);
	drain(a, na);
	drain(a, nm);
	err = RtmMarkDestForChangeNotification(a, nm, d1_value, FALSE);
	expect_eq(err, NO_ERROR);
	expect_eq(test_live_count(RTM_TEST_COUNT_DESTS), dests - 1);
	err = RtmIsMarkedForChangeNotification(a, nm, d1_value, &marked);
	expect_eq(err, ERROR_INVALID_HANDLE); /* freed: stale */

	/* deregistration drops marks too */
	r1 = test_route(a, p1, nh, 10, 1, RTM_VIEW_MASK_UCAST);
	d1 = dest_of(a, p1);
	RtmMarkDestForChangeNotification(a, nm, d1, TRUE);
	test_release_dest_handle(a, d1);
	delete_route(a, r1);
	dereg_notify(a, na);
	dests = test_live_count(RTM_TEST_COUNT_DESTS);
	dereg_notify(a, nm);
	expect_eq(test_live_count(RTM_TEST_COUNT_DESTS), dests - 1);

	/* many marks, unmarked in another order (exercises the mark set) */
	nm = reg_notify(a, 0, RTM_CHANGE_TYPE_ALL | RTM_NOTIFY_ONLY_MARKED_DESTS, NULL);
	RTM_ROUTE_HANDLE rr[300];
	RTM_DEST_HANDLE dd[300];
	for (int i = 0; i < 300; i++) {
		RTM_NET_ADDRESS q = test_ipv4(20, (unsigned)i >> 8, (unsigned)i & 255, 0, 24);
		rr[i] = test_route(a, q, nh, 10, 1, RTM_VIEW_MASK_UCAST);
		dd[i] = dest_of(a, q);
		RtmMarkDestForChangeNotification(a, nm, dd[i], TRUE);
	}
	for (int i = 0; i < 300; i += 2)
		RtmMarkDestForChangeNotification(a, nm, dd[i], FALSE);
	for (int i = 0; i < 300; i++) {
		err = RtmIsMarkedForChangeNotification(a, nm, dd[i], &marked);
		ok(err == NO_ERROR && marked == (i & 1), "mark %d: %d\n", i, marked);
		release_route(a, test_route(a, test_ipv4(20, (unsigned)i >> 8, (unsigned)i & 255, 0, 24), nh, 10, 2,
					   RTM_VIEW_MASK_UCAST));
	}
	expect_eq(drain(a, nm), 150);
	for (int i = 0; i < 300; i++) {
		delete_route(a, rr[i]);
		test_release_dest_handle(a, dd[i]);
	}
	dereg_notify(a, nm);

	test_release_dest_handle(a, d2);
	delete_route(a, r2);
	release_nh(a, nh);
	test_deregister(a);
}

/* ---- classification ------------------------------------------------------------------------------ */

typedef struct classify_ctx {
	RTM_ENTITY_HANDLE reg;
	RTM_NOTIFY_HANDLE n[3]; /* ALL, BEST, FORWARDING */
	RTM_DEST_HANDLE d;
} classify_ctx;

/* which registrations recorded the change: bit 0 ALL, 1 BEST, 2 FORWARDING; then drains them */
static DWORD seen(classify_ctx *c)
{
	DWORD m = 0;
	for (int i = 0; i < 3; i++) {
		if (pending(c->reg, c->n[i], c->d))
			m |= 1u << i;
		drain(c->reg, c->n[i]);
	}
	return m;
}

#define ALL RTM_CHANGE_TYPE_ALL
#define BEST RTM_CHANGE_TYPE_BEST
#define FWD RTM_CHANGE_TYPE_FORWARDING

static void test_classification(void)
{
	RTM_ENTITY_HANDLE a = test_register(INST, AF_INET, 1, 0, NULL);
	RTM_ENTITY_HANDLE b = test_register(INST, AF_INET, 2, 0, NULL);
	RTM_NEXTHOP_HANDLE nha = test_nexthop(a, test_ipv4(192, 168, 0, 1, 32), 1);
	RTM_NEXTHOP_HANDLE nha2 = test_nexthop(a, test_ipv4(192, 168, 0, 2, 32), 1);
	RTM_NEXTHOP_HANDLE nhb = test_nexthop(b, test_ipv4(192, 168, 1, 1, 32), 2);
	RTM_NET_ADDRESS p = test_ipv4(10, 9, 0, 0, 16);
	classify_ctx c = { a, { NULL, NULL, NULL }, NULL };
	c.n[0] = reg_notify(a, 0, ALL, NULL);
	c.n[1] = reg_notify(a, 0, BEST, NULL);
	c.n[2] = reg_notify(a, 0, FWD, NULL);
	RTM_NOTIFY_HANDLE nmc = reg_notify(a, RTM_VIEW_MASK_MCAST, ALL | BEST | FWD, NULL);

	route_spec best = { nha, 10, 5, RTM_VIEW_MASK_UCAST, 0, 0, NULL };
	route_spec other = { nhb, 20, 5, RTM_VIEW_MASK_UCAST, 0, 0, NULL };
	RTM_ROUTE_HANDLE rb = NULL, ro = NULL;
	expect_eq(put_route(a, p, &best, &rb), NO_ERROR);
	c.d = dest_of(a, p);
	expect_eq(seen(&c), ALL | BEST | FWD); /* a first route */
	expect_eq(put_route(b, p, &other, &ro), NO_ERROR);
	expect_eq(seen(&c), ALL); /* a non-best route added */

	other.metric = 7;
	expect_eq(put_route(b, p, &other, &ro), NO_ERROR);
	expect_eq(seen(&c), ALL); /* a non-best route changed */
	other.flags = RTM_ROUTE_FLAGS_DISCARD;
	expect_eq(put_route(b, p, &other, &ro), NO_ERROR);
	expect_eq(seen(&c), ALL); /* even a forwarding flag of a non-best route */

	best.metric = 6;
	expect_eq(put_route(a, p, &best, &rb), NO_ERROR);
	expect_eq(seen(&c), ALL | BEST | FWD); /* best route's metric */
	best.pref = 11;
	expect_eq(put_route(a, p, &best, &rb), NO_ERROR);
	expect_eq(seen(&c), ALL | BEST | FWD); /* best route's preference, still best */
	best.flags = RTM_ROUTE_FLAGS_LOCAL | RTM_ROUTE_FLAGS_MYSELF;
	expect_eq(put_route(a, p, &best, &rb), NO_ERROR);
	expect_eq(seen(&c), ALL | BEST); /* non-forwarding flags of the best */
	best.flags |= RTM_ROUTE_FLAGS_INACTIVE;
	expect_eq(put_route(a, p, &best, &rb), NO_ERROR);
	expect_eq(seen(&c), ALL | BEST | FWD); /* a forwarding flag of the best */
	best.flags = 0;
	expect_eq(put_route(a, p, &best, &rb), NO_ERROR);
	expect_eq(seen(&c), ALL | BEST | FWD);
	best.flags1 = 0x5;
	expect_eq(put_route(a, p, &best, &rb), NO_ERROR);
	expect_eq(seen(&c), ALL); /* Flags1 */
	best.esi = (PVOID)0x1234;
	expect_eq(put_route(a, p, &best, &rb), NO_ERROR);
	expect_eq(seen(&c), ALL); /* EntitySpecificInfo */
	expect_eq(put_route(a, p, &best, &rb), NO_ERROR);
	expect_eq(seen(&c), 0); /* a refresh that changes nothing */

	/* next-hop list of the best */
	test_route_info_buf ri;
	test_fill_route(&ri.info, nha, best.pref, best.metric, best.views);
	ri.info.Flags1 = best.flags1;
	ri.info.EntitySpecificInfo = best.esi;
	ri.info.NextHopsList.NumNextHops = 2;
	RTM_NEXTHOP_HANDLE *hops = ri.info.NextHopsList.NextHops; /* room for more than the declared one */
	hops[1] = nha2;
	DWORD flags = 0;
	expect_eq(RtmAddRouteToDest(a, &rb, &p, &ri.info, INFINITE, NULL, 0, NULL, &flags), NO_ERROR);
	expect_eq(seen(&c), ALL | BEST | FWD);
	expect_eq(put_route(a, p, &best, &rb), NO_ERROR); /* back to one next hop */
	expect_eq(seen(&c), ALL | BEST | FWD);
	expect_eq(drain(a, nmc), 0); /* nothing of this happened in the multicast view */

	/* the best route changes identity */
	other.pref = 5;
	expect_eq(put_route(b, p, &other, &ro), NO_ERROR);
	expect_eq(seen(&c), ALL | BEST | FWD);
	/* the non-best route (now a's) gets a new view: an add in the multicast view, where it is best */
	best.views = RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST;
	expect_eq(put_route(a, p, &best, &rb), NO_ERROR);
	expect_eq(seen(&c), ALL | BEST | FWD); /* best in the multicast view */
	expect_eq(drain(a, nmc), 1);
	best.metric = 99;
	expect_eq(put_route(a, p, &best, &rb), NO_ERROR);
	expect_eq(seen(&c), ALL | BEST | FWD); /* still best in multicast, so BEST there */

	/* deleting the non-best route (unicast) that is best in multicast */
	best.views = RTM_VIEW_MASK_UCAST;
	expect_eq(put_route(a, p, &best, &rb), NO_ERROR);
	drain(a, nmc);
	seen(&c);
	delete_route(a, rb);
	expect_eq(seen(&c), ALL); /* a non-best route deleted */
	delete_route(b, ro);
	expect_eq(seen(&c), ALL | BEST | FWD); /* the last route goes */
	expect_eq(drain(a, nmc), 0);

	for (int i = 0; i < 3; i++)
		dereg_notify(a, c.n[i]);
	dereg_notify(a, nmc);
	test_release_dest_handle(a, c.d);
	release_nh(a, nha);
	release_nh(a, nha2);
	release_nh(b, nhb);
	test_deregister(b);
	test_deregister(a);
}

/* ---- callbacks ----------------------------------------------------------------------------------- */

typedef struct cb_state {
	int calls;
	int bad;           /* callbacks with unexpected arguments */
	RTM_ENTITY_HANDLE reg;
	RTM_NOTIFY_HANDLE expect_notify;
	void *expect_ctx;
	int drain_inside;  /* drain with the documented loop inside the callback */
	int drained;       /* dests seen by drain_inside */
	int block_ms;      /* sleep this long inside the callback */
	int started, finished;
	int dereg_inside;  /* deregister the notification from inside */
	DWORD dereg_result;
} cb_state;

static cb_state cbs;

static void *load_ptr(void *const *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static void store_ptr(void **p, void *v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }

static DWORD WINAPI change_cb(RTM_ENTITY_HANDLE reg, RTM_EVENT_TYPE type, PVOID ctx1, PVOID ctx2)
{
	if (type != RTM_CHANGE_NOTIFICATION)
		return NO_ERROR;
	if (reg != load_ptr(&cbs.reg) || ctx1 != load_ptr(&cbs.expect_notify) || ctx2 != load_ptr(&cbs.expect_ctx))
		__atomic_add_fetch(&cbs.bad, 1, __ATOMIC_RELAXED);
	__atomic_add_fetch(&cbs.started, 1, __ATOMIC_ACQ_REL);
	int block = load_int(&cbs.block_ms);
	if (block)
		sleep_ms((unsigned)block);
	if (load_int(&cbs.drain_inside)) {
		static dest_batch b;
		DWORD st;
		do {
			UINT n = MAXH;
			st = RtmGetChangedDests(reg, (RTM_NOTIFY_HANDLE)ctx1, &n, slot(&b, 0));
			__atomic_add_fetch(&cbs.drained, (int)n, __ATOMIC_RELAXED);
			RtmReleaseChangedDests(reg, (RTM_NOTIFY_HANDLE)ctx1, n, slot(&b, 0));
		} while (st == NO_ERROR);
	}
	if (load_int(&cbs.dereg_inside))
		__atomic_store_n(&cbs.dereg_result, RtmDeregisterFromChangeNotification(reg, (RTM_NOTIFY_HANDLE)ctx1),
				 __ATOMIC_RELAXED);
	__atomic_add_fetch(&cbs.finished, 1, __ATOMIC_ACQ_REL);
	__atomic_add_fetch(&cbs.calls, 1, __ATOMIC_ACQ_REL);
	return NO_ERROR;
}

/* start counting afresh for registration n (no callback may be running) */
static void reset_cb(RTM_ENTITY_HANDLE reg, RTM_NOTIFY_HANDLE n, void *ctx)
{
	store_ptr(&cbs.reg, reg);
	store_ptr(&cbs.expect_notify, n);
	store_ptr(&cbs.expect_ctx, ctx);
	store_int(&cbs.calls, 0);
	store_int(&cbs.bad, 0);
	store_int(&cbs.drain_inside, 0);
	store_int(&cbs.drained, 0);
	store_int(&cbs.block_ms, 0);
	store_int(&cbs.started, 0);
	store_int(&cbs.finished, 0);
	store_int(&cbs.dereg_inside, 0);
}

static void test_callback(void)
{
	RTM_ENTITY_HANDLE a = test_register(INST, AF_INET, 1, 0, change_cb);
	RTM_ENTITY_HANDLE quiet = test_register(INST, AF_INET, 2, 0, NULL);
	RTM_NEXTHOP_HANDLE nh = test_nexthop(a, test_ipv4(192, 168, 0, 1, 32), 1);
	RTM_NET_ADDRESS p = test_ipv4(10, 7, 0, 0, 16), q = test_ipv4(10, 8, 0, 0, 16);
	void *ctx = (void *)(uintptr_t)0xC0FFEE;

	/* edge-triggered: several changes before draining give one call */
	reset_cb(a, NULL, ctx);
	RTM_NOTIFY_HANDLE n = NULL;
	expect_eq(RtmRegisterForChangeNotification(a, 0, ALL, ctx, &n), NO_ERROR);
	reset_cb(a, n, ctx);
	RTM_NOTIFY_HANDLE nq = reg_notify(quiet, 0, ALL, NULL); /* no callback: polls */
	RTM_ROUTE_HANDLE r = test_route(a, p, nh, 10, 1, RTM_VIEW_MASK_UCAST);
	release_route(a, test_route(a, p, nh, 10, 2, RTM_VIEW_MASK_UCAST));
	RTM_ROUTE_HANDLE r2 = test_route(a, q, nh, 10, 1, RTM_VIEW_MASK_UCAST);
	ok(wait_for(&cbs.calls, 1, 5000), "no callback\n");
	sleep_ms(100);
	expect_eq(load_int(&cbs.calls), 1);
	expect_eq(load_int(&cbs.bad), 0);
	release_route(a, test_route(a, q, nh, 10, 2, RTM_VIEW_MASK_UCAST)); /* not drained yet: no call */
	sleep_ms(100);
	expect_eq(load_int(&cbs.calls), 1);
	expect_eq(drain(a, n), 2);
	release_route(a, test_route(a, q, nh, 10, 3, RTM_VIEW_MASK_UCAST));
	ok(wait_for(&cbs.calls, 2, 5000), "no callback after draining\n");
	/* ignoring empties the set too */
	RTM_DEST_HANDLE dq = dest_of(a, q);
	expect_eq(RtmIgnoreChangedDests(a, n, 1, &dq), NO_ERROR);
	release_route(a, test_route(a, q, nh, 10, 4, RTM_VIEW_MASK_UCAST));
	ok(wait_for(&cbs.calls, 3, 5000), "no callback after ignoring\n");
	expect_eq(load_int(&cbs.bad), 0);
	expect_eq(drain(a, n), 1);
	expect_eq(drain(quiet, nq), 2);

	/* the documented loop inside the callback */
	store_int(&cbs.drain_inside, 1);
	int before = load_int(&cbs.calls);
	for (int i = 0; i < 50; i++)
		release_route(a, test_route(a, test_ipv4(30, (unsigned)i, 0, 0, 16), nh, 10, 1, RTM_VIEW_MASK_UCAST));
	for (int w = 0; w < 500 && load_int(&cbs.drained) < 50; w++)
		sleep_ms(10);
	expect_eq(load_int(&cbs.drained), 50);
	ok(load_int(&cbs.calls) > before, "no call\n");
	sleep_ms(50);
	store_int(&cbs.drain_inside, 0);
	expect_eq(drain(a, n), 0);

	/* deregistration waits for a running callback */
	store_int(&cbs.block_ms, 300);
	int started = load_int(&cbs.started);
	release_route(a, test_route(a, p, nh, 10, 9, RTM_VIEW_MASK_UCAST));
	ok(wait_for(&cbs.started, started + 1, 5000), "callback did not start\n");
	int finished = load_int(&cbs.finished);
	dereg_notify(a, n);
	ok(load_int(&cbs.finished) == finished + 1, "deregistration did not wait for the callback\n");
	store_int(&cbs.block_ms, 0);

	/* no callback for a deregistered registration */
	expect_eq(RtmRegisterForChangeNotification(a, 0, ALL, ctx, &n), NO_ERROR);
	reset_cb(a, n, ctx);
	store_int(&cbs.block_ms, 200);
	release_route(a, test_route(a, p, nh, 10, 10, RTM_VIEW_MASK_UCAST)); /* first call, blocks */
	ok(wait_for(&cbs.started, 1, 5000), "callback did not start\n");
	RTM_NOTIFY_HANDLE n2 = NULL;
	expect_eq(RtmRegisterForChangeNotification(a, 0, ALL, (void *)0x2, &n2), NO_ERROR);
	release_route(a, test_route(a, p, nh, 10, 11, RTM_VIEW_MASK_UCAST)); /* queued behind it for n2 */
	dereg_notify(a, n2); /* before the queued call could run */
	sleep_ms(400);
	expect_eq(load_int(&cbs.started), 1); /* only n's call ran */
	expect_eq(load_int(&cbs.bad), 0);
	store_int(&cbs.block_ms, 0);

	/* deregistering from inside the callback does not deadlock */
	drain(a, n);
	store_int(&cbs.dereg_inside, 1);
	release_route(a, test_route(a, p, nh, 10, 12, RTM_VIEW_MASK_UCAST));
	ok(wait_for(&cbs.calls, 2, 5000), "callback did not run\n");
	expect_eq(__atomic_load_n(&cbs.dereg_result, __ATOMIC_RELAXED), NO_ERROR);
	expect_eq(RtmDeregisterFromChangeNotification(a, n), ERROR_INVALID_HANDLE);

	/* an entity's deregistration ends its registrations while a callback runs */
	expect_eq(RtmRegisterForChangeNotification(a, 0, ALL, ctx, &n), NO_ERROR);
	reset_cb(a, n, ctx);
	store_int(&cbs.block_ms, 200);
	release_route(a, test_route(a, p, nh, 10, 13, RTM_VIEW_MASK_UCAST));
	ok(wait_for(&cbs.started, 1, 5000), "callback did not start\n");
	test_release_dest_handle(a, dq);
	release_route(a, r);
	release_route(a, r2);
	release_nh(a, nh);
	dereg_notify(quiet, nq);
	test_deregister(quiet);
	test_deregister(a); /* waits for the running callback */
	expect_eq(load_int(&cbs.finished), 1);
	expect_eq(load_int(&cbs.bad), 0);
}

/* ---- consumers draining while writers churn ------------------------------------------------------ */

#define CHURN_PREFIXES 256
#define CHURN_WRITERS 4
#define CHURN_OPS 4000

/* one consumer: its registration and its idea of each prefix's best route (referenced) */
typedef struct consumer {
	RTM_ENTITY_HANDLE reg;
	RTM_NOTIFY_HANDLE notify;
	RTM_ROUTE_HANDLE view[CHURN_PREFIXES];
	unsigned dests;
	int errors;
	int sentinel_seen; /* callback consumer: the last change of the run has been absorbed */
} consumer;

typedef struct churn {
	RTM_ENTITY_HANDLE writer[CHURN_WRITERS];
	RTM_NEXTHOP_HANDLE nh[CHURN_WRITERS];
	consumer poller, caller; /* polls from a thread / drains in its callback */
	int writers_done;
	int errors;
} churn;

static churn ch;
static int writer_ids[CHURN_WRITERS];

static RTM_NET_ADDRESS churn_prefix(unsigned i) { return test_ipv4(50, i, 0, 0, 16); }
static RTM_NET_ADDRESS sentinel_prefix(void) { return test_ipv4(60, 0, 0, 0, 8); }

static void writer_main(void *arg)
{
	int w = *(int *)arg;
	uint32_t seed = 12345u + 7919u * (uint32_t)w;
	RTM_ROUTE_HANDLE mine[CHURN_PREFIXES] = { 0 };
	for (int op = 0; op < CHURN_OPS; op++) {
		seed = seed * 1103515245u + 12345u;
		unsigned i = (seed >> 8) % CHURN_PREFIXES;
		unsigned what = (seed >> 20) % 4;
		if (what == 0 && mine[i]) {
			DWORD f;
			if (RtmDeleteRouteToDest(ch.writer[w], mine[i], &f) != NO_ERROR)
				__atomic_add_fetch(&ch.errors, 1, __ATOMIC_RELAXED);
			mine[i] = NULL;
			continue;
		}
		test_route_info_buf ri;
		test_fill_route(&ri.info, ch.nh[w], 10 + (seed >> 4) % 3, (seed >> 12) % 16, RTM_VIEW_MASK_UCAST);
		RTM_NET_ADDRESS a = churn_prefix(i);
		RTM_ROUTE_HANDLE h = mine[i];
		DWORD f = 0;
		if (RtmAddRouteToDest(ch.writer[w], &h, &a, &ri.info, INFINITE, NULL, 0, NULL, &f) != NO_ERROR)
			__atomic_add_fetch(&ch.errors, 1, __ATOMIC_RELAXED);
		mine[i] = h;
	}
	for (unsigned i = 0; i < CHURN_PREFIXES; i++)
		if (mine[i])
			RtmReleaseRoutes(ch.writer[w], 1, &mine[i]);
	__atomic_add_fetch(&ch.writers_done, 1, __ATOMIC_RELEASE);
}

/* drain c's registration with the documented loop, updating its view; returns the last status */
static DWORD consume(consumer *c, dest_batch *b)
{
	DWORD st;
	int sentinel = 0;
	do {
		UINT n = MAXH;
		st = RtmGetChangedDests(c->reg, c->notify, &n, slot(b, 0));
		if (st != NO_ERROR && st != ERROR_NO_MORE_ITEMS) {
			c->errors++;
			return st;
		}
		for (UINT k = 0; k < n; k++) {
			RTM_DEST_INFO *e = slot(b, k);
			unsigned i = e->DestAddress.AddrBits[1];
			if (e->DestAddress.AddrBits[0] == 60) {
				sentinel = 1;
				continue;
			}
			if (e->DestAddress.AddrBits[0] != 50 || e->NumberOfViews != 1 ||
			    e->ViewInfo[0].ViewId != RTM_VIEW_ID_UCAST) {
				c->errors++;
				continue;
			}
			RTM_ROUTE_HANDLE best = e->ViewInfo[0].Route;
			if (best)
				RtmReferenceHandles(c->reg, 1, &best);
			if (c->view[i])
				RtmReleaseRoutes(c->reg, 1, &c->view[i]);
			c->view[i] = best;
			c->dests++;
		}
		if (n && RtmReleaseChangedDests(c->reg, c->notify, n, slot(b, 0)) != NO_ERROR)
			c->errors++;
	} while (st == NO_ERROR);
	if (sentinel) /* FIFO: everything recorded before the sentinel has been absorbed */
		store_int(&c->sentinel_seen, 1);
	return st;
}

static void poller_main(void *arg)
{
	(void)arg;
	static dest_batch b;
	while (load_int(&ch.writers_done) < CHURN_WRITERS)
		consume(&ch.poller, &b);
	consume(&ch.poller, &b); /* recording happens inside the calls: one last pass sees everything */
}

static DWORD WINAPI churn_cb(RTM_ENTITY_HANDLE reg, RTM_EVENT_TYPE type, PVOID ctx1, PVOID ctx2)
{
	static dest_batch b;
	if (type == RTM_CHANGE_NOTIFICATION && reg == ch.caller.reg && ctx1 == ch.caller.notify &&
	    ctx2 == &ch.caller)
		consume(&ch.caller, &b);
	return NO_ERROR;
}

/* does c's view equal the table's best routes?  Releases c's view. */
static int view_matches(consumer *c)
{
	int mismatches = 0;
	for (unsigned i = 0; i < CHURN_PREFIXES; i++) {
		test_dest_info_buf b;
		RTM_NET_ADDRESS a = churn_prefix(i);
		DWORD err = RtmGetExactMatchDestination(c->reg, &a, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &b.info);
		RTM_ROUTE_HANDLE best = err == NO_ERROR ? b.info.ViewInfo[0].Route : NULL;
		if (err != NO_ERROR && err != ERROR_NOT_FOUND)
			mismatches++;
		if (best != c->view[i])
			mismatches++;
		if (err == NO_ERROR)
			RtmReleaseDestInfo(c->reg, &b.info);
		if (c->view[i])
			RtmReleaseRoutes(c->reg, 1, &c->view[i]);
	}
	return mismatches;
}

static void test_churn(void)
{
	memset(&ch, 0, sizeof(ch));
	ch.poller.reg = test_register(INST, AF_INET, 100, 0, NULL);
	ch.poller.notify = reg_notify(ch.poller.reg, RTM_VIEW_MASK_UCAST, ALL, NULL);
	ch.caller.reg = test_register(INST, AF_INET, 101, 0, churn_cb);
	RTM_NOTIFY_HANDLE cn = NULL;
	DWORD err = RtmRegisterForChangeNotification(ch.caller.reg, RTM_VIEW_MASK_UCAST, ALL, &ch.caller, &cn);
	expect_eq(err, NO_ERROR);
	store_ptr(&ch.caller.notify, cn); /* set before any change can call back */
	for (int w = 0; w < CHURN_WRITERS; w++) {
		ch.writer[w] = test_register(INST, AF_INET, 200 + (ULONG)w, 0, NULL);
		ch.nh[w] = test_nexthop(ch.writer[w], test_ipv4(192, 168, 2, (unsigned)w + 1, 32), 1);
		writer_ids[w] = w;
	}
	test_thread poller = test_thread_run(poller_main, NULL), writers[CHURN_WRITERS];
	for (int w = 0; w < CHURN_WRITERS; w++)
		writers[w] = test_thread_run(writer_main, &writer_ids[w]);
	for (int w = 0; w < CHURN_WRITERS; w++)
		test_thread_join(writers[w]);
	test_thread_join(poller);
	/* a last change after all others: the callback consumer is done when it has absorbed it */
	RTM_ROUTE_HANDLE sentinel = test_route(ch.writer[0], sentinel_prefix(), ch.nh[0], 10, 1, RTM_VIEW_MASK_UCAST);
	ok(wait_for(&ch.caller.sentinel_seen, 1, 20000), "callback consumer did not catch up\n");

	expect_eq(ch.errors, 0);
	expect_eq(ch.poller.errors, 0);
	expect_eq(ch.caller.errors, 0);
	ok(ch.poller.dests > 0 && ch.caller.dests > 0, "a consumer saw nothing: %u %u\n", ch.poller.dests,
	   ch.caller.dests);
	/* each consumer's view equals the table */
	expect_eq(view_matches(&ch.poller), 0);
	expect_eq(view_matches(&ch.caller), 0);
	UINT n = MAXH;
	static dest_batch last;
	expect_eq(RtmGetChangedDests(ch.poller.reg, ch.poller.notify, &n, slot(&last, 0)), ERROR_NO_MORE_ITEMS);
	expect_eq(n, 1); /* the sentinel */
	RtmReleaseChangedDests(ch.poller.reg, ch.poller.notify, n, slot(&last, 0));

	delete_route(ch.writer[0], sentinel);
	dereg_notify(ch.poller.reg, ch.poller.notify);
	dereg_notify(ch.caller.reg, ch.caller.notify);
	for (int w = 0; w < CHURN_WRITERS; w++) {
		release_nh(ch.writer[w], ch.nh[w]);
		test_deregister(ch.writer[w]);
	}
	test_deregister(ch.poller.reg);
	test_deregister(ch.caller.reg);
}

int main(void)
{
	test_register_errors();
	test_call_errors();
	test_pending();
	test_marks();
	test_classification();
	test_callback();
	test_churn();
	expect_no_live_objects();
	return test_finish();
}

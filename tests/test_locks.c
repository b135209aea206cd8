/*
 * test_locks.c - client locks and opaque pointers, from the specification (rtmv2-functions-1.md 1.8,
 * 5.1, 5.2, 7.5, 7.6, 8.5, 3.1): RtmLockDestination, RtmLockRoute, RtmUpdateAndUnlockRoute,
 * RtmLockNextHop, RtmGetOpaqueInformationPointer.  Nesting, lock-state errors, ownership, other
 * threads waiting (or not) for a held lock, the holder's own calls going through, in-place route
 * and next-hop edits with commit, rollback of invalid edits, protection of identity members,
 * opaque slots and the destination identity they keep.
 */
#include "test_util.h"

#define PROTO_A 100
#define PROTO_B 200

/* ---- a second thread running one call, to see whether it waits ------------------------------- */

enum op {
	OP_GET_DEST_INFO,
	OP_ADD_ROUTE,
	OP_LOCK_DEST_UNLOCK,
	OP_UNLOCK_DEST,
	OP_GET_NEXTHOP_INFO,
	OP_IS_BEST,
};

struct job {
	enum op op;
	RTM_ENTITY_HANDLE reg;
	RTM_DEST_HANDLE dest;
	RTM_ROUTE_HANDLE route;
	RTM_NEXTHOP_HANDLE nh;
	RTM_NET_ADDRESS addr;
	DWORD err;
	int done;
	test_thread th;
};

static void *job_main(void *p)
{
	struct job *j = p;
	DWORD err = ERROR_CAN_NOT_COMPLETE;
	switch (j->op) {
	case OP_GET_DEST_INFO: {
		test_dest_info_buf b;
		err = RtmGetDestInfo(j->reg, j->dest, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &b.info);
		if (err == NO_ERROR)
			RtmReleaseDestInfo(j->reg, &b.info);
		break;
	}
	case OP_ADD_ROUTE: {
		test_route_info_buf b;
		test_fill_route(&b.info, j->nh, 50, 50, RTM_VIEW_MASK_UCAST);
		err = RtmAddRouteToDest(j->reg, NULL, &j->addr, &b.info, INFINITE, NULL, 0, NULL, NULL);
		break;
	}
	case OP_LOCK_DEST_UNLOCK:
		err = RtmLockDestination(j->reg, j->dest, TRUE, TRUE);
		if (err == NO_ERROR)
			err = RtmLockDestination(j->reg, j->dest, TRUE, FALSE);
		break;
	case OP_UNLOCK_DEST:
		err = RtmLockDestination(j->reg, j->dest, TRUE, FALSE);
		break;
	case OP_GET_NEXTHOP_INFO: {
		RTM_NEXTHOP_INFO n;
		err = RtmGetNextHopInfo(j->reg, j->nh, &n);
		if (err == NO_ERROR)
			RtmReleaseNextHopInfo(j->reg, &n);
		break;
	}
	case OP_IS_BEST: {
		RTM_VIEW_SET v;
		err = RtmIsBestRoute(j->reg, j->route, &v);
		break;
	}
	}
	j->err = err;
	__atomic_store_n(&j->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void job_start(struct job *j);

/* starts op on another thread; obj is the destination, route or next hop the op works on */
static void job_go(struct job *j, enum op op, RTM_ENTITY_HANDLE reg, HANDLE obj)
{
	memset(j, 0, sizeof(*j));
	j->op = op;
	j->reg = reg;
	if (op == OP_GET_NEXTHOP_INFO)
		j->nh = obj;
	else if (op == OP_IS_BEST)
		j->route = obj;
	else
		j->dest = obj;
	job_start(j);
}

static void job_start(struct job *j)
{
	j->done = 0;
	j->err = ERROR_CAN_NOT_COMPLETE;
	j->th = test_thread_start(job_main, j);
}

/* waits up to ms for the job; 1 if it finished */
static int job_wait(struct job *j, unsigned ms)
{
	for (unsigned t = 0; t < ms; t += 10) {
		if (__atomic_load_n(&j->done, __ATOMIC_ACQUIRE))
			return 1;
		test_sleep_ms(10);
	}
	return __atomic_load_n(&j->done, __ATOMIC_ACQUIRE);
}

static void job_join(struct job *j) { test_thread_join(j->th); }

/* the job must still be waiting after a while */
#define EXPECT_BLOCKED(j) ok(!job_wait(j, 200), "line %d: op %d did not wait for the lock\n", __LINE__, (j)->op)
/* the job must finish soon, with want */
#define EXPECT_FINISHES(j, want)                                                                   \
	do {                                                                                       \
		int d_ = job_wait(j, 5000);                                                        \
		ok(d_, "line %d: op %d still waiting\n", __LINE__, (j)->op);                       \
		if (d_) {                                                                          \
			job_join(j);                                                               \
			ok((j)->err == (DWORD)(want), "line %d: op %d: %lu, expected %lu\n", __LINE__, \
			   (j)->op, (unsigned long)(j)->err, (unsigned long)(want));               \
		}                                                                                  \
	} while (0)

/* ---- RtmLockDestination (5.1, 1.8) ------------------------------------------------------------ */

static void test_dest_lock_states(void)
{
	RTM_ENTITY_HANDLE a = test_register(0, AF_INET, PROTO_A, 1, NULL);
	RTM_ENTITY_HANDLE b = test_register(0, AF_INET, PROTO_B, 1, NULL);
	RTM_NEXTHOP_HANDLE nh = test_nexthop(a, test_ipv4(10, 0, 0, 1, 32), 1);
	RTM_NET_ADDRESS d = test_ipv4(10, 1, 0, 0, 16);
	RTM_ROUTE_HANDLE r = test_route(a, d, nh, 10, 1, RTM_VIEW_MASK_UCAST);
	RTM_DEST_HANDLE dh = test_dest_of(a, r);

	expect_eq(RtmLockDestination(a, dh, FALSE, FALSE), ERROR_INVALID_PARAMETER); /* not held */
	expect_eq(RtmLockDestination(a, dh, TRUE, FALSE), ERROR_INVALID_PARAMETER);
	expect_eq(RtmLockDestination(a, dh, FALSE, TRUE), NO_ERROR);
	expect_eq(RtmLockDestination(a, dh, FALSE, TRUE), NO_ERROR); /* nested shared */
	expect_eq(RtmLockDestination(a, dh, TRUE, TRUE), ERROR_INVALID_PARAMETER); /* no upgrade */
	expect_eq(RtmLockDestination(a, dh, TRUE, FALSE), NO_ERROR); /* Exclusive not checked on unlock */
	expect_eq(RtmLockDestination(a, dh, FALSE, FALSE), NO_ERROR);
	expect_eq(RtmLockDestination(a, dh, FALSE, FALSE), ERROR_INVALID_PARAMETER);

	expect_eq(RtmLockDestination(a, dh, TRUE, TRUE), NO_ERROR);
	expect_eq(RtmLockDestination(a, dh, TRUE, TRUE), NO_ERROR);  /* nested exclusive */
	expect_eq(RtmLockDestination(a, dh, FALSE, TRUE), NO_ERROR); /* exclusive holder takes it shared */
	expect_eq(RtmLockDestination(a, dh, FALSE, FALSE), NO_ERROR);
	expect_eq(RtmLockDestination(a, dh, FALSE, FALSE), NO_ERROR);
	expect_eq(RtmLockDestination(a, dh, FALSE, FALSE), NO_ERROR);
	expect_eq(RtmLockDestination(a, dh, FALSE, FALSE), ERROR_INVALID_PARAMETER);

	/* destinations have no owner: any entity of the table may lock */
	expect_eq(RtmLockDestination(b, dh, TRUE, TRUE), NO_ERROR);
	expect_eq(RtmLockDestination(b, dh, TRUE, FALSE), NO_ERROR);

	/* bad handles */
	expect_eq(RtmLockDestination(a, (RTM_DEST_HANDLE)0x1234, TRUE, TRUE), ERROR_INVALID_HANDLE);
	expect_eq(RtmLockDestination(a, r, TRUE, TRUE), ERROR_INVALID_HANDLE);
	expect_eq(RtmLockDestination(a, nh, TRUE, TRUE), ERROR_INVALID_HANDLE);
	expect_eq(RtmLockDestination(NULL, dh, TRUE, TRUE), ERROR_INVALID_HANDLE);
	expect_eq(RtmLockDestination((RTM_ENTITY_HANDLE)0x1234, dh, TRUE, TRUE), ERROR_INVALID_HANDLE);
	RTM_ENTITY_HANDLE other = test_register(1, AF_INET, PROTO_A, 1, NULL);
	expect_eq(RtmLockDestination(other, dh, TRUE, TRUE), ERROR_INVALID_HANDLE);

	/* an unlinked destination can still be locked and unlocked */
	expect_eq(RtmReferenceHandles(a, 1, &dh), NO_ERROR);
	expect_eq(RtmDeleteRouteToDest(a, r, NULL), NO_ERROR);
	expect_eq(test_dest_routes(a, d, 0), -1);
	expect_eq(RtmLockDestination(a, dh, TRUE, TRUE), NO_ERROR);
	expect_eq(RtmLockDestination(a, dh, TRUE, FALSE), NO_ERROR);
	expect_eq(test_release_dest_handle(a, dh), NO_ERROR);
	expect_eq(RtmLockDestination(a, dh, TRUE, TRUE), ERROR_INVALID_HANDLE); /* stale */

	expect_eq(RtmReleaseNextHops(a, 1, &nh), NO_ERROR);
	test_deregister(a);
	test_deregister(b);
	test_deregister(other);
	expect_no_live_objects();
}

static void test_dest_lock_threads(void)
{
	RTM_ENTITY_HANDLE a = test_register(0, AF_INET, PROTO_A, 1, NULL);
	RTM_ENTITY_HANDLE b = test_register(0, AF_INET, PROTO_B, 1, NULL);
	RTM_NEXTHOP_HANDLE na = test_nexthop(a, test_ipv4(10, 0, 0, 1, 32), 1);
	RTM_NEXTHOP_HANDLE nb = test_nexthop(b, test_ipv4(10, 0, 0, 2, 32), 2);
	RTM_NET_ADDRESS d = test_ipv4(10, 2, 0, 0, 16), e = test_ipv4(10, 3, 0, 0, 16);
	RTM_ROUTE_HANDLE r = test_route(a, d, na, 10, 1, RTM_VIEW_MASK_UCAST);
	RTM_ROUTE_HANDLE re = test_route(a, e, na, 10, 1, RTM_VIEW_MASK_UCAST);
	RTM_DEST_HANDLE dh = test_dest_of(a, r), eh = test_dest_of(a, re);
	struct job j, k;

	/* exclusive: other threads' reads, writes and lock requests wait; other destinations do not */
	expect_eq(RtmLockDestination(a, dh, TRUE, TRUE), NO_ERROR);
	job_go(&j, OP_GET_DEST_INFO, b, dh);
	job_go(&k, OP_GET_DEST_INFO, b, eh);
	EXPECT_FINISHES(&k, NO_ERROR);
	EXPECT_BLOCKED(&j);
	/* the holder's own calls on the destination go through (re-entrancy) */
	{
		test_dest_info_buf di;
		expect_eq(RtmGetDestInfo(a, dh, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info), NO_ERROR);
		expect_eq(RtmReleaseDestInfo(a, &di.info), NO_ERROR);
		RTM_ROUTE_HANDLE r2 = NULL;
		test_route_info_buf rb;
		test_fill_route(&rb.info, na, 5, 1, RTM_VIEW_MASK_UCAST);
		rb.info.Neighbour = NULL;
		DWORD flags = 0;
		expect_eq(RtmAddRouteToDest(a, &r2, &d, &rb.info, INFINITE, NULL, 0, NULL, &flags), NO_ERROR);
		expect_eq(flags, RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST);
		expect_eq(test_best_views(a, r2), RTM_VIEW_MASK_UCAST);
		expect_eq(RtmDeleteRouteToDest(a, r2, NULL), NO_ERROR);
		expect_eq(RtmReferenceHandles(a, 1, &dh), NO_ERROR);
		expect_eq(test_release_dest_handle(a, dh), NO_ERROR);
	}
	/* another thread cannot unlock it */
	job_go(&k, OP_UNLOCK_DEST, a, dh);
	EXPECT_FINISHES(&k, ERROR_INVALID_PARAMETER);
	EXPECT_BLOCKED(&j);
	expect_eq(RtmLockDestination(a, dh, TRUE, FALSE), NO_ERROR);
	EXPECT_FINISHES(&j, NO_ERROR);

	/* a writer of another thread waits too */
	expect_eq(RtmLockDestination(a, dh, TRUE, TRUE), NO_ERROR);
	memset(&j, 0, sizeof(j));
	j.op = OP_ADD_ROUTE;
	j.reg = b;
	j.nh = nb;
	j.addr = d;
	job_start(&j);
	EXPECT_BLOCKED(&j);
	expect_eq(test_dest_routes(a, d, 0), 1);
	expect_eq(RtmLockDestination(a, dh, TRUE, FALSE), NO_ERROR);
	EXPECT_FINISHES(&j, NO_ERROR);
	expect_eq(test_dest_routes(a, d, 0), 2);

	/* shared: readers proceed, writers and exclusive lockers wait */
	expect_eq(RtmLockDestination(a, dh, FALSE, TRUE), NO_ERROR);
	job_go(&k, OP_GET_DEST_INFO, b, dh);
	EXPECT_FINISHES(&k, NO_ERROR);
	job_go(&j, OP_LOCK_DEST_UNLOCK, b, dh);
	EXPECT_BLOCKED(&j);
	expect_eq(RtmLockDestination(a, dh, FALSE, FALSE), NO_ERROR);
	EXPECT_FINISHES(&j, NO_ERROR);

	/* deregistration releases the locks held for the entity */
	expect_eq(RtmLockDestination(b, eh, TRUE, TRUE), NO_ERROR);
	job_go(&j, OP_GET_DEST_INFO, a, eh);
	EXPECT_BLOCKED(&j);
	expect_eq(RtmReleaseNextHops(b, 1, &nb), NO_ERROR);
	test_deregister(b);
	EXPECT_FINISHES(&j, NO_ERROR);
	job_go(&j, OP_LOCK_DEST_UNLOCK, a, eh);
	EXPECT_FINISHES(&j, NO_ERROR);

	RTM_ROUTE_HANDLE rr[2] = { r, re };
	expect_eq(RtmReleaseRoutes(a, 2, rr), NO_ERROR);
	expect_eq(RtmReleaseNextHops(a, 1, &na), NO_ERROR);
	test_deregister(a);
	expect_no_live_objects();
}

/* ---- RtmLockRoute and RtmUpdateAndUnlockRoute (7.5, 7.6) -------------------------------------- */

static void test_route_lock(void)
{
	RTM_ENTITY_HANDLE a = test_register(0, AF_INET, PROTO_A, 1, NULL);
	RTM_ENTITY_HANDLE b = test_register(0, AF_INET, PROTO_B, 1, NULL);
	RTM_NEXTHOP_HANDLE n1 = test_nexthop(a, test_ipv4(10, 0, 0, 1, 32), 1);
	RTM_NEXTHOP_HANDLE n2 = test_nexthop(a, test_ipv4(10, 0, 0, 2, 32), 2);
	RTM_NEXTHOP_HANDLE nb = test_nexthop(b, test_ipv4(10, 0, 0, 9, 32), 9);
	RTM_NET_ADDRESS d = test_ipv4(10, 4, 0, 0, 16);
	RTM_ROUTE_HANDLE r = test_route(a, d, n1, 10, 1, RTM_VIEW_MASK_UCAST);
	RTM_ROUTE_HANDLE rbr = test_route(b, d, nb, 20, 1, RTM_VIEW_MASK_UCAST);
	RTM_DEST_HANDLE dh = test_dest_of(a, r);
	PRTM_ROUTE_INFO p = NULL, p2 = NULL;
	test_route_info_buf out;
	DWORD flags;
	struct job j;

	/* the owner gets RTM's own structure, the one RtmGetRoutePointer shows */
	expect_eq(RtmGetRoutePointer(a, r, &p2), NO_ERROR);
	expect_eq(RtmLockRoute(a, r, TRUE, TRUE, &p), NO_ERROR);
	ok(p != NULL && p == p2, "lock pointer %p, route pointer %p\n", p, p2);
	/* it is a lock on the destination: another thread's read of it waits */
	job_go(&j, OP_GET_DEST_INFO, b, dh);
	EXPECT_BLOCKED(&j);
	expect_eq(RtmLockRoute(a, r, TRUE, FALSE, NULL), NO_ERROR);
	EXPECT_FINISHES(&j, NO_ERROR);
	expect_eq(RtmLockRoute(a, r, TRUE, FALSE, NULL), ERROR_INVALID_PARAMETER);

	/* a non-owner asking for the pointer is refused and locks nothing; without it, it may lock */
	p2 = (PRTM_ROUTE_INFO)0x88;
	expect_eq(RtmLockRoute(b, r, TRUE, TRUE, &p2), ERROR_ACCESS_DENIED);
	ok(p2 == (PRTM_ROUTE_INFO)0x88, "pointer written\n");
	expect_eq(RtmLockRoute(b, r, TRUE, FALSE, NULL), ERROR_INVALID_PARAMETER);
	expect_eq(RtmLockRoute(b, r, TRUE, TRUE, NULL), NO_ERROR);
	expect_eq(RtmLockRoute(b, r, TRUE, FALSE, NULL), NO_ERROR);
	expect_eq(RtmLockRoute(a, (RTM_ROUTE_HANDLE)0x1234, TRUE, TRUE, &p2), ERROR_INVALID_HANDLE);
	expect_eq(RtmLockRoute(a, dh, TRUE, TRUE, &p2), ERROR_INVALID_HANDLE);

	/* in-place update, committed: re-ranked, BEST reported, unlocked */
	expect_eq(test_best_views(a, r), RTM_VIEW_MASK_UCAST);
	expect_eq(RtmLockRoute(a, r, TRUE, TRUE, &p), NO_ERROR);
	p->PrefInfo.Preference = 30;
	p->EntitySpecificInfo = (PVOID)0xe5;
	p->BelongsToViews = RTM_VIEW_MASK_ALL;
	flags = 0x77;
	expect_eq(RtmUpdateAndUnlockRoute(a, r, INFINITE, NULL, 0, NULL, &flags), NO_ERROR);
	expect_eq(flags, RTM_ROUTE_CHANGE_BEST);
	expect_eq(RtmLockRoute(a, r, TRUE, FALSE, NULL), ERROR_INVALID_PARAMETER); /* already unlocked */
	expect_eq(test_best_views(a, r), RTM_VIEW_MASK_MCAST);
	expect_eq(test_best_views(a, rbr), RTM_VIEW_MASK_UCAST);
	expect_eq(RtmGetRouteInfo(a, r, &out.info, NULL), NO_ERROR);
	expect_eq(out.info.PrefInfo.Preference, 30);
	expect_eq(out.info.BelongsToViews, RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST);
	ok(out.info.EntitySpecificInfo == (PVOID)0xe5, "esi %p\n", out.info.EntitySpecificInfo);
	expect_eq(RtmReleaseRouteInfo(a, &out.info), NO_ERROR);

	/* the documented next-hop swap: reference the new one, put it in, release the old one, commit */
	expect_eq(RtmLockRoute(a, r, TRUE, TRUE, &p), NO_ERROR);
	expect_eq(RtmReferenceHandles(a, 1, &n2), NO_ERROR);
	RTM_NEXTHOP_HANDLE old = test_hops(p)[0];
	test_hops(p)[0] = n2;
	expect_eq(RtmReleaseNextHops(a, 1, &old), NO_ERROR);
	expect_eq(RtmReferenceHandles(a, 1, &n2), NO_ERROR);
	old = p->Neighbour;
	p->Neighbour = n2;
	expect_eq(RtmReleaseNextHops(a, 1, &old), NO_ERROR);
	flags = 0x77;
	expect_eq(RtmUpdateAndUnlockRoute(a, r, INFINITE, NULL, 0, NULL, &flags), NO_ERROR);
	expect_eq(RtmGetRouteInfo(a, r, &out.info, NULL), NO_ERROR);
	ok(test_hops(&out.info)[0] == n2 && out.info.Neighbour == n2, "next hop swap lost\n");
	expect_eq(RtmReleaseRouteInfo(a, &out.info), NO_ERROR);
	/* owner + neighbour matching follows the new neighbour */
	{
		test_route_info_buf tb;
		test_fill_route(&tb.info, n2, 30, 1, RTM_VIEW_MASK_ALL);
		flags = 0;
		expect_eq(RtmAddRouteToDest(a, NULL, &d, &tb.info, INFINITE, NULL, 0, NULL, &flags), NO_ERROR);
		ok(!(flags & RTM_ROUTE_CHANGE_NEW), "owner + in-place neighbour did not find the route\n");
		expect_eq(test_dest_routes(a, d, 0), 2);
	}

	/* commit works under a shared lock too */
	expect_eq(RtmLockRoute(a, r, FALSE, TRUE, &p), NO_ERROR);
	p->PrefInfo.Preference = 1;
	expect_eq(RtmUpdateAndUnlockRoute(a, r, INFINITE, NULL, 0, NULL, NULL), NO_ERROR);
	expect_eq(test_best_views(a, r), RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST);

	/* commit errors: not locked, not the owner, bad handles */
	expect_eq(RtmUpdateAndUnlockRoute(a, r, INFINITE, NULL, 0, NULL, NULL), ERROR_INVALID_PARAMETER);
	expect_eq(RtmLockRoute(b, r, TRUE, TRUE, NULL), NO_ERROR);
	expect_eq(RtmUpdateAndUnlockRoute(b, r, INFINITE, NULL, 0, NULL, NULL), ERROR_ACCESS_DENIED);
	expect_eq(RtmLockRoute(b, r, TRUE, FALSE, NULL), NO_ERROR);
	expect_eq(RtmUpdateAndUnlockRoute(a, (RTM_ROUTE_HANDLE)0x1234, INFINITE, NULL, 0, NULL, NULL),
		  ERROR_INVALID_HANDLE);
	expect_eq(RtmUpdateAndUnlockRoute(NULL, r, INFINITE, NULL, 0, NULL, NULL), ERROR_INVALID_HANDLE);

	/* unlock without commit: valid edits stay, but nothing is re-ranked */
	expect_eq(RtmLockRoute(a, r, TRUE, TRUE, &p), NO_ERROR);
	p->PrefInfo.Preference = 99;
	expect_eq(RtmLockRoute(a, r, TRUE, FALSE, NULL), NO_ERROR);
	expect_eq(RtmGetRouteInfo(a, r, &out.info, NULL), NO_ERROR);
	expect_eq(out.info.PrefInfo.Preference, 99);
	expect_eq(RtmReleaseRouteInfo(a, &out.info), NO_ERROR);
	expect_eq(test_best_views(a, r), RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST);
	expect_eq(RtmLockRoute(a, r, TRUE, TRUE, NULL), NO_ERROR);
	expect_eq(RtmUpdateAndUnlockRoute(a, r, INFINITE, NULL, 0, NULL, NULL), NO_ERROR);
	expect_eq(test_best_views(a, r), RTM_VIEW_MASK_MCAST);

	/* invalid edits: the commit fails and keeps the lock; unlocking rolls them back */
	static const int kinds = 4;
	for (int kind = 0; kind < kinds; kind++) {
		expect_eq(RtmLockRoute(a, r, TRUE, TRUE, &p), NO_ERROR);
		USHORT n0 = p->NextHopsList.NumNextHops;
		RTM_NEXTHOP_HANDLE h0 = test_hops(p)[0], nbr0 = p->Neighbour;
		switch (kind) {
		case 0:
			p->NextHopsList.NumNextHops = 9;
			break;
		case 1:
			test_hops(p)[0] = (RTM_NEXTHOP_HANDLE)0x1234;
			break;
		case 2:
			test_hops(p)[0] = nb; /* another entity's */
			break;
		case 3:
			p->Neighbour = (RTM_NEXTHOP_HANDLE)0x1234;
			break;
		}
		flags = 0x77;
		DWORD err = RtmUpdateAndUnlockRoute(a, r, INFINITE, NULL, 0, NULL, &flags);
		ok(err == ERROR_INVALID_PARAMETER, "kind %d: commit of an invalid edit: %lu\n", kind,
		   (unsigned long)err);
		ok(flags == 0x77, "kind %d: flags written\n", kind);
		/* still locked: another thread's read waits */
		job_go(&j, OP_IS_BEST, b, r);
		EXPECT_BLOCKED(&j);
		expect_eq(RtmLockRoute(a, r, TRUE, FALSE, NULL), NO_ERROR);
		EXPECT_FINISHES(&j, NO_ERROR);
		expect_eq(RtmGetRouteInfo(a, r, &out.info, NULL), NO_ERROR);
		ok(out.info.NextHopsList.NumNextHops == n0 && test_hops(&out.info)[0] == h0 && out.info.Neighbour == nbr0,
		   "kind %d: invalid edit not rolled back (%u next hops, %p, neighbour %p)\n", kind,
		   out.info.NextHopsList.NumNextHops, test_hops(&out.info)[0], out.info.Neighbour);
		expect_eq(RtmReleaseRouteInfo(a, &out.info), NO_ERROR);
	}

	/* a deleted route cannot be locked or committed */
	expect_eq(RtmReferenceHandles(a, 1, &r), NO_ERROR);
	expect_eq(RtmDeleteRouteToDest(a, r, NULL), NO_ERROR);
	expect_eq(RtmLockRoute(a, r, TRUE, TRUE, &p), ERROR_INVALID_HANDLE);
	expect_eq(RtmUpdateAndUnlockRoute(a, r, INFINITE, NULL, 0, NULL, NULL), ERROR_INVALID_HANDLE);
	expect_eq(RtmReleaseRoutes(a, 1, &r), NO_ERROR);

	expect_eq(RtmReleaseRoutes(b, 1, &rbr), NO_ERROR);
	RTM_NEXTHOP_HANDLE nn[2] = { n1, n2 };
	expect_eq(RtmReleaseNextHops(a, 2, nn), NO_ERROR);
	expect_eq(RtmReleaseNextHops(b, 1, &nb), NO_ERROR);
	test_deregister(a);
	test_deregister(b);
	expect_no_live_objects();
}

/* ---- RtmLockNextHop (8.5) ----------------------------------------------------------------------- */

static void test_nexthop_lock(void)
{
	RTM_ENTITY_HANDLE a = test_register(0, AF_INET, PROTO_A, 1, NULL);
	RTM_ENTITY_HANDLE b = test_register(0, AF_INET, PROTO_B, 1, NULL);
	RTM_NEXTHOP_HANDLE nh = test_nexthop(a, test_ipv4(10, 0, 0, 1, 32), 1);
	RTM_NET_ADDRESS d = test_ipv4(10, 5, 0, 0, 16);
	RTM_ROUTE_HANDLE r = test_route(a, d, nh, 10, 1, RTM_VIEW_MASK_UCAST);
	RTM_DEST_HANDLE dh = test_dest_of(a, r);
	PRTM_NEXTHOP_INFO p = NULL, p2 = NULL;
	RTM_NEXTHOP_INFO info;
	struct job j;

	expect_eq(RtmGetNextHopPointer(a, nh, &p2), NO_ERROR);
	expect_eq(RtmLockNextHop(a, nh, TRUE, TRUE, &p), NO_ERROR);
	ok(p && p == p2, "lock pointer %p, next-hop pointer %p\n", p, p2);
	job_go(&j, OP_GET_NEXTHOP_INFO, b, nh);
	EXPECT_BLOCKED(&j);
	/* edits, including forbidden ones, then unlock commits the allowed ones */
	p->EntitySpecificInfo = (PVOID)0x5e;
	p->Flags = RTM_NEXTHOP_FLAGS_REMOTE;
	p->RemoteNextHop = dh;
	p->InterfaceIndex = 77;
	p->NextHopOwner = b;
	p->State = RTM_NEXTHOP_STATE_DELETED;
	p->NextHopAddress.AddrBits[3] = 99;
	expect_eq(RtmLockNextHop(a, nh, TRUE, FALSE, NULL), NO_ERROR);
	EXPECT_FINISHES(&j, NO_ERROR);
	expect_eq(RtmGetNextHopInfo(a, nh, &info), NO_ERROR);
	ok(info.EntitySpecificInfo == (PVOID)0x5e && info.Flags == RTM_NEXTHOP_FLAGS_REMOTE, "edit lost\n");
	ok(info.RemoteNextHop == dh, "remote %p, expected %p\n", info.RemoteNextHop, dh);
	expect_eq(info.InterfaceIndex, 1);
	ok(info.NextHopOwner == a, "owner not restored: %p\n", info.NextHopOwner);
	expect_eq(info.State, RTM_NEXTHOP_STATE_CREATED);
	expect_eq(info.NextHopAddress.AddrBits[3], 1);
	expect_eq(RtmReleaseNextHopInfo(a, &info), NO_ERROR);
	RTM_NEXTHOP_INFO q;
	memset(&q, 0, sizeof(q));
	q.NextHopAddress = test_ipv4(10, 0, 0, 1, 32);
	q.InterfaceIndex = 1;
	expect_eq(RtmFindNextHop(a, &q, NULL, NULL), NO_ERROR);
	/* RTM referenced the remote destination: it outlives its routes */
	expect_eq(RtmDeleteRouteToDest(a, r, NULL), NO_ERROR);
	expect_eq(test_live_count(RTM_TEST_COUNT_DESTS), 1);
	/* an invalid remote value becomes NULL and the old reference goes */
	expect_eq(RtmLockNextHop(a, nh, TRUE, TRUE, &p), NO_ERROR);
	p->RemoteNextHop = (RTM_DEST_HANDLE)0x1234;
	expect_eq(RtmLockNextHop(a, nh, TRUE, FALSE, NULL), NO_ERROR);
	expect_eq(RtmGetNextHopInfo(a, nh, &info), NO_ERROR);
	ok(info.RemoteNextHop == NULL, "invalid remote kept: %p\n", info.RemoteNextHop);
	expect_eq(RtmReleaseNextHopInfo(a, &info), NO_ERROR);
	expect_eq(test_live_count(RTM_TEST_COUNT_DESTS), 0);

	/* lock states and ownership */
	expect_eq(RtmLockNextHop(a, nh, TRUE, FALSE, NULL), ERROR_INVALID_PARAMETER);
	expect_eq(RtmLockNextHop(a, nh, FALSE, TRUE, NULL), NO_ERROR);
	expect_eq(RtmLockNextHop(a, nh, TRUE, TRUE, NULL), ERROR_INVALID_PARAMETER);
	expect_eq(RtmLockNextHop(a, nh, FALSE, FALSE, NULL), NO_ERROR);
	p2 = (PRTM_NEXTHOP_INFO)0x88;
	expect_eq(RtmLockNextHop(b, nh, TRUE, TRUE, &p2), ERROR_ACCESS_DENIED);
	ok(p2 == (PRTM_NEXTHOP_INFO)0x88, "pointer written\n");
	expect_eq(RtmLockNextHop(b, nh, TRUE, FALSE, NULL), ERROR_INVALID_PARAMETER);
	expect_eq(RtmLockNextHop(b, nh, TRUE, TRUE, NULL), NO_ERROR);
	expect_eq(RtmLockNextHop(b, nh, TRUE, FALSE, NULL), NO_ERROR);
	expect_eq(RtmLockNextHop(a, (RTM_NEXTHOP_HANDLE)0x1234, TRUE, TRUE, NULL), ERROR_INVALID_HANDLE);
	expect_eq(RtmLockNextHop(a, dh, TRUE, TRUE, NULL), ERROR_INVALID_HANDLE);
	/* deleted: NOT_FOUND on lock */
	expect_eq(RtmReferenceHandles(a, 1, &nh), NO_ERROR);
	expect_eq(RtmDeleteNextHop(a, nh, NULL), NO_ERROR);
	expect_eq(RtmLockNextHop(a, nh, TRUE, TRUE, &p), ERROR_NOT_FOUND);
	expect_eq(RtmReleaseNextHops(a, 1, &nh), NO_ERROR);

	test_deregister(a);
	test_deregister(b);
	expect_no_live_objects();
}

/* ---- opaque pointers (5.2, 3.1) --------------------------------------------------------------- */

static RTM_ENTITY_HANDLE reg_opaque(ULONG proto, WINBOOL reserve)
{
	DWORD err;
	RTM_ENTITY_HANDLE h = test_register_ex(0, AF_INET, proto, 0, reserve, &err);
	ok(err == NO_ERROR, "RtmRegisterEntity: %lu\n", (unsigned long)err);
	return h;
}

static void test_opaque(void)
{
	RTM_ENTITY_HANDLE a = reg_opaque(PROTO_A, TRUE);
	RTM_ENTITY_HANDLE b = reg_opaque(PROTO_B, TRUE);
	RTM_ENTITY_HANDLE c = reg_opaque(PROTO_B + 1, FALSE);
	RTM_NEXTHOP_HANDLE nh = test_nexthop(a, test_ipv4(10, 0, 0, 1, 32), 1);
	RTM_NET_ADDRESS d = test_ipv4(10, 6, 0, 0, 16), e = test_ipv4(10, 7, 0, 0, 16);
	RTM_ROUTE_HANDLE r = test_route(a, d, nh, 10, 1, RTM_VIEW_MASK_UCAST);
	RTM_ROUTE_HANDLE re = test_route(a, e, nh, 10, 1, RTM_VIEW_MASK_UCAST);
	RTM_DEST_HANDLE dh = test_dest_of(a, r), eh = test_dest_of(a, re);
	PVOID sa = NULL, sa2 = NULL, sb = NULL, se = NULL, sc = (PVOID)0x88;

	expect_eq(RtmGetOpaqueInformationPointer(a, dh, &sa), NO_ERROR);
	ok(sa != NULL, "no slot\n");
	ok(*(PVOID *)sa == NULL, "new slot holds %p\n", *(PVOID *)sa);
	*(PVOID *)sa = (PVOID)0xa1;
	expect_eq(RtmGetOpaqueInformationPointer(a, dh, &sa2), NO_ERROR);
	ok(sa2 == sa && *(PVOID *)sa2 == (PVOID)0xa1, "slot moved or lost its value\n");
	expect_eq(RtmGetOpaqueInformationPointer(b, dh, &sb), NO_ERROR);
	ok(sb && sb != sa && *(PVOID *)sb == NULL, "b's slot %p (a's %p)\n", sb, sa);
	expect_eq(RtmGetOpaqueInformationPointer(a, eh, &se), NO_ERROR);
	ok(se && se != sa && *(PVOID *)se == NULL, "other destination's slot %p\n", se);
	/* no slot reserved */
	expect_eq(RtmGetOpaqueInformationPointer(c, dh, &sc), ERROR_NOT_FOUND);
	ok(sc == (PVOID)0x88, "output written\n");
	/* bad arguments */
	expect_eq(RtmGetOpaqueInformationPointer(a, dh, NULL), ERROR_INVALID_PARAMETER);
	expect_eq(RtmGetOpaqueInformationPointer(a, (RTM_DEST_HANDLE)0x1234, &sc), ERROR_INVALID_HANDLE);
	expect_eq(RtmGetOpaqueInformationPointer(a, r, &sc), ERROR_INVALID_HANDLE);
	expect_eq(RtmGetOpaqueInformationPointer(NULL, dh, &sc), ERROR_INVALID_HANDLE);
	/* under the holder's own exclusive destination lock (the documented sample) */
	expect_eq(RtmLockDestination(a, dh, TRUE, TRUE), NO_ERROR);
	expect_eq(RtmGetOpaqueInformationPointer(a, dh, &sa2), NO_ERROR);
	ok(sa2 == sa, "slot under lock %p\n", sa2);
	expect_eq(RtmLockDestination(a, dh, TRUE, FALSE), NO_ERROR);

	/* a non-NULL opaque pointer keeps the destination object across a route flap (resolution 1) */
	expect_eq(RtmDeleteRouteToDest(a, r, NULL), NO_ERROR);
	expect_eq(test_dest_routes(a, d, 0), -1);
	expect_eq(test_live_count(RTM_TEST_COUNT_DESTS), 2);
	r = test_route(a, d, nh, 10, 1, RTM_VIEW_MASK_UCAST);
	ok(test_dest_of(a, r) == dh, "route flap: new destination handle\n");
	expect_eq(RtmGetOpaqueInformationPointer(a, dh, &sa2), NO_ERROR);
	ok(sa2 == sa && *(PVOID *)sa2 == (PVOID)0xa1, "route flap lost the opaque value\n");

	/* a deregistration clears its slot everywhere; the next owner of the slot sees NULL */
	*(PVOID *)sb = (PVOID)0xb1;
	expect_eq(RtmGetOpaqueInformationPointer(b, eh, &se), NO_ERROR);
	*(PVOID *)se = (PVOID)0xb2;
	test_deregister(b);
	RTM_ENTITY_HANDLE b2 = reg_opaque(PROTO_B + 2, TRUE);
	PVOID s2 = NULL;
	expect_eq(RtmGetOpaqueInformationPointer(b2, dh, &s2), NO_ERROR);
	ok(s2 && *(PVOID *)s2 == NULL, "slot not cleared: %p\n", s2 ? *(PVOID *)s2 : NULL);
	expect_eq(RtmGetOpaqueInformationPointer(b2, eh, &s2), NO_ERROR);
	ok(s2 && *(PVOID *)s2 == NULL, "slot not cleared: %p\n", s2 ? *(PVOID *)s2 : NULL);
	expect_eq(RtmGetOpaqueInformationPointer(a, dh, &sa2), NO_ERROR);
	ok(*(PVOID *)sa2 == (PVOID)0xa1, "another entity's slot cleared\n");

	*(PVOID *)sa2 = NULL; /* a's data freed by a (the client's duty, 5.2) */
	RTM_ROUTE_HANDLE rr[2] = { r, re };
	expect_eq(RtmReleaseRoutes(a, 2, rr), NO_ERROR);
	expect_eq(RtmReleaseNextHops(a, 1, &nh), NO_ERROR);
	test_deregister(a);
	test_deregister(b2);
	test_deregister(c);
	expect_no_live_objects();
}

int main(void)
{
	test_dest_lock_states();
	test_dest_lock_threads();
	test_route_lock();
	test_nexthop_lock();
	test_opaque();
	return test_finish();
}

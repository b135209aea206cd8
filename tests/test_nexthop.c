/*
 * test_nexthop.c - next hops, from the specification (rtmv2-functions-1.md section 8, 6.5, 6.6, 1.5, 1.7):
 * RtmAddNextHop, RtmFindNextHop, RtmDeleteNextHop, RtmGetNextHopInfo, RtmReleaseNextHopInfo,
 * RtmGetNextHopPointer, RtmReleaseNextHops; identity, canonical addresses, per-owner lists,
 * RemoteNextHop, reference counting and the deleted-but-referenced state.
 */
#include "test_util.h"

#define PROTO_A 1001
#define PROTO_B 1002

static RTM_NEXTHOP_INFO nh_info(RTM_NET_ADDRESS addr, ULONG ifindex)
{
	RTM_NEXTHOP_INFO nh;
	memset(&nh, 0, sizeof(nh));
	nh.NextHopAddress = addr;
	nh.InterfaceIndex = ifindex;
	return nh;
}

/* the next hop's fields through RtmGetNextHopInfo (references released again) */
static DWORD get_nh(RTM_ENTITY_HANDLE reg, RTM_NEXTHOP_HANDLE h, RTM_NEXTHOP_INFO *out)
{
	DWORD err = RtmGetNextHopInfo(reg, h, out);
	if (err == NO_ERROR) {
		DWORD e2 = RtmReleaseNextHopInfo(reg, out);
		ok(e2 == NO_ERROR, "RtmReleaseNextHopInfo: %lu\n", (unsigned long)e2);
	}
	return err;
}

static void test_add_update_find(void)
{
	RTM_ENTITY_HANDLE a = test_register(0, AF_INET, PROTO_A, 1, NULL);
	RTM_NEXTHOP_INFO in = nh_info(test_ipv4(10, 0, 0, 1, 32), 5), out;
	RTM_NEXTHOP_HANDLE h = NULL, h2 = NULL, hf = NULL;
	RTM_NEXTHOP_CHANGE_FLAGS cf = 0xdead;
	PRTM_NEXTHOP_INFO ptr = NULL;
	DWORD err;

	in.EntitySpecificInfo = (PVOID)0x1111;
	in.NextHopOwner = (RTM_ENTITY_HANDLE)0x5555; /* ignored (8.1) */
	in.State = 7;                                /* ignored */
	err = RtmAddNextHop(a, &in, &h, &cf);
	expect_eq(err, NO_ERROR);
	ok(h != NULL, "no handle\n");
	expect_eq(cf, RTM_NEXTHOP_CHANGE_NEW);
	expect_eq(test_live_count(RTM_TEST_COUNT_NEXTHOPS), 1);

	memset(&out, 0xcc, sizeof(out));
	err = RtmGetNextHopInfo(a, h, &out);
	expect_eq(err, NO_ERROR);
	expect_eq(out.NextHopAddress.AddressFamily, AF_INET);
	expect_eq(out.NextHopAddress.NumBits, 32);
	ok(!memcmp(out.NextHopAddress.AddrBits, "\x0a\x00\x00\x01", 4), "address\n");
	ok(out.NextHopOwner == a, "owner %p\n", out.NextHopOwner);
	expect_eq(out.InterfaceIndex, 5);
	expect_eq(out.State, RTM_NEXTHOP_STATE_CREATED);
	expect_eq(out.Flags, 0);
	ok(out.EntitySpecificInfo == (PVOID)0x1111, "esi %p\n", out.EntitySpecificInfo);
	ok(out.RemoteNextHop == NULL, "remote %p\n", out.RemoteNextHop);
	expect_eq(RtmReleaseNextHopInfo(a, &out), NO_ERROR);

	/* same identity, handle slot holding NULL: the existing one is updated and returned (+1 ref) */
	in.EntitySpecificInfo = (PVOID)0x2222;
	cf = 0xdead;
	err = RtmAddNextHop(a, &in, &h2, &cf);
	expect_eq(err, NO_ERROR);
	ok(h2 == h, "second add returned %p, first %p\n", h2, h);
	expect_eq(cf, 0);
	expect_eq(test_live_count(RTM_TEST_COUNT_NEXTHOPS), 1);
	expect_eq(get_nh(a, h, &out), NO_ERROR);
	ok(out.EntitySpecificInfo == (PVOID)0x2222, "esi %p\n", out.EntitySpecificInfo);
	expect_eq(RtmReleaseNextHops(a, 1, &h2), NO_ERROR);

	/* no handle pointer, no change flags: still an update of the same one */
	in.EntitySpecificInfo = (PVOID)0x3333;
	expect_eq(RtmAddNextHop(a, &in, NULL, NULL), NO_ERROR);
	expect_eq(test_live_count(RTM_TEST_COUNT_NEXTHOPS), 1);
	expect_eq(get_nh(a, h, &out), NO_ERROR);
	ok(out.EntitySpecificInfo == (PVOID)0x3333, "esi %p\n", out.EntitySpecificInfo);

	/* find: only address and interface are used; owner and the rest ignored */
	RTM_NEXTHOP_INFO q;
	memset(&q, 0x5a, sizeof(q));
	q.NextHopAddress = test_ipv4(10, 0, 0, 1, 32);
	q.InterfaceIndex = 5;
	err = RtmFindNextHop(a, &q, &hf, &ptr);
	expect_eq(err, NO_ERROR);
	ok(hf == h, "find returned %p, expected %p\n", hf, h);
	ok(ptr != NULL, "no pointer\n");
	if (ptr) {
		expect_eq(ptr->InterfaceIndex, 5);
		ok(ptr->NextHopOwner == a, "pointer owner %p\n", ptr->NextHopOwner);
		ok(ptr->EntitySpecificInfo == (PVOID)0x3333, "pointer esi %p\n", ptr->EntitySpecificInfo);
		expect_eq(ptr->State, RTM_NEXTHOP_STATE_CREATED);
	}
	expect_eq(RtmReleaseNextHops(a, 1, &hf), NO_ERROR);

	/* pointer only, handle only, neither */
	PRTM_NEXTHOP_INFO ptr2 = NULL;
	expect_eq(RtmFindNextHop(a, &q, NULL, &ptr2), NO_ERROR);
	ok(ptr2 == ptr, "pointer %p vs %p\n", ptr2, ptr);
	hf = NULL;
	expect_eq(RtmFindNextHop(a, &q, &hf, NULL), NO_ERROR);
	ok(hf == h, "handle %p\n", hf);
	expect_eq(RtmReleaseNextHops(a, 1, &hf), NO_ERROR);
	expect_eq(RtmFindNextHop(a, &q, NULL, NULL), NO_ERROR);

	/* the pointer is the owner's read-only view, the same one RtmGetNextHopPointer gives */
	PRTM_NEXTHOP_INFO ptr3 = NULL;
	expect_eq(RtmGetNextHopPointer(a, h, &ptr3), NO_ERROR);
	ok(ptr3 == ptr, "RtmGetNextHopPointer %p vs RtmFindNextHop %p\n", ptr3, ptr);

	/* not found: other interface, other address, other length; nothing written */
	hf = (RTM_NEXTHOP_HANDLE)0x77;
	ptr2 = (PRTM_NEXTHOP_INFO)0x88;
	q.InterfaceIndex = 6;
	expect_eq(RtmFindNextHop(a, &q, &hf, &ptr2), ERROR_NOT_FOUND);
	q.InterfaceIndex = 5;
	q.NextHopAddress = test_ipv4(10, 0, 0, 2, 32);
	expect_eq(RtmFindNextHop(a, &q, &hf, &ptr2), ERROR_NOT_FOUND);
	q.NextHopAddress = test_ipv4(10, 0, 0, 1, 31);
	expect_eq(RtmFindNextHop(a, &q, &hf, &ptr2), ERROR_NOT_FOUND);
	ok(hf == (RTM_NEXTHOP_HANDLE)0x77 && ptr2 == (PRTM_NEXTHOP_INFO)0x88, "outputs written on NOT_FOUND\n");

	/* update through the handle: identity members are ignored, the rest replaced */
	RTM_NEXTHOP_HANDLE hu = h;
	RTM_NEXTHOP_INFO upd = nh_info(test_ipv4(172, 16, 0, 9, 32), 99);
	upd.EntitySpecificInfo = (PVOID)0x4444;
	cf = 0xdead;
	expect_eq(RtmAddNextHop(a, &upd, &hu, &cf), NO_ERROR);
	ok(hu == h, "handle changed to %p\n", hu);
	expect_eq(cf, 0);
	expect_eq(get_nh(a, h, &out), NO_ERROR);
	ok(out.EntitySpecificInfo == (PVOID)0x4444, "esi %p\n", out.EntitySpecificInfo);
	expect_eq(out.InterfaceIndex, 5);
	ok(!memcmp(out.NextHopAddress.AddrBits, "\x0a\x00\x00\x01", 4), "address changed by update\n");
	q = nh_info(test_ipv4(172, 16, 0, 9, 32), 99);
	expect_eq(RtmFindNextHop(a, &q, NULL, NULL), ERROR_NOT_FOUND);
	expect_eq(test_live_count(RTM_TEST_COUNT_NEXTHOPS), 1);
	/* the update took no new reference: one release, then the handle has none left to give */
	expect_eq(RtmDeleteNextHop(a, h, NULL), NO_ERROR);
	expect_eq(test_live_count(RTM_TEST_COUNT_NEXTHOPS), 0);

	test_deregister(a);
	expect_no_live_objects();
}

/* identity = canonical (address, length) + interface; bits beyond NumBits do not count */
static void test_identity_canonical(void)
{
	RTM_ENTITY_HANDLE a = test_register(0, AF_INET, PROTO_A, 1, NULL);
	RTM_NEXTHOP_INFO in = nh_info(test_ipv4(10, 1, 2, 3, 24), 7), out;
	RTM_NEXTHOP_HANDLE h = NULL, h2 = NULL, h3 = NULL;
	RTM_NEXTHOP_CHANGE_FLAGS cf;

	in.NextHopAddress.AddrBits[9] = 0xee; /* beyond the IPv4 width */
	in.NextHopAddress.AddressFamily = 0;  /* not checked (README resolution 3) */
	expect_eq(RtmAddNextHop(a, &in, &h, NULL), NO_ERROR);
	expect_eq(get_nh(a, h, &out), NO_ERROR);
	expect_eq(out.NextHopAddress.AddressFamily, AF_INET);
	expect_eq(out.NextHopAddress.NumBits, 24);
	static const UCHAR want[RTM_MAX_ADDRESS_SIZE] = { 10, 1, 2, 0 };
	ok(!memcmp(out.NextHopAddress.AddrBits, want, sizeof(want)), "not canonical: %u.%u.%u.%u byte9 %u\n",
	   out.NextHopAddress.AddrBits[0], out.NextHopAddress.AddrBits[1], out.NextHopAddress.AddrBits[2],
	   out.NextHopAddress.AddrBits[3], out.NextHopAddress.AddrBits[9]);

	/* 10.1.2.99/24 is the same next hop */
	in = nh_info(test_ipv4(10, 1, 2, 99, 24), 7);
	cf = 0xdead;
	expect_eq(RtmAddNextHop(a, &in, &h2, &cf), NO_ERROR);
	ok(h2 == h, "10.1.2.99/24 gave %p, 10.1.2.3/24 %p\n", h2, h);
	expect_eq(cf, 0);
	/* other length, other interface: other next hops */
	in = nh_info(test_ipv4(10, 1, 2, 0, 25), 7);
	cf = 0xdead;
	expect_eq(RtmAddNextHop(a, &in, &h3, &cf), NO_ERROR);
	ok(h3 && h3 != h, "/25 gave %p\n", h3);
	expect_eq(cf, RTM_NEXTHOP_CHANGE_NEW);
	RTM_NEXTHOP_HANDLE h4 = NULL;
	in = nh_info(test_ipv4(10, 1, 2, 3, 24), 8);
	expect_eq(RtmAddNextHop(a, &in, &h4, NULL), NO_ERROR);
	ok(h4 && h4 != h && h4 != h3, "interface 8 gave %p\n", h4);
	expect_eq(test_live_count(RTM_TEST_COUNT_NEXTHOPS), 3);

	RTM_NEXTHOP_HANDLE all[4] = { h, h2, h3, h4 };
	expect_eq(RtmReleaseNextHops(a, 4, all), NO_ERROR);
	/* still in the owner's list: found again */
	in = nh_info(test_ipv4(10, 1, 2, 3, 24), 7);
	expect_eq(RtmFindNextHop(a, &in, NULL, NULL), NO_ERROR);
	expect_eq(test_live_count(RTM_TEST_COUNT_NEXTHOPS), 3);

	test_deregister(a); /* deletes the owner's next hops (3.2 step 4) */
	expect_no_live_objects();
}

/* each owner has its own list; handles of another owner's next hop are refused where ownership matters */
static void test_per_owner_lists(void)
{
	RTM_ENTITY_HANDLE a = test_register(0, AF_INET, PROTO_A, 1, NULL);
	RTM_ENTITY_HANDLE b = test_register(0, AF_INET, PROTO_B, 1, NULL);
	RTM_NEXTHOP_INFO in = nh_info(test_ipv4(10, 0, 0, 1, 32), 5), out;
	RTM_NEXTHOP_HANDLE ha = NULL, hb = NULL, hf = NULL;
	RTM_NEXTHOP_CHANGE_FLAGS cf = 0;
	PRTM_NEXTHOP_INFO p = (PRTM_NEXTHOP_INFO)0x99;

	in.EntitySpecificInfo = (PVOID)0xa;
	expect_eq(RtmAddNextHop(a, &in, &ha, NULL), NO_ERROR);
	in.EntitySpecificInfo = (PVOID)0xb;
	expect_eq(RtmAddNextHop(b, &in, &hb, &cf), NO_ERROR);
	expect_eq(cf, RTM_NEXTHOP_CHANGE_NEW);
	ok(ha && hb && ha != hb, "same identity, two owners: %p %p\n", ha, hb);
	expect_eq(test_live_count(RTM_TEST_COUNT_NEXTHOPS), 2);

	expect_eq(RtmFindNextHop(b, &in, &hf, NULL), NO_ERROR);
	ok(hf == hb, "b finds %p, expected %p\n", hf, hb);
	expect_eq(RtmReleaseNextHops(b, 1, &hf), NO_ERROR);

	/* any entity of the table may read any next hop */
	expect_eq(get_nh(b, ha, &out), NO_ERROR);
	ok(out.NextHopOwner == a, "owner %p\n", out.NextHopOwner);
	ok(out.EntitySpecificInfo == (PVOID)0xa, "esi %p\n", out.EntitySpecificInfo);

	/* b may not update, delete or point into a's next hop */
	RTM_NEXTHOP_HANDLE hx = ha;
	RTM_NEXTHOP_INFO upd = in;
	upd.EntitySpecificInfo = (PVOID)0xbad;
	cf = 0x77;
	expect_eq(RtmAddNextHop(b, &upd, &hx, &cf), ERROR_ACCESS_DENIED);
	ok(hx == ha, "handle slot written\n");
	expect_eq(cf, 0x77);
	expect_eq(RtmDeleteNextHop(b, ha, NULL), ERROR_ACCESS_DENIED);
	expect_eq(RtmGetNextHopPointer(b, ha, &p), ERROR_ACCESS_DENIED);
	ok(p == (PRTM_NEXTHOP_INFO)0x99, "pointer written\n");
	expect_eq(get_nh(a, ha, &out), NO_ERROR);
	ok(out.EntitySpecificInfo == (PVOID)0xa, "a's next hop changed by b: esi %p\n", out.EntitySpecificInfo);
	expect_eq(out.State, RTM_NEXTHOP_STATE_CREATED);

	/* deleting b's by identity leaves a's alone */
	expect_eq(RtmDeleteNextHop(b, NULL, &in), NO_ERROR);
	expect_eq(RtmFindNextHop(b, &in, NULL, NULL), ERROR_NOT_FOUND);
	expect_eq(RtmFindNextHop(a, &in, NULL, NULL), NO_ERROR);
	expect_eq(get_nh(b, hb, &out), NO_ERROR); /* b still references it */
	expect_eq(out.State, RTM_NEXTHOP_STATE_DELETED);
	expect_eq(RtmReleaseNextHops(b, 1, &hb), NO_ERROR);
	expect_eq(test_live_count(RTM_TEST_COUNT_NEXTHOPS), 1);

	expect_eq(RtmReleaseNextHops(a, 1, &ha), NO_ERROR);
	test_deregister(b);
	test_deregister(a);
	expect_no_live_objects();
}

/* RtmDeleteNextHop: consumption of the handle, deleted-but-referenced, re-adding */
static void test_delete(void)
{
	RTM_ENTITY_HANDLE a = test_register(0, AF_INET, PROTO_A, 1, NULL);
	RTM_NEXTHOP_INFO in = nh_info(test_ipv4(10, 0, 0, 1, 32), 5), out;
	RTM_NEXTHOP_HANDLE h = NULL, h2 = NULL;
	RTM_NEXTHOP_CHANGE_FLAGS cf;

	/* by handle, only reference: consumed, object freed, handle stale */
	expect_eq(RtmAddNextHop(a, &in, &h, NULL), NO_ERROR);
	expect_eq(RtmDeleteNextHop(a, h, NULL), NO_ERROR);
	expect_eq(test_live_count(RTM_TEST_COUNT_NEXTHOPS), 0);
	expect_eq(RtmGetNextHopInfo(a, h, &out), ERROR_INVALID_HANDLE);
	expect_eq(RtmReleaseNextHops(a, 1, &h), ERROR_INVALID_HANDLE);
	expect_eq(RtmDeleteNextHop(a, h, NULL), ERROR_INVALID_HANDLE);
	expect_eq(RtmFindNextHop(a, &in, NULL, NULL), ERROR_NOT_FOUND);

	/* by handle with a second reference: consumed one, readable as DELETED */
	h = NULL;
	expect_eq(RtmAddNextHop(a, &in, &h, NULL), NO_ERROR);
	expect_eq(RtmReferenceHandles(a, 1, &h), NO_ERROR);
	expect_eq(RtmDeleteNextHop(a, h, NULL), NO_ERROR);
	expect_eq(test_live_count(RTM_TEST_COUNT_NEXTHOPS), 1);
	memset(&out, 0, sizeof(out));
	expect_eq(get_nh(a, h, &out), NO_ERROR);
	expect_eq(out.State, RTM_NEXTHOP_STATE_DELETED);
	expect_eq(out.InterfaceIndex, 5);
	expect_eq(RtmFindNextHop(a, &in, NULL, NULL), ERROR_NOT_FOUND);
	/* already deleted: NOT_FOUND, the handle is not consumed */
	expect_eq(RtmDeleteNextHop(a, h, NULL), ERROR_NOT_FOUND);
	expect_eq(RtmDeleteNextHop(a, NULL, &in), ERROR_NOT_FOUND);
	/* a deleted next hop cannot be updated through its handle (8.1: deleted next-hop handle) */
	RTM_NEXTHOP_HANDLE hx = h;
	expect_eq(RtmAddNextHop(a, &in, &hx, NULL), ERROR_INVALID_HANDLE);
	/* nor used in a new route (7.1: already deleted -> ERROR_INVALID_PARAMETER) */
	test_route_info_buf rb;
	RTM_NET_ADDRESS d = test_ipv4(192, 168, 0, 0, 16);
	test_fill_route(&rb.info, NULL, 10, 1, RTM_VIEW_MASK_UCAST);
	rb.info.NextHopsList.NumNextHops = 1;
	rb.info.NextHopsList.NextHops[0] = h;
	expect_eq(RtmAddRouteToDest(a, NULL, &d, &rb.info, INFINITE, NULL, 0, NULL, NULL), ERROR_INVALID_PARAMETER);
	expect_eq(test_dest_routes(a, d, 0), -1);
	/* the same identity added again is a new next hop with a new handle */
	cf = 0;
	expect_eq(RtmAddNextHop(a, &in, &h2, &cf), NO_ERROR);
	ok(h2 && h2 != h, "re-added next hop reuses handle %p\n", h2);
	expect_eq(cf, RTM_NEXTHOP_CHANGE_NEW);
	expect_eq(test_live_count(RTM_TEST_COUNT_NEXTHOPS), 2);
	expect_eq(RtmReleaseNextHops(a, 1, &h), NO_ERROR);
	expect_eq(test_live_count(RTM_TEST_COUNT_NEXTHOPS), 1);
	expect_eq(RtmReleaseNextHops(a, 1, &h), ERROR_INVALID_HANDLE);

	/* by identity: consumes nothing; the caller's handle still needs releasing */
	expect_eq(RtmDeleteNextHop(a, NULL, &in), NO_ERROR);
	expect_eq(get_nh(a, h2, &out), NO_ERROR);
	expect_eq(out.State, RTM_NEXTHOP_STATE_DELETED);
	expect_eq(RtmReleaseNextHops(a, 1, &h2), NO_ERROR);
	expect_eq(test_live_count(RTM_TEST_COUNT_NEXTHOPS), 0);

	/* both given: the handle wins */
	RTM_NEXTHOP_INFO in2 = nh_info(test_ipv4(10, 0, 0, 2, 32), 5);
	RTM_NEXTHOP_HANDLE n1 = NULL, n2 = NULL;
	expect_eq(RtmAddNextHop(a, &in, &n1, NULL), NO_ERROR);
	expect_eq(RtmAddNextHop(a, &in2, &n2, NULL), NO_ERROR);
	expect_eq(RtmDeleteNextHop(a, n1, &in2), NO_ERROR);
	expect_eq(RtmFindNextHop(a, &in, NULL, NULL), ERROR_NOT_FOUND);
	expect_eq(RtmFindNextHop(a, &in2, NULL, NULL), NO_ERROR);
	expect_eq(RtmDeleteNextHop(a, n2, NULL), NO_ERROR);
	expect_eq(test_live_count(RTM_TEST_COUNT_NEXTHOPS), 0);

	test_deregister(a);
	expect_no_live_objects();
}

/* routes keep a deleted next hop alive; it goes with the last route using it */
static void test_delete_used_by_route(void)
{
	RTM_ENTITY_HANDLE a = test_register(0, AF_INET, PROTO_A, 1, NULL);
	RTM_NET_ADDRESS d = test_ipv4(192, 168, 0, 0, 16);
	RTM_NEXTHOP_HANDLE nh = test_nexthop(a, test_ipv4(10, 0, 0, 1, 32), 5);
	RTM_ROUTE_HANDLE r = test_route(a, d, nh, 10, 1, RTM_VIEW_MASK_UCAST);
	test_route_info_buf rb;
	RTM_NEXTHOP_INFO out;

	expect_eq(RtmDeleteNextHop(a, nh, NULL), NO_ERROR);
	expect_eq(test_live_count(RTM_TEST_COUNT_NEXTHOPS), 1);
	/* the route is unchanged and still lists it */
	expect_eq(RtmGetRouteInfo(a, r, &rb.info, NULL), NO_ERROR);
	expect_eq(rb.info.NextHopsList.NumNextHops, 1);
	ok(rb.info.NextHopsList.NextHops[0] == nh, "next hop %p\n", rb.info.NextHopsList.NextHops[0]);
	ok(rb.info.Neighbour == nh, "neighbour %p\n", rb.info.Neighbour);
	expect_eq(get_nh(a, rb.info.NextHopsList.NextHops[0], &out), NO_ERROR);
	expect_eq(out.State, RTM_NEXTHOP_STATE_DELETED);
	expect_eq(RtmReleaseRouteInfo(a, &rb.info), NO_ERROR);
	expect_eq(test_dest_routes(a, d, 0), 1);

	expect_eq(RtmDeleteRouteToDest(a, r, NULL), NO_ERROR);
	expect_eq(test_live_count(RTM_TEST_COUNT_ROUTES), 0);
	expect_eq(test_live_count(RTM_TEST_COUNT_NEXTHOPS), 0);
	expect_eq(test_live_count(RTM_TEST_COUNT_DESTS), 0);
	test_deregister(a);
	expect_no_live_objects();
}

/* RemoteNextHop: stored only with the REMOTE flag, must be a destination, RTM keeps its own reference */
static void test_remote_next_hop(void)
{
	RTM_ENTITY_HANDLE a = test_register(0, AF_INET, PROTO_A, 1, NULL);
	RTM_NET_ADDRESS d = test_ipv4(192, 168, 0, 0, 16);
	RTM_NEXTHOP_HANDLE nh0 = test_nexthop(a, test_ipv4(10, 0, 0, 1, 32), 5);
	RTM_ROUTE_HANDLE r = test_route(a, d, nh0, 10, 1, RTM_VIEW_MASK_UCAST);
	test_dest_info_buf db;
	RTM_NEXTHOP_INFO in, out;
	RTM_NEXTHOP_HANDLE h = NULL;

	expect_eq(RtmGetExactMatchDestination(a, &d, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &db.info), NO_ERROR);
	RTM_DEST_HANDLE dest = db.info.DestHandle;

	/* remote next hop 192.168.7.7 caching the destination that covers it */
	in = nh_info(test_ipv4(192, 168, 7, 7, 32), 0);
	in.Flags = RTM_NEXTHOP_FLAGS_REMOTE;
	in.RemoteNextHop = dest;
	expect_eq(RtmAddNextHop(a, &in, &h, NULL), NO_ERROR);
	memset(&out, 0, sizeof(out));
	expect_eq(RtmGetNextHopInfo(a, h, &out), NO_ERROR);
	expect_eq(out.Flags, RTM_NEXTHOP_FLAGS_REMOTE);
	ok(out.RemoteNextHop == dest, "remote %p, expected %p\n", out.RemoteNextHop, dest);
	expect_eq(RtmReleaseNextHopInfo(a, &out), NO_ERROR);

	/* without the REMOTE flag the value is stored as NULL */
	RTM_NEXTHOP_HANDLE h2 = NULL;
	RTM_NEXTHOP_INFO in2 = nh_info(test_ipv4(10, 0, 0, 2, 32), 5);
	in2.RemoteNextHop = dest;
	expect_eq(RtmAddNextHop(a, &in2, &h2, NULL), NO_ERROR);
	expect_eq(get_nh(a, h2, &out), NO_ERROR);
	ok(out.RemoteNextHop == NULL, "remote stored without the flag: %p\n", out.RemoteNextHop);
	expect_eq(RtmDeleteNextHop(a, h2, NULL), NO_ERROR);

	/* a garbage or wrong-kind RemoteNextHop with the flag is refused and adds nothing */
	DWORD before = test_live_count(RTM_TEST_COUNT_NEXTHOPS);
	RTM_NEXTHOP_INFO bad = nh_info(test_ipv4(10, 0, 0, 3, 32), 5);
	bad.Flags = RTM_NEXTHOP_FLAGS_REMOTE;
	bad.RemoteNextHop = (RTM_DEST_HANDLE)0x1234;
	RTM_NEXTHOP_HANDLE hb = NULL;
	expect_eq(RtmAddNextHop(a, &bad, &hb, NULL), ERROR_INVALID_HANDLE);
	bad.RemoteNextHop = r; /* a route, not a destination */
	expect_eq(RtmAddNextHop(a, &bad, &hb, NULL), ERROR_INVALID_HANDLE);
	ok(hb == NULL, "handle written on failure\n");
	expect_eq(test_live_count(RTM_TEST_COUNT_NEXTHOPS), before);
	expect_eq(RtmFindNextHop(a, &bad, NULL, NULL), ERROR_NOT_FOUND);

	/* RTM's reference keeps the destination object after the table lets go of it */
	expect_eq(RtmReleaseDestInfo(a, &db.info), NO_ERROR);
	expect_eq(RtmDeleteRouteToDest(a, r, NULL), NO_ERROR);
	expect_eq(test_dest_routes(a, d, 0), -1);
	expect_eq(test_live_count(RTM_TEST_COUNT_DESTS), 1);
	expect_eq(get_nh(a, h, &out), NO_ERROR);
	ok(out.RemoteNextHop == dest, "remote %p\n", out.RemoteNextHop);
	/* updating the remote value to NULL drops that reference */
	RTM_NEXTHOP_HANDLE hu = h;
	in.Flags = 0;
	in.RemoteNextHop = NULL;
	expect_eq(RtmAddNextHop(a, &in, &hu, NULL), NO_ERROR);
	expect_eq(test_live_count(RTM_TEST_COUNT_DESTS), 0);
	expect_eq(RtmDeleteNextHop(a, h, NULL), NO_ERROR);
	expect_eq(RtmDeleteNextHop(a, nh0, NULL), NO_ERROR);
	test_deregister(a);
	expect_no_live_objects();
}

/* the next hop's info holds a reference on its owner, which outlives the owner's registration */
static void test_info_references_owner(void)
{
	RTM_ENTITY_HANDLE a = test_register(0, AF_INET, PROTO_A, 1, NULL);
	RTM_ENTITY_HANDLE b = test_register(0, AF_INET, PROTO_B, 1, NULL);
	RTM_NEXTHOP_HANDLE nh = test_nexthop(a, test_ipv4(10, 0, 0, 1, 32), 5);
	RTM_NEXTHOP_INFO info;

	expect_eq(RtmGetNextHopInfo(b, nh, &info), NO_ERROR);
	ok(info.NextHopOwner == a, "owner %p\n", info.NextHopOwner);
	expect_eq(RtmReleaseNextHops(a, 1, &nh), NO_ERROR);
	test_deregister(a); /* deletes a's next hop; a's entity object lives on through b's info */
	expect_eq(test_live_count(RTM_TEST_COUNT_NEXTHOPS), 0);
	expect_eq(test_live_count(RTM_TEST_COUNT_ENTITIES), 2);
	expect_eq(RtmReleaseNextHopInfo(b, &info), NO_ERROR);
	expect_eq(test_live_count(RTM_TEST_COUNT_ENTITIES), 1);
	/* the reference is gone: releasing the same structure again is an over-release */
	expect_eq(RtmReleaseNextHopInfo(b, &info), ERROR_INVALID_HANDLE);
	test_deregister(b);
	expect_no_live_objects();
}

/* the direct pointer: read-only view of RTM's own structure; a mistaken release of it is harmless */
static void test_pointer_guard(void)
{
	RTM_ENTITY_HANDLE a = test_register(0, AF_INET, PROTO_A, 1, NULL);
	RTM_NEXTHOP_HANDLE nh = test_nexthop(a, test_ipv4(10, 0, 0, 1, 32), 5);
	PRTM_NEXTHOP_INFO p = NULL;

	expect_eq(RtmGetNextHopPointer(a, nh, &p), NO_ERROR);
	ok(p != NULL, "no pointer\n");
	if (p) {
		RTM_NEXTHOP_INFO copy = *p;
		expect_eq(RtmReleaseNextHopInfo(a, p), NO_ERROR);
		ok(!memcmp(&copy, p, sizeof(copy)), "RTM's structure modified by the release\n");
		expect_eq(RtmReleaseNextHopInfo(a, p), NO_ERROR);
		expect_eq(p->State, RTM_NEXTHOP_STATE_CREATED);
		ok(p->NextHopOwner == a, "owner %p\n", p->NextHopOwner);
	}
	/* still fully usable */
	RTM_NEXTHOP_INFO out;
	expect_eq(get_nh(a, nh, &out), NO_ERROR);
	expect_eq(out.State, RTM_NEXTHOP_STATE_CREATED);
	/* the pointer of a deleted (still referenced) next hop shows DELETED */
	expect_eq(RtmReferenceHandles(a, 1, &nh), NO_ERROR);
	expect_eq(RtmDeleteNextHop(a, nh, NULL), NO_ERROR);
	p = NULL;
	expect_eq(RtmGetNextHopPointer(a, nh, &p), NO_ERROR);
	if (p)
		expect_eq(p->State, RTM_NEXTHOP_STATE_DELETED);
	expect_eq(RtmReleaseNextHops(a, 1, &nh), NO_ERROR);
	test_deregister(a);
	expect_no_live_objects();
}

/* RtmReleaseNextHops: arrays, repeated handles, over-release, nothing dropped on failure */
static void test_release_next_hops(void)
{
	RTM_ENTITY_HANDLE a = test_register(0, AF_INET, PROTO_A, 1, NULL);
	RTM_NEXTHOP_HANDLE n1 = test_nexthop(a, test_ipv4(10, 0, 0, 1, 32), 1);
	RTM_NEXTHOP_HANDLE n2 = test_nexthop(a, test_ipv4(10, 0, 0, 2, 32), 2);

	expect_eq(RtmReleaseNextHops(a, 0, NULL), NO_ERROR);
	/* n1 appears twice but has one reference: refused as a whole */
	RTM_NEXTHOP_HANDLE twice[3] = { n1, n2, n1 };
	expect_eq(RtmReleaseNextHops(a, 3, twice), ERROR_INVALID_HANDLE);
	/* a garbage element: refused as a whole */
	RTM_NEXTHOP_HANDLE mixed[3] = { n1, (RTM_NEXTHOP_HANDLE)0x1234, n2 };
	expect_eq(RtmReleaseNextHops(a, 3, mixed), ERROR_INVALID_HANDLE);
	/* NULL elements are skipped */
	RTM_NEXTHOP_HANDLE withnull[3] = { NULL, n1, NULL };
	expect_eq(RtmReleaseNextHops(a, 3, withnull), NO_ERROR);
	/* n1 has no reference left; n2 still has its one */
	expect_eq(RtmReleaseNextHops(a, 1, &n1), ERROR_INVALID_HANDLE);
	expect_eq(RtmReferenceHandles(a, 1, &n2), NO_ERROR);
	RTM_NEXTHOP_HANDLE both[2] = { n2, n2 };
	expect_eq(RtmReleaseNextHops(a, 2, both), NO_ERROR);
	expect_eq(RtmReleaseNextHops(a, 1, &n2), ERROR_INVALID_HANDLE);
	/* unreferenced next hops stay in the owner's list */
	expect_eq(test_live_count(RTM_TEST_COUNT_NEXTHOPS), 2);
	test_deregister(a);
	expect_no_live_objects();
}

int main(void)
{
	test_add_update_find();
	test_identity_canonical();
	test_per_owner_lists();
	test_delete();
	test_delete_used_by_route();
	test_remote_next_hop();
	test_info_references_owner();
	test_pointer_guard();
	test_release_next_hops();
	return test_finish();
}

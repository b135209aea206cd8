/*
 * test_ipv6.c - IPv6 tables (rtmv2-functions-1.md 1.1, 1.3; functions-2 0.1, 0.3, section 1):
 * AF_INET6 is 23, prefixes are 128 bits, canonical (bits beyond NumBits and bytes beyond the
 * family's width cleared), NumBits up to 128; the IPv6 table is separate from the IPv4 one;
 * exact, longest and less-specific lookups, checked against a brute-force model on a few
 * thousand random nested prefixes.
 */
#include "test_util.h"

#define PROTO_A 300

static RTM_NET_ADDRESS v6(const char *hex32, unsigned len)
{
	/* 32 hex digits, most significant first */
	RTM_NET_ADDRESS n;
	memset(&n, 0, sizeof(n));
	n.AddressFamily = AF_INET6;
	n.NumBits = (USHORT)len;
	for (int i = 0; i < 16; i++) {
		unsigned b;
		sscanf(hex32 + 2 * i, "%2x", &b);
		n.AddrBits[i] = (UCHAR)b;
	}
	return n;
}

static void canon(RTM_NET_ADDRESS *n, unsigned width_bytes)
{
	for (unsigned i = 0; i < RTM_MAX_ADDRESS_SIZE; i++) {
		unsigned first = i * 8;
		if (i >= width_bytes || first >= n->NumBits)
			n->AddrBits[i] = 0;
		else if (n->NumBits - first < 8)
			n->AddrBits[i] &= (UCHAR)(0xFF << (8 - (n->NumBits - first)));
	}
}

static int same_prefix(const RTM_NET_ADDRESS *a, const RTM_NET_ADDRESS *b)
{
	return a->NumBits == b->NumBits && !memcmp(a->AddrBits, b->AddrBits, RTM_MAX_ADDRESS_SIZE);
}

static void print_addr(char *buf, const RTM_NET_ADDRESS *a)
{
	for (int i = 0; i < 16; i++)
		sprintf(buf + 2 * i, "%02x", a->AddrBits[i]);
	sprintf(buf + 32, "/%u (family %u)", a->NumBits, a->AddressFamily);
}

static void expect_dest(const RTM_DEST_INFO *di, RTM_NET_ADDRESS want, int line)
{
	canon(&want, 16);
	char g[64], w[64];
	print_addr(g, &di->DestAddress);
	print_addr(w, &want);
	ok(di->DestAddress.AddressFamily == AF_INET6 && same_prefix(&di->DestAddress, &want),
	   "line %d: got %s, expected %s\n", line, g, w);
}

static void test_registration_and_separation(void)
{
	RTM_ENTITY_INFO info;
	RTM_REGN_PROFILE prof;
	RTM_ENTITY_HANDLE a6 = NULL;
	memset(&info, 0, sizeof(info));
	info.AddressFamily = 23; /* the Windows value, whatever the host's headers say */
	info.EntityId.EntityProtocolId = PROTO_A;
	expect_eq(AF_INET6, 23);
	expect_eq(RtmRegisterEntity(&info, NULL, NULL, FALSE, &prof, &a6), NO_ERROR);
	expect_eq(prof.MaxNextHopsInRoute, 8);
	expect_eq(prof.MaxHandlesInEnum, 100);
	expect_eq(prof.ViewsSupported, 3);
	expect_eq(prof.NumberOfViews, 2);
	RTM_ENTITY_INFO ei;
	expect_eq(RtmGetEntityInfo(a6, a6, &ei), NO_ERROR);
	expect_eq(ei.AddressFamily, 23);
	/* the same EntityId in the IPv4 table and in another IPv6 instance: separate tables */
	RTM_ENTITY_HANDLE a4 = test_register(0, AF_INET, PROTO_A, 0, NULL);
	RTM_ENTITY_HANDLE b6 = test_register(1, AF_INET6, PROTO_A, 0, NULL);
	UINT n = 8;
	expect_eq(RtmGetRegisteredEntities(a6, &n, NULL, NULL), NO_ERROR);
	expect_eq(n, 1);

	RTM_NEXTHOP_HANDLE nh6 = test_nexthop(a6, v6("fe800000000000000000000000000001", 128), 1);
	RTM_NEXTHOP_HANDLE nh4 = test_nexthop(a4, test_ipv4(10, 0, 0, 1, 32), 1);
	/* 2001:db8::/32 in IPv6; 32.1.13.184/32 (the same first four bytes) in IPv4 */
	RTM_NET_ADDRESS p6 = v6("20010db8000000000000000000000000", 32);
	RTM_NET_ADDRESS p4 = test_ipv4(0x20, 0x01, 0x0d, 0xb8, 32);
	RTM_ROUTE_HANDLE r6 = test_route(a6, p6, nh6, 10, 1, RTM_VIEW_MASK_UCAST);
	test_dest_info_buf di;
	expect_eq(RtmGetExactMatchDestination(a4, &p4, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ANY, &di.info),
		  ERROR_NOT_FOUND);
	expect_eq(RtmGetExactMatchDestination(b6, &p6, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ANY, &di.info),
		  ERROR_NOT_FOUND);
	RTM_ROUTE_HANDLE r4 = test_route(a4, p4, nh4, 10, 1, RTM_VIEW_MASK_UCAST);
	expect_eq(RtmGetExactMatchDestination(a6, &p6, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info), NO_ERROR);
	expect_dest(&di.info, p6, __LINE__);
	expect_eq(di.info.ViewInfo[0].NumRoutes, 1);
	ok(di.info.ViewInfo[0].Route == r6, "route %p\n", di.info.ViewInfo[0].Route);
	expect_eq(RtmReleaseDestInfo(a6, &di.info), NO_ERROR);
	/* the IPv4 table reads 4 bytes only: the rest of AddrBits does not matter */
	RTM_NET_ADDRESS p4x = p4;
	memset(p4x.AddrBits + 4, 0xee, 12);
	expect_eq(RtmGetExactMatchDestination(a4, &p4x, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info), NO_ERROR);
	expect_eq(di.info.DestAddress.AddressFamily, AF_INET);
	static const UCHAR want4[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	ok(!memcmp(di.info.DestAddress.AddrBits, want4, 16), "IPv4 address not canonical\n");
	expect_eq(RtmReleaseDestInfo(a4, &di.info), NO_ERROR);
	/* an IPv6 /32 lookup of the IPv4 bytes does not see the IPv4 destination, and vice versa */
	RTM_NET_ADDRESS host6 = v6("20010db8000000000000000000000001", 128);
	expect_eq(RtmGetMostSpecificDestination(a6, &host6, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info),
		  NO_ERROR);
	expect_dest(&di.info, p6, __LINE__);
	expect_eq(RtmReleaseDestInfo(a6, &di.info), NO_ERROR);
	/* handles of one table are invalid in the other */
	expect_eq(RtmGetRouteInfo(a4, r6, NULL, NULL), ERROR_INVALID_HANDLE);
	expect_eq(RtmGetRouteInfo(a6, r4, NULL, NULL), ERROR_INVALID_HANDLE);
	expect_eq(RtmGetRouteInfo(b6, r6, NULL, NULL), ERROR_INVALID_HANDLE);
	expect_eq(RtmReleaseRoutes(a4, 1, &r6), ERROR_INVALID_HANDLE);
	expect_eq(RtmReleaseNextHops(a6, 1, &nh4), ERROR_INVALID_HANDLE);

	expect_eq(RtmReleaseRoutes(a6, 1, &r6), NO_ERROR);
	expect_eq(RtmReleaseRoutes(a4, 1, &r4), NO_ERROR);
	expect_eq(RtmReleaseNextHops(a6, 1, &nh6), NO_ERROR);
	expect_eq(RtmReleaseNextHops(a4, 1, &nh4), NO_ERROR);
	test_deregister(a6);
	test_deregister(a4);
	test_deregister(b6);
	expect_no_live_objects();
}

/* canonical prefixes and next-hop identities across the whole 128 bits */
static void test_canonical(void)
{
	RTM_ENTITY_HANDLE a = test_register(0, AF_INET6, PROTO_A, 0, NULL);
	RTM_NEXTHOP_HANDLE nh = test_nexthop(a, v6("fe800000000000000000000000000001", 128), 1);
	static const struct {
		const char *addr;
		unsigned len;
	} cases[] = {
		{ "ffffffffffffffffffffffffffffffff", 128 }, { "ffffffffffffffffffffffffffffffff", 127 },
		{ "ffffffffffffffffffffffffffffffff", 121 }, { "ffffffffffffffffffffffffffffffff", 120 },
		{ "ffffffffffffffffffffffffffffffff", 65 },  { "ffffffffffffffffffffffffffffffff", 64 },
		{ "ffffffffffffffffffffffffffffffff", 61 },  { "ffffffffffffffffffffffffffffffff", 33 },
		{ "ffffffffffffffffffffffffffffffff", 1 },   { "ffffffffffffffffffffffffffffffff", 0 },
		{ "20010db8000100020000000000000001", 128 }, { "20010db8000100020000000000000001", 64 },
	};
	RTM_ROUTE_HANDLE rs[16];
	int n = (int)(sizeof(cases) / sizeof(cases[0]));
	for (int i = 0; i < n; i++) {
		RTM_NET_ADDRESS in = v6(cases[i].addr, cases[i].len), want = in;
		canon(&want, 16);
		in.AddressFamily = (i & 1) ? 0 : AF_INET; /* the family field is not checked (resolution 3) */
		test_route_info_buf rb;
		test_fill_route(&rb.info, nh, 10, (ULONG)i, RTM_VIEW_MASK_UCAST);
		rs[i] = NULL;
		DWORD flags = 0;
		expect_eq(RtmAddRouteToDest(a, &rs[i], &in, &rb.info, INFINITE, NULL, 0, NULL, &flags), NO_ERROR);
		ok(flags & RTM_ROUTE_CHANGE_NEW, "case %d: not a new destination's route\n", i);
		RTM_NET_ADDRESS got;
		expect_eq(RtmGetRouteInfo(a, rs[i], NULL, &got), NO_ERROR);
		char g[64], w[64];
		print_addr(g, &got);
		print_addr(w, &want);
		ok(got.AddressFamily == AF_INET6 && same_prefix(&got, &want), "case %d: got %s, expected %s\n", i, g,
		   w);
		/* the canonical form and the original find the same destination */
		test_dest_info_buf di;
		expect_eq(RtmGetExactMatchDestination(a, &want, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info),
			  NO_ERROR);
		expect_dest(&di.info, want, __LINE__);
		expect_eq(di.info.ViewInfo[0].NumRoutes, 1);
		expect_eq(RtmReleaseDestInfo(a, &di.info), NO_ERROR);
	}
	expect_eq(test_live_count(RTM_TEST_COUNT_DESTS), (DWORD)n);

	/* next hops: identity is the canonical prefix + interface */
	RTM_NEXTHOP_INFO q;
	memset(&q, 0, sizeof(q));
	q.NextHopAddress = v6("fe800000000000000000000000000001", 128);
	q.InterfaceIndex = 1;
	RTM_NEXTHOP_HANDLE f = NULL;
	expect_eq(RtmFindNextHop(a, &q, &f, NULL), NO_ERROR);
	ok(f == nh, "found %p, expected %p\n", f, nh);
	expect_eq(RtmReleaseNextHops(a, 1, &f), NO_ERROR);
	q.NextHopAddress = v6("fe800000000000000000000000000000", 128);
	expect_eq(RtmFindNextHop(a, &q, NULL, NULL), ERROR_NOT_FOUND);
	q.NextHopAddress = v6("fe80000000000000ffffffffffffffff", 64);
	RTM_NEXTHOP_HANDLE n64 = NULL, n64b = NULL;
	expect_eq(RtmAddNextHop(a, &q, &n64, NULL), NO_ERROR);
	q.NextHopAddress = v6("fe800000000000000123456789abcdef", 64);
	RTM_NEXTHOP_CHANGE_FLAGS cf = 0xdead;
	expect_eq(RtmAddNextHop(a, &q, &n64b, &cf), NO_ERROR);
	ok(n64b == n64, "fe80::/64 with other host bits is another next hop: %p %p\n", n64, n64b);
	expect_eq(cf, 0);
	RTM_NEXTHOP_INFO ni;
	expect_eq(RtmGetNextHopInfo(a, n64, &ni), NO_ERROR);
	RTM_NET_ADDRESS w64 = v6("fe800000000000000000000000000000", 64);
	ok(ni.NextHopAddress.AddressFamily == AF_INET6 && same_prefix(&ni.NextHopAddress, &w64),
	   "next hop address not canonical\n");
	expect_eq(RtmReleaseNextHopInfo(a, &ni), NO_ERROR);
	q.InterfaceIndex = 2;
	expect_eq(RtmFindNextHop(a, &q, NULL, NULL), ERROR_NOT_FOUND);
	RTM_NEXTHOP_HANDLE nn[2] = { n64, n64b };
	expect_eq(RtmReleaseNextHops(a, 2, nn), NO_ERROR);

	/* 128 is the limit */
	RTM_NET_ADDRESS bad = v6("20010db8000000000000000000000000", 129);
	test_route_info_buf rb;
	test_fill_route(&rb.info, nh, 10, 1, RTM_VIEW_MASK_UCAST);
	expect_eq(RtmAddRouteToDest(a, NULL, &bad, &rb.info, INFINITE, NULL, 0, NULL, NULL), ERROR_INVALID_PARAMETER);
	expect_eq(test_live_count(RTM_TEST_COUNT_DESTS), (DWORD)n);

	expect_eq(RtmReleaseRoutes(a, (UINT)n, rs), NO_ERROR);
	expect_eq(RtmReleaseNextHops(a, 1, &nh), NO_ERROR);
	test_deregister(a);
	expect_no_live_objects();
}

/* lookups, including the walk up to ::/0, best route and exact-match route */
static void test_lookups(void)
{
	RTM_ENTITY_HANDLE a = test_register(0, AF_INET6, PROTO_A, 0, NULL);
	RTM_ENTITY_HANDLE b = test_register(0, AF_INET6, PROTO_A + 1, 0, NULL);
	RTM_NEXTHOP_HANDLE na = test_nexthop(a, v6("fe800000000000000000000000000001", 128), 1);
	RTM_NEXTHOP_HANDLE nb = test_nexthop(b, v6("fe800000000000000000000000000002", 128), 2);
	const char *chain[5] = {
		"00000000000000000000000000000000", "20010db8000000000000000000000000",
		"20010db8000100000000000000000000", "20010db8000100020000000000000000",
		"20010db8000100020000000000000001",
	};
	static const unsigned lens[5] = { 0, 32, 48, 64, 128 };
	RTM_ROUTE_HANDLE r[5];
	for (int i = 0; i < 5; i++)
		r[i] = test_route(a, v6(chain[i], lens[i]), na, 10, 1, RTM_VIEW_MASK_UCAST);
	/* b is better on the /64, in multicast only */
	RTM_ROUTE_HANDLE rb64 = test_route(b, v6(chain[3], 64), nb, 5, 1, RTM_VIEW_MASK_MCAST);

	test_dest_info_buf cur, nxt;
	RTM_NET_ADDRESS host = v6("20010db8000100020000000000000001", 128);
	expect_eq(RtmGetMostSpecificDestination(a, &host, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &cur.info), NO_ERROR);
	expect_dest(&cur.info, host, __LINE__);
	for (int i = 3; i >= 0; i--) {
		DWORD err = RtmGetLessSpecificDestination(a, cur.info.DestHandle, RTM_BEST_PROTOCOL,
							  RTM_VIEW_MASK_UCAST, &nxt.info);
		ok(err == NO_ERROR, "walk to /%u: %lu\n", lens[i], (unsigned long)err);
		if (err)
			break;
		expect_dest(&nxt.info, v6(chain[i], lens[i]), __LINE__);
		expect_eq(RtmReleaseDestInfo(a, &cur.info), NO_ERROR);
		cur = nxt;
	}
	expect_eq(RtmGetLessSpecificDestination(a, cur.info.DestHandle, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST,
						&nxt.info),
		  ERROR_NOT_FOUND);
	expect_eq(RtmReleaseDestInfo(a, &cur.info), NO_ERROR);

	/* other hosts of the /64, outside it, outside everything but ::/0 */
	RTM_NET_ADDRESS q = v6("20010db80001000200000000000000ff", 128);
	expect_eq(RtmGetMostSpecificDestination(a, &q, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &cur.info), NO_ERROR);
	expect_dest(&cur.info, v6(chain[3], 64), __LINE__);
	expect_eq(cur.info.ViewInfo[0].NumRoutes, 1);
	ok(cur.info.ViewInfo[0].Route == r[3], "ucast best %p\n", cur.info.ViewInfo[0].Route);
	expect_eq(RtmReleaseDestInfo(a, &cur.info), NO_ERROR);
	expect_eq(RtmGetMostSpecificDestination(a, &q, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_MCAST, &cur.info), NO_ERROR);
	expect_dest(&cur.info, v6(chain[3], 64), __LINE__);
	ok(cur.info.ViewInfo[0].Route == rb64 && cur.info.ViewInfo[0].Owner == b, "mcast best %p\n",
	   cur.info.ViewInfo[0].Route);
	expect_eq(RtmReleaseDestInfo(a, &cur.info), NO_ERROR);
	q = v6("20010db8000300000000000000000000", 128);
	expect_eq(RtmGetMostSpecificDestination(a, &q, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &cur.info), NO_ERROR);
	expect_dest(&cur.info, v6(chain[1], 32), __LINE__);
	expect_eq(RtmReleaseDestInfo(a, &cur.info), NO_ERROR);
	q = v6("fd000000000000000000000000000000", 8);
	expect_eq(RtmGetMostSpecificDestination(a, &q, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &cur.info), NO_ERROR);
	expect_dest(&cur.info, v6(chain[0], 0), __LINE__);
	expect_eq(RtmReleaseDestInfo(a, &cur.info), NO_ERROR);
	expect_eq(RtmGetMostSpecificDestination(a, &q, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_MCAST, &cur.info),
		  ERROR_NOT_FOUND);
	/* exact match: /63 and /65 around the /64 are absent */
	q = v6(chain[3], 63);
	expect_eq(RtmGetExactMatchDestination(a, &q, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ANY, &cur.info), ERROR_NOT_FOUND);
	q = v6(chain[3], 65);
	expect_eq(RtmGetExactMatchDestination(a, &q, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ANY, &cur.info), ERROR_NOT_FOUND);

	/* exact-match route and best route on the /64 */
	test_route_info_buf crit;
	RTM_ROUTE_HANDLE h = NULL;
	RTM_NET_ADDRESS p64 = v6(chain[3], 64);
	memset(&crit, 0, sizeof(crit));
	expect_eq(RtmGetExactMatchRoute(a, &p64, RTM_MATCH_NONE, &crit.info, 0, RTM_VIEW_MASK_ANY, &h), NO_ERROR);
	ok(h == rb64, "first route %p, expected %p\n", h, rb64);
	expect_eq(RtmReleaseRouteInfo(a, &crit.info), NO_ERROR);
	expect_eq(RtmReleaseRoutes(a, 1, &h), NO_ERROR);
	memset(&crit, 0, sizeof(crit));
	expect_eq(RtmGetExactMatchRoute(a, &p64, RTM_MATCH_INTERFACE, &crit.info, 1, RTM_VIEW_MASK_ANY, &h), NO_ERROR);
	ok(h == r[3], "interface 1 route %p\n", h);
	expect_eq(RtmReleaseRouteInfo(a, &crit.info), NO_ERROR);
	expect_eq(RtmReleaseRoutes(a, 1, &h), NO_ERROR);
	RTM_VIEW_SET bv = 0;
	expect_eq(RtmIsBestRoute(a, r[3], &bv), NO_ERROR);
	expect_eq(bv, RTM_VIEW_MASK_UCAST);
	expect_eq(RtmIsBestRoute(a, rb64, &bv), NO_ERROR);
	expect_eq(bv, RTM_VIEW_MASK_MCAST);

	expect_eq(RtmReleaseRoutes(a, 5, r), NO_ERROR);
	expect_eq(RtmReleaseRoutes(b, 1, &rb64), NO_ERROR);
	expect_eq(RtmReleaseNextHops(a, 1, &na), NO_ERROR);
	expect_eq(RtmReleaseNextHops(b, 1, &nb), NO_ERROR);
	test_deregister(a);
	test_deregister(b);
	expect_no_live_objects();
}

/* ---- random nested prefixes against a brute-force model --------------------------------------- */

#define NRANDOM 4000
#define NQUERIES 8000

static unsigned rng = 0x12345678u;
static unsigned rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static RTM_NET_ADDRESS model[NRANDOM];
static int present[NRANDOM];
static int nmodel;

static int covers(const RTM_NET_ADDRESS *p, const RTM_NET_ADDRESS *q)
{
	unsigned n = p->NumBits;
	if (n > q->NumBits)
		return 0;
	if (memcmp(p->AddrBits, q->AddrBits, n / 8))
		return 0;
	if (n % 8) {
		UCHAR m = (UCHAR)(0xFF << (8 - n % 8));
		if ((p->AddrBits[n / 8] ^ q->AddrBits[n / 8]) & m)
			return 0;
	}
	return 1;
}

/* longest present prefix covering q with length <= maxlen, or -1 */
static int brute_longest(const RTM_NET_ADDRESS *q, unsigned maxlen)
{
	int best = -1;
	for (int i = 0; i < nmodel; i++)
		if (present[i] && model[i].NumBits <= maxlen && covers(&model[i], q) &&
		    (best < 0 || model[i].NumBits > model[best].NumBits))
			best = i;
	return best;
}

static RTM_NET_ADDRESS random_address(void)
{
	static const char *tops[3] = { "20010db8", "fe800000", "fd00abcd" };
	RTM_NET_ADDRESS a;
	memset(&a, 0, sizeof(a));
	a.AddressFamily = AF_INET6;
	a.NumBits = 128;
	const char *t = tops[rnd() % 3];
	for (int i = 0; i < 4; i++) {
		unsigned b;
		sscanf(t + 2 * i, "%2x", &b);
		a.AddrBits[i] = (UCHAR)b;
	}
	/* few distinct values per byte so prefixes nest and share long paths */
	for (int i = 4; i < 16; i++)
		a.AddrBits[i] = (UCHAR)((rnd() % 3) * 0x55);
	return a;
}

static void test_random_model(void)
{
	RTM_ENTITY_HANDLE a = test_register(0, AF_INET6, PROTO_A, 7, NULL);
	RTM_NEXTHOP_HANDLE nh = test_nexthop(a, v6("fe800000000000000000000000000001", 128), 1);
	test_route_info_buf rb;
	test_fill_route(&rb.info, nh, 10, 1, RTM_VIEW_MASK_UCAST);
	unsigned bad_add = 0, bad_exact = 0, bad_longest = 0, bad_less = 0;

	nmodel = 0;
	for (int i = 0; i < NRANDOM; i++) {
		RTM_NET_ADDRESS p = random_address();
		unsigned r = rnd() % 10;
		p.NumBits = (USHORT)(r < 2 ? 128 : r < 4 ? 64 : rnd() % 129);
		RTM_NET_ADDRESS c = p;
		canon(&c, 16);
		int dup = -1;
		for (int j = 0; j < nmodel; j++)
			if (same_prefix(&model[j], &c))
				dup = j;
		DWORD flags = 0;
		DWORD err = RtmAddRouteToDest(a, NULL, &p, &rb.info, INFINITE, NULL, 0, NULL, &flags);
		if (err != NO_ERROR || !!(flags & RTM_ROUTE_CHANGE_NEW) != (dup < 0))
			bad_add++;
		if (dup < 0) {
			model[nmodel] = c;
			present[nmodel++] = 1;
		}
	}
	ok(bad_add == 0, "%u adds failed or misreported CHANGE_NEW\n", bad_add);
	expect_eq(test_live_count(RTM_TEST_COUNT_DESTS), (DWORD)nmodel);

	for (int round = 0; round < 2; round++) {
		/* every model prefix: exact match per presence */
		for (int i = 0; i < nmodel; i++) {
			test_dest_info_buf di;
			DWORD err = RtmGetExactMatchDestination(a, &model[i], RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST,
								&di.info);
			if (present[i]) {
				if (err != NO_ERROR || !same_prefix(&di.info.DestAddress, &model[i]))
					bad_exact++;
			} else if (err != ERROR_NOT_FOUND)
				bad_exact++;
			if (err == NO_ERROR)
				RtmReleaseDestInfo(a, &di.info);
		}
		/* random queries of random lengths: longest match, then one step up */
		for (int i = 0; i < NQUERIES; i++) {
			RTM_NET_ADDRESS q = random_address();
			q.NumBits = (USHORT)(rnd() % 4 ? 128 : rnd() % 129);
			int want = brute_longest(&q, q.NumBits);
			test_dest_info_buf di;
			DWORD err = RtmGetMostSpecificDestination(a, &q, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST,
								  &di.info);
			if (want < 0) {
				if (err != ERROR_NOT_FOUND)
					bad_longest++;
				if (err == NO_ERROR)
					RtmReleaseDestInfo(a, &di.info);
				continue;
			}
			if (err != NO_ERROR || !same_prefix(&di.info.DestAddress, &model[want]) ||
			    di.info.DestAddress.AddressFamily != AF_INET6) {
				if (bad_longest++ < 5) {
					char qs[64], ws[64], gs[64];
					print_addr(qs, &q);
					print_addr(ws, &model[want]);
					print_addr(gs, &di.info.DestAddress);
					printf("longest match of %s: err %lu got %s expected %s\n", qs, (unsigned long)err,
					       err ? "-" : gs, ws);
				}
				if (err == NO_ERROR)
					RtmReleaseDestInfo(a, &di.info);
				continue;
			}
			int up = model[want].NumBits ? brute_longest(&model[want], model[want].NumBits - 1u) : -1;
			test_dest_info_buf ui;
			DWORD e2 = RtmGetLessSpecificDestination(a, di.info.DestHandle, RTM_BEST_PROTOCOL,
								 RTM_VIEW_MASK_UCAST, &ui.info);
			if (up < 0 ? e2 != ERROR_NOT_FOUND
				   : (e2 != NO_ERROR || !same_prefix(&ui.info.DestAddress, &model[up])))
				bad_less++;
			if (e2 == NO_ERROR)
				RtmReleaseDestInfo(a, &ui.info);
			RtmReleaseDestInfo(a, &di.info);
		}
		ok(bad_exact == 0, "round %d: %u exact matches wrong\n", round, bad_exact);
		ok(bad_longest == 0, "round %d: %u longest matches wrong\n", round, bad_longest);
		ok(bad_less == 0, "round %d: %u less-specific steps wrong\n", round, bad_less);
		if (round)
			break;
		/* delete about half, then check again */
		unsigned bad_del = 0;
		for (int i = 0; i < nmodel; i++) {
			if (rnd() % 2)
				continue;
			RTM_ROUTE_HANDLE h = NULL;
			test_route_info_buf crit;
			memset(&crit, 0, sizeof(crit));
			DWORD err = RtmGetExactMatchRoute(a, &model[i], RTM_MATCH_NONE, &crit.info, 0, RTM_VIEW_MASK_ANY,
							  &h);
			if (err == NO_ERROR) {
				RtmReleaseRouteInfo(a, &crit.info);
				err = RtmDeleteRouteToDest(a, h, NULL);
			}
			if (err != NO_ERROR)
				bad_del++;
			present[i] = 0;
		}
		ok(bad_del == 0, "%u deletes failed\n", bad_del);
		int left = 0;
		for (int i = 0; i < nmodel; i++)
			left += present[i];
		expect_eq(test_live_count(RTM_TEST_COUNT_DESTS), (DWORD)left);
	}

	expect_eq(RtmReleaseNextHops(a, 1, &nh), NO_ERROR);
	test_deregister(a);
	expect_no_live_objects();
}

int main(void)
{
	test_registration_and_separation();
	test_canonical();
	test_lookups();
	test_random_model();
	return test_finish();
}

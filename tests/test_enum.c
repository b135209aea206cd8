/*
 * test_enum.c - destination and next-hop enumerations, RtmDeleteEnumHandle
 * and the misuse of enumeration handles (spec functions-2 §2, §0.4-§0.9).
 * Route enumerations are in test_enum_route.c, threads in test_enum_mt.c.
 */
#include "test_enum_util.h"

static const uint8_t *v4(unsigned a, unsigned b, unsigned c, unsigned d)
{
	static uint8_t ring[32][16];
	static unsigned next;
	uint8_t *p = ring[next++ % 32];
	memset(p, 0, 16);
	p[0] = (uint8_t)a, p[1] = (uint8_t)b, p[2] = (uint8_t)c, p[3] = (uint8_t)d;
	return p;
}

static pfx P4(unsigned a, unsigned b, unsigned c, unsigned d, unsigned len) { return pfx_make(v4(a, b, c, d), len); }

static pfx P6(unsigned g0, unsigned g1, unsigned g2, unsigned g3, unsigned len)
{
	RTM_NET_ADDRESS n = test_ipv6(g0, g1, g2, g3, len);
	return pfx_of(&n);
}

/* add one route of reg per prefix; route handles released */
static void add_prefixes(RTM_ENTITY_HANDLE reg, const pfx *p, unsigned n, USHORT family, DWORD views)
{
	for (unsigned i = 0; i < n; i++) {
		RTM_ROUTE_HANDLE r = test_route(reg, pfx_addr(&p[i], family), NULL, 10, 1, views);
		RtmReleaseRoutes(reg, 1, &r);
	}
}

/* the example of §0.4, in a scrambled order */
static const pfx *example4(unsigned *n)
{
	static pfx p[10];
	p[0] = P4(192, 168, 0, 0, 24);
	p[1] = P4(10, 0, 1, 0, 24);
	p[2] = P4(0, 0, 0, 0, 0);
	p[3] = P4(11, 0, 0, 0, 8);
	p[4] = P4(10, 128, 0, 0, 9);
	p[5] = P4(10, 0, 0, 0, 16);
	p[6] = P4(192, 168, 0, 0, 16);
	p[7] = P4(10, 1, 0, 0, 16);
	p[8] = P4(10, 0, 0, 0, 8);
	p[9] = P4(10, 0, 0, 0, 24);
	*n = 10;
	return p;
}

/* one position (flags + address) against the model, at several batch sizes */
static void check_walk(RTM_ENTITY_HANDLE reg, const pfx *sorted, unsigned n, RTM_ENUM_FLAGS flags, const pfx *from,
		       USHORT family, const char *what)
{
	static pfx want[4096], got[4096];
	unsigned nw = model_select(sorted, n, flags, from, want);
	static const UINT batches[] = { 1, 2, 3, 7, 100 };
	for (unsigned b = 0; b < sizeof(batches) / sizeof(batches[0]); b++) {
		int ng = enum_dests(reg, 0, flags, from, family, RTM_BEST_PROTOCOL, batches[b], got, 4096, NULL, NULL);
		char label[128];
		sprintf(label, "%s (batch %u)", what, batches[b]);
		expect_prefixes(label, got, ng, want, nw, family == AF_INET6);
	}
}

static void test_order_ipv4(void)
{
	RTM_ENTITY_HANDLE reg = test_register(101, AF_INET, 1, 1, NULL);
	pfx got[16];

	/* empty table */
	ok(enum_dests(reg, 0, RTM_ENUM_START, NULL, AF_INET, 0, 1, got, 16, NULL, NULL) == 0, "empty table\n");
	ok(enum_dests(reg, RTM_VIEW_MASK_ALL, RTM_ENUM_START, NULL, AF_INET, 0, 100, got, 16, NULL, NULL) == 0,
	   "empty table, all views\n");

	unsigned n;
	const pfx *ex = example4(&n);
	add_prefixes(reg, ex, n, AF_INET, RTM_VIEW_MASK_UCAST);
	static const pfx order[10] = {
		{ { 0 }, 0 },          { { 10 }, 8 },        { { 10 }, 16 },      { { 10 }, 24 },
		{ { 10, 0, 1 }, 24 },  { { 10, 1 }, 16 },    { { 10, 128 }, 9 },  { { 11 }, 8 },
		{ { 192, 168 }, 16 },  { { 192, 168 }, 24 },
	};
	check_walk(reg, order, 10, RTM_ENUM_START, NULL, AF_INET, "START");

	pfx from;
	from = P4(10, 0, 0, 0, 8);
	check_walk(reg, order, 10, RTM_ENUM_RANGE, &from, AF_INET, "RANGE 10/8");
	from = P4(10, 0, 0, 0, 16);
	check_walk(reg, order, 10, RTM_ENUM_RANGE, &from, AF_INET, "RANGE 10.0/16");
	from = P4(10, 0, 0, 0, 12); /* not in the table, cuts between 10/8 and 10.0/16; holds 10.1/16 */
	check_walk(reg, order, 10, RTM_ENUM_RANGE, &from, AF_INET, "RANGE 10.0/12");
	from = P4(10, 0, 0, 0, 9);
	check_walk(reg, order, 10, RTM_ENUM_RANGE, &from, AF_INET, "RANGE 10.0/9");
	from = P4(10, 128, 0, 0, 9);
	check_walk(reg, order, 10, RTM_ENUM_RANGE, &from, AF_INET, "RANGE 10.128/9");
	from = P4(0, 0, 0, 0, 0);
	check_walk(reg, order, 10, RTM_ENUM_RANGE, &from, AF_INET, "RANGE 0/0");
	from = P4(192, 168, 0, 0, 32);
	check_walk(reg, order, 10, RTM_ENUM_RANGE, &from, AF_INET, "RANGE 192.168.0.0/32");
	from = P4(12, 0, 0, 0, 8);
	check_walk(reg, order, 10, RTM_ENUM_RANGE, &from, AF_INET, "RANGE 12/8 (empty)");
	from = P4(10, 0, 0, 0, 8);
	check_walk(reg, order, 10, RTM_ENUM_RANGE | RTM_ENUM_NEXT, &from, AF_INET, "NEXT|RANGE 10/8");

	from = P4(10, 0, 1, 0, 24);
	check_walk(reg, order, 10, RTM_ENUM_NEXT, &from, AF_INET, "NEXT 10.0.1/24 (inclusive)");
	from = P4(10, 0, 0, 128, 25);
	check_walk(reg, order, 10, RTM_ENUM_NEXT, &from, AF_INET, "NEXT 10.0.0.128/25 (absent)");
	from = P4(10, 0, 0, 0, 20);
	check_walk(reg, order, 10, RTM_ENUM_NEXT, &from, AF_INET, "NEXT 10.0/20 (absent, inside)");
	from = P4(200, 0, 0, 0, 8);
	check_walk(reg, order, 10, RTM_ENUM_NEXT, &from, AF_INET, "NEXT 200/8 (past the end)");
	from = P4(0, 0, 0, 0, 0);
	check_walk(reg, order, 10, RTM_ENUM_NEXT, &from, AF_INET, "NEXT 0/0");

	/* host bits in the given address are ignored (canonicalised) */
	RTM_NET_ADDRESS a = test_ipv4(10, 0, 1, 77, 24);
	RTM_ENUM_HANDLE h;
	ok(RtmCreateDestEnum(reg, 0, RTM_ENUM_NEXT, &a, 0, &h) == NO_ERROR, "create\n");
	int ng = (int)drain_dests(reg, h, 100, got, 16, NULL, NULL);
	from = P4(10, 0, 1, 0, 24);
	pfx want[16];
	unsigned nw = model_select(order, 10, RTM_ENUM_NEXT, &from, want);
	expect_prefixes("NEXT 10.0.1.77/24", got, ng, want, nw, 0);
	RtmDeleteEnumHandle(reg, h);

	/* START ignores NetAddress */
	a = test_ipv4(192, 168, 0, 0, 99);
	ok(RtmCreateDestEnum(reg, 0, RTM_ENUM_START, &a, 0, &h) == NO_ERROR, "START with a bad address\n");
	ok(drain_dests(reg, h, 100, got, 16, NULL, NULL) == 10, "START reads no address\n");
	RtmDeleteEnumHandle(reg, h);

	RtmDeregisterEntity(reg);
}

static void test_order_ipv6(void)
{
	RTM_ENTITY_HANDLE reg = test_register(102, AF_INET6, 1, 1, NULL);
	pfx got[16];
	ok(enum_dests(reg, 0, RTM_ENUM_START, NULL, AF_INET6, 0, 3, got, 16, NULL, NULL) == 0, "empty v6 table\n");
	pfx p[12];
	unsigned n = 0;
	p[n++] = P6(0x2001, 0x0db8, 0, 1, 64);
	p[n++] = P6(0, 0, 0, 0, 0);
	p[n++] = P6(0x2001, 0x0db8, 0, 0, 32);
	p[n++] = P6(0xfe80, 0, 0, 0, 10);
	p[n++] = P6(0x2001, 0x0db8, 0x8000, 0, 33);
	p[n++] = P6(0x2001, 0x0db8, 0, 0, 48);
	p[n++] = P6(0x2001, 0x0db8, 0, 0, 128);
	p[n++] = P6(0x2001, 0x0db8, 0xffff, 0xffff, 64);
	p[n++] = P6(0x2002, 0, 0, 0, 16);
	{
		RTM_NET_ADDRESS x = test_ipv6(0x2001, 0x0db8, 0, 0, 128);
		x.AddrBits[15] = 1; /* 2001:db8::1/128 */
		p[n++] = pfx_of(&x);
		x.AddrBits[15] = 0xff;
		x.AddrBits[0] = 0xff; /* ff01:db8::ff/128, a long prefix at the far end */
		p[n++] = pfx_of(&x);
	}
	add_prefixes(reg, p, n, AF_INET6, RTM_VIEW_MASK_UCAST);
	pfx sorted[12];
	memcpy(sorted, p, sizeof(p[0]) * n);
	pfx_sort(sorted, n);
	check_walk(reg, sorted, n, RTM_ENUM_START, NULL, AF_INET6, "v6 START");
	pfx from = P6(0x2001, 0x0db8, 0, 0, 32);
	check_walk(reg, sorted, n, RTM_ENUM_RANGE, &from, AF_INET6, "v6 RANGE 2001:db8::/32");
	from = P6(0x2001, 0x0db8, 0, 0, 40); /* cuts through /32 .. /48 */
	check_walk(reg, sorted, n, RTM_ENUM_RANGE, &from, AF_INET6, "v6 RANGE 2001:db8::/40");
	from = P6(0x2001, 0x0db8, 0, 0, 127);
	check_walk(reg, sorted, n, RTM_ENUM_RANGE, &from, AF_INET6, "v6 RANGE 2001:db8::/127");
	from = P6(0x2001, 0x0db8, 0, 0, 49);
	check_walk(reg, sorted, n, RTM_ENUM_NEXT, &from, AF_INET6, "v6 NEXT 2001:db8::/49 (absent)");
	from = P6(0x2001, 0x0db8, 0x8000, 0, 33);
	check_walk(reg, sorted, n, RTM_ENUM_NEXT, &from, AF_INET6, "v6 NEXT 2001:db8:8000::/33");
	from = P6(0xffff, 0, 0, 0, 16);
	check_walk(reg, sorted, n, RTM_ENUM_NEXT, &from, AF_INET6, "v6 NEXT ffff::/16 (past the end)");

	/* NumBits above 128 */
	RTM_NET_ADDRESS a = test_ipv6(0x2001, 0, 0, 0, 129);
	RTM_ENUM_HANDLE h = (RTM_ENUM_HANDLE)0x1234;
	ok(RtmCreateDestEnum(reg, 0, RTM_ENUM_RANGE, &a, 0, &h) == ERROR_INVALID_PARAMETER, "v6 /129\n");
	ok(h == (RTM_ENUM_HANDLE)0x1234, "output written on failure\n");
	a.NumBits = 128;
	ok(RtmCreateDestEnum(reg, 0, RTM_ENUM_RANGE, &a, 0, &h) == NO_ERROR, "v6 /128\n");
	RtmDeleteEnumHandle(reg, h);
	RtmDeregisterEntity(reg);
}

/* random prefixes with short lengths (lots of nesting), random walks against the model */
static void test_random_walks(USHORT family, USHORT instance, uint32_t seed)
{
	enum { N = 600 };
	RTM_ENTITY_HANDLE reg = test_register(instance, family, 1, 1, NULL);
	unsigned width = family == AF_INET ? 32 : 128;
	static pfx all[N], sorted[N], got[N], want[N];
	unsigned n = 0;
	while (n < N) {
		uint8_t b[16] = { 0 };
		for (int i = 0; i < 16; i++)
			b[i] = (uint8_t)test_rand(&seed);
		b[0] = (uint8_t)(b[0] & 0x0F); /* crowd them together */
		unsigned len = test_rand(&seed) % (width + 1);
		if (len > 24 && test_rand(&seed) % 2)
			len = 4 + test_rand(&seed) % 20;
		pfx p = pfx_make(b, len);
		unsigned j = 0;
		while (j < n && !pfx_eq(&all[j], &p))
			j++;
		if (j == n)
			all[n++] = p;
	}
	add_prefixes(reg, all, n, family, RTM_VIEW_MASK_UCAST);
	memcpy(sorted, all, sizeof(all));
	pfx_sort(sorted, n);
	int ng = enum_dests(reg, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, NULL, family, 0, 100, got, N, NULL, NULL);
	expect_prefixes("random START", got, ng, sorted, n, family == AF_INET6);
	for (int round = 0; round < 60; round++) {
		RTM_ENUM_FLAGS flags = round % 2 ? RTM_ENUM_RANGE : RTM_ENUM_NEXT;
		pfx from = test_rand(&seed) % 3 ? all[test_rand(&seed) % n] : got[0];
		if (test_rand(&seed) % 2) { /* a nearby prefix not necessarily in the table */
			from.len = test_rand(&seed) % (width + 1);
			from = pfx_make(from.a, from.len);
		}
		unsigned nw = model_select(sorted, n, flags, &from, want);
		UINT batch = 1 + test_rand(&seed) % 100;
		ng = enum_dests(reg, 0, flags, &from, family, 0, batch, got, N, NULL, NULL);
		char what[64];
		sprintf(what, "random %s round %d batch %u", round % 2 ? "RANGE" : "NEXT", round, batch);
		if (!expect_prefixes(what, got, ng, want, nw, family == AF_INET6))
			break;
	}
	RtmDeregisterEntity(reg);
}

static void test_batches(void)
{
	RTM_ENTITY_HANDLE reg = test_register(103, AF_INET, 1, 1, NULL);
	unsigned n;
	const pfx *ex = example4(&n);
	add_prefixes(reg, ex, n, AF_INET, RTM_VIEW_MASK_UCAST);
	static char buf[TEST_MAX_BATCH * TEST_DEST_STRIDE];
	RTM_ENUM_HANDLE h;
	UINT c;

	/* 10 destinations in batches of 5: full, full, then 0 with the end */
	ok(RtmCreateDestEnum(reg, 0, RTM_ENUM_START, NULL, 0, &h) == NO_ERROR, "create\n");
	c = 0;
	ok(RtmGetEnumDests(reg, h, &c, NULL) == NO_ERROR && c == 0, "count 0, NULL array: NO_ERROR\n");
	c = 5;
	ok(RtmGetEnumDests(reg, h, &c, (PRTM_DEST_INFO)buf) == NO_ERROR && c == 5, "first 5: %u\n", c);
	pfx first = pfx_of(&dest_slot(buf, 0)->DestAddress);
	ok(first.len == 0, "batch starts at 0/0 (count 0 did not move the position): /%u\n", first.len);
	RtmReleaseDests(reg, c, (PRTM_DEST_INFO)buf);
	c = 0;
	ok(RtmGetEnumDests(reg, h, &c, (PRTM_DEST_INFO)buf) == NO_ERROR && c == 0, "count 0 mid-walk\n");
	c = 5;
	ok(RtmGetEnumDests(reg, h, &c, (PRTM_DEST_INFO)buf) == NO_ERROR && c == 5, "next 5: %u\n", c);
	pfx sixth = pfx_of(&dest_slot(buf, 0)->DestAddress);
	pfx want6 = P4(10, 1, 0, 0, 16);
	ok(pfx_eq(&sixth, &want6), "sixth is 10.1/16: /%u\n", sixth.len);
	RtmReleaseDests(reg, c, (PRTM_DEST_INFO)buf);
	c = 5;
	ok(RtmGetEnumDests(reg, h, &c, (PRTM_DEST_INFO)buf) == ERROR_NO_MORE_ITEMS && c == 0, "then the end: %u\n", c);
	/* the end is final, even when something is added behind or ahead */
	RTM_ROUTE_HANDLE r = test_route(reg, test_ipv4(223, 0, 0, 0, 8), NULL, 1, 1, RTM_VIEW_MASK_UCAST);
	c = 5;
	ok(RtmGetEnumDests(reg, h, &c, (PRTM_DEST_INFO)buf) == ERROR_NO_MORE_ITEMS && c == 0, "still the end\n");
	RtmDeleteRouteToDest(reg, r, NULL);
	RtmDeleteEnumHandle(reg, h);

	/* 100 at once: 10 with ERROR_NO_MORE_ITEMS */
	ok(RtmCreateDestEnum(reg, RTM_VIEW_MASK_ALL, RTM_ENUM_START, NULL, 0, &h) == NO_ERROR, "create\n");
	c = 100;
	ok(RtmGetEnumDests(reg, h, &c, (PRTM_DEST_INFO)buf) == ERROR_NO_MORE_ITEMS && c == 10, "10 and the end: %u\n",
	   c);
	/* stride: every slot starts RTM_SIZE_OF_DEST_INFO(2) after the previous one */
	for (UINT i = 0; i < c; i++)
		ok(dest_slot(buf, i)->NumberOfViews == 2 && dest_slot(buf, i)->DestAddress.AddressFamily == AF_INET,
		   "slot %u: views %u family %u\n", i, dest_slot(buf, i)->NumberOfViews,
		   dest_slot(buf, i)->DestAddress.AddressFamily);
	ok(RtmReleaseDests(reg, c, (PRTM_DEST_INFO)buf) == NO_ERROR, "release\n");
	RtmDeleteEnumHandle(reg, h);

	/* exactly 10: NO_ERROR, then 0 with the end */
	ok(RtmCreateDestEnum(reg, 0, RTM_ENUM_START, NULL, 0, &h) == NO_ERROR, "create\n");
	c = 10;
	ok(RtmGetEnumDests(reg, h, &c, (PRTM_DEST_INFO)buf) == NO_ERROR && c == 10, "exactly 10\n");
	RtmReleaseDests(reg, c, (PRTM_DEST_INFO)buf);
	c = 10;
	ok(RtmGetEnumDests(reg, h, &c, (PRTM_DEST_INFO)buf) == ERROR_NO_MORE_ITEMS && c == 0, "then 0\n");
	/* oversized */
	c = 101;
	ok(RtmGetEnumDests(reg, h, &c, (PRTM_DEST_INFO)buf) == ERROR_INVALID_PARAMETER && c == 0, "101: count %u\n", c);
	RtmDeleteEnumHandle(reg, h);

	/* batches of 1: the whole walk */
	pfx got[16];
	ok(enum_dests(reg, 0, RTM_ENUM_START, NULL, AF_INET, 0, 1, got, 16, NULL, NULL) == 10, "batch 1\n");

	/* changes between batches: ahead is seen, behind is not, deleted is not */
	ok(RtmCreateDestEnum(reg, 0, RTM_ENUM_START, NULL, 0, &h) == NO_ERROR, "create\n");
	c = 3; /* 0/0, 10/8, 10.0/16 */
	RtmGetEnumDests(reg, h, &c, (PRTM_DEST_INFO)buf);
	RtmReleaseDests(reg, c, (PRTM_DEST_INFO)buf);
	RTM_ROUTE_HANDLE behind = test_route(reg, test_ipv4(1, 0, 0, 0, 8), NULL, 1, 1, RTM_VIEW_MASK_UCAST);
	RTM_ROUTE_HANDLE ahead = test_route(reg, test_ipv4(10, 0, 0, 0, 23), NULL, 1, 1, RTM_VIEW_MASK_UCAST);
	/* delete 10.1/16 (ahead) and 10/8 (already returned, the position's neighbour) */
	RTM_ROUTE_HANDLE gone[2];
	RTM_NET_ADDRESS a1 = test_ipv4(10, 1, 0, 0, 16), a2 = test_ipv4(10, 0, 0, 0, 8);
	union {
		RTM_ROUTE_INFO i;
		char room[RTM_SIZE_OF_ROUTE_INFO(8)];
	} ri;
	ok(RtmGetExactMatchRoute(reg, &a1, RTM_MATCH_NONE, &ri.i, 0, 0, &gone[0]) == NO_ERROR, "find 10.1/16\n");
	RtmReleaseRouteInfo(reg, &ri.i);
	ok(RtmGetExactMatchRoute(reg, &a2, RTM_MATCH_NONE, &ri.i, 0, 0, &gone[1]) == NO_ERROR, "find 10/8\n");
	RtmReleaseRouteInfo(reg, &ri.i);
	ok(RtmDeleteRouteToDest(reg, gone[0], NULL) == NO_ERROR, "delete\n");
	ok(RtmDeleteRouteToDest(reg, gone[1], NULL) == NO_ERROR, "delete\n");
	int ng = (int)drain_dests(reg, h, 2, got, 16, NULL, NULL);
	static const pfx rest[] = {
		{ { 10 }, 23 }, { { 10 }, 24 }, { { 10, 0, 1 }, 24 }, { { 10, 128 }, 9 },
		{ { 11 }, 8 }, { { 192, 168 }, 16 }, { { 192, 168 }, 24 },
	};
	expect_prefixes("after changes", got, ng, rest, 7, 0);
	RtmDeleteEnumHandle(reg, h);
	RtmDeleteRouteToDest(reg, behind, NULL);
	RtmDeleteRouteToDest(reg, ahead, NULL);
	RtmDeregisterEntity(reg);
}

struct view_ctx {
	RTM_VIEW_SET views;
	RTM_ENTITY_HANDLE a, b;
	ULONG protocol;
	unsigned seen;
};

static void check_view_info(const RTM_DEST_INFO *d, void *vctx)
{
	struct view_ctx *v = vctx;
	v->seen++;
	DWORD mask = v->views == RTM_VIEW_MASK_ALL ? 3 : v->views;
	UINT k = 0;
	for (unsigned id = 0; id < 2; id++)
		if (mask & (1u << id)) {
			ok(d->ViewInfo[k].ViewId == (RTM_VIEW_ID)id, "ViewInfo[%u].ViewId %u, expected %u\n", k,
			   (unsigned)d->ViewInfo[k].ViewId, id);
			k++;
		}
	ok(d->NumberOfViews == k, "NumberOfViews %u, expected %u\n", d->NumberOfViews, k);
	for (UINT i = 0; i < d->NumberOfViews; i++) {
		ok((d->ViewInfo[i].Route != NULL) == (d->ViewInfo[i].Owner != NULL), "Route and Owner together\n");
		if (d->ViewInfo[i].Route) {
			ok(d->ViewInfo[i].NumRoutes > 0, "a route but NumRoutes 0\n");
			if (v->protocol == 20)
				ok(d->ViewInfo[i].Owner == v->b, "protocol 20: owner %p\n", d->ViewInfo[i].Owner);
		}
	}
}

static void test_views_and_protocols(void)
{
	RTM_ENTITY_HANDLE a = test_register(104, AF_INET, 10, 1, NULL);
	RTM_ENTITY_HANDLE b = test_register(104, AF_INET, 20, 1, NULL);
	/* 1/8 ucast (a), 2/8 mcast (a), 3/8 both (a best, b worse), 4/8 ucast a + mcast b */
	RTM_ROUTE_HANDLE r[6];
	r[0] = test_route(a, test_ipv4(1, 0, 0, 0, 8), NULL, 10, 1, RTM_VIEW_MASK_UCAST);
	r[1] = test_route(a, test_ipv4(2, 0, 0, 0, 8), NULL, 10, 1, RTM_VIEW_MASK_MCAST);
	r[2] = test_route(a, test_ipv4(3, 0, 0, 0, 8), NULL, 10, 1, RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST);
	r[3] = test_route(b, test_ipv4(3, 0, 0, 0, 8), NULL, 20, 1, RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST);
	r[4] = test_route(a, test_ipv4(4, 0, 0, 0, 8), NULL, 10, 1, RTM_VIEW_MASK_UCAST);
	r[5] = test_route(b, test_ipv4(4, 0, 0, 0, 8), NULL, 10, 1, RTM_VIEW_MASK_MCAST);
	pfx got[8];
	struct view_ctx v = { 0, a, b, 0, 0 };
	static const RTM_VIEW_SET sets[] = { 0, RTM_VIEW_MASK_UCAST, RTM_VIEW_MASK_MCAST, 3, RTM_VIEW_MASK_ALL };
	static const int counts[] = { 4, 3, 3, 4, 4 };
	for (unsigned i = 0; i < 5; i++) {
		v.views = sets[i];
		v.seen = 0;
		int n = enum_dests(a, sets[i], RTM_ENUM_START, NULL, AF_INET, 0, 2, got, 8, check_view_info, &v);
		ok(n == counts[i], "views %#lx: %d destinations, expected %d\n", (unsigned long)sets[i], n, counts[i]);
		ok(v.seen == (unsigned)n, "checked %u\n", v.seen);
	}
	/* UCAST skips 2/8, MCAST skips 1/8 */
	enum_dests(a, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, NULL, AF_INET, 0, 100, got, 8, NULL, NULL);
	ok(got[0].a[0] == 1 && got[1].a[0] == 3 && got[2].a[0] == 4, "ucast: %u %u %u\n", got[0].a[0], got[1].a[0],
	   got[2].a[0]);
	enum_dests(a, RTM_VIEW_MASK_MCAST, RTM_ENUM_START, NULL, AF_INET, 0, 100, got, 8, NULL, NULL);
	ok(got[0].a[0] == 2 && got[1].a[0] == 3 && got[2].a[0] == 4, "mcast: %u %u %u\n", got[0].a[0], got[1].a[0],
	   got[2].a[0]);

	/* ViewInfo contents of 3/8 and 4/8 with each protocol selector */
	static char buf[TEST_MAX_BATCH * TEST_DEST_STRIDE];
	RTM_NET_ADDRESS from = test_ipv4(3, 0, 0, 0, 8);
	static const ULONG protos[] = { RTM_BEST_PROTOCOL, 20, RTM_THIS_PROTOCOL, 99 };
	for (unsigned p = 0; p < 4; p++) {
		RTM_ENUM_HANDLE h;
		ok(RtmCreateDestEnum(b, RTM_VIEW_MASK_ALL, RTM_ENUM_NEXT, &from, protos[p], &h) == NO_ERROR, "create\n");
		UINT c = 100;
		ok(RtmGetEnumDests(b, h, &c, (PRTM_DEST_INFO)buf) == ERROR_NO_MORE_ITEMS && c == 2, "3/8, 4/8: %u\n", c);
		RTM_DEST_INFO *d3 = dest_slot(buf, 0), *d4 = dest_slot(buf, 1);
		RTM_ROUTE_HANDLE want3 = protos[p] == RTM_BEST_PROTOCOL ? r[2] : protos[p] == 99 ? NULL : r[3];
		ok(d3->ViewInfo[0].Route == want3 && d3->ViewInfo[1].Route == want3, "proto %lu: 3/8 route %p %p, want %p\n",
		   (unsigned long)protos[p], d3->ViewInfo[0].Route, d3->ViewInfo[1].Route, want3);
		ok(d3->ViewInfo[0].NumRoutes == 2 && d3->ViewInfo[1].NumRoutes == 2, "3/8 NumRoutes %u %u\n",
		   d3->ViewInfo[0].NumRoutes, d3->ViewInfo[1].NumRoutes);
		ok(d3->BelongsToViews == 3 && d4->BelongsToViews == 3, "BelongsToViews %#lx %#lx\n",
		   (unsigned long)d3->BelongsToViews, (unsigned long)d4->BelongsToViews);
		RTM_ROUTE_HANDLE want4u = protos[p] == RTM_BEST_PROTOCOL ? r[4] : NULL;
		RTM_ROUTE_HANDLE want4m = protos[p] == 99 ? NULL : r[5];
		ok(d4->ViewInfo[0].Route == want4u && d4->ViewInfo[1].Route == want4m, "proto %lu: 4/8 %p %p\n",
		   (unsigned long)protos[p], d4->ViewInfo[0].Route, d4->ViewInfo[1].Route);
		ok(d4->ViewInfo[0].NumRoutes == 1 && d4->ViewInfo[1].NumRoutes == 1, "4/8 NumRoutes\n");
		ok(RtmReleaseDests(b, c, (PRTM_DEST_INFO)buf) == NO_ERROR, "release\n");
		RtmDeleteEnumHandle(b, h);
	}

	/* own destinations: best route is the caller's in a target view */
	v.views = 0;
	int n = enum_dests(a, 0, RTM_ENUM_OWN_DESTS, NULL, AF_INET, 0, 100, got, 8, NULL, NULL);
	ok(n == 4, "a owns the best route of all four (any view): %d\n", n);
	n = enum_dests(b, 0, RTM_ENUM_OWN_DESTS, NULL, AF_INET, 0, 100, got, 8, NULL, NULL);
	ok(n == 1 && got[0].a[0] == 4, "b owns only 4/8 (mcast): %d, %u\n", n, got[0].a[0]);
	n = enum_dests(b, RTM_VIEW_MASK_UCAST, RTM_ENUM_OWN_DESTS, NULL, AF_INET, 0, 100, got, 8, NULL, NULL);
	ok(n == 0, "b owns nothing in ucast: %d\n", n);
	n = enum_dests(b, RTM_VIEW_MASK_MCAST, RTM_ENUM_OWN_DESTS, NULL, AF_INET, 0, 100, got, 8, NULL, NULL);
	ok(n == 1, "b owns 4/8 in mcast: %d\n", n);
	n = enum_dests(a, RTM_VIEW_MASK_MCAST, RTM_ENUM_OWN_DESTS, NULL, AF_INET, 0, 100, got, 8, NULL, NULL);
	ok(n == 2 && got[0].a[0] == 2 && got[1].a[0] == 3, "a owns 2/8, 3/8 in mcast: %d\n", n);
	pfx r3 = P4(3, 0, 0, 0, 8);
	n = enum_dests(b, 3, RTM_ENUM_OWN_DESTS | RTM_ENUM_RANGE, &r3, AF_INET, 0, 100, got, 8, NULL, NULL);
	ok(n == 0, "b does not own 3/8: %d\n", n);
	/* OWN_DESTS is evaluated at each batch: b becomes best for 3/8 */
	RTM_ROUTE_HANDLE better = test_route(b, test_ipv4(3, 0, 0, 0, 8), NULL, 1, 1, RTM_VIEW_MASK_UCAST);
	n = enum_dests(b, 3, RTM_ENUM_OWN_DESTS | RTM_ENUM_RANGE, &r3, AF_INET, 0, 100, got, 8, NULL, NULL);
	ok(n == 1, "b now owns 3/8: %d\n", n);
	RtmReleaseRoutes(b, 1, &better);

	/* unsupported views */
	RTM_ENUM_HANDLE h = NULL;
	ok(RtmCreateDestEnum(a, 4, RTM_ENUM_START, NULL, 0, &h) == ERROR_NOT_SUPPORTED, "view 4\n");
	ok(RtmCreateDestEnum(a, 0x80000001, RTM_ENUM_START, NULL, 0, &h) == ERROR_NOT_SUPPORTED, "view 31\n");
	ok(RtmCreateDestEnum(a, 0xFFFFFFFE, RTM_ENUM_START, NULL, 0, &h) == ERROR_NOT_SUPPORTED, "almost ALL\n");
	ok(h == NULL, "output written on failure\n");

	RtmReleaseRoutes(a, 6, r); /* the a routes and the b routes: one array, either registration */
	RtmDeregisterEntity(a);
	RtmDeregisterEntity(b);
}

static void test_hold_down(void)
{
	RTM_ENTITY_HANDLE a = test_register(105, AF_INET, 1, 1, NULL);
	RTM_ROUTE_HANDLE keep = test_route(a, test_ipv4(1, 0, 0, 0, 8), NULL, 10, 1, RTM_VIEW_MASK_UCAST);
	RTM_ROUTE_HANDLE held = test_route(a, test_ipv4(2, 0, 0, 0, 8), NULL, 10, 1, RTM_VIEW_MASK_UCAST);
	RTM_NET_ADDRESS a2 = test_ipv4(2, 0, 0, 0, 8);
	RTM_DEST_INFO di;
	ok(RtmGetExactMatchDestination(a, &a2, 0, 0, &di) == NO_ERROR, "find 2/8\n");
	ok(RtmHoldDestination(a, di.DestHandle, RTM_VIEW_MASK_UCAST, 300) == NO_ERROR, "hold\n");
	RtmReleaseDestInfo(a, &di);
	RtmReferenceHandles(a, 1, &held);
	ok(RtmDeleteRouteToDest(a, held, NULL) == NO_ERROR, "delete the last route of 2/8\n");

	pfx got[4];
	int n = enum_dests(a, 0, RTM_ENUM_START, NULL, AF_INET, 0, 100, got, 4, NULL, NULL);
	ok(n == 2 && got[1].a[0] == 2, "any view sees the held destination: %d\n", n);
	n = enum_dests(a, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, NULL, AF_INET, 0, 100, got, 4, NULL, NULL);
	ok(n == 1 && got[0].a[0] == 1, "ucast does not: %d\n", n);
	n = enum_dests(a, RTM_VIEW_MASK_ALL, RTM_ENUM_START, NULL, AF_INET, 0, 100, got, 4, NULL, NULL);
	ok(n == 1, "all views do not: %d\n", n);

	/* route enumerations: the held route only with views 0, after the live ones */
	RTM_ENUM_HANDLE h;
	RTM_ROUTE_HANDLE routes[4];
	ok(RtmCreateRouteEnum(a, NULL, 0, RTM_ENUM_START, NULL, RTM_MATCH_NONE, NULL, 0, &h) == NO_ERROR, "create\n");
	n = (int)drain_routes(a, h, 1, routes, 4);
	ok(n == 2 && routes[0] == keep && routes[1] == held, "views 0: %d routes\n", n);
	RtmDeleteEnumHandle(a, h);
	ok(RtmCreateRouteEnum(a, NULL, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, NULL, RTM_MATCH_NONE, NULL, 0, &h) ==
		   NO_ERROR,
	   "create\n");
	n = (int)drain_routes(a, h, 100, routes, 4);
	ok(n == 1 && routes[0] == keep, "ucast: %d routes\n", n);
	RtmDeleteEnumHandle(a, h);
	/* a live route added to the held destination comes before the held one */
	RTM_ROUTE_HANDLE again = test_route(a, a2, NULL, 50, 50, RTM_VIEW_MASK_UCAST);
	RTM_NET_ADDRESS from = a2;
	ok(RtmCreateRouteEnum(a, NULL, 0, RTM_ENUM_RANGE, &from, RTM_MATCH_NONE, NULL, 0, &h) == NO_ERROR, "create\n");
	n = (int)drain_routes(a, h, 1, routes, 4);
	ok(n == 2 && routes[0] == again && routes[1] == held, "live then held: %d %p %p\n", n, routes[0], routes[1]);
	RtmDeleteEnumHandle(a, h);
	RtmDeleteRouteToDest(a, again, NULL);
	RtmReleaseRoutes(a, 1, &held);
	RtmReleaseRoutes(a, 1, &keep);
	RtmDeregisterEntity(a);
}

static void test_nexthops(void)
{
	RTM_ENTITY_HANDLE a = test_register(106, AF_INET, 1, 1, NULL);
	RTM_ENTITY_HANDLE b = test_register(106, AF_INET, 2, 1, NULL);
	struct {
		unsigned a0, a1, a2, a3, len;
		ULONG ifindex;
	} spec[] = {
		{ 10, 0, 0, 1, 32, 5 }, { 10, 0, 0, 1, 32, 2 }, { 10, 0, 0, 0, 24, 1 }, { 10, 0, 0, 2, 32, 1 },
		{ 10, 0, 1, 1, 32, 1 }, { 9, 0, 0, 1, 32, 1 },  { 192, 168, 0, 1, 32, 7 }, { 10, 0, 0, 0, 8, 3 },
	};
	enum { N = sizeof(spec) / sizeof(spec[0]) };
	RTM_NEXTHOP_HANDLE nh[N];
	for (unsigned i = 0; i < N; i++)
		nh[i] = test_nexthop(a, test_ipv4(spec[i].a0, spec[i].a1, spec[i].a2, spec[i].a3, spec[i].len),
				     spec[i].ifindex);
	RTM_NEXTHOP_HANDLE other = test_nexthop(b, test_ipv4(10, 0, 0, 1, 32), 2);
	/* expected order: 9.0.0.1/32, 10/8 if3, 10.0.0/24 if1, 10.0.0.1/32 if2, if5, 10.0.0.2/32, 10.0.1.1/32, 192.168.0.1 */
	RTM_NEXTHOP_HANDLE order[N] = { nh[5], nh[7], nh[2], nh[1], nh[0], nh[3], nh[4], nh[6] };
	RTM_NEXTHOP_HANDLE got[N + 2];
	RTM_ENUM_HANDLE h;
	static const UINT batches[] = { 1, 3, 8, 100 };
	for (unsigned bi = 0; bi < 4; bi++) {
		ok(RtmCreateNextHopEnum(a, RTM_ENUM_START, NULL, &h) == NO_ERROR, "create\n");
		unsigned n = drain_nexthops(a, h, batches[bi], got, N + 2);
		ok(n == N, "START batch %u: %u next hops\n", batches[bi], n);
		for (unsigned i = 0; i < N && i < n; i++)
			ok(got[i] == order[i], "batch %u: [%u] %p, expected %p\n", batches[bi], i, got[i], order[i]);
		RtmDeleteEnumHandle(a, h);
	}
	RTM_NET_ADDRESS r = test_ipv4(10, 0, 0, 0, 24);
	ok(RtmCreateNextHopEnum(a, RTM_ENUM_RANGE, &r, &h) == NO_ERROR, "create range\n");
	unsigned n = drain_nexthops(a, h, 2, got, N);
	ok(n == 4 && got[0] == nh[2] && got[1] == nh[1] && got[2] == nh[0] && got[3] == nh[3], "RANGE 10.0.0/24: %u\n",
	   n);
	RtmDeleteEnumHandle(a, h);
	r = test_ipv4(10, 0, 0, 1, 32);
	ok(RtmCreateNextHopEnum(a, RTM_ENUM_RANGE | RTM_ENUM_NEXT, &r, &h) == NO_ERROR, "create range\n");
	n = drain_nexthops(a, h, 1, got, N);
	ok(n == 2 && got[0] == nh[1] && got[1] == nh[0], "RANGE 10.0.0.1/32: both interfaces: %u\n", n);
	RtmDeleteEnumHandle(a, h);
	r = test_ipv4(10, 0, 0, 1, 32);
	ok(RtmCreateNextHopEnum(a, RTM_ENUM_NEXT, &r, &h) == NO_ERROR, "create next\n");
	n = drain_nexthops(a, h, 100, got, N);
	ok(n == 5 && got[0] == nh[1], "NEXT 10.0.0.1/32: %u\n", n);
	RtmDeleteEnumHandle(a, h);
	r = test_ipv4(11, 0, 0, 0, 8);
	ok(RtmCreateNextHopEnum(a, RTM_ENUM_RANGE, &r, &h) == NO_ERROR, "create\n");
	ok(drain_nexthops(a, h, 100, got, N) == 0, "RANGE 11/8: none\n");
	RtmDeleteEnumHandle(a, h);

	/* b sees only its own */
	ok(RtmCreateNextHopEnum(b, RTM_ENUM_START, NULL, &h) == NO_ERROR, "create\n");
	n = drain_nexthops(b, h, 100, got, N);
	ok(n == 1 && got[0] == other, "b: %u\n", n);
	RtmDeleteEnumHandle(b, h);

	/* deleted next hops are not returned, including one deleted between batches */
	ok(RtmCreateNextHopEnum(a, RTM_ENUM_START, NULL, &h) == NO_ERROR, "create\n");
	UINT c = 2;
	ok(RtmGetEnumNextHops(a, h, &c, got) == NO_ERROR && c == 2, "two\n");
	RtmReleaseNextHops(a, c, got);
	ok(RtmDeleteNextHop(a, nh[7], NULL) == NO_ERROR, "delete the last one returned\n");
	ok(RtmDeleteNextHop(a, nh[0], NULL) == NO_ERROR, "delete one ahead\n");
	RTM_NEXTHOP_HANDLE added = test_nexthop(a, test_ipv4(10, 0, 0, 1, 32), 3); /* ahead, between if2 and if5 */
	n = drain_nexthops(a, h, 100, got, N);
	ok(n == 6 && got[0] == nh[2] && got[1] == nh[1] && got[2] == added && got[3] == nh[3] && got[4] == nh[4] &&
		   got[5] == nh[6],
	   "after changes: %u\n", n);
	RtmDeleteEnumHandle(a, h);

	/* ownership flags and other bits are invalid */
	h = NULL;
	ok(RtmCreateNextHopEnum(a, RTM_ENUM_OWN_ROUTES, NULL, &h) == ERROR_INVALID_PARAMETER, "OWN_ROUTES\n");
	ok(RtmCreateNextHopEnum(a, RTM_ENUM_OWN_DESTS, NULL, &h) == ERROR_INVALID_PARAMETER, "OWN_DESTS\n");
	ok(RtmCreateNextHopEnum(a, 4, NULL, &h) == ERROR_INVALID_PARAMETER, "bit 2\n");
	ok(RtmCreateNextHopEnum(a, RTM_ENUM_NEXT, NULL, &h) == ERROR_INVALID_PARAMETER, "NEXT without address\n");
	r.NumBits = 33;
	ok(RtmCreateNextHopEnum(a, RTM_ENUM_RANGE, &r, &h) == ERROR_INVALID_PARAMETER, "/33\n");
	ok(RtmCreateNextHopEnum(a, RTM_ENUM_START, NULL, NULL) == ERROR_INVALID_PARAMETER, "NULL output\n");
	ok(h == NULL, "output written on failure\n");

	/* RtmDeleteNextHop consumed the handles of nh[0] and nh[7] */
	ok(RtmReleaseNextHops(a, N - 2, nh + 1) == NO_ERROR, "release\n");
	ok(RtmReleaseNextHops(a, 1, &added) == NO_ERROR, "release\n");
	RtmReleaseNextHops(b, 1, &other);
	RtmDeregisterEntity(a);
	RtmDeregisterEntity(b);
}

static void test_bad_input(void)
{
	RTM_ENTITY_HANDLE a = test_register(107, AF_INET, 1, 1, NULL);
	RTM_ENTITY_HANDLE b = test_register(107, AF_INET, 2, 1, NULL);
	RTM_ENTITY_HANDLE other_table = test_register(108, AF_INET, 1, 1, NULL);
	RTM_ROUTE_HANDLE r = test_route(a, test_ipv4(1, 0, 0, 0, 8), NULL, 10, 1, RTM_VIEW_MASK_UCAST);
	RTM_NET_ADDRESS n8 = test_ipv4(1, 0, 0, 0, 8);
	RTM_DEST_INFO di;
	RtmGetExactMatchDestination(a, &n8, 0, 0, &di);
	static char buf[TEST_MAX_BATCH * TEST_DEST_STRIDE];
	RTM_ROUTE_HANDLE rbuf[TEST_MAX_BATCH];
	RTM_ENUM_HANDLE de, re, ne, h;
	UINT c;

	/* creation */
	ok(RtmCreateDestEnum(NULL, 0, 0, NULL, 0, &h) == ERROR_INVALID_HANDLE, "NULL registration\n");
	ok(RtmCreateDestEnum((RTM_ENTITY_HANDLE)0x7777, 0, 0, NULL, 0, &h) == ERROR_INVALID_HANDLE, "garbage\n");
	ok(RtmCreateDestEnum(r, 0, 0, NULL, 0, &h) == ERROR_INVALID_HANDLE, "route handle as registration\n");
	ok(RtmCreateDestEnum(NULL, 0, 0, NULL, 0, NULL) == ERROR_INVALID_HANDLE, "registration checked first\n");
	ok(RtmCreateDestEnum(a, 0, 0, NULL, 0, NULL) == ERROR_INVALID_PARAMETER, "NULL output\n");
	ok(RtmCreateDestEnum(a, 0, RTM_ENUM_NEXT, NULL, 0, &h) == ERROR_INVALID_PARAMETER, "NEXT, NULL address\n");
	ok(RtmCreateDestEnum(a, 0, RTM_ENUM_RANGE, NULL, 0, &h) == ERROR_INVALID_PARAMETER, "RANGE, NULL address\n");
	ok(RtmCreateDestEnum(a, 0, 4, NULL, 0, &h) == ERROR_INVALID_PARAMETER, "flag bit 2\n");
	ok(RtmCreateDestEnum(a, 0, RTM_ENUM_OWN_ROUTES, NULL, 0, &h) == ERROR_INVALID_PARAMETER, "OWN_ROUTES\n");
	RTM_NET_ADDRESS bad = test_ipv4(1, 0, 0, 0, 33);
	ok(RtmCreateDestEnum(a, 0, RTM_ENUM_NEXT, &bad, 0, &h) == ERROR_INVALID_PARAMETER, "/33\n");
	bad.AddressFamily = 0; /* the family is not checked */
	bad.NumBits = 8;
	ok(RtmCreateDestEnum(a, 0, RTM_ENUM_NEXT, &bad, 0, &h) == NO_ERROR, "family 0 is accepted\n");
	RtmDeleteEnumHandle(a, h);

	ok(RtmCreateDestEnum(a, 0, RTM_ENUM_START, NULL, 0, &de) == NO_ERROR, "dest enum\n");
	ok(RtmCreateRouteEnum(a, NULL, 0, RTM_ENUM_START, NULL, 0, NULL, 0, &re) == NO_ERROR, "route enum\n");
	ok(RtmCreateNextHopEnum(a, RTM_ENUM_START, NULL, &ne) == NO_ERROR, "next-hop enum\n");
	ok(de && re && ne && de != re && re != ne, "three handles\n");

	/* batch: registration, pointers, handle, count */
	c = 5;
	ok(RtmGetEnumDests(NULL, de, &c, (PRTM_DEST_INFO)buf) == ERROR_INVALID_HANDLE && c == 0, "NULL reg: %u\n", c);
	ok(RtmGetEnumDests(a, de, NULL, (PRTM_DEST_INFO)buf) == ERROR_INVALID_PARAMETER, "NULL count\n");
	c = 5;
	ok(RtmGetEnumDests(a, de, &c, NULL) == ERROR_INVALID_PARAMETER && c == 0, "NULL array: %u\n", c);
	c = 5;
	ok(RtmGetEnumDests(a, NULL, &c, (PRTM_DEST_INFO)buf) == ERROR_INVALID_HANDLE && c == 0, "NULL enum\n");
	c = 5;
	ok(RtmGetEnumDests(a, re, &c, (PRTM_DEST_INFO)buf) == ERROR_INVALID_HANDLE && c == 0, "route enum\n");
	c = 5;
	ok(RtmGetEnumDests(a, ne, &c, (PRTM_DEST_INFO)buf) == ERROR_INVALID_HANDLE && c == 0, "next-hop enum\n");
	c = 5;
	ok(RtmGetEnumDests(a, di.DestHandle, &c, (PRTM_DEST_INFO)buf) == ERROR_INVALID_HANDLE, "dest handle\n");
	c = 5;
	ok(RtmGetEnumDests(a, a, &c, (PRTM_DEST_INFO)buf) == ERROR_INVALID_HANDLE, "entity handle\n");
	c = 5;
	ok(RtmGetEnumDests(b, de, &c, (PRTM_DEST_INFO)buf) == ERROR_INVALID_HANDLE && c == 0, "b uses a's enum\n");
	c = 5;
	ok(RtmGetEnumDests(other_table, de, &c, (PRTM_DEST_INFO)buf) == ERROR_INVALID_HANDLE, "other table\n");
	c = 101;
	ok(RtmGetEnumDests(a, re, &c, (PRTM_DEST_INFO)buf) == ERROR_INVALID_HANDLE, "handle before count\n");
	c = 101;
	ok(RtmGetEnumDests(a, de, &c, (PRTM_DEST_INFO)buf) == ERROR_INVALID_PARAMETER && c == 0, "101\n");
	c = 0xFFFFFFFF;
	ok(RtmGetEnumDests(a, de, &c, (PRTM_DEST_INFO)buf) == ERROR_INVALID_PARAMETER && c == 0, "~0\n");
	c = 5;
	ok(RtmGetEnumRoutes(a, de, &c, rbuf) == ERROR_INVALID_HANDLE && c == 0, "dest enum for routes\n");
	c = 5;
	ok(RtmGetEnumRoutes(a, ne, &c, rbuf) == ERROR_INVALID_HANDLE && c == 0, "next-hop enum for routes\n");
	c = 5;
	ok(RtmGetEnumNextHops(a, re, &c, rbuf) == ERROR_INVALID_HANDLE && c == 0, "route enum for next hops\n");
	c = 5;
	ok(RtmGetEnumNextHops(a, ne, &c, NULL) == ERROR_INVALID_PARAMETER && c == 0, "NULL next-hop array\n");
	c = 101;
	ok(RtmGetEnumRoutes(a, re, &c, rbuf) == ERROR_INVALID_PARAMETER && c == 0, "101 routes\n");
	c = 101;
	ok(RtmGetEnumNextHops(a, ne, &c, rbuf) == ERROR_INVALID_PARAMETER && c == 0, "101 next hops\n");
	c = 0;
	ok(RtmGetEnumRoutes(a, re, &c, NULL) == NO_ERROR && c == 0, "0 routes\n");
	c = 0;
	ok(RtmGetEnumNextHops(a, ne, &c, NULL) == NO_ERROR && c == 0, "0 next hops\n");
	/* none of those moved the enumerations */
	pfx got[4];
	ok(drain_dests(a, de, 100, got, 4, NULL, NULL) == 1, "dest enum intact\n");
	ok(drain_routes(a, re, 100, rbuf, 4) == 1 && rbuf[0] == r, "route enum intact\n");

	/* delete: only the owner, only once */
	ok(RtmDeleteEnumHandle(NULL, de) == ERROR_INVALID_HANDLE, "delete, NULL reg\n");
	ok(RtmDeleteEnumHandle(b, de) == ERROR_INVALID_HANDLE, "b deletes a's enum\n");
	ok(RtmDeleteEnumHandle(other_table, de) == ERROR_INVALID_HANDLE, "other table deletes\n");
	ok(RtmDeleteEnumHandle(a, di.DestHandle) == ERROR_INVALID_HANDLE, "delete a dest handle\n");
	ok(RtmDeleteEnumHandle(a, r) == ERROR_INVALID_HANDLE, "delete a route handle\n");
	ok(RtmDeleteEnumHandle(a, NULL) == ERROR_INVALID_HANDLE, "delete NULL\n");
	ok(RtmDeleteEnumHandle(a, (RTM_ENUM_HANDLE)0x7fff0001) == ERROR_INVALID_HANDLE, "delete garbage\n");
	ok(RtmDeleteEnumHandle(a, de) == NO_ERROR, "delete\n");
	ok(RtmDeleteEnumHandle(a, de) == ERROR_INVALID_HANDLE, "delete twice\n");
	c = 5;
	ok(RtmGetEnumDests(a, de, &c, (PRTM_DEST_INFO)buf) == ERROR_INVALID_HANDLE && c == 0, "deleted\n");
	ok(RtmDeleteEnumHandle(a, re) == NO_ERROR && RtmDeleteEnumHandle(a, ne) == NO_ERROR, "delete the others\n");
	c = 5;
	ok(RtmGetEnumRoutes(a, re, &c, rbuf) == ERROR_INVALID_HANDLE, "deleted route enum\n");

	/* route enum creation */
	RTM_ROUTE_INFO crit;
	memset(&crit, 0, sizeof(crit));
	ok(RtmCreateRouteEnum(a, NULL, 0, 0, NULL, 0, NULL, 0, NULL) == ERROR_INVALID_PARAMETER, "NULL output\n");
	ok(RtmCreateRouteEnum(a, NULL, 0, RTM_ENUM_NEXT, NULL, 0, NULL, 0, &h) == ERROR_INVALID_PARAMETER, "NEXT\n");
	ok(RtmCreateRouteEnum(a, di.DestHandle, 0, RTM_ENUM_NEXT, NULL, 0, NULL, 0, &h) == NO_ERROR,
	   "NEXT ignored with a destination\n");
	RtmDeleteEnumHandle(a, h);
	ok(RtmCreateRouteEnum(a, NULL, 0, 0, NULL, RTM_MATCH_OWNER, NULL, 0, &h) == ERROR_INVALID_PARAMETER, "owner\n");
	ok(RtmCreateRouteEnum(a, NULL, 0, 0, NULL, RTM_MATCH_FULL, NULL, 0, &h) == ERROR_INVALID_PARAMETER, "full\n");
	ok(RtmCreateRouteEnum(a, NULL, 0, 0, NULL, RTM_MATCH_INTERFACE, NULL, 7, &h) == NO_ERROR, "interface\n");
	RtmDeleteEnumHandle(a, h);
	ok(RtmCreateRouteEnum(a, NULL, 0, 0, NULL, 0x10000, &crit, 0, &h) == ERROR_INVALID_PARAMETER, "match bit 16\n");
	ok(RtmCreateRouteEnum(a, NULL, 0, 0, NULL, 0x8000, NULL, 0, &h) == NO_ERROR, "unknown bit inside FULL\n");
	RtmDeleteEnumHandle(a, h);
	crit.NextHopsList.NumNextHops = 9;
	ok(RtmCreateRouteEnum(a, NULL, 0, 0, NULL, RTM_MATCH_NEXTHOP, &crit, 0, &h) == ERROR_INVALID_PARAMETER,
	   "9 criteria next hops\n");
	ok(RtmCreateRouteEnum(a, NULL, 0, 0, NULL, RTM_MATCH_PREF, &crit, 0, &h) == NO_ERROR,
	   "the count matters only for NEXTHOP\n");
	RtmDeleteEnumHandle(a, h);
	ok(RtmCreateRouteEnum(a, NULL, 0, 0x100, NULL, 0, NULL, 0, &h) == ERROR_INVALID_PARAMETER, "enum flag 8\n");
	ok(RtmCreateRouteEnum(a, NULL, 0, RTM_ENUM_OWN_DESTS, NULL, 0, NULL, 0, &h) == ERROR_INVALID_PARAMETER,
	   "OWN_DESTS on routes\n");
	ok(RtmCreateRouteEnum(a, NULL, 8, 0, NULL, 0, NULL, 0, &h) == ERROR_NOT_SUPPORTED, "view 3\n");
	ok(RtmCreateRouteEnum(a, r, 0, 0, NULL, 0, NULL, 0, &h) == ERROR_INVALID_HANDLE, "route as destination\n");
	ok(RtmCreateRouteEnum(a, r, 8, 0, NULL, 0, NULL, 0, &h) == ERROR_INVALID_HANDLE, "handle before views\n");
	ok(RtmCreateRouteEnum(a, (RTM_DEST_HANDLE)0x10001, 0, 0, NULL, 0, NULL, 0, &h) == ERROR_INVALID_HANDLE,
	   "garbage destination\n");
	ok(RtmCreateRouteEnum(b, NULL, RTM_VIEW_MASK_ALL, RTM_ENUM_RANGE, &bad, 0, NULL, 0, &h) == NO_ERROR,
	   "ALL views\n");
	RtmDeleteEnumHandle(b, h);
	bad.NumBits = 40;
	ok(RtmCreateRouteEnum(b, NULL, 0, RTM_ENUM_RANGE, &bad, 0, NULL, 0, &h) == ERROR_INVALID_PARAMETER, "/40\n");

	/* release functions */
	ok(RtmReleaseDests(a, 0, NULL) == NO_ERROR, "release 0\n");
	ok(RtmReleaseDests(a, 1, NULL) == ERROR_INVALID_PARAMETER, "release NULL\n");
	ok(RtmReleaseDests(NULL, 0, NULL) == ERROR_INVALID_HANDLE, "release, NULL reg\n");
	RTM_DEST_INFO *d0 = dest_slot(buf, 0);
	memset(buf, 0, 2 * TEST_DEST_STRIDE);
	ok(RtmCreateDestEnum(a, RTM_VIEW_MASK_ALL, RTM_ENUM_START, NULL, 0, &h) == NO_ERROR, "create\n");
	c = 100;
	ok(RtmGetEnumDests(a, h, &c, (PRTM_DEST_INFO)buf) == ERROR_NO_MORE_ITEMS && c == 1, "one\n");
	RTM_DEST_HANDLE keep = d0->DestHandle;
	d0->DestHandle = (RTM_DEST_HANDLE)0x12345;
	ok(RtmReleaseDests(a, 1, (PRTM_DEST_INFO)buf) == ERROR_INVALID_HANDLE, "garbage inside\n");
	d0->DestHandle = keep;
	ok(RtmReleaseDests(a, 1, (PRTM_DEST_INFO)buf) == NO_ERROR, "then fine (nothing was released)\n");
	RtmDeleteEnumHandle(a, h);

	RtmReleaseDestInfo(a, &di);
	RtmReleaseRoutes(a, 1, &r);
	RtmDeregisterEntity(a);
	RtmDeregisterEntity(b);
	RtmDeregisterEntity(other_table);
}

static void test_deregistration(void)
{
	RTM_ENTITY_HANDLE a = test_register(109, AF_INET, 1, 1, NULL);
	RTM_ENTITY_HANDLE b = test_register(109, AF_INET, 2, 1, NULL);
	RTM_ROUTE_HANDLE r = test_route(b, test_ipv4(1, 0, 0, 0, 8), NULL, 10, 1, RTM_VIEW_MASK_UCAST);
	RTM_NET_ADDRESS n8 = test_ipv4(1, 0, 0, 0, 8);
	RTM_DEST_INFO di;
	RtmGetExactMatchDestination(a, &n8, 0, 0, &di);
	DWORD before[RTM_TEST_COUNT_KINDS];
	test_object_counts(before);
	RTM_ENUM_HANDLE h[5];
	ok(RtmCreateDestEnum(a, 0, RTM_ENUM_START, NULL, 0, &h[0]) == NO_ERROR, "dest enum\n");
	ok(RtmCreateRouteEnum(a, NULL, 0, RTM_ENUM_START, NULL, 0, NULL, 0, &h[1]) == NO_ERROR, "route enum\n");
	ok(RtmCreateRouteEnum(a, di.DestHandle, 0, 0, NULL, 0, NULL, 0, &h[2]) == NO_ERROR, "dest route enum\n");
	ok(RtmCreateNextHopEnum(a, RTM_ENUM_START, NULL, &h[3]) == NO_ERROR, "next-hop enum\n");
	ok(RtmCreateDestEnum(b, 0, RTM_ENUM_START, NULL, 0, &h[4]) == NO_ERROR, "b's enum\n");
	DWORD mid[RTM_TEST_COUNT_KINDS];
	test_object_counts(mid);
	ok(mid[RTM_TEST_COUNT_ENUMS] == before[RTM_TEST_COUNT_ENUMS] + 5, "5 enums: %lu\n",
	   (unsigned long)mid[RTM_TEST_COUNT_ENUMS]);
	/* half way through one of them */
	static char buf[TEST_MAX_BATCH * TEST_DEST_STRIDE];
	UINT c = 1;
	RtmGetEnumDests(a, h[0], &c, (PRTM_DEST_INFO)buf);
	ok(RtmDeregisterEntity(a) == NO_ERROR, "deregister a with open enums\n");
	DWORD after[RTM_TEST_COUNT_KINDS];
	test_object_counts(after);
	ok(after[RTM_TEST_COUNT_ENUMS] == before[RTM_TEST_COUNT_ENUMS] + 1, "a's enums closed: %lu\n",
	   (unsigned long)after[RTM_TEST_COUNT_ENUMS]);
	/* the batch's references survive the deregistration and can be released by b */
	ok(RtmReleaseDests(b, c, (PRTM_DEST_INFO)buf) == NO_ERROR, "b releases a's batch\n");
	for (int i = 0; i < 4; i++) {
		c = 1;
		ok(RtmGetEnumDests(b, h[i], &c, (PRTM_DEST_INFO)buf) == ERROR_INVALID_HANDLE, "stale %d\n", i);
		ok(RtmDeleteEnumHandle(b, h[i]) == ERROR_INVALID_HANDLE, "stale delete %d\n", i);
	}
	ok(RtmReleaseDestInfo(b, &di) == NO_ERROR, "release the lookup\n");
	RtmReleaseRoutes(b, 1, &r);
	ok(RtmDeregisterEntity(b) == NO_ERROR, "deregister b with an open enum\n");
}

int main(void)
{
	test_order_ipv4();
	test_order_ipv6();
	test_random_walks(AF_INET, 110, 12345);
	test_random_walks(AF_INET6, 111, 777);
	test_batches();
	test_views_and_protocols();
	test_nexthops();
	test_bad_input();
	test_deregistration();
	expect_no_live_objects();
	test_hold_down();
	/* the held route of 2/8 lives until its hold (300 ms) ends, then nothing is left */
	expect_all_freed();
	return test_finish();
}

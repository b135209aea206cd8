/*
 * test_enum_route.c - route enumerations (spec functions-2 §2.4, §2.5, §0.12):
 * route order, every position and ownership flag, views, matching criteria,
 * enumerations of one destination, and changes between batches, checked
 * against a model of the routes the test added.
 */
#include "test_enum_util.h"

typedef struct mroute {
	RTM_ROUTE_HANDLE h;
	pfx p;
	RTM_ENTITY_HANDLE owner;
	ULONG pref, metric;
	unsigned seq;
	DWORD views;
	RTM_NEXTHOP_HANDLE neighbour;
	unsigned nh_count;
	RTM_NEXTHOP_HANDLE nh[4];
	ULONG ifindex[4];
	int deleted;
} mroute;

static mroute model[64];
static unsigned model_n, model_seq;

static RTM_ROUTE_HANDLE add_route(RTM_ENTITY_HANDLE reg, pfx p, USHORT family, RTM_NEXTHOP_HANDLE neighbour,
				  const RTM_NEXTHOP_HANDLE *nh, const ULONG *ifindex, unsigned nh_count, ULONG pref,
				  ULONG metric, DWORD views)
{
	union {
		RTM_ROUTE_INFO info;
		char room[RTM_SIZE_OF_ROUTE_INFO(8)];
	} u;
	memset(&u, 0, sizeof(u));
	u.info.Neighbour = neighbour;
	u.info.PrefInfo.Preference = pref;
	u.info.PrefInfo.Metric = metric;
	u.info.BelongsToViews = views;
	u.info.NextHopsList.NumNextHops = (USHORT)nh_count;
	/* through a pointer: the structure declares NextHops[1] and we use the room after it */
	RTM_NEXTHOP_HANDLE *hops = u.info.NextHopsList.NextHops;
	for (unsigned i = 0; i < nh_count; i++)
		hops[i] = nh[i];
	RTM_NET_ADDRESS a = pfx_addr(&p, family);
	RTM_ROUTE_HANDLE h = NULL;
	DWORD flags = RTM_ROUTE_CHANGE_NEW;
	DWORD err = RtmAddRouteToDest(reg, &h, &a, &u.info, INFINITE, NULL, 0, NULL, &flags);
	ok(err == NO_ERROR, "RtmAddRouteToDest: %lu\n", (unsigned long)err);
	mroute *m = &model[model_n++];
	memset(m, 0, sizeof(*m));
	m->h = h;
	m->p = p;
	m->owner = reg;
	m->pref = pref;
	m->metric = metric;
	m->seq = ++model_seq;
	m->views = views;
	m->neighbour = neighbour;
	m->nh_count = nh_count;
	for (unsigned i = 0; i < nh_count; i++) {
		m->nh[i] = nh[i];
		m->ifindex[i] = ifindex[i];
	}
	return h;
}

static int mroute_cmp(const mroute *a, const mroute *b)
{
	int c = pfx_cmp(&a->p, &b->p);
	if (c)
		return c;
	if (a->pref != b->pref)
		return a->pref < b->pref ? -1 : 1;
	if (a->metric != b->metric)
		return a->metric < b->metric ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

typedef struct query {
	RTM_VIEW_SET views;
	RTM_ENUM_FLAGS flags;
	const pfx *from;
	const pfx *dest; /* one destination */
	RTM_ENTITY_HANDLE caller;
	RTM_MATCH_FLAGS match;
	RTM_ENTITY_HANDLE c_owner;
	RTM_NEXTHOP_HANDLE c_neighbour;
	ULONG c_pref, c_metric;
	unsigned c_nh_count;
	RTM_NEXTHOP_HANDLE c_nh[4];
	ULONG c_ifindex;
} query;

static int has_nh(const mroute *m, RTM_NEXTHOP_HANDLE h)
{
	for (unsigned i = 0; i < m->nh_count; i++)
		if (m->nh[i] == h)
			return 1;
	return 0;
}

static int model_matches(const mroute *m, const query *q)
{
	if (m->deleted)
		return 0;
	DWORD views = q->views == RTM_VIEW_MASK_ALL ? 3 : q->views;
	if (views && !(m->views & views))
		return 0;
	if (q->dest) {
		if (!pfx_eq(&m->p, q->dest))
			return 0;
	} else if ((q->flags & RTM_ENUM_RANGE) ? !pfx_contains(q->from, &m->p)
		   : (q->flags & RTM_ENUM_NEXT) ? pfx_cmp(&m->p, q->from) < 0
						: 0) {
		return 0;
	}
	if ((q->flags & RTM_ENUM_OWN_ROUTES) && m->owner != q->caller)
		return 0;
	if ((q->match & RTM_MATCH_OWNER) && m->owner != q->c_owner)
		return 0;
	if ((q->match & RTM_MATCH_NEIGHBOUR) && m->neighbour != q->c_neighbour)
		return 0;
	if ((q->match & RTM_MATCH_PREF) && (m->pref != q->c_pref || m->metric != q->c_metric))
		return 0;
	if (q->match & RTM_MATCH_NEXTHOP)
		for (unsigned i = 0; i < q->c_nh_count; i++)
			if (!has_nh(m, q->c_nh[i]))
				return 0;
	if (q->match & RTM_MATCH_INTERFACE) {
		int any = 0;
		for (unsigned i = 0; i < m->nh_count; i++)
			any |= m->ifindex[i] == q->c_ifindex;
		if (!any)
			return 0;
	}
	return 1;
}

static unsigned model_query(const query *q, RTM_ROUTE_HANDLE *out)
{
	const mroute *sel[64];
	unsigned n = 0;
	for (unsigned i = 0; i < model_n; i++)
		if (model_matches(&model[i], q)) {
			unsigned j = n++;
			while (j > 0 && mroute_cmp(sel[j - 1], &model[i]) > 0) {
				sel[j] = sel[j - 1];
				j--;
			}
			sel[j] = &model[i];
		}
	for (unsigned i = 0; i < n; i++)
		out[i] = sel[i]->h;
	return n;
}

static RTM_ENUM_HANDLE create_enum(const query *q, USHORT family, RTM_DEST_HANDLE dest)
{
	union {
		RTM_ROUTE_INFO info;
		char room[RTM_SIZE_OF_ROUTE_INFO(8)];
	} crit;
	memset(&crit, 0, sizeof(crit));
	crit.info.RouteOwner = q->c_owner;
	crit.info.Neighbour = q->c_neighbour;
	crit.info.PrefInfo.Preference = q->c_pref;
	crit.info.PrefInfo.Metric = q->c_metric;
	crit.info.NextHopsList.NumNextHops = (USHORT)q->c_nh_count;
	RTM_NEXTHOP_HANDLE *hops = crit.info.NextHopsList.NextHops;
	for (unsigned i = 0; i < q->c_nh_count; i++)
		hops[i] = q->c_nh[i];
	RTM_NET_ADDRESS a;
	if (q->from)
		a = pfx_addr(q->from, family);
	RTM_ENUM_HANDLE h = NULL;
	DWORD err = RtmCreateRouteEnum(q->caller, dest, q->views, q->flags, q->from ? &a : NULL, q->match,
				       q->match ? &crit.info : NULL, q->c_ifindex, &h);
	ok(err == NO_ERROR, "RtmCreateRouteEnum: %lu\n", (unsigned long)err);
	memset(&crit, 0xEE, sizeof(crit)); /* the criteria were copied */
	return h;
}

/* run q at several batch sizes against the model */
static void check_query(const char *what, const query *q, USHORT family, RTM_DEST_HANDLE dest)
{
	RTM_ROUTE_HANDLE want[64], got[64];
	unsigned nw = model_query(q, want);
	if (getenv("TRACE"))
		fprintf(stderr, "%s: %u routes\n", what, nw);
	for (UINT batch = 1; batch <= nw + 2; batch++) {
		RTM_ENUM_HANDLE h = create_enum(q, family, dest);
		if (!h)
			return;
		unsigned ng = drain_routes(q->caller, h, batch, got, 64);
		RtmDeleteEnumHandle(q->caller, h);
		int same = ng == nw;
		for (unsigned i = 0; same && i < nw; i++)
			same = got[i] == want[i];
		if (!ok(same, "%s, batch %u: %u routes, expected %u\n", what, batch, ng, nw)) {
			for (unsigned i = 0; i < ng || i < nw; i++)
				fprintf(stderr, "   [%u] got %p want %p\n", i, i < ng ? got[i] : NULL,
					i < nw ? want[i] : NULL);
			return;
		}
		if (batch == 3 && nw > 8)
			batch = nw - 2; /* the small ones and the edges are enough */
	}
	UINT c = 100;
	RTM_ENUM_HANDLE h = create_enum(q, family, dest);
	DWORD err = RtmGetEnumRoutes(q->caller, h, &c, got);
	ok(err == (nw < 100 ? ERROR_NO_MORE_ITEMS : NO_ERROR) && c == nw, "%s, batch 100: %lu, %u\n", what,
	   (unsigned long)err, c);
	RtmReleaseRoutes(q->caller, c, got);
	RtmDeleteEnumHandle(q->caller, h);
}

static RTM_DEST_HANDLE dest_of(RTM_ENTITY_HANDLE reg, const pfx *p, USHORT family)
{
	RTM_NET_ADDRESS a = pfx_addr(p, family);
	RTM_DEST_INFO di;
	DWORD err = RtmGetExactMatchDestination(reg, &a, 0, 0, &di);
	ok(err == NO_ERROR, "RtmGetExactMatchDestination: %lu\n", (unsigned long)err);
	return err ? NULL : di.DestHandle; /* the info's other handles: none, views 0 */
}

static pfx P4(unsigned a, unsigned b, unsigned c, unsigned d, unsigned len)
{
	RTM_NET_ADDRESS n = test_ipv4(a, b, c, d, len);
	return pfx_of(&n);
}

static void test_routes_ipv4(void)
{
	USHORT f = AF_INET;
	model_n = 0;
	RTM_ENTITY_HANDLE A = test_register(201, f, 1, 1, NULL);
	RTM_ENTITY_HANDLE B = test_register(201, f, 2, 1, NULL);
	RTM_ENTITY_HANDLE C = test_register(201, f, 3, 1, NULL);
	RTM_NEXTHOP_HANDLE a1 = test_nexthop(A, test_ipv4(10, 0, 0, 1, 32), 1);
	RTM_NEXTHOP_HANDLE a2 = test_nexthop(A, test_ipv4(10, 0, 0, 2, 32), 2);
	RTM_NEXTHOP_HANDLE a3 = test_nexthop(A, test_ipv4(10, 0, 0, 3, 32), 7);
	RTM_NEXTHOP_HANDLE b1 = test_nexthop(B, test_ipv4(10, 0, 0, 9, 32), 7);
	ULONG if1 = 1, if2 = 2, if7 = 7, if12[2] = { 1, 2 };
	RTM_NEXTHOP_HANDLE a12[2] = { a1, a2 };
	pfx p1_8 = P4(1, 0, 0, 0, 8), p1_16 = P4(1, 0, 0, 0, 16), p2_8 = P4(2, 0, 0, 0, 8), p0 = P4(0, 0, 0, 0, 0);
	pfx p3_8 = P4(3, 0, 0, 0, 8);

	RTM_ROUTE_HANDLE rA1 = add_route(A, p1_8, f, a1, &a1, &if1, 1, 10, 5, RTM_VIEW_MASK_UCAST);
	add_route(B, p1_8, f, b1, &b1, &if7, 1, 10, 1, RTM_VIEW_MASK_UCAST);
	add_route(C, p1_8, f, NULL, NULL, NULL, 0, 5, 100, RTM_VIEW_MASK_MCAST);
	RTM_ROUTE_HANDLE rA2 = add_route(A, p1_8, f, a2, a12, if12, 2, 10, 5, 3);
	add_route(A, p1_16, f, a3, &a3, &if7, 1, 1, 1, RTM_VIEW_MASK_UCAST);
	add_route(B, p2_8, f, b1, &b1, &if7, 1, 3, 3, 3);
	add_route(A, p2_8, f, a2, &a2, &if2, 1, 3, 0, RTM_VIEW_MASK_MCAST);
	add_route(C, p0, f, NULL, NULL, NULL, 0, 100, 1, RTM_VIEW_MASK_UCAST);
	add_route(C, p3_8, f, NULL, NULL, NULL, 0, 7, 7, RTM_VIEW_MASK_UCAST);
	add_route(B, p3_8, f, b1, &b1, &if7, 1, 7, 7, RTM_VIEW_MASK_UCAST); /* full tie: older first */

	query q;
	memset(&q, 0, sizeof(q));
	q.caller = A;
	check_query("START", &q, f, NULL);
	q.views = RTM_VIEW_MASK_UCAST;
	check_query("ucast", &q, f, NULL);
	q.views = RTM_VIEW_MASK_MCAST;
	check_query("mcast", &q, f, NULL);
	q.views = RTM_VIEW_MASK_ALL;
	check_query("all views", &q, f, NULL);
	q.views = 0;

	q.flags = RTM_ENUM_OWN_ROUTES;
	check_query("own (A)", &q, f, NULL);
	q.caller = C;
	check_query("own (C)", &q, f, NULL);
	q.views = RTM_VIEW_MASK_UCAST;
	check_query("own ucast (C)", &q, f, NULL);
	q.views = 0;
	q.caller = A;

	q.flags = RTM_ENUM_RANGE;
	q.from = &p1_8;
	check_query("RANGE 1/8", &q, f, NULL);
	pfx p1_9 = P4(1, 0, 0, 0, 9);
	q.from = &p1_9;
	check_query("RANGE 1.0/9 (absent)", &q, f, NULL);
	q.flags = RTM_ENUM_NEXT;
	check_query("NEXT 1.0/9", &q, f, NULL);
	q.from = &p2_8;
	check_query("NEXT 2/8", &q, f, NULL);
	q.flags = RTM_ENUM_NEXT | RTM_ENUM_RANGE | RTM_ENUM_OWN_ROUTES;
	q.from = &p1_8;
	check_query("NEXT|RANGE|OWN 1/8", &q, f, NULL);
	pfx p9 = P4(9, 0, 0, 0, 8);
	q.flags = RTM_ENUM_NEXT;
	q.from = &p9;
	check_query("NEXT 9/8 (nothing)", &q, f, NULL);
	q.flags = 0;
	q.from = NULL;

	/* one destination; position flags and StartDest ignored */
	RTM_DEST_HANDLE d1 = dest_of(A, &p1_8, f);
	q.dest = &p1_8;
	check_query("dest 1/8", &q, f, d1);
	q.flags = RTM_ENUM_RANGE; /* StartDest NULL: ignored */
	check_query("dest 1/8, RANGE ignored", &q, f, d1);
	q.flags = RTM_ENUM_OWN_ROUTES;
	check_query("dest 1/8, own", &q, f, d1);
	q.flags = 0;
	q.views = RTM_VIEW_MASK_MCAST;
	check_query("dest 1/8, mcast", &q, f, d1);
	q.views = 0;
	q.dest = NULL;

	/* matching criteria */
	q.match = RTM_MATCH_OWNER;
	q.c_owner = B;
	check_query("match owner B", &q, f, NULL);
	q.c_owner = (RTM_ENTITY_HANDLE)0x123457; /* not validated: matches nothing */
	check_query("match garbage owner", &q, f, NULL);
	q.match = RTM_MATCH_NEIGHBOUR;
	q.c_neighbour = a2;
	check_query("match neighbour a2", &q, f, NULL);
	q.c_neighbour = NULL;
	check_query("match neighbour NULL", &q, f, NULL);
	q.match = RTM_MATCH_PREF;
	q.c_pref = 10;
	q.c_metric = 5;
	check_query("match pref 10/5", &q, f, NULL);
	q.match = RTM_MATCH_NEXTHOP;
	q.c_nh_count = 1;
	q.c_nh[0] = a1;
	check_query("match next hop a1", &q, f, NULL);
	q.c_nh_count = 2;
	q.c_nh[1] = a2;
	check_query("match next hops a1+a2", &q, f, NULL);
	q.c_nh_count = 0;
	check_query("match no next hops (all)", &q, f, NULL);
	q.match = RTM_MATCH_INTERFACE;
	q.c_ifindex = 7;
	check_query("match interface 7", &q, f, NULL);
	q.c_ifindex = 2;
	check_query("match interface 2", &q, f, NULL);
	q.match = RTM_MATCH_INTERFACE | RTM_MATCH_OWNER;
	q.c_owner = B;
	q.c_ifindex = 7;
	check_query("match owner B, interface 7", &q, f, NULL);
	q.match = RTM_MATCH_FULL;
	q.c_owner = A;
	q.c_neighbour = a2;
	q.c_pref = 10;
	q.c_metric = 5;
	q.c_nh_count = 1;
	q.c_nh[0] = a2;
	q.c_ifindex = 1;
	check_query("match full", &q, f, NULL);
	q.views = RTM_VIEW_MASK_MCAST;
	check_query("match full, mcast", &q, f, NULL);
	q.flags = RTM_ENUM_OWN_ROUTES;
	q.caller = B;
	check_query("match full, B's own", &q, f, NULL);
	memset(&q, 0, sizeof(q));
	q.caller = A;

	/* changes between batches inside one destination (1/8: C 5/100, B 10/1, A1 10/5, A2 10/5) */
	RTM_ENUM_HANDLE h = create_enum(&(query){ .caller = A }, f, d1);
	RTM_ROUTE_HANDLE got[16];
	UINT c = 2;
	ok(RtmGetEnumRoutes(A, h, &c, got) == NO_ERROR && c == 2, "first two\n");
	RtmReleaseRoutes(A, c, got);
	RTM_ROUTE_HANDLE behind = add_route(C, p1_8, f, NULL, NULL, NULL, 0, 7, 0, RTM_VIEW_MASK_UCAST);
	RTM_ROUTE_HANDLE ahead = add_route(C, p1_8, f, NULL, NULL, NULL, 0, 10, 3, RTM_VIEW_MASK_UCAST);
	RTM_ROUTE_HANDLE tie = add_route(C, p1_8, f, NULL, NULL, NULL, 0, 10, 1, RTM_VIEW_MASK_UCAST); /* after B */
	RtmReferenceHandles(A, 1, &rA1);
	ok(RtmDeleteRouteToDest(A, rA1, NULL) == NO_ERROR, "delete A1 (ahead)\n");
	model[0].deleted = 1;
	unsigned n = drain_routes(A, h, 1, got, 16);
	ok(n == 3 && got[0] == tie && got[1] == ahead && got[2] == rA2, "rest of 1/8: %u (%p %p %p)\n", n, got[0],
	   got[1], got[2]);
	RtmDeleteEnumHandle(A, h);
	(void)behind;

	/* whole-table enumerations stay right with the new routes */
	check_query("START after changes", &q, f, NULL);
	q.views = RTM_VIEW_MASK_UCAST;
	check_query("ucast after changes", &q, f, NULL);
	q.views = 0;

	/* a one-destination enumeration keeps its destination: routes re-added later are seen */
	RTM_DEST_HANDLE d3 = dest_of(A, &p3_8, f);
	h = create_enum(&(query){ .caller = A }, f, d3);
	ok(RtmReleaseDests(A, 1, (PRTM_DEST_INFO) & (RTM_DEST_INFO){ .DestHandle = d3 }) == NO_ERROR, "release d3\n");
	for (unsigned i = 0; i < model_n; i++)
		if (pfx_eq(&model[i].p, &p3_8) && !model[i].deleted) {
			RtmReferenceHandles(model[i].owner, 1, &model[i].h);
			ok(RtmDeleteRouteToDest(model[i].owner, model[i].h, NULL) == NO_ERROR, "delete 3/8 route\n");
			model[i].deleted = 1;
		}
	RTM_ROUTE_HANDLE back = add_route(B, p3_8, f, NULL, NULL, NULL, 0, 1, 1, RTM_VIEW_MASK_UCAST);
	n = drain_routes(A, h, 5, got, 16);
	ok(n == 1 && got[0] == back, "the route re-added to 3/8: %u\n", n);
	RtmDeleteEnumHandle(A, h);
	/* one whose destination has left the table: nothing */
	RTM_DEST_HANDLE d3b = dest_of(A, &p3_8, f);
	ok(d3b == d3, "same destination object: %p %p\n", d3b, d3);
	RtmReferenceHandles(B, 1, &back);
	RtmDeleteRouteToDest(B, back, NULL);
	model[model_n - 1].deleted = 1;
	h = create_enum(&(query){ .caller = A }, f, d3b);
	ok(drain_routes(A, h, 5, got, 16) == 0, "empty destination\n");
	RtmDeleteEnumHandle(A, h);
	RtmReleaseDests(A, 1, (PRTM_DEST_INFO) & (RTM_DEST_INFO){ .DestHandle = d3b });

	/* one reference per model route is left (the deleted ones were referenced before deletion) */
	for (unsigned i = 0; i < model_n; i++)
		ok(RtmReleaseRoutes(A, 1, &model[i].h) == NO_ERROR, "release route %u\n", i);
	RtmReleaseDests(A, 1, (PRTM_DEST_INFO) & (RTM_DEST_INFO){ .DestHandle = d1 });
	RTM_NEXTHOP_HANDLE nhs[4] = { a1, a2, a3, b1 };
	RtmReleaseNextHops(A, 4, nhs);
	RtmDeregisterEntity(A);
	RtmDeregisterEntity(B);
	RtmDeregisterEntity(C);
}

static void test_routes_ipv6(void)
{
	USHORT f = AF_INET6;
	model_n = 0;
	RTM_ENTITY_HANDLE A = test_register(202, f, 1, 1, NULL);
	RTM_ENTITY_HANDLE B = test_register(202, f, 2, 1, NULL);
	RTM_NET_ADDRESS n;
	pfx p[6];
	n = test_ipv6(0x2001, 0x0db8, 0, 0, 32), p[0] = pfx_of(&n);
	n = test_ipv6(0x2001, 0x0db8, 0, 0, 48), p[1] = pfx_of(&n);
	n = test_ipv6(0x2001, 0x0db8, 0x8000, 0, 33), p[2] = pfx_of(&n);
	n = test_ipv6(0, 0, 0, 0, 0), p[3] = pfx_of(&n);
	n = test_ipv6(0xfe80, 0, 0, 0, 64), p[4] = pfx_of(&n);
	n = test_ipv6(0x2001, 0x0db8, 0, 1, 128), p[5] = pfx_of(&n);
	for (unsigned i = 0; i < 6; i++) {
		add_route(A, p[i], f, NULL, NULL, NULL, 0, 20 - i, 1, RTM_VIEW_MASK_UCAST);
		add_route(B, p[5 - i], f, NULL, NULL, NULL, 0, 10 + i, 1, i % 2 ? RTM_VIEW_MASK_MCAST : 3);
	}
	query q;
	memset(&q, 0, sizeof(q));
	q.caller = B;
	check_query("v6 START", &q, f, NULL);
	q.flags = RTM_ENUM_RANGE;
	q.from = &p[0];
	check_query("v6 RANGE 2001:db8::/32", &q, f, NULL);
	n = test_ipv6(0x2001, 0x0db8, 0, 0, 47);
	pfx cut = pfx_of(&n);
	q.from = &cut;
	check_query("v6 RANGE 2001:db8::/47", &q, f, NULL);
	q.flags = RTM_ENUM_NEXT | RTM_ENUM_OWN_ROUTES;
	check_query("v6 NEXT own 2001:db8::/47", &q, f, NULL);
	q.flags = 0;
	q.views = RTM_VIEW_MASK_MCAST;
	check_query("v6 mcast", &q, f, NULL);
	for (unsigned i = 0; i < model_n; i++)
		RtmReleaseRoutes(A, 1, &model[i].h);
	RtmDeregisterEntity(A);
	RtmDeregisterEntity(B);
}

int main(void)
{
	test_routes_ipv4();
	test_routes_ipv6();
	expect_all_freed();
	return test_finish();
}

/*
 * test_route_list.c - client route lists (spec functions-2 §4, concepts §14):
 * creation, insertion order, moves between lists, removal, ownership,
 * argument errors, list enumerations and their positions, deletion of
 * lists, routes and entities, and object accounting.
 */
#include "test_util.h"

#define MAXH 100
#define INST 41

static RTM_ROUTE_LIST_HANDLE new_list(RTM_ENTITY_HANDLE reg)
{
	RTM_ROUTE_LIST_HANDLE l = NULL;
	DWORD err = RtmCreateRouteList(reg, &l);
	ok(err == NO_ERROR, "RtmCreateRouteList: %lu\n", (unsigned long)err);
	ok(l != NULL, "no list handle\n");
	return l;
}

static RTM_ENUM_HANDLE new_enum(RTM_ENTITY_HANDLE reg, RTM_ROUTE_LIST_HANDLE l)
{
	RTM_ENUM_HANDLE e = NULL;
	DWORD err = RtmCreateRouteListEnum(reg, l, &e);
	ok(err == NO_ERROR, "RtmCreateRouteListEnum: %lu\n", (unsigned long)err);
	return e;
}

static void insert(RTM_ENTITY_HANDLE reg, RTM_ROUTE_LIST_HANDLE l, UINT n, RTM_ROUTE_HANDLE *r)
{
	DWORD err = RtmInsertInRouteList(reg, l, n, r);
	ok(err == NO_ERROR, "RtmInsertInRouteList: %lu\n", (unsigned long)err);
}

static void delete_enum(RTM_ENTITY_HANDLE reg, RTM_ENUM_HANDLE e)
{
	DWORD err = RtmDeleteEnumHandle(reg, e);
	ok(err == NO_ERROR, "RtmDeleteEnumHandle: %lu\n", (unsigned long)err);
}

/* one batch of at most want routes into out (references released); returns the count */
static UINT batch(RTM_ENTITY_HANDLE reg, RTM_ENUM_HANDLE e, UINT want, RTM_ROUTE_HANDLE *out)
{
	RTM_ROUTE_HANDLE h[MAXH];
	UINT n = want;
	DWORD err = RtmGetListEnumRoutes(reg, e, &n, h);
	ok(err == NO_ERROR, "RtmGetListEnumRoutes: %lu\n", (unsigned long)err);
	ok(n <= want, "returned %u of %u\n", n, want);
	for (UINT i = 0; i < n && out; i++)
		out[i] = h[i];
	if (n) {
		err = RtmReleaseRoutes(reg, n, h);
		ok(err == NO_ERROR, "RtmReleaseRoutes: %lu\n", (unsigned long)err);
	}
	return n;
}

/* the whole content of list l, in order, through a fresh enumeration; returns the count */
static UINT contents(RTM_ENTITY_HANDLE reg, RTM_ROUTE_LIST_HANDLE l, RTM_ROUTE_HANDLE *out, UINT room)
{
	RTM_ENUM_HANDLE e = new_enum(reg, l);
	UINT total = 0, n;
	do {
		RTM_ROUTE_HANDLE part[7];
		n = batch(reg, e, 7, part);
		for (UINT i = 0; i < n; i++)
			if (total + i < room)
				out[total + i] = part[i];
		total += n;
	} while (n == 7);
	delete_enum(reg, e);
	return total;
}

/* does list l hold exactly these routes, in this order? */
static int list_is(RTM_ENTITY_HANDLE reg, RTM_ROUTE_LIST_HANDLE l, UINT n, const RTM_ROUTE_HANDLE *want)
{
	RTM_ROUTE_HANDLE got[64];
	UINT k = contents(reg, l, got, 64);
	if (k != n) {
		fprintf(stderr, "list has %u routes, expected %u\n", k, n);
		return 0;
	}
	for (UINT i = 0; i < n; i++)
		if (got[i] != want[i]) {
			fprintf(stderr, "entry %u differs\n", i);
			return 0;
		}
	return 1;
}

#define LIST_IS(reg, l, ...)                                                             \
	do {                                                                             \
		RTM_ROUTE_HANDLE want_[] = { __VA_ARGS__ };                              \
		ok(list_is(reg, l, sizeof(want_) / sizeof(want_[0]), want_), "list content\n"); \
	} while (0)

static void expect_empty(RTM_ENTITY_HANDLE reg, RTM_ROUTE_LIST_HANDLE l)
{
	RTM_ROUTE_HANDLE got[4];
	expect_eq(contents(reg, l, got, 4), 0);
}

static void release_route(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE h)
{
	DWORD err = RtmReleaseRoutes(reg, 1, &h);
	ok(err == NO_ERROR, "RtmReleaseRoutes: %lu\n", (unsigned long)err);
}

static void delete_route(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE h)
{
	DWORD flags;
	DWORD err = RtmDeleteRouteToDest(reg, h, &flags);
	ok(err == NO_ERROR, "RtmDeleteRouteToDest: %lu\n", (unsigned long)err);
}

typedef struct fixture {
	RTM_ENTITY_HANDLE a, b;
	RTM_NEXTHOP_HANDLE nha, nhb;
	RTM_ROUTE_HANDLE r[8]; /* a's routes to 10.i/16 */
	RTM_ROUTE_HANDLE foreign; /* b's route */
} fixture;

static void setup(fixture *f)
{
	f->a = test_register(INST, AF_INET, 1, 0, NULL);
	f->b = test_register(INST, AF_INET, 2, 0, NULL);
	f->nha = test_nexthop(f->a, test_ipv4(192, 168, 0, 1, 32), 1);
	f->nhb = test_nexthop(f->b, test_ipv4(192, 168, 0, 2, 32), 1);
	for (unsigned i = 0; i < 8; i++)
		f->r[i] = test_route(f->a, test_ipv4(10, i, 0, 0, 16), f->nha, 10, 1, RTM_VIEW_MASK_UCAST);
	f->foreign = test_route(f->b, test_ipv4(10, 0, 0, 0, 16), f->nhb, 20, 1, RTM_VIEW_MASK_UCAST);
}

static void teardown(fixture *f)
{
	for (unsigned i = 0; i < 8; i++)
		if (f->r[i])
			delete_route(f->a, f->r[i]);
	delete_route(f->b, f->foreign);
	RtmReleaseNextHops(f->a, 1, &f->nha);
	RtmReleaseNextHops(f->b, 1, &f->nhb);
	test_deregister(f->b);
	test_deregister(f->a);
}

/* ---- creation and insertion ---------------------------------------------------------------------- */

static void test_create_errors(void)
{
	fixture f;
	setup(&f);
	RTM_ROUTE_LIST_HANDLE l = (RTM_ROUTE_LIST_HANDLE)0x99, l2;
	DWORD err;

	expect_eq(RtmCreateRouteList(NULL, &l), ERROR_INVALID_HANDLE);
	expect_eq(RtmCreateRouteList((RTM_ENTITY_HANDLE)0x3030303, &l), ERROR_INVALID_HANDLE);
	expect_eq(RtmCreateRouteList(NULL, NULL), ERROR_INVALID_HANDLE);
	expect_eq(RtmCreateRouteList(f.a, NULL), ERROR_INVALID_PARAMETER);
	ok(l == (RTM_ROUTE_LIST_HANDLE)0x99, "written on failure\n");

	/* no limit but memory: many lists, all distinct */
	RTM_ROUTE_LIST_HANDLE many[200];
	for (int i = 0; i < 200; i++)
		many[i] = new_list(f.a);
	for (int i = 1; i < 200; i++)
		ok(many[i] != many[i - 1], "same handle twice\n");
	expect_eq(test_live_count(RTM_TEST_COUNT_ROUTE_LISTS), 200);
	for (int i = 0; i < 200; i++)
		expect_eq(RtmDeleteRouteList(f.a, many[i]), NO_ERROR);
	expect_eq(test_live_count(RTM_TEST_COUNT_ROUTE_LISTS), 0);

	l = new_list(f.a);
	l2 = new_list(f.b);
	RTM_ROUTE_LIST_HANDLE stale = new_list(f.a);
	expect_eq(RtmDeleteRouteList(f.a, stale), NO_ERROR);
	HANDLE bad[] = { (HANDLE)0x4545, stale, l2, f.r[0], f.a, f.nha };

	/* RtmInsertInRouteList */
	expect_eq(RtmInsertInRouteList(NULL, l, 1, f.r), ERROR_INVALID_HANDLE);
	expect_eq(RtmInsertInRouteList(f.a, l, 1, NULL), ERROR_INVALID_PARAMETER);
	expect_eq(RtmInsertInRouteList(f.a, l, 0, NULL), NO_ERROR);
	expect_eq(RtmInsertInRouteList(f.a, NULL, 0, NULL), NO_ERROR);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = RtmInsertInRouteList(f.a, bad[i], 1, f.r);
		ok(err == ERROR_INVALID_HANDLE, "list handle %u: %lu\n", i, (unsigned long)err);
	}
	RTM_ROUTE_HANDLE arr[3] = { f.r[0], (HANDLE)0x6767, f.r[1] };
	expect_eq(RtmInsertInRouteList(f.a, l, 3, arr), ERROR_INVALID_HANDLE);
	arr[1] = l; /* a list is not a route */
	expect_eq(RtmInsertInRouteList(f.a, l, 3, arr), ERROR_INVALID_HANDLE);
	arr[1] = NULL;
	expect_eq(RtmInsertInRouteList(f.a, l, 3, arr), ERROR_INVALID_HANDLE);
	expect_empty(f.a, l); /* nothing moved */
	/* someone else's route: access denied, nothing moves, but every handle is checked first */
	arr[1] = f.foreign;
	expect_eq(RtmInsertInRouteList(f.a, l, 3, arr), ERROR_ACCESS_DENIED);
	expect_empty(f.a, l);
	arr[2] = (HANDLE)0x6767;
	expect_eq(RtmInsertInRouteList(f.a, l, 3, arr), ERROR_INVALID_HANDLE);
	expect_eq(RtmInsertInRouteList(f.a, NULL, 2, arr), ERROR_ACCESS_DENIED);
	expect_eq(RtmInsertInRouteList(f.b, l2, 1, &f.r[0]), ERROR_ACCESS_DENIED);
	expect_empty(f.b, l2);

	/* RtmCreateRouteListEnum */
	RTM_ENUM_HANDLE e = (RTM_ENUM_HANDLE)0x77;
	expect_eq(RtmCreateRouteListEnum(NULL, l, &e), ERROR_INVALID_HANDLE);
	expect_eq(RtmCreateRouteListEnum(f.a, l, NULL), ERROR_INVALID_PARAMETER);
	expect_eq(RtmCreateRouteListEnum(f.a, (HANDLE)0x4545, NULL), ERROR_INVALID_PARAMETER); /* pointers first */
	expect_eq(RtmCreateRouteListEnum(f.a, NULL, &e), ERROR_INVALID_HANDLE);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = RtmCreateRouteListEnum(f.a, bad[i], &e);
		ok(err == ERROR_INVALID_HANDLE, "list handle %u: %lu\n", i, (unsigned long)err);
	}
	ok(e == (RTM_ENUM_HANDLE)0x77, "written on failure\n");

	/* RtmGetListEnumRoutes */
	e = new_enum(f.a, l);
	RTM_ENUM_HANDLE eb = new_enum(f.b, l2);
	RTM_ROUTE_HANDLE h[MAXH + 1];
	UINT n = 3;
	expect_eq(RtmGetListEnumRoutes(NULL, e, &n, h), ERROR_INVALID_HANDLE);
	expect_eq(n, 0);
	expect_eq(RtmGetListEnumRoutes(f.a, e, NULL, h), ERROR_INVALID_PARAMETER);
	n = 3;
	expect_eq(RtmGetListEnumRoutes(f.a, e, &n, NULL), ERROR_INVALID_PARAMETER);
	expect_eq(n, 0);
	n = 0;
	expect_eq(RtmGetListEnumRoutes(f.a, e, &n, NULL), NO_ERROR);
	n = MAXH + 1;
	expect_eq(RtmGetListEnumRoutes(f.a, e, &n, h), ERROR_INVALID_PARAMETER);
	expect_eq(n, 0);
	n = MAXH;
	expect_eq(RtmGetListEnumRoutes(f.a, e, &n, h), NO_ERROR); /* empty: NO_ERROR, 0 */
	expect_eq(n, 0);
	RTM_ENUM_HANDLE dest_enum = NULL;
	expect_eq(RtmCreateDestEnum(f.a, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, NULL, RTM_BEST_PROTOCOL, &dest_enum),
		  NO_ERROR);
	RTM_ENUM_HANDLE bad_enums[] = { NULL, (HANDLE)0x12121, eb, l, f.r[0], dest_enum };
	for (unsigned i = 0; i < sizeof(bad_enums) / sizeof(bad_enums[0]); i++) {
		n = 5;
		err = RtmGetListEnumRoutes(f.a, bad_enums[i], &n, h);
		ok(err == ERROR_INVALID_HANDLE, "enum handle %u: %lu\n", i, (unsigned long)err);
		expect_eq(n, 0);
	}
	/* a list enumeration is no route enumeration */
	n = 5;
	expect_eq(RtmGetEnumRoutes(f.a, e, &n, h), ERROR_INVALID_HANDLE);
	delete_enum(f.a, dest_enum);
	delete_enum(f.b, eb);
	delete_enum(f.a, e);
	n = 5;
	expect_eq(RtmGetListEnumRoutes(f.a, e, &n, h), ERROR_INVALID_HANDLE); /* stale */

	/* RtmDeleteRouteList */
	expect_eq(RtmDeleteRouteList(NULL, l), ERROR_INVALID_HANDLE);
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err = RtmDeleteRouteList(f.a, bad[i]);
		ok(err == ERROR_INVALID_HANDLE, "list handle %u: %lu\n", i, (unsigned long)err);
	}
	expect_eq(RtmDeleteRouteList(f.a, NULL), ERROR_INVALID_HANDLE);
	expect_eq(RtmDeleteRouteList(f.a, l), NO_ERROR);
	expect_eq(RtmDeleteRouteList(f.a, l), ERROR_INVALID_HANDLE);
	expect_eq(RtmDeleteRouteList(f.b, l2), NO_ERROR);

	/* another table's list */
	RTM_ENTITY_HANDLE other = test_register(INST + 1, AF_INET, 1, 0, NULL);
	RTM_ROUTE_LIST_HANDLE lo = new_list(other);
	l = new_list(f.a);
	expect_eq(RtmInsertInRouteList(other, l, 0, NULL), ERROR_INVALID_HANDLE);
	expect_eq(RtmDeleteRouteList(f.a, lo), ERROR_INVALID_HANDLE);
	expect_eq(RtmInsertInRouteList(other, lo, 1, f.r), ERROR_INVALID_HANDLE);
	expect_eq(RtmDeleteRouteList(other, lo), NO_ERROR);
	expect_eq(RtmDeleteRouteList(f.a, l), NO_ERROR);
	test_deregister(other);

	teardown(&f);
}

static void test_insert_order(void)
{
	fixture f;
	setup(&f);
	RTM_ROUTE_HANDLE *r = f.r;
	RTM_ROUTE_LIST_HANDLE l1 = new_list(f.a), l2 = new_list(f.a);

	/* appended in array order; re-inserting moves to the end, also in the same list */
	insert(f.a, l1, 3, (RTM_ROUTE_HANDLE[]){ r[0], r[1], r[2] });
	LIST_IS(f.a, l1, r[0], r[1], r[2]);
	insert(f.a, l1, 1, &r[3]);
	LIST_IS(f.a, l1, r[0], r[1], r[2], r[3]);
	insert(f.a, l1, 1, &r[1]);
	LIST_IS(f.a, l1, r[0], r[2], r[3], r[1]);
	insert(f.a, l1, 1, &r[1]); /* already last: stays */
	LIST_IS(f.a, l1, r[0], r[2], r[3], r[1]);
	insert(f.a, l1, 1, &r[0]); /* the first to the end */
	LIST_IS(f.a, l1, r[2], r[3], r[1], r[0]);
	/* a repeated handle ends at its last occurrence */
	insert(f.a, l1, 4, (RTM_ROUTE_HANDLE[]){ r[4], r[2], r[5], r[4] });
	LIST_IS(f.a, l1, r[3], r[1], r[0], r[2], r[5], r[4]);

	/* at most one list: inserting elsewhere takes a route out of its list */
	insert(f.a, l2, 2, (RTM_ROUTE_HANDLE[]){ r[1], r[4] });
	LIST_IS(f.a, l1, r[3], r[0], r[2], r[5]);
	LIST_IS(f.a, l2, r[1], r[4]);
	/* a NULL list just takes routes out */
	insert(f.a, NULL, 2, (RTM_ROUTE_HANDLE[]){ r[3], r[4] });
	LIST_IS(f.a, l1, r[0], r[2], r[5]);
	LIST_IS(f.a, l2, r[1]);
	insert(f.a, NULL, 1, &r[7]); /* in no list: nothing happens */
	LIST_IS(f.a, l1, r[0], r[2], r[5]);

	/* the caller keeps its references */
	RTM_ROUTE_HANDLE extra = r[0];
	expect_eq(RtmReferenceHandles(f.a, 1, &extra), NO_ERROR);
	insert(f.a, l2, 1, &extra);
	release_route(f.a, extra);
	LIST_IS(f.a, l2, r[1], r[0]);

	/* a deleted route leaves its list; its handle (still held) is skipped silently */
	RTM_ROUTE_HANDLE keep = r[2];
	expect_eq(RtmReferenceHandles(f.a, 1, &keep), NO_ERROR);
	delete_route(f.a, r[2]);
	r[2] = NULL;
	LIST_IS(f.a, l1, r[5]);
	insert(f.a, l1, 2, (RTM_ROUTE_HANDLE[]){ keep, r[6] });
	LIST_IS(f.a, l1, r[5], r[6]);
	/* (still an access check on someone else's dead route) */
	release_route(f.a, keep);

	/* membership is not a reference: a listed route whose owner lets go is freed */
	DWORD routes = test_live_count(RTM_TEST_COUNT_ROUTES);
	delete_route(f.a, r[6]);
	r[6] = NULL;
	expect_eq(test_live_count(RTM_TEST_COUNT_ROUTES), routes - 1);
	LIST_IS(f.a, l1, r[5]);

	/* RtmAddRouteToDest with a list appends the route (new or updated) */
	test_route_info_buf ri;
	test_fill_route(&ri.info, f.nha, 10, 2, RTM_VIEW_MASK_UCAST);
	RTM_NET_ADDRESS p = test_ipv4(10, 7, 0, 0, 16);
	RTM_ROUTE_HANDLE h = NULL;
	DWORD flags = 0;
	expect_eq(RtmAddRouteToDest(f.a, &h, &p, &ri.info, INFINITE, l1, 0, NULL, &flags), NO_ERROR);
	ok(h == r[7], "update gave another route\n");
	release_route(f.a, h);
	LIST_IS(f.a, l1, r[5], r[7]);
	RTM_NET_ADDRESS q = test_ipv4(10, 200, 0, 0, 16);
	RTM_ROUTE_HANDLE fresh = NULL;
	flags = 0;
	expect_eq(RtmAddRouteToDest(f.a, &fresh, &q, &ri.info, INFINITE, l2, 0, NULL, &flags), NO_ERROR);
	LIST_IS(f.a, l2, r[1], r[0], fresh);
	h = r[5];
	expect_eq(RtmAddRouteToDest(f.a, &h, NULL, &ri.info, INFINITE, l2, 0, NULL, &flags), NO_ERROR);
	LIST_IS(f.a, l1, r[7]);
	LIST_IS(f.a, l2, r[1], r[0], fresh, r[5]);
	/* another entity's list is an invalid handle there too */
	RTM_ROUTE_LIST_HANDLE lb = new_list(f.b);
	h = r[5];
	expect_eq(RtmAddRouteToDest(f.a, &h, NULL, &ri.info, INFINITE, lb, 0, NULL, &flags), ERROR_INVALID_HANDLE);
	LIST_IS(f.a, l2, r[1], r[0], fresh, r[5]);
	expect_eq(RtmDeleteRouteList(f.b, lb), NO_ERROR);
	delete_route(f.a, fresh);
	LIST_IS(f.a, l2, r[1], r[0], r[5]);

	/* deleting a list only empties it: the routes stay and can go to another list */
	routes = test_live_count(RTM_TEST_COUNT_ROUTES);
	expect_eq(RtmDeleteRouteList(f.a, l2), NO_ERROR);
	expect_eq(test_live_count(RTM_TEST_COUNT_ROUTES), routes);
	expect_eq(test_dest_routes(f.a, test_ipv4(10, 1, 0, 0, 16), 0), 1);
	insert(f.a, l1, 3, (RTM_ROUTE_HANDLE[]){ r[1], r[0], r[5] });
	LIST_IS(f.a, l1, r[7], r[1], r[0], r[5]);
	expect_eq(RtmDeleteRouteList(f.a, l1), NO_ERROR);

	teardown(&f);
}

/* ---- enumerations -------------------------------------------------------------------------------- */

static void test_enum(void)
{
	fixture f;
	setup(&f);
	RTM_ROUTE_HANDLE *r = f.r, got[MAXH];
	RTM_ROUTE_LIST_HANDLE l = new_list(f.a);
	insert(f.a, l, 5, (RTM_ROUTE_HANDLE[]){ r[0], r[1], r[2], r[3], r[4] });

	/* batches of 2 over 5: 2, 2, 1, then 0 (never ERROR_NO_MORE_ITEMS) */
	RTM_ENUM_HANDLE e = new_enum(f.a, l);
	expect_eq(batch(f.a, e, 2, got), 2);
	ok(got[0] == r[0] && got[1] == r[1], "first batch\n");
	expect_eq(batch(f.a, e, 2, got), 2);
	ok(got[0] == r[2] && got[1] == r[3], "second batch\n");
	expect_eq(batch(f.a, e, 2, got), 1);
	ok(got[0] == r[4], "third batch\n");
	expect_eq(batch(f.a, e, 2, got), 0);
	expect_eq(batch(f.a, e, MAXH, got), 0);
	/* a route appended after the end was reached is returned by the same enumeration */
	insert(f.a, l, 1, &r[5]);
	expect_eq(batch(f.a, e, MAXH, got), 1);
	ok(got[0] == r[5], "appended route\n");
	delete_enum(f.a, e);

	/* returned handles carry references: released once each, then over-release fails */
	e = new_enum(f.a, l);
	RTM_ROUTE_HANDLE h[MAXH];
	UINT n = MAXH;
	expect_eq(RtmGetListEnumRoutes(f.a, e, &n, h), NO_ERROR);
	expect_eq(n, 6);
	expect_eq(RtmReleaseRoutes(f.a, n, h), NO_ERROR);
	delete_enum(f.a, e);

	/* positions: list is r0 r1 r2 r3 r4 r5 */
	e = new_enum(f.a, l);
	expect_eq(batch(f.a, e, 2, got), 2); /* r0 r1; at r1 */
	insert(f.a, NULL, 1, &r[3]);        /* removed ahead: not returned */
	insert(f.a, NULL, 1, &r[1]);        /* the position itself leaves */
	insert(f.a, l, 1, &r[0]);           /* returned, then moved to the end: comes again */
	expect_eq(batch(f.a, e, MAXH, got), 4);
	ok(got[0] == r[2] && got[1] == r[4] && got[2] == r[5] && got[3] == r[0], "resumed batch\n");
	expect_eq(batch(f.a, e, MAXH, got), 0);
	delete_enum(f.a, e);
	LIST_IS(f.a, l, r[2], r[4], r[5], r[0]);

	/* position on a deleted route; and two enumerations of one list are independent */
	e = new_enum(f.a, l);
	RTM_ENUM_HANDLE e2 = new_enum(f.a, l);
	expect_eq(batch(f.a, e, 1, got), 1); /* r2 */
	expect_eq(batch(f.a, e2, 3, got), 3); /* r2 r4 r5 */
	delete_route(f.a, r[2]);
	r[2] = NULL;
	expect_eq(batch(f.a, e, 1, got), 1);
	ok(got[0] == r[4], "after the position's route was deleted\n");
	expect_eq(batch(f.a, e2, MAXH, got), 1);
	ok(got[0] == r[0], "second enumeration\n");

	/* after the list is deleted an enumeration returns no routes; its handle still needs deleting */
	DWORD enums = test_live_count(RTM_TEST_COUNT_ENUMS);
	expect_eq(RtmDeleteRouteList(f.a, l), NO_ERROR);
	expect_eq(batch(f.a, e, MAXH, got), 0);
	expect_eq(batch(f.a, e2, MAXH, got), 0);
	expect_eq(test_live_count(RTM_TEST_COUNT_ENUMS), enums);
	delete_enum(f.a, e);
	delete_enum(f.a, e2);
	expect_eq(test_live_count(RTM_TEST_COUNT_ENUMS), enums - 2);

	/* a long list in full batches */
	l = new_list(f.a);
	RTM_ROUTE_HANDLE lots[250];
	for (unsigned i = 0; i < 250; i++)
		lots[i] = test_route(f.a, test_ipv4(11, i, 0, 0, 16), f.nha, 10, 1, RTM_VIEW_MASK_UCAST);
	insert(f.a, l, 250, lots);
	e = new_enum(f.a, l);
	UINT total = 0, k;
	while ((k = batch(f.a, e, MAXH, got)) == MAXH) {
		for (UINT i = 0; i < k; i++)
			ok(got[i] == lots[total + i], "entry %u\n", total + i);
		total += k;
	}
	for (UINT i = 0; i < k; i++)
		ok(got[i] == lots[total + i], "entry %u\n", total + i);
	expect_eq(total + k, 250);
	delete_enum(f.a, e);
	for (unsigned i = 0; i < 250; i++)
		delete_route(f.a, lots[i]);
	expect_empty(f.a, l);
	expect_eq(RtmDeleteRouteList(f.a, l), NO_ERROR);

	teardown(&f);
}

/* ---- deregistration ------------------------------------------------------------------------------ */

static void test_deregistration(void)
{
	fixture f;
	setup(&f);
	RTM_ROUTE_LIST_HANDLE l = new_list(f.a), l2 = new_list(f.a);
	insert(f.a, l, 8, f.r);
	RTM_ENUM_HANDLE e = new_enum(f.a, l), e2 = new_enum(f.a, l2);
	RTM_ROUTE_HANDLE got[4];
	expect_eq(batch(f.a, e, 3, got), 3);
	/* the owner's deregistration deletes its routes, lists and list enumerations */
	for (unsigned i = 0; i < 8; i++)
		release_route(f.a, f.r[i]);
	RtmReleaseNextHops(f.a, 1, &f.nha);
	test_deregister(f.a);
	expect_eq(test_live_count(RTM_TEST_COUNT_ROUTE_LISTS), 0);
	expect_eq(test_live_count(RTM_TEST_COUNT_ENUMS), 0);
	delete_route(f.b, f.foreign);
	RtmReleaseNextHops(f.b, 1, &f.nhb);
	test_deregister(f.b);
	(void)e2;
}

int main(void)
{
	test_create_errors();
	test_insert_order();
	test_enum();
	test_deregistration();
	expect_no_live_objects();
	return test_finish();
}

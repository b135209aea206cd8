/*
 * test_enum_mt.c - enumerations while other threads change the table
 * (spec functions-2 §0.11): writers add and delete routes and next hops,
 * readers walk the whole table again and again and check that keys strictly
 * increase, nothing is returned twice, and every "stable" prefix (present
 * from start to end) is returned.  Also: two threads sharing one
 * enumeration handle, and a handle deleted while another thread uses it.
 */
#include "test_enum_util.h"

#define INSTANCE 301
#define UNIVERSE 4096 /* prefixes; the even ones (in key order) are stable */
#define WRITERS 3
#define READERS 2
#define RUN_MS 800

/*
 * Threads must not use ok() (its counters are plain integers): they count
 * failures atomically and print them; main() checks the count.
 */
static int mt_failures;

static int tok_(int cond, const char *fmt, ...)
{
	if (cond)
		return 1;
	test_inc(&mt_failures);
	va_list ap;
	va_start(ap, fmt);
	fputs("thread: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	return 0;
}
#define tok(cond, ...) tok_(!!(cond), __VA_ARGS__)

static pfx universe[UNIVERSE];
static RTM_ROUTE_HANDLE stable_routes[UNIVERSE / 2]; /* sorted by handle value */
static unsigned stable_count;
static int stop;

static int find_prefix(const pfx *p)
{
	int lo = 0, hi = UNIVERSE - 1;
	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		int c = pfx_cmp(&universe[mid], p);
		if (!c)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

static int cmp_handle(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t) * (const RTM_ROUTE_HANDLE *)a, y = (uintptr_t) * (const RTM_ROUTE_HANDLE *)b;
	return x < y ? -1 : x > y;
}

static void make_universe(void)
{
	uint32_t seed = 4242;
	unsigned n = 0;
	while (n < UNIVERSE) {
		uint8_t b[16] = { 10, (uint8_t)(test_rand(&seed) % 16), (uint8_t)test_rand(&seed), (uint8_t)test_rand(&seed) };
		static const unsigned lens[] = { 8, 12, 16, 16, 20, 22, 24, 24, 24, 28, 32 };
		pfx p = pfx_make(b, lens[test_rand(&seed) % 11]);
		int dup = 0;
		for (unsigned i = 0; i < n && !dup; i++)
			dup = pfx_eq(&universe[i], &p);
		if (!dup)
			universe[n++] = p;
	}
	pfx_sort(universe, UNIVERSE);
}

/* ---- writers ---------------------------------------------------------------- */

typedef struct writer {
	RTM_ENTITY_HANDLE reg;
	uint32_t seed;
	RTM_ROUTE_HANDLE mine[UNIVERSE];   /* the writer's route per universe index, or NULL */
	RTM_NEXTHOP_HANDLE nh[64];         /* volatile next hops */
	unsigned ops;
} writer;

static writer writers[WRITERS];

static RTM_ROUTE_HANDLE add_route(RTM_ENTITY_HANDLE reg, const pfx *p, ULONG pref, ULONG metric, DWORD views)
{
	RTM_ROUTE_INFO info;
	memset(&info, 0, sizeof(info));
	info.PrefInfo.Preference = pref;
	info.PrefInfo.Metric = metric;
	info.BelongsToViews = views;
	RTM_NET_ADDRESS a = pfx_addr(p, AF_INET);
	RTM_ROUTE_HANDLE h = NULL;
	DWORD err = RtmAddRouteToDest(reg, &h, &a, &info, INFINITE, NULL, 0, NULL, NULL);
	tok(err == NO_ERROR, "RtmAddRouteToDest: %lu\n", (unsigned long)err);
	return h;
}

static RTM_NEXTHOP_HANDLE add_nexthop(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS addr, ULONG ifindex)
{
	RTM_NEXTHOP_INFO nh;
	memset(&nh, 0, sizeof(nh));
	nh.NextHopAddress = addr;
	nh.InterfaceIndex = ifindex;
	RTM_NEXTHOP_HANDLE h = NULL;
	DWORD err = RtmAddNextHop(reg, &nh, &h, NULL);
	tok(err == NO_ERROR, "RtmAddNextHop: %lu\n", (unsigned long)err);
	return h;
}

static void writer_main(void *arg)
{
	writer *w = arg;
	while (!test_load(&stop)) {
		unsigned i = test_rand(&w->seed) % UNIVERSE;
		if (!(i % 2) && test_rand(&w->seed) % 4)
			i++; /* mostly the volatile ones, sometimes a second route on a stable one */
		if (i >= UNIVERSE)
			continue;
		if (w->mine[i]) {
			DWORD err = RtmDeleteRouteToDest(w->reg, w->mine[i], NULL);
			tok(err == NO_ERROR, "writer delete: %lu\n", (unsigned long)err);
			w->mine[i] = NULL;
		} else {
			w->mine[i] = add_route(w->reg, &universe[i], test_rand(&w->seed) % 50, test_rand(&w->seed) % 50,
					       test_rand(&w->seed) % 2 ? RTM_VIEW_MASK_UCAST : 3);
		}
		unsigned k = test_rand(&w->seed) % 64;
		if (w->nh[k]) {
			tok(RtmDeleteNextHop(w->reg, w->nh[k], NULL) == NO_ERROR, "next-hop delete\n");
			w->nh[k] = NULL;
		} else {
			w->nh[k] = add_nexthop(w->reg, test_ipv4(192, 168, 1, k * 2 + 1, 32), k % 3);
		}
		w->ops++;
	}
	for (unsigned i = 0; i < UNIVERSE; i++)
		if (w->mine[i])
			RtmDeleteRouteToDest(w->reg, w->mine[i], NULL);
	for (unsigned k = 0; k < 64; k++)
		if (w->nh[k])
			RtmDeleteNextHop(w->reg, w->nh[k], NULL);
}

/* ---- readers ---------------------------------------------------------------- */

typedef struct reader {
	RTM_ENTITY_HANDLE reg;
	uint32_t seed;
	unsigned dest_walks, route_walks, nexthop_walks;
	char buf[TEST_MAX_BATCH * TEST_DEST_STRIDE];
	unsigned char seen[UNIVERSE];
	unsigned char seen_routes[UNIVERSE / 2];
} reader;

static reader readers[READERS];

/* one whole-table destination walk */
static void walk_dests(reader *r)
{
	RTM_VIEW_SET views = test_rand(&r->seed) % 2 ? 0 : RTM_VIEW_MASK_UCAST;
	UINT batch = 1 + test_rand(&r->seed) % 100;
	RTM_ENUM_HANDLE h;
	if (!tok(RtmCreateDestEnum(r->reg, views, RTM_ENUM_START, NULL, 0, &h) == NO_ERROR, "create\n"))
		return;
	memset(r->seen, 0, sizeof(r->seen));
	pfx prev;
	int have_prev = 0, bad = 0;
	DWORD err;
	do {
		UINT n = batch;
		err = RtmGetEnumDests(r->reg, h, &n, (PRTM_DEST_INFO)r->buf);
		if (!tok(err == NO_ERROR || err == ERROR_NO_MORE_ITEMS, "RtmGetEnumDests: %lu\n", (unsigned long)err))
			break;
		for (UINT i = 0; i < n; i++) {
			pfx p = pfx_of(&dest_slot(r->buf, i)->DestAddress);
			if (have_prev && pfx_cmp(&prev, &p) >= 0 && !bad++)
				tok(0, "keys not strictly increasing\n");
			prev = p;
			have_prev = 1;
			int k = find_prefix(&p);
			if (k < 0 || r->seen[k]++) {
				if (!bad++)
					tok(0, "unknown or repeated prefix (index %d)\n", k);
			}
		}
		tok(RtmReleaseDests(r->reg, n, (PRTM_DEST_INFO)r->buf) == NO_ERROR, "release\n");
	} while (err == NO_ERROR);
	RtmDeleteEnumHandle(r->reg, h);
	unsigned missing = 0;
	for (unsigned k = 0; k < UNIVERSE; k += 2)
		missing += !r->seen[k];
	tok(missing == 0, "%u stable prefixes missing (views %lu, batch %u)\n", missing, (unsigned long)views, batch);
	tok(!bad, "%d ordering errors\n", bad);
	r->dest_walks++;
}

/* one whole-table route walk: destination keys never go back, stable routes exactly once */
static void walk_routes(reader *r)
{
	UINT batch = 1 + test_rand(&r->seed) % 100;
	RTM_ENUM_HANDLE h;
	if (!tok(RtmCreateRouteEnum(r->reg, NULL, 0, RTM_ENUM_START, NULL, 0, NULL, 0, &h) == NO_ERROR, "create\n"))
		return;
	unsigned char *seen = r->seen_routes;
	memset(seen, 0, UNIVERSE / 2);
	RTM_ROUTE_HANDLE hs[TEST_MAX_BATCH];
	pfx prev;
	int have_prev = 0, bad = 0;
	DWORD err;
	do {
		UINT n = batch;
		err = RtmGetEnumRoutes(r->reg, h, &n, hs);
		if (!tok(err == NO_ERROR || err == ERROR_NO_MORE_ITEMS, "RtmGetEnumRoutes: %lu\n", (unsigned long)err))
			break;
		for (UINT i = 0; i < n; i++) {
			RTM_NET_ADDRESS a;
			if (!tok(RtmGetRouteInfo(r->reg, hs[i], NULL, &a) == NO_ERROR, "route info\n"))
				continue;
			pfx p = pfx_of(&a);
			if (have_prev && pfx_cmp(&prev, &p) > 0 && !bad++)
				tok(0, "destination order goes back\n");
			prev = p;
			have_prev = 1;
			RTM_ROUTE_HANDLE *s = bsearch(&hs[i], stable_routes, stable_count, sizeof(hs[i]), cmp_handle);
			if (s && seen[s - stable_routes]++ && !bad++)
				tok(0, "stable route returned twice\n");
		}
		RtmReleaseRoutes(r->reg, n, hs);
	} while (err == NO_ERROR);
	RtmDeleteEnumHandle(r->reg, h);
	unsigned missing = 0;
	for (unsigned k = 0; k < stable_count; k++)
		missing += !seen[k];
	tok(missing == 0, "%u stable routes missing\n", missing);
	tok(!bad, "%d route ordering errors\n", bad);
	r->route_walks++;
}

static RTM_NEXTHOP_HANDLE stable_nh[WRITERS][8];

/* one walk of writer w's next hops, with w's registration, while w changes them */
static void walk_nexthops(reader *r, unsigned wi)
{
	RTM_ENTITY_HANDLE reg = writers[wi].reg;
	RTM_ENUM_HANDLE h;
	if (!tok(RtmCreateNextHopEnum(reg, RTM_ENUM_START, NULL, &h) == NO_ERROR, "create\n"))
		return;
	RTM_NEXTHOP_HANDLE hs[TEST_MAX_BATCH];
	UINT batch = 1 + test_rand(&r->seed) % 10;
	unsigned found = 0, bad = 0;
	RTM_NET_ADDRESS prev;
	memset(&prev, 0, sizeof(prev));
	ULONG prev_if = 0;
	int have_prev = 0;
	DWORD err;
	do {
		UINT n = batch;
		err = RtmGetEnumNextHops(reg, h, &n, hs);
		if (!tok(err == NO_ERROR || err == ERROR_NO_MORE_ITEMS, "RtmGetEnumNextHops: %lu\n", (unsigned long)err))
			break;
		for (UINT i = 0; i < n; i++) {
			RTM_NEXTHOP_INFO info;
			if (!tok(RtmGetNextHopInfo(reg, hs[i], &info) == NO_ERROR, "next-hop info\n"))
				continue;
			pfx a = pfx_of(&info.NextHopAddress), b = pfx_of(&prev);
			if (have_prev && (pfx_cmp(&b, &a) > 0 || (pfx_eq(&a, &b) && prev_if >= info.InterfaceIndex)))
				bad++;
			prev = info.NextHopAddress;
			prev_if = info.InterfaceIndex;
			have_prev = 1;
			for (unsigned k = 0; k < 8; k++)
				found += hs[i] == stable_nh[wi][k];
			RtmReleaseNextHopInfo(reg, &info);
		}
		RtmReleaseNextHops(reg, n, hs);
	} while (err == NO_ERROR);
	RtmDeleteEnumHandle(reg, h);
	tok(found == 8, "%u of 8 stable next hops\n", found);
	tok(!bad, "%u next-hop ordering errors\n", bad);
	r->nexthop_walks++;
}

static void reader_main(void *arg)
{
	reader *r = arg;
	while (!test_load(&stop) || r->dest_walks < 3 || r->route_walks < 2) {
		switch (test_rand(&r->seed) % 4) {
		case 0:
		case 1:
			walk_dests(r);
			break;
		case 2:
			walk_routes(r);
			break;
		default:
			walk_nexthops(r, test_rand(&r->seed) % WRITERS);
			break;
		}
	}
}

/* ---- one handle, two threads ------------------------------------------------ */

typedef struct sharer {
	RTM_ENTITY_HANDLE reg;
	RTM_ENTITY_HANDLE release_reg; /* releases with this one when reg may be deregistered under us */
	RTM_ENUM_HANDLE h;
	UINT batch;
	pfx got[UNIVERSE];
	unsigned n;
	char buf[TEST_MAX_BATCH * TEST_DEST_STRIDE];
	DWORD last_err;
	unsigned calls;
} sharer;

static void sharer_main(void *arg)
{
	sharer *s = arg;
	DWORD err;
	do {
		UINT n = s->batch;
		err = RtmGetEnumDests(s->reg, s->h, &n, (PRTM_DEST_INFO)s->buf);
		s->calls++;
		if (err != NO_ERROR && err != ERROR_NO_MORE_ITEMS)
			break;
		for (UINT i = 0; i < n; i++) {
			pfx p = pfx_of(&dest_slot(s->buf, i)->DestAddress);
			if (s->n && pfx_cmp(&s->got[s->n - 1], &p) >= 0)
				tok(0, "one thread's batches go back\n");
			s->got[s->n < UNIVERSE ? s->n++ : s->n - 1] = p;
		}
		tok(RtmReleaseDests(s->release_reg ? s->release_reg : s->reg, n, (PRTM_DEST_INFO)s->buf) == NO_ERROR,
		    "sharer release\n");
	} while (err == NO_ERROR);
	s->last_err = err;
}

static sharer sharers[2];

static void test_shared_handle(RTM_ENTITY_HANDLE reg)
{
	for (int round = 0; round < 6; round++) {
		RTM_ENUM_HANDLE h;
		ok(RtmCreateDestEnum(reg, 0, RTM_ENUM_START, NULL, 0, &h) == NO_ERROR, "create\n");
		test_thread t[2];
		for (int i = 0; i < 2; i++) {
			memset(&sharers[i], 0, sizeof(sharers[i]));
			sharers[i].reg = reg;
			sharers[i].h = h;
			sharers[i].batch = 1 + (UINT)(round * 7 + i * 13) % 40;
			t[i] = test_thread_start(sharer_main, &sharers[i]);
		}
		for (int i = 0; i < 2; i++)
			test_thread_join(t[i]);
		static unsigned char seen[UNIVERSE];
		memset(seen, 0, sizeof(seen));
		unsigned dups = 0, unknown = 0;
		for (int i = 0; i < 2; i++) {
			ok(sharers[i].last_err == ERROR_NO_MORE_ITEMS, "sharer %d ended with %lu\n", i,
			   (unsigned long)sharers[i].last_err);
			for (unsigned k = 0; k < sharers[i].n; k++) {
				int x = find_prefix(&sharers[i].got[k]);
				if (x < 0)
					unknown++;
				else
					dups += seen[x]++ != 0;
			}
		}
		unsigned missing = 0;
		for (unsigned k = 0; k < UNIVERSE; k += 2)
			missing += !seen[k];
		ok(!dups && !unknown && !missing, "round %d: %u duplicates, %u unknown, %u stable missing\n", round, dups,
		   unknown, missing);
		ok(RtmDeleteEnumHandle(reg, h) == NO_ERROR, "delete\n");
	}
}

/* ---- a handle deleted while another thread uses it -------------------------- */

static void test_delete_while_used(RTM_ENTITY_HANDLE reg)
{
	for (int round = 0; round < 20; round++) {
		RTM_ENUM_HANDLE h;
		ok(RtmCreateDestEnum(reg, 0, RTM_ENUM_START, NULL, 0, &h) == NO_ERROR, "create\n");
		memset(&sharers[0], 0, sizeof(sharers[0]));
		sharers[0].reg = reg;
		sharers[0].h = h;
		sharers[0].batch = 1;
		test_thread t = test_thread_start(sharer_main, &sharers[0]);
		test_sleep_ms((unsigned)round % 4);
		ok(RtmDeleteEnumHandle(reg, h) == NO_ERROR, "delete while in use\n");
		test_thread_join(t);
		ok(sharers[0].last_err == ERROR_INVALID_HANDLE || sharers[0].last_err == ERROR_NO_MORE_ITEMS,
		   "the user ends with %lu after %u calls\n", (unsigned long)sharers[0].last_err, sharers[0].calls);
		UINT n = 1;
		ok(RtmGetEnumDests(reg, h, &n, (PRTM_DEST_INFO)sharers[0].buf) == ERROR_INVALID_HANDLE && n == 0,
		   "stale after delete\n");
	}
}

/* ---- a registration closed while its enumerations are busy ------------------ */

static void test_deregister_while_used(RTM_ENTITY_HANDLE stays)
{
	for (int round = 0; round < 10; round++) {
		RTM_ENTITY_HANDLE reg = test_register(INSTANCE, AF_INET, 50, (ULONG)round, NULL);
		RTM_ENUM_HANDLE h;
		ok(RtmCreateDestEnum(reg, 0, RTM_ENUM_START, NULL, 0, &h) == NO_ERROR, "create\n");
		memset(&sharers[1], 0, sizeof(sharers[1]));
		sharers[1].reg = reg;
		sharers[1].release_reg = stays; /* a batch got just before the deregistration is still ours */
		sharers[1].h = h;
		sharers[1].batch = 2;
		test_thread t = test_thread_start(sharer_main, &sharers[1]);
		test_sleep_ms((unsigned)round % 3);
		ok(RtmDeregisterEntity(reg) == NO_ERROR, "deregister while in use\n");
		test_thread_join(t);
		ok(sharers[1].last_err == ERROR_INVALID_HANDLE || sharers[1].last_err == ERROR_NO_MORE_ITEMS,
		   "ends with %lu\n", (unsigned long)sharers[1].last_err);
	}
}

int main(void)
{
	make_universe();
	RTM_ENTITY_HANDLE s = test_register(INSTANCE, AF_INET, 1, 1, NULL);
	for (unsigned i = 0; i < UNIVERSE; i += 2)
		stable_routes[stable_count++] =
			test_route(s, pfx_addr(&universe[i], AF_INET), NULL, 20, 20, RTM_VIEW_MASK_UCAST);
	qsort(stable_routes, stable_count, sizeof(stable_routes[0]), cmp_handle);

	for (int i = 0; i < WRITERS; i++) {
		writers[i].reg = test_register(INSTANCE, AF_INET, 10 + i, 1, NULL);
		writers[i].seed = 1000 + (uint32_t)i;
		for (unsigned k = 0; k < 8; k++) /* stable next hops, never deleted while readers run */
			stable_nh[i][k] = test_nexthop(writers[i].reg, test_ipv4(192, 168, 1, k * 2, 32), k);
	}
	for (int i = 0; i < READERS; i++) {
		readers[i].reg = test_register(INSTANCE, AF_INET, 20 + i, 1, NULL);
		readers[i].seed = 77 + (uint32_t)i;
	}
	test_thread wt[WRITERS], rt[READERS];
	for (int i = 0; i < WRITERS; i++)
		wt[i] = test_thread_start(writer_main, &writers[i]);
	for (int i = 0; i < READERS; i++)
		rt[i] = test_thread_start(reader_main, &readers[i]);
	test_shared_handle(readers[0].reg);
	test_delete_while_used(readers[1].reg);
	test_deregister_while_used(s);
	test_sleep_ms(RUN_MS);
	test_store(&stop, 1);
	for (int i = 0; i < WRITERS; i++)
		test_thread_join(wt[i]);
	for (int i = 0; i < READERS; i++)
		test_thread_join(rt[i]);
	unsigned ops = 0;
	for (int i = 0; i < WRITERS; i++)
		ops += writers[i].ops;
	printf("writer operations %u; reader walks: dests %u+%u, routes %u+%u, next hops %u+%u\n", ops,
	       readers[0].dest_walks, readers[1].dest_walks, readers[0].route_walks, readers[1].route_walks,
	       readers[0].nexthop_walks, readers[1].nexthop_walks);
	ok(ops > 0, "the writers did something\n");
	ok(mt_failures == 0, "%d failures in the threads\n", mt_failures);

	/* after the storm: exactly the stable prefixes, in order */
	static pfx got[UNIVERSE], want[UNIVERSE / 2];
	for (unsigned i = 0; i < UNIVERSE / 2; i++)
		want[i] = universe[2 * i];
	int n = enum_dests(s, 0, RTM_ENUM_START, NULL, AF_INET, 0, 100, got, UNIVERSE, NULL, NULL);
	expect_prefixes("after the writers", got, n, want, UNIVERSE / 2, 0);

	RtmReleaseRoutes(s, stable_count, stable_routes);
	for (int i = 0; i < WRITERS; i++) {
		RtmReleaseNextHops(writers[i].reg, 8, stable_nh[i]);
		RtmDeregisterEntity(writers[i].reg);
	}
	for (int i = 0; i < READERS; i++)
		RtmDeregisterEntity(readers[i].reg);
	RtmDeregisterEntity(s);
	expect_all_freed();
	return test_finish();
}

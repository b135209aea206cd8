/*
 * test_threads.c - concurrency (rtmv2-functions-2.md 0.11, functions-1 7.1 "atomic for observers"):
 * 4 worker threads of 2 entities add, update and delete routes on shared destinations while
 * they and the main thread look the table up.  Each worker owns one (entity, neighbour) pair,
 * so its route on a destination is touched by nobody else: every worker keeps an exact model
 * of its own routes, checks each call's outcome against it (change flags, exact-match route),
 * and at the end the whole table must equal the union of the four models (routes per view,
 * best route per view, BelongsToViews, RtmIsBestRoute).  Concurrent lookups check that every
 * snapshot they see is self-consistent.  Then deregistration must leave zero live objects.
 * Must pass under -fsanitize=thread.
 */
#include "test_util.h"

#define NTHREADS 4
#define NPREFIXES 256
#define STEPS 50000
#define PROTO_A 100
#define PROTO_B 200

/* prefix k: 20.k.0.0/16 for k < 128, else 20.(k-128).(k & 7).0/24 inside the /16 */
static RTM_NET_ADDRESS prefix(int k)
{
	if (k < 128)
		return test_ipv4(20, (unsigned)k, 0, 0, 16);
	return test_ipv4(20, (unsigned)(k - 128), (unsigned)(k & 7), 0, 24);
}

static RTM_ENTITY_HANDLE ent[2];

struct worker {
	int id;
	RTM_ENTITY_HANDLE reg;
	RTM_NEXTHOP_HANDLE nh;
	unsigned rng;
	/* the model of this worker's routes */
	int have[NPREFIXES];
	ULONG pref[NPREFIXES];
	DWORD views[NPREFIXES];
	RTM_ROUTE_HANDLE held[NPREFIXES]; /* a referenced handle, or NULL */
	unsigned failures, checks;
};

static struct worker W[NTHREADS];
static int workers_done;

static unsigned next_rand(unsigned *s)
{
	unsigned x = *s;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return *s = x;
}

static void fail(struct worker *w, const char *what, int k, DWORD err)
{
	w->failures++;
	if (w->failures <= 10)
		fprintf(stderr, "thread %d: %s (prefix %d): %lu\n", w->id, what, k, (unsigned long)err);
}

#define CHECK(w, cond, what, k, err)                     \
	do {                                             \
		(w)->checks++;                           \
		if (!(cond))                             \
			fail(w, what, k, (DWORD)(err));  \
	} while (0)

static USHORT thread_flag(int t) { return (USHORT)(0x0100 << t); }

/* every snapshot a lookup returns must be self-consistent */
static void check_snapshot(struct worker *w, RTM_ENTITY_HANDLE reg, const RTM_DEST_INFO *di, ULONG proto, int k)
{
	DWORD views = 0;
	CHECK(w, di->NumberOfViews == 2, "NumberOfViews", k, di->NumberOfViews);
	for (UINT v = 0; v < 2 && v < di->NumberOfViews; v++) {
		CHECK(w, di->ViewInfo[v].ViewId == (RTM_VIEW_ID)v, "ViewId", k, di->ViewInfo[v].ViewId);
		CHECK(w, di->ViewInfo[v].NumRoutes <= NTHREADS, "NumRoutes", k, di->ViewInfo[v].NumRoutes);
		if (di->ViewInfo[v].NumRoutes)
			views |= 1u << v;
		if (proto == RTM_BEST_PROTOCOL)
			CHECK(w, (di->ViewInfo[v].Route != NULL) == (di->ViewInfo[v].NumRoutes != 0), "Route vs NumRoutes",
			      k, di->ViewInfo[v].NumRoutes);
		if (di->ViewInfo[v].Route) {
			/* DestFlags is the flags of the reported route, which tell the thread that added it */
			DWORD f = di->ViewInfo[v].DestFlags;
			int t = -1;
			for (int i = 0; i < NTHREADS; i++)
				if (f == thread_flag(i))
					t = i;
			CHECK(w, t >= 0, "DestFlags", k, f);
			if (t >= 0)
				CHECK(w, di->ViewInfo[v].Owner == ent[t / 2], "Owner vs DestFlags", k, t);
			if (proto == RTM_THIS_PROTOCOL)
				CHECK(w, di->ViewInfo[v].Owner == reg, "THIS_PROTOCOL owner", k, v);
		} else {
			CHECK(w, di->ViewInfo[v].Owner == NULL && di->ViewInfo[v].DestFlags == 0, "empty view", k, v);
		}
		CHECK(w, di->ViewInfo[v].HoldRoute == NULL, "HoldRoute", k, v);
	}
	CHECK(w, di->BelongsToViews == views, "BelongsToViews vs NumRoutes", k, di->BelongsToViews);
	CHECK(w, views != 0, "a visible destination with no routes", k, di->BelongsToViews);
}

static void lookup(struct worker *w, RTM_ENTITY_HANDLE reg, unsigned r)
{
	test_dest_info_buf di;
	int k = (int)(r % NPREFIXES);
	RTM_NET_ADDRESS q = prefix(k);
	ULONG proto = (r >> 8) & 1 ? RTM_THIS_PROTOCOL : RTM_BEST_PROTOCOL;
	DWORD err;

	if ((r >> 9) & 1) {
		/* a host inside the prefix: the match is this prefix or a less specific one */
		q.AddrBits[3] = (UCHAR)(r >> 16);
		q.NumBits = 32;
		err = RtmGetMostSpecificDestination(reg, &q, proto, RTM_VIEW_MASK_ALL, &di.info);
		if (err == NO_ERROR) {
			CHECK(w, di.info.DestAddress.AddrBits[0] == 20 && di.info.DestAddress.NumBits >= 16,
			      "most specific prefix", k, di.info.DestAddress.NumBits);
			check_snapshot(w, reg, &di.info, proto, k);
			/* walk up once */
			test_dest_info_buf up;
			DWORD e2 = RtmGetLessSpecificDestination(reg, di.info.DestHandle, proto, RTM_VIEW_MASK_ALL,
								 &up.info);
			CHECK(w, e2 == NO_ERROR || e2 == ERROR_NOT_FOUND, "less specific", k, e2);
			if (e2 == NO_ERROR) {
				CHECK(w, up.info.DestAddress.NumBits == 16, "less specific prefix", k,
				      up.info.DestAddress.NumBits);
				check_snapshot(w, reg, &up.info, proto, k);
				CHECK(w, RtmReleaseDestInfo(reg, &up.info) == NO_ERROR, "release", k, 0);
			}
			CHECK(w, RtmReleaseDestInfo(reg, &di.info) == NO_ERROR, "release", k, 0);
		} else
			CHECK(w, err == ERROR_NOT_FOUND, "most specific", k, err);
	} else {
		err = RtmGetExactMatchDestination(reg, &q, proto, RTM_VIEW_MASK_ALL, &di.info);
		if (err == NO_ERROR) {
			check_snapshot(w, reg, &di.info, proto, k);
			/* the same destination through its handle */
			test_dest_info_buf again;
			DWORD e2 = RtmGetDestInfo(reg, di.info.DestHandle, proto, RTM_VIEW_MASK_ALL, &again.info);
			CHECK(w, e2 == NO_ERROR, "RtmGetDestInfo", k, e2);
			if (e2 == NO_ERROR) {
				CHECK(w, again.info.DestHandle == di.info.DestHandle, "dest handle identity", k, 0);
				if (again.info.BelongsToViews)
					check_snapshot(w, reg, &again.info, proto, k);
				CHECK(w, RtmReleaseDestInfo(reg, &again.info) == NO_ERROR, "release", k, 0);
			}
			CHECK(w, RtmReleaseDestInfo(reg, &di.info) == NO_ERROR, "release", k, 0);
		} else
			CHECK(w, err == ERROR_NOT_FOUND, "exact match", k, err);
	}
}

/* this worker's own route on prefix k, through RtmGetExactMatchRoute (owner + neighbour) */
static DWORD find_own(struct worker *w, int k, RTM_ROUTE_HANDLE *h, test_route_info_buf *out)
{
	RTM_NET_ADDRESS d = prefix(k);
	memset(out, 0, sizeof(*out));
	out->info.RouteOwner = w->reg;
	out->info.Neighbour = w->nh;
	return RtmGetExactMatchRoute(w->reg, &d, RTM_MATCH_OWNER | RTM_MATCH_NEIGHBOUR, &out->info, 0,
				     RTM_VIEW_MASK_ANY, h);
}

static void step(struct worker *w)
{
	unsigned r = next_rand(&w->rng);
	int k = (int)(r % NPREFIXES);
	unsigned op = (r >> 8) % 8;
	RTM_NET_ADDRESS d = prefix(k);
	test_route_info_buf ri;
	DWORD err, flags;

	if (!w->have[k] || op < 3) {
		/* add, or update by owner + neighbour, or update through the held handle */
		ULONG pref = 1 + ((r >> 12) % 4);
		DWORD views = 1 + ((r >> 16) % 3);
		test_fill_route(&ri.info, w->nh, pref, (ULONG)w->id, views);
		ri.info.Flags = thread_flag(w->id);
		flags = 0;
		if (w->have[k] && w->held[k] && (r >> 20) & 1) {
			RTM_ROUTE_HANDLE h = w->held[k];
			err = RtmAddRouteToDest(w->reg, &h, NULL, &ri.info, INFINITE, NULL, 0, NULL, &flags);
			CHECK(w, err == NO_ERROR && h == w->held[k], "update through handle", k, err);
		} else if (!w->have[k] && (r >> 21) & 1) {
			RTM_ROUTE_HANDLE h = NULL;
			err = RtmAddRouteToDest(w->reg, &h, &d, &ri.info, INFINITE, NULL, 0, NULL, &flags);
			CHECK(w, err == NO_ERROR && h, "add with handle", k, err);
			if (w->held[k])
				CHECK(w, RtmReleaseRoutes(w->reg, 1, &w->held[k]) == NO_ERROR, "release old", k, 0);
			w->held[k] = h;
		} else {
			err = RtmAddRouteToDest(w->reg, NULL, &d, &ri.info, INFINITE, NULL, 0, NULL, &flags);
			CHECK(w, err == NO_ERROR, "add/update", k, err);
		}
		CHECK(w, !!(flags & RTM_ROUTE_CHANGE_NEW) == !w->have[k], "CHANGE_NEW vs model", k, flags);
		w->have[k] = 1;
		w->pref[k] = pref;
		w->views[k] = views;
	} else if (op < 5) {
		/* delete, with the held handle or one found for the purpose */
		RTM_ROUTE_HANDLE h = w->held[k];
		if (!h) {
			err = find_own(w, k, &h, &ri);
			CHECK(w, err == NO_ERROR, "find own route to delete", k, err);
			if (err == NO_ERROR)
				RtmReleaseRouteInfo(w->reg, &ri.info);
		}
		err = RtmDeleteRouteToDest(w->reg, h, NULL);
		CHECK(w, err == NO_ERROR, "delete", k, err);
		w->held[k] = NULL;
		w->have[k] = 0;
	} else if (op < 6) {
		/* read back our own route: it is exactly what we last wrote */
		RTM_ROUTE_HANDLE h = NULL;
		err = find_own(w, k, &h, &ri);
		CHECK(w, err == NO_ERROR, "find own route", k, err);
		if (err == NO_ERROR) {
			CHECK(w, ri.info.PrefInfo.Preference == w->pref[k] && ri.info.BelongsToViews == w->views[k] &&
					 ri.info.State == RTM_ROUTE_STATE_CREATED && ri.info.Flags == thread_flag(w->id),
			      "own route content", k, ri.info.PrefInfo.Preference);
			CHECK(w, !w->held[k] || w->held[k] == h, "route handle identity", k, 0);
			RTM_VIEW_SET best;
			CHECK(w, RtmIsBestRoute(w->reg, h, &best) == NO_ERROR && (best & ~w->views[k]) == 0,
			      "RtmIsBestRoute", k, best);
			RtmReleaseRouteInfo(w->reg, &ri.info);
			RtmReleaseRoutes(w->reg, 1, &h);
		}
	} else {
		lookup(w, w->reg, r >> 3);
	}
	/* a route we do not have is not there */
	if (!w->have[k] && (r & 0x80000000u)) {
		RTM_ROUTE_HANDLE h = NULL;
		err = find_own(w, k, &h, &ri);
		CHECK(w, err == ERROR_NOT_FOUND, "deleted route still found", k, err);
		if (err == NO_ERROR) {
			RtmReleaseRouteInfo(w->reg, &ri.info);
			RtmReleaseRoutes(w->reg, 1, &h);
		}
	}
}

static void *worker_main(void *p)
{
	struct worker *w = p;
	RTM_NEXTHOP_INFO nh;
	memset(&nh, 0, sizeof(nh));
	nh.NextHopAddress = test_ipv4(10, 0, 0, (unsigned)(w->id + 1), 32);
	nh.InterfaceIndex = (ULONG)w->id + 1;
	DWORD err = RtmAddNextHop(w->reg, &nh, &w->nh, NULL);
	CHECK(w, err == NO_ERROR, "RtmAddNextHop", -1, err);
	if (err == NO_ERROR)
		for (int i = 0; i < STEPS; i++)
			step(w);
	__atomic_add_fetch(&workers_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* the final table against the union of the models */
static void check_final(void)
{
	for (int k = 0; k < NPREFIXES; k++) {
		RTM_NET_ADDRESS d = prefix(k);
		RTM_ROUTE_HANDLE h[NTHREADS] = { 0 };
		UINT nroutes[2] = { 0, 0 };
		int best[2] = { -1, -1 };
		DWORD views = 0;
		for (int t = 0; t < NTHREADS; t++) {
			struct worker *w = &W[t];
			test_route_info_buf ri;
			DWORD err = find_own(w, k, &h[t], &ri);
			if (!w->have[k]) {
				ok(err == ERROR_NOT_FOUND, "prefix %d thread %d: route present, model says deleted\n", k, t);
				if (err == NO_ERROR) {
					RtmReleaseRouteInfo(w->reg, &ri.info);
					RtmReleaseRoutes(w->reg, 1, &h[t]);
				}
				h[t] = NULL;
				continue;
			}
			ok(err == NO_ERROR, "prefix %d thread %d: route missing: %lu\n", k, t, (unsigned long)err);
			if (err)
				continue;
			ok(ri.info.PrefInfo.Preference == w->pref[k] && ri.info.BelongsToViews == w->views[k],
			   "prefix %d thread %d: pref %lu views %lu, model %lu %lu\n", k, t,
			   (unsigned long)ri.info.PrefInfo.Preference, (unsigned long)ri.info.BelongsToViews,
			   (unsigned long)w->pref[k], (unsigned long)w->views[k]);
			ok(!w->held[k] || w->held[k] == h[t], "prefix %d thread %d: handle identity\n", k, t);
			RtmReleaseRouteInfo(w->reg, &ri.info);
			views |= w->views[k];
			for (int v = 0; v < 2; v++) {
				if (!(w->views[k] & (1u << v)))
					continue;
				nroutes[v]++;
				/* lower preference, then lower metric (= thread id; never a full tie) */
				if (best[v] < 0 || w->pref[k] < W[best[v]].pref[k] ||
				    (w->pref[k] == W[best[v]].pref[k] && t < best[v]))
					best[v] = t;
			}
		}
		test_dest_info_buf di;
		DWORD err = RtmGetExactMatchDestination(ent[0], &d, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info);
		if (!views) {
			ok(err == ERROR_NOT_FOUND, "prefix %d: destination present without routes\n", k);
			err = RtmGetExactMatchDestination(ent[0], &d, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ANY, &di.info);
			ok(err == ERROR_NOT_FOUND, "prefix %d: destination present (any view) without routes\n", k);
		} else {
			ok(err == NO_ERROR, "prefix %d: destination missing\n", k);
			if (err == NO_ERROR) {
				const RTM_DEST_INFO *p = &di.info;
				ok(p->BelongsToViews == views, "prefix %d: views %lu, model %lu\n", k,
				   (unsigned long)p->BelongsToViews, (unsigned long)views);
				for (int v = 0; v < 2; v++) {
					ok(p->ViewInfo[v].NumRoutes == nroutes[v], "prefix %d view %d: %u routes, model %u\n",
					   k, v, p->ViewInfo[v].NumRoutes, nroutes[v]);
					RTM_ROUTE_HANDLE want = best[v] >= 0 ? h[best[v]] : NULL;
					ok(p->ViewInfo[v].Route == want, "prefix %d view %d: best %p, model %p (thread %d)\n",
					   k, v, p->ViewInfo[v].Route, want, best[v]);
				}
				RtmReleaseDestInfo(ent[0], &di.info);
			}
		}
		for (int t = 0; t < NTHREADS; t++) {
			if (!h[t])
				continue;
			RTM_VIEW_SET bv = 0;
			RTM_VIEW_SET want = (best[0] == t ? 1u : 0u) | (best[1] == t ? 2u : 0u);
			ok(RtmIsBestRoute(W[t].reg, h[t], &bv) == NO_ERROR && bv == want,
			   "prefix %d thread %d: best in %lu, model %lu\n", k, t, (unsigned long)bv, (unsigned long)want);
			RtmReleaseRoutes(W[t].reg, 1, &h[t]);
		}
	}
}

int main(void)
{
	test_thread th[NTHREADS];
	ent[0] = test_register(0, AF_INET, PROTO_A, 1, NULL);
	ent[1] = test_register(0, AF_INET, PROTO_B, 1, NULL);
	for (int t = 0; t < NTHREADS; t++) {
		memset(&W[t], 0, sizeof(W[t]));
		W[t].id = t;
		W[t].reg = ent[t / 2];
		W[t].rng = 0x9e3779b9u * (unsigned)(t + 1);
	}
	for (int t = 0; t < NTHREADS; t++)
		th[t] = test_thread_start(worker_main, &W[t]);
	/* the main thread looks up too, until the workers are done */
	struct worker reader;
	memset(&reader, 0, sizeof(reader));
	reader.id = NTHREADS;
	reader.rng = 12345;
	while (__atomic_load_n(&workers_done, __ATOMIC_ACQUIRE) < NTHREADS)
		lookup(&reader, ent[reader.rng & 1], next_rand(&reader.rng));
	for (int t = 0; t < NTHREADS; t++)
		test_thread_join(th[t]);

	unsigned checks = reader.checks;
	for (int t = 0; t < NTHREADS; t++) {
		ok(W[t].failures == 0, "thread %d: %u of %u checks failed\n", t, W[t].failures, W[t].checks);
		checks += W[t].checks;
	}
	ok(reader.failures == 0, "reader: %u of %u checks failed\n", reader.failures, reader.checks);
	printf("%u checks in the threads\n", checks);

	check_final();

	/* deregistering B removes its routes and next hops only */
	for (int t = 0; t < NTHREADS; t++) {
		for (int k = 0; k < NPREFIXES; k++)
			if (W[t].held[k])
				ok(RtmReleaseRoutes(W[t].reg, 1, &W[t].held[k]) == NO_ERROR, "release held\n");
		ok(RtmReleaseNextHops(W[t].reg, 1, &W[t].nh) == NO_ERROR, "release next hop\n");
	}
	test_deregister(ent[1]);
	for (int k = 0; k < NPREFIXES; k++) {
		int want[2] = { 0, 0 };
		for (int t = 0; t < 2; t++)
			for (int v = 0; v < 2; v++)
				if (W[t].have[k] && (W[t].views[k] & (1u << v)))
					want[v]++;
		for (int v = 0; v < 2; v++) {
			int got = test_dest_routes(ent[0], prefix(k), v);
			ok(got == (want[v] ? want[v] : -1), "after B left, prefix %d view %d: %d routes, model %d\n", k,
			   v, got, want[v]);
		}
	}
	test_deregister(ent[0]);
	expect_no_live_objects();
	return test_finish();
}

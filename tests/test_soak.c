/*
 * test_soak.c - the soak: several entities, 8 threads of random operations with callbacks and
 * change notifications, for a bounded time; memory must stay flat and nothing may be left.
 *
 *   test_soak                 2 seconds (the CTest test, in every tree)
 *   test_soak --seconds N     N seconds (scripts/soak.sh: minutes, under Wine, both architectures)
 *
 * Four entities share one table (two with the same protocol id); each thread drives one of
 * them (two threads per entity), a ninth registration comes and goes all the time.  Threads add
 * and update routes (a third with a short time-to-live, so expiry callbacks run), delete and
 * release them, mark destinations for hold-down with short hold times, edit routes in place,
 * move them between route lists, look up, enumerate destinations, routes and next hops, and keep
 * references as a client would.  Every entity's callback drains its change notifications and
 * answers route expiry (deleting most expired routes, refreshing the others).  Once a second the
 * main thread samples the process's memory (resident set natively, private bytes under Windows /
 * Wine) and the live objects of the statistics hook.  At the end: every thread releases what it
 * holds, every entity deregisters, the hold-downs run out, and the live-object counts must be 0.
 * Memory is "flat" when the last third's samples stay within 25% + 8 MiB of the first third's
 * (in runs of at least 30 seconds; shorter runs only report it).
 */
#include "test_util.h"

#ifdef _WIN32
#include <psapi.h>
#endif
#include <time.h>

#define THREADS 8
#define ENTS 4
#define HELD 48
#define NPREFIX 256

static RTM_ENTITY_HANDLE ents[ENTS];
/* registered first, deregistered last: releases what a callback could not release any more */
static RTM_ENTITY_HANDLE anchor;
static RTM_NOTIFY_HANDLE notes[ENTS];
static RTM_NEXTHOP_HANDLE nhs[ENTS][2];
/* shared between threads: touched with __atomic builtins only (TSan) */
static int stop_flag;
static long ops_done, callbacks, expiries, changed_dests;
static long api_errors; /* results no correct client should see */
#define LOAD(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define stop LOAD(stop_flag)

static double now_s(void)
{
#ifdef _WIN32
	return GetTickCount() / 1000.0;
#else
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
#endif
}

static double mem_mib(void)
{
#ifdef _WIN32
	typedef BOOL(WINAPI * gpmi_fn)(HANDLE, PPROCESS_MEMORY_COUNTERS, DWORD);
	static gpmi_fn fn;
	if (!fn)
		fn = (gpmi_fn)(void (*)(void))GetProcAddress(GetModuleHandleA("kernel32.dll"), "K32GetProcessMemoryInfo");
	PROCESS_MEMORY_COUNTERS_EX pmc;
	memset(&pmc, 0, sizeof(pmc));
	if (fn && fn(GetCurrentProcess(), (PPROCESS_MEMORY_COUNTERS)&pmc, sizeof(pmc)))
		return (double)(pmc.PrivateUsage ? pmc.PrivateUsage : pmc.WorkingSetSize) / (1024.0 * 1024.0);
	return 0;
#else
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, rss = 0;
	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	return (double)rss * 4096.0 / (1024.0 * 1024.0);
#endif
}

/* live objects of all kinds (no ok(): test.h's counters are for one thread) */
static DWORD live_objects(void)
{
	DWORD c[RTM_TEST_COUNT_KINDS], total = 0;
	if (!test_object_counts(c))
		return ~0u;
	for (int i = 0; i < RTM_TEST_COUNT_KINDS; i++)
		total += c[i];
	return total;
}

static unsigned rnd(unsigned *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

static void bad(const char *what, DWORD err)
{
	__atomic_add_fetch(&api_errors, 1, __ATOMIC_RELAXED);
	if (LOAD(api_errors) < 20)
		fprintf(stderr, "soak: %s: unexpected %lu\n", what, (unsigned long)err);
}

static int entity_index(RTM_ENTITY_HANDLE h)
{
	for (int i = 0; i < ENTS; i++)
		if (ents[i] == h)
			return i;
	return -1;
}

static DWORD WINAPI soak_cb(RTM_ENTITY_HANDLE reg, RTM_EVENT_TYPE type, PVOID c1, PVOID c2)
{
	__atomic_add_fetch(&callbacks, 1, __ATOMIC_RELAXED);
	if (type == RTM_CHANGE_NOTIFICATION) {
		static __thread union {
			RTM_DEST_INFO info;
			char room[100 * RTM_SIZE_OF_DEST_INFO(2)];
		} b;
		DWORD err;
		do {
			UINT n = 100;
			err = RtmGetChangedDests(reg, (RTM_NOTIFY_HANDLE)c1, &n, &b.info);
			if (err == ERROR_INVALID_HANDLE && stop)
				break; /* the end: main is deregistering this notification (3.8 waits for us) */
			if (err != NO_ERROR && err != ERROR_NO_MORE_ITEMS) {
				bad("RtmGetChangedDests", err);
				break;
			}
			__atomic_add_fetch(&changed_dests, n, __ATOMIC_RELAXED);
			if (n && RtmReleaseChangedDests(reg, (RTM_NOTIFY_HANDLE)c1, n, &b.info) != NO_ERROR) {
				/* deregistered meanwhile: the infos are still released by RtmReleaseDests (3.3) */
				if (!stop || RtmReleaseDests(reg, n, &b.info) != NO_ERROR)
					bad("RtmReleaseChangedDests", 0);
			}
		} while (err == NO_ERROR);
		return NO_ERROR;
	}
	if (type == RTM_ROUTE_EXPIRED) {
		__atomic_add_fetch(&expiries, 1, __ATOMIC_RELAXED);
		RTM_ROUTE_HANDLE r = c1;
		PRTM_ROUTE_INFO p = c2;
		if (((uintptr_t)r >> 4) % 4 != 0 || entity_index(reg) < 0)
			return ERROR_NOT_SUPPORTED; /* RTM deletes it and consumes the reference */
		/* refresh in place with an unreachable metric and no end, as the expiry sample does */
		if (RtmLockRoute(reg, r, TRUE, TRUE, &p) == NO_ERROR) {
			p->PrefInfo.Metric = 16;
			if (RtmUpdateAndUnlockRoute(reg, r, INFINITE, NULL, 0, NULL, NULL) != NO_ERROR)
				RtmLockRoute(reg, r, TRUE, FALSE, NULL);
		}
		/*
		 * Our own registration may be ending on another thread (deregistration marks the entity
		 * first and waits for its callbacks later, functions-1 3.2): the reference is still ours,
		 * so give it back through a registration that lives on.
		 */
		if (RtmReleaseRoutes(reg, 1, &r) != NO_ERROR && RtmReleaseRoutes(anchor, 1, &r) != NO_ERROR)
			bad("RtmReleaseRoutes (expiry)", 0);
		return NO_ERROR;
	}
	return NO_ERROR; /* entity events: nothing to release */
}

static RTM_NET_ADDRESS prefix(unsigned i) { return test_ipv4(10, (i >> 4) & 15, i & 15, 0, 24 - (i % 3) * 4); }

typedef struct {
	int id;
	unsigned seed;
	RTM_ROUTE_HANDLE held[HELD];
	RTM_ROUTE_LIST_HANDLE list;
} worker;

static void release_held(worker *w, RTM_ENTITY_HANDLE e, int i)
{
	if (w->held[i] && RtmReleaseRoutes(e, 1, &w->held[i]) != NO_ERROR)
		bad("RtmReleaseRoutes", 0);
	w->held[i] = NULL;
}

static void one_op(worker *w)
{
	int ei = w->id % ENTS;
	RTM_ENTITY_HANDLE e = ents[ei];
	unsigned *s = &w->seed, op = rnd(s) % 16;
	int slot = (int)(rnd(s) % HELD);
	DWORD err;
	switch (op) {
	case 0:
	case 1:
	case 2:
	case 3: { /* add or update a route */
		test_route_info_buf ri;
		RTM_NET_ADDRESS p = prefix(rnd(s) % NPREFIX);
		test_fill_route(&ri.info, nhs[ei][rnd(s) % 2], 1 + rnd(s) % 4, 1 + rnd(s) % 8, 1 + rnd(s) % 3);
		ULONG ttl = rnd(s) % 3 == 0 ? 20 + rnd(s) % 300 : INFINITE;
		RTM_ROUTE_HANDLE h = NULL;
		DWORD flags = rnd(s) % 5 == 0 ? RTM_ROUTE_CHANGE_NEW : 0;
		err = RtmAddRouteToDest(e, &h, &p, &ri.info, ttl, rnd(s) % 4 == 0 ? w->list : NULL, 0, NULL, &flags);
		if (err != NO_ERROR) {
			bad("RtmAddRouteToDest", err);
			break;
		}
		release_held(w, e, slot);
		w->held[slot] = h;
		break;
	}
	case 4:
	case 5: /* delete one (it may have expired or been deleted by another thread) */
		if (!w->held[slot])
			break;
		err = RtmDeleteRouteToDest(e, w->held[slot], NULL);
		if (err == NO_ERROR)
			w->held[slot] = NULL;
		else if (err == ERROR_NOT_FOUND)
			release_held(w, e, slot);
		else
			bad("RtmDeleteRouteToDest", err);
		break;
	case 6:
		release_held(w, e, slot);
		break;
	case 7: { /* longest match */
		test_dest_info_buf di;
		RTM_NET_ADDRESS a = test_ipv4(10, rnd(s) % 16, rnd(s) % 16, rnd(s) % 256, 32);
		err = RtmGetMostSpecificDestination(e, &a, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &di.info);
		if (err == NO_ERROR)
			RtmReleaseDestInfo(e, &di.info);
		else if (err != ERROR_NOT_FOUND)
			bad("RtmGetMostSpecificDestination", err);
		break;
	}
	case 8: { /* enumerate a range of destinations */
		static __thread union {
			RTM_DEST_INFO info;
			char room[100 * RTM_SIZE_OF_DEST_INFO(2)];
		} b;
		RTM_NET_ADDRESS a = test_ipv4(10, rnd(s) % 16, 0, 0, 16);
		RTM_ENUM_HANDLE en;
		err = RtmCreateDestEnum(e, rnd(s) % 2 ? RTM_VIEW_MASK_ANY : RTM_VIEW_MASK_ALL, RTM_ENUM_RANGE, &a,
					rnd(s) % 2 ? RTM_THIS_PROTOCOL : RTM_BEST_PROTOCOL, &en);
		if (err != NO_ERROR) {
			bad("RtmCreateDestEnum", err);
			break;
		}
		do {
			UINT n = 1 + rnd(s) % 100;
			err = RtmGetEnumDests(e, en, &n, &b.info);
			if (n)
				RtmReleaseDests(e, n, &b.info);
		} while (err == NO_ERROR);
		if (err != ERROR_NO_MORE_ITEMS)
			bad("RtmGetEnumDests", err);
		RtmDeleteEnumHandle(e, en);
		break;
	}
	case 9: { /* the routes of one destination, then their info */
		if (!w->held[slot])
			break;
		test_route_info_buf ri;
		if (RtmGetRouteInfo(e, w->held[slot], &ri.info, NULL) != NO_ERROR)
			break;
		RTM_DEST_HANDLE d = ri.info.DestHandle;
		RtmReleaseRouteInfo(e, &ri.info); /* the route's reference keeps d */
		RTM_ENUM_HANDLE en;
		if (RtmCreateRouteEnum(e, d, RTM_VIEW_MASK_ANY, RTM_ENUM_START, NULL, RTM_MATCH_NONE, NULL, 0, &en) !=
				  NO_ERROR)
			break;
		RTM_ROUTE_HANDLE hs[16];
		UINT n = 16;
		RtmGetEnumRoutes(e, en, &n, hs);
		for (UINT i = 0; i < n; i++) {
			test_route_info_buf ri;
			if (RtmGetRouteInfo(e, hs[i], &ri.info, NULL) == NO_ERROR)
				RtmReleaseRouteInfo(e, &ri.info);
		}
		RtmReleaseRoutes(e, n, hs);
		RtmDeleteEnumHandle(e, en);
		break;
	}
	case 10: { /* hold-down, short */
		if (!w->held[slot])
			break;
		test_route_info_buf ri;
		if (RtmGetRouteInfo(e, w->held[slot], &ri.info, NULL) != NO_ERROR)
			break;
		err = RtmHoldDestination(e, ri.info.DestHandle, RTM_VIEW_MASK_ANY, 50 + rnd(s) % 200);
		if (err != NO_ERROR)
			bad("RtmHoldDestination", err);
		RtmReleaseRouteInfo(e, &ri.info);
		break;
	}
	case 11: { /* in place */
		if (!w->held[slot])
			break;
		PRTM_ROUTE_INFO p;
		err = RtmLockRoute(e, w->held[slot], TRUE, TRUE, &p);
		if (err == NO_ERROR) {
			p->PrefInfo.Metric = 1 + rnd(s) % 8;
			if (RtmUpdateAndUnlockRoute(e, w->held[slot], INFINITE, NULL, 0, NULL, NULL) != NO_ERROR)
				RtmLockRoute(e, w->held[slot], TRUE, FALSE, NULL);
		} else if (err != ERROR_INVALID_HANDLE && err != ERROR_ACCESS_DENIED)
			bad("RtmLockRoute", err); /* deleted meanwhile: INVALID_HANDLE; another's (same prefix): no */
		break;
	}
	case 12: { /* route lists */
		RTM_ROUTE_HANDLE hs[4];
		UINT n = 0;
		for (int i = 0; i < 4; i++)
			if (w->held[(slot + i) % HELD])
				hs[n++] = w->held[(slot + i) % HELD];
		err = RtmInsertInRouteList(e, rnd(s) % 4 ? w->list : NULL, n, hs);
		if (err != NO_ERROR)
			bad("RtmInsertInRouteList", err);
		break;
	}
	case 13: { /* next hops */
		RTM_ENUM_HANDLE en;
		if (RtmCreateNextHopEnum(e, RTM_ENUM_START, NULL, &en) != NO_ERROR)
			break;
		RTM_NEXTHOP_HANDLE hs[8];
		UINT n = 8;
		RtmGetEnumNextHops(e, en, &n, hs);
		RtmReleaseNextHops(e, n, hs);
		RtmDeleteEnumHandle(e, en);
		break;
	}
	case 14: { /* the churning registration: comes, adds, goes (only thread 7) */
		if (w->id != THREADS - 1)
			break;
		RTM_ENTITY_INFO info;
		RTM_REGN_PROFILE prof;
		RTM_ENTITY_HANDLE c = NULL;
		memset(&info, 0, sizeof(info));
		info.AddressFamily = AF_INET;
		info.EntityId.EntityProtocolId = 900;
		info.EntityId.EntityInstanceId = 1;
		err = RtmRegisterEntity(&info, NULL, soak_cb, FALSE, &prof, &c);
		if (err != NO_ERROR) {
			bad("RtmRegisterEntity", err);
			break;
		}
		RTM_NEXTHOP_INFO ni;
		RTM_NEXTHOP_HANDLE n = NULL;
		memset(&ni, 0, sizeof(ni));
		ni.NextHopAddress = test_ipv4(10, 99, 0, 1, 32);
		ni.InterfaceIndex = 9;
		if (RtmAddNextHop(c, &ni, &n, NULL) != NO_ERROR)
			bad("RtmAddNextHop", 0);
		for (int i = 0; i < 8; i++) {
			test_route_info_buf ri;
			RTM_NET_ADDRESS p = prefix(rnd(s) % NPREFIX);
			test_fill_route(&ri.info, n, 5, 5, 3);
			if (RtmAddRouteToDest(c, NULL, &p, &ri.info, INFINITE, NULL, 0, NULL, NULL) != NO_ERROR)
				bad("RtmAddRouteToDest (churn)", 0);
		}
		RtmReleaseNextHops(c, 1, &n);
		if ((err = RtmDeregisterEntity(c)) != NO_ERROR)
			bad("RtmDeregisterEntity", err);
		break;
	}
	default: { /* a list enumeration */
		RTM_ENUM_HANDLE en;
		if (RtmCreateRouteListEnum(e, w->list, &en) != NO_ERROR)
			break;
		RTM_ROUTE_HANDLE hs[20];
		UINT n = 20;
		RtmGetListEnumRoutes(e, en, &n, hs);
		RtmReleaseRoutes(e, n, hs);
		RtmDeleteEnumHandle(e, en);
	}
	}
	__atomic_add_fetch(&ops_done, 1, __ATOMIC_RELAXED);
}

static void *work(void *arg)
{
	worker *w = arg;
	RTM_ENTITY_HANDLE e = ents[w->id % ENTS];
	if (RtmCreateRouteList(e, &w->list) != NO_ERROR)
		bad("RtmCreateRouteList", 0);
	while (!stop)
		one_op(w);
	for (int i = 0; i < HELD; i++)
		release_held(w, e, i);
	if (RtmDeleteRouteList(e, w->list) != NO_ERROR)
		bad("RtmDeleteRouteList", 0);
	return NULL;
}

int main(int argc, char **argv)
{
	double seconds = 2;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			seconds = atof(argv[++i]);
	static const ULONG proto[ENTS] = { 100, 100, 200, 300 };
	anchor = test_register(0, AF_INET, 4000, 1, NULL);
	for (int i = 0; i < ENTS; i++) {
		ents[i] = test_register(0, AF_INET, proto[i], (ULONG)i + 1, soak_cb);
		ok(RtmRegisterForChangeNotification(ents[i], i % 2 ? RTM_VIEW_MASK_UCAST : RTM_VIEW_MASK_ANY,
						    i == 3 ? RTM_CHANGE_TYPE_FORWARDING : RTM_CHANGE_TYPE_ALL,
						    (PVOID)(uintptr_t)i, &notes[i]) == NO_ERROR,
		   "register for changes\n");
		nhs[i][0] = test_nexthop(ents[i], test_ipv4(10, 200, (unsigned)i, 1, 32), 1);
		nhs[i][1] = test_nexthop(ents[i], test_ipv4(10, 200, (unsigned)i, 2, 32), 2);
	}
	worker w[THREADS];
	test_thread t[THREADS];
	double start = now_s();
	for (int i = 0; i < THREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].id = i;
		w[i].seed = 12345u + (unsigned)i * 7919u;
		t[i] = test_thread_start(work, &w[i]);
	}
	/* sample once a second */
	enum { MAXS = 4096 };
	static double mem[MAXS];
	static DWORD live[MAXS];
	int ns = 0;
	printf("soak: %d threads, %d entities, %.0f s\n", THREADS, ENTS, seconds);
	printf("  time   ops       callbacks  expiries  changed  live objects  memory MiB\n");
	while (now_s() - start < seconds && ns < MAXS) {
		test_sleep_ms(seconds < 5 ? 250 : 1000);
		mem[ns] = mem_mib();
		live[ns] = live_objects();
		if (seconds >= 5 || ns % 4 == 3)
			printf("  %5.0f  %-9ld %-10ld %-9ld %-8ld %-13lu %.1f\n", now_s() - start, LOAD(ops_done),
			       LOAD(callbacks), LOAD(expiries), LOAD(changed_dests), (unsigned long)live[ns], mem[ns]);
		fflush(stdout);
		ns++;
	}
	__atomic_store_n(&stop_flag, 1, __ATOMIC_RELAXED);
	for (int i = 0; i < THREADS; i++)
		test_thread_join(t[i]);
	/* the end: each entity releases its next hops and goes; then the hold-downs run out */
	for (int i = 0; i < ENTS; i++) {
		RtmReleaseNextHops(ents[i], 2, nhs[i]);
		ok(RtmDeregisterFromChangeNotification(ents[i], notes[i]) == NO_ERROR, "deregister notification\n");
		test_deregister(ents[i]);
	}
	test_deregister(anchor);
	DWORD left = ~0u;
	double t_end = now_s();
	while (left && now_s() - t_end < 30) { /* hold-downs of up to 250 ms (slow under valgrind) */
		left = live_objects();
		if (left)
			test_sleep_ms(50);
	}
	if (left) {
		/* what is left: visible in the table (a hold-down that never ended) or not (a lost reference)? */
		RTM_ENTITY_HANDLE probe = test_register(0, AF_INET, 4711, 1, NULL);
		RTM_ENUM_HANDLE en;
		RTM_ROUTE_HANDLE hs[100];
		UINT n = 100;
		if (probe && RtmCreateRouteEnum(probe, NULL, RTM_VIEW_MASK_ANY, RTM_ENUM_START, NULL, 0, NULL, 0, &en) ==
				     NO_ERROR) {
			RtmGetEnumRoutes(probe, en, &n, hs);
			for (UINT i = 0; i < n; i++) {
				test_route_info_buf ri;
				if (RtmGetRouteInfo(probe, hs[i], &ri.info, NULL) == NO_ERROR) {
					printf("soak: left in the table: route %p state %u views %#lx\n", (void *)hs[i],
					       ri.info.State, (unsigned long)ri.info.BelongsToViews);
					RtmReleaseRouteInfo(probe, &ri.info);
				}
			}
			RtmReleaseRoutes(probe, n, hs);
			RtmDeleteEnumHandle(probe, en);
			printf("soak: %u routes in the table (hold-downs included)\n", n);
		}
		test_deregister(probe);
	}
	if (!left)
		printf("soak: everything freed %.1f s after the last deregistration\n", now_s() - t_end);
	expect_no_live_objects();
	ok(api_errors == 0, "%ld results no correct client should get\n", api_errors);
	ok(ops_done > 0 && callbacks > 0, "nothing happened: %ld operations, %ld callbacks\n", ops_done, callbacks);
	/* memory: the first and the last third of the samples */
	if (ns >= 3) {
		double a = 0, b = 0, peak = 0;
		DWORD lmax = 0;
		int third = ns / 3;
		for (int i = 0; i < third; i++)
			a += mem[i];
		for (int i = ns - third; i < ns; i++)
			b += mem[i];
		for (int i = 0; i < ns; i++) {
			if (mem[i] > peak)
				peak = mem[i];
			if (live[i] > lmax)
				lmax = live[i];
		}
		a /= third;
		b /= third;
		int flat = b <= a * 1.25 + 8;
		printf("soak: %ld operations, %ld callbacks (%ld expiries, %ld changed dests); memory first third %.1f MiB, "
		       "last third %.1f MiB, peak %.1f MiB (%s); live objects at most %lu, %lu at the end\n",
		       ops_done, callbacks, expiries, changed_dests, a, b, peak, flat ? "flat" : "GROWING",
		       (unsigned long)lmax, (unsigned long)left);
		if (seconds >= 30)
			ok(flat, "memory grew from %.1f to %.1f MiB\n", a, b);
	}
	return test_finish();
}

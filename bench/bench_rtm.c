/*
 * bench_rtm.c - the RTMv2 API at Internet-table size: speed and memory.
 *
 * In the manner of DPDK's LPM perf test: build a table of N synthetic
 * prefixes with a real router's length mix (bench/routegen.h states it), and
 * report every operation as its own figure, in ns per operation and millions
 * of operations per second.  Only the public API of rtmv2.h is called, so the
 * same source measures the native build (the core linked in) and rtm.dll
 * under Wine (x64 and x86, linked through the import library).
 *
 * Phases, for one address family and one N, in this order:
 *   add          RtmAddRouteToDest of N new prefixes (new dest + route), one
 *                of 4 next hops each, random order
 *   exact        RtmGetExactMatchDestination + RtmReleaseDestInfo of every
 *                prefix, random order
 *   lpm          RtmGetMostSpecificDestination + RtmReleaseDestInfo of L
 *                addresses, half inside some prefix, half arbitrary
 *   lpm 2T       the same on 2 threads at once (L each); per-op time is wall
 *                time / (2 L), and the speed-up over one thread is reported
 *   enum         RtmCreateDestEnum over the whole table, RtmGetEnumDests in
 *                batches of MaxHandlesInEnum, RtmReleaseDests of each batch
 *   update       RtmAddRouteToDest through the route handle: metric change of
 *                every route (each is its destination's best: a BEST change)
 *   delete       RtmDeleteRouteToDest of every route, random order
 *   add+notify   a second entity registers for change notification (BEST
 *                changes, unicast view), then the N routes are added again
 *   drain        that entity takes every changed destination with
 *                RtmGetChangedDests (batches of MaxHandlesInEnum) and
 *                RtmReleaseChangedDests
 * Every lookup and enumeration asks for the unicast view, so each returned
 * RTM_DEST_INFO carries the best route and its owner (3 references to take
 * and give back), as a forwarding client would ask.
 *
 * Memory: the allocator's count of bytes in use (glibc mallinfo2, natively;
 * a HeapWalk of the process heaps, on Windows) and the process's resident
 * bytes (VmRSS natively, the working set on Windows), before the table is loaded,
 * after the add, at their highest sampled point, and after the delete.
 *
 * Times are the CPU time of the thread that ran the phase (the wall clock is
 * shown beside it, and is what the CSV's seconds column holds): on a machine
 * shared with other work the wall clock also counts the waits for a core.
 * Under Wine the thread CPU time moves in 10 ms steps, so there a phase of
 * less than 0.2 s CPU is timed by the wall clock (and says so in its note).  The 2-thread figure takes the busier thread's CPU time.
 *
 * Output: a human table on stdout, and with --csv FILE one line per figure:
 *   label,family,n,figure,value,unit,ops,seconds,note
 *
 * Under valgrind --tool=callgrind --instr-atstart=no each phase is
 * instrumented alone and dumped as "<family> <n> <phase>" (client requests,
 * native builds only), so instructions per operation can be read off the dump
 * totals: scripts/bench.sh does that.
 *
 * The read-only phases (exact, lpm, lpm 2T, enum) run R times (default 3)
 * and report the fastest run, because shared and virtual machines are noisy;
 * the phases that change the table run once.
 *
 * Usage: bench_rtm [--family 4|6] [--n N] [--lookups L] [--seed S] [--reps R]
 *                  [--csv FILE] [--label NAME] [--no-threads] [--lookup-views MASK]
 * (--lookup-views 0: lookups and enumeration ask for no view, so they take
 * no route or owner references; an experiment, not the figure.)
 * Several --n may be given; each N runs in its own routing table (instance).
 */
#define _GNU_SOURCE
#include "platform/win_types.h"
#include <rtmv2.h>

#include "routegen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef _WIN32
#include <psapi.h>
#else
#include <malloc.h>
#include <pthread.h>
#include <time.h>
#endif

#if !defined(_WIN32) && defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#define BENCH_CALLGRIND 1
#endif
#endif
#ifndef BENCH_CALLGRIND
#define CALLGRIND_START_INSTRUMENTATION ((void)0)
#define CALLGRIND_STOP_INSTRUMENTATION ((void)0)
#define CALLGRIND_ZERO_STATS ((void)0)
#define CALLGRIND_DUMP_STATS_AT(s) ((void)(s))
#endif

#ifdef BENCH_INTERNALS
/* native only: the sizes of the core's objects, for the memory breakdown */
#include "dest.h"
#include "route.h"
#endif

#define NEXTHOPS 4
#define MAX_SIZES 8
#define DEST_STRIDE RTM_SIZE_OF_DEST_INFO(2)

/* ---- clock, threads, memory: the little that differs between platforms ---- */

#ifdef _WIN32
static double now_s(void)
{
	static LARGE_INTEGER f;
	LARGE_INTEGER c;
	if (!f.QuadPart)
		QueryPerformanceFrequency(&f);
	QueryPerformanceCounter(&c);
	return (double)c.QuadPart / (double)f.QuadPart;
}

/* CPU time of the calling thread (Wine: 10 ms steps) */
static double cpu_s(void)
{
	FILETIME created, exited, kernel, user;
	ULARGE_INTEGER k, u;
	if (!GetThreadTimes(GetCurrentThread(), &created, &exited, &kernel, &user))
		return 0;
	k.LowPart = kernel.dwLowDateTime;
	k.HighPart = kernel.dwHighDateTime;
	u.LowPart = user.dwLowDateTime;
	u.HighPart = user.dwHighDateTime;
	return (double)(k.QuadPart + u.QuadPart) * 1e-7;
}

typedef HANDLE bench_thread;
typedef struct thread_box {
	void (*fn)(void *);
	void *arg;
} thread_box;
static DWORD WINAPI thread_main(LPVOID p)
{
	thread_box *b = p;
	b->fn(b->arg);
	return 0;
}
static int thread_start(bench_thread *t, thread_box *b)
{
	*t = CreateThread(NULL, 0, thread_main, b, 0, NULL);
	return *t ? 0 : -1;
}
static void thread_join(bench_thread t)
{
	WaitForSingleObject(t, INFINITE);
	CloseHandle(t);
}

/* bytes the heaps of the process hand out (busy blocks, as HeapWalk sees them) */
static double heap_bytes(void)
{
	HANDLE heaps[64];
	DWORD n = GetProcessHeaps(64, heaps);
	double total = 0;
	if (n > 64)
		n = 64;
	for (DWORD i = 0; i < n; i++) {
		PROCESS_HEAP_ENTRY e;
		memset(&e, 0, sizeof(e));
		if (!HeapLock(heaps[i]))
			continue;
		while (HeapWalk(heaps[i], &e))
			if (e.wFlags & PROCESS_HEAP_ENTRY_BUSY)
				total += (double)e.cbData + e.cbOverhead;
		HeapUnlock(heaps[i]);
	}
	return total;
}

static double private_bytes(double *peak)
{
	PROCESS_MEMORY_COUNTERS_EX pmc;
	memset(&pmc, 0, sizeof(pmc));
	pmc.cb = sizeof(pmc);
	if (!GetProcessMemoryInfo(GetCurrentProcess(), (PROCESS_MEMORY_COUNTERS *)&pmc, sizeof(pmc)))
		return 0;
	/* the working set, like RSS natively (Wine reports no PrivateUsage) */
	if (peak)
		*peak = (double)pmc.PeakWorkingSetSize;
	return (double)pmc.WorkingSetSize;
}
#else
static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of the calling thread */
static double cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef pthread_t bench_thread;
typedef struct thread_box {
	void (*fn)(void *);
	void *arg;
} thread_box;
static void *thread_main(void *p)
{
	thread_box *b = p;
	b->fn(b->arg);
	return NULL;
}
static int thread_start(bench_thread *t, thread_box *b) { return pthread_create(t, NULL, thread_main, b); }
static void thread_join(bench_thread t) { pthread_join(t, NULL); }

/* glibc's count: small blocks in use plus mmapped blocks (large arrays) */
static double heap_bytes(void)
{
	struct mallinfo2 m = mallinfo2();
	return (double)m.uordblks + (double)m.hblkhd;
}

/* resident bytes (VmRSS) and their peak (VmHWM) */
static double private_bytes(double *peak)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	double rss = 0, hwm = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long kb;
		if (sscanf(line, "VmRSS: %lu kB", &kb) == 1)
			rss = (double)kb * 1024;
		else if (sscanf(line, "VmHWM: %lu kB", &kb) == 1)
			hwm = (double)kb * 1024;
	}
	fclose(f);
	if (peak)
		*peak = hwm;
	return rss;
}
#endif

/*
 * A phase's time, both ways: wall clock, and the CPU time of the thread that
 * ran it.  On a machine shared with other work (a build, other tests) the
 * wall clock also counts the time the thread waited for a core; the CPU time
 * does not, so the figures use it and the wall time is shown beside.
 */
typedef struct sw {
	double wall, cpu;
} sw;

static sw sw_now(void)
{
	sw t;
	t.wall = now_s();
	t.cpu = cpu_s();
	return t;
}

static sw sw_since(sw t0)
{
	sw t = sw_now();
	t.wall -= t0.wall;
	t.cpu -= t0.cpu;
	return t;
}

/*
 * The time a figure uses: the CPU time, but where that clock is coarse (Wine
 * advances a thread's CPU time in 10 ms steps) and the phase was short, the
 * wall clock.
 */
#ifdef _WIN32
#define CPU_CLOCK_MIN 0.2 /* s: 20 steps or more */
#else
#define CPU_CLOCK_MIN 0.0
#endif
static int sw_by_wall(sw t) { return t.cpu < CPU_CLOCK_MIN; }
static double sw_time(sw t) { return sw_by_wall(t) ? t.wall : t.cpu; }

/* ---- output ----------------------------------------------------------------- */

static const char *label = "native";
static DWORD lookup_views = RTM_VIEW_MASK_UCAST; /* --lookup-views: views asked by lookups and enumerations */
static int reps = 3; /* read-only phases run this many times; the fastest is reported */
static FILE *csv;

static void emit(int family, size_t n, const char *figure, double value, const char *unit, size_t ops,
		 double seconds, const char *note)
{
	if (csv) {
		fprintf(csv, "%s,ipv%d,%zu,%s,%.3f,%s,%zu,%.6f,%s\n", label, family, n, figure, value, unit, ops,
			seconds, note ? note : "");
		fflush(csv);
	}
}

/* one timed figure: ns/op (CPU time) and Mops/s on stdout, the wall clock beside; a CSV line */
static void report_time(int family, size_t n, const char *figure, size_t ops, sw t, const char *note)
{
	double ns = ops ? sw_time(t) * 1e9 / (double)ops : 0, wall_ns = ops ? t.wall * 1e9 / (double)ops : 0;
	char why[160];
	snprintf(why, sizeof(why), "%s%s%s", sw_by_wall(t) ? "by the wall clock (short phase; coarse CPU clock)" : "",
		 sw_by_wall(t) && note ? "; " : "", note ? note : "");
	printf("  %-12s %9zu ops %9.1f ns/op %8.2f Mops/s (wall %9.1f ns/op)%s%s\n", figure, ops, ns,
	       ns > 0 ? 1e3 / ns : 0.0, wall_ns, why[0] ? "  " : "", why);
	emit(family, n, figure, ns, "ns/op", ops, t.wall, why[0] ? why : NULL);
}

static void report_unavailable(int family, size_t n, const char *figure, DWORD err)
{
	char note[64];
	snprintf(note, sizeof(note), "unavailable (error %lu)", (unsigned long)err);
	printf("  %-12s %s\n", figure, note);
	emit(family, n, figure, 0, "ns/op", 0, 0, note);
}

static void report_value(int family, size_t n, const char *figure, double value, const char *unit)
{
	printf("  %-12s %12.1f %s\n", figure, value, unit);
	emit(family, n, figure, value, unit, 0, 0, NULL);
}

static void fail(const char *what, DWORD err)
{
	fprintf(stderr, "bench_rtm: %s failed: %lu\n", what, (unsigned long)err);
	exit(1);
}

/* ---- the workload ----------------------------------------------------------- */

static DWORD WINAPI on_event(RTM_ENTITY_HANDLE reg, RTM_EVENT_TYPE type, PVOID c1, PVOID c2)
{
	(void)reg;
	(void)type;
	(void)c1;
	(void)c2;
	return NO_ERROR; /* notifications are drained by the main thread, timed */
}

static RTM_ENTITY_HANDLE register_entity(USHORT instance, USHORT family, ULONG protocol, UINT *max_enum)
{
	RTM_ENTITY_INFO info;
	RTM_REGN_PROFILE profile;
	RTM_ENTITY_HANDLE h = NULL;
	memset(&info, 0, sizeof(info));
	info.RtmInstanceId = instance;
	info.AddressFamily = family;
	info.EntityId.EntityProtocolId = protocol;
	info.EntityId.EntityInstanceId = 1;
	DWORD err = RtmRegisterEntity(&info, NULL, on_event, FALSE, &profile, &h);
	if (err)
		fail("RtmRegisterEntity", err);
	if (max_enum)
		*max_enum = profile.MaxHandlesInEnum;
	return h;
}

static void net_address(RTM_NET_ADDRESS *a, int family, const uint8_t *key, unsigned len)
{
	a->AddressFamily = family == 4 ? AF_INET : AF_INET6;
	a->NumBits = (USHORT)len;
	memcpy(a->AddrBits, key, family == 4 ? 4 : 16);
}

typedef struct run {
	int family;
	size_t n, lookups;
	RTM_ENTITY_HANDLE reg;
	RTM_NEXTHOP_HANDLE nh[NEXTHOPS];
	rg_prefix *p;          /* the route set, in add order */
	RTM_ROUTE_HANDLE *rh;  /* route handle of p[i] */
	size_t *order;         /* a random permutation of 0..n-1 */
	uint8_t *addr;         /* lookup addresses */
	UINT max_enum;
} run;

static __attribute__((noinline)) void phase_add(run *r)
{
	union {
		RTM_ROUTE_INFO info;
		char room[RTM_SIZE_OF_ROUTE_INFO(1)];
	} u;
	RTM_NET_ADDRESS a;
	memset(&u, 0, sizeof(u));
	memset(&a, 0, sizeof(a));
	u.info.PrefInfo.Preference = 10;
	u.info.PrefInfo.Metric = 1;
	u.info.BelongsToViews = RTM_VIEW_MASK_UCAST;
	u.info.NextHopsList.NumNextHops = 1;
	for (size_t i = 0; i < r->n; i++) {
		RTM_NEXTHOP_HANDLE nh = r->nh[i % NEXTHOPS];
		RTM_ROUTE_CHANGE_FLAGS flags = 0;
		u.info.Neighbour = nh;
		u.info.NextHopsList.NextHops[0] = nh;
		net_address(&a, r->family, r->p[i].key, r->p[i].len);
		r->rh[i] = NULL;
		DWORD err = RtmAddRouteToDest(r->reg, &r->rh[i], &a, &u.info, INFINITE, NULL, 0, NULL, &flags);
		if (err)
			fail("RtmAddRouteToDest", err);
	}
}

static __attribute__((noinline)) void phase_update(run *r)
{
	union {
		RTM_ROUTE_INFO info;
		char room[RTM_SIZE_OF_ROUTE_INFO(1)];
	} u;
	memset(&u, 0, sizeof(u));
	u.info.PrefInfo.Preference = 10;
	u.info.BelongsToViews = RTM_VIEW_MASK_UCAST;
	u.info.NextHopsList.NumNextHops = 1;
	for (size_t k = 0; k < r->n; k++) {
		size_t i = r->order[k];
		RTM_NEXTHOP_HANDLE nh = r->nh[i % NEXTHOPS];
		RTM_ROUTE_CHANGE_FLAGS flags = 0;
		u.info.Neighbour = nh;
		u.info.NextHopsList.NextHops[0] = nh;
		u.info.PrefInfo.Metric = 2 + (ULONG)(i & 7);
		DWORD err = RtmAddRouteToDest(r->reg, &r->rh[i], NULL, &u.info, INFINITE, NULL, 0, NULL, &flags);
		if (err)
			fail("RtmAddRouteToDest (update)", err);
		if (!(flags & RTM_ROUTE_CHANGE_BEST))
			fail("update: no best-route change", flags);
	}
}

static __attribute__((noinline)) void phase_delete(run *r)
{
	for (size_t k = 0; k < r->n; k++) {
		size_t i = r->order[k];
		RTM_ROUTE_CHANGE_FLAGS flags = 0;
		DWORD err = RtmDeleteRouteToDest(r->reg, r->rh[i], &flags);
		if (err)
			fail("RtmDeleteRouteToDest", err);
		r->rh[i] = NULL;
	}
}

static __attribute__((noinline)) void phase_exact(run *r)
{
	union {
		RTM_DEST_INFO info;
		char room[DEST_STRIDE];
	} u;
	RTM_NET_ADDRESS a;
	memset(&a, 0, sizeof(a));
	for (size_t k = 0; k < r->n; k++) {
		const rg_prefix *p = &r->p[r->order[k]];
		net_address(&a, r->family, p->key, p->len);
		DWORD err = RtmGetExactMatchDestination(r->reg, &a, RTM_BEST_PROTOCOL, lookup_views, &u.info);
		if (err)
			fail("RtmGetExactMatchDestination", err);
		if ((err = RtmReleaseDestInfo(r->reg, &u.info)))
			fail("RtmReleaseDestInfo", err);
	}
}

typedef struct lpm_job {
	run *r;
	size_t first, count, hits;
	volatile int *go;
	sw t;
} lpm_job;

static __attribute__((noinline)) size_t lpm_loop(run *r, size_t first, size_t count)
{
	union {
		RTM_DEST_INFO info;
		char room[DEST_STRIDE];
	} u;
	RTM_NET_ADDRESS a;
	unsigned bytes = r->family == 4 ? 4 : 16, bits = bytes * 8;
	size_t hits = 0;
	memset(&a, 0, sizeof(a));
	for (size_t k = 0; k < count; k++) {
		net_address(&a, r->family, r->addr + ((first + k) % r->lookups) * bytes, bits);
		DWORD err = RtmGetMostSpecificDestination(r->reg, &a, RTM_BEST_PROTOCOL, lookup_views, &u.info);
		if (err == ERROR_NOT_FOUND)
			continue;
		if (err)
			fail("RtmGetMostSpecificDestination", err);
		hits++;
		if ((err = RtmReleaseDestInfo(r->reg, &u.info)))
			fail("RtmReleaseDestInfo", err);
	}
	return hits;
}

static void lpm_thread(void *p)
{
	lpm_job *j = p;
	while (!*j->go)
		;
	sw t0 = sw_now();
	j->hits = lpm_loop(j->r, j->first, j->count);
	j->t = sw_since(t0);
}

static __attribute__((noinline)) size_t phase_enum(run *r, DWORD *status)
{
	RTM_ENUM_HANDLE eh = NULL;
	size_t seen = 0;
	char *buf = malloc((size_t)r->max_enum * DEST_STRIDE);
	if (!buf)
		fail("malloc", 0);
	*status = RtmCreateDestEnum(r->reg, lookup_views, RTM_ENUM_START | RTM_ENUM_ALL_DESTS, NULL,
				    RTM_BEST_PROTOCOL, &eh);
	if (*status) {
		free(buf);
		return 0;
	}
	for (;;) {
		UINT got = r->max_enum;
		DWORD err = RtmGetEnumDests(r->reg, eh, &got, (PRTM_DEST_INFO)buf);
		if (err && err != ERROR_NO_MORE_ITEMS)
			fail("RtmGetEnumDests", err);
		seen += got;
		if (got) {
			DWORD rel = RtmReleaseDests(r->reg, got, (PRTM_DEST_INFO)buf);
			if (rel)
				fail("RtmReleaseDests", rel);
		}
		if (err == ERROR_NO_MORE_ITEMS)
			break;
	}
	RtmDeleteEnumHandle(r->reg, eh);
	free(buf);
	return seen;
}

static __attribute__((noinline)) size_t phase_drain(run *r, RTM_ENTITY_HANDLE reg, RTM_NOTIFY_HANDLE nh,
						      DWORD *status)
{
	size_t seen = 0;
	char *buf = malloc((size_t)r->max_enum * DEST_STRIDE);
	if (!buf)
		fail("malloc", 0);
	*status = 0;
	for (;;) {
		UINT got = r->max_enum;
		DWORD err = RtmGetChangedDests(reg, nh, &got, (PRTM_DEST_INFO)buf);
		if (err && err != ERROR_NO_MORE_ITEMS) {
			*status = err;
			break;
		}
		seen += got;
		if (got) {
			DWORD rel = RtmReleaseChangedDests(reg, nh, got, (PRTM_DEST_INFO)buf);
			if (rel)
				fail("RtmReleaseChangedDests", rel);
		}
		if (err == ERROR_NO_MORE_ITEMS || !got)
			break;
	}
	free(buf);
	return seen;
}

/* ---- one table ----------------------------------------------------------------- */

typedef struct mem_point {
	double heap, priv;
} mem_point;

static mem_point mem_now(void)
{
	mem_point m;
	m.heap = heap_bytes();
	m.priv = private_bytes(NULL);
	return m;
}

static void mem_peak(mem_point *peak)
{
	mem_point m = mem_now();
	if (m.heap > peak->heap)
		peak->heap = m.heap;
	if (m.priv > peak->priv)
		peak->priv = m.priv;
}

/* the fastest of n runs (CPU time): the one least disturbed by whatever else the machine ran */
static sw best(const sw *v, int n)
{
	sw b = v[0];
	for (int i = 1; i < n; i++)
		if (sw_time(v[i]) < sw_time(b))
			b = v[i];
	return b;
}

/* start a phase: under callgrind, count from here */
static void phase_begin(void)
{
	CALLGRIND_START_INSTRUMENTATION;
	CALLGRIND_ZERO_STATS;
}

static void phase_end(int family, size_t n, const char *name)
{
	char what[64];
	CALLGRIND_STOP_INSTRUMENTATION;
	snprintf(what, sizeof(what), "ipv%d %zu %s", family, n, name);
	CALLGRIND_DUMP_STATS_AT(what);
	(void)what;
}

/* run_phase - one timed, instrumented run of a phase that changes or reads the whole table */
static sw run_phase(run *r, const char *name, void (*fn)(run *r))
{
	phase_begin();
	sw t0 = sw_now();
	fn(r);
	sw t = sw_since(t0);
	phase_end(r->family, r->n, name);
	return t;
}

static void bench_table(int family, size_t n, size_t lookups, uint64_t seed, USHORT instance, int threads)
{
	run r;
	memset(&r, 0, sizeof(r));
	r.family = family;
	r.n = n;
	r.lookups = lookups;
	r.p = malloc(n * sizeof(*r.p));
	r.rh = calloc(n, sizeof(*r.rh));
	r.order = malloc(n * sizeof(*r.order));
	r.addr = malloc(lookups * (family == 4 ? 4 : 16));
	if (!r.p || !r.rh || !r.order || !r.addr || rg_make_prefixes(r.p, n, family == 4 ? 32 : 128, seed))
		fail("allocating the route set", 0);
	rg_make_lookups(r.addr, lookups, r.p, n, family == 4 ? 32 : 128, seed);
	rg_rng g;
	rg_seed(&g, seed ^ UINT64_C(0x6F72646572));
	for (size_t i = 0; i < n; i++)
		r.order[i] = i;
	rg_shuffle(&g, r.order, n, sizeof(*r.order));

	size_t hist[129], shorter = 0, l24 = 0, l2223 = 0, l1621 = 0, l48 = 0, l3244 = 0;
	rg_length_histogram(r.p, n, hist);
	for (unsigned l = 0; l <= 128; l++) {
		if (family == 4) {
			shorter += l < 16 ? hist[l] : 0;
			l1621 += l >= 16 && l <= 21 ? hist[l] : 0;
		} else {
			l3244 += l >= 32 && l <= 44 ? hist[l] : 0;
		}
	}
	l24 = hist[24];
	l2223 = hist[22] + hist[23];
	l48 = hist[48];
	printf("IPv%d, %zu routes (seed %llu); ", family, n, (unsigned long long)seed);
	if (family == 4)
		printf("mix /24 %.1f%%, /22-23 %.1f%%, /16-21 %.1f%%, shorter %.1f%%\n", 100.0 * l24 / n,
		       100.0 * l2223 / n, 100.0 * l1621 / n, 100.0 * shorter / n);
	else
		printf("mix /48 %.1f%%, /32-44 %.1f%%, other %.1f%%\n", 100.0 * l48 / n, 100.0 * l3244 / n,
		       100.0 * (n - l48 - l3244) / n);

	mem_point base = mem_now(), peak = base;
	r.reg = register_entity(instance, family == 4 ? AF_INET : AF_INET6, 1000 + instance, &r.max_enum);
	for (int i = 0; i < NEXTHOPS; i++) {
		RTM_NEXTHOP_INFO info;
		memset(&info, 0, sizeof(info));
		uint8_t key[16] = { 0 };
		if (family == 4) {
			rg_put_be32(key, 0x0A000001u + (uint32_t)i); /* 10.0.0.1 - 10.0.0.4 */
			net_address(&info.NextHopAddress, 4, key, 32);
		} else {
			key[0] = 0xFE;
			key[1] = 0x80;
			key[15] = (uint8_t)(1 + i);
			net_address(&info.NextHopAddress, 6, key, 128);
		}
		info.InterfaceIndex = 1 + (ULONG)i;
		DWORD err = RtmAddNextHop(r.reg, &info, &r.nh[i], NULL);
		if (err)
			fail("RtmAddNextHop", err);
	}

	sw t0;
	sw t_add = run_phase(&r, "add", phase_add);
	report_time(family, n, "add", n, t_add, NULL);
	mem_point loaded = mem_now();
	mem_peak(&peak);

	sw times[16] = { { 0, 0 } };
	for (int k = 0; k < reps; k++) {
		times[k] = run_phase(&r, "exact", phase_exact);
	}
	report_time(family, n, "exact", n, best(times, reps), NULL);

	size_t hits = 0;
	for (int k = 0; k < reps; k++) {
		phase_begin();
		t0 = sw_now();
		hits = lpm_loop(&r, 0, lookups);
		times[k] = sw_since(t0);
		phase_end(family, n, "lpm");
	}
	sw t_lpm = best(times, reps);
	char note[96];
	snprintf(note, sizeof(note), "hits %.1f%%", 100.0 * (double)hits / (double)lookups);
	report_time(family, n, "lpm", lookups, t_lpm, note);

	if (threads) {
		for (int k = 0; k < reps; k++) {
			volatile int go = 0;
			lpm_job j[2];
			thread_box box[2];
			bench_thread th[2];
			for (int i = 0; i < 2; i++) {
				j[i].r = &r;
				j[i].first = (size_t)i * (lookups / 2);
				j[i].count = lookups;
				j[i].go = &go;
				box[i].fn = lpm_thread;
				box[i].arg = &j[i];
				if (thread_start(&th[i], &box[i]))
					fail("thread start", 0);
			}
			t0 = sw_now();
			go = 1;
			for (int i = 0; i < 2; i++)
				thread_join(th[i]);
			times[k] = sw_since(t0);
			/* the two ran side by side: the busier one's CPU time is the phase's */
			times[k].cpu = j[0].t.cpu > j[1].t.cpu ? j[0].t.cpu : j[1].t.cpu;
		}
		sw t2 = best(times, reps);
		double speedup = 2.0 * sw_time(t_lpm) / sw_time(t2), wall_speedup = 2.0 * t_lpm.wall / t2.wall;
		snprintf(note, sizeof(note), "speed-up %.2fx over 1 thread (wall clock %.2fx)", speedup, wall_speedup);
		report_time(family, n, "lpm_2t", 2 * lookups, t2, note);
		emit(family, n, "lpm_2t_speedup", speedup, "x", 0, 0, NULL);
	}

	DWORD status = 0;
	size_t seen = 0;
	for (int k = 0; k < reps && !status; k++) {
		phase_begin();
		t0 = sw_now();
		seen = phase_enum(&r, &status);
		times[k] = sw_since(t0);
		phase_end(family, n, "enum");
	}
	sw t_enum = best(times, reps);
	if (status)
		report_unavailable(family, n, "enum", status);
	else {
		snprintf(note, sizeof(note), "%zu dests", seen);
		report_time(family, n, "enum", seen, t_enum, seen == n ? NULL : note);
	}
	mem_peak(&peak);

	sw t_upd = run_phase(&r, "update", phase_update);
	report_time(family, n, "update", n, t_upd, NULL);
	mem_peak(&peak);

	sw t_del = run_phase(&r, "delete", phase_delete);
	report_time(family, n, "delete", n, t_del, NULL);
	mem_point emptied = mem_now();

	/* change notification: a second entity watches while the table loads */
	RTM_ENTITY_HANDLE watcher = register_entity(instance, family == 4 ? AF_INET : AF_INET6, 2000 + instance, NULL);
	RTM_NOTIFY_HANDLE nh = NULL;
	status = RtmRegisterForChangeNotification(watcher, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, NULL, &nh);
	if (status) {
		report_unavailable(family, n, "add_notify", status);
		report_unavailable(family, n, "drain", status);
	} else {
		sw t_addn = run_phase(&r, "add_notify", phase_add);
		report_time(family, n, "add_notify", n, t_addn, "1 registration watching");
		mem_peak(&peak);
		phase_begin();
		t0 = sw_now();
		seen = phase_drain(&r, watcher, nh, &status);
		sw t_drain = sw_since(t0);
		phase_end(family, n, "drain");
		if (status)
			report_unavailable(family, n, "drain", status);
		else {
			snprintf(note, sizeof(note), "%zu dests", seen);
			report_time(family, n, "drain", seen, t_drain, seen == n ? NULL : note);
		}
		RtmDeregisterFromChangeNotification(watcher, nh);
		phase_delete(&r);
	}
	RtmDeregisterEntity(watcher);

	double peak_proc = 0;
	private_bytes(&peak_proc);
	report_value(family, n, "heap_per_route", (loaded.heap - base.heap) / (double)n, "B/route");
	report_value(family, n, "rss_per_route", (loaded.priv - base.priv) / (double)n, "B/route");
	report_value(family, n, "peak_heap_per_route", (peak.heap - base.heap) / (double)n, "B/route");
	report_value(family, n, "peak_process", peak_proc / 1048576.0, "MiB");
	report_value(family, n, "heap_left_after_delete", (emptied.heap - base.heap) / (double)n, "B/route");
	printf("  delete/add time ratio %.2f\n", sw_time(t_del) / sw_time(t_add));

	for (int i = 0; i < NEXTHOPS; i++) {
		RtmDeleteNextHop(r.reg, r.nh[i], NULL);
	}
	RtmDeregisterEntity(r.reg);
	free(r.addr);
	free(r.order);
	free(r.rh);
	free(r.p);
}

int main(int argc, char **argv)
{
	int family = 4, threads = 1;
	size_t sizes[MAX_SIZES], nsizes = 0, lookups = 1000000;
	uint64_t seed = RG_DEFAULT_SEED;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--family") && v) {
			family = atoi(v);
			i++;
		} else if (!strcmp(a, "--n") && v && nsizes < MAX_SIZES) {
			sizes[nsizes++] = strtoul(v, NULL, 0);
			i++;
		} else if (!strcmp(a, "--lookups") && v) {
			lookups = strtoul(v, NULL, 0);
			i++;
		} else if (!strcmp(a, "--seed") && v) {
			seed = strtoull(v, NULL, 0);
			i++;
		} else if (!strcmp(a, "--csv") && v) {
			if (!(csv = fopen(v, "a")))
				fail("opening the CSV file", 0);
			i++;
		} else if (!strcmp(a, "--label") && v) {
			label = v;
			i++;
		} else if (!strcmp(a, "--reps") && v) {
			reps = atoi(v);
			if (reps < 1 || reps > 16)
				fail("--reps must be 1..16", 0);
			i++;
		} else if (!strcmp(a, "--lookup-views") && v) {
			lookup_views = (DWORD)strtoul(v, NULL, 0); /* 0: no view info, no route/owner references */
			i++;
		} else if (!strcmp(a, "--no-threads")) {
			threads = 0;
		} else {
			fprintf(stderr, "usage: bench_rtm [--family 4|6] [--n N]... [--lookups L] [--seed S] "
					"[--reps R] [--csv FILE] [--label NAME] [--no-threads] [--lookup-views MASK]\n");
			return 2;
		}
	}
	if (family != 4 && family != 6)
		fail("--family must be 4 or 6", 0);
	if (!nsizes)
		sizes[nsizes++] = family == 4 ? 1000000 : 100000;
	if (!lookups)
		lookups = 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
#ifdef BENCH_INTERNALS
	printf("core objects: dest %zu B, route %zu B (RTM_ROUTE_INFO inline %zu B), pt_node %zu B; "
	       "each route also has 2 handle slots, and the tree glue nodes and jump index\n",
	       sizeof(dest), sizeof(route), sizeof(RTM_ROUTE_INFO), sizeof(pt_node));
#endif
	for (size_t i = 0; i < nsizes; i++)
		bench_table(family, sizes[i], lookups, seed, (USHORT)(100 + family * 10 + i), threads);
	if (csv)
		fclose(csv);
	return 0;
}

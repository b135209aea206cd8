/*
 * bench_enum.c - whole-table destination enumeration: CPU time and
 * instructions per destination (docs/ENUMERATION.md has the figures).
 *
 * Builds a table of N IPv4 prefixes with bench/routegen.h's Internet mix
 * (one route each, unicast), then, best of R runs of each:
 *   bare walk    pt_first/pt_next over the table's prefix tree and nothing
 *                else: what the memory costs (reaches into the core, so
 *                native builds only)
 *   ANY / UCAST  RtmCreateDestEnum(TargetViews 0 or unicast), RtmGetEnumDests
 *                in batches of 100, RtmReleaseDests of each batch; "get only"
 *                counts the RtmGetEnumDests calls alone
 * Times are the thread's CPU time (CLOCK_THREAD_CPUTIME_ID), so other
 * processes on a busy machine weigh less than in wall time (also printed).
 * Built with -DBENCH_CALLGRIND and run under valgrind --tool=callgrind
 * --instr-atstart=no, the last run of ANY and of UCAST is instrumented
 * alone and dumped as "ANY" / "UCAST": instructions per destination are
 * the dump totals / N.
 *
 * Usage: bench_enum [N [R]]   (default 1000000 5)
 */
#define _GNU_SOURCE
#include "platform/win_types.h"
#include <rtmv2.h>

#include "routegen.h"
#include "table.h" /* the bare walk reads the core's prefix tree */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef BENCH_CALLGRIND
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_START_INSTRUMENTATION ((void)0)
#define CALLGRIND_STOP_INSTRUMENTATION ((void)0)
#define CALLGRIND_ZERO_STATS ((void)0)
#define CALLGRIND_DUMP_STATS_AT(s) ((void)(s))
#endif

#define INSTANCE 9
#define BATCH 100                          /* MaxHandlesInEnum */
#define STRIDE RTM_SIZE_OF_DEST_INFO(2)    /* the profile's NumberOfViews */

static RTM_ENTITY_HANDLE reg;
static char infos[BATCH * STRIDE];

static double clock_s(clockid_t id)
{
	struct timespec t;
	clock_gettime(id, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void check(DWORD err, const char *what)
{
	if (err) {
		fprintf(stderr, "%s: error %lu\n", what, (unsigned long)err);
		exit(1);
	}
}

/* one whole-table walk; *get_s gets the CPU time spent inside RtmGetEnumDests */
static size_t walk(RTM_VIEW_SET views, double *get_s)
{
	RTM_ENUM_HANDLE h;
	size_t n = 0;
	*get_s = 0;
	check(RtmCreateDestEnum(reg, views, RTM_ENUM_START, NULL, RTM_BEST_PROTOCOL, &h), "RtmCreateDestEnum");
	for (;;) {
		UINT got = BATCH;
		double t0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
		DWORD err = RtmGetEnumDests(reg, h, &got, (PRTM_DEST_INFO)infos);
		*get_s += clock_s(CLOCK_THREAD_CPUTIME_ID) - t0;
		if (err != ERROR_NO_MORE_ITEMS)
			check(err, "RtmGetEnumDests");
		n += got;
		check(RtmReleaseDests(reg, got, (PRTM_DEST_INFO)infos), "RtmReleaseDests");
		if (err)
			break;
	}
	check(RtmDeleteEnumHandle(reg, h), "RtmDeleteEnumHandle");
	return n;
}

static void load(size_t n)
{
	RTM_ENTITY_INFO info;
	RTM_REGN_PROFILE profile;
	memset(&info, 0, sizeof(info));
	info.RtmInstanceId = INSTANCE;
	info.AddressFamily = AF_INET;
	info.EntityId.EntityProtocolId = 1;
	check(RtmRegisterEntity(&info, NULL, NULL, FALSE, &profile, &reg), "RtmRegisterEntity");
	rg_prefix *p = malloc(n * sizeof(*p));
	if (!p || rg_make_prefixes(p, n, 32, 20240601) < 0)
		check(ERROR_NOT_ENOUGH_MEMORY, "prefixes");
	for (size_t i = 0; i < n; i++) {
		RTM_NET_ADDRESS a;
		RTM_ROUTE_INFO route;
		memset(&a, 0, sizeof(a));
		memset(&route, 0, sizeof(route));
		a.AddressFamily = AF_INET;
		a.NumBits = p[i].len;
		memcpy(a.AddrBits, p[i].key, 4);
		route.BelongsToViews = RTM_VIEW_MASK_UCAST;
		route.PrefInfo.Preference = 10;
		check(RtmAddRouteToDest(reg, NULL, &a, &route, INFINITE, NULL, 0, NULL, NULL), "RtmAddRouteToDest");
	}
	free(p);
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	int reps = argc > 2 ? atoi(argv[2]) : 5;
	load(n);

	rtm_table *t = table_get(INSTANCE, AF_INET);
	double best = 1e9;
	size_t nodes = 0;
	for (int r = 0; r < reps; r++) {
		double t0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
		nodes = 0;
		for (pt_node *x = pt_first(&t->tree); x; x = pt_next(&t->tree, x))
			nodes++;
		double s = clock_s(CLOCK_THREAD_CPUTIME_ID) - t0;
		if (s < best)
			best = s;
	}
	printf("%zu prefixes; bare pt_next walk %.1f ns/node\n", nodes, best / (double)nodes * 1e9);

	static const RTM_VIEW_SET views[2] = { 0, RTM_VIEW_MASK_UCAST };
	static const char *names[2] = { "ANY", "UCAST" };
	for (int v = 0; v < 2; v++) {
		double best_all = 1e9, best_get = 1e9, best_wall = 1e9;
		size_t got = 0;
		for (int r = 0; r < reps; r++) {
			int last = r == reps - 1;
			double get, c0 = clock_s(CLOCK_THREAD_CPUTIME_ID), w0 = clock_s(CLOCK_MONOTONIC);
			if (last) {
				CALLGRIND_START_INSTRUMENTATION;
				CALLGRIND_ZERO_STATS;
			}
			got = walk(views[v], &get);
			if (last) {
				CALLGRIND_STOP_INSTRUMENTATION;
				CALLGRIND_DUMP_STATS_AT(names[v]);
			}
			double all = clock_s(CLOCK_THREAD_CPUTIME_ID) - c0, wall = clock_s(CLOCK_MONOTONIC) - w0;
			best_all = all < best_all ? all : best_all;
			best_get = get < best_get ? get : best_get;
			best_wall = wall < best_wall ? wall : best_wall;
		}
		double d = (double)got;
		printf("views %-5s %zu dests: get+release %.1f ns/dest (%.2f M/s), get only %.1f ns/dest (%.2f M/s), "
		       "wall %.1f ns/dest\n",
		       names[v], got, best_all / d * 1e9, d / best_all / 1e6, best_get / d * 1e9, d / best_get / 1e6,
		       best_wall / d * 1e9);
	}
	return 0;
}

/*
 * bench_prefix_tree.c - the prefix tree alone, at Internet-table size.
 *
 * Builds N (default 1,000,000) distinct IPv4 prefixes with a BGP-like length
 * mix (60% /24, 20% /22-/23, 17% /16-/21, 3% /8-/15; random unicast
 * addresses, seeded; the generator is bench/routegen.c, shared with
 * bench_rtm), each in a 64-byte "destination" that embeds its pt_node,
 * and times, as separate figures in ns per operation:
 *
 *   insert        pt_insert of every prefix, in random order
 *   lpm           pt_longest_match of random addresses (no filter)
 *   lpm+filter    the same with a filter that reads the destination
 *   find          pt_find of every prefix, in random order
 *   walk          pt_first + pt_next over the whole table
 *   remove        pt_remove of every prefix, in random order
 *
 * then the tree's shape and its memory per prefix.  Usage:
 *   bench_prefix_tree [prefixes [lookups [seed]]]
 * Each phase is its own function, so `valgrind --tool=callgrind` with
 * callgrind_annotate --inclusive=yes gives instructions per phase.
 */
#define _POSIX_C_SOURCE 200809L
#include "prefix_tree.h"
#include "routegen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#define DEFAULT_PREFIXES 1000000u
#define DEFAULT_LOOKUPS 4000000u

typedef struct dest {
	pt_node node;
	uint32_t views;  /* what a view filter looks at */
	uint32_t id;
	void *routes;    /* stands for the rest of a destination */
} dest;

static rg_rng rng;

static double now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void shuffle(dest **v, size_t n) { rg_shuffle(&rng, v, n, sizeof(*v)); }

static size_t heap_in_use(void)
{
#ifdef __GLIBC__
	struct mallinfo2 mi = mallinfo2();
	return mi.uordblks + mi.hblkhd; /* small blocks and mmap-ed ones */
#else
	return 0;
#endif
}

static void report(const char *what, double ns, size_t ops)
{
	printf("%-12s %10zu ops %8.1f ns/op %8.2f Mops/s\n", what, ops, ns / (double)ops,
	       (double)ops * 1e3 / ns);
}

/* bench_insert - insert every destination; returns how many were new */
static __attribute__((noinline)) size_t bench_insert(pt_tree *t, dest **order, size_t n)
{
	size_t added = 0;
	for (size_t i = 0; i < n; i++)
		added += pt_insert(t, &order[i]->node, NULL) == 0;
	return added;
}

static __attribute__((noinline)) size_t bench_lpm(const pt_tree *t, const uint8_t *addr, size_t n)
{
	size_t hits = 0;
	for (size_t i = 0; i < n; i++)
		hits += pt_longest_match(t, addr + 4 * i, PT_WIDTH_IPV4, NULL, NULL) != NULL;
	return hits;
}

static int in_view(const pt_node *n, void *ctx)
{
	const dest *d = (const dest *)((const char *)n - offsetof(dest, node));
	return (d->views & *(const uint32_t *)ctx) != 0;
}

static __attribute__((noinline)) size_t bench_lpm_filter(const pt_tree *t, const uint8_t *addr,
							 size_t n)
{
	uint32_t view = 1;
	size_t hits = 0;
	for (size_t i = 0; i < n; i++)
		hits += pt_longest_match(t, addr + 4 * i, PT_WIDTH_IPV4, in_view, &view) != NULL;
	return hits;
}

static __attribute__((noinline)) size_t bench_find(const pt_tree *t, dest **order, size_t n)
{
	size_t found = 0;
	for (size_t i = 0; i < n; i++)
		found += pt_find(t, order[i]->node.key, order[i]->node.len) == &order[i]->node;
	return found;
}

static __attribute__((noinline)) size_t bench_walk(const pt_tree *t)
{
	size_t seen = 0;
	for (const pt_node *n = pt_first(t); n; n = pt_next(t, n))
		seen++;
	return seen;
}

static __attribute__((noinline)) void bench_remove(pt_tree *t, dest **order, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pt_remove(t, &order[i]->node);
}

int main(int argc, char **argv)
{
	size_t n = argc > 1 ? strtoul(argv[1], NULL, 0) : DEFAULT_PREFIXES;
	size_t lookups = argc > 2 ? strtoul(argv[2], NULL, 0) : DEFAULT_LOOKUPS;
	uint64_t seed = argc > 3 ? strtoull(argv[3], NULL, 0) : RG_DEFAULT_SEED;

	dest *d = calloc(n, sizeof(*d));
	dest **order = malloc(n * sizeof(*order));
	uint8_t *addr = malloc(4 * lookups);
	pt_tree t;
	pt_stats st;
	double t0;

	if (!d || !order || !addr || !seed) {
		fprintf(stderr, "bench_prefix_tree: out of memory or zero seed\n");
		return 1;
	}
	rg_seed(&rng, seed);
	for (size_t i = 0; i < n; i++) {
		unsigned len = rg_ipv4_len(&rng);
		rg_put_be32(d[i].node.key, rg_ipv4_unicast(&rng));
		pt_canonicalize(d[i].node.key, len, PT_WIDTH_IPV4);
		d[i].node.len = (uint8_t)len;
		d[i].views = (uint32_t)rg_below(&rng, 4); /* a quarter are in no view */
		d[i].id = (uint32_t)i;
		order[i] = &d[i];
	}
	for (size_t i = 0; i < lookups; i++)
		rg_put_be32(addr + 4 * i, rg_ipv4_unicast(&rng));

	pt_init(&t, PT_WIDTH_IPV4);
	size_t heap0 = heap_in_use();
	t0 = now_ns();
	size_t added = bench_insert(&t, order, n);
	report("insert", now_ns() - t0, n);
	size_t glue_heap = heap_in_use() - heap0;

	/* keep only the inserted ones (drop random duplicates) for find and remove */
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (pt_find(&t, order[i]->node.key, order[i]->node.len) == &order[i]->node)
			order[k++] = order[i];
	shuffle(order, k);

	t0 = now_ns();
	size_t hits = bench_lpm(&t, addr, lookups);
	report("lpm", now_ns() - t0, lookups);
	t0 = now_ns();
	size_t fhits = bench_lpm_filter(&t, addr, lookups);
	report("lpm+filter", now_ns() - t0, lookups);
	t0 = now_ns();
	size_t found = bench_find(&t, order, k);
	report("find", now_ns() - t0, k);
	t0 = now_ns();
	size_t seen = bench_walk(&t);
	report("walk", now_ns() - t0, seen);

	pt_get_stats(&t, &st);
	shuffle(order, k);
	t0 = now_ns();
	bench_remove(&t, order, k);
	report("remove", now_ns() - t0, k);

	printf("prefixes %zu (of %zu generated), lpm hits %.1f%% (filtered %.1f%%), found %zu, "
	       "walked %zu\n",
	       added, n, 100.0 * (double)hits / (double)lookups,
	       100.0 * (double)fhits / (double)lookups, found, seen);
	printf("shape: glue %zu (%.2f per prefix), reserve %zu, depth mean %.1f max %zu\n", st.glue,
	       (double)st.glue / (double)added, st.reserved, st.mean_depth, st.max_depth);
	printf("memory per prefix: node %zu B embedded + glue %.1f B + jump index %.1f B (2^%u slots)"
	       " = %.1f B; the heap counts %.1f B for glue and jump index, so %.1f B in all\n",
	       sizeof(pt_node), (double)st.glue_bytes / (double)added,
	       (double)st.jump_bytes / (double)added, st.jump_bits,
	       (double)(sizeof(pt_node) * added + st.glue_bytes + st.jump_bytes) / (double)added,
	       (double)glue_heap / (double)added,
	       (double)sizeof(pt_node) + (double)glue_heap / (double)added);
	pt_destroy(&t, NULL, NULL);
	free(addr);
	free(order);
	free(d);
	return 0;
}

/*
 * unit_prefix_tree.c - the prefix tree against a brute-force model.
 *
 * The model is an array of prefixes with linear scans (small rounds) or a
 * sorted array with binary search (the 100k rounds); its bit handling is a
 * naive per-bit loop, written apart from the tree's word tricks.  Every query
 * of prefix_tree.h is compared with the model on seeded random sets, IPv4 and
 * IPv6, with nested prefixes, duplicates and interleaved inserts and removes;
 * query keys carry host bits, lengths run from 0 to the width, and pt_check
 * verifies the tree's invariants after every change in the small rounds.
 *
 * Environment: PT_TEST_SEED=n changes the seed; PT_TEST_BIG=n sets the size
 * of the big rounds (default 100000, 0 skips them).  RTM_TEST_SLOWDOWN, which
 * the build sets under valgrind and the sanitizers, divides the default size
 * and the number of steps and queries of the small rounds.
 */
#include "prefix_tree.h"
#include "test.h"

#include <pthread.h>
#include <string.h>

#define KEY_BYTES PT_MAX_KEY_BYTES
#define BIG_DEFAULT 100000
#define CLUSTERS 8
#define BIG_QUERY_SHARE 20 /* a big round asks size / this many queries per phase */

static unsigned slowdown = 1; /* RTM_TEST_SLOWDOWN */

/* scaled - n steps or queries, fewer where the test runs slower */
static unsigned scaled(unsigned n)
{
	return n / slowdown ? n / slowdown : 1;
}

/* ---- random numbers: xorshift64* ---- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

static unsigned rnd_below(unsigned n)
{
	return (unsigned)(rnd() % n);
}

/* ---- the model's own bit handling, one bit at a time ---- */

static unsigned m_bit(const uint8_t *k, unsigned i)
{
	return (k[i / 8] >> (7 - i % 8)) & 1;
}

static void m_canon(uint8_t out[KEY_BYTES], const uint8_t *k, unsigned len, unsigned width)
{
	memset(out, 0, KEY_BYTES);
	for (unsigned i = 0; i < len && i < width; i++)
		if (m_bit(k, i))
			out[i / 8] |= (uint8_t)(0x80 >> (i % 8));
}

static int m_contains(const uint8_t *outer, unsigned olen, const uint8_t *k, unsigned len)
{
	if (len < olen)
		return 0;
	for (unsigned i = 0; i < olen; i++)
		if (m_bit(outer, i) != m_bit(k, i))
			return 0;
	return 1;
}

/*
 * m_cmp - the order of prefix_tree.h from its definition: the first of the
 * common bits that differs decides; with none, (A', L) makes the shorter
 * prefix first, as its A' has zeros where the longer one has its own bits.
 */
static int m_cmp(const uint8_t *a, unsigned alen, const uint8_t *b, unsigned blen)
{
	unsigned common = alen < blen ? alen : blen, i = 0;
	while (i + 8 <= common && a[i / 8] == b[i / 8]) /* equal whole bytes: skip */
		i += 8;
	for (; i < common; i++)
		if (m_bit(a, i) != m_bit(b, i))
			return m_bit(a, i) ? 1 : -1;
	return alen < blen ? -1 : alen > blen;
}

static const char *key_str(const uint8_t *k, unsigned len, unsigned width)
{
	static char buf[2 * KEY_BYTES + 8];
	char *p = buf;
	for (unsigned i = 0; i < width / 8; i++)
		p += sprintf(p, "%02x", k[i]);
	sprintf(p, "/%u", len);
	return buf;
}

/* ---- test prefixes: a destination with the node embedded ---- */

typedef struct entry {
	pt_node node;           /* what the tree links */
	uint8_t key[KEY_BYTES]; /* the model's copy, canonical */
	unsigned len;
	unsigned tag;           /* the filter looks at this */
	int present;
} entry;

#define ENTRY(n) ((entry *)((char *)(n) - offsetof(entry, node)))

static entry *entry_of(const pt_node *n)
{
	return n ? ENTRY(n) : NULL;
}

static int filter_tag(const pt_node *n, void *ctx)
{
	return ENTRY(n)->tag % *(unsigned *)ctx != 0;
}

/* A set of random prefixes around a few cluster bases, so they nest and share bits. */
typedef struct gen {
	unsigned width;
	uint8_t base[CLUSTERS][KEY_BYTES];
} gen;

static void gen_init(gen *g, unsigned width)
{
	g->width = width;
	for (unsigned c = 0; c < CLUSTERS; c++)
		for (unsigned i = 0; i < KEY_BYTES; i++)
			g->base[c][i] = (uint8_t)rnd();
}

static unsigned gen_len(const gen *g)
{
	switch (rnd_below(8)) {
	case 0:
		return rnd_below(g->width + 1); /* anything, 0 and width included */
	case 1:
		return g->width - rnd_below(3);
	default:
		return g->width / 4 + rnd_below(g->width - g->width / 4 + 1);
	}
}

/* gen_key - a key with random bits after a cluster base's first few bits (host bits set) */
static void gen_key(const gen *g, uint8_t key[KEY_BYTES], unsigned *len)
{
	const uint8_t *base = g->base[rnd_below(CLUSTERS)];
	unsigned keep = rnd_below(g->width + 1);
	for (unsigned i = 0; i < KEY_BYTES; i++)
		key[i] = (uint8_t)rnd();
	for (unsigned i = 0; i < keep; i++) {
		uint8_t bit = (uint8_t)(0x80 >> (i % 8));
		key[i / 8] = (uint8_t)((key[i / 8] & ~bit) | (base[i / 8] & bit));
	}
	*len = gen_len(g);
}

static void entry_make(const gen *g, entry *e, unsigned tag)
{
	uint8_t raw[KEY_BYTES];
	memset(e, 0, sizeof(*e));
	gen_key(g, raw, &e->len);
	m_canon(e->key, raw, e->len, g->width);
	memcpy(e->node.key, e->key, KEY_BYTES);
	e->node.len = (uint8_t)e->len;
	e->tag = tag;
}

/* a query: sometimes near an entry (same bits, other host bits, other length), sometimes random */
static void make_query(const gen *g, const entry *set, size_t n, uint8_t key[KEY_BYTES],
		       unsigned *len)
{
	gen_key(g, key, len);
	if (n && rnd_below(2)) {
		const entry *e = &set[rnd_below((unsigned)n)];
		unsigned keep = rnd_below(2) ? e->len : rnd_below(e->len + 1);
		for (unsigned i = 0; i < keep; i++) {
			uint8_t bit = (uint8_t)(0x80 >> (i % 8));
			key[i / 8] = (uint8_t)((key[i / 8] & ~bit) | (e->key[i / 8] & bit));
		}
		if (rnd_below(2))
			*len = e->len;
	}
}

/* ---- the linear model ---- */

typedef struct model {
	entry *e;
	size_t n;
} model;

static entry *m_find(const model *m, const uint8_t *key, unsigned len)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->e[i].present && m->e[i].len == len &&
		    !m_cmp(m->e[i].key, len, key, len))
			return &m->e[i];
	return NULL;
}

/* m_longest - the longest present entry of length <= maxlen containing key, accepted by f */
static entry *m_longest(const model *m, const uint8_t *key, unsigned maxlen, pt_filter f,
			void *ctx)
{
	entry *best = NULL;
	for (size_t i = 0; i < m->n; i++) {
		entry *e = &m->e[i];
		if (e->present && e->len <= maxlen && m_contains(e->key, e->len, key, maxlen) &&
		    (!f || f(&e->node, ctx)) && (!best || e->len > best->len))
			best = e;
	}
	return best;
}

static entry *m_seek(const model *m, const uint8_t *key, unsigned len, int inclusive)
{
	entry *best = NULL;
	for (size_t i = 0; i < m->n; i++) {
		entry *e = &m->e[i];
		if (!e->present)
			continue;
		int c = m_cmp(e->key, e->len, key, len);
		if ((c > 0 || (inclusive && c == 0)) &&
		    (!best || m_cmp(e->key, e->len, best->key, best->len) < 0))
			best = e;
	}
	return best;
}

static int cmp_entry_ptr(const void *a, const void *b)
{
	const entry *x = *(entry *const *)a, *y = *(entry *const *)b;
	return m_cmp(x->key, x->len, y->key, y->len);
}

/* present_sorted - the present entries in key order (caller frees) */
static entry **present_sorted(const model *m, size_t *count)
{
	entry **v = malloc((m->n + 1) * sizeof(*v));
	size_t k = 0;
	for (size_t i = 0; i < m->n; i++)
		if (m->e[i].present)
			v[k++] = &m->e[i];
	qsort(v, k, sizeof(*v), cmp_entry_ptr);
	*count = k;
	return v;
}

static void check_walk(const pt_tree *t, entry **sorted, size_t count)
{
	const pt_node *n = pt_first(t);
	size_t i = 0;
	while (n && i < count && entry_of(n) == sorted[i]) {
		n = pt_next(t, n);
		i++;
	}
	ok(!n && i == count, "walk: step %zu of %zu is %s\n", i, count,
	   n ? key_str(n->key, n->len, t->width) : "missing");
}

/* ---- query checks (one query, both models) ---- */

typedef entry *(*longest_fn)(const void *m, const uint8_t *key, unsigned maxlen, pt_filter f,
			     void *ctx);
typedef entry *(*find_fn)(const void *m, const uint8_t *key, unsigned len);
typedef entry *(*seek_fn)(const void *m, const uint8_t *key, unsigned len, int inclusive);

typedef struct oracle {
	const void *m;
	find_fn find;
	longest_fn longest;
	seek_fn seek;
} oracle;

static void check_query(const pt_tree *t, const oracle *o, const uint8_t *key, unsigned len)
{
	unsigned mod = 3;

	ok(entry_of(pt_find(t, key, len)) == o->find(o->m, key, len), "find\n");
	ok(entry_of(pt_longest_match(t, key, len, NULL, NULL)) ==
		   o->longest(o->m, key, len, NULL, NULL),
	   "longest\n");
	ok(entry_of(pt_longest_match(t, key, len, filter_tag, &mod)) ==
		   o->longest(o->m, key, len, filter_tag, &mod),
	   "longest filtered\n");
	entry *want = len ? o->longest(o->m, key, len - 1, NULL, NULL) : NULL;
	ok(entry_of(pt_less_specific(t, key, len, NULL, NULL)) == want, "less specific\n");
	want = len ? o->longest(o->m, key, len - 1, filter_tag, &mod) : NULL;
	ok(entry_of(pt_less_specific(t, key, len, filter_tag, &mod)) == want,
	   "less specific filtered\n");
	ok(entry_of(pt_seek(t, key, len, 1)) == o->seek(o->m, key, len, 1), "seek >=\n");
	ok(entry_of(pt_seek(t, key, len, 0)) == o->seek(o->m, key, len, 0), "seek >\n");
}

static entry *lin_find(const void *m, const uint8_t *key, unsigned len)
{
	return m_find(m, key, len);
}

static entry *lin_longest(const void *m, const uint8_t *key, unsigned maxlen, pt_filter f,
			  void *ctx)
{
	return m_longest(m, key, maxlen, f, ctx);
}

static entry *lin_seek(const void *m, const uint8_t *key, unsigned len, int inclusive)
{
	return m_seek(m, key, len, inclusive);
}

/* ---- the sorted model, for the big rounds ---- */

typedef struct sorted_model {
	entry **v;
	size_t n;
	uint8_t has_len[PT_WIDTH_IPV6 + 1]; /* which lengths occur: the only ones to probe */
} sorted_model;

static void s_build(sorted_model *s, const model *m)
{
	free(s->v);
	s->v = present_sorted(m, &s->n);
	memset(s->has_len, 0, sizeof(s->has_len));
	for (size_t i = 0; i < s->n; i++)
		s->has_len[s->v[i]->len] = 1;
}

/* lower bound: first index whose entry is >= (key, len), or > when !inclusive */
static size_t s_bound(const sorted_model *s, const uint8_t *key, unsigned len, int inclusive)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = m_cmp(s->v[mid]->key, s->v[mid]->len, key, len);
		if (c < 0 || (!inclusive && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static entry *s_find(const void *m, const uint8_t *key, unsigned len)
{
	const sorted_model *s = m;
	size_t i = s_bound(s, key, len, 1);
	if (i < s->n && !m_cmp(s->v[i]->key, s->v[i]->len, key, len))
		return s->v[i];
	return NULL;
}

static entry *s_longest(const void *m, const uint8_t *key, unsigned maxlen, pt_filter f,
			void *ctx)
{
	const sorted_model *s = m;
	for (unsigned l = maxlen + 1; l-- > 0;) {
		entry *e = s->has_len[l] ? s_find(m, key, l) : NULL;
		if (e && (!f || f(&e->node, ctx)))
			return e;
	}
	return NULL;
}

static entry *s_seek(const void *m, const uint8_t *key, unsigned len, int inclusive)
{
	const sorted_model *s = m;
	size_t i = s_bound(s, key, len, inclusive);
	return i < s->n ? s->v[i] : NULL;
}

/* ---- allocator with accounting and failure injection ---- */

static long alloc_live;
static long alloc_fail_in = -1; /* fail the allocation after this many more; -1 never */

static void *test_alloc(size_t size)
{
	if (alloc_fail_in == 0)
		return NULL;
	if (alloc_fail_in > 0)
		alloc_fail_in--;
	alloc_live++;
	return malloc(size);
}

static void test_release(void *p)
{
	if (p)
		alloc_live--;
	free(p);
}

/* ---- the tests ---- */

static void test_canonicalize(void)
{
	static const unsigned widths[] = {PT_WIDTH_IPV4, PT_WIDTH_IPV6};
	for (unsigned r = 0; r < 2000; r++) {
		unsigned width = widths[r % 2];
		unsigned len = rnd_below(width + 1);
		uint8_t k[KEY_BYTES], want[KEY_BYTES];
		for (unsigned i = 0; i < KEY_BYTES; i++)
			k[i] = (uint8_t)rnd();
		m_canon(want, k, len, width);
		pt_canonicalize(k, len, width);
		if (!ok(!memcmp(k, want, KEY_BYTES), "canonicalize /%u width %u\n", len, width))
			break;
	}
}

static void test_cmp_contains(void)
{
	static const unsigned widths[] = {PT_WIDTH_IPV4, PT_WIDTH_IPV6};
	unsigned bad_cmp = 0, bad_contains = 0;
	for (unsigned r = 0; r < 20000; r++) {
		gen g;
		unsigned width = widths[r % 2], alen, blen;
		uint8_t a[KEY_BYTES], b[KEY_BYTES];
		gen_init(&g, width);
		gen_key(&g, a, &alen);
		gen_key(&g, b, &blen);
		if (rnd_below(4) == 0)
			memcpy(b, a, KEY_BYTES); /* same bits, so only the lengths decide */
		bad_cmp += pt_key_cmp(a, alen, b, blen, width) != m_cmp(a, alen, b, blen);
		bad_contains += pt_contains(a, alen, b, blen) != m_contains(a, alen, b, blen);
	}
	expect_eq(bad_cmp, 0);
	expect_eq(bad_contains, 0);
}

/* The order of prefix_tree.h, with the example from the design. */
static void test_example_order(void)
{
	static const struct {
		uint8_t a[4];
		unsigned len;
	} asc[] = {
		{{0, 0, 0, 0}, 0},       {{10, 0, 0, 0}, 8},     {{10, 0, 0, 0}, 16},
		{{10, 0, 0, 0}, 24},     {{10, 0, 1, 0}, 24},    {{10, 1, 0, 0}, 16},
		{{10, 128, 0, 0}, 9},    {{11, 0, 0, 0}, 8},     {{192, 168, 0, 0}, 16},
		{{192, 168, 0, 0}, 24},
	};
	enum { N = sizeof(asc) / sizeof(asc[0]) };
	entry e[N];
	pt_tree t;
	unsigned order[N];

	pt_init(&t, PT_WIDTH_IPV4);
	for (unsigned i = 0; i < N; i++)
		order[i] = i;
	for (unsigned i = N; i-- > 1;) { /* insert in a shuffled order */
		unsigned j = rnd_below(i + 1), x = order[i];
		order[i] = order[j];
		order[j] = x;
	}
	for (unsigned i = 0; i < N; i++) {
		entry *x = &e[order[i]];
		memset(x, 0, sizeof(*x));
		memcpy(x->node.key, asc[order[i]].a, 4);
		x->node.len = (uint8_t)asc[order[i]].len;
		expect_eq(pt_insert(&t, &x->node, NULL), 0);
	}
	ok(!pt_check(&t), "check: %s\n", pt_check(&t));
	const pt_node *n = pt_first(&t);
	for (unsigned i = 0; i < N; i++, n = n ? pt_next(&t, n) : NULL)
		ok(n == &e[i].node, "example order: position %u\n", i);
	ok(!n, "example order: nothing after the last\n");
	for (unsigned i = 0; i + 1 < N; i++)
		ok(pt_key_cmp(asc[i].a, asc[i].len, asc[i + 1].a, asc[i + 1].len, 32) < 0,
		   "pt_key_cmp example %u\n", i);

	static const uint8_t host[4] = {10, 0, 1, 77}, other[4] = {10, 0, 2, 1},
			     far[4] = {200, 1, 1, 1};
	ok(pt_longest_match(&t, host, 32, NULL, NULL) == &e[4].node, "10.0.1.77 -> 10.0.1/24\n");
	ok(pt_longest_match(&t, other, 32, NULL, NULL) == &e[2].node, "10.0.2.1 -> 10.0/16\n");
	ok(pt_longest_match(&t, far, 32, NULL, NULL) == &e[0].node, "200.1.1.1 -> 0/0\n");
	ok(pt_longest_match(&t, host, 0, NULL, NULL) == &e[0].node, "len 0 -> 0/0\n");
	ok(pt_less_specific(&t, host, 24, NULL, NULL) == &e[2].node, "above 10.0.1/24\n");
	ok(pt_less_specific(&t, host, 0, NULL, NULL) == NULL, "above 0/0\n");
	ok(pt_seek(&t, other, 16, 0) == &e[3].node, "seek > 10.0/16 -> 10.0.0/24\n");
	ok(pt_seek(&t, far, 8, 1) == NULL, "seek >= 200/8: nothing\n");
	pt_destroy(&t, NULL, NULL);
	ok(!t.root && !t.count && !t.glue && !t.reserved, "destroy empties the tree\n");
}

static void test_empty(unsigned width)
{
	pt_tree t;
	uint8_t k[KEY_BYTES];
	memset(k, 0xA5, sizeof(k));
	pt_init(&t, width);
	ok(!pt_first(&t), "empty first\n");
	for (unsigned len = 0; len <= width; len += width / 4) {
		ok(!pt_find(&t, k, len), "empty find /%u\n", len);
		ok(!pt_longest_match(&t, k, len, NULL, NULL), "empty longest /%u\n", len);
		ok(!pt_less_specific(&t, k, len, NULL, NULL), "empty less specific /%u\n", len);
		ok(!pt_seek(&t, k, len, 1) && !pt_seek(&t, k, len, 0), "empty seek /%u\n", len);
	}
	ok(!pt_check(&t), "empty check\n");
	pt_destroy(&t, NULL, NULL);
}

static void query_battery(const pt_tree *t, const oracle *o, const gen *g, const entry *set,
			  size_t n, unsigned queries)
{
	for (unsigned q = 0; q < queries; q++) {
		uint8_t key[KEY_BYTES];
		unsigned len;
		make_query(g, set, n, key, &len);
		unsigned fails = test_failures;
		check_query(t, o, key, len);
		if (test_failures != fails) { /* one query's messages are enough */
			fprintf(stderr, "    for query %s\n", key_str(key, len, t->width));
			break;
		}
	}
}

static void full_walk(const pt_tree *t, const model *m)
{
	size_t count;
	entry **sorted = present_sorted(m, &count);
	check_walk(t, sorted, count);
	free(sorted);
}

/*
 * interleaved inserts and removes over a pool with duplicates, checked after
 * every step; jump_max 0 runs without a jump index, else with one from 4
 * prefixes on, so that it grows, shrinks and is refilled all along
 */
static void test_random_small(unsigned width, unsigned pool, unsigned steps, unsigned jump_max)
{
	gen g;
	model m = {calloc(pool, sizeof(entry)), pool};
	oracle o = {&m, lin_find, lin_longest, lin_seek};
	pt_tree t;
	size_t present = 0;

	gen_init(&g, width);
	for (unsigned i = 0; i < pool; i++)
		entry_make(&g, &m.e[i], i);
	for (unsigned i = pool / 2; i < pool; i += 7) { /* some exact duplicates in the pool */
		const entry *twin = &m.e[i - pool / 2];
		memcpy(m.e[i].key, twin->key, KEY_BYTES);
		memcpy(m.e[i].node.key, twin->key, KEY_BYTES);
		m.e[i].len = twin->len;
		m.e[i].node.len = (uint8_t)twin->len;
	}
	pt_init(&t, width);
	pt_set_allocator(&t, test_alloc, test_release);
	pt_set_jump_bits(&t, jump_max ? 2 : 0, jump_max);
	steps = scaled(steps);
	for (unsigned s = 0; s < steps; s++) {
		entry *e = &m.e[rnd_below(pool)];
		if (e->present) {
			pt_remove(&t, &e->node);
			e->present = 0;
			present--;
			ok(!e->node.parent && !e->node.child[0] && !e->node.child[1],
			   "removed node detached\n");
		} else {
			entry *dup = m_find(&m, e->key, e->len);
			pt_node *existing = &e->node;
			int r = pt_insert(&t, &e->node, &existing);
			if (dup) {
				ok(r == 1 && existing == &dup->node, "insert duplicate: %d\n", r);
			} else {
				ok(r == 0 && !existing, "insert: %d\n", r);
				e->present = 1;
				present++;
			}
		}
		const char *why = pt_check(&t);
		if (!ok(!why && t.count == present, "step %u: %s, count %zu of %zu\n", s,
			why ? why : "sound", t.count, present))
			break;
		if (s % 64 == 0) {
			query_battery(&t, &o, &g, m.e, pool, scaled(64));
			full_walk(&t, &m);
		}
	}
	query_battery(&t, &o, &g, m.e, pool, scaled(2000));
	full_walk(&t, &m);
	pt_destroy(&t, NULL, NULL);
	expect_eq(alloc_live, 0);
	free(m.e);
}

/* out of memory: insert reports -1 and leaves the tree as it was; remove never needs memory */
static void test_oom(unsigned width)
{
	enum { POOL = 400 };
	gen g;
	model m = {calloc(POOL, sizeof(entry)), POOL};
	pt_tree t;
	unsigned failed = 0;

	gen_init(&g, width);
	pt_init(&t, width);
	pt_set_allocator(&t, test_alloc, test_release);
	pt_set_jump_bits(&t, 3, 7); /* a jump index that cannot grow is no failure */
	for (unsigned i = 0; i < POOL; i++) {
		entry *e = &m.e[i];
		entry_make(&g, e, i);
		size_t before_count = t.count, before_glue = t.glue, before_reserve = t.reserved;
		alloc_fail_in = 0;
		int r = pt_insert(&t, &e->node, NULL);
		alloc_fail_in = -1;
		if (r == -1) {
			failed++;
			ok(t.count == before_count && t.glue == before_glue &&
				   t.reserved == before_reserve && !pt_check(&t),
			   "failed insert changed the tree\n");
			full_walk(&t, &m);
			r = pt_insert(&t, &e->node, NULL);
		}
		e->present = r == 0;
	}
	ok(failed > POOL / 4, "only %u inserts needed memory\n", failed);
	alloc_fail_in = 0; /* removing must not allocate */
	for (unsigned i = 0; i < POOL; i += 2)
		if (m.e[i].present) {
			pt_remove(&t, &m.e[i].node);
			m.e[i].present = 0;
		}
	alloc_fail_in = -1;
	ok(!pt_check(&t), "check after removes: %s\n", pt_check(&t));
	full_walk(&t, &m);
	pt_destroy(&t, NULL, NULL);
	expect_eq(alloc_live, 0);
	free(m.e);
}

static void count_freed(pt_node *n, void *ctx)
{
	(void)n;
	++*(size_t *)ctx;
}

/* big_set - insert or remove e so that its presence becomes want */
static void big_set(pt_tree *t, entry *e, int want, size_t *present)
{
	if (want == e->present)
		return;
	if (want) {
		if (pt_insert(t, &e->node, NULL) != 0)
			return; /* a duplicate of an earlier entry */
		(*present)++;
	} else {
		pt_remove(t, &e->node);
		(*present)--;
	}
	e->present = want;
}

/* the big rounds: insert all, remove half, put them back, remove all; query after each */
static void test_big(unsigned width, unsigned size)
{
	enum { INSERT_ALL, REMOVE_HALF, PUT_BACK, REMOVE_ALL, PHASES };
	gen g;
	model m = {calloc(size, sizeof(entry)), size};
	sorted_model s = {0};
	oracle o = {&s, s_find, s_longest, s_seek};
	pt_tree t;
	size_t present = 0, freed = 0;

	gen_init(&g, width);
	for (unsigned i = 0; i < size; i++)
		entry_make(&g, &m.e[i], i);
	pt_init(&t, width);
	pt_set_allocator(&t, test_alloc, test_release);
	for (unsigned phase = 0; phase < PHASES; phase++) {
		for (unsigned i = 0; i < size; i++) {
			entry *e = &m.e[i];
			if (phase == REMOVE_HALF)
				big_set(&t, e, e->present && rnd_below(2), &present);
			else
				big_set(&t, e, phase != REMOVE_ALL, &present);
		}
		const char *why = pt_check(&t);
		ok(!why && t.count == present, "big %u phase %u: %s, count %zu of %zu\n", width,
		   phase, why ? why : "sound", t.count, present);
		s_build(&s, &m);
		check_walk(&t, s.v, s.n);
		query_battery(&t, &o, &g, m.e, size, size / BIG_QUERY_SHARE);
	}
	expect_eq(t.count, 0);
	expect_eq(t.glue + t.reserved, 0);
	for (unsigned i = 0; i < size; i += 3) /* destroy hands back what is left */
		big_set(&t, &m.e[i], 1, &present);
	pt_destroy(&t, count_freed, &freed);
	expect_eq(freed, present);
	expect_eq(alloc_live, 0);
	free(s.v);
	free(m.e);
}

/* ---- readers in parallel: the lookups write nothing (TSan would see two writers) ---- */

enum { READERS = 2, READER_QUERIES = 4000 };

typedef struct reader_job {
	const pt_tree *t;
	uint8_t (*keys)[KEY_BYTES];
	unsigned *lens;
	const pt_node *(*want)[4]; /* longest filtered, find, seek >, successor */
	unsigned wrong;
} reader_job;

static void reader_answers(const pt_tree *t, const uint8_t *key, unsigned len,
			   const pt_node *out[4])
{
	unsigned mod = 3;
	out[0] = pt_longest_match(t, key, len, filter_tag, &mod);
	out[1] = pt_find(t, key, len);
	out[2] = pt_seek(t, key, len, 0);
	out[3] = out[2] ? pt_next(t, out[2]) : pt_first(t);
}

static void *reader_run(void *arg)
{
	reader_job *job = arg;
	for (unsigned q = 0; q < READER_QUERIES; q++) {
		const pt_node *got[4];
		reader_answers(job->t, job->keys[q], job->lens[q], got);
		job->wrong += memcmp(got, job->want[q], sizeof(got)) != 0;
	}
	return NULL;
}

static void test_parallel_readers(unsigned width)
{
	enum { POOL = 20000 };
	gen g;
	entry *e = calloc(POOL, sizeof(*e));
	uint8_t(*keys)[KEY_BYTES] = calloc(READER_QUERIES, sizeof(*keys));
	unsigned *lens = calloc(READER_QUERIES, sizeof(*lens));
	const pt_node *(*want)[4] = calloc(READER_QUERIES, sizeof(*want));
	pthread_t th[READERS];
	reader_job job[READERS];
	pt_tree t;

	gen_init(&g, width);
	pt_init(&t, width); /* 20000 prefixes: the jump index is there */
	for (unsigned i = 0; i < POOL; i++) {
		entry_make(&g, &e[i], i);
		pt_insert(&t, &e[i].node, NULL);
	}
	for (unsigned q = 0; q < READER_QUERIES; q++) {
		make_query(&g, e, POOL, keys[q], &lens[q]);
		reader_answers(&t, keys[q], lens[q], want[q]);
	}
	for (unsigned r = 0; r < READERS; r++) {
		job[r] = (reader_job){&t, keys, lens, want, 0};
		ok(!pthread_create(&th[r], NULL, reader_run, &job[r]), "pthread_create\n");
	}
	for (unsigned r = 0; r < READERS; r++) {
		pthread_join(th[r], NULL);
		expect_eq(job[r].wrong, 0);
	}
	pt_destroy(&t, NULL, NULL);
	free(want);
	free(lens);
	free(keys);
	free(e);
}

int main(void)
{
	const char *seed = getenv("PT_TEST_SEED");
	const char *big = getenv("PT_TEST_BIG");
	const char *slow = getenv("RTM_TEST_SLOWDOWN");
	if (slow && strtoul(slow, NULL, 0) > 1)
		slowdown = (unsigned)strtoul(slow, NULL, 0);
	unsigned big_size = big ? (unsigned)strtoul(big, NULL, 0) : scaled(BIG_DEFAULT);

	rng_state = seed ? strtoull(seed, NULL, 0) : UINT64_C(0x9E3779B97F4A7C15);
	if (!rng_state)
		rng_state = 1;
	const uint64_t first_seed = rng_state;
	test_canonicalize();
	test_cmp_contains();
	test_example_order();
	for (unsigned w = PT_WIDTH_IPV4; w <= PT_WIDTH_IPV6; w += PT_WIDTH_IPV6 - PT_WIDTH_IPV4) {
		test_empty(w);
		test_random_small(w, 64, 2000, 0); /* dense: many nested prefixes, many duplicates */
		test_random_small(w, 64, 2000, 5);
		test_random_small(w, 600, 6000, 0);
		test_random_small(w, 600, 6000, 8);
		test_oom(w);
		test_parallel_readers(w);
		if (big_size)
			test_big(w, big_size);
	}
	if (test_failures)
		fprintf(stderr, "seed was %llu (PT_TEST_SEED)\n", (unsigned long long)first_seed);
	return test_finish();
}

/*
 * prefix_tree.c - the prefix index of a routing table: a path-compressed
 * binary trie with parent pointers.
 *
 * Why this structure.  A routing table asks four things of its index: the
 * exact prefix, the longest prefix containing an address, the next shorter
 * prefix containing a prefix, and an ordered walk from any point.  A binary
 * trie answers all four by following the address bits from the top, and its
 * pre-order is the order RTMv2 enumerates in.  A plain binary trie wastes a
 * node per bit, so, as in Morrison's PATRICIA (1968) and the BSD radix tree,
 * we compress every run of one-way branching into a single edge: a node exists
 * only where the caller put a prefix or where two prefixes part.  Then the
 * tree has fewer than two nodes per prefix and its depth is bounded by the
 * number of branchings on a path, not by the address width.  Nilsson and
 * Karlsson's LC-trie (1999) goes further and replaces dense binary levels by
 * 2^k-way arrays; we do not, because our nodes are embedded in the caller's
 * destinations (intrusive: no allocation per prefix, no pointer from node to
 * destination) and must stay cheap to insert and remove one at a time.
 *
 * Nodes.  Every node carries its full prefix (key, len), not just a bit index,
 * so a lookup compares the skipped bits as it goes and stops at the first node
 * that no longer contains the address, rather than running to a leaf and
 * backtracking.  A child extends its parent's prefix by at least one bit and
 * hangs on the side given by its bit number parent->len:
 *
 *                     10.0.0.0/8              a caller node
 *              bit 8: 0 /        \ 1
 *          (10.0.0.0/23)          10.128.0.0/9   (..) a glue node
 *      bit 23: 0 /     \ 1
 *      10.0.0.0/24    10.0.1.0/24
 *
 * Glue nodes.  Where two prefixes part at a bit that no caller prefix ends on,
 * a glue node (is_glue, allocated here) marks the fork.  A glue node always
 * has exactly two children: when one goes, the glue is spliced out and freed.
 * So every leaf is a caller node and there are fewer glue nodes than caller
 * nodes.  A caller node with two children is itself a fork; when the caller
 * removes it, a glue node must take its place, and because pt_remove cannot
 * fail, that glue node is allocated earlier, by the insert that gave the
 * caller node its second child, and kept in the tree's reserve until needed.
 * Insert allocates at most one node and reports failure with the tree
 * unchanged; remove never allocates.
 *
 * Order.  The pre-order (node, then its 0-side, then its 1-side) is exactly
 * the key order of prefix_tree.h, so pt_next is a pre-order step along the
 * parent pointers (O(1) amortised over a walk) and pt_seek is one descent.
 *
 * Jump index.  At a million prefixes a path from the root has some twenty
 * nodes, and past the first dozen levels each one is a cache miss.  So, like
 * the root array of an LC-trie or the first stride of DIR-24-8 (Gupta, Lin
 * and McKeown 1998), the tree keeps a direct-indexed array on the first S
 * bits, S = log2(prefixes) clamped to 12..20 (about one pointer per prefix),
 * and a descent for a key of at least S bits begins at the key's slot:
 *
 *    key       | first S bits: slot s |  the rest ...  |
 *    jump[s]   = the deepest node of at most S bits whose prefix contains s
 *                (NULL if none): every key starting with s passes through it
 *
 * Only short nodes (at most S bits) are named in slots, so an insert or a
 * remove changes just the slots of the short node it adds or takes out: those
 * of its prefix that named the node above it (or the node itself) now name
 * the other one, a pointer compare per slot and no other node read.  The
 * array is rebuilt in one pass when the tree doubles or halves; if that
 * allocation fails the old array stays, as it only saves time.  (Naming in
 * each slot also the next node down, to load both at once, measured slower at
 * 1M prefixes, for inserts and lookups alike, and doubled the array.)
 *
 * Key layout.  Keys are stored as bytes in network order.  Lookups read them
 * as two 64-bit big-endian words, so bit i of a prefix is bit (63 - i % 64)
 * of word i / 64, a prefix match is an xor, and the first differing bit is one
 * count-leading-zeros:
 *
 *    key[]  | byte 0 | byte 1 | ... | byte 7 | byte 8 | ... | byte 15 |
 *    bit    | 0 .. 7 | 8 ..15 | ... | 56..63 | 64..71 | ... | 120..127|
 *    word   |<---------------- hi --------->|<-------- lo ------------>|
 *    IPv4   |<-- bytes 0-3 -->|  zero ...   |  zero (never read)       |
 *
 * An IPv4 tree reads only the first four bytes of a key (a caller may pass a
 * pointer to a bare 4-byte address) and keeps the address in the top half of
 * hi, so both widths share one code path.
 */
#include "prefix_tree.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define WORD_BITS 64
#define JUMP_MIN_BITS 12   /* below 4096 prefixes the top of the tree stays in cache anyway */
#define JUMP_MAX_BITS 20   /* 2^20 slots, 8 MiB with 64-bit pointers; 1M prefixes use 2^19 */
#define JUMP_LIMIT_BITS 24 /* what pt_set_jump_bits accepts */

_Static_assert(sizeof(pt_node) == (sizeof(void *) == 8 ? 48 : 32),
	       "pt_node is embedded in every destination: 48 bytes (32 on 32-bit), no more");

/* A key as two big-endian words: bits 0-63 in hi, 64-127 in lo. */
typedef struct key128 {
	uint64_t hi, lo;
} key128;

static inline unsigned min_u(unsigned a, unsigned b)
{
	return a < b ? a : b;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define be32_to_cpu(x) (x)
#define be64_to_cpu(x) (x)
#define cpu_to_be64(x) (x)
#else
#define be32_to_cpu(x) __builtin_bswap32(x)
#define be64_to_cpu(x) __builtin_bswap64(x)
#define cpu_to_be64(x) __builtin_bswap64(x)
#endif

static inline uint64_t load_be64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return be64_to_cpu(v);
}

static inline void store_be64(uint8_t *p, uint64_t v)
{
	v = cpu_to_be64(v);
	memcpy(p, &v, sizeof(v));
}

/* key_load - read the key at p as a tree of this width sees it */
static inline key128 key_load(const uint8_t *p, unsigned width)
{
	key128 k;
	if (width == PT_WIDTH_IPV4) {
		uint32_t v;
		memcpy(&v, p, sizeof(v));
		k.hi = (uint64_t)be32_to_cpu(v) << (WORD_BITS - PT_WIDTH_IPV4);
		k.lo = 0;
	} else {
		k.hi = load_be64(p);
		k.lo = load_be64(p + sizeof(uint64_t));
	}
	return k;
}

/* word_mask - the top `bits` (0..64) bits of a word set */
static inline uint64_t word_mask(unsigned bits)
{
	return bits ? ~UINT64_C(0) << (WORD_BITS - bits) : 0;
}

/* key_mask - k with the bits at and after len cleared */
static inline key128 key_mask(key128 k, unsigned len)
{
	k.hi &= word_mask(min_u(len, WORD_BITS));
	k.lo &= word_mask(len > WORD_BITS ? len - WORD_BITS : 0);
	return k;
}

/* key_store - write k as a full 16-byte node key */
static inline void key_store(uint8_t p[PT_MAX_KEY_BYTES], key128 k)
{
	store_be64(p, k.hi);
	store_be64(p + sizeof(uint64_t), k.lo);
}

/* key_bit - bit i (0..127) of k */
static inline unsigned key_bit(key128 k, unsigned i)
{
	if (i < WORD_BITS)
		return (unsigned)(k.hi >> (WORD_BITS - 1 - i)) & 1;
	return (unsigned)(k.lo >> (2 * WORD_BITS - 1 - i)) & 1;
}

/* key_diff - index of the first bit where a and b differ, 128 when equal */
static inline unsigned key_diff(key128 a, key128 b)
{
	uint64_t x = a.hi ^ b.hi;
	if (x)
		return (unsigned)__builtin_clzll(x);
	x = a.lo ^ b.lo;
	return x ? WORD_BITS + (unsigned)__builtin_clzll(x) : 2 * WORD_BITS;
}

static inline key128 node_key(const pt_tree *t, const pt_node *n)
{
	return key_load(n->key, t->width);
}

/* node_contains - does n's prefix contain every address starting with q's first len bits? */
static inline int node_contains(const pt_tree *t, const pt_node *n, key128 q, unsigned len)
{
	return n->len <= len && key_diff(q, node_key(t, n)) >= n->len;
}

/* replace_in_parent - hang repl where old hangs (old's parent link is read, not changed) */
static void replace_in_parent(pt_tree *t, const pt_node *old, pt_node *repl)
{
	pt_node *p = old->parent;
	repl->parent = p;
	if (!p)
		t->root = repl;
	else
		p->child[p->child[1] == old] = repl;
}

/* adopt_children - give n the children of from and point them back at n */
static void adopt_children(pt_node *n, const pt_node *from)
{
	for (unsigned i = 0; i < 2; i++) {
		n->child[i] = from->child[i];
		if (n->child[i])
			n->child[i]->parent = n;
	}
}

/* ---- descents ---- */

/* search_start - a node on the path to (q, len) to begin a descent at: a jump slot or the root */
static inline const pt_node *search_start(const pt_tree *t, key128 q, unsigned len)
{
	if (t->jump && len >= t->jump_bits) {
		const pt_node *n = t->jump[q.hi >> (WORD_BITS - t->jump_bits)];
		if (n)
			return n;
	}
	return t->root;
}

/* deepest_containing - from `from` down, the deepest node of any kind that contains (q, len) */
static const pt_node *deepest_containing(const pt_tree *t, const pt_node *from, key128 q,
					 unsigned len)
{
	const pt_node *best = NULL;
	for (const pt_node *n = from; n && node_contains(t, n, q, len);) {
		best = n;
		if (n->len == len) /* the children are longer: do not load one */
			break;
		n = n->child[key_bit(q, n->len)];
	}
	return best;
}

/* ---- the jump index (see pt_tree) ---- */

/* jump_range - the slots inside prefix (k, len), len <= jump_bits: first one, how many */
static size_t jump_range(const pt_tree *t, key128 k, unsigned len, size_t *first)
{
	*first = (size_t)(k.hi >> (WORD_BITS - t->jump_bits));
	return (size_t)1 << (t->jump_bits - len);
}

/*
 * jump_cover - slots [pos, end) go to owner, but for those inside the kids
 * (in slot order) that are no longer than jump_bits: they go, recursively,
 * to the kid and its own short descendants.  Writes each slot once.
 */
static void jump_cover(pt_tree *t, pt_node *owner, pt_node *const kids[2], size_t pos, size_t end)
{
	for (unsigned side = 0; side < 2; side++) {
		pt_node *c = kids[side];
		if (!c || c->len > t->jump_bits)
			continue;
		size_t first, count = jump_range(t, node_key(t, c), c->len, &first);
		while (pos < first)
			t->jump[pos++] = owner;
		jump_cover(t, c, c->child, first, first + count);
		pos = first + count;
	}
	while (pos < end)
		t->jump[pos++] = owner;
}

/*
 * jump_swap - in the slots inside prefix (k, len), replace old by repl.  A
 * change to the tree adds or takes out one node on a path; the slots that
 * pointed to the deepest short node above it (or to the node itself) are
 * exactly the ones that change, so no other node needs to be read.
 */
static void jump_swap(pt_tree *t, key128 k, unsigned len, const pt_node *old, pt_node *repl)
{
	if (!t->jump || len > t->jump_bits)
		return;
	size_t first, count = jump_range(t, k, len, &first);
	for (size_t i = first; i < first + count; i++)
		if (t->jump[i] == old)
			t->jump[i] = repl;
}

/* jump_rebuild - a jump index of 2^bits slots (0: none); on failure keep the old one */
static void jump_rebuild(pt_tree *t, unsigned bits)
{
	pt_node **jump = NULL;
	t->jump_grow_at = 0; /* the next insert or remove looks at the size again */
	if (bits) {
		jump = t->alloc(sizeof(*jump) << bits);
		if (!jump)
			return; /* it only saves time */
	}
	if (t->jump)
		t->release(t->jump);
	t->jump = jump;
	t->jump_bits = (uint8_t)bits;
	if (jump) {
		pt_node *const top[2] = {t->root, NULL}; /* as if the root hung below nothing */
		jump_cover(t, NULL, top, 0, (size_t)1 << bits);
	}
}

/*
 * jump_resize - about one slot per prefix: grow at once, shrink only at half
 * (no thrashing).  What it decides depends on floor(log2(count)) alone, so
 * it runs only when the count leaves [jump_shrink_at, jump_grow_at), the
 * powers of two around it (at every call while a wanted rebuild failed).
 */
static void jump_resize_slow(pt_tree *t)
{
	unsigned size_log2 = t->count ? 63 - (unsigned)__builtin_clzll((unsigned long long)t->count)
				      : 0;
	unsigned want = size_log2 < t->jump_min_bits ? 0 : min_u(size_log2, t->jump_max_bits);
	if (want > t->jump_bits || size_log2 + 1 < t->jump_bits)
		jump_rebuild(t, want);
	if (want > t->jump_bits || size_log2 + 1 < t->jump_bits) { /* the rebuild failed */
		t->jump_grow_at = t->count + 1;
		t->jump_shrink_at = t->count;
	} else {
		t->jump_grow_at = (size_t)2 << size_log2;
		t->jump_shrink_at = (size_t)1 << size_log2;
	}
}

static inline void jump_resize(pt_tree *t)
{
	if (t->count >= t->jump_grow_at || t->count < t->jump_shrink_at)
		jump_resize_slow(t);
}

/* ---- glue node memory, and the reserve of glue nodes (see the top of the file) ---- */

static pt_node *node_alloc(pt_tree *t)
{
	return t->node_alloc ? t->node_alloc(t->node_ctx) : t->alloc(sizeof(pt_node));
}

static void node_release(pt_tree *t, pt_node *g)
{
	if (t->node_release)
		t->node_release(t->node_ctx, g);
	else
		t->release(g);
}

static void reserve_push(pt_tree *t, pt_node *g)
{
	g->parent = t->reserve;
	t->reserve = g;
	t->reserved++;
}

static pt_node *reserve_pop(pt_tree *t)
{
	pt_node *g = t->reserve;
	assert(g);
	t->reserve = g->parent;
	t->reserved--;
	return g;
}

static int reserve_grow(pt_tree *t)
{
	pt_node *g = node_alloc(t);
	if (!g)
		return -1;
	reserve_push(t, g);
	return 0;
}

/* ---- pre-order steps ---- */

/*
 * A walk goes down the 0-side first and comes to the 1-side later: loading
 * the 1-side when it passes lets that miss overlap the work on the 0-side.
 */
static inline const pt_node *down_0_side(const pt_node *n)
{
	if (n->child[1])
		__builtin_prefetch(n->child[1]);
	return n->child[0];
}

/* first_caller - the first caller node of n's subtree (leaves are caller nodes) */
static pt_node *first_caller(const pt_node *n)
{
	while (n->is_glue)
		n = down_0_side(n);
	return (pt_node *)n;
}

/* after_subtree - the first node of any kind after n's whole subtree */
static pt_node *after_subtree(const pt_node *n)
{
	for (const pt_node *p = n->parent; p; n = p, p = p->parent)
		if (p->child[0] == n && p->child[1])
			return p->child[1];
	return NULL;
}

/* successor - the first caller node after n (of any kind) in pre-order */
static pt_node *successor(const pt_node *n)
{
	const pt_node *s = n->child[0] ? down_0_side(n) : n->child[1] ? n->child[1] : after_subtree(n);
	return s ? first_caller(s) : NULL;
}

/* first_caller_after - the first caller node after n's whole subtree */
static pt_node *first_caller_after(const pt_node *n)
{
	const pt_node *s = after_subtree(n);
	return s ? first_caller(s) : NULL;
}

/* ---- public interface ---- */

void pt_init(pt_tree *t, unsigned width_bits)
{
	assert(width_bits == PT_WIDTH_IPV4 || width_bits == PT_WIDTH_IPV6);
	memset(t, 0, sizeof(*t));
	t->width = (uint8_t)width_bits;
	t->jump_min_bits = JUMP_MIN_BITS;
	t->jump_max_bits = JUMP_MAX_BITS;
	t->alloc = malloc;
	t->release = free;
}

void pt_set_jump_bits(pt_tree *t, unsigned min_bits, unsigned max_bits)
{
	assert(!t->root && min_bits <= max_bits && max_bits <= JUMP_LIMIT_BITS);
	jump_rebuild(t, 0);
	t->jump_min_bits = (uint8_t)min_bits;
	t->jump_max_bits = (uint8_t)max_bits;
}

void pt_set_allocator(pt_tree *t, void *(*alloc)(size_t), void (*release)(void *))
{
	assert(!t->root && !t->reserve && !t->jump);
	t->alloc = alloc;
	t->release = release;
}

void pt_set_node_allocator(pt_tree *t, void *(*alloc)(void *ctx), void (*release)(void *ctx, void *p),
			   void *ctx)
{
	assert(!t->root && !t->reserve);
	t->node_alloc = alloc;
	t->node_release = release;
	t->node_ctx = ctx;
}

void pt_canonicalize(uint8_t key[PT_MAX_KEY_BYTES], unsigned len, unsigned width_bits)
{
	key_store(key, key_mask(key_load(key, PT_WIDTH_IPV6), min_u(len, width_bits)));
}

/* insert_fork - n and cur part at bit d: hang a new glue node there in cur's place */
static pt_node *insert_fork(pt_tree *t, pt_node *cur, pt_node *n, key128 nk, unsigned d)
{
	pt_node *g = node_alloc(t);
	if (!g)
		return NULL;
	key_store(g->key, key_mask(nk, d));
	g->len = (uint8_t)d;
	g->is_glue = 1;
	replace_in_parent(t, cur, g);
	unsigned side = key_bit(nk, d);
	g->child[side] = n;
	g->child[!side] = cur;
	n->parent = g;
	cur->parent = g;
	t->glue++;
	return g;
}

/* take_glue_place - caller node n lands on glue node g's key: n replaces g, g goes to the reserve */
static void take_glue_place(pt_tree *t, pt_node *g, pt_node *n)
{
	replace_in_parent(t, g, n);
	adopt_children(n, g);
	t->glue--;
	reserve_push(t, g); /* n has two children now */
}

int pt_insert(pt_tree *t, pt_node *n, pt_node **existing)
{
	const key128 nk = node_key(t, n);
	pt_node *cur = (pt_node *)search_start(t, nk, n->len);
	pt_node *top = n;                   /* the highest node this insert adds */
	const pt_node *displaced = NULL;    /* the glue node n lands on, if any */

	assert(n->len <= t->width);
	assert(key_diff(nk, key_mask(nk, n->len)) == 2 * WORD_BITS);
	if (existing)
		*existing = NULL;
	n->child[0] = n->child[1] = NULL;
	n->is_glue = 0;
	if (!cur) {
		n->parent = NULL;
		t->root = n;
	}
	while (cur) {
		unsigned d = key_diff(nk, node_key(t, cur));
		if (d < min_u(n->len, cur->len)) {
			top = insert_fork(t, cur, n, nk, d);
			if (!top)
				return -1;
			break;
		}
		if (cur->len == n->len) {
			if (!cur->is_glue) {
				if (existing)
					*existing = cur;
				return 1;
			}
			take_glue_place(t, cur, n);
			displaced = cur;
			break;
		}
		if (cur->len > n->len) { /* n contains cur: n goes above it */
			replace_in_parent(t, cur, n);
			n->child[key_bit(node_key(t, cur), n->len)] = cur;
			cur->parent = n;
			break;
		}
		unsigned side = key_bit(nk, cur->len); /* cur contains n: go down */
		if (cur->child[side]) {
			cur = cur->child[side];
			continue;
		}
		if (!cur->is_glue && cur->child[!side] && reserve_grow(t))
			return -1;
		cur->child[side] = n;
		n->parent = cur;
		break;
	}
	t->count++;
	jump_swap(t, node_key(t, top), top->len, displaced ? displaced : top->parent, top);
	if (top != n) /* a fork went in above n */
		jump_swap(t, nk, n->len, top, n);
	jump_resize(t);
	return 0;
}

void pt_remove(pt_tree *t, pt_node *n)
{
	pt_node *p = n->parent;
	pt_node *heir = p; /* what now stands where n stood: the deepest node above its prefix */

	assert(!n->is_glue && t->count);
	if (n->child[0] && n->child[1]) {
		heir = reserve_pop(t);
		memcpy(heir->key, n->key, sizeof(heir->key));
		heir->len = n->len;
		heir->is_glue = 1;
		replace_in_parent(t, n, heir);
		adopt_children(heir, n);
		t->glue++;
	} else if (n->child[0] || n->child[1]) {
		replace_in_parent(t, n, n->child[0] ? n->child[0] : n->child[1]);
	} else if (!p) {
		t->root = NULL;
	} else {
		unsigned side = p->child[1] == n;
		p->child[side] = NULL;
		if (p->is_glue) { /* a glue node with one child is no fork: splice it out */
			heir = p->parent;
			replace_in_parent(t, p, p->child[!side]);
			jump_swap(t, node_key(t, p), p->len, p, heir);
			t->glue--;
			node_release(t, p);
		} else if (p->child[!side]) { /* p had two children, now one */
			node_release(t, reserve_pop(t));
		}
	}
	jump_swap(t, node_key(t, n), n->len, n, heir);
	n->child[0] = n->child[1] = n->parent = NULL;
	t->count--;
	jump_resize(t);
}

pt_node *pt_find(const pt_tree *t, const uint8_t *key, unsigned len)
{
	const key128 q = key_mask(key_load(key, t->width), len);
	const pt_node *n = search_start(t, q, len);

	assert(len <= t->width);
	/* Follow the bits only: the last node's key decides for the whole path. */
	while (n && n->len < len)
		n = n->child[key_bit(q, n->len)];
	if (n && n->len == len && !n->is_glue && key_diff(q, node_key(t, n)) >= len)
		return (pt_node *)n;
	return NULL;
}

/* longest_accepted - from n up, the first caller node the filter accepts */
static pt_node *longest_accepted(const pt_node *n, pt_filter f, void *ctx)
{
	for (; n; n = n->parent)
		if (!n->is_glue && (!f || f(n, ctx)))
			return (pt_node *)n;
	return NULL;
}

pt_node *pt_longest_match(const pt_tree *t, const uint8_t *key, unsigned len, pt_filter f,
			  void *ctx)
{
	assert(len <= t->width);
	const key128 q = key_load(key, t->width);
	return longest_accepted(deepest_containing(t, search_start(t, q, len), q, len), f, ctx);
}

pt_node *pt_less_specific(const pt_tree *t, const uint8_t *key, unsigned len, pt_filter f,
			  void *ctx)
{
	assert(len <= t->width);
	return len ? pt_longest_match(t, key, len - 1, f, ctx) : NULL;
}

pt_node *pt_seek(const pt_tree *t, const uint8_t *key, unsigned len, int inclusive)
{
	const key128 q = key_mask(key_load(key, t->width), len);
	const pt_node *n = search_start(t, q, len);

	assert(len <= t->width);
	while (n) {
		unsigned d = key_diff(q, node_key(t, n));
		if (d < min_u(len, n->len)) /* they part at bit d: all of n's subtree is on one side */
			return key_bit(q, d) ? first_caller_after(n) : first_caller(n);
		if (n->len > len) /* q contains n, so it comes before n's subtree */
			return first_caller(n);
		if (n->len == len)
			return inclusive && !n->is_glue ? (pt_node *)n : successor(n);
		unsigned side = key_bit(q, n->len); /* n contains q and comes before it */
		if (n->child[side]) {
			n = n->child[side];
			continue;
		}
		if (n->child[1]) /* q is on the empty 0-side: the 1-side comes after it */
			return first_caller(n->child[1]);
		return first_caller_after(n);
	}
	return NULL;
}

pt_node *pt_first(const pt_tree *t)
{
	return t->root ? first_caller(t->root) : NULL;
}

pt_node *pt_next(const pt_tree *t, const pt_node *n)
{
	(void)t; /* the parent pointers are enough */
	return successor(n);
}

int pt_contains(const uint8_t *outer_key, unsigned outer_len, const uint8_t *key, unsigned len)
{
	unsigned whole = outer_len / 8, rest = outer_len % 8;

	if (len < outer_len || memcmp(outer_key, key, whole))
		return 0;
	return !rest || !((outer_key[whole] ^ key[whole]) & (uint8_t)(0xFF << (8 - rest)));
}

int pt_key_cmp(const uint8_t *a, unsigned alen, const uint8_t *b, unsigned blen,
	       unsigned width_bits)
{
	key128 ka = key_mask(key_load(a, width_bits), alen);
	key128 kb = key_mask(key_load(b, width_bits), blen);

	if (ka.hi != kb.hi)
		return ka.hi < kb.hi ? -1 : 1;
	if (ka.lo != kb.lo)
		return ka.lo < kb.lo ? -1 : 1;
	return alen < blen ? -1 : alen > blen;
}

void pt_destroy(pt_tree *t, void (*free_node)(pt_node *n, void *ctx), void *ctx)
{
	pt_node *n = t->root;

	/* Post-order without a stack: free leaves, cutting each from its parent. */
	while (n) {
		if (n->child[0] || n->child[1]) {
			n = n->child[0] ? n->child[0] : n->child[1];
			continue;
		}
		pt_node *p = n->parent;
		if (p)
			p->child[p->child[1] == n] = NULL;
		n->parent = NULL;
		if (n->is_glue)
			node_release(t, n);
		else if (free_node)
			free_node(n, ctx);
		n = p;
	}
	while (t->reserve)
		node_release(t, reserve_pop(t));
	t->root = NULL;
	t->count = t->glue = 0;
	jump_rebuild(t, 0);
}

/* ---- introspection ---- */

/* next_any - pre-order successor of n among nodes of every kind */
static const pt_node *next_any(const pt_node *n)
{
	return n->child[0] ? n->child[0] : n->child[1] ? n->child[1] : after_subtree(n);
}

static size_t node_depth(const pt_node *n)
{
	size_t depth = 0;
	for (; n; n = n->parent)
		depth++;
	return depth;
}

void pt_get_stats(const pt_tree *t, pt_stats *s)
{
	double depth_sum = 0;

	memset(s, 0, sizeof(*s));
	for (const pt_node *n = t->root; n; n = next_any(n)) {
		size_t depth = node_depth(n);
		if (depth > s->max_depth)
			s->max_depth = depth;
		if (n->is_glue) {
			s->glue++;
		} else {
			s->nodes++;
			depth_sum += (double)depth;
		}
	}
	s->reserved = t->reserved;
	s->mean_depth = s->nodes ? depth_sum / (double)s->nodes : 0;
	s->glue_bytes = sizeof(pt_node) * (s->glue + s->reserved);
	s->jump_bits = t->jump_bits;
	s->jump_bytes = t->jump ? sizeof(*t->jump) << t->jump_bits : 0;
}

/* check_node - the invariants between n and its children, NULL when sound */
static const char *check_node(const pt_tree *t, const pt_node *n)
{
	uint8_t canon[PT_MAX_KEY_BYTES];

	if (n->len > t->width)
		return "length beyond the tree's width";
	memcpy(canon, n->key, sizeof(canon));
	pt_canonicalize(canon, n->len, t->width);
	if (memcmp(canon, n->key, sizeof(canon)))
		return "key not canonical";
	if (n->is_glue && !(n->child[0] && n->child[1]))
		return "glue node without two children";
	for (unsigned side = 0; side < 2; side++) {
		const pt_node *c = n->child[side];
		if (!c)
			continue;
		if (c->parent != n)
			return "child's parent pointer wrong";
		if (c->len <= n->len)
			return "child not longer than its parent";
		if (key_diff(node_key(t, c), node_key(t, n)) < n->len)
			return "child outside its parent's prefix";
		if (key_bit(node_key(t, c), n->len) != side)
			return "child on the wrong side";
	}
	return NULL;
}

/* check_jump - every slot holds the deepest short node containing it */
static const char *check_jump(const pt_tree *t)
{
	if (!t->jump != !t->jump_bits)
		return "jump index and its size disagree";
	for (size_t slot = 0; t->jump && slot < (size_t)1 << t->jump_bits; slot++) {
		key128 k = {(uint64_t)slot << (WORD_BITS - t->jump_bits), 0};
		if (t->jump[slot] != deepest_containing(t, t->root, k, t->jump_bits))
			return "jump slot stale";
	}
	return NULL;
}

const char *pt_check(const pt_tree *t)
{
	size_t callers = 0, glue = 0, forks = 0, reserve = 0;

	if (t->root && t->root->parent)
		return "root has a parent";
	for (const pt_node *n = t->root; n; n = next_any(n)) {
		const char *why = check_node(t, n);
		if (why)
			return why;
		if (n->is_glue) {
			glue++;
			continue;
		}
		callers++;
		if (n->child[0] && n->child[1])
			forks++;
	}
	for (const pt_node *g = t->reserve; g; g = g->parent)
		reserve++;
	if (callers != t->count)
		return "caller node count wrong";
	if (glue != t->glue)
		return "glue node count wrong";
	if (reserve != t->reserved || reserve != forks)
		return "reserve does not match the caller nodes with two children";
	return check_jump(t);
}

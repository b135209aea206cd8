/*
 * prefix_tree.h - the prefix index of one routing table.
 *
 * A path-compressed binary trie keyed by (address bits, prefix length), the
 * same code for IPv4 (width 32) and IPv6 (width 128).  It is intrusive: the
 * caller embeds a pt_node in each destination, so inserting allocates at most
 * one internal "glue" node and lookups allocate nothing.  prefix_tree.c opens
 * with the design; this header states the contract.
 *
 * Keys: bytes most-significant first (network order); bit 0 of a prefix is
 * the top bit of byte 0.  A node's key is canonical: bits at and after len are
 * zero, and so are the bytes at and after width/8.  Lookup keys need not be
 * canonical; they are read for width/8 bytes only (4 for IPv4).
 *
 * Order (what the ordered walk returns): (A, L) sorts as the pair (A', L),
 * where A' is A with the bits after the first L cleared, read as a W-bit
 * big-endian integer.  That is the pre-order of the binary trie: a prefix
 * comes before every longer prefix inside it, and its 0-half before its
 * 1-half.
 *
 * Threads: the writers (insert, remove, destroy, set_allocator) need the tree
 * to themselves.  Every other function only reads, allocates nothing and may
 * run from several threads at once while no writer runs.
 */
#ifndef RTM_PREFIX_TREE_H
#define RTM_PREFIX_TREE_H

#include <stddef.h>
#include <stdint.h>

#define PT_MAX_KEY_BYTES 16
#define PT_WIDTH_IPV4 32
#define PT_WIDTH_IPV6 128

typedef struct pt_node {
	struct pt_node *child[2];
	struct pt_node *parent;
	uint8_t len;                    /* prefix length in bits, 0..128 */
	uint8_t is_glue;                /* internal branch node, not a caller's node */
	uint8_t key[PT_MAX_KEY_BYTES];  /* canonical: bits after len are zero */
} pt_node;

typedef struct pt_tree {
	pt_node *root;
	uint8_t width;                  /* 32 or 128, fixed at pt_init */
	size_t count;                   /* caller nodes in the tree */
	size_t glue;                    /* glue nodes in the tree */
	/*
	 * Reserve of glue nodes, one per caller node that has two children:
	 * removing such a node needs a glue node in its place, and pt_remove
	 * cannot fail, so the glue is allocated by the insert that gave the
	 * node its second child.  Linked through ->parent.
	 */
	pt_node *reserve;
	size_t reserved;
	/*
	 * Jump index: for each value s of the first jump_bits bits, the deepest
	 * node no longer than jump_bits whose prefix contains s (or NULL), where
	 * a descent for a key starting with s may begin.  Sized to the tree
	 * (about one slot per prefix), absent below 2^jump_min_bits prefixes.
	 */
	pt_node **jump;
	uint8_t jump_bits;              /* 0: no jump index */
	uint8_t jump_min_bits, jump_max_bits;
	size_t jump_grow_at, jump_shrink_at; /* resize is looked at outside [shrink_at, grow_at) */
	void *(*alloc)(size_t size);    /* glue and jump index allocator, malloc by default */
	void (*release)(void *p);       /* and its free */
	void *(*node_alloc)(void *ctx); /* glue nodes only, when set (pt_set_node_allocator) */
	void (*node_release)(void *ctx, void *p);
	void *node_ctx;
} pt_tree;

/* pt_init - empty tree of width 32 (IPv4) or 128 (IPv6) */
void pt_init(pt_tree *t, unsigned width_bits);

/*
 * pt_set_allocator - allocate glue nodes and the jump index with alloc and
 * release instead of malloc and free (memory accounting, failure injection);
 * the tree must be empty.
 */
void pt_set_allocator(pt_tree *t, void *(*alloc)(size_t), void (*release)(void *));

/*
 * pt_set_node_allocator - take glue nodes (sizeof(pt_node) each) from
 * node_alloc(ctx) and give them back to node_release(ctx, p) instead of the
 * allocator above (a table's slab); the jump index stays with the allocator
 * above.  The tree must be empty.
 */
void pt_set_node_allocator(pt_tree *t, void *(*node_alloc)(void *ctx),
			   void (*node_release)(void *ctx, void *p), void *ctx);

/*
 * pt_set_jump_bits - keep a jump index of 2^b slots, b = log2(prefixes)
 * clamped to max_bits, once the tree holds 2^min_bits prefixes (defaults 12
 * and 20; max_bits 0: none).  For tests and tuning; the tree must be empty.
 */
void pt_set_jump_bits(pt_tree *t, unsigned min_bits, unsigned max_bits);

/* pt_canonicalize - zero the bits >= len and the bytes >= width_bits/8 */
void pt_canonicalize(uint8_t key[PT_MAX_KEY_BYTES], unsigned len, unsigned width_bits);

/*
 * pt_insert - insert caller node n (n->key and n->len set, canonical,
 * len <= width).  Returns 0 when inserted; 1 when a node with that key is
 * already there (*existing set when existing is not NULL, n not inserted);
 * -1 when out of memory (tree unchanged).
 */
int pt_insert(pt_tree *t, pt_node *n, pt_node **existing);

/* pt_remove - take caller node n out of t; n is fully detached afterwards. Never fails. */
void pt_remove(pt_tree *t, pt_node *n);

/* pt_find - the caller node with exactly this prefix, or NULL */
pt_node *pt_find(const pt_tree *t, const uint8_t *key, unsigned len);

/* A filter accepts a caller node by returning non-zero; a NULL filter accepts all. */
typedef int (*pt_filter)(const pt_node *n, void *ctx);

/* pt_longest_match - the longest accepted caller node whose prefix contains (key, len) */
pt_node *pt_longest_match(const pt_tree *t, const uint8_t *key, unsigned len, pt_filter f,
			  void *ctx);

/*
 * pt_less_specific - the longest accepted caller node that strictly contains
 * (key, len), i.e. is shorter than len; (key, len) need not be in the tree.
 */
pt_node *pt_less_specific(const pt_tree *t, const uint8_t *key, unsigned len, pt_filter f,
			  void *ctx);

/* pt_seek - first caller node >= (key, len) when inclusive, else > (key, len), or NULL */
pt_node *pt_seek(const pt_tree *t, const uint8_t *key, unsigned len, int inclusive);

/* pt_first - the smallest caller node, or NULL when the tree is empty */
pt_node *pt_first(const pt_tree *t);

/* pt_next - the caller node after caller node n (which is in t), or NULL */
pt_node *pt_next(const pt_tree *t, const pt_node *n);

/* pt_contains - is (key, len) inside prefix (outer_key, outer_len)?  A prefix contains itself. */
int pt_contains(const uint8_t *outer_key, unsigned outer_len, const uint8_t *key, unsigned len);

/* pt_key_cmp - <0, 0, >0 as (a, alen) sorts before, with, after (b, blen) */
int pt_key_cmp(const uint8_t *a, unsigned alen, const uint8_t *b, unsigned blen,
	       unsigned width_bits);

/*
 * pt_destroy - free every glue node and hand each caller node to free_node
 * (may be NULL); t is empty afterwards.  free_node may free the node's memory.
 */
void pt_destroy(pt_tree *t, void (*free_node)(pt_node *n, void *ctx), void *ctx);

/* The shape of a tree, for benchmarks and debugging (fib_triestat in spirit). */
typedef struct pt_stats {
	size_t nodes;           /* caller nodes */
	size_t glue;            /* glue nodes in the tree */
	size_t reserved;        /* glue nodes held in reserve */
	size_t max_depth;       /* nodes on the longest path from the root, both ends counted */
	double mean_depth;      /* nodes from the root to a caller node, mean over caller nodes */
	size_t glue_bytes;      /* sizeof(pt_node) * (glue + reserved) */
	unsigned jump_bits;     /* the jump index has 2^jump_bits slots */
	size_t jump_bytes;      /* its size */
} pt_stats;

/* pt_get_stats - walk t and describe its shape */
void pt_get_stats(const pt_tree *t, pt_stats *s);

/*
 * pt_check - verify every structural invariant of t (tests, debugging).
 * Returns NULL when sound, else a static string naming the first violation.
 */
const char *pt_check(const pt_tree *t);

#endif

/*
 * slab.h - type-stable free lists for the objects of one routing table.
 *
 * Destinations, routes and prefix-tree glue nodes are created and freed
 * only under their table's write lock, at the rate of the updates, in random
 * order.  A slab hands out objects of one size and keeps the freed ones on a
 * free list for the next allocation of that kind, so an allocation or a free
 * is a few loads and stores on the object itself: no allocator lock, no
 * per-object header or size-class rounding, and no coalescing of neighbours
 * on free.
 *
 * New objects of every slab of a table are carved, one after the other, from
 * the chunks of one shared arena, so a destination, its first route and the
 * glue node its insert needed lie side by side (a lookup that reads the
 * destination and its best route touches neighbouring lines, often one
 * page), as they did with malloc.
 *
 * Memory: chunks are never given back (tables live forever, see table.h);
 * a slab reuses its freed objects before it carves a new one, so it holds at
 * most as many objects as were ever live at once.  Every chunk stays
 * reachable from the arena (valgrind reports it as reachable, not lost).
 * Under AddressSanitizer a free or not yet carved object is poisoned, so a
 * use after free is still reported.
 *
 * Threads: none of its own; the caller serialises (the table's write lock).
 */
#ifndef RTM_SLAB_H
#define RTM_SLAB_H

#include <stddef.h>

typedef struct slab_arena {
	char *next, *end; /* the uncarved rest of the newest chunk */
	void *chunks;     /* every chunk, linked through its first word */
	size_t bytes;     /* in all chunks */
} slab_arena;

typedef struct slab {
	void *free;        /* freed objects, linked through their first word */
	slab_arena *arena; /* where new objects are carved */
	size_t size;       /* object size, rounded up to 8 */
	size_t live;       /* objects handed out and not freed */
} slab;

/* slab_init - an empty slab of objects of size bytes carved from arena (zeroed: empty) */
void slab_init(slab *s, slab_arena *arena, size_t size);
/* slab_alloc - a zeroed object, NULL when a new chunk is needed and malloc fails */
void *slab_alloc(slab *s);
/* slab_free - give p (from slab_alloc of s, or NULL) back for reuse */
void slab_free(slab *s, void *p);

#endif

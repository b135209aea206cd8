/*
 * slab.c - type-stable free lists (see slab.h).
 *
 * A chunk starts with one pointer linking it to the previous chunk, then
 * holds objects back to back.  The first chunk of an arena is 4 KiB and each
 * next one as large as all before it (the arena doubles), up to 256 KiB a
 * chunk, so a small table takes little and a large one few, large chunks.
 * An allocation takes the slab's free list's head, else carves the next
 * object from the arena's newest chunk, else starts a new chunk (what was
 * left of the old one, less than an object, stays unused).
 */
#include "slab.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SLAB_ALIGN 8
#define SLAB_FIRST_CHUNK (4 * 1024)
#define SLAB_MAX_CHUNK (256 * 1024)
#define CHUNK_HEADER SLAB_ALIGN /* the chunk link, keeping objects 8-aligned */

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SLAB_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(SLAB_ASAN)
#define SLAB_ASAN 1
#endif

#ifdef SLAB_ASAN
#include <sanitizer/asan_interface.h>
#define poison(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define unpoison(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define poison(p, n) ((void)(p), (void)(n))
#define unpoison(p, n) ((void)(p), (void)(n))
#endif

void slab_init(slab *s, slab_arena *arena, size_t size)
{
	memset(s, 0, sizeof(*s));
	if (size < sizeof(void *))
		size = sizeof(void *);
	s->size = (size + SLAB_ALIGN - 1) & ~(size_t)(SLAB_ALIGN - 1);
	s->arena = arena;
}

/* grow - a new chunk with room for at least one object of size; 0 ok, -1 no memory */
static int grow(slab_arena *a, size_t size)
{
	size_t bytes = a->bytes < SLAB_FIRST_CHUNK ? SLAB_FIRST_CHUNK : a->bytes;
	if (bytes > SLAB_MAX_CHUNK)
		bytes = SLAB_MAX_CHUNK;
	if (bytes < CHUNK_HEADER + size)
		bytes = CHUNK_HEADER + size;
	char *c = malloc(bytes);
	if (!c)
		return -1;
	*(void **)c = a->chunks;
	a->chunks = c;
	a->next = c + CHUNK_HEADER;
	a->end = c + bytes;
	a->bytes += bytes;
	poison(a->next, (size_t)(a->end - a->next));
	return 0;
}

void *slab_alloc(slab *s)
{
	void *p = s->free;
	if (p) {
		unpoison(p, s->size);
		s->free = *(void **)p;
	} else {
		slab_arena *a = s->arena;
		if ((size_t)(a->end - a->next) < s->size && grow(a, s->size) < 0)
			return NULL;
		p = a->next;
		a->next += s->size;
		unpoison(p, s->size);
	}
	s->live++;
	return memset(p, 0, s->size);
}

void slab_free(slab *s, void *p)
{
	if (!p)
		return;
	*(void **)p = s->free;
	s->free = p;
	s->live--;
	poison(p, s->size);
}

/*
 * handle.c - the process-wide handle slot table (rules in handle.h).
 *
 * Slots live in fixed-size chunks reached through a directory that never
 * moves, so a lookup is two loads and needs no lock: a slot only changes
 * owner under the write lock of the table it is assigned to or from, and a
 * lookup made under table T's lock only accepts slots recorded for T.  Free
 * slots form a FIFO list threaded through the slots themselves, guarded by a
 * small mutex, so a freed slot is reused as late as possible.
 */
#include "handle.h"
#include "table.h"

#include <stdlib.h>

#if UINTPTR_MAX > 0xFFFFFFFFu
#define GEN_BITS 24
#else
#define GEN_BITS 8
#endif
#define GEN_MASK ((1u << GEN_BITS) - 1)
#define CHUNK_BITS 14
#define CHUNK_SLOTS (1u << CHUNK_BITS)
#define MAX_CHUNKS 1024u /* 16M slots: the 24-bit index space */
#define NO_SLOT 0xFFFFFFFFu

/*
 * A slot is 16 bytes on x64 (12 on x86), two per route: the generation and
 * kind share one word, and the table index of a live slot shares another
 * with the free-list link of a free one.  All three words are accessed
 * atomically, so a lock-free lookup racing an assign or retire reads a
 * mismatching generation, kind, table or object and fails, never more.
 */
typedef struct slot {
	rtm_obj *obj; /* NULL when free */
	uint32_t tag; /* generation << 8 | kind (OBJ_FREE when free) */
	uint32_t link; /* live: table index; free: next free slot (FIFO) */
} slot;

#define TAG(gen, kind) ((uint32_t)(gen) << 8 | (uint32_t)(kind))
#define TAG_GEN(tag) (((tag) >> 8) & GEN_MASK)
#define TAG_KIND(tag) ((tag) & 0xFFu)

static inline uint32_t slot_tag(const slot *s) { return __atomic_load_n(&s->tag, __ATOMIC_ACQUIRE); }
static inline uint32_t slot_link(const slot *s) { return __atomic_load_n(&s->link, __ATOMIC_RELAXED); }
static inline void set_link(slot *s, uint32_t v) { __atomic_store_n(&s->link, v, __ATOMIC_RELAXED); }

static slot *chunks[MAX_CHUNKS];
static uint32_t chunk_count;
static uint32_t free_head = NO_SLOT, free_tail = NO_SLOT;
static uint32_t live_slots;
static uint32_t live_by_kind[OBJ_KIND_COUNT];
/*
 * The free list's lock: held for a handful of loads and stores, by every
 * object creation and freeing of every table, so a spin lock (test and
 * test-and-set, yielding after a while) rather than an OS lock, whose
 * uncontended acquire and release cost several times more.
 */
static uint32_t slot_lock;

static void slot_lock_acquire(void)
{
	unsigned spins = 0;
	while (__atomic_exchange_n(&slot_lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(&slot_lock, __ATOMIC_RELAXED))
			if (++spins % 128 == 0)
				rtm_sleep_ms(0); /* the holder may have been preempted */
}

static void slot_lock_release(void) { __atomic_store_n(&slot_lock, 0, __ATOMIC_RELEASE); }

static inline slot *slot_at(uint32_t index)
{
	slot *chunk = __atomic_load_n(&chunks[index >> CHUNK_BITS], __ATOMIC_ACQUIRE);
	return &chunk[index & (CHUNK_SLOTS - 1)];
}

static int grow(void)
{
	if (chunk_count == MAX_CHUNKS)
		return -1;
	slot *c = calloc(CHUNK_SLOTS, sizeof(*c));
	if (!c)
		return -1;
	uint32_t base = chunk_count << CHUNK_BITS;
	for (uint32_t i = 0; i < CHUNK_SLOTS; i++)
		c[i].link = i + 1 < CHUNK_SLOTS ? base + i + 1 : NO_SLOT;
	__atomic_store_n(&chunks[chunk_count], c, __ATOMIC_RELEASE);
	__atomic_store_n(&chunk_count, chunk_count + 1, __ATOMIC_RELEASE);
	if (free_tail == NO_SLOT)
		free_head = base;
	else
		set_link(slot_at(free_tail), base);
	free_tail = base + CHUNK_SLOTS - 1;
	return 0;
}

int handle_assign(rtm_obj *obj, enum rtm_obj_kind kind, struct rtm_table *t)
{
	slot_lock_acquire();
	if (free_head == NO_SLOT && grow() < 0) {
		slot_lock_release();
		return -1;
	}
	uint32_t index = free_head;
	slot *s = slot_at(index);
	free_head = slot_link(s);
	if (free_head == NO_SLOT)
		free_tail = NO_SLOT;
	live_slots++;
	live_by_kind[kind]++;
	slot_lock_release();

	obj->kind = (uint8_t)kind;
	obj->table_index = t->index;
	uint32_t gen = TAG_GEN(slot_tag(s));
	obj->handle = (HANDLE)(((uintptr_t)(index + 1) << GEN_BITS) | gen);
	set_link(s, obj->table_index);
	__atomic_store_n(&s->tag, TAG(gen, kind), __ATOMIC_RELAXED);
	__atomic_store_n(&s->obj, obj, __ATOMIC_RELEASE);
	return 0;
}

static inline __attribute__((always_inline)) slot *slot_of(HANDLE h)
{
	uintptr_t v = (uintptr_t)h;
	uintptr_t index = v >> GEN_BITS;
	if (index == 0)
		return NULL;
	index--;
	if (index >> CHUNK_BITS >= __atomic_load_n(&chunk_count, __ATOMIC_ACQUIRE))
		return NULL;
	slot *s = slot_at((uint32_t)index);
	if (TAG_GEN(slot_tag(s)) != (v & GEN_MASK))
		return NULL;
	return s;
}

void handle_retire(rtm_obj *obj)
{
	slot *s = slot_of(obj->handle);
	uint32_t index = (uint32_t)(((uintptr_t)obj->handle >> GEN_BITS) - 1);
	slot_lock_acquire();
	__atomic_store_n(&s->obj, NULL, __ATOMIC_RELEASE);
	__atomic_store_n(&s->tag, TAG((TAG_GEN(slot_tag(s)) + 1) & GEN_MASK, OBJ_FREE), __ATOMIC_RELEASE);
	set_link(s, NO_SLOT);
	if (free_tail == NO_SLOT)
		free_head = index;
	else
		set_link(slot_at(free_tail), index);
	free_tail = index;
	live_slots--;
	live_by_kind[obj->kind]--;
	slot_lock_release();
	obj->handle = NULL;
}

static inline __attribute__((always_inline)) rtm_obj *lookup_any(HANDLE h, enum rtm_obj_kind kind,
								 const struct rtm_table *t)
{
	slot *s = slot_of(h);
	if (!s || TAG_KIND(slot_tag(s)) != (uint32_t)kind || slot_link(s) != t->index)
		return NULL;
	rtm_obj *o = __atomic_load_n(&s->obj, __ATOMIC_ACQUIRE);
	return o && o->handle == h ? o : NULL;
}

rtm_obj *handle_lookup_any(HANDLE h, enum rtm_obj_kind kind, const struct rtm_table *t)
{
	return lookup_any(h, kind, t);
}

rtm_obj *handle_lookup(HANDLE h, enum rtm_obj_kind kind, const struct rtm_table *t)
{
	rtm_obj *o = lookup_any(h, kind, t);
	return o && !obj_dead(o) ? o : NULL;
}

rtm_obj *handle_lookup_untyped(HANDLE h, const struct rtm_table *t)
{
	slot *s = slot_of(h);
	if (!s || TAG_KIND(slot_tag(s)) == OBJ_FREE || slot_link(s) != t->index)
		return NULL;
	rtm_obj *o = __atomic_load_n(&s->obj, __ATOMIC_ACQUIRE);
	return o && o->handle == h ? o : NULL;
}

enum rtm_obj_kind handle_kind(HANDLE h, const struct rtm_table *t)
{
	rtm_obj *o = handle_lookup_untyped(h, t);
	return o && !obj_dead(o) ? (enum rtm_obj_kind)o->kind : OBJ_FREE;
}

struct rtm_table *handle_peek_table(HANDLE h, enum rtm_obj_kind kind)
{
	slot *s = slot_of(h);
	if (!s || TAG_KIND(slot_tag(s)) != (uint32_t)kind)
		return NULL;
	uint32_t index = slot_link(s); /* a racing retire may make it a free-list link */
	return index <= UINT16_MAX ? table_from_index((uint16_t)index) : NULL;
}

int obj_try_unref(rtm_obj *o)
{
	uint32_t c = __atomic_load_n(&o->refs, __ATOMIC_RELAXED);
	do {
		if (c == 0)
			return 0;
	} while (!__atomic_compare_exchange_n(&o->refs, &c, c - 1, 1, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	return 1;
}

void obj_unref_internal(rtm_obj *o) { (void)obj_try_unref(o); }

uint32_t handle_live_count(enum rtm_obj_kind kind)
{
	slot_lock_acquire();
	uint32_t n = kind == OBJ_FREE ? live_slots : live_by_kind[kind];
	slot_lock_release();
	return n;
}

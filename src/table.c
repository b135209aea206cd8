/*
 * table.c - the registry of routing tables, their locks and the reaper.
 */
#include "table.h"
#include "dest.h"
#include "nexthop.h"
#include "route.h"

#include <stdlib.h>
#include <string.h>

#define MAX_TABLES 1024

static rtm_rwlock registry_lock = RTM_RWLOCK_INIT;
static rtm_table *registry[MAX_TABLES];
static uint16_t registry_count;

rtm_table *table_from_index(uint16_t index)
{
	if (index >= __atomic_load_n(&registry_count, __ATOMIC_ACQUIRE))
		return NULL;
	return __atomic_load_n(&registry[index], __ATOMIC_ACQUIRE);
}

static void *glue_alloc(void *ctx) { return slab_alloc(ctx); }
static void glue_release(void *ctx, void *p) { slab_free(ctx, p); }

static rtm_table *table_create(uint16_t instance_id, uint16_t family)
{
	rtm_table *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	rtm_rwlock_init(&t->lock);
	rtm_mutex_init(&t->client_lock_mutex);
	rtm_cond_init(&t->client_lock_released);
	t->instance_id = instance_id;
	t->family = family;
	t->addr_bytes = family == AF_INET ? 4 : 16;
	t->addr_bits = (uint8_t)(t->addr_bytes * 8);
	pt_init(&t->tree, t->addr_bits);
	slab_init(&t->dest_slab, &t->arena, sizeof(struct dest));
	slab_init(&t->route_slab, &t->arena, sizeof(struct route));
	slab_init(&t->glue_slab, &t->arena, sizeof(pt_node));
	pt_set_node_allocator(&t->tree, glue_alloc, glue_release, &t->glue_slab);
	return t;
}

rtm_table *table_get(uint16_t instance_id, uint16_t family)
{
	if (family != AF_INET && family != AF_INET6)
		return NULL;
	rtm_rwlock_wrlock(&registry_lock);
	rtm_table *found = NULL;
	for (uint16_t i = 0; i < registry_count && !found; i++)
		if (registry[i]->instance_id == instance_id && registry[i]->family == family)
			found = registry[i];
	if (!found && registry_count < MAX_TABLES) {
		found = table_create(instance_id, family);
		if (found) {
			found->index = registry_count;
			__atomic_store_n(&registry[registry_count], found, __ATOMIC_RELEASE);
			__atomic_store_n(&registry_count, registry_count + 1, __ATOMIC_RELEASE);
		}
	}
	rtm_rwlock_wrunlock(&registry_lock);
	return found;
}

/*
 * The reap list is a lock-free stack: readers of the table push onto it at
 * once (each release that leaves an object dead), and only the write-lock
 * holder takes it, whole.  A push and a whole-list take are immune to ABA.
 * reap_queued, set by exchange, lets only the first of several queuers push
 * an object.  An object cannot be freed while another thread pushes it: the
 * pusher holds the table lock (read or write) and the freeing needs the
 * write lock.
 */
/* not inlined: in table_release's loops it cost the lookups ~9 instructions a handle */
__attribute__((noinline)) void table_queue_reap(rtm_table *t, rtm_obj *o)
{
	if (__atomic_exchange_n(&o->reap_queued, 1, __ATOMIC_ACQ_REL))
		return; /* already on the list */
	rtm_obj *head = __atomic_load_n(&t->reap_head, __ATOMIC_RELAXED);
	do
		o->reap_next = head;
	while (!__atomic_compare_exchange_n(&t->reap_head, &head, o, 1, __ATOMIC_RELEASE,
					    __ATOMIC_RELAXED));
}

/*
 * reap_take - detach the whole reap list (NULL when empty, without a
 * read-modify-write).  Its objects keep reap_queued set until table_reap
 * reaches each, so one queued again meanwhile (a route's destination, say)
 * stays where it is and the list is never rethreaded under the walker.
 * Only the write-lock holder reaps, and no one else queues while it holds
 * the lock.
 */
static rtm_obj *reap_take(rtm_table *t)
{
	if (!__atomic_load_n(&t->reap_head, __ATOMIC_ACQUIRE))
		return NULL;
	return __atomic_exchange_n(&t->reap_head, NULL, __ATOMIC_ACQUIRE);
}

void table_reap(rtm_table *t)
{
	rtm_obj *list;
	/* freeing an object can queue others (a route's destination): go again */
	while ((list = reap_take(t)) != NULL) {
		while (list) {
			rtm_obj *o = list;
			list = o->reap_next;
			__atomic_store_n(&o->reap_queued, 0, __ATOMIC_RELAXED);
			if (!obj_dead(o))
				continue; /* revived by a racing reference */
			switch (o->kind) {
			case OBJ_DEST:
				if (dest_can_free((dest *)o))
					dest_free(t, (dest *)o);
				break;
			case OBJ_ROUTE:
				route_free(t, (route *)o);
				break;
			case OBJ_NEXTHOP:
				nexthop_free(t, (nexthop *)o);
				break;
			case OBJ_ENTITY:
				entity_free(t, (entity *)o);
				break;
			default:
				break;
			}
		}
	}
}

void table_rdunlock(rtm_table *t)
{
	rtm_rwlock_rdunlock(&t->lock);
	if (__atomic_load_n(&t->reap_head, __ATOMIC_ACQUIRE)) {
		rtm_rwlock_wrlock(&t->lock);
		table_reap(t);
		rtm_rwlock_wrunlock(&t->lock);
	}
}

void obj_drop(struct rtm_table *t, rtm_obj *o)
{
	obj_unref_internal(o);
	obj_unlink(o);
	if (obj_dead(o))
		table_queue_reap(t, o);
}

int table_check_address(const rtm_table *t, const RTM_NET_ADDRESS *a)
{
	return a && a->NumBits <= t->addr_bits;
}

void table_canonical_key(const rtm_table *t, const RTM_NET_ADDRESS *a, uint8_t key[PT_MAX_KEY_BYTES])
{
	memset(key, 0, PT_MAX_KEY_BYTES);
	memcpy(key, a->AddrBits, t->addr_bytes);
	pt_canonicalize(key, a->NumBits, t->addr_bits);
}

void table_write_address(const rtm_table *t, const uint8_t *key, unsigned len, RTM_NET_ADDRESS *out)
{
	out->AddressFamily = t->family;
	out->NumBits = (USHORT)len;
	memcpy(out->AddrBits, key, RTM_MAX_ADDRESS_SIZE);
}

/*
 * Positions a release resolves once and remembers (7 per RTM_DEST_INFO of
 * two views: a full RtmReleaseDests batch of MaxHandlesInEnum fits).  Longer
 * releases resolve each position again in every pass.
 */
#define RELEASE_BATCH 1024

/* the object at position i of the iterator (NULL for a NULL handle) */
static rtm_obj *release_obj(rtm_table *t, handle_iter it, const void *ctx, size_t i)
{
	HANDLE h;
	enum rtm_obj_kind kind;
	it(ctx, i, &h, &kind);
	return h ? handle_lookup_any(h, kind, t) : NULL;
}

DWORD table_release(rtm_table *t, handle_iter it, const void *ctx)
{
	rtm_obj *batch[RELEASE_BATCH];
	HANDLE h;
	enum rtm_obj_kind kind;
	size_t i, n;

	/* every handle must name a live object; remember the objects */
	for (i = 0; it(ctx, i, &h, &kind); i++) {
		rtm_obj *o = NULL;
		if (h && !(o = handle_lookup(h, kind, t)))
			return ERROR_INVALID_HANDLE;
		if (i < RELEASE_BATCH)
			batch[i] = o;
	}
	n = i;
#define OBJ_AT(i) (n <= RELEASE_BATCH ? batch[i] : release_obj(t, it, ctx, i))
	for (i = 0; i < n; i++) {
		rtm_obj *o = OBJ_AT(i);
		if (o && !obj_try_unref(o))
			break;
	}
	if (i < n) {
		/* over-release: give back what this call took */
		while (i-- > 0) {
			rtm_obj *o = OBJ_AT(i);
			if (o)
				obj_ref(o);
		}
		return ERROR_INVALID_HANDLE;
	}
	for (i = 0; i < n; i++) {
		rtm_obj *o = OBJ_AT(i);
		if (o && obj_dead(o))
			table_queue_reap(t, o);
	}
#undef OBJ_AT
	return NO_ERROR;
}

struct array_iter {
	enum rtm_obj_kind kind;
	UINT n;
	const HANDLE *h;
};

static int array_next(const void *ctx, size_t i, HANDLE *h, enum rtm_obj_kind *kind)
{
	const struct array_iter *a = ctx;
	if (i >= a->n)
		return 0;
	*h = a->h[i];
	*kind = a->kind;
	return 1;
}

DWORD table_release_array(rtm_table *t, enum rtm_obj_kind kind, UINT n, const HANDLE *h)
{
	struct array_iter a = { kind, n, h };
	return table_release(t, array_next, &a);
}

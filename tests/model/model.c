/*
 * model.c - the reference model of one routing table (see model.h for what it is and is not).
 *
 * Every function here is a direct restatement of a sentence of the spec; where two readings
 * were possible the comment names the section that decided.  Nothing is clever: a destination's
 * routes are found by scanning every route, best routes by sorting them, enumerations by
 * scanning every destination for the smallest key after the position.
 */
#include "model.h"

#include <stdlib.h>

/* ---- prefixes (functions-2 0.3, 0.4) ------------------------------------------------------------ */

void m_canon(m_prefix *p, int width)
{
	for (int i = 0; i < 16; i++) {
		int lo = i * 8;
		if (lo >= width || lo >= p->len)
			p->b[i] = 0;
		else if (lo + 8 > p->len)
			p->b[i] &= (uint8_t)(0xFF00u >> (p->len - lo));
	}
}

/* key order: address as a big-endian integer, then length */
int m_key_cmp(const m_prefix *a, const m_prefix *b)
{
	int c = memcmp(a->b, b->b, 16);
	if (c)
		return c < 0 ? -1 : 1;
	return a->len < b->len ? -1 : a->len > b->len;
}

int m_prefix_eq(const m_prefix *a, const m_prefix *b) { return !m_key_cmp(a, b); }

static int bit_of(const m_prefix *p, int i) { return (p->b[i / 8] >> (7 - i % 8)) & 1; }

int m_covers(const m_prefix *outer, const m_prefix *inner)
{
	if (inner->len < outer->len)
		return 0;
	for (int i = 0; i < outer->len; i++)
		if (bit_of(outer, i) != bit_of(inner, i))
			return 0;
	return 1;
}

/* ---- objects -------------------------------------------------------------------------------------- */

void m_init(m_table *m, int width, uint16_t family)
{
	memset(m, 0, sizeof(*m));
	m->width = width;
	m->family = family;
}

#define NEW_SLOT(arr, n)                                    \
	do {                                                \
		for (int i_ = 0; i_ < (n); i_++)            \
			if (!m->arr[i_].used) {             \
				memset(&m->arr[i_], 0, sizeof(m->arr[i_])); \
				m->arr[i_].used = 1;        \
				return i_;                  \
			}                                   \
		return -1;                                  \
	} while (0)

int m_new_entity(m_table *m) { NEW_SLOT(ent, M_ENTS); }
int m_new_nexthop(m_table *m) { NEW_SLOT(nh, M_NHS); }
int m_new_route(m_table *m) { NEW_SLOT(route, M_ROUTES); }
int m_new_notify(m_table *m) { NEW_SLOT(notify, M_NOTIFY); }
int m_new_list(m_table *m) { NEW_SLOT(list, M_LISTS); }
int m_new_enum(m_table *m) { NEW_SLOT(en, M_ENUMS); }

int m_find_dest(const m_table *m, const m_prefix *p)
{
	for (int d = 0; d < M_DESTS; d++)
		if (m->dest[d].used && m_prefix_eq(&m->dest[d].p, p))
			return d;
	return -1;
}

/* one destination object per prefix while anything holds it (README resolution 1) */
int m_get_dest(m_table *m, const m_prefix *p)
{
	int d = m_find_dest(m, p);
	if (d >= 0)
		return d;
	for (d = 0; d < M_DESTS; d++)
		if (!m->dest[d].used) {
			memset(&m->dest[d], 0, sizeof(m->dest[d]));
			m->dest[d].used = 1;
			m->dest[d].p = *p;
			m->dest[d].hold[0] = m->dest[d].hold[1] = -1;
			return d;
		}
	return -1;
}

/* ---- ranking and best routes (functions-1 1.4, README resolution 7) -------------------------------- */

int m_rank_cmp(const m_table *m, int a, int b)
{
	const m_route *x = &m->route[a], *y = &m->route[b];
	if (x->pref != y->pref)
		return x->pref < y->pref ? -1 : 1;
	if (x->metric != y->metric)
		return x->metric < y->metric ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int m_dest_routes(const m_table *m, int d, int *out)
{
	int n = 0;
	for (int r = 0; r < M_ROUTES; r++)
		if (m->route[r].used && m->route[r].live && m->route[r].dest == d)
			out[n++] = r;
	/* insertion sort: obviously right */
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && m_rank_cmp(m, out[j - 1], out[j]) > 0; j--) {
			int t = out[j];
			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

int m_best(const m_table *m, int d, int view, uint32_t proto)
{
	int rs[M_ROUTES], n = m_dest_routes(m, d, rs);
	for (int i = 0; i < n; i++) {
		const m_route *r = &m->route[rs[i]];
		if (!(r->views & (1u << view)))
			continue;
		if (proto && m->ent[r->owner].proto != proto)
			continue;
		return rs[i];
	}
	return -1;
}

int m_in_table(const m_table *m, int d)
{
	for (int r = 0; r < M_ROUTES; r++)
		if (m->route[r].used && m->route[r].live && m->route[r].dest == d)
			return 1;
	return m->dest[d].hold[0] >= 0 || m->dest[d].hold[1] >= 0;
}

/* functions-2 0.6 */
int m_visible(const m_table *m, int d, uint32_t views)
{
	if (!views)
		return m_in_table(m, d);
	for (int r = 0; r < M_ROUTES; r++)
		if (m->route[r].used && m->route[r].live && m->route[r].dest == d && (m->route[r].views & views))
			return 1;
	return 0;
}

/* README resolution 8: live routes only */
uint32_t m_belongs(const m_table *m, int d)
{
	uint32_t v = 0;
	for (int r = 0; r < M_ROUTES; r++)
		if (m->route[r].used && m->route[r].live && m->route[r].dest == d)
			v |= m->route[r].views;
	return v;
}

int m_num_routes(const m_table *m, int d, int view)
{
	int n = 0;
	for (int r = 0; r < M_ROUTES; r++)
		if (m->route[r].used && m->route[r].live && m->route[r].dest == d && (m->route[r].views & (1u << view)))
			n++;
	return n;
}

/* functions-1 7.7 */
uint32_t m_best_views(const m_table *m, int r)
{
	uint32_t v = 0;
	if (!m->route[r].live)
		return 0;
	for (int view = 0; view < M_VIEWS; view++)
		if (m_best(m, m->route[r].dest, view, 0) == r)
			v |= 1u << view;
	return v;
}

/* the protocol a ProtocolId selects (functions-2 0.7): 0 = any */
uint32_t m_proto_of(const m_table *m, uint32_t selector, int caller)
{
	if (selector == 0xFFFFFFFFu)
		return m->ent[caller].proto;
	return selector;
}

/* ---- change classification (functions-2 3.0, concepts 11.2) --------------------------------------- */

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	return h;
}

static uint64_t nh_sig(const m_route *r)
{
	uint64_t h = (uint64_t)r->nnh;
	for (int i = 0; i < r->nnh; i++)
		h = mix(h, (uint64_t)r->nh[i] + 1);
	return h;
}

/* everything a client can observe in a route (functions-2 3.0, ALL) */
static uint64_t route_sig(const m_route *r)
{
	uint64_t h = 0;
	h = mix(h, (uint64_t)(r->neighbour + 1));
	h = mix(h, (uint64_t)r->live);
	h = mix(h, r->flags1);
	h = mix(h, r->flags);
	h = mix(h, r->pref);
	h = mix(h, r->metric);
	h = mix(h, r->views);
	h = mix(h, (uint64_t)r->esi);
	h = mix(h, nh_sig(r));
	return h;
}

void m_snap_take(const m_table *m, int d, m_snap *s)
{
	memset(s, 0, sizeof(*s));
	for (int v = 0; v < M_VIEWS; v++) {
		m_viewsnap *vs = &s->v[v];
		for (int r = 0; r < M_ROUTES; r++) {
			const m_route *x = &m->route[r];
			if (x->used && x->live && x->dest == d && (x->views & (1u << v)) && vs->n < M_ROUTES / 4) {
				vs->id[vs->n] = r;
				vs->sig[vs->n] = route_sig(x);
				vs->n++;
			}
		}
		vs->best = m_best(m, d, v, 0);
		if (vs->best >= 0) {
			const m_route *b = &m->route[vs->best];
			/* BEST: preference, metric, flags, next hops */
			vs->best_sig = mix(mix(mix(mix(0, b->pref), b->metric), b->flags), nh_sig(b));
			/* FORWARDING: the same with only the forwarding flags */
			vs->best_fwd_sig = mix(mix(mix(mix(0, b->pref), b->metric), b->flags & 0x000Fu), nh_sig(b));
		}
		vs->hold = m->dest[d].hold[v];
	}
}

static int same_routes(const m_viewsnap *a, const m_viewsnap *b)
{
	if (a->n != b->n)
		return 0;
	for (int i = 0; i < a->n; i++) {
		int found = 0;
		for (int j = 0; j < b->n; j++)
			if (a->id[i] == b->id[j])
				found = a->sig[i] == b->sig[j] ? 1 : -1;
		if (found != 1)
			return 0;
	}
	return 1;
}

uint32_t m_classify(const m_snap *before, const m_snap *after, uint32_t out[M_VIEWS])
{
	uint32_t any = 0;
	for (int v = 0; v < M_VIEWS; v++) {
		const m_viewsnap *a = &before->v[v], *b = &after->v[v];
		uint32_t t = 0;
		if (!same_routes(a, b) || a->hold != b->hold)
			t |= 1; /* ALL */
		if (a->best != b->best || (a->best >= 0 && a->best_sig != b->best_sig) || a->hold != b->hold)
			t |= 2; /* BEST: identity, PrefInfo, flags, next hops; hold-down start and end */
		if (a->best != b->best || (a->best >= 0 && a->best_fwd_sig != b->best_fwd_sig))
			t |= 4; /* FORWARDING: not non-forwarding flags, not hold-down */
		out[v] = t;
		any |= t;
	}
	return any;
}

/* functions-2 3.0 step 3: record d in every registration whose test holds in one of its views */
void m_record(m_table *m, int d, const uint32_t types[M_VIEWS])
{
	for (int n = 0; n < M_NOTIFY; n++) {
		m_notify *x = &m->notify[n];
		if (!x->used)
			continue;
		if ((x->flags & 0x00010000u) && !x->marked[d])
			continue;
		int hit = 0;
		for (int v = 0; v < M_VIEWS; v++)
			if ((x->views & (1u << v)) && (types[v] & x->flags & 7u))
				hit = 1;
		if (!hit)
			continue;
		int present = 0;
		for (int i = 0; i < x->npending; i++)
			if (x->pending[i] == d)
				present = 1;
		if (!present)
			x->pending[x->npending++] = d;
	}
}

/* ---- route lists (functions-2 4) ----------------------------------------------------------------- */

void m_list_remove(m_table *m, int r)
{
	int l = m->route[r].list;
	if (l < 0)
		return;
	m_list *x = &m->list[l];
	for (int i = 0; i < x->n; i++)
		if (x->item[i] == r) {
			memmove(&x->item[i], &x->item[i + 1], (size_t)(x->n - i - 1) * sizeof(int));
			x->n--;
			break;
		}
	m->route[r].list = -1;
}

void m_list_append(m_table *m, int l, int r)
{
	m_list_remove(m, r);
	m_list *x = &m->list[l];
	if (x->n < M_LIST_CAP) {
		x->item[x->n++] = r;
		m->route[r].list = l;
	}
}

/* ---- deletion and deregistration (functions-1 7.2, 3.2) ------------------------------------------- */

/* delete a live route: hold-down where it was the last live route of a marked view */
void m_route_delete(m_table *m, int r)
{
	m_route *x = &m->route[r];
	m_dest *d = &m->dest[x->dest];
	m_snap before, after;
	uint32_t types[M_VIEWS];
	m_snap_take(m, x->dest, &before);
	x->live = 0;
	m_list_remove(m, r);
	int started = 0;
	for (int v = 0; v < M_VIEWS; v++) {
		if (!(d->hold_mask & (1u << v)) || !(x->views & (1u << v)))
			continue;
		if (m_num_routes(m, x->dest, v) != 0)
			continue;
		int old = d->hold[v];
		if (old >= 0)
			m->route[old].held_views &= ~(1 << v);
		d->hold[v] = r;
		x->held_views |= 1 << v;
		started = 1;
	}
	if (started)
		x->holdseq = ++m->holdseq;
	m_snap_take(m, x->dest, &after);
	m_classify(&before, &after, types);
	m_record(m, x->dest, types);
}

void m_close_notify(m_table *m, int n) { m->notify[n].used = 0; }

void m_close_enum(m_table *m, int en)
{
	m_enum *e = &m->en[en];
	if (e->kind == ME_LIST && e->list >= 0) {
		m_list *x = &m->list[e->list];
		for (int i = 0; i < x->n; i++)
			if (x->item[i] == -(en + 1)) {
				memmove(&x->item[i], &x->item[i + 1], (size_t)(x->n - i - 1) * sizeof(int));
				x->n--;
				break;
			}
	}
	e->used = 0;
}

void m_close_list(m_table *m, int l)
{
	m_list *x = &m->list[l];
	for (int i = 0; i < x->n; i++) {
		if (x->item[i] >= 0)
			m->route[x->item[i]].list = -1;
		else
			m->en[-x->item[i] - 1].list = -1;
	}
	x->used = 0;
}

void m_deregister(m_table *m, int e)
{
	m->ent[e].registered = 0;
	/* its live routes, destination by destination in key order, each in rank order */
	for (;;) {
		int best_d = -1;
		for (int d = 0; d < M_DESTS; d++) {
			if (!m->dest[d].used)
				continue;
			int mine = 0;
			for (int r = 0; r < M_ROUTES; r++)
				if (m->route[r].used && m->route[r].live && m->route[r].dest == d && m->route[r].owner == e)
					mine = 1;
			if (mine && (best_d < 0 || m_key_cmp(&m->dest[d].p, &m->dest[best_d].p) < 0))
				best_d = d;
		}
		if (best_d < 0)
			break;
		int rs[M_ROUTES], n = m_dest_routes(m, best_d, rs);
		for (int i = 0; i < n; i++)
			if (m->route[rs[i]].owner == e)
				m_route_delete(m, rs[i]);
	}
	for (int n = 0; n < M_NHS; n++)
		if (m->nh[n].used && m->nh[n].owner == e)
			m->nh[n].deleted = 1;
	for (int n = 0; n < M_NOTIFY; n++)
		if (m->notify[n].used && m->notify[n].owner == e)
			m_close_notify(m, n);
	for (int n = 0; n < M_ENUMS; n++)
		if (m->en[n].used && m->en[n].owner == e)
			m_close_enum(m, n);
	for (int n = 0; n < M_LISTS; n++)
		if (m->list[n].used && m->list[n].owner == e)
			m_close_list(m, n);
	for (int d = 0; d < M_DESTS; d++)
		m->dest[d].opaque[e] = 0;
}

/* ---- liveness (model.h) ------------------------------------------------------------------------- */

static int route_alive(const m_route *r) { return r->live || r->held_views || r->crefs > 0; }

void m_collect(m_table *m)
{
	int ra[M_ROUTES], na[M_NHS], da[M_DESTS];
	for (int r = 0; r < M_ROUTES; r++)
		ra[r] = m->route[r].used && route_alive(&m->route[r]);
	for (int n = 0; n < M_NHS; n++) {
		const m_nexthop *x = &m->nh[n];
		na[n] = x->used && (!x->deleted || x->crefs > 0);
	}
	for (int r = 0; r < M_ROUTES; r++) {
		if (!ra[r])
			continue;
		const m_route *x = &m->route[r];
		if (x->neighbour >= 0)
			na[x->neighbour] = 1;
		for (int i = 0; i < x->nnh; i++)
			na[x->nh[i]] = 1;
	}
	for (int d = 0; d < M_DESTS; d++) {
		const m_dest *x = &m->dest[d];
		da[d] = 0;
		if (!x->used)
			continue;
		da[d] = x->crefs > 0 || x->hold[0] >= 0 || x->hold[1] >= 0;
		for (int e = 0; e < M_ENTS && !da[d]; e++)
			da[d] = x->opaque[e] != 0;
	}
	for (int r = 0; r < M_ROUTES; r++)
		if (ra[r])
			da[m->route[r].dest] = 1;
	for (int n = 0; n < M_NHS; n++)
		if (na[n] && m->nh[n].remote >= 0)
			da[m->nh[n].remote] = 1;
	/* an open enumeration of one destination's routes keeps that destination (its prefix identity) */
	for (int n = 0; n < M_ENUMS; n++)
		if (m->en[n].used && m->en[n].kind == ME_ROUTE && m->en[n].dest >= 0)
			da[m->en[n].dest] = 1;
	for (int n = 0; n < M_NOTIFY; n++) {
		const m_notify *x = &m->notify[n];
		if (!x->used)
			continue;
		for (int i = 0; i < x->npending; i++)
			da[x->pending[i]] = 1;
		for (int d = 0; d < M_DESTS; d++)
			if (x->marked[d])
				da[d] = 1;
	}
	int ea[M_ENTS];
	for (int e = 0; e < M_ENTS; e++)
		ea[e] = m->ent[e].used && (m->ent[e].registered || m->ent[e].crefs > 0);
	for (int r = 0; r < M_ROUTES; r++)
		if (ra[r])
			ea[m->route[r].owner] = 1;
	for (int n = 0; n < M_NHS; n++)
		if (na[n])
			ea[m->nh[n].owner] = 1;
	for (int r = 0; r < M_ROUTES; r++)
		if (m->route[r].used && !ra[r])
			memset(&m->route[r], 0, sizeof(m->route[r]));
	for (int n = 0; n < M_NHS; n++)
		if (m->nh[n].used && !na[n])
			memset(&m->nh[n], 0, sizeof(m->nh[n]));
	for (int d = 0; d < M_DESTS; d++)
		if (m->dest[d].used && !da[d])
			memset(&m->dest[d], 0, sizeof(m->dest[d]));
	for (int e = 0; e < M_ENTS; e++)
		if (m->ent[e].used && !ea[e])
			memset(&m->ent[e], 0, sizeof(m->ent[e]));
}

void m_counts(const m_table *m, unsigned c[7])
{
	memset(c, 0, 7 * sizeof(unsigned));
	for (int i = 0; i < M_ENTS; i++)
		c[0] += m->ent[i].used != 0;
	for (int i = 0; i < M_DESTS; i++)
		c[1] += m->dest[i].used != 0;
	for (int i = 0; i < M_ROUTES; i++)
		c[2] += m->route[i].used != 0;
	for (int i = 0; i < M_NHS; i++)
		c[3] += m->nh[i].used != 0;
	for (int i = 0; i < M_ENUMS; i++)
		c[4] += m->en[i].used != 0;
	for (int i = 0; i < M_NOTIFY; i++)
		c[5] += m->notify[i].used != 0;
	for (int i = 0; i < M_LISTS; i++)
		c[6] += m->list[i].used != 0;
}

/* ---- enumerations (functions-2 0.4, 0.9, 0.11, 0.12, 2, 4.3) -------------------------------------- */

/* the position flag's selection of a prefix */
static int in_position(const m_enum *e, const m_prefix *p)
{
	uint32_t pos = e->flags & 3u;
	if (pos & 2u) /* RANGE (NEXT|RANGE is RANGE) */
		return m_covers(&e->start, p);
	if (pos & 1u) /* NEXT: from start, inclusive */
		return m_key_cmp(p, &e->start) >= 0;
	return 1;
}

static int owns_best(const m_table *m, int d, int caller, uint32_t views)
{
	uint32_t vs = views ? views : M_VIEWMASK;
	for (int v = 0; v < M_VIEWS; v++)
		if ((vs & (1u << v))) {
			int b = m_best(m, d, v, 0);
			if (b >= 0 && m->route[b].owner == caller)
				return 1;
		}
	return 0;
}

int m_enum_dests(m_table *m, int en, int cap, int *out, int *ended)
{
	m_enum *e = &m->en[en];
	int n = 0;
	*ended = 0;
	if (e->ended) {
		*ended = 1;
		return 0;
	}
	while (n < cap) {
		int pick = -1;
		for (int d = 0; d < M_DESTS; d++) {
			const m_dest *x = &m->dest[d];
			if (!x->used || !m_visible(m, d, e->views) || !in_position(e, &x->p))
				continue;
			if (e->started && m_key_cmp(&x->p, &e->last) <= 0)
				continue;
			if ((e->flags & 0x01000000u) && !owns_best(m, d, e->owner, e->views))
				continue;
			if (pick < 0 || m_key_cmp(&x->p, &m->dest[pick].p) < 0)
				pick = d;
		}
		if (pick < 0)
			break;
		out[n++] = pick;
		e->started = 1;
		e->last = m->dest[pick].p;
	}
	if (n < cap)
		*ended = e->ended = 1;
	return n;
}

int m_route_matches(const m_table *m, int r, uint32_t match, void *owner, void *neighbour, uint32_t pref,
		    uint32_t metric, int nnh, void *const *nh, uint32_t ifindex)
{
	const m_route *x = &m->route[r];
	if ((match & 1u) && m->ent[x->owner].real != owner)
		return 0;
	if (match & 2u) {
		void *nb = x->neighbour >= 0 ? m->nh[x->neighbour].real : NULL;
		if (nb != neighbour)
			return 0;
	}
	if ((match & 4u) && (x->pref != pref || x->metric != metric))
		return 0;
	if (match & 8u)
		for (int i = 0; i < nnh; i++) {
			int found = 0;
			for (int j = 0; j < x->nnh; j++)
				if (m->nh[x->nh[j]].real == nh[i])
					found = 1;
			if (!found)
				return 0;
		}
	if (match & 16u) {
		int found = 0;
		for (int j = 0; j < x->nnh; j++)
			if (m->nh[x->nh[j]].ifindex == ifindex)
				found = 1;
		if (!found)
			return 0;
	}
	return 1;
}

static int rkey_cmp(const m_rkey *a, const m_rkey *b)
{
	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	if (a->cls == 0) {
		if (a->pref != b->pref)
			return a->pref < b->pref ? -1 : 1;
		if (a->metric != b->metric)
			return a->metric < b->metric ? -1 : 1;
	}
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* the routes of d a route enumeration would give, in route order (0.12) */
static int enum_dest_routes(const m_table *m, const m_enum *e, int d, int *out, m_rkey *keys)
{
	int rs[M_ROUTES], n = m_dest_routes(m, d, rs), k = 0;
	for (int i = 0; i < n; i++) {
		const m_route *x = &m->route[rs[i]];
		if (e->views && !(x->views & e->views))
			continue;
		if ((e->flags & 0x00010000u) && x->owner != e->owner)
			continue;
		if (!m_route_matches(m, rs[i], e->match, e->c_owner, e->c_neighbour, e->c_pref, e->c_metric, e->c_nnh,
				     e->c_nh, e->c_ifindex))
			continue;
		keys[k] = (m_rkey){ d, 0, x->pref, x->metric, x->seq, 0 };
		out[k++] = rs[i];
	}
	if (!e->views) {
		/* hold-down routes, oldest hold first, once each */
		int hs[M_VIEWS], nh = 0;
		for (int v = 0; v < M_VIEWS; v++) {
			int h = m->dest[d].hold[v];
			if (h >= 0 && (nh == 0 || hs[0] != h))
				hs[nh++] = h;
		}
		if (nh == 2 && m->route[hs[0]].holdseq > m->route[hs[1]].holdseq) {
			int t = hs[0];
			hs[0] = hs[1];
			hs[1] = t;
		}
		for (int i = 0; i < nh; i++) {
			const m_route *x = &m->route[hs[i]];
			if ((e->flags & 0x00010000u) && x->owner != e->owner)
				continue;
			if (!m_route_matches(m, hs[i], e->match, e->c_owner, e->c_neighbour, e->c_pref, e->c_metric,
					     e->c_nnh, e->c_nh, e->c_ifindex))
				continue;
			keys[k] = (m_rkey){ d, 1, 0, 0, x->holdseq, 0 };
			out[k++] = hs[i];
		}
	}
	return k;
}

/* is a route of destination prefix dp with in-destination key k after the enumeration's position? */
static int after_pos(const m_enum *e, const m_prefix *dp, const m_rkey *k)
{
	if (!e->started)
		return 1;
	if (e->dest < 0) {
		int c = m_key_cmp(dp, &e->last);
		if (c)
			return c > 0;
	}
	return rkey_cmp(k, &e->lastr) > 0;
}

int m_enum_routes(m_table *m, int en, int cap, int *out, int *ended)
{
	m_enum *e = &m->en[en];
	int n = 0;
	*ended = 0;
	if (e->ended) {
		*ended = 1;
		return 0;
	}
	while (n < cap) {
		/* the destination with the smallest key that has a route after the position */
		int pick = -1;
		for (int d = 0; d < M_DESTS; d++) {
			const m_dest *x = &m->dest[d];
			if (!x->used || (e->dest >= 0 ? d != e->dest : !in_position(e, &x->p)))
				continue;
			if (pick >= 0 && m_key_cmp(&x->p, &m->dest[pick].p) >= 0)
				continue;
			int rs[M_ROUTES];
			m_rkey ks[M_ROUTES];
			int k = enum_dest_routes(m, e, d, rs, ks);
			for (int i = 0; i < k; i++)
				if (after_pos(e, &x->p, &ks[i])) {
					pick = d;
					break;
				}
		}
		if (pick < 0)
			break;
		int rs[M_ROUTES];
		m_rkey ks[M_ROUTES];
		int k = enum_dest_routes(m, e, pick, rs, ks);
		for (int i = 0; i < k && n < cap; i++) {
			if (!after_pos(e, &m->dest[pick].p, &ks[i]))
				continue;
			out[n++] = rs[i];
			e->started = 1;
			e->last = m->dest[pick].p;
			e->lastr = ks[i];
		}
	}
	if (n < cap)
		*ended = e->ended = 1;
	return n;
}

int m_enum_nhs(m_table *m, int en, int cap, int *out, int *ended)
{
	m_enum *e = &m->en[en];
	int n = 0;
	*ended = 0;
	if (e->ended) {
		*ended = 1;
		return 0;
	}
	while (n < cap) {
		int pick = -1;
		for (int i = 0; i < M_NHS; i++) {
			const m_nexthop *x = &m->nh[i];
			if (!x->used || x->deleted || x->owner != e->owner || !in_position(e, &x->addr))
				continue;
			if (e->started) {
				int c = m_key_cmp(&x->addr, &e->last);
				if (c < 0 || (c == 0 && x->ifindex <= e->last_if))
					continue;
			}
			if (pick < 0) {
				pick = i;
				continue;
			}
			int c = m_key_cmp(&x->addr, &m->nh[pick].addr);
			if (c < 0 || (c == 0 && x->ifindex < m->nh[pick].ifindex))
				pick = i;
		}
		if (pick < 0)
			break;
		out[n++] = pick;
		e->started = 1;
		e->last = m->nh[pick].addr;
		e->last_if = m->nh[pick].ifindex;
	}
	if (n < cap)
		*ended = e->ended = 1;
	return n;
}

/* the marker model of 4.3: members after the enumeration's marker, which then moves past them */
int m_enum_list(m_table *m, int en, int cap, int *out)
{
	m_enum *e = &m->en[en];
	if (e->list < 0)
		return 0;
	m_list *x = &m->list[e->list];
	int at = -1;
	for (int i = 0; i < x->n; i++)
		if (x->item[i] == -(en + 1))
			at = i;
	if (at < 0)
		return 0;
	int n = 0, i = at + 1;
	while (i < x->n && n < cap) {
		if (x->item[i] >= 0)
			out[n++] = x->item[i];
		i++;
	}
	/* move the marker to just before i */
	memmove(&x->item[at], &x->item[at + 1], (size_t)(i - at - 1) * sizeof(int));
	x->item[i - 1] = -(en + 1);
	return n;
}

/*
 * driver.c - the seeded random driver: one operation sequence on the model and on the API.
 *
 * Design.  The driver is a careful client: it knows, from the model, which handles are alive,
 * and keeps count of the references it holds (crefs in the model objects).  Each operation picks
 * its arguments at random, computes the expected outcome from the model, calls the API, and
 * compares everything the call returned.  Real handles are bound to model objects the first time
 * they are seen (a handle value must then stay the same for the object's whole life and belong to
 * no other living object).  At most one fault is injected per call (a foreign next hop, a
 * deleted route, NumBits past the family, a count above the profile's limit, a garbage handle,
 * a NULL pointer...), so that the documented error of that fault is the only right answer; a
 * failed call must change nothing, which the next audit checks.
 *
 * After every step the live-object counts of the statistics hook must equal the model's; every
 * check_every steps the whole table is audited (all destinations, all routes with their info,
 * every entity's next hops).  At the end everything the driver holds is released and every
 * entity deregistered; then the counts must equal what the model says survives (only INFINITE
 * hold-downs and what they hold; nothing at all when holds are off).
 */
#include "driver.h"
#include "model.h"

#include "../test_util.h"

#include <stdarg.h>

drv_stats drv_last;

#define SLOTS 4 /* protocol slots: entity i registers as protocol PROTO[i], instance i + 1 */
static const uint32_t PROTO[SLOTS] = { 100, 100, 200, 300 };
#define DI_STRIDE RTM_SIZE_OF_DEST_INFO(2)

typedef union {
	RTM_ROUTE_INFO info;
	char room[RTM_SIZE_OF_ROUTE_INFO(M_MAXNH + 2)];
} route_buf;
typedef union {
	RTM_DEST_INFO info;
	char room[RTM_SIZE_OF_DEST_INFO(2)];
} dest_buf;

typedef struct {
	m_table m;
	const drv_opts *o;
	/* randomness */
	uint64_t rs;
	const uint8_t *data;
	size_t size, pos;
	int exhausted;
	/* state */
	int slot[SLOTS]; /* model entity registered in the slot, or -1 */
	void *stale[32]; /* handles of freed objects and ended registrations */
	unsigned nstale;
	unsigned step, fail_step;
	int failed;
	int trace; /* RTM_MODEL_TRACE=1: model detail in the operation log */
	FILE *out;
	char *log;
	size_t loglen, logcap;
	char cur[256];
	unsigned counts0[7];
	unsigned char *dbuf; /* MaxHandlesInEnum destination infos */
} drv;

/* a second table (another instance), the source of foreign handles */
static struct {
	int up;
	RTM_ENTITY_HANDLE ent;
	RTM_NEXTHOP_HANDLE nh;
	RTM_ROUTE_HANDLE route;
	RTM_DEST_HANDLE dest;
} X;

static int stack_word;

/* ---- randomness ---------------------------------------------------------------------------------- */

static uint64_t next64(drv *D)
{
	uint64_t z = (D->rs += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* uniform in [0, n) */
static unsigned R(drv *D, unsigned n)
{
	if (n <= 1)
		return 0;
	if (D->data) {
		unsigned v = 0;
		for (unsigned span = n - 1; span; span >>= 8) {
			if (D->pos >= D->size) {
				D->exhausted = 1;
				return 0;
			}
			v = (v << 8) | D->data[D->pos++];
		}
		return v % n;
	}
	return (unsigned)(next64(D) % n);
}

static int P(drv *D, unsigned pct) { return R(D, 100) < pct; }

/* ---- reporting ----------------------------------------------------------------------------------- */

static void logf_(drv *D, const char *fmt, ...)
{
	if (!D->o->log)
		return;
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (D->loglen + (size_t)n + 16 > D->logcap) {
		size_t cap = D->logcap ? D->logcap * 2 : 65536;
		while (cap < D->loglen + (size_t)n + 16)
			cap *= 2;
		char *p = realloc(D->log, cap);
		if (!p)
			return;
		D->log = p;
		D->logcap = cap;
	}
	D->loglen += (size_t)sprintf(D->log + D->loglen, "%6u %s\n", D->step, line);
}

#define OP(...)                                                      \
	do {                                                         \
		snprintf(D->cur, sizeof(D->cur), __VA_ARGS__);       \
		logf_(D, "%s", D->cur);                              \
	} while (0)

static void fail(drv *D, const char *fmt, ...)
{
	drv_last.mismatches++;
	if (D->failed)
		return;
	D->failed = 1;
	D->fail_step = D->step;
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(D->out, "model mismatch at step %u (%s): %s\n", D->step, D->cur, msg);
}

#define EXPECT_RC(got, want)                                                                         \
	do {                                                                                         \
		DWORD g_ = (got), w_ = (want);                                                       \
		if (g_ != w_) {                                                                      \
			fail(D, "%s returned %lu, the model expects %lu", #got, (unsigned long)g_,   \
			     (unsigned long)w_);                                                     \
			return;                                                                      \
		}                                                                                    \
	} while (0)

#define EXPECT(cond, ...)                      \
	do {                                   \
		if (!(cond)) {                 \
			fail(D, __VA_ARGS__);  \
			return;                \
		}                              \
	} while (0)

/* ---- handles ------------------------------------------------------------------------------------- */

static int bound_elsewhere(drv *D, void *h, void *const *self)
{
	m_table *m = &D->m;
	/* is h the real handle of another model object of this kind? */
#define BOUND_IN(objs, count)                                                                  \
	for (int i = 0; i < (count); i++)                                                      \
		if (m->objs[i].used && m->objs[i].real == h && &m->objs[i].real != self)       \
			return 1;
	BOUND_IN(ent, M_ENTS)
	BOUND_IN(nh, M_NHS)
	BOUND_IN(dest, M_DESTS)
	BOUND_IN(route, M_ROUTES)
	BOUND_IN(notify, M_NOTIFY)
	BOUND_IN(list, M_LISTS)
	BOUND_IN(en, M_ENUMS)
#undef BOUND_IN
	return 0;
}

/* why the model keeps dest d, for messages */
static const char *why_dest(drv *D, int d)
{
	static char buf[160];
	m_table *m = &D->m;
	int routes = 0, nhs = 0, notes = 0, enums = 0, opq = 0;
	for (int i = 0; i < M_ROUTES; i++)
		routes += m->route[i].used && m->route[i].dest == d;
	for (int i = 0; i < M_NHS; i++)
		nhs += m->nh[i].used && m->nh[i].remote == d;
	for (int i = 0; i < M_NOTIFY; i++) {
		if (!m->notify[i].used)
			continue;
		notes += m->notify[i].marked[d];
		for (int j = 0; j < m->notify[i].npending; j++)
			notes += m->notify[i].pending[j] == d;
	}
	for (int i = 0; i < M_ENUMS; i++)
		enums += m->en[i].used && m->en[i].kind == ME_ROUTE && m->en[i].dest == d;
	for (int i = 0; i < M_ENTS; i++)
		opq += m->dest[d].opaque[i] != 0;
	snprintf(buf, sizeof(buf), "crefs %d routes %d remote-of %d notify %d enums %d opaque %d hold %d %d",
		 m->dest[d].crefs, routes, nhs, notes, enums, opq, m->dest[d].hold[0], m->dest[d].hold[1]);
	return buf;
}

/* which model object a handle is bound to, for messages */
static const char *who(drv *D, void *h)
{
	static char buf[64];
	m_table *m = &D->m;
	for (int i = 0; i < M_ROUTES; i++)
		if (m->route[i].used && m->route[i].real == h) {
			snprintf(buf, sizeof(buf), "route %d (dest %d, %s)", i, m->route[i].dest,
				 m->route[i].live ? "live" : m->route[i].held_views ? "held" : "deleted");
			return buf;
		}
	for (int i = 0; i < M_NHS; i++)
		if (m->nh[i].used && m->nh[i].real == h) {
			snprintf(buf, sizeof(buf), "next hop %d", i);
			return buf;
		}
	for (int i = 0; i < M_DESTS; i++)
		if (m->dest[i].used && m->dest[i].real == h) {
			snprintf(buf, sizeof(buf), "dest %d", i);
			return buf;
		}
	for (int i = 0; i < M_ENTS; i++)
		if (m->ent[i].used && m->ent[i].real == h) {
			snprintf(buf, sizeof(buf), "entity %d", i);
			return buf;
		}
	return "unknown";
}

/* a handle the API gave for a model object: bind it the first time, then it must not change */
static int hbind(drv *D, void **slot, void *h, const char *what)
{
	if (!h) {
		fail(D, "%s: NULL handle where the model has an object", what);
		return 0;
	}
	if (*slot == h)
		return 1;
	if (*slot) {
		char mine[64];
		snprintf(mine, sizeof(mine), "%s", who(D, *slot));
		fail(D, "%s: handle %p (%s), the model expects %p (%s)", what, h, who(D, h), *slot, mine);
		return 0;
	}
	if (bound_elsewhere(D, h, slot)) {
		fail(D, "%s: handle %p already belongs to another living object", what, h);
		return 0;
	}
	*slot = h;
	return 1;
}

#define CMP_H(arr, id, h, what)                                                                     \
	((id) < 0 ? ((h) == NULL ? 1 : (fail(D, "%s: handle %p where the model has none", what, (void *)(h)), 0)) \
		  : hbind(D, &D->m.arr[id].real, (void *)(h), what))

static void remember_stale(drv *D, void *h)
{
	if (h)
		D->stale[D->nstale++ % 32] = h;
}

/* a freed object's handle that no living object has (NULL if none) */
static void *stale_handle(drv *D)
{
	unsigned n = D->nstale < 32 ? D->nstale : 32;
	if (!n)
		return NULL;
	void *h = D->stale[R(D, n)];
	return bound_elsewhere(D, h, NULL) ? NULL : h;
}

static void *garbage(drv *D)
{
	switch (R(D, 5)) {
	case 0:
		return (void *)(uintptr_t)0x1234;
	case 1:
		return (void *)~(uintptr_t)0;
	case 2:
		return &stack_word;
	case 3:
		if (X.up)
			return R(D, 2) ? (void *)X.route : (void *)X.nh; /* another table's */
		return (void *)(uintptr_t)0x80000000u;
	default: {
		void *s = stale_handle(D);
		return s ? s : (void *)(uintptr_t)0x00010001u;
	}
	}
}

/* ---- addresses ----------------------------------------------------------------------------------- */

static const struct {
	uint8_t a, b, c, d, len;
} POOL[] = {
	{ 0, 0, 0, 0, 0 },     { 10, 0, 0, 0, 8 },     { 10, 0, 0, 0, 16 },     { 10, 1, 0, 0, 16 },
	{ 10, 0, 0, 0, 24 },   { 10, 0, 1, 0, 24 },    { 10, 1, 2, 0, 24 },     { 10, 1, 2, 3, 32 },
	{ 10, 1, 2, 128, 25 }, { 10, 128, 0, 0, 9 },   { 11, 0, 0, 0, 8 },      { 192, 168, 0, 0, 16 },
	{ 192, 168, 1, 0, 24 }, { 128, 0, 0, 0, 1 },   { 0, 0, 0, 0, 1 },       { 10, 1, 2, 0, 32 },
	{ 10, 255, 255, 255, 32 }, { 10, 1, 0, 0, 17 }, { 172, 16, 0, 0, 12 },  { 255, 255, 255, 255, 32 },
};
#define NPOOL (sizeof(POOL) / sizeof(POOL[0]))

static const struct {
	uint8_t a, b, c, d, len;
} NHPOOL[] = {
	{ 10, 0, 0, 1, 32 }, { 10, 0, 0, 2, 32 }, { 10, 1, 0, 1, 32 }, { 192, 168, 1, 1, 32 }, { 10, 0, 0, 0, 24 },
};
#define NNHPOOL (sizeof(NHPOOL) / sizeof(NHPOOL[0]))

/* the model prefix of pool entry (a.b.c.d/len); IPv6 tables put it behind 2001:db8::/32 */
static m_prefix pool_prefix(drv *D, uint8_t a, uint8_t b, uint8_t c, uint8_t d, unsigned len)
{
	m_prefix p;
	memset(&p, 0, sizeof(p));
	if (D->m.width == 32) {
		p.b[0] = a, p.b[1] = b, p.b[2] = c, p.b[3] = d;
		p.len = (uint16_t)len;
	} else {
		p.b[0] = 0x20, p.b[1] = 0x01, p.b[2] = 0x0d, p.b[3] = 0xb8;
		p.b[4] = a, p.b[5] = b, p.b[6] = c, p.b[7] = d;
		p.len = (uint16_t)(len == 0 ? 0 : len == 32 && a == 10 && d == 3 ? 128 : len + 32);
		if (len == 1)
			p.len = 1, p.b[0] = a ? 0x80 : 0; /* the halves of the space */
	}
	m_canon(&p, D->m.width);
	return p;
}

/* the API form of p, with noise the API must ignore: host bits past NumBits, any family */
static void net_of(drv *D, const m_prefix *p, RTM_NET_ADDRESS *n, int noisy)
{
	memset(n, 0, sizeof(*n));
	n->AddressFamily = D->m.family;
	n->NumBits = p->len;
	memcpy(n->AddrBits, p->b, D->m.width / 8);
	if (noisy && P(D, 30)) {
		int bytes = D->m.width / 8;
		for (int i = p->len / 8; i < bytes; i++) {
			uint8_t keep = i * 8 < p->len ? (uint8_t)(0xFF00u >> (p->len - i * 8)) : 0;
			n->AddrBits[i] = (uint8_t)((n->AddrBits[i] & keep) | ((uint8_t)R(D, 256) & (uint8_t)~keep));
		}
	}
	if (noisy && P(D, 20))
		n->AddressFamily = (USHORT)(R(D, 2) ? 0 : (D->m.family == AF_INET ? AF_INET6 : AF_INET));
}

static m_prefix rnd_prefix(drv *D)
{
	unsigned i = R(D, NPOOL);
	return pool_prefix(D, POOL[i].a, POOL[i].b, POOL[i].c, POOL[i].d, POOL[i].len);
}

/* a host address somewhere under a pool prefix, for longest-match lookups */
static m_prefix rnd_host(drv *D)
{
	m_prefix p = rnd_prefix(D);
	int bytes = D->m.width / 8;
	for (int i = 0; i < bytes; i++) {
		uint8_t keep = i * 8 < p.len ? (i * 8 + 8 <= p.len ? 0xFF : (uint8_t)(0xFF00u >> (p.len - i * 8))) : 0;
		p.b[i] = (uint8_t)((p.b[i] & keep) | ((uint8_t)(R(D, 4) == 0 ? R(D, 256) : 0) & (uint8_t)~keep));
	}
	p.len = (uint16_t)(P(D, 70) ? (unsigned)D->m.width : p.len + R(D, (unsigned)(D->m.width - p.len + 1)));
	m_canon(&p, D->m.width);
	return p;
}

static int cmp_net(drv *D, const RTM_NET_ADDRESS *n, const m_prefix *p, const char *what)
{
	m_prefix got;
	memset(&got, 0, sizeof(got));
	if (n->AddressFamily != D->m.family) {
		fail(D, "%s: family %u, the table's is %u", what, n->AddressFamily, D->m.family);
		return 0;
	}
	got.len = n->NumBits;
	memcpy(got.b, n->AddrBits, 16);
	if (!m_prefix_eq(&got, p)) {
		fail(D, "%s: prefix /%u differs from the model's /%u (or is not canonical)", what, n->NumBits, p->len);
		return 0;
	}
	return 1;
}

/* ---- picking model objects ----------------------------------------------------------------------- */

/* a registered entity (-1 if none) */
static int pick_reg(drv *D)
{
	int c[SLOTS], n = 0;
	for (int s = 0; s < SLOTS; s++)
		if (D->slot[s] >= 0)
			c[n++] = D->slot[s];
	return n ? c[R(D, (unsigned)n)] : -1;
}

#define PICK(arr, N, cond)                                         \
	do {                                                       \
		int c_[N], n_ = 0;                                 \
		for (int i = 0; i < (N); i++)                      \
			if (D->m.arr[i].used && (cond))            \
				c_[n_++] = i;                      \
		return n_ ? c_[R(D, (unsigned)n_)] : -1;           \
	} while (0)

/* bound (handle known) objects */
static int pick_nh(drv *D, int owner, int want_live)
{
	PICK(nh, M_NHS, D->m.nh[i].real && (owner < 0 || D->m.nh[i].owner == owner) &&
				(want_live < 0 || want_live == !D->m.nh[i].deleted));
}
static int pick_nh_other(drv *D, int not_owner) { PICK(nh, M_NHS, D->m.nh[i].real && D->m.nh[i].owner != not_owner && !D->m.nh[i].deleted); }
static int pick_route(drv *D, int owner, int want_live)
{
	PICK(route, M_ROUTES, D->m.route[i].real && (owner < 0 || D->m.route[i].owner == owner) &&
				      (want_live < 0 || want_live == D->m.route[i].live));
}
static int pick_route_other(drv *D, int not_owner) { PICK(route, M_ROUTES, D->m.route[i].real && D->m.route[i].owner != not_owner && D->m.route[i].live); }
static int pick_route_held(drv *D) { PICK(route, M_ROUTES, D->m.route[i].real && D->m.route[i].crefs > 0); }
static int pick_nh_held(drv *D) { PICK(nh, M_NHS, D->m.nh[i].real && D->m.nh[i].crefs > 0); }
/*
 * a destination whose handle is usable without a reference of the driver's own: something
 * references it (a route, a hold, a pending entry, a mark, a next hop, an enumeration).  One kept
 * only by a non-NULL opaque pointer stays the same object (a new route reuses it, README
 * resolution 1), but nothing references it: its handle is stale to a client that holds none
 * (functions-2 0.10), and the API refuses it.
 */
static int dest_referenced(drv *D, int d)
{
	m_table *m = &D->m;
	if (m->dest[d].crefs > 0 || m_in_table(m, d))
		return 1;
	for (int i = 0; i < M_ROUTES; i++)
		if (m->route[i].used && m->route[i].dest == d)
			return 1;
	for (int i = 0; i < M_NHS; i++)
		if (m->nh[i].used && m->nh[i].remote == d)
			return 1;
	for (int i = 0; i < M_NOTIFY; i++) {
		if (!m->notify[i].used)
			continue;
		if (m->notify[i].marked[d])
			return 1;
		for (int j = 0; j < m->notify[i].npending; j++)
			if (m->notify[i].pending[j] == d)
				return 1;
	}
	for (int i = 0; i < M_ENUMS; i++)
		if (m->en[i].used && m->en[i].kind == ME_ROUTE && m->en[i].dest == d)
			return 1;
	return 0;
}
static int pick_dest(drv *D) { PICK(dest, M_DESTS, D->m.dest[i].real != NULL && dest_referenced(D, i)); }
static int pick_dest_held(drv *D) { PICK(dest, M_DESTS, D->m.dest[i].real && D->m.dest[i].crefs > 0); }
static int pick_ent_held(drv *D) { PICK(ent, M_ENTS, D->m.ent[i].real && D->m.ent[i].crefs > 0); }
static int pick_ent(drv *D) { PICK(ent, M_ENTS, D->m.ent[i].real != NULL); }
static int pick_notify(drv *D, int owner) { PICK(notify, M_NOTIFY, D->m.notify[i].owner == owner); }
static int pick_list(drv *D, int owner) { PICK(list, M_LISTS, D->m.list[i].owner == owner); }
static int pick_enum(drv *D, int owner) { PICK(en, M_ENUMS, D->m.en[i].owner == owner); }

static int count_owned_lists(drv *D, int e)
{
	int n = 0;
	for (int i = 0; i < M_LISTS; i++)
		n += D->m.list[i].used && D->m.list[i].owner == e;
	return n;
}

static uint32_t rnd_views(drv *D)
{
	static const uint32_t v[] = { 1, 2, 3, 0, 1, 3, 0xFFFFFFFFu, 5, 4 };
	return v[R(D, sizeof(v) / sizeof(v[0]))];
}

static uint32_t rnd_protocol(drv *D)
{
	static const uint32_t v[] = { 0, 0, 0, 0xFFFFFFFFu, 100, 200, 300, 999 };
	return v[R(D, sizeof(v) / sizeof(v[0]))];
}

/* views as an enumeration or registration takes them: ERROR_NOT_SUPPORTED past the supported ones */
static DWORD enum_views(uint32_t t, uint32_t *eff)
{
	if (t == 0xFFFFFFFFu) {
		*eff = M_VIEWMASK;
		return NO_ERROR;
	}
	if (t & ~M_VIEWMASK)
		return ERROR_NOT_SUPPORTED;
	*eff = t;
	return NO_ERROR;
}

/* ---- comparing info structures -------------------------------------------------------------------- */

/* *di against dest d with k views of mask views (masked; 0 = none) and protocol selector proto */
static int check_dest_info(drv *D, const RTM_DEST_INFO *di, int d, uint32_t views, uint32_t proto, int caller,
			   const char *what)
{
	m_table *m = &D->m;
	char w[96];
	if (!CMP_H(dest, d, di->DestHandle, what))
		return 0;
	if (!cmp_net(D, &di->DestAddress, &m->dest[d].p, what))
		return 0;
	if (di->BelongsToViews != m_belongs(m, d)) {
		fail(D, "%s: BelongsToViews %#lx, model %#lx", what, (unsigned long)di->BelongsToViews,
		     (unsigned long)m_belongs(m, d));
		return 0;
	}
	unsigned k = 0;
	uint32_t p = m_proto_of(m, proto, caller);
	for (int v = 0; v < M_VIEWS; v++) {
		if (!(views & (1u << v)))
			continue;
		snprintf(w, sizeof(w), "%s view %d", what, v);
		if (k >= di->NumberOfViews) {
			fail(D, "%s: NumberOfViews %u, too few", what, di->NumberOfViews);
			return 0;
		}
		const typeof(di->ViewInfo[0]) *vi = &di->ViewInfo[k++];
		int best = m_best(m, d, v, p);
		if (vi->ViewId != (RTM_VIEW_ID)v || vi->NumRoutes != (UINT)m_num_routes(m, d, v)) {
			fail(D, "%s: ViewId %d NumRoutes %u, model %d %d", w, (int)vi->ViewId, vi->NumRoutes, v,
			     m_num_routes(m, d, v));
			return 0;
		}
		if (!CMP_H(route, best, vi->Route, w) || !CMP_H(ent, best >= 0 ? m->route[best].owner : -1, vi->Owner, w) ||
		    !CMP_H(route, m->dest[d].hold[v], vi->HoldRoute, w))
			return 0;
		DWORD flags = best >= 0 ? m->route[best].flags : 0;
		if (vi->DestFlags != flags) {
			fail(D, "%s: DestFlags %#lx, model %#lx", w, (unsigned long)vi->DestFlags, (unsigned long)flags);
			return 0;
		}
	}
	if (di->NumberOfViews != k) {
		fail(D, "%s: NumberOfViews %u, model %u", what, di->NumberOfViews, k);
		return 0;
	}
	return 1;
}

static int check_route_info(drv *D, const RTM_ROUTE_INFO *ri, int r, const char *what)
{
	m_table *m = &D->m;
	const m_route *x = &m->route[r];
	if (!CMP_H(dest, x->dest, ri->DestHandle, what) || !CMP_H(ent, x->owner, ri->RouteOwner, what) ||
	    !CMP_H(nh, x->neighbour, ri->Neighbour, what))
		return 0;
	UCHAR state = x->live ? RTM_ROUTE_STATE_CREATED : RTM_ROUTE_STATE_DELETED;
	if (ri->State != state || ri->Flags1 != x->flags1 || ri->Flags != x->flags ||
	    ri->PrefInfo.Preference != x->pref || ri->PrefInfo.Metric != x->metric || ri->BelongsToViews != x->views ||
	    (uintptr_t)ri->EntitySpecificInfo != x->esi || ri->NextHopsList.NumNextHops != x->nnh) {
		fail(D, "%s: state %u flags1 %u flags %#x pref %lu metric %lu views %#lx esi %p nnh %u; model %u %u %#x %lu %lu "
			"%#lx %p %d",
		     what, ri->State, ri->Flags1, ri->Flags, (unsigned long)ri->PrefInfo.Preference,
		     (unsigned long)ri->PrefInfo.Metric, (unsigned long)ri->BelongsToViews, ri->EntitySpecificInfo,
		     ri->NextHopsList.NumNextHops, state, x->flags1, x->flags, (unsigned long)x->pref,
		     (unsigned long)x->metric, (unsigned long)x->views, (void *)x->esi, x->nnh);
		return 0;
	}
	for (int i = 0; i < x->nnh; i++)
		if (!CMP_H(nh, x->nh[i], ri->NextHopsList.NextHops[i], what))
			return 0;
	return 1;
}

static int check_nh_info(drv *D, const RTM_NEXTHOP_INFO *ni, int n, const char *what)
{
	const m_nexthop *x = &D->m.nh[n];
	if (!cmp_net(D, &ni->NextHopAddress, &x->addr, what) || !CMP_H(ent, x->owner, ni->NextHopOwner, what) ||
	    !CMP_H(dest, x->remote, ni->RemoteNextHop, what))
		return 0;
	USHORT state = x->deleted ? RTM_NEXTHOP_STATE_DELETED : RTM_NEXTHOP_STATE_CREATED;
	if (ni->InterfaceIndex != x->ifindex || ni->State != state || ni->Flags != x->flags ||
	    (uintptr_t)ni->EntitySpecificInfo != x->esi) {
		fail(D, "%s: if %lu state %u flags %#x esi %p; model %lu %u %#x %p", what,
		     (unsigned long)ni->InterfaceIndex, ni->State, ni->Flags, ni->EntitySpecificInfo,
		     (unsigned long)x->ifindex, state, x->flags, (void *)x->esi);
		return 0;
	}
	return 1;
}

/* ---- the effect of an add/update, shared by RtmAddRouteToDest and the in-place commit ----------- */

typedef struct {
	int neighbour, nnh, nh[M_MAXNH];
	uint8_t flags1;
	uint16_t flags;
	uint32_t pref, metric, views;
	uintptr_t esi;
} route_vals;

/* applies v to route r (created when r < 0, on dest d); returns the route, *chg the change flags */
static int model_set_route(drv *D, int e, int r, int d, const route_vals *v, int list, DWORD *chg)
{
	m_table *m = &D->m;
	m_snap before, after;
	uint32_t types[M_VIEWS];
	int created = r < 0;
	if (created) {
		r = m_new_route(m);
		if (r < 0)
			return -1;
		m_route *x = &m->route[r];
		x->dest = d;
		x->owner = e;
		x->live = 1;
		x->seq = ++m->seq;
		x->list = -1;
	}
	d = m->route[r].dest;
	/* the snapshot before: a new route is not there yet */
	m->route[r].live = !created;
	m_snap_take(m, d, &before);
	int best_before[M_VIEWS];
	for (int w = 0; w < M_VIEWS; w++)
		best_before[w] = m_best(m, d, w, 0);
	m_route *x = &m->route[r];
	x->live = 1;
	x->neighbour = v->neighbour;
	x->nnh = v->nnh;
	memcpy(x->nh, v->nh, sizeof(x->nh));
	x->flags1 = v->flags1;
	x->flags = v->flags;
	x->pref = v->pref;
	x->metric = v->metric;
	x->views = v->views & M_VIEWMASK;
	x->esi = v->esi;
	if (list >= 0)
		m_list_append(m, list, r);
	m_snap_take(m, d, &after);
	m_classify(&before, &after, types);
	if (D->trace)
		logf_(D, "   set route %d on dest %d: types %#x %#x", r, d, types[0], types[1]);
	m_record(m, d, types);
	DWORD c = created ? RTM_ROUTE_CHANGE_NEW : 0;
	for (int w = 0; w < M_VIEWS; w++) {
		int b = m_best(m, d, w, 0);
		if (b != best_before[w] || b == r || best_before[w] == r)
			c |= RTM_ROUTE_CHANGE_BEST;
	}
	*chg = c;
	return r;
}

/* ---- operations ---------------------------------------------------------------------------------- */

static void op_register(drv *D)
{
	unsigned s = R(D, SLOTS);
	RTM_ENTITY_INFO info;
	RTM_REGN_PROFILE prof;
	RTM_ENTITY_HANDLE h = (RTM_ENTITY_HANDLE)0x77;
	memset(&info, 0, sizeof(info));
	info.RtmInstanceId = D->o->instance;
	info.AddressFamily = D->m.family;
	info.EntityId.EntityProtocolId = PROTO[s];
	info.EntityId.EntityInstanceId = s + 1;
	int reserve = P(D, 50);
	OP("register slot %u (protocol %lu, opaque %d)%s", s, (unsigned long)PROTO[s], reserve,
	   D->slot[s] >= 0 ? " again" : "");
	memset(&prof, 0xcc, sizeof(prof));
	DWORD err = RtmRegisterEntity(&info, NULL, NULL, reserve, &prof, &h);
	if (D->slot[s] >= 0) {
		EXPECT_RC(err, ERROR_ALREADY_EXISTS);
		EXPECT(h == (RTM_ENTITY_HANDLE)0x77 && prof.NumberOfViews == 0xcccccccc, "output written on failure");
		return;
	}
	EXPECT_RC(err, NO_ERROR);
	EXPECT(prof.MaxNextHopsInRoute == 8 && prof.MaxHandlesInEnum == 100 && prof.ViewsSupported == 3 &&
		       prof.NumberOfViews == 2,
	       "profile %lu %lu %#lx %lu", (unsigned long)prof.MaxNextHopsInRoute,
	       (unsigned long)prof.MaxHandlesInEnum, (unsigned long)prof.ViewsSupported,
	       (unsigned long)prof.NumberOfViews);
	int e = m_new_entity(&D->m);
	EXPECT(e >= 0, "model full (entities)");
	m_entity *x = &D->m.ent[e];
	x->registered = 1;
	x->slot = (int)s;
	x->proto = PROTO[s];
	x->inst = s + 1;
	x->reserved_opaque = reserve;
	x->regseq = ++D->m.regseq;
	D->slot[s] = e;
	hbind(D, &x->real, h, "registration");
}

/* releases one client reference of the driver's (any kind) through entity via */
static void release_one(drv *D, int via, int kind, int id)
{
	m_table *m = &D->m;
	RTM_ENTITY_HANDLE r = m->ent[via].real;
	DWORD err;
	switch (kind) {
	case 0:
		err = RtmReleaseRoutes(r, 1, (RTM_ROUTE_HANDLE *)&m->route[id].real);
		EXPECT(err == NO_ERROR, "releasing a reference of kind %d object %d (%s): %lu", kind, id, kind == 2 ? why_dest(D, id) : kind == 3 && D->m.ent[id].registered ? "registered" : kind == 3 && id == via ? "caller" : kind == 3 ? (snprintf(D->cur, sizeof(D->cur), "slot %d regseq %u crefs %d", D->m.ent[id].slot, D->m.ent[id].regseq, D->m.ent[id].crefs), D->cur) : "", (unsigned long)err);
		m->route[id].crefs--;
		break;
	case 1:
		err = RtmReleaseNextHops(r, 1, (RTM_NEXTHOP_HANDLE *)&m->nh[id].real);
		EXPECT(err == NO_ERROR, "releasing a reference of kind %d object %d (%s): %lu", kind, id, kind == 2 ? why_dest(D, id) : kind == 3 && D->m.ent[id].registered ? "registered" : kind == 3 && id == via ? "caller" : kind == 3 ? (snprintf(D->cur, sizeof(D->cur), "slot %d regseq %u crefs %d", D->m.ent[id].slot, D->m.ent[id].regseq, D->m.ent[id].crefs), D->cur) : "", (unsigned long)err);
		m->nh[id].crefs--;
		break;
	case 2:
		err = test_release_dest_handle(r, m->dest[id].real);
		EXPECT(err == NO_ERROR, "releasing a reference of kind %d object %d (%s): %lu", kind, id, kind == 2 ? why_dest(D, id) : kind == 3 && D->m.ent[id].registered ? "registered" : kind == 3 && id == via ? "caller" : kind == 3 ? (snprintf(D->cur, sizeof(D->cur), "slot %d regseq %u crefs %d", D->m.ent[id].slot, D->m.ent[id].regseq, D->m.ent[id].crefs), D->cur) : "", (unsigned long)err);
		m->dest[id].crefs--;
		break;
	default:
		err = RtmReleaseEntities(r, 1, (RTM_ENTITY_HANDLE *)&m->ent[id].real);
		EXPECT(err == NO_ERROR, "releasing a reference of kind %d object %d (%s): %lu", kind, id, kind == 2 ? why_dest(D, id) : kind == 3 && D->m.ent[id].registered ? "registered" : kind == 3 && id == via ? "caller" : kind == 3 ? (snprintf(D->cur, sizeof(D->cur), "slot %d regseq %u crefs %d", D->m.ent[id].slot, D->m.ent[id].regseq, D->m.ent[id].crefs), D->cur) : "", (unsigned long)err);
		m->ent[id].crefs--;
		break;
	}
}

static void release_all(drv *D, int via)
{
	m_table *m = &D->m;
	for (int i = 0; i < M_ROUTES && !D->failed; i++)
		while (m->route[i].used && m->route[i].crefs > 0 && !D->failed)
			release_one(D, via, 0, i);
	for (int i = 0; i < M_NHS && !D->failed; i++)
		while (m->nh[i].used && m->nh[i].crefs > 0 && !D->failed)
			release_one(D, via, 1, i);
	for (int i = 0; i < M_DESTS && !D->failed; i++)
		while (m->dest[i].used && m->dest[i].crefs > 0 && !D->failed)
			release_one(D, via, 2, i);
	for (int i = 0; i < M_ENTS && !D->failed; i++)
		while (m->ent[i].used && m->ent[i].crefs > 0 && !D->failed)
			release_one(D, via, 3, i);
}

static int registered_count(drv *D)
{
	int n = 0;
	for (int s = 0; s < SLOTS; s++)
		n += D->slot[s] >= 0;
	return n;
}

static void deregister(drv *D, int e)
{
	/* the last registration: give back what the driver holds while a handle can still do it */
	if (registered_count(D) == 1)
		release_all(D, e);
	if (D->failed)
		return;
	void *h = D->m.ent[e].real;
	EXPECT_RC(RtmDeregisterEntity(h), NO_ERROR);
	D->slot[D->m.ent[e].slot] = -1;
	m_deregister(&D->m, e);
	remember_stale(D, h);
}

static void op_deregister(drv *D)
{
	int e = pick_reg(D);
	if (e < 0) {
		void *h = stale_handle(D);
		OP("deregister a stale handle %p", h);
		if (h)
			EXPECT_RC(RtmDeregisterEntity(h), ERROR_INVALID_HANDLE);
		return;
	}
	OP("deregister slot %d", D->m.ent[e].slot);
	deregister(D, e);
}

static void op_entities(drv *D)
{
	int e = pick_reg(D);
	if (e < 0)
		return;
	m_table *m = &D->m;
	int order[SLOTS], N = 0;
	for (int i = 0; i < M_ENTS; i++)
		if (m->ent[i].used && m->ent[i].registered)
			order[N++] = i;
	for (int i = 1; i < N; i++)
		for (int j = i; j > 0 && m->ent[order[j - 1]].regseq > m->ent[order[j]].regseq; j--) {
			int t = order[j];
			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	UINT cap = R(D, 4) ? (UINT)R(D, (unsigned)N + 3) : 0;
	int want_h = P(D, 80), want_i = P(D, 60);
	RTM_ENTITY_HANDLE hs[8];
	RTM_ENTITY_INFO is[8];
	OP("entities via slot %d cap %u%s%s", m->ent[e].slot, cap, want_h ? " handles" : "", want_i ? " infos" : "");
	UINT n = cap;
	DWORD err = RtmGetRegisteredEntities(m->ent[e].real, &n, want_h ? hs : NULL, want_i ? is : NULL);
	if (cap == 0) {
		EXPECT_RC(err, ERROR_INSUFFICIENT_BUFFER);
		EXPECT(n == (UINT)N, "size query gave %u, model %d", n, N);
		return;
	}
	EXPECT_RC(err, cap < (UINT)N ? ERROR_INSUFFICIENT_BUFFER : NO_ERROR);
	UINT want = cap < (UINT)N ? cap : (UINT)N;
	EXPECT(n == want, "count %u, model %u", n, want);
	for (UINT i = 0; i < n; i++) {
		const m_entity *x = &m->ent[order[i]];
		if (want_h && !CMP_H(ent, order[i], hs[i], "entity handle"))
			return;
		if (want_i)
			EXPECT(is[i].RtmInstanceId == D->o->instance && is[i].AddressFamily == m->family &&
				       is[i].EntityId.EntityProtocolId == x->proto &&
				       is[i].EntityId.EntityInstanceId == x->inst,
			       "entity info %u differs", i);
	}
	if (want_h)
		EXPECT_RC(RtmReleaseEntities(m->ent[e].real, n, hs), NO_ERROR);
}

static void op_entity_info(drv *D)
{
	int e = pick_reg(D), t = pick_ent(D);
	if (e < 0 || t < 0)
		return;
	m_table *m = &D->m;
	RTM_ENTITY_INFO ei;
	memset(&ei, 0xcc, sizeof(ei));
	OP("entity info of entity %d via slot %d", t, m->ent[e].slot);
	DWORD err = RtmGetEntityInfo(m->ent[e].real, m->ent[t].real, &ei);
	if (!m->ent[t].registered) {
		EXPECT_RC(err, ERROR_INVALID_HANDLE);
		return;
	}
	EXPECT_RC(err, NO_ERROR);
	EXPECT(ei.RtmInstanceId == D->o->instance && ei.AddressFamily == m->family &&
		       ei.EntityId.EntityProtocolId == m->ent[t].proto && ei.EntityId.EntityInstanceId == m->ent[t].inst,
	       "entity info differs");
	EXPECT_RC(RtmReleaseEntityInfo(m->ent[e].real, &ei), NO_ERROR);
}

/* ---- next hops ----------------------------------------------------------------------------------- */

static void rnd_nh_identity(drv *D, m_prefix *p, ULONG *ifindex)
{
	unsigned i = R(D, NNHPOOL);
	*p = pool_prefix(D, NHPOOL[i].a, NHPOOL[i].b, NHPOOL[i].c, NHPOOL[i].d, NHPOOL[i].len);
	if (D->m.width == 128 && NHPOOL[i].len == 32)
		p->len = 128;
	*ifindex = 1 + R(D, 2);
}

static int find_nh(drv *D, int owner, const m_prefix *p, ULONG ifindex)
{
	for (int i = 0; i < M_NHS; i++) {
		const m_nexthop *x = &D->m.nh[i];
		if (x->used && !x->deleted && x->owner == owner && x->ifindex == ifindex && m_prefix_eq(&x->addr, p))
			return i;
	}
	return -1;
}

static void op_add_nh(drv *D)
{
	int e = pick_reg(D);
	if (e < 0)
		return;
	m_table *m = &D->m;
	m_prefix p;
	ULONG ifindex;
	rnd_nh_identity(D, &p, &ifindex);
	RTM_NEXTHOP_INFO in;
	memset(&in, 0, sizeof(in));
	net_of(D, &p, &in.NextHopAddress, 1);
	in.InterfaceIndex = ifindex;
	in.Flags = (USHORT)(P(D, 30) ? RTM_NEXTHOP_FLAGS_REMOTE : 0);
	in.EntitySpecificInfo = (PVOID)(uintptr_t)(0x1000 + R(D, 8));
	int remote = P(D, 50) ? pick_dest(D) : -1;
	in.RemoteNextHop = remote >= 0 ? m->dest[remote].real : NULL;
	in.NextHopOwner = garbage(D); /* ignored */
	in.State = 7;                 /* ignored */
	unsigned form = R(D, 3);
	int target = -1, fault = P(D, 12) ? (int)R(D, 3) : -1;
	RTM_NEXTHOP_HANDLE h = NULL;
	DWORD want = NO_ERROR;
	if (form == 2) {
		target = R(D, 4) ? pick_nh(D, e, -1) : pick_nh_other(D, e);
		if (target < 0)
			form = 1;
		else {
			h = m->nh[target].real;
			if (m->nh[target].owner != e)
				want = ERROR_ACCESS_DENIED;
			else if (m->nh[target].deleted)
				want = ERROR_INVALID_HANDLE;
		}
	}
	if (want == NO_ERROR && fault == 0 && form != 2) {
		in.NextHopAddress.NumBits = (USHORT)(D->m.width + 1 + R(D, 3));
		want = ERROR_INVALID_PARAMETER;
	} else if (want == NO_ERROR && fault == 1 && (in.Flags & RTM_NEXTHOP_FLAGS_REMOTE)) {
		in.RemoteNextHop = garbage(D);
		want = ERROR_INVALID_HANDLE;
	} else if (want == NO_ERROR && fault == 2) {
		want = ERROR_INVALID_PARAMETER;
	}
	DWORD cf = 0x77;
	int want_cf = P(D, 70);
	OP("add next hop slot %d /%u if %lu flags %u remote %d form %u target %d fault %d", m->ent[e].slot, p.len,
	   (unsigned long)ifindex, in.Flags, remote, form, target, fault);
	DWORD err = RtmAddNextHop(m->ent[e].real, fault == 2 && want == ERROR_INVALID_PARAMETER ? NULL : &in,
				  form == 0 ? NULL : &h, want_cf ? &cf : NULL);
	EXPECT_RC(err, want);
	if (want != NO_ERROR) {
		EXPECT(cf == 0x77, "change flags written on failure");
		EXPECT(form == 2 ? h == m->nh[target].real : h == NULL, "handle written on failure");
		return;
	}
	int n = form == 2 ? target : find_nh(D, e, &p, ifindex);
	DWORD wcf = 0;
	if (n < 0) {
		n = m_new_nexthop(m);
		EXPECT(n >= 0, "model full (next hops)");
		m->nh[n].owner = e;
		m->nh[n].addr = p;
		m->nh[n].ifindex = ifindex;
		m->nh[n].remote = -1;
		wcf = RTM_NEXTHOP_CHANGE_NEW;
	}
	m_nexthop *x = &m->nh[n];
	x->flags = in.Flags;
	x->esi = (uintptr_t)in.EntitySpecificInfo;
	x->remote = (in.Flags & RTM_NEXTHOP_FLAGS_REMOTE) ? remote : -1;
	if (want_cf)
		EXPECT(cf == wcf, "change flags %#lx, model %#lx", (unsigned long)cf, (unsigned long)wcf);
	if (form == 1) {
		if (!hbind(D, &x->real, h, "next-hop handle"))
			return;
		x->crefs++;
	} else if (form == 2)
		EXPECT(h == x->real, "handle changed");
}

static void op_delete_nh(drv *D)
{
	int e = pick_reg(D);
	if (e < 0)
		return;
	m_table *m = &D->m;
	if (P(D, 60)) {
		int n = pick_nh_held(D);
		if (n < 0)
			return;
		DWORD want = m->nh[n].owner != e ? ERROR_ACCESS_DENIED : m->nh[n].deleted ? ERROR_NOT_FOUND : NO_ERROR;
		if (want == ERROR_ACCESS_DENIED && m->nh[n].deleted)
			return; /* two faults */
		OP("delete next hop %d by handle via slot %d", n, m->ent[e].slot);
		EXPECT_RC(RtmDeleteNextHop(m->ent[e].real, m->nh[n].real, NULL), want);
		if (want == NO_ERROR) {
			m->nh[n].deleted = 1;
			m->nh[n].crefs--;
		}
		return;
	}
	m_prefix p;
	ULONG ifindex;
	rnd_nh_identity(D, &p, &ifindex);
	RTM_NEXTHOP_INFO in;
	memset(&in, 0, sizeof(in));
	net_of(D, &p, &in.NextHopAddress, 1);
	in.InterfaceIndex = ifindex;
	int n = find_nh(D, e, &p, ifindex);
	OP("delete next hop /%u if %lu by info via slot %d (model %d)", p.len, (unsigned long)ifindex,
	   m->ent[e].slot, n);
	EXPECT_RC(RtmDeleteNextHop(m->ent[e].real, NULL, &in), n >= 0 ? NO_ERROR : ERROR_NOT_FOUND);
	if (n >= 0)
		m->nh[n].deleted = 1;
}

static void op_find_nh(drv *D)
{
	int e = pick_reg(D);
	if (e < 0)
		return;
	m_table *m = &D->m;
	m_prefix p;
	ULONG ifindex;
	rnd_nh_identity(D, &p, &ifindex);
	RTM_NEXTHOP_INFO in;
	memset(&in, 0xa5, sizeof(in)); /* only the identity is read */
	net_of(D, &p, &in.NextHopAddress, 1);
	in.InterfaceIndex = ifindex;
	int want_h = P(D, 70), want_p = P(D, 50);
	RTM_NEXTHOP_HANDLE h = (RTM_NEXTHOP_HANDLE)0x77;
	PRTM_NEXTHOP_INFO ptr = (PRTM_NEXTHOP_INFO)0x88;
	int n = find_nh(D, e, &p, ifindex);
	OP("find next hop /%u if %lu via slot %d (model %d)", p.len, (unsigned long)ifindex, m->ent[e].slot, n);
	DWORD err = RtmFindNextHop(m->ent[e].real, &in, want_h ? &h : NULL, want_p ? &ptr : NULL);
	if (n < 0) {
		EXPECT_RC(err, ERROR_NOT_FOUND);
		EXPECT(h == (RTM_NEXTHOP_HANDLE)0x77 && ptr == (PRTM_NEXTHOP_INFO)0x88, "output written");
		return;
	}
	EXPECT_RC(err, NO_ERROR);
	if (want_p && !check_nh_info(D, ptr, n, "next-hop pointer"))
		return;
	if (want_h) {
		if (!hbind(D, &m->nh[n].real, h, "found next hop"))
			return;
		EXPECT_RC(RtmReleaseNextHops(m->ent[e].real, 1, &h), NO_ERROR);
	}
}

static void op_nh_info(drv *D)
{
	int e = pick_reg(D), n = pick_nh(D, -1, -1);
	if (e < 0 || n < 0)
		return;
	m_table *m = &D->m;
	RTM_NEXTHOP_INFO ni;
	OP("next-hop info %d via slot %d", n, m->ent[e].slot);
	EXPECT_RC(RtmGetNextHopInfo(m->ent[e].real, m->nh[n].real, &ni), NO_ERROR);
	if (!check_nh_info(D, &ni, n, "next-hop info"))
		return;
	EXPECT_RC(RtmReleaseNextHopInfo(m->ent[e].real, &ni), NO_ERROR);
	PRTM_NEXTHOP_INFO p = NULL;
	DWORD err = RtmGetNextHopPointer(m->ent[e].real, m->nh[n].real, &p);
	if (m->nh[n].owner != e) {
		EXPECT_RC(err, ERROR_ACCESS_DENIED);
		return;
	}
	EXPECT_RC(err, NO_ERROR);
	check_nh_info(D, p, n, "next-hop pointer");
	/*
	 * the guard of 6.6: releasing the direct pointer drops nothing.  Only for live next hops:
	 * the guard does not know a deleted one's structure (see docs/RELIABILITY.md, open findings).
	 */
	if (!m->nh[n].deleted)
		EXPECT_RC(RtmReleaseNextHopInfo(m->ent[e].real, p), NO_ERROR);
}

static void op_lock_nh(drv *D)
{
	int e = pick_reg(D);
	if (e < 0)
		return;
	m_table *m = &D->m;
	int n = pick_nh(D, R(D, 5) ? e : -1, 1);
	if (n < 0)
		return;
	PRTM_NEXTHOP_INFO p = NULL;
	OP("lock next hop %d via slot %d and edit in place", n, m->ent[e].slot);
	DWORD err = RtmLockNextHop(m->ent[e].real, m->nh[n].real, TRUE, TRUE, &p);
	if (m->nh[n].owner != e) {
		EXPECT_RC(err, ERROR_ACCESS_DENIED);
		return;
	}
	EXPECT_RC(err, NO_ERROR);
	if (!check_nh_info(D, p, n, "locked next hop"))
		return;
	uintptr_t esi = 0x2000 + R(D, 8);
	p->EntitySpecificInfo = (PVOID)esi;
	p->Flags ^= RTM_NEXTHOP_FLAGS_DOWN;
	EXPECT_RC(RtmLockNextHop(m->ent[e].real, m->nh[n].real, TRUE, FALSE, NULL), NO_ERROR);
	m->nh[n].esi = esi;
	m->nh[n].flags ^= RTM_NEXTHOP_FLAGS_DOWN;
}

/* ---- routes -------------------------------------------------------------------------------------- */

static int route_match_add(drv *D, int e, int d, DWORD in_flags, int neighbour)
{
	if (d < 0 || (in_flags & RTM_ROUTE_CHANGE_NEW))
		return -1;
	int rs[M_ROUTES], n = m_dest_routes(&D->m, d, rs);
	for (int i = 0; i < n; i++) {
		const m_route *x = &D->m.route[rs[i]];
		if (x->owner != e)
			continue;
		if ((in_flags & RTM_ROUTE_CHANGE_FIRST) || x->neighbour == neighbour)
			return rs[i];
	}
	return -1;
}

static void op_add_route(drv *D)
{
	int e = pick_reg(D);
	if (e < 0)
		return;
	m_table *m = &D->m;
	route_buf rb;
	memset(&rb, 0, sizeof(rb));
	RTM_ROUTE_INFO *ri = &rb.info;
	route_vals v;
	memset(&v, 0, sizeof(v));
	/* next hops: the caller's live ones */
	int want_n = (int)R(D, 4);
	for (int i = 0; i < want_n; i++) {
		int n = pick_nh(D, e, 1);
		int dup = 0;
		for (int j = 0; j < v.nnh; j++)
			dup |= v.nh[j] == n;
		if (n >= 0 && !dup)
			v.nh[v.nnh++] = n;
	}
	switch (R(D, 4)) {
	case 0:
		v.neighbour = -1;
		break;
	case 1:
		v.neighbour = pick_nh(D, -1, 1); /* any owner's (7.1) */
		break;
	default:
		v.neighbour = v.nnh ? v.nh[0] : -1;
	}
	v.pref = 1 + R(D, 3);
	v.metric = 1 + R(D, 3);
	v.views = rnd_views(D);
	if (v.views == 4)
		v.views = 0; /* accepted, best nowhere */
	static const uint16_t FL[] = { 0, 0, RTM_ROUTE_FLAGS_MARTIAN, RTM_ROUTE_FLAGS_LOCAL,
				       RTM_ROUTE_FLAGS_MARTIAN | RTM_ROUTE_FLAGS_LOCAL };
	v.flags = FL[R(D, 5)];
	v.flags1 = (uint8_t)R(D, 3);
	v.esi = (uintptr_t)(0x3000 + R(D, 4));
	ri->DestHandle = garbage(D); /* ignored on input */
	ri->RouteOwner = garbage(D);
	ri->State = 9;
	ri->Neighbour = v.neighbour >= 0 ? m->nh[v.neighbour].real : NULL;
	ri->Flags1 = v.flags1;
	ri->Flags = v.flags;
	ri->PrefInfo.Preference = v.pref;
	ri->PrefInfo.Metric = v.metric;
	ri->BelongsToViews = v.views;
	ri->EntitySpecificInfo = (PVOID)v.esi;
	ri->NextHopsList.NumNextHops = (USHORT)v.nnh;
	for (int i = 0; i < v.nnh; i++)
		ri->NextHopsList.NextHops[i] = m->nh[v.nh[i]].real;

	m_prefix p = rnd_prefix(D);
	RTM_NET_ADDRESS na;
	net_of(D, &p, &na, 1);
	unsigned form = R(D, 4); /* 0 NULL, 1 &NULL, 2 &handle, 3 &NULL */
	if (form == 3)
		form = 1;
	int target = -1;
	DWORD want = NO_ERROR;
	RTM_ROUTE_HANDLE h = NULL;
	if (form == 2) {
		target = R(D, 5) ? pick_route(D, e, -1) : pick_route_other(D, e);
		if (target < 0)
			form = 1;
		else {
			h = m->route[target].real;
			if (m->route[target].owner != e)
				want = ERROR_ACCESS_DENIED;
			else if (!m->route[target].live)
				want = ERROR_INVALID_HANDLE;
		}
	}
	DWORD in_flags = (DWORD)(R(D, 3) == 0 ? RTM_ROUTE_CHANGE_FIRST : R(D, 4) == 0 ? RTM_ROUTE_CHANGE_NEW : 0);
	int list = P(D, 20) ? pick_list(D, e) : -1;
	RTM_ROUTE_LIST_HANDLE lh = list >= 0 ? m->list[list].real : NULL;
	int null_dest = form == 2 && P(D, 50);
	int null_info = 0;
	/* at most one fault */
	int fault = want == NO_ERROR && P(D, 15) ? (int)R(D, 9) : -1;
	switch (fault) {
	case 0: {
		int o = pick_nh_other(D, e);
		if (o < 0)
			break;
		ri->NextHopsList.NextHops[ri->NextHopsList.NumNextHops++] = m->nh[o].real;
		want = ERROR_INVALID_PARAMETER;
		break;
	}
	case 1: {
		int o = pick_nh(D, e, 0);
		if (o < 0)
			break;
		ri->NextHopsList.NextHops[ri->NextHopsList.NumNextHops++] = m->nh[o].real;
		want = ERROR_INVALID_PARAMETER;
		break;
	}
	case 2:
		ri->NextHopsList.NumNextHops = (USHORT)(M_MAXNH + 1);
		for (int i = 0; i <= M_MAXNH; i++)
			if (!ri->NextHopsList.NextHops[i])
				ri->NextHopsList.NextHops[i] = (RTM_NEXTHOP_HANDLE)0x1234;
		want = ERROR_INVALID_PARAMETER;
		break;
	case 3:
		if (form == 2)
			break;
		na.NumBits = (USHORT)(m->width + 1 + R(D, 100));
		want = ERROR_INVALID_PARAMETER;
		break;
	case 4:
		if (form == 2)
			break;
		in_flags = RTM_ROUTE_CHANGE_FIRST | RTM_ROUTE_CHANGE_NEW;
		want = ERROR_INVALID_PARAMETER;
		break;
	case 5:
		ri->Neighbour = garbage(D);
		want = ERROR_INVALID_HANDLE;
		break;
	case 6: {
		int ol = -1;
		for (int s = 0; s < SLOTS && ol < 0; s++)
			if (D->slot[s] >= 0 && D->slot[s] != e)
				ol = pick_list(D, D->slot[s]);
		lh = ol >= 0 ? m->list[ol].real : garbage(D);
		want = ERROR_INVALID_HANDLE;
		break;
	}
	case 7:
		null_info = 1;
		want = ERROR_INVALID_PARAMETER;
		break;
	case 8:
		if (form == 2)
			break;
		null_dest = 1;
		want = ERROR_INVALID_PARAMETER;
		break;
	}
	DWORD cf = in_flags;
	int cfp = P(D, 85) || (in_flags != 0);
	OP("add route slot %d /%u form %u target %d nnh %d nbr %d pref %lu metric %lu views %#lx flags %#x in %#lx "
	   "list %d fault %d",
	   m->ent[e].slot, p.len, form, target, v.nnh, v.neighbour, (unsigned long)v.pref, (unsigned long)v.metric,
	   (unsigned long)v.views, v.flags, (unsigned long)in_flags, list, fault);
	DWORD err = RtmAddRouteToDest(m->ent[e].real, form == 0 ? NULL : &h, null_dest ? NULL : &na,
				      null_info ? NULL : ri, INFINITE, lh, 0, NULL, cfp ? &cf : NULL);
	EXPECT_RC(err, want);
	if (want != NO_ERROR) {
		EXPECT(cf == in_flags, "change flags written on failure");
		EXPECT(form == 2 ? h == m->route[target].real : h == NULL, "handle written on failure");
		return;
	}
	int d = form == 2 ? m->route[target].dest : m_find_dest(m, &p);
	int r = form == 2 ? target : route_match_add(D, e, d, in_flags, v.neighbour);
	if (d < 0) {
		d = m_get_dest(m, &p);
		EXPECT(d >= 0, "model full (dests)");
	}
	DWORD wcf;
	r = model_set_route(D, e, r, d, &v, list, &wcf);
	EXPECT(r >= 0, "model full (routes)");
	if (cfp)
		EXPECT(cf == wcf, "change flags %#lx, model %#lx", (unsigned long)cf, (unsigned long)wcf);
	if (form == 1) {
		if (!hbind(D, &m->route[r].real, h, "route handle"))
			return;
		m->route[r].crefs++;
	}
}

static void op_delete_route(drv *D)
{
	int e = pick_reg(D), r = pick_route_held(D);
	if (e < 0 || r < 0)
		return;
	m_table *m = &D->m;
	m_route *x = &m->route[r];
	DWORD want = x->owner != e ? ERROR_ACCESS_DENIED : !x->live ? ERROR_NOT_FOUND : NO_ERROR;
	if (want == ERROR_ACCESS_DENIED && !x->live)
		return; /* two faults */
	DWORD cf = 0x77;
	int cfp = P(D, 80);
	OP("delete route %d via slot %d", r, m->ent[e].slot);
	DWORD err = RtmDeleteRouteToDest(m->ent[e].real, x->real, cfp ? &cf : NULL);
	EXPECT_RC(err, want);
	if (want != NO_ERROR) {
		EXPECT(cf == 0x77, "change flags written on failure");
		return;
	}
	DWORD wcf = m_best_views(m, r) ? RTM_ROUTE_CHANGE_BEST : 0;
	m_route_delete(m, r);
	x->crefs--;
	if (cfp)
		EXPECT(cf == wcf, "change flags %#lx, model %#lx", (unsigned long)cf, (unsigned long)wcf);
}

static void op_hold(drv *D)
{
	int e = pick_reg(D), d = pick_dest(D);
	if (e < 0 || d < 0 || !D->o->holds)
		return;
	m_table *m = &D->m;
	uint32_t views = rnd_views(D);
	ULONG t = P(D, 10) ? 0 : INFINITE;
	OP("hold dest %d views %#lx time %lu via slot %d", d, (unsigned long)views, (unsigned long)t, m->ent[e].slot);
	DWORD err = RtmHoldDestination(m->ent[e].real, m->dest[d].real, views, t);
	EXPECT_RC(err, t == 0 ? ERROR_INVALID_PARAMETER : NO_ERROR);
	if (t)
		m->dest[d].hold_mask |= m_views(views) ? m_views(views) : M_VIEWMASK;
}

/* commit an in-place edit: RtmLockRoute, edit through the pointer, RtmUpdateAndUnlockRoute */
static void op_lock_route(drv *D)
{
	int e = pick_reg(D);
	if (e < 0)
		return;
	m_table *m = &D->m;
	int r = pick_route(D, R(D, 6) ? e : -1, 1);
	if (r < 0)
		return;
	m_route *x = &m->route[r];
	PRTM_ROUTE_INFO p = NULL;
	int mode = (int)R(D, 3); /* 0 commit, 1 plain unlock without edits, 2 no pointer */
	OP("lock route %d via slot %d mode %d", r, m->ent[e].slot, mode);
	DWORD err = RtmLockRoute(m->ent[e].real, x->real, TRUE, TRUE, mode == 2 ? NULL : &p);
	if (x->owner != e && mode != 2) {
		EXPECT_RC(err, ERROR_ACCESS_DENIED);
		return;
	}
	EXPECT_RC(err, NO_ERROR);
	if (mode != 0 || x->owner != e) {
		if (p && !check_route_info(D, p, r, "locked route")) {
			RtmLockRoute(m->ent[e].real, x->real, TRUE, FALSE, NULL);
			return;
		}
		EXPECT_RC(RtmLockRoute(m->ent[e].real, x->real, TRUE, FALSE, NULL), NO_ERROR);
		return;
	}
	if (!check_route_info(D, p, r, "locked route")) {
		RtmLockRoute(m->ent[e].real, x->real, TRUE, FALSE, NULL);
		return;
	}
	/* a next hop deleted since the route took it makes the route invalid to commit (7.6) */
	int stale_nh = 0;
	for (int i = 0; i < x->nnh; i++)
		stale_nh |= m->nh[x->nh[i]].deleted;
	if (stale_nh) {
		EXPECT_RC(RtmUpdateAndUnlockRoute(m->ent[e].real, x->real, INFINITE, NULL, 0, NULL, NULL),
			  ERROR_INVALID_PARAMETER);
		/* still locked: a plain unlock, and nothing was edited */
		EXPECT_RC(RtmLockRoute(m->ent[e].real, x->real, TRUE, FALSE, NULL), NO_ERROR);
		return;
	}
	route_vals v;
	v.neighbour = x->neighbour;
	v.nnh = x->nnh;
	memcpy(v.nh, x->nh, sizeof(v.nh));
	v.flags1 = x->flags1;
	v.flags = x->flags;
	v.esi = x->esi;
	v.pref = R(D, 3) ? 1 + R(D, 3) : x->pref;
	v.metric = R(D, 3) ? 1 + R(D, 3) : x->metric;
	v.views = R(D, 4) ? x->views : 1 + R(D, 3);
	if (D->trace) {
		int rs[M_ROUTES], k = m_dest_routes(m, x->dest, rs);
		for (int i = 0; i < k; i++)
			logf_(D, "   dest %d route %d owner %d pref %u metric %u views %#x nnh %d", x->dest, rs[i],
			      m->route[rs[i]].owner, m->route[rs[i]].pref, m->route[rs[i]].metric, m->route[rs[i]].views,
			      m->route[rs[i]].nnh);
		logf_(D, "   edit route %d to pref %u metric %u views %#x", r, v.pref, v.metric, v.views);
	}
	p->PrefInfo.Preference = v.pref;
	p->PrefInfo.Metric = v.metric;
	p->BelongsToViews = v.views;
	int list = P(D, 20) ? pick_list(D, e) : -1;
	DWORD cf = 0x77;
	EXPECT_RC(RtmUpdateAndUnlockRoute(m->ent[e].real, x->real, INFINITE, list >= 0 ? m->list[list].real : NULL, 0,
					  NULL, &cf),
		  NO_ERROR);
	DWORD wcf;
	model_set_route(D, e, r, x->dest, &v, list, &wcf);
	wcf &= RTM_ROUTE_CHANGE_BEST;
	EXPECT(cf == wcf, "change flags %#lx, model %#lx", (unsigned long)cf, (unsigned long)wcf);
}

static void op_route_info(drv *D)
{
	int e = pick_reg(D), r = pick_route(D, -1, -1);
	if (e < 0 || r < 0)
		return;
	m_table *m = &D->m;
	route_buf rb;
	RTM_NET_ADDRESS na;
	int want_i = P(D, 85), want_a = P(D, 50);
	OP("route info %d via slot %d", r, m->ent[e].slot);
	EXPECT_RC(RtmGetRouteInfo(m->ent[e].real, m->route[r].real, want_i ? &rb.info : NULL, want_a ? &na : NULL),
		  NO_ERROR);
	if (want_a && !cmp_net(D, &na, &m->dest[m->route[r].dest].p, "route's dest address"))
		return;
	if (want_i) {
		if (!check_route_info(D, &rb.info, r, "route info"))
			return;
		EXPECT_RC(RtmReleaseRouteInfo(m->ent[e].real, &rb.info), NO_ERROR);
	}
	RTM_VIEW_SET best = 0xdead;
	EXPECT_RC(RtmIsBestRoute(m->ent[e].real, m->route[r].real, &best), NO_ERROR);
	EXPECT(best == m_best_views(m, r), "best in %#lx, model %#lx", (unsigned long)best,
	       (unsigned long)m_best_views(m, r));
	if (m->route[r].owner == e) {
		PRTM_ROUTE_INFO p = NULL;
		EXPECT_RC(RtmGetRoutePointer(m->ent[e].real, m->route[r].real, &p), NO_ERROR);
		if (!check_route_info(D, p, r, "route pointer"))
			return;
		/* the guard of 6.4 (live or held routes only, as for next hops above) */
		if (m->route[r].live || m->route[r].held_views)
			EXPECT_RC(RtmReleaseRouteInfo(m->ent[e].real, p), NO_ERROR);
	}
}

/* ---- lookups ------------------------------------------------------------------------------------- */

static void op_dest_info(drv *D)
{
	int e = pick_reg(D), d = pick_dest(D);
	if (e < 0 || d < 0)
		return;
	m_table *m = &D->m;
	uint32_t views = rnd_views(D), proto = rnd_protocol(D);
	dest_buf b;
	memset(&b, 0xcc, sizeof(b));
	OP("dest info %d views %#lx protocol %#lx via slot %d", d, (unsigned long)views, (unsigned long)proto,
	   m->ent[e].slot);
	EXPECT_RC(RtmGetDestInfo(m->ent[e].real, m->dest[d].real, proto, views, &b.info), NO_ERROR);
	if (!check_dest_info(D, &b.info, d, m_views(views), proto, e, "dest info"))
		return;
	EXPECT_RC(RtmReleaseDestInfo(m->ent[e].real, &b.info), NO_ERROR);
}

static void op_lookup(drv *D)
{
	int e = pick_reg(D);
	if (e < 0)
		return;
	m_table *m = &D->m;
	uint32_t views = rnd_views(D), proto = rnd_protocol(D), mv = m_views(views);
	unsigned kind = R(D, 3);
	m_prefix q;
	int want = -1, from = -1;
	if (kind == 2) {
		from = pick_dest(D);
		if (from < 0)
			return;
		q = m->dest[from].p;
	} else
		q = kind == 1 ? rnd_host(D) : rnd_prefix(D);
	for (int d = 0; d < M_DESTS; d++) {
		const m_dest *x = &m->dest[d];
		if (!x->used || !m_visible(m, d, mv))
			continue;
		if (kind == 0) {
			if (m_prefix_eq(&x->p, &q))
				want = d;
		} else if (m_covers(&x->p, &q) && (kind == 1 || x->p.len < q.len) &&
			   (want < 0 || x->p.len > m->dest[want].p.len))
			want = d;
	}
	RTM_NET_ADDRESS na;
	net_of(D, &q, &na, 1);
	int fault = P(D, 8);
	if (fault && kind != 2)
		na.NumBits = (USHORT)(m->width + 1);
	dest_buf b;
	memset(&b, 0xcc, sizeof(b));
	static const char *names[] = { "exact", "most specific", "less specific" };
	OP("lookup %s /%u views %#lx protocol %#lx via slot %d: model %d%s", names[kind], q.len, (unsigned long)views,
	   (unsigned long)proto, m->ent[e].slot, want, fault ? " (bad NumBits)" : "");
	DWORD err;
	if (kind == 0)
		err = RtmGetExactMatchDestination(m->ent[e].real, &na, proto, views, fault ? &b.info : &b.info);
	else if (kind == 1)
		err = RtmGetMostSpecificDestination(m->ent[e].real, &na, proto, views, &b.info);
	else
		err = RtmGetLessSpecificDestination(m->ent[e].real, m->dest[from].real, proto, views,
						    fault ? NULL : &b.info);
	if (fault) {
		EXPECT_RC(err, ERROR_INVALID_PARAMETER);
		return;
	}
	if (want < 0) {
		EXPECT_RC(err, ERROR_NOT_FOUND);
		EXPECT(b.info.NumberOfViews == 0xcccccccc, "output written");
		return;
	}
	EXPECT_RC(err, NO_ERROR);
	if (!check_dest_info(D, &b.info, want, mv, proto, e, names[kind]))
		return;
	EXPECT_RC(RtmReleaseDestInfo(m->ent[e].real, &b.info), NO_ERROR);
}

/* criteria for route matching: handles of known objects, or garbage that matches nothing */
static void rnd_criteria(drv *D, RTM_ROUTE_INFO *c, uint32_t *match, ULONG *ifindex)
{
	m_table *m = &D->m;
	static const uint32_t MF[] = { 0, 1, 2, 4, 8, 16, 3, 5, 0x18, 0xFFFF, 0x20, 1 | 16 };
	*match = MF[R(D, sizeof(MF) / sizeof(MF[0]))];
	memset(c, 0, RTM_SIZE_OF_ROUTE_INFO(M_MAXNH));
	int en = pick_ent(D);
	c->RouteOwner = en >= 0 && R(D, 5) ? m->ent[en].real : garbage(D);
	int nb = pick_nh(D, -1, -1);
	c->Neighbour = nb >= 0 && R(D, 3) ? m->nh[nb].real : NULL;
	c->PrefInfo.Preference = 1 + R(D, 3);
	c->PrefInfo.Metric = 1 + R(D, 3);
	int k = (int)R(D, 3);
	for (int i = 0; i < k; i++) {
		int n = pick_nh(D, -1, -1);
		c->NextHopsList.NextHops[c->NextHopsList.NumNextHops++] = n >= 0 ? m->nh[n].real : garbage(D);
	}
	*ifindex = 1 + R(D, 2);
}

static void op_exact_route(drv *D)
{
	int e = pick_reg(D);
	if (e < 0)
		return;
	m_table *m = &D->m;
	route_buf rb;
	uint32_t match;
	ULONG ifindex;
	rnd_criteria(D, &rb.info, &match, &ifindex);
	uint32_t views = rnd_views(D), mv = m_views(views);
	m_prefix q = rnd_prefix(D);
	RTM_NET_ADDRESS na;
	net_of(D, &q, &na, 1);
	int fault = P(D, 8);
	uint32_t pass = fault ? match | 0x10000u : match;
	int d = m_find_dest(m, &q), want = -1;
	if (d >= 0 && m_visible(m, d, mv)) {
		int rs[M_ROUTES], n = m_dest_routes(m, d, rs);
		for (int i = 0; i < n && want < 0; i++)
			if ((!mv || (m->route[rs[i]].views & mv)) &&
			    m_route_matches(m, rs[i], match, rb.info.RouteOwner, rb.info.Neighbour,
					    rb.info.PrefInfo.Preference, rb.info.PrefInfo.Metric,
					    rb.info.NextHopsList.NumNextHops, rb.info.NextHopsList.NextHops, ifindex))
				want = rs[i];
	}
	RTM_ROUTE_HANDLE h = (RTM_ROUTE_HANDLE)0x77;
	int want_h = P(D, 50);
	OP("exact route /%u match %#lx views %#lx if %lu via slot %d: model %d%s", q.len, (unsigned long)match,
	   (unsigned long)views, (unsigned long)ifindex, m->ent[e].slot, want, fault ? " (bad flags)" : "");
	DWORD err = RtmGetExactMatchRoute(m->ent[e].real, &na, pass, &rb.info, ifindex, views, want_h ? &h : NULL);
	if (fault) {
		EXPECT_RC(err, ERROR_INVALID_PARAMETER);
		return;
	}
	if (want < 0) {
		EXPECT_RC(err, ERROR_NOT_FOUND);
		EXPECT(h == (RTM_ROUTE_HANDLE)0x77, "handle written");
		return;
	}
	EXPECT_RC(err, NO_ERROR);
	if (!check_route_info(D, &rb.info, want, "exact route"))
		return;
	EXPECT_RC(RtmReleaseRouteInfo(m->ent[e].real, &rb.info), NO_ERROR);
	if (want_h) {
		if (!CMP_H(route, want, h, "exact route handle"))
			return;
		EXPECT_RC(RtmReleaseRoutes(m->ent[e].real, 1, &h), NO_ERROR);
	}
}

/* ---- enumerations -------------------------------------------------------------------------------- */

static void op_create_enum(drv *D)
{
	int e = pick_reg(D);
	if (e < 0 || (pick_enum(D, e) >= 0 && P(D, 50)))
		return;
	m_table *m = &D->m;
	unsigned kind = R(D, 4);
	uint32_t views = rnd_views(D), eff = 0;
	DWORD want = NO_ERROR;
	uint32_t flags = R(D, 3); /* START NEXT RANGE */
	if (P(D, 10))
		flags = 3;
	m_prefix start = rnd_prefix(D);
	RTM_NET_ADDRESS na;
	net_of(D, &start, &na, 1);
	/* one fault at most: unsupported views, or a bad flag, NULL or bad address */
	int views_ok = enum_views(views, &eff) == NO_ERROR || kind >= ME_NH;
	int null_addr = views_ok && flags != 0 && P(D, 5);
	int bad_bits = views_ok && !null_addr && flags != 0 && P(D, 5);
	int bad_flag = views_ok && !null_addr && !bad_bits && P(D, 4);
	RTM_ENUM_HANDLE h = (RTM_ENUM_HANDLE)0x77;
	DWORD err = 0;
	int en = m_new_enum(m);
	if (en < 0)
		return;
	m_enum *x = &m->en[en];
	x->owner = e;
	x->kind = (int)kind;
	x->dest = -1;
	x->list = -1;
	x->start = start;
	if (bad_bits)
		na.NumBits = (USHORT)(m->width + 1);
	if (kind == ME_DEST) {
		if (P(D, 25))
			flags |= RTM_ENUM_OWN_DESTS;
		if (bad_flag)
			flags |= 0x100;
		want = enum_views(views, &eff);
		if (want == NO_ERROR && (bad_flag || null_addr || bad_bits))
			want = ERROR_INVALID_PARAMETER;
		x->protocol = rnd_protocol(D);
		OP("create dest enum views %#lx flags %#lx /%u protocol %#lx via slot %d", (unsigned long)views,
		   (unsigned long)flags, start.len, (unsigned long)x->protocol, m->ent[e].slot);
		err = RtmCreateDestEnum(m->ent[e].real, views, flags, null_addr ? NULL : &na, x->protocol, &h);
	} else if (kind == ME_ROUTE) {
		if (P(D, 25))
			flags |= RTM_ENUM_OWN_ROUTES;
		if (bad_flag)
			flags |= 0x100;
		route_buf cb;
		uint32_t match;
		ULONG ifindex;
		rnd_criteria(D, &cb.info, &match, &ifindex);
		int one = P(D, 30) ? pick_dest(D) : -1;
		want = enum_views(views, &eff);
		if (want == NO_ERROR && (bad_flag || (one < 0 && (null_addr || bad_bits))))
			want = ERROR_INVALID_PARAMETER;
		int null_crit = !(match & 0xF) && P(D, 50);
		x->dest = one;
		x->match = match;
		if (match & 0xF) {
			x->c_owner = cb.info.RouteOwner;
			x->c_neighbour = cb.info.Neighbour;
			x->c_pref = cb.info.PrefInfo.Preference;
			x->c_metric = cb.info.PrefInfo.Metric;
		}
		if (match & 8u) {
			x->c_nnh = cb.info.NextHopsList.NumNextHops;
			memcpy(x->c_nh, cb.info.NextHopsList.NextHops, sizeof(void *) * (size_t)x->c_nnh);
		}
		x->c_ifindex = ifindex;
		OP("create route enum dest %d views %#lx flags %#lx /%u match %#lx if %lu via slot %d", one,
		   (unsigned long)views, (unsigned long)flags, start.len, (unsigned long)match, (unsigned long)ifindex,
		   m->ent[e].slot);
		err = RtmCreateRouteEnum(m->ent[e].real, one >= 0 ? m->dest[one].real : NULL, views, flags,
					 null_addr ? NULL : &na, match, null_crit ? NULL : &cb.info, ifindex, &h);
	} else if (kind == ME_NH) {
		if (bad_flag)
			flags |= R(D, 2) ? RTM_ENUM_OWN_DESTS : 0x100;
		want = bad_flag || null_addr || bad_bits ? ERROR_INVALID_PARAMETER : NO_ERROR;
		eff = 0;
		OP("create next-hop enum flags %#lx /%u via slot %d", (unsigned long)flags, start.len, m->ent[e].slot);
		err = RtmCreateNextHopEnum(m->ent[e].real, flags, null_addr ? NULL : &na, &h);
	} else {
		int l = pick_list(D, e);
		if (l < 0) {
			x->used = 0;
			return;
		}
		x->list = l;
		OP("create list enum of list %d via slot %d", l, m->ent[e].slot);
		err = RtmCreateRouteListEnum(m->ent[e].real, m->list[l].real, &h);
		want = NO_ERROR;
	}
	x->views = eff;
	x->flags = flags;
	if (err != want) {
		x->used = 0;
		EXPECT_RC(err, want);
	}
	if (want != NO_ERROR) {
		x->used = 0;
		EXPECT(h == (RTM_ENUM_HANDLE)0x77, "enum handle written on failure");
		return;
	}
	if (kind == ME_LIST) {
		m_list *l = &m->list[x->list];
		memmove(&l->item[1], &l->item[0], (size_t)l->n * sizeof(int));
		l->item[0] = -(en + 1);
		l->n++;
	}
	hbind(D, &x->real, h, "enum handle");
}

static void op_enum_batch(drv *D)
{
	int e = pick_reg(D);
	if (e < 0)
		return;
	int en = pick_enum(D, e);
	if (en < 0)
		return;
	m_table *m = &D->m;
	m_enum *x = &m->en[en];
	static const unsigned CAPS[] = { 1, 2, 3, 5, 100, 100, 0, 101 };
	unsigned cap = CAPS[R(D, sizeof(CAPS) / sizeof(CAPS[0]))];
	UINT n = cap;
	int out[M_MAXENUM], ended = 0, k = 0;
	void *hs[M_MAXENUM];
	static const char *kinds[] = { "dest", "route", "next-hop", "list" };
	OP("%s enum %d batch of %u via slot %d", kinds[x->kind], en, cap, m->ent[e].slot);
	DWORD err, want;
	RTM_ENTITY_HANDLE r = m->ent[e].real;
	switch (x->kind) {
	case ME_DEST:
		err = RtmGetEnumDests(r, x->real, &n, (PRTM_DEST_INFO)D->dbuf);
		break;
	case ME_ROUTE:
		err = RtmGetEnumRoutes(r, x->real, &n, (PRTM_ROUTE_HANDLE)hs);
		break;
	case ME_NH:
		err = RtmGetEnumNextHops(r, x->real, &n, (PRTM_NEXTHOP_HANDLE)hs);
		break;
	default:
		err = RtmGetListEnumRoutes(r, x->real, &n, (PRTM_ROUTE_HANDLE)hs);
		break;
	}
	if (cap > M_MAXENUM) {
		EXPECT_RC(err, ERROR_INVALID_PARAMETER);
		EXPECT(n == 0, "count %u after a failure", n);
		return;
	}
	if (cap == 0) {
		EXPECT_RC(err, NO_ERROR);
		EXPECT(n == 0, "count %u for capacity 0", n);
		return;
	}
	switch (x->kind) {
	case ME_DEST:
		k = m_enum_dests(m, en, (int)cap, out, &ended);
		break;
	case ME_ROUTE:
		k = m_enum_routes(m, en, (int)cap, out, &ended);
		break;
	case ME_NH:
		k = m_enum_nhs(m, en, (int)cap, out, &ended);
		break;
	default:
		k = m_enum_list(m, en, (int)cap, out);
		break;
	}
	want = x->kind != ME_LIST && ended ? ERROR_NO_MORE_ITEMS : NO_ERROR;
	EXPECT_RC(err, want);
	EXPECT(n == (UINT)k, "count %u, model %d", n, k);
	for (int i = 0; i < k; i++) {
		char w[64];
		snprintf(w, sizeof(w), "item %d", i);
		int okk = 1;
		if (x->kind == ME_DEST)
			okk = check_dest_info(D, (PRTM_DEST_INFO)(D->dbuf + (size_t)i * DI_STRIDE), out[i], x->views,
					      x->protocol, e, w);
		else if (x->kind == ME_NH)
			okk = CMP_H(nh, out[i], hs[i], w);
		else
			okk = CMP_H(route, out[i], hs[i], w);
		if (!okk)
			return;
	}
	if (x->kind == ME_DEST)
		EXPECT_RC(RtmReleaseDests(r, n, (PRTM_DEST_INFO)D->dbuf), NO_ERROR);
	else if (x->kind == ME_NH)
		EXPECT_RC(RtmReleaseNextHops(r, n, (PRTM_NEXTHOP_HANDLE)hs), NO_ERROR);
	else
		EXPECT_RC(RtmReleaseRoutes(r, n, (PRTM_ROUTE_HANDLE)hs), NO_ERROR);
}

static void op_delete_enum(drv *D)
{
	int e = pick_reg(D);
	if (e < 0)
		return;
	int en = pick_enum(D, e);
	if (en < 0)
		return;
	void *h = D->m.en[en].real;
	OP("delete enum %d via slot %d", en, D->m.ent[e].slot);
	EXPECT_RC(RtmDeleteEnumHandle(D->m.ent[e].real, h), NO_ERROR);
	m_close_enum(&D->m, en);
	remember_stale(D, h);
}

/* ---- change notification ------------------------------------------------------------------------- */

static void op_notify_register(drv *D)
{
	int e = pick_reg(D);
	if (e < 0)
		return;
	m_table *m = &D->m;
	int have = 0;
	for (int i = 0; i < M_NOTIFY; i++)
		have += m->notify[i].used && m->notify[i].owner == e;
	if (have >= 2)
		return;
	uint32_t views = rnd_views(D), eff;
	uint32_t flags = 1 + R(D, 7);
	if (P(D, 30))
		flags |= RTM_NOTIFY_ONLY_MARKED_DESTS;
	int bad = (views == 0 || enum_views(views, &eff) == NO_ERROR) && P(D, 5);
	if (bad)
		flags = R(D, 2) ? RTM_NOTIFY_ONLY_MARKED_DESTS : (flags | 8);
	DWORD want = views == 0 ? (eff = M_VIEWMASK, NO_ERROR) : enum_views(views, &eff);
	if (want == NO_ERROR && bad)
		want = ERROR_INVALID_PARAMETER;
	RTM_NOTIFY_HANDLE h = (RTM_NOTIFY_HANDLE)0x77;
	OP("register for changes views %#lx flags %#lx via slot %d", (unsigned long)views, (unsigned long)flags,
	   m->ent[e].slot);
	DWORD err = RtmRegisterForChangeNotification(m->ent[e].real, views, flags, (PVOID)(uintptr_t)0x99, &h);
	EXPECT_RC(err, want);
	if (want != NO_ERROR) {
		EXPECT(h == (RTM_NOTIFY_HANDLE)0x77, "notify handle written on failure");
		return;
	}
	int n = m_new_notify(m);
	EXPECT(n >= 0, "model full (notify)");
	m->notify[n].owner = e;
	m->notify[n].views = eff;
	m->notify[n].flags = flags;
	hbind(D, &m->notify[n].real, h, "notify handle");
}

static void op_changed(drv *D)
{
	int e = pick_reg(D);
	if (e < 0)
		return;
	int nt = pick_notify(D, e);
	if (nt < 0)
		return;
	m_table *m = &D->m;
	m_notify *x = &m->notify[nt];
	static const unsigned CAPS[] = { 1, 2, 3, 100, 100, 0, 101 };
	unsigned cap = CAPS[R(D, sizeof(CAPS) / sizeof(CAPS[0]))];
	UINT n = cap;
	OP("changed dests of notify %d, %u, via slot %d (model %d pending)", nt, cap, m->ent[e].slot, x->npending);
	DWORD err = RtmGetChangedDests(m->ent[e].real, x->real, &n, (PRTM_DEST_INFO)D->dbuf);
	if (cap > M_MAXENUM) {
		EXPECT_RC(err, ERROR_INVALID_PARAMETER);
		EXPECT(n == 0, "count %u after a failure", n);
		return;
	}
	if (cap == 0) {
		EXPECT_RC(err, NO_ERROR);
		EXPECT(n == 0, "count %u for capacity 0", n);
		return;
	}
	int k = x->npending < (int)cap ? x->npending : (int)cap;
	if (n != (UINT)k && n <= M_MAXENUM) {
		char lst[400];
		int at = 0;
		for (int i = 0; i < x->npending && at < 300; i++)
			at += snprintf(lst + at, sizeof(lst) - (size_t)at, " %d", x->pending[i]);
		at += snprintf(lst + at, sizeof(lst) - (size_t)at, " / API:");
		for (UINT i = 0; i < n && at < 380; i++)
			at += snprintf(lst + at, sizeof(lst) - (size_t)at, " %s",
				       who(D, ((PRTM_DEST_INFO)(D->dbuf + (size_t)i * DI_STRIDE))->DestHandle) + 5);
		fail(D, "count %u, model %d: model%s", n, k, lst);
		return;
	}
	EXPECT_RC(err, k < (int)cap ? ERROR_NO_MORE_ITEMS : NO_ERROR);
	EXPECT(n == (UINT)k, "count %u, model %d", n, k);
	int got[M_MAXENUM];
	memcpy(got, x->pending, (size_t)k * sizeof(int));
	memmove(x->pending, x->pending + k, (size_t)(x->npending - k) * sizeof(int));
	x->npending -= k;
	for (int i = 0; i < k; i++) {
		char w[64];
		snprintf(w, sizeof(w), "changed dest %d", i);
		if (!check_dest_info(D, (PRTM_DEST_INFO)(D->dbuf + (size_t)i * DI_STRIDE), got[i], x->views, 0, e, w))
			return;
	}
	EXPECT_RC(RtmReleaseChangedDests(m->ent[e].real, x->real, n, (PRTM_DEST_INFO)D->dbuf), NO_ERROR);
}

static void op_notify_misc(drv *D)
{
	int e = pick_reg(D);
	if (e < 0)
		return;
	int nt = pick_notify(D, e), d = pick_dest(D);
	if (nt < 0 || d < 0)
		return;
	m_table *m = &D->m;
	m_notify *x = &m->notify[nt];
	RTM_ENTITY_HANDLE r = m->ent[e].real;
	int pending = 0;
	for (int i = 0; i < x->npending; i++)
		pending |= x->pending[i] == d;
	BOOL b = 7;
	switch (R(D, 5)) {
	case 0:
		OP("change status of dest %d in notify %d via slot %d", d, nt, m->ent[e].slot);
		EXPECT_RC(RtmGetChangeStatus(r, x->real, m->dest[d].real, &b), NO_ERROR);
		EXPECT(b == pending, "change status %d, model %d", (int)b, pending);
		break;
	case 1:
		OP("is dest %d marked in notify %d via slot %d", d, nt, m->ent[e].slot);
		EXPECT_RC(RtmIsMarkedForChangeNotification(r, x->real, m->dest[d].real, &b), NO_ERROR);
		EXPECT(b == x->marked[d], "marked %d, model %d", (int)b, x->marked[d]);
		break;
	case 2: {
		int mark = P(D, 60);
		OP("mark dest %d in notify %d: %d, via slot %d", d, nt, mark, m->ent[e].slot);
		EXPECT_RC(RtmMarkDestForChangeNotification(r, x->real, m->dest[d].real, mark), NO_ERROR);
		x->marked[d] = (uint8_t)mark;
		break;
	}
	case 3: {
		RTM_DEST_HANDLE hs[3];
		int ids[3], k = 1 + (int)R(D, 3);
		for (int i = 0; i < k; i++) {
			ids[i] = i ? pick_dest(D) : d;
			hs[i] = m->dest[ids[i]].real;
		}
		OP("ignore %d dests in notify %d via slot %d", k, nt, m->ent[e].slot);
		EXPECT_RC(RtmIgnoreChangedDests(r, x->real, (UINT)k, hs), NO_ERROR);
		for (int i = 0; i < k; i++)
			for (int j = 0; j < x->npending; j++)
				if (x->pending[j] == ids[i]) {
					memmove(&x->pending[j], &x->pending[j + 1],
						(size_t)(x->npending - j - 1) * sizeof(int));
					x->npending--;
					break;
				}
		break;
	}
	default: {
		void *h = x->real;
		OP("deregister notify %d via slot %d", nt, m->ent[e].slot);
		EXPECT_RC(RtmDeregisterFromChangeNotification(r, h), NO_ERROR);
		m_close_notify(m, nt);
		remember_stale(D, h);
	}
	}
}

/* ---- route lists --------------------------------------------------------------------------------- */

static void op_list(drv *D)
{
	int e = pick_reg(D);
	if (e < 0)
		return;
	m_table *m = &D->m;
	RTM_ENTITY_HANDLE r = m->ent[e].real;
	int l = pick_list(D, e);
	unsigned what = R(D, 5);
	if (l < 0 || (what == 0 && count_owned_lists(D, e) < 2)) {
		RTM_ROUTE_LIST_HANDLE h = NULL;
		OP("create route list via slot %d", m->ent[e].slot);
		EXPECT_RC(RtmCreateRouteList(r, &h), NO_ERROR);
		int n = m_new_list(m);
		EXPECT(n >= 0, "model full (lists)");
		m->list[n].owner = e;
		hbind(D, &m->list[n].real, h, "route list");
		return;
	}
	if (what == 1) {
		void *h = m->list[l].real;
		OP("delete route list %d via slot %d", l, m->ent[e].slot);
		EXPECT_RC(RtmDeleteRouteList(r, h), NO_ERROR);
		m_close_list(m, l);
		remember_stale(D, h);
		return;
	}
	/* insert: own routes (deleted ones are skipped), maybe into no list */
	int to_none = P(D, 15);
	RTM_ROUTE_HANDLE hs[5];
	int ids[5], k = (int)R(D, 5);
	for (int i = 0; i < k; i++) {
		ids[i] = pick_route(D, e, -1);
		if (ids[i] < 0)
			return;
		hs[i] = m->route[ids[i]].real;
	}
	DWORD want = NO_ERROR;
	if (k && P(D, 10)) {
		int o = pick_route_other(D, e);
		if (o >= 0) {
			hs[R(D, (unsigned)k)] = m->route[o].real;
			want = ERROR_ACCESS_DENIED;
		}
	}
	OP("insert %d routes into list %d via slot %d", k, to_none ? -1 : l, m->ent[e].slot);
	EXPECT_RC(RtmInsertInRouteList(r, to_none ? NULL : m->list[l].real, (UINT)k, hs), want);
	if (want != NO_ERROR)
		return;
	for (int i = 0; i < k; i++) {
		if (!m->route[ids[i]].live)
			continue;
		if (to_none)
			m_list_remove(m, ids[i]);
		else
			m_list_append(m, l, ids[i]);
	}
}

/* ---- references and opaque pointers -------------------------------------------------------------- */

static void op_reference(drv *D)
{
	int e = pick_reg(D);
	if (e < 0)
		return;
	m_table *m = &D->m;
	HANDLE hs[4];
	int kinds[4], ids[4], k = 1 + (int)R(D, 4), n = 0;
	for (int i = 0; i < k; i++) {
		int kind = (int)R(D, 4), id;
		switch (kind) {
		case 0:
			id = pick_route(D, -1, -1);
			break;
		case 1:
			id = pick_nh(D, -1, -1);
			break;
		case 2:
			id = pick_dest(D);
			break;
		default:
			id = pick_ent(D);
			break;
		}
		if (id < 0)
			continue;
		kinds[n] = kind;
		ids[n] = id;
		hs[n++] = kind == 0 ? m->route[id].real : kind == 1 ? m->nh[id].real : kind == 2 ? m->dest[id].real
												  : m->ent[id].real;
	}
	int fault = n && P(D, 10);
	HANDLE saved = NULL;
	int at = 0;
	if (fault) {
		at = (int)R(D, (unsigned)n);
		saved = hs[at];
		hs[at] = garbage(D);
	}
	OP("reference %d handles via slot %d%s", n, m->ent[e].slot, fault ? " (one garbage)" : "");
	EXPECT_RC(RtmReferenceHandles(m->ent[e].real, (UINT)n, hs), fault ? ERROR_INVALID_HANDLE : NO_ERROR);
	(void)saved;
	if (fault)
		return;
	for (int i = 0; i < n; i++) {
		switch (kinds[i]) {
		case 0:
			m->route[ids[i]].crefs++;
			break;
		case 1:
			m->nh[ids[i]].crefs++;
			break;
		case 2:
			m->dest[ids[i]].crefs++;
			break;
		default:
			m->ent[ids[i]].crefs++;
		}
	}
}

static void op_release(drv *D)
{
	int e = pick_reg(D);
	if (e < 0)
		return;
	int kind = (int)R(D, 4), id;
	switch (kind) {
	case 0:
		id = pick_route_held(D);
		break;
	case 1:
		id = pick_nh_held(D);
		break;
	case 2:
		id = pick_dest_held(D);
		break;
	default:
		id = pick_ent_held(D);
	}
	if (id < 0)
		return;
	OP("release one reference of kind %d object %d via slot %d", kind, id, D->m.ent[e].slot);
	release_one(D, e, kind, id);
}

static void op_opaque(drv *D)
{
	int e = pick_reg(D), d = pick_dest(D);
	if (e < 0 || d < 0)
		return;
	m_table *m = &D->m;
	RTM_ENTITY_HANDLE r = m->ent[e].real;
	PVOID p = (PVOID)(uintptr_t)0x55;
	int lock = P(D, 50);
	OP("opaque pointer of dest %d via slot %d (reserved %d, lock %d)", d, m->ent[e].slot,
	   m->ent[e].reserved_opaque, lock);
	if (lock)
		EXPECT_RC(RtmLockDestination(r, m->dest[d].real, TRUE, TRUE), NO_ERROR);
	DWORD err = RtmGetOpaqueInformationPointer(r, m->dest[d].real, &p);
	if (!m->ent[e].reserved_opaque) {
		if (lock)
			RtmLockDestination(r, m->dest[d].real, TRUE, FALSE);
		EXPECT_RC(err, ERROR_NOT_FOUND);
		EXPECT(p == (PVOID)(uintptr_t)0x55, "pointer written");
		return;
	}
	if (err != NO_ERROR && lock)
		RtmLockDestination(r, m->dest[d].real, TRUE, FALSE);
	EXPECT_RC(err, NO_ERROR);
	PVOID *slot = (PVOID *)p;
	uintptr_t now = (uintptr_t)*slot;
	uintptr_t next = R(D, 3) ? 0 : 0x4000 + R(D, 4);
	*slot = (PVOID)next;
	if (lock)
		EXPECT_RC(RtmLockDestination(r, m->dest[d].real, TRUE, FALSE), NO_ERROR);
	EXPECT(now == m->dest[d].opaque[e], "opaque slot holds %p, model %p", (void *)now, (void *)m->dest[d].opaque[e]);
	m->dest[d].opaque[e] = next;
}

/* calls whose registration handle is no live registration: ERROR_INVALID_HANDLE, nothing changes */
static void op_bad_reg(drv *D)
{
	void *bad = R(D, 2) ? garbage(D) : stale_handle(D);
	int d = pick_dest(D), r = pick_route(D, -1, -1), n = pick_nh(D, -1, -1);
	if (!bad || (bound_elsewhere(D, bad, NULL) && R(D, 2)))
		bad = (void *)(uintptr_t)0x4321;
	/* an object handle of the table as the registration handle is the wrong kind */
	if (P(D, 20) && d >= 0)
		bad = D->m.dest[d].real;
	dest_buf b;
	route_buf rb;
	RTM_NET_ADDRESS na;
	m_prefix q = rnd_prefix(D);
	net_of(D, &q, &na, 0);
	UINT cnt = 1;
	RTM_ENUM_HANDLE eh = NULL;
	unsigned which = R(D, 10);
	OP("bad registration handle %p in call %u", bad, which);
	DWORD err;
	switch (which) {
	case 0:
		err = RtmGetExactMatchDestination(bad, &na, 0, 3, &b.info);
		break;
	case 1:
		err = RtmGetDestInfo(bad, d >= 0 ? D->m.dest[d].real : NULL, 0, 3, &b.info);
		break;
	case 2:
		err = RtmGetRouteInfo(bad, r >= 0 ? D->m.route[r].real : NULL, &rb.info, NULL);
		break;
	case 3:
		err = RtmDeleteRouteToDest(bad, r >= 0 ? D->m.route[r].real : NULL, NULL);
		break;
	case 4:
		err = RtmDeleteNextHop(bad, n >= 0 ? D->m.nh[n].real : NULL, NULL);
		break;
	case 5:
		err = RtmCreateDestEnum(bad, 0, 0, NULL, 0, &eh);
		break;
	case 6:
		err = RtmGetEnumDests(bad, eh, &cnt, &b.info);
		break;
	case 7:
		err = RtmDeregisterEntity(bad);
		break;
	case 8:
		err = RtmReferenceHandles(bad, 1, r >= 0 ? &D->m.route[r].real : (HANDLE *)&eh);
		break;
	default:
		err = RtmAddRouteToDest(bad, NULL, &na, &rb.info, INFINITE, NULL, 0, NULL, NULL);
		break;
	}
	EXPECT_RC(err, ERROR_INVALID_HANDLE);
}

/* ---- the audit ----------------------------------------------------------------------------------- */

static void check_counts(drv *D)
{
	DWORD c[RTM_TEST_COUNT_KINDS];
	unsigned mc[7];
	EXPECT(test_object_counts(c), "statistics hook unavailable");
	m_counts(&D->m, mc);
	static const char *names[7] = { "entities", "dests", "routes", "next hops", "enums", "notify", "lists" };
	for (int i = 0; i < 7; i++)
		EXPECT(c[i] == D->counts0[i] + mc[i], "live %s: %lu, the model has %u", names[i],
		       (unsigned long)(c[i] - D->counts0[i]), mc[i]);
}

static void audit(drv *D)
{
	int e = pick_reg(D);
	if (e < 0)
		return;
	m_table *m = &D->m;
	RTM_ENTITY_HANDLE r = m->ent[e].real;
	int en = m_new_enum(m);
	if (en < 0)
		return;
	m_enum *x = &m->en[en];
	x->owner = e;
	x->dest = -1;
	x->list = -1;
	x->kind = ME_DEST;
	RTM_ENUM_HANDLE h = NULL;
	DWORD err = RtmCreateDestEnum(r, 0, RTM_ENUM_START, NULL, 0, &h);
	if (err != NO_ERROR) {
		x->used = 0;
		EXPECT_RC(err, NO_ERROR);
	}
	x->real = h;
	/* every destination in the table, in key order */
	for (;;) {
		UINT n = M_MAXENUM;
		int out[M_MAXENUM], ended;
		err = RtmGetEnumDests(r, h, &n, (PRTM_DEST_INFO)D->dbuf);
		int k = m_enum_dests(m, en, M_MAXENUM, out, &ended);
		if (err != (ended ? ERROR_NO_MORE_ITEMS : NO_ERROR) || n != (UINT)k) {
			fail(D, "audit: dest enumeration gave %u (%lu), the model %d", n, (unsigned long)err, k);
			break;
		}
		for (int i = 0; i < k; i++)
			if (!check_dest_info(D, (PRTM_DEST_INFO)(D->dbuf + (size_t)i * DI_STRIDE), out[i], 0, 0, e,
					     "audit dest"))
				break;
		RtmReleaseDests(r, n, (PRTM_DEST_INFO)D->dbuf);
		if (ended || D->failed)
			break;
	}
	RtmDeleteEnumHandle(r, h);
	x->used = 0;
	if (D->failed)
		return;
	/* each living destination's views */
	for (int d = 0; d < M_DESTS; d++) {
		if (!m->dest[d].used || !m->dest[d].real || !dest_referenced(D, d))
			continue;
		dest_buf b;
		err = RtmGetDestInfo(r, m->dest[d].real, 0, 3, &b.info);
		EXPECT(err == NO_ERROR, "audit: dest %d (/%u, %s) gives %lu", d, m->dest[d].p.len, why_dest(D, d),
		       (unsigned long)err);
		if (!check_dest_info(D, &b.info, d, 3, 0, e, "audit dest info"))
			return;
		RtmReleaseDestInfo(r, &b.info);
	}
	/* every registration's pending set and marks */
	for (int nt = 0; nt < M_NOTIFY; nt++) {
		m_notify *y = &m->notify[nt];
		if (!y->used)
			continue;
		for (int d = 0; d < M_DESTS; d++) {
			if (!m->dest[d].used || !m->dest[d].real || !dest_referenced(D, d))
				continue;
			BOOL st = 7, mk = 7;
			int pending = 0;
			for (int i = 0; i < y->npending; i++)
				pending |= y->pending[i] == d;
			EXPECT_RC(RtmGetChangeStatus(m->ent[y->owner].real, y->real, m->dest[d].real, &st), NO_ERROR);
			EXPECT(st == pending, "audit: dest %d pending in notify %d: %d, model %d", d, nt, (int)st, pending);
			EXPECT_RC(RtmIsMarkedForChangeNotification(m->ent[y->owner].real, y->real, m->dest[d].real, &mk),
				  NO_ERROR);
			EXPECT(mk == y->marked[d], "audit: dest %d marked in notify %d: %d, model %d", d, nt, (int)mk,
			       y->marked[d]);
		}
	}
	/* every route (hold-down ones too) in route order, with its info */
	en = m_new_enum(m);
	x = &m->en[en];
	x->owner = e;
	x->dest = -1;
	x->list = -1;
	x->kind = ME_ROUTE;
	err = RtmCreateRouteEnum(r, NULL, 0, RTM_ENUM_START, NULL, 0, NULL, 0, &h);
	if (err != NO_ERROR) {
		x->used = 0;
		EXPECT_RC(err, NO_ERROR);
	}
	x->real = h;
	for (;;) {
		UINT n = M_MAXENUM;
		int out[M_MAXENUM], ended;
		RTM_ROUTE_HANDLE hs[M_MAXENUM];
		err = RtmGetEnumRoutes(r, h, &n, hs);
		int k = m_enum_routes(m, en, M_MAXENUM, out, &ended);
		if (err != (ended ? ERROR_NO_MORE_ITEMS : NO_ERROR) || n != (UINT)k) {
			fail(D, "audit: route enumeration gave %u (%lu), the model %d", n, (unsigned long)err, k);
			break;
		}
		for (int i = 0; i < k && !D->failed; i++) {
			if (!CMP_H(route, out[i], hs[i], "audit route"))
				break;
			route_buf rb;
			if (RtmGetRouteInfo(r, hs[i], &rb.info, NULL) != NO_ERROR) {
				fail(D, "audit: RtmGetRouteInfo failed");
				break;
			}
			check_route_info(D, &rb.info, out[i], "audit route info");
			RtmReleaseRouteInfo(r, &rb.info);
		}
		RtmReleaseRoutes(r, n, hs);
		if (ended || D->failed)
			break;
	}
	RtmDeleteEnumHandle(r, h);
	x->used = 0;
	if (D->failed)
		return;
	/* every registered entity's next hops */
	for (int s = 0; s < SLOTS; s++) {
		int o = D->slot[s];
		if (o < 0)
			continue;
		en = m_new_enum(m);
		x = &m->en[en];
		x->owner = o;
		x->dest = -1;
		x->list = -1;
		x->kind = ME_NH;
		EXPECT_RC(RtmCreateNextHopEnum(m->ent[o].real, RTM_ENUM_START, NULL, &h), NO_ERROR);
		x->real = h;
		UINT n = M_MAXENUM;
		int out[M_MAXENUM], ended;
		RTM_NEXTHOP_HANDLE hs[M_MAXENUM];
		err = RtmGetEnumNextHops(m->ent[o].real, h, &n, hs);
		int k = m_enum_nhs(m, en, M_MAXENUM, out, &ended);
		if (err != ERROR_NO_MORE_ITEMS || n != (UINT)k)
			fail(D, "audit: next-hop enumeration gave %u (%lu), the model %d", n, (unsigned long)err, k);
		for (int i = 0; i < k && !D->failed; i++) {
			if (!CMP_H(nh, out[i], hs[i], "audit next hop"))
				break;
			RTM_NEXTHOP_INFO ni;
			if (RtmGetNextHopInfo(r, hs[i], &ni) == NO_ERROR) {
				check_nh_info(D, &ni, out[i], "audit next-hop info");
				RtmReleaseNextHopInfo(r, &ni);
			}
		}
		RtmReleaseNextHops(m->ent[o].real, n, hs);
		RtmDeleteEnumHandle(m->ent[o].real, h);
		x->used = 0;
		if (D->failed)
			return;
	}
}

/* ---- the run ------------------------------------------------------------------------------------- */

typedef void (*op_fn)(drv *);
static const struct {
	op_fn fn;
	unsigned weight;
} OPS[] = {
	{ op_register, 4 },	   { op_deregister, 1 },     { op_entities, 1 },   { op_entity_info, 1 },
	{ op_add_nh, 6 },	   { op_delete_nh, 2 },      { op_find_nh, 2 },    { op_nh_info, 2 },
	{ op_lock_nh, 1 },	   { op_add_route, 16 },     { op_delete_route, 6 }, { op_hold, 2 },
	{ op_lock_route, 2 },	   { op_route_info, 3 },     { op_dest_info, 3 },  { op_lookup, 6 },
	{ op_exact_route, 3 },	   { op_create_enum, 3 },    { op_enum_batch, 6 }, { op_delete_enum, 1 },
	{ op_notify_register, 2 }, { op_changed, 4 },        { op_notify_misc, 3 }, { op_list, 3 },
	{ op_reference, 2 },	   { op_release, 4 },        { op_opaque, 2 },     { op_bad_reg, 1 },
};
#define NOPS (sizeof(OPS) / sizeof(OPS[0]))

static void drv_step(drv *D)
{
	unsigned total = 0;
	for (unsigned i = 0; i < NOPS; i++)
		total += OPS[i].weight;
	unsigned pick = R(D, total), i = 0;
	while (pick >= OPS[i].weight)
		pick -= OPS[i++].weight;
	D->cur[0] = 0;
	drv_last.ops[i]++;
	OPS[i].fn(D);
	/* forget what nothing holds any more; remember its handles as stale */
	m_table *m = &D->m;
	void *was_r[M_ROUTES], *was_n[M_NHS], *was_d[M_DESTS];
	for (int k = 0; k < M_ROUTES; k++)
		was_r[k] = m->route[k].used ? m->route[k].real : NULL;
	for (int k = 0; k < M_NHS; k++)
		was_n[k] = m->nh[k].used ? m->nh[k].real : NULL;
	for (int k = 0; k < M_DESTS; k++)
		was_d[k] = m->dest[k].used ? m->dest[k].real : NULL;
	m_collect(m);
	for (int k = 0; k < M_ROUTES; k++)
		if (was_r[k] && !m->route[k].used)
			remember_stale(D, was_r[k]);
	for (int k = 0; k < M_NHS; k++)
		if (was_n[k] && !m->nh[k].used)
			remember_stale(D, was_n[k]);
	for (int k = 0; k < M_DESTS; k++)
		if (was_d[k] && !m->dest[k].used)
			remember_stale(D, was_d[k]);
	if (D->trace) {
		char lst[300];
		int at = 0;
		for (int i = 0; i < m->notify[0].npending && at < 280; i++)
			at += snprintf(lst + at, sizeof(lst) - (size_t)at, " %d", m->notify[0].pending[i]);
		lst[at] = 0;
		logf_(D, "   notify 0 (used %d owner %d views %#x flags %#x): %s", m->notify[0].used, m->notify[0].owner, m->notify[0].views, m->notify[0].flags, lst);
	}
	if (!D->failed)
		check_counts(D);
	if (!D->failed && D->o->check_every && D->step % D->o->check_every == 0) {
		snprintf(D->cur, sizeof(D->cur), "audit after step %u", D->step);
		audit(D);
	}
}

static void x_table_up(void)
{
	if (X.up)
		return;
	X.ent = test_register(9999, AF_INET, 4242, 1, NULL);
	X.nh = test_nexthop(X.ent, test_ipv4(10, 0, 0, 1, 32), 1);
	X.route = test_route(X.ent, test_ipv4(10, 0, 0, 0, 8), X.nh, 1, 1, RTM_VIEW_MASK_UCAST);
	X.dest = test_dest_of(X.ent, X.route);
	X.up = 1;
}

static int drv_run(drv *D, unsigned steps)
{
	x_table_up();
	D->out = D->o->out ? D->o->out : stderr;
	D->trace = D->o->log && getenv("RTM_MODEL_TRACE") != NULL;
	m_init(&D->m, D->o->ipv6 ? 128 : 32, D->o->ipv6 ? AF_INET6 : AF_INET);
	for (int s = 0; s < SLOTS; s++)
		D->slot[s] = -1;
	D->dbuf = calloc(M_MAXENUM, DI_STRIDE);
	DWORD c[RTM_TEST_COUNT_KINDS];
	test_object_counts(c);
	for (int i = 0; i < 7; i++)
		D->counts0[i] = c[i];
	memset(&drv_last, 0, sizeof(drv_last));
	for (D->step = 0; D->step < steps && !D->failed && !D->exhausted; D->step++)
		drv_step(D);
	drv_last.steps = D->step;
	/* the end: release everything, deregister everyone; what is left must be what the model keeps */
	if (!D->failed) {
		snprintf(D->cur, sizeof(D->cur), "final audit");
		audit(D);
	}
	if (!D->failed) {
		snprintf(D->cur, sizeof(D->cur), "clean-up");
		for (int s = 0; s < SLOTS && !D->failed; s++)
			if (D->slot[s] >= 0) {
				int e = D->slot[s];
				deregister(D, e);
			}
		m_collect(&D->m);
		if (!D->failed)
			check_counts(D);
		if (!D->o->holds && !D->failed) {
			unsigned mc[7];
			m_counts(&D->m, mc);
			for (int i = 0; i < 7; i++)
				if (mc[i])
					fail(D, "the model keeps %u objects of kind %d after clean-up", mc[i], i);
		}
	}
	int rc = D->failed;
	if (rc && D->o->log && D->log) {
		fprintf(D->out, "the shortest failing prefix: the %u operations up to the mismatch:\n",
			D->fail_step + 1);
		fwrite(D->log, 1, D->loglen, D->out);
	}
	if (rc && !D->o->log)
		fprintf(D->out, "(run again with the operation log to see the failing prefix)\n");
	free(D->log);
	free(D->dbuf);
	return rc;
}

int drv_run_seed(uint64_t seed, const drv_opts *o)
{
	drv *D = calloc(1, sizeof(*D));
	if (!D)
		return 1;
	D->o = o;
	D->rs = seed;
	int rc = drv_run(D, o->steps);
	if (rc)
		fprintf(D->out, "model test failed: seed %llu, %s, instance %u\n", (unsigned long long)seed,
			o->ipv6 ? "IPv6" : "IPv4", o->instance);
	free(D);
	return rc;
}

int drv_run_bytes(const uint8_t *data, size_t size, const drv_opts *o)
{
	drv *D = calloc(1, sizeof(*D));
	if (!D)
		return 1;
	D->o = o;
	D->data = data;
	D->size = size;
	int rc = drv_run(D, o->steps ? o->steps : 100000);
	free(D);
	return rc;
}

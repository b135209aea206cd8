/*
 * model.h - the reference model of one RTMv2 routing table, for the model-based random tests.
 *
 * A deliberately simple, obviously correct restatement of the table semantics of the spec
 * (rtmv2-functions-1.md, rtmv2-functions-2.md, spec README resolutions): fixed arrays of
 * objects, linear scans, sorting by brute force.  No handles, no locks, no trees: objects are
 * array indices.  The driver (driver.c) applies each operation both to the model and to the
 * real API and compares the answers.
 *
 * Who lives how long (functions-1 1.7, README resolution 1), computed from scratch by
 * m_collect() after every operation:
 *   route     live, or held down in some view, or referenced by the client;
 *   next hop  in its owner's list, or referenced by the client, or used (neighbour or next-hop
 *             list) by a route that lives;
 *   dest      in the table (a live or held route), or referenced by the client, or named by a
 *             living route or a living next hop's RemoteNextHop, or pending or marked in a
 *             change-notification registration, or holding a non-NULL opaque pointer;
 *   entity    registered, or referenced by the client, or owning a living route or next hop.
 * Enumerations, notification registrations and route lists live until deleted or until their
 * owner deregisters.
 */
#ifndef RTM_TESTS_MODEL_H
#define RTM_TESTS_MODEL_H

#include <stdint.h>
#include <string.h>

#define M_ENTS 64     /* entity objects (registrations come and go) */
#define M_NHS 160     /* next-hop objects */
#define M_DESTS 80    /* destination objects */
#define M_ROUTES 320  /* route objects */
#define M_NOTIFY 16   /* notification registrations */
#define M_LISTS 16    /* route lists */
#define M_ENUMS 24    /* enumerations */
#define M_LIST_CAP 400
#define M_MAXNH 8     /* MaxNextHopsInRoute */
#define M_MAXENUM 100 /* MaxHandlesInEnum */
#define M_VIEWS 2
#define M_VIEWMASK 3u

typedef struct {
	uint8_t b[16]; /* canonical: bits past len are zero */
	uint16_t len;
} m_prefix;

typedef struct {
	int used;
	int registered;
	int slot; /* the driver's protocol slot */
	uint32_t proto, inst;
	int reserved_opaque;
	unsigned regseq; /* registration order */
	int crefs;
	void *real;
} m_entity;

typedef struct {
	int used;
	int owner;
	m_prefix addr;
	uint32_t ifindex;
	int deleted;
	uint16_t flags;
	uintptr_t esi;
	int remote; /* dest id or -1 */
	int crefs;
	void *real;
} m_nexthop;

typedef struct {
	int used;
	int dest, owner;
	int neighbour; /* next-hop id or -1 */
	int nnh, nh[M_MAXNH];
	uint8_t flags1;
	uint16_t flags;
	uint32_t pref, metric, views;
	uintptr_t esi;
	int live;
	unsigned seq;     /* insertion sequence: ties rank the older first */
	int held_views;   /* views where it is the HoldRoute */
	unsigned holdseq; /* when its hold started */
	int list;         /* route list id or -1 */
	int crefs;
	void *real;
} m_route;

typedef struct {
	int used;
	m_prefix p;
	uint32_t hold_mask; /* views marked by RtmHoldDestination */
	int hold[M_VIEWS];  /* HoldRoute per view, route id or -1 */
	uintptr_t opaque[M_ENTS]; /* per entity object */
	int crefs;
	void *real;
} m_dest;

typedef struct {
	int used, owner;
	uint32_t views, flags; /* effective views; change types | ONLY_MARKED */
	uint8_t marked[M_DESTS];
	int pending[M_DESTS], npending; /* FIFO of dest ids */
	void *real;
} m_notify;

/* a route list: members in order, with one marker entry -(enum id + 1) per open list enumeration */
typedef struct {
	int used, owner;
	int item[M_LIST_CAP], n;
	void *real;
} m_list;

enum m_enum_kind { ME_DEST, ME_ROUTE, ME_NH, ME_LIST };

typedef struct {
	int dest;    /* id or -1 */
	int cls;     /* 0 live, 1 hold */
	uint32_t pref, metric;
	unsigned seq; /* seq (live) or holdseq (hold) */
	uint32_t ifindex;
} m_rkey;

typedef struct {
	int used, owner, kind;
	uint32_t views;  /* effective; 0 = any */
	uint32_t flags;  /* position | ownership */
	m_prefix start;
	uint32_t protocol;
	/* route enumerations */
	int dest;        /* only this destination, or -1 */
	uint32_t match;
	void *c_owner, *c_neighbour; /* criteria handles, by value */
	uint32_t c_pref, c_metric;
	int c_nnh;
	void *c_nh[M_MAXNH];
	uint32_t c_ifindex;
	/* position */
	int started, ended;
	m_prefix last;    /* dest/next-hop key of the last item returned */
	uint32_t last_if; /* next hops: interface of the last one */
	m_rkey lastr;     /* routes: in-destination position of the last one */
	int list;         /* list enumerations: list id or -1 once deleted */
	void *real;
} m_enum;

typedef struct {
	int width;      /* 32 or 128 */
	uint16_t family;
	m_entity ent[M_ENTS];
	m_nexthop nh[M_NHS];
	m_dest dest[M_DESTS];
	m_route route[M_ROUTES];
	m_notify notify[M_NOTIFY];
	m_list list[M_LISTS];
	m_enum en[M_ENUMS];
	unsigned seq, holdseq, regseq;
} m_table;

/* per-view snapshot of a destination, for change classification */
typedef struct {
	int n;
	int id[M_ROUTES / 4];
	uint64_t sig[M_ROUTES / 4]; /* observable fields */
	int best;
	uint64_t best_sig, best_fwd_sig;
	int hold;
} m_viewsnap;
typedef struct {
	m_viewsnap v[M_VIEWS];
} m_snap;

/* prefixes */
void m_canon(m_prefix *p, int width);
int m_key_cmp(const m_prefix *a, const m_prefix *b);
int m_prefix_eq(const m_prefix *a, const m_prefix *b);
int m_covers(const m_prefix *outer, const m_prefix *inner); /* inner inside outer's range */

/* views: bits of unsupported views masked off (lookups, info) */
static inline uint32_t m_views(uint32_t t) { return t & M_VIEWMASK; }

void m_init(m_table *m, int width, uint16_t family);
int m_new_entity(m_table *m);
int m_new_nexthop(m_table *m);
int m_new_route(m_table *m);
int m_find_dest(const m_table *m, const m_prefix *p); /* living dest object of that prefix, or -1 */
int m_get_dest(m_table *m, const m_prefix *p);        /* ... created if none */
int m_new_notify(m_table *m);
int m_new_list(m_table *m);
int m_new_enum(m_table *m);

/* ranking and best routes */
int m_rank_cmp(const m_table *m, int a, int b);
int m_dest_routes(const m_table *m, int d, int *out); /* live routes of d in rank order */
int m_best(const m_table *m, int d, int view, uint32_t proto); /* proto 0: any owner */
int m_in_table(const m_table *m, int d);
int m_visible(const m_table *m, int d, uint32_t views); /* views already masked; 0 = in table */
uint32_t m_belongs(const m_table *m, int d);
int m_num_routes(const m_table *m, int d, int view);
uint32_t m_best_views(const m_table *m, int r);
uint32_t m_proto_of(const m_table *m, uint32_t selector, int caller);

/* changes */
void m_snap_take(const m_table *m, int d, m_snap *s);
uint32_t m_classify(const m_snap *before, const m_snap *after, uint32_t out[M_VIEWS]); /* OR of types */
void m_record(m_table *m, int d, const uint32_t types[M_VIEWS]);

/* operations (the effects only; the driver checks the argument errors) */
void m_route_delete(m_table *m, int r);
void m_list_remove(m_table *m, int r);
void m_list_append(m_table *m, int list, int r);
void m_deregister(m_table *m, int e);
void m_close_notify(m_table *m, int n);
void m_close_enum(m_table *m, int en);
void m_close_list(m_table *m, int l);

/* liveness */
void m_collect(m_table *m); /* frees every model object nothing holds */
void m_counts(const m_table *m, unsigned counts[7]);

/* enumerations: the next batch; returns the count, *ended set when fewer than cap */
int m_enum_dests(m_table *m, int en, int cap, int *out, int *ended);
int m_enum_routes(m_table *m, int en, int cap, int *out, int *ended);
int m_enum_nhs(m_table *m, int en, int cap, int *out, int *ended);
int m_enum_list(m_table *m, int en, int cap, int *out);
int m_route_matches(const m_table *m, int r, uint32_t match, void *owner, void *neighbour, uint32_t pref,
		    uint32_t metric, int nnh, void *const *nh, uint32_t ifindex);

#endif

/*
 * test_badinput.c - bad input to every foundation function: NULL pointers, garbage, stale,
 * wrong-kind and other-table handles, malformed addresses, bad flags and counts
 * (rtmv2-functions-1.md 1.7, 1.13 and each function's error list; functions-2 0.2, 0.3).
 * Each bad call must return its documented error, write no output, change nothing in the
 * table (checked with a fingerprint of counts, lookups and object contents) and never crash
 * (run it under ASan/UBSan too).
 */
#include "test_util.h"

#define PROTO_A 100
#define PROTO_B 200

static VOID WINAPI dummy_method(RTM_ENTITY_HANDLE caller, RTM_ENTITY_HANDLE callee, RTM_ENTITY_METHOD_INPUT *in,
				RTM_ENTITY_METHOD_OUTPUT *out)
{
	(void)caller, (void)callee, (void)in, (void)out;
}

/* ---- the fixture ------------------------------------------------------------------------------ */

static struct {
	RTM_ENTITY_HANDLE a, b, plain, other, v6;
	RTM_NEXTHOP_HANDLE na, nb, nother, nv6, ndel;
	RTM_ROUTE_HANDLE ra, rb, rother, rv6, rdel;
	RTM_DEST_HANDLE d1, dother, dv6;
	RTM_ENTITY_HANDLE stale_entity;
	RTM_ROUTE_HANDLE stale_route;
	RTM_NEXTHOP_HANDLE stale_nh;
	RTM_DEST_HANDLE stale_dest;
} F;

static int stack_word;

static RTM_NET_ADDRESS D1(void) { return test_ipv4(10, 50, 0, 0, 16); }
static RTM_NET_ADDRESS DNEW(void) { return test_ipv4(10, 60, 0, 0, 16); }
static RTM_NET_ADDRESS NHNEW(void) { return test_ipv4(10, 99, 0, 1, 32); }
static RTM_NET_ADDRESS BITS33(void)
{
	RTM_NET_ADDRESS n = test_ipv4(10, 61, 0, 0, 16);
	n.NumBits = 33;
	return n;
}

static void fixture_up(void)
{
	memset(&F, 0, sizeof(F));
	F.a = test_register(0, AF_INET, PROTO_A, 1, NULL);
	F.b = test_register(0, AF_INET, PROTO_B, 1, NULL);
	F.plain = test_register(0, AF_INET, PROTO_B, 2, NULL); /* owns nothing */
	F.other = test_register(1, AF_INET, PROTO_A, 1, NULL);
	F.v6 = test_register(0, AF_INET6, PROTO_A, 1, NULL);
	F.na = test_nexthop(F.a, test_ipv4(10, 0, 0, 1, 32), 1);
	F.nb = test_nexthop(F.b, test_ipv4(10, 0, 0, 2, 32), 2);
	F.nother = test_nexthop(F.other, test_ipv4(10, 0, 0, 1, 32), 1);
	F.nv6 = test_nexthop(F.v6, test_ipv6(0xfe80, 0, 0, 1, 128), 1);
	F.ra = test_route(F.a, D1(), F.na, 10, 1, RTM_VIEW_MASK_UCAST);
	F.rb = test_route(F.b, D1(), F.nb, 20, 2, RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST);
	F.rother = test_route(F.other, D1(), F.nother, 10, 1, RTM_VIEW_MASK_UCAST);
	F.rv6 = test_route(F.v6, test_ipv6(0x2001, 0xdb8, 0, 0, 32), F.nv6, 10, 1, RTM_VIEW_MASK_UCAST);
	F.d1 = test_dest_of(F.a, F.ra);
	F.dother = test_dest_of(F.other, F.rother);
	F.dv6 = test_dest_of(F.v6, F.rv6);

	/* a deleted next hop and a deleted route, both still referenced */
	F.ndel = test_nexthop(F.a, test_ipv4(10, 0, 0, 3, 32), 3);
	ok(RtmReferenceHandles(F.a, 1, &F.ndel) == NO_ERROR, "reference\n");
	ok(RtmDeleteNextHop(F.a, F.ndel, NULL) == NO_ERROR, "delete next hop\n");
	F.rdel = test_route(F.a, test_ipv4(10, 51, 0, 0, 16), F.na, 10, 1, RTM_VIEW_MASK_UCAST);
	ok(RtmReferenceHandles(F.a, 1, &F.rdel) == NO_ERROR, "reference\n");
	ok(RtmDeleteRouteToDest(F.a, F.rdel, NULL) == NO_ERROR, "delete route\n");

	/* stale handles: their objects are gone */
	F.stale_entity = test_register(0, AF_INET, 999, 9, NULL);
	test_deregister(F.stale_entity);
	F.stale_nh = test_nexthop(F.a, test_ipv4(10, 0, 0, 4, 32), 4);
	ok(RtmDeleteNextHop(F.a, F.stale_nh, NULL) == NO_ERROR, "delete next hop\n");
	F.stale_route = test_route(F.a, test_ipv4(10, 52, 0, 0, 16), F.na, 10, 1, RTM_VIEW_MASK_UCAST);
	F.stale_dest = test_dest_of(F.a, F.stale_route);
	ok(RtmDeleteRouteToDest(F.a, F.stale_route, NULL) == NO_ERROR, "delete route\n");
}

static void fixture_down(void)
{
	RTM_ROUTE_HANDLE ra[2] = { F.ra, F.rdel };
	ok(RtmReleaseRoutes(F.a, 2, ra) == NO_ERROR, "release routes\n");
	RTM_NEXTHOP_HANDLE na[2] = { F.na, F.ndel };
	ok(RtmReleaseNextHops(F.a, 2, na) == NO_ERROR, "release next hops\n");
	ok(RtmReleaseRoutes(F.b, 1, &F.rb) == NO_ERROR && RtmReleaseNextHops(F.b, 1, &F.nb) == NO_ERROR, "b\n");
	ok(RtmReleaseRoutes(F.other, 1, &F.rother) == NO_ERROR &&
		   RtmReleaseNextHops(F.other, 1, &F.nother) == NO_ERROR,
	   "other\n");
	ok(RtmReleaseRoutes(F.v6, 1, &F.rv6) == NO_ERROR && RtmReleaseNextHops(F.v6, 1, &F.nv6) == NO_ERROR,
	   "v6\n");
	test_deregister(F.a);
	test_deregister(F.b);
	test_deregister(F.plain);
	test_deregister(F.other);
	test_deregister(F.v6);
	expect_no_live_objects();
}

/* registration handles that are not a live registration */
static HANDLE bad_regs[16];
static int n_bad_regs;
/* object handles that are not valid for the caller's table; filled per kind */
static HANDLE garbage[8];
static int n_garbage;

static void bad_lists(void)
{
	n_garbage = 0;
	garbage[n_garbage++] = (HANDLE)0x1234;
	garbage[n_garbage++] = (HANDLE)~(ULONG_PTR)0;
	garbage[n_garbage++] = (HANDLE)&stack_word;
	garbage[n_garbage++] = (HANDLE)((char *)&stack_word + 1);
	garbage[n_garbage++] = (HANDLE)(ULONG_PTR)0xFFFFFFFFu;
	garbage[n_garbage++] = (HANDLE)(ULONG_PTR)0x80000000u;
	garbage[n_garbage++] = (HANDLE)(ULONG_PTR)0x00010001u;
	n_bad_regs = 0;
	bad_regs[n_bad_regs++] = NULL;
	for (int i = 0; i < n_garbage; i++)
		bad_regs[n_bad_regs++] = garbage[i];
	bad_regs[n_bad_regs++] = F.stale_entity;
	bad_regs[n_bad_regs++] = F.ra;   /* a route */
	bad_regs[n_bad_regs++] = F.d1;   /* a destination */
	bad_regs[n_bad_regs++] = F.na;   /* a next hop */
}

/* wrong[] = garbage + stale + wrong kinds + another table's + the IPv6 table's, for an argument of kind k */
enum kind { K_ENTITY, K_DEST, K_ROUTE, K_NEXTHOP };
static int wrong_handles(enum kind k, HANDLE *out)
{
	int n = 0;
	for (int i = 0; i < n_garbage; i++)
		out[n++] = garbage[i];
	switch (k) {
	case K_ENTITY:
		out[n++] = F.stale_entity;
		out[n++] = F.other;
		out[n++] = F.v6;
		break;
	case K_DEST:
		out[n++] = F.stale_dest;
		out[n++] = F.dother;
		out[n++] = F.dv6;
		break;
	case K_ROUTE:
		out[n++] = F.stale_route;
		out[n++] = F.rother;
		out[n++] = F.rv6;
		break;
	case K_NEXTHOP:
		out[n++] = F.stale_nh;
		out[n++] = F.nother;
		out[n++] = F.nv6;
		break;
	}
	if (k != K_ENTITY)
		out[n++] = F.a;
	if (k != K_DEST)
		out[n++] = F.d1;
	if (k != K_ROUTE)
		out[n++] = F.ra;
	if (k != K_NEXTHOP)
		out[n++] = F.na;
	return n;
}

/* ---- the fingerprint: what "changes nothing" is checked against ------------------------------- */

#define NPROBES 4
typedef struct {
	DWORD counts[RTM_TEST_COUNT_KINDS];
	struct {
		DWORD err;
		UINT nroutes[2];
		RTM_ROUTE_HANDLE route[2];
		DWORD views;
	} dest[NPROBES];
	struct {
		DWORD err;
		UCHAR state;
		USHORT flags, nnh;
		ULONG pref, metric;
		DWORD views;
		RTM_NEXTHOP_HANDLE nbr, nh0;
		PVOID esi;
	} route[4];
	struct {
		DWORD err;
		USHORT state, flags;
		PVOID esi;
		RTM_DEST_HANDLE remote;
	} nh[3];
	DWORD nhnew_err;
	UINT entities;
} fingerprint;

static void fp_take(fingerprint *fp)
{
	memset(fp, 0, sizeof(*fp));
	test_object_counts(fp->counts);
	RTM_NET_ADDRESS probes[NPROBES] = { D1(), DNEW(), test_ipv4(10, 51, 0, 0, 16), test_ipv4(10, 61, 0, 0, 16) };
	for (int i = 0; i < NPROBES; i++) {
		test_dest_info_buf b;
		fp->dest[i].err = RtmGetExactMatchDestination(F.a, &probes[i], RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL,
							      &b.info);
		if (fp->dest[i].err == NO_ERROR) {
			const RTM_DEST_INFO *p = &b.info;
			for (int v = 0; v < 2; v++) {
				fp->dest[i].nroutes[v] = p->ViewInfo[v].NumRoutes;
				fp->dest[i].route[v] = p->ViewInfo[v].Route;
			}
			fp->dest[i].views = b.info.BelongsToViews;
			RtmReleaseDestInfo(F.a, &b.info);
		}
	}
	RTM_ROUTE_HANDLE rs[4] = { F.ra, F.rb, F.rdel, F.rother };
	for (int i = 0; i < 4; i++) {
		test_route_info_buf b;
		RTM_ENTITY_HANDLE reg = i == 3 ? F.other : F.a;
		fp->route[i].err = RtmGetRouteInfo(reg, rs[i], &b.info, NULL);
		if (fp->route[i].err == NO_ERROR) {
			fp->route[i].state = b.info.State;
			fp->route[i].flags = b.info.Flags;
			fp->route[i].nnh = b.info.NextHopsList.NumNextHops;
			fp->route[i].pref = b.info.PrefInfo.Preference;
			fp->route[i].metric = b.info.PrefInfo.Metric;
			fp->route[i].views = b.info.BelongsToViews;
			fp->route[i].nbr = b.info.Neighbour;
			fp->route[i].nh0 = b.info.NextHopsList.NumNextHops ? test_hops(&b.info)[0] : NULL;
			fp->route[i].esi = b.info.EntitySpecificInfo;
			RtmReleaseRouteInfo(reg, &b.info);
		}
	}
	RTM_NEXTHOP_HANDLE ns[3] = { F.na, F.nb, F.ndel };
	for (int i = 0; i < 3; i++) {
		RTM_NEXTHOP_INFO n;
		fp->nh[i].err = RtmGetNextHopInfo(F.a, ns[i], &n);
		if (fp->nh[i].err == NO_ERROR) {
			fp->nh[i].state = n.State;
			fp->nh[i].flags = n.Flags;
			fp->nh[i].esi = n.EntitySpecificInfo;
			fp->nh[i].remote = n.RemoteNextHop;
			RtmReleaseNextHopInfo(F.a, &n);
		}
	}
	RTM_NEXTHOP_INFO q;
	memset(&q, 0, sizeof(q));
	q.NextHopAddress = NHNEW();
	q.InterfaceIndex = 99;
	fp->nhnew_err = RtmFindNextHop(F.a, &q, NULL, NULL);
	fp->entities = 0;
	RtmGetRegisteredEntities(F.a, &fp->entities, NULL, NULL);
}

static void fp_expect(const fingerprint *before, const char *what, int idx, int line)
{
	fingerprint now;
	fp_take(&now);
	ok(!memcmp(before, &now, sizeof(now)), "line %d (%s, case %d): the failed call changed the table\n", line,
	   what, idx);
}

static int bad_case; /* index of the bad value being tried, for messages */

#define BAD(call, want)                                                                             \
	do {                                                                                        \
		fingerprint fp_;                                                                    \
		fp_take(&fp_);                                                                      \
		DWORD e_ = (call);                                                                  \
		ok(e_ == (DWORD)(want), "line %d (case %d): %s: got %lu, expected %lu\n", __LINE__, \
		   bad_case, #call, (unsigned long)e_, (unsigned long)(want));                      \
		fp_expect(&fp_, #call, bad_case, __LINE__);                                         \
	} while (0)

#define FOR_BAD_REGS(r) for (bad_case = 0; bad_case < n_bad_regs && (((r) = bad_regs[bad_case]), 1); bad_case++)

/* ---- registration and entities ---------------------------------------------------------------- */

static void test_bad_register(void)
{
	RTM_ENTITY_INFO info;
	RTM_REGN_PROFILE prof;
	RTM_ENTITY_HANDLE h;
	union {
		RTM_ENTITY_EXPORT_METHODS m;
		char room[sizeof(RTM_ENTITY_EXPORT_METHODS) + 40 * sizeof(RTM_ENTITY_EXPORT_METHOD)];
	} em;

	memset(&info, 0, sizeof(info));
	info.RtmInstanceId = 0;
	info.AddressFamily = AF_INET;
	info.EntityId.EntityProtocolId = 777;
	bad_case = 0;
#define REG_FAILS(i, m, p, hh, want)                                                               \
	do {                                                                                       \
		memset(&prof, 0xcc, sizeof(prof));                                                 \
		h = (RTM_ENTITY_HANDLE)0x77;                                                       \
		BAD(RtmRegisterEntity(i, m, NULL, FALSE, p, hh), want);                            \
		ok(h == (RTM_ENTITY_HANDLE)0x77 && prof.NumberOfViews == 0xcccccccc,               \
		   "line %d: output written on failure\n", __LINE__);                              \
	} while (0)
	REG_FAILS(NULL, NULL, &prof, &h, ERROR_INVALID_PARAMETER);
	REG_FAILS(&info, NULL, NULL, &h, ERROR_INVALID_PARAMETER);
	REG_FAILS(&info, NULL, &prof, NULL, ERROR_INVALID_PARAMETER);
	static const USHORT families[] = { 0, 1, 10, 3, 24, 0xFFFF };
	for (bad_case = 0; bad_case < (int)(sizeof(families) / sizeof(families[0])); bad_case++) {
		info.AddressFamily = families[bad_case];
		REG_FAILS(&info, NULL, &prof, &h, ERROR_INVALID_PARAMETER);
	}
	info.AddressFamily = AF_INET;
	bad_case = 0;
	RTM_ENTITY_EXPORT_METHOD *methods = em.m.Methods;
	memset(&em, 0, sizeof(em));
	for (int i = 0; i < 40; i++)
		methods[i] = dummy_method;
	em.m.NumMethods = 33;
	REG_FAILS(&info, &em.m, &prof, &h, ERROR_INVALID_DATA);
	em.m.NumMethods = 0xFFFFFFFF;
	REG_FAILS(&info, &em.m, &prof, &h, ERROR_INVALID_DATA);
	em.m.NumMethods = 3;
	methods[2] = NULL;
	REG_FAILS(&info, &em.m, &prof, &h, ERROR_INVALID_DATA);
	/* the limits themselves are fine: 32 methods; 0 methods; an entry past NumMethods is not read */
	methods[2] = dummy_method;
	em.m.NumMethods = 32;
	methods[32] = NULL;
	h = NULL;
	expect_eq(RtmRegisterEntity(&info, &em.m, NULL, FALSE, &prof, &h), NO_ERROR);
	test_deregister(h);
	em.m.NumMethods = 0;
	methods[0] = NULL;
	expect_eq(RtmRegisterEntity(&info, &em.m, NULL, FALSE, &prof, &h), NO_ERROR);
	test_deregister(h);
#undef REG_FAILS
}

static void test_bad_entities(void)
{
	RTM_ENTITY_HANDLE r, hs[8];
	RTM_ENTITY_INFO is[8], ei;
	HANDLE wrong[32];
	UINT n;
	int nw;

	FOR_BAD_REGS(r) BAD(RtmDeregisterEntity(r), ERROR_INVALID_HANDLE);

	/* RtmGetRegisteredEntities */
	FOR_BAD_REGS(r)
	{
		n = 8;
		memset(hs, 0x5a, sizeof(hs));
		BAD(RtmGetRegisteredEntities(r, &n, hs, is), ERROR_INVALID_HANDLE);
		ok(n == 8 && hs[0] == (RTM_ENTITY_HANDLE)(ULONG_PTR)0x5a5a5a5a5a5a5a5aull, "output written\n");
		BAD(RtmGetRegisteredEntities(r, NULL, hs, is), ERROR_INVALID_HANDLE);
	}
	bad_case = 0;
	BAD(RtmGetRegisteredEntities(F.a, NULL, hs, is), ERROR_INVALID_PARAMETER);
	BAD(RtmGetRegisteredEntities(F.a, NULL, NULL, NULL), ERROR_INVALID_PARAMETER);

	/* RtmReleaseEntities */
	FOR_BAD_REGS(r) BAD(RtmReleaseEntities(r, 1, &F.plain), ERROR_INVALID_HANDLE);
	bad_case = 0;
	BAD(RtmReleaseEntities(F.a, 1, NULL), ERROR_INVALID_PARAMETER);
	nw = wrong_handles(K_ENTITY, wrong);
	for (bad_case = 0; bad_case < nw; bad_case++)
		BAD(RtmReleaseEntities(F.a, 1, &wrong[bad_case]), ERROR_INVALID_HANDLE);
	/* plain owns nothing: its one client reference is exactly what can be released */
	expect_eq(RtmReferenceHandles(F.a, 1, &F.plain), NO_ERROR);
	for (bad_case = 0; bad_case < nw; bad_case++) {
		RTM_ENTITY_HANDLE two[3] = { F.plain, NULL, wrong[bad_case] };
		BAD(RtmReleaseEntities(F.a, 3, two), ERROR_INVALID_HANDLE);
	}
	{
		RTM_ENTITY_HANDLE twice[2] = { F.plain, F.plain };
		bad_case = 0;
		BAD(RtmReleaseEntities(F.a, 2, twice), ERROR_INVALID_HANDLE);
	}
	expect_eq(RtmReleaseEntities(F.a, 1, &F.plain), NO_ERROR);
	bad_case = 0;
	BAD(RtmReleaseEntities(F.a, 1, &F.plain), ERROR_INVALID_HANDLE);

	/* RtmGetEntityInfo */
	FOR_BAD_REGS(r)
	{
		memset(&ei, 0xcc, sizeof(ei));
		BAD(RtmGetEntityInfo(r, F.b, &ei), ERROR_INVALID_HANDLE);
		ok(ei.RtmInstanceId == 0xcccc, "output written\n");
		BAD(RtmGetEntityInfo(r, F.b, NULL), ERROR_INVALID_HANDLE);
	}
	bad_case = 0;
	BAD(RtmGetEntityInfo(F.a, F.b, NULL), ERROR_INVALID_PARAMETER);
	BAD(RtmGetEntityInfo(F.a, (RTM_ENTITY_HANDLE)0x1234, NULL), ERROR_INVALID_PARAMETER);
	for (bad_case = 0; bad_case < nw; bad_case++) {
		memset(&ei, 0xcc, sizeof(ei));
		BAD(RtmGetEntityInfo(F.a, wrong[bad_case], &ei), ERROR_INVALID_HANDLE);
		ok(ei.RtmInstanceId == 0xcccc, "case %d: output written\n", bad_case);
	}

	/* RtmReleaseEntityInfo */
	expect_eq(RtmGetEntityInfo(F.a, F.b, &ei), NO_ERROR);
	FOR_BAD_REGS(r) BAD(RtmReleaseEntityInfo(r, &ei), ERROR_INVALID_HANDLE);
	bad_case = 0;
	BAD(RtmReleaseEntityInfo(F.a, NULL), ERROR_INVALID_PARAMETER);
}

/* ---- next hops -------------------------------------------------------------------------------- */

static void test_bad_next_hops(void)
{
	RTM_ENTITY_HANDLE r;
	RTM_NEXTHOP_INFO in, out;
	RTM_NEXTHOP_HANDLE h;
	PRTM_NEXTHOP_INFO p;
	RTM_NEXTHOP_CHANGE_FLAGS cf;
	HANDLE wrong[32], wrongd[32];
	int nw = wrong_handles(K_NEXTHOP, wrong), nwd = wrong_handles(K_DEST, wrongd);

	memset(&in, 0, sizeof(in));
	in.NextHopAddress = NHNEW();
	in.InterfaceIndex = 99;

	/* RtmAddNextHop */
	FOR_BAD_REGS(r)
	{
		h = NULL;
		cf = 0x77;
		BAD(RtmAddNextHop(r, &in, &h, &cf), ERROR_INVALID_HANDLE);
		ok(h == NULL && cf == 0x77, "output written\n");
		BAD(RtmAddNextHop(r, NULL, &h, &cf), ERROR_INVALID_HANDLE);
	}
	bad_case = 0;
	BAD(RtmAddNextHop(F.a, NULL, &h, &cf), ERROR_INVALID_PARAMETER);
	h = (RTM_NEXTHOP_HANDLE)0x1234;
	BAD(RtmAddNextHop(F.a, NULL, &h, &cf), ERROR_INVALID_PARAMETER);
	{
		RTM_NEXTHOP_INFO b33 = in;
		b33.NextHopAddress.NumBits = 33;
		h = NULL;
		BAD(RtmAddNextHop(F.a, &b33, &h, &cf), ERROR_INVALID_PARAMETER);
		BAD(RtmAddNextHop(F.a, &b33, NULL, NULL), ERROR_INVALID_PARAMETER);
		b33.NextHopAddress.NumBits = 0xFFFF;
		BAD(RtmAddNextHop(F.a, &b33, NULL, NULL), ERROR_INVALID_PARAMETER);
		ok(h == NULL, "output written\n");
	}
	for (bad_case = 0; bad_case < nw; bad_case++) {
		h = wrong[bad_case];
		cf = 0x77;
		BAD(RtmAddNextHop(F.a, &in, &h, &cf), ERROR_INVALID_HANDLE);
		ok(h == wrong[bad_case] && cf == 0x77, "case %d: output written\n", bad_case);
	}
	bad_case = 0;
	h = F.ndel; /* deleted */
	BAD(RtmAddNextHop(F.a, &in, &h, &cf), ERROR_INVALID_HANDLE);
	h = F.nb; /* another entity's */
	BAD(RtmAddNextHop(F.a, &in, &h, &cf), ERROR_ACCESS_DENIED);
	for (bad_case = 0; bad_case < nwd; bad_case++) {
		RTM_NEXTHOP_INFO rem = in;
		rem.Flags = RTM_NEXTHOP_FLAGS_REMOTE;
		rem.RemoteNextHop = wrongd[bad_case];
		h = NULL;
		BAD(RtmAddNextHop(F.a, &rem, &h, NULL), ERROR_INVALID_HANDLE);
		/* ... also as an update of an existing next hop, which then keeps its old values */
		h = F.na;
		BAD(RtmAddNextHop(F.a, &rem, &h, NULL), ERROR_INVALID_HANDLE);
	}

	/* RtmFindNextHop */
	FOR_BAD_REGS(r)
	{
		h = (RTM_NEXTHOP_HANDLE)0x77;
		p = (PRTM_NEXTHOP_INFO)0x88;
		BAD(RtmFindNextHop(r, &in, &h, &p), ERROR_INVALID_HANDLE);
		ok(h == (RTM_NEXTHOP_HANDLE)0x77 && p == (PRTM_NEXTHOP_INFO)0x88, "output written\n");
	}
	bad_case = 0;
	BAD(RtmFindNextHop(F.a, NULL, &h, &p), ERROR_INVALID_PARAMETER);
	{
		RTM_NEXTHOP_INFO b33;
		memset(&b33, 0, sizeof(b33));
		b33.NextHopAddress = test_ipv4(10, 0, 0, 1, 33);
		b33.InterfaceIndex = 1;
		BAD(RtmFindNextHop(F.a, &b33, &h, &p), ERROR_INVALID_PARAMETER);
		ok(h == (RTM_NEXTHOP_HANDLE)0x77 && p == (PRTM_NEXTHOP_INFO)0x88, "output written\n");
	}

	/* RtmDeleteNextHop */
	FOR_BAD_REGS(r) BAD(RtmDeleteNextHop(r, F.na, NULL), ERROR_INVALID_HANDLE);
	bad_case = 0;
	BAD(RtmDeleteNextHop(F.a, NULL, NULL), ERROR_INVALID_PARAMETER);
	{
		RTM_NEXTHOP_INFO b33;
		memset(&b33, 0, sizeof(b33));
		b33.NextHopAddress = test_ipv4(10, 0, 0, 1, 33);
		b33.InterfaceIndex = 1;
		BAD(RtmDeleteNextHop(F.a, NULL, &b33), ERROR_INVALID_PARAMETER);
	}
	BAD(RtmDeleteNextHop(F.a, NULL, &in), ERROR_NOT_FOUND);
	BAD(RtmDeleteNextHop(F.a, F.ndel, NULL), ERROR_NOT_FOUND);
	BAD(RtmDeleteNextHop(F.a, F.nb, NULL), ERROR_ACCESS_DENIED);
	for (bad_case = 0; bad_case < nw; bad_case++)
		BAD(RtmDeleteNextHop(F.a, wrong[bad_case], NULL), ERROR_INVALID_HANDLE);

	/* RtmGetNextHopInfo */
	FOR_BAD_REGS(r)
	{
		memset(&out, 0xcc, sizeof(out));
		BAD(RtmGetNextHopInfo(r, F.na, &out), ERROR_INVALID_HANDLE);
		ok(out.InterfaceIndex == 0xcccccccc, "output written\n");
		BAD(RtmGetNextHopInfo(r, F.na, NULL), ERROR_INVALID_HANDLE);
	}
	bad_case = 0;
	BAD(RtmGetNextHopInfo(F.a, F.na, NULL), ERROR_INVALID_PARAMETER);
	BAD(RtmGetNextHopInfo(F.a, (RTM_NEXTHOP_HANDLE)0x1234, NULL), ERROR_INVALID_PARAMETER);
	for (bad_case = 0; bad_case < nw; bad_case++) {
		memset(&out, 0xcc, sizeof(out));
		BAD(RtmGetNextHopInfo(F.a, wrong[bad_case], &out), ERROR_INVALID_HANDLE);
		ok(out.InterfaceIndex == 0xcccccccc, "case %d: output written\n", bad_case);
	}

	/* RtmReleaseNextHopInfo */
	expect_eq(RtmGetNextHopInfo(F.a, F.na, &out), NO_ERROR);
	FOR_BAD_REGS(r) BAD(RtmReleaseNextHopInfo(r, &out), ERROR_INVALID_HANDLE);
	bad_case = 0;
	BAD(RtmReleaseNextHopInfo(F.a, NULL), ERROR_INVALID_PARAMETER);
	{
		HANDLE we[32];
		int nwe = wrong_handles(K_ENTITY, we);
		for (bad_case = 0; bad_case < nwe; bad_case++) {
			RTM_NEXTHOP_INFO bad = out;
			bad.NextHopOwner = we[bad_case];
			BAD(RtmReleaseNextHopInfo(F.a, &bad), ERROR_INVALID_HANDLE);
		}
		for (bad_case = 0; bad_case < nwd; bad_case++) {
			RTM_NEXTHOP_INFO bad = out;
			bad.RemoteNextHop = wrongd[bad_case];
			BAD(RtmReleaseNextHopInfo(F.a, &bad), ERROR_INVALID_HANDLE);
		}
	}
	expect_eq(RtmReleaseNextHopInfo(F.a, &out), NO_ERROR);

	/* RtmGetNextHopPointer */
	FOR_BAD_REGS(r)
	{
		p = (PRTM_NEXTHOP_INFO)0x88;
		BAD(RtmGetNextHopPointer(r, F.na, &p), ERROR_INVALID_HANDLE);
		ok(p == (PRTM_NEXTHOP_INFO)0x88, "output written\n");
	}
	bad_case = 0;
	BAD(RtmGetNextHopPointer(F.a, F.na, NULL), ERROR_INVALID_PARAMETER);
	p = (PRTM_NEXTHOP_INFO)0x88;
	BAD(RtmGetNextHopPointer(F.a, F.nb, &p), ERROR_ACCESS_DENIED);
	ok(p == (PRTM_NEXTHOP_INFO)0x88, "output written\n");
	for (bad_case = 0; bad_case < nw; bad_case++) {
		p = (PRTM_NEXTHOP_INFO)0x88;
		BAD(RtmGetNextHopPointer(F.a, wrong[bad_case], &p), ERROR_INVALID_HANDLE);
		ok(p == (PRTM_NEXTHOP_INFO)0x88, "case %d: output written\n", bad_case);
	}

	/* RtmReleaseNextHops */
	FOR_BAD_REGS(r) BAD(RtmReleaseNextHops(r, 1, &F.na), ERROR_INVALID_HANDLE);
	bad_case = 0;
	BAD(RtmReleaseNextHops(F.a, 1, NULL), ERROR_INVALID_PARAMETER);
	for (bad_case = 0; bad_case < nw; bad_case++)
		BAD(RtmReleaseNextHops(F.a, 1, &wrong[bad_case]), ERROR_INVALID_HANDLE);
	{
		/* an unused next hop has only the client's reference: a failed release must keep it */
		RTM_NEXTHOP_HANDLE n = test_nexthop(F.a, test_ipv4(10, 0, 0, 5, 32), 5);
		for (bad_case = 0; bad_case < nw; bad_case++) {
			RTM_NEXTHOP_HANDLE two[2] = { n, wrong[bad_case] };
			BAD(RtmReleaseNextHops(F.a, 2, two), ERROR_INVALID_HANDLE);
		}
		RTM_NEXTHOP_HANDLE twice[2] = { n, n };
		bad_case = 0;
		BAD(RtmReleaseNextHops(F.a, 2, twice), ERROR_INVALID_HANDLE);
		expect_eq(RtmReleaseNextHops(F.a, 1, &n), NO_ERROR);
		BAD(RtmReleaseNextHops(F.a, 1, &n), ERROR_INVALID_HANDLE);
		expect_eq(RtmDeleteNextHop(F.a, NULL, &(RTM_NEXTHOP_INFO){ .NextHopAddress = test_ipv4(10, 0, 0, 5, 32),
									 .InterfaceIndex = 5 }),
			  NO_ERROR);
	}
}

/* ---- routes ----------------------------------------------------------------------------------- */

static DWORD add(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE *h, RTM_NET_ADDRESS *d, RTM_ROUTE_INFO *ri,
		 RTM_ROUTE_LIST_HANDLE list, DWORD *flags)
{
	return RtmAddRouteToDest(reg, h, d, ri, INFINITE, list, 0, NULL, flags);
}

static void test_bad_routes(void)
{
	RTM_ENTITY_HANDLE r;
	RTM_NET_ADDRESS dnew = DNEW(), d1 = D1(), b33 = BITS33();
	test_route_info_buf ri, out;
	RTM_ROUTE_HANDLE h;
	DWORD flags;
	HANDLE wrong[32], wrongn[32];
	int nw = wrong_handles(K_ROUTE, wrong), nwn = wrong_handles(K_NEXTHOP, wrongn);

#define ADD_FAILS(reg, hp, dp, rip, list, want)                                                    \
	do {                                                                                       \
		flags = 0;                                                                         \
		BAD(add(reg, hp, dp, rip, list, &flags), want);                                    \
		ok(flags == 0, "line %d (case %d): change flags written: %#lx\n", __LINE__,        \
		   bad_case, (unsigned long)flags);                                                \
	} while (0)

	test_fill_route(&ri.info, F.na, 10, 1, RTM_VIEW_MASK_UCAST);
	FOR_BAD_REGS(r)
	{
		h = NULL;
		ADD_FAILS(r, &h, &dnew, &ri.info, NULL, ERROR_INVALID_HANDLE);
		ok(h == NULL, "handle written\n");
		ADD_FAILS(r, &h, &dnew, NULL, NULL, ERROR_INVALID_HANDLE);
	}
	bad_case = 0;
	h = NULL;
	ADD_FAILS(F.a, &h, &dnew, NULL, NULL, ERROR_INVALID_PARAMETER);
	ADD_FAILS(F.a, &h, NULL, &ri.info, NULL, ERROR_INVALID_PARAMETER);
	ADD_FAILS(F.a, NULL, NULL, &ri.info, NULL, ERROR_INVALID_PARAMETER);
	ADD_FAILS(F.a, &h, &b33, &ri.info, NULL, ERROR_INVALID_PARAMETER);
	ok(h == NULL, "handle written\n");
	flags = RTM_ROUTE_CHANGE_FIRST | RTM_ROUTE_CHANGE_NEW;
	BAD(add(F.a, &h, &dnew, &ri.info, NULL, &flags), ERROR_INVALID_PARAMETER);
	expect_eq(flags, RTM_ROUTE_CHANGE_FIRST | RTM_ROUTE_CHANGE_NEW);
	{
		/* 9 next hops: more than MaxNextHopsInRoute; checked before the handles (1.13 step 2) */
		union {
			RTM_ROUTE_INFO info;
			char room[RTM_SIZE_OF_ROUTE_INFO(12)];
		} nine;
		memcpy(&nine, &ri, sizeof(ri));
		nine.info.NextHopsList.NumNextHops = 9;
		for (int i = 0; i < 9; i++)
			test_hops(&nine.info)[i] = F.na;
		ADD_FAILS(F.a, &h, &dnew, &nine.info, NULL, ERROR_INVALID_PARAMETER);
		for (int i = 0; i < 9; i++)
			test_hops(&nine.info)[i] = (RTM_NEXTHOP_HANDLE)0x1234;
		ADD_FAILS(F.a, &h, &dnew, &nine.info, NULL, ERROR_INVALID_PARAMETER);
		nine.info.NextHopsList.NumNextHops = 0xFFFF;
		ADD_FAILS(F.a, &h, &dnew, &nine.info, NULL, ERROR_INVALID_PARAMETER);
		/* nor as an update of an existing route, which keeps its content */
		RTM_ROUTE_HANDLE hu = F.ra;
		nine.info.NextHopsList.NumNextHops = 9;
		ADD_FAILS(F.a, &hu, NULL, &nine.info, NULL, ERROR_INVALID_PARAMETER);
		ADD_FAILS(F.a, NULL, &d1, &nine.info, NULL, ERROR_INVALID_PARAMETER);
	}
	/* next hops that are not the caller's live ones */
	test_fill_route(&ri.info, NULL, 10, 1, RTM_VIEW_MASK_UCAST);
	ri.info.NextHopsList.NumNextHops = 1;
	test_hops(&ri.info)[0] = F.nb; /* another entity's */
	ADD_FAILS(F.a, &h, &dnew, &ri.info, NULL, ERROR_INVALID_PARAMETER);
	test_hops(&ri.info)[0] = F.ndel; /* deleted */
	ADD_FAILS(F.a, &h, &dnew, &ri.info, NULL, ERROR_INVALID_PARAMETER);
	for (bad_case = 0; bad_case < nwn; bad_case++) {
		test_fill_route(&ri.info, NULL, 10, 1, RTM_VIEW_MASK_UCAST);
		ri.info.NextHopsList.NumNextHops = 2;
		test_hops(&ri.info)[0] = F.na;
		test_hops(&ri.info)[1] = wrongn[bad_case];
		ADD_FAILS(F.a, &h, &dnew, &ri.info, NULL, ERROR_INVALID_HANDLE);
		/* as Neighbour */
		test_fill_route(&ri.info, F.na, 10, 1, RTM_VIEW_MASK_UCAST);
		ri.info.Neighbour = wrongn[bad_case];
		ADD_FAILS(F.a, &h, &dnew, &ri.info, NULL, ERROR_INVALID_HANDLE);
		/* in an update of an existing route, which keeps its old content */
		RTM_ROUTE_HANDLE hu = F.ra;
		ADD_FAILS(F.a, &hu, NULL, &ri.info, NULL, ERROR_INVALID_HANDLE);
		ADD_FAILS(F.a, NULL, &d1, &ri.info, NULL, ERROR_INVALID_HANDLE);
	}
	/* the route handle to update */
	test_fill_route(&ri.info, F.na, 1, 1, RTM_VIEW_MASK_UCAST);
	for (bad_case = 0; bad_case < nw; bad_case++) {
		h = wrong[bad_case];
		ADD_FAILS(F.a, &h, &dnew, &ri.info, NULL, ERROR_INVALID_HANDLE);
		ok(h == wrong[bad_case], "case %d: handle slot written\n", bad_case);
	}
	bad_case = 0;
	h = F.rdel; /* deleted */
	ADD_FAILS(F.a, &h, &dnew, &ri.info, NULL, ERROR_INVALID_HANDLE);
	h = F.rb; /* another entity's */
	ADD_FAILS(F.a, &h, &dnew, &ri.info, NULL, ERROR_ACCESS_DENIED);
	ok(h == F.rb, "handle slot written\n");
	/* a route-list handle that is none of the caller's */
	for (bad_case = 0; bad_case < n_garbage; bad_case++) {
		h = NULL;
		ADD_FAILS(F.a, &h, &dnew, &ri.info, garbage[bad_case], ERROR_INVALID_HANDLE);
		h = F.ra;
		ADD_FAILS(F.a, &h, &dnew, &ri.info, garbage[bad_case], ERROR_INVALID_HANDLE);
	}
	bad_case = 0;
	ADD_FAILS(F.a, NULL, &dnew, &ri.info, F.ra, ERROR_INVALID_HANDLE);
	ADD_FAILS(F.a, NULL, &dnew, &ri.info, F.d1, ERROR_INVALID_HANDLE);
	/* AddressFamily is not checked (resolution 3): a family-0 address is the IPv4 prefix */
	{
		RTM_NET_ADDRESS fam0 = DNEW();
		fam0.AddressFamily = 0;
		h = NULL;
		flags = 0;
		expect_eq(add(F.a, &h, &fam0, &ri.info, NULL, &flags), NO_ERROR);
		expect_eq(flags, RTM_ROUTE_CHANGE_NEW | RTM_ROUTE_CHANGE_BEST);
		expect_eq(test_dest_routes(F.a, DNEW(), 0), 1);
		RTM_NET_ADDRESS fam6 = DNEW();
		fam6.AddressFamily = AF_INET6;
		flags = 0;
		expect_eq(add(F.a, NULL, &fam6, &ri.info, NULL, &flags), NO_ERROR);
		expect_eq(flags, RTM_ROUTE_CHANGE_BEST); /* an update of the best route (7.1) */
		expect_eq(test_dest_routes(F.a, DNEW(), 0), 1);
		expect_eq(RtmDeleteRouteToDest(F.a, h, NULL), NO_ERROR);
		expect_eq(test_dest_routes(F.a, DNEW(), 0), -1);
	}

	/* RtmDeleteRouteToDest */
	FOR_BAD_REGS(r)
	{
		flags = 0x77;
		BAD(RtmDeleteRouteToDest(r, F.ra, &flags), ERROR_INVALID_HANDLE);
		ok(flags == 0x77, "flags written\n");
	}
	for (bad_case = 0; bad_case < nw; bad_case++) {
		flags = 0x77;
		BAD(RtmDeleteRouteToDest(F.a, wrong[bad_case], &flags), ERROR_INVALID_HANDLE);
		ok(flags == 0x77, "case %d: flags written\n", bad_case);
	}
	bad_case = 0;
	BAD(RtmDeleteRouteToDest(F.a, F.rb, &flags), ERROR_ACCESS_DENIED);
	BAD(RtmDeleteRouteToDest(F.a, F.rdel, &flags), ERROR_NOT_FOUND);
	ok(flags == 0x77, "flags written\n");

	/* RtmGetRouteInfo */
	FOR_BAD_REGS(r)
	{
		RTM_NET_ADDRESS da;
		memset(&out, 0xcc, sizeof(out));
		memset(&da, 0xcc, sizeof(da));
		BAD(RtmGetRouteInfo(r, F.ra, &out.info, &da), ERROR_INVALID_HANDLE);
		ok(out.info.PrefInfo.Metric == 0xcccccccc && da.NumBits == 0xcccc, "output written\n");
	}
	for (bad_case = 0; bad_case < nw; bad_case++) {
		RTM_NET_ADDRESS da;
		memset(&out, 0xcc, sizeof(out));
		memset(&da, 0xcc, sizeof(da));
		BAD(RtmGetRouteInfo(F.a, wrong[bad_case], &out.info, &da), ERROR_INVALID_HANDLE);
		ok(out.info.PrefInfo.Metric == 0xcccccccc && da.NumBits == 0xcccc, "case %d: output written\n",
		   bad_case);
		BAD(RtmGetRouteInfo(F.a, wrong[bad_case], NULL, NULL), ERROR_INVALID_HANDLE);
	}

	/* RtmReleaseRouteInfo */
	expect_eq(RtmGetRouteInfo(F.a, F.ra, &out.info, NULL), NO_ERROR);
	FOR_BAD_REGS(r) BAD(RtmReleaseRouteInfo(r, &out.info), ERROR_INVALID_HANDLE);
	bad_case = 0;
	BAD(RtmReleaseRouteInfo(F.a, NULL), ERROR_INVALID_PARAMETER);
	{
		test_route_info_buf bad;
		memcpy(&bad, &out, sizeof(bad));
		bad.info.NextHopsList.NumNextHops = 9;
		BAD(RtmReleaseRouteInfo(F.a, &bad.info), ERROR_INVALID_PARAMETER);
		HANDLE we[32], wd[32];
		int nwe = wrong_handles(K_ENTITY, we), nwd = wrong_handles(K_DEST, wd);
		for (bad_case = 0; bad_case < nwd; bad_case++) {
			memcpy(&bad, &out, sizeof(bad));
			bad.info.DestHandle = wd[bad_case];
			BAD(RtmReleaseRouteInfo(F.a, &bad.info), ERROR_INVALID_HANDLE);
		}
		for (bad_case = 0; bad_case < nwe; bad_case++) {
			memcpy(&bad, &out, sizeof(bad));
			bad.info.RouteOwner = we[bad_case];
			BAD(RtmReleaseRouteInfo(F.a, &bad.info), ERROR_INVALID_HANDLE);
		}
		for (bad_case = 0; bad_case < nwn; bad_case++) {
			memcpy(&bad, &out, sizeof(bad));
			bad.info.Neighbour = wrongn[bad_case];
			BAD(RtmReleaseRouteInfo(F.a, &bad.info), ERROR_INVALID_HANDLE);
			memcpy(&bad, &out, sizeof(bad));
			test_hops(&bad.info)[0] = wrongn[bad_case];
			BAD(RtmReleaseRouteInfo(F.a, &bad.info), ERROR_INVALID_HANDLE);
		}
	}
	expect_eq(RtmReleaseRouteInfo(F.a, &out.info), NO_ERROR);

	/* RtmGetRoutePointer */
	PRTM_ROUTE_INFO p;
	FOR_BAD_REGS(r)
	{
		p = (PRTM_ROUTE_INFO)0x88;
		BAD(RtmGetRoutePointer(r, F.ra, &p), ERROR_INVALID_HANDLE);
		ok(p == (PRTM_ROUTE_INFO)0x88, "output written\n");
	}
	bad_case = 0;
	BAD(RtmGetRoutePointer(F.a, F.ra, NULL), ERROR_INVALID_PARAMETER);
	p = (PRTM_ROUTE_INFO)0x88;
	BAD(RtmGetRoutePointer(F.a, F.rb, &p), ERROR_ACCESS_DENIED);
	ok(p == (PRTM_ROUTE_INFO)0x88, "output written\n");
	for (bad_case = 0; bad_case < nw; bad_case++) {
		p = (PRTM_ROUTE_INFO)0x88;
		BAD(RtmGetRoutePointer(F.a, wrong[bad_case], &p), ERROR_INVALID_HANDLE);
		ok(p == (PRTM_ROUTE_INFO)0x88, "case %d: output written\n", bad_case);
	}

	/* RtmIsBestRoute */
	RTM_VIEW_SET bv;
	FOR_BAD_REGS(r)
	{
		bv = 0x77;
		BAD(RtmIsBestRoute(r, F.ra, &bv), ERROR_INVALID_HANDLE);
		ok(bv == 0x77, "output written\n");
	}
	bad_case = 0;
	BAD(RtmIsBestRoute(F.a, F.ra, NULL), ERROR_INVALID_PARAMETER);
	for (bad_case = 0; bad_case < nw; bad_case++) {
		bv = 0x77;
		BAD(RtmIsBestRoute(F.a, wrong[bad_case], &bv), ERROR_INVALID_HANDLE);
		ok(bv == 0x77, "case %d: output written\n", bad_case);
	}

	/* RtmReleaseRoutes */
	FOR_BAD_REGS(r) BAD(RtmReleaseRoutes(r, 1, &F.ra), ERROR_INVALID_HANDLE);
	bad_case = 0;
	BAD(RtmReleaseRoutes(F.a, 1, NULL), ERROR_INVALID_PARAMETER);
	for (bad_case = 0; bad_case < nw; bad_case++) {
		BAD(RtmReleaseRoutes(F.a, 1, &wrong[bad_case]), ERROR_INVALID_HANDLE);
		RTM_ROUTE_HANDLE two[2] = { F.ra, wrong[bad_case] };
		BAD(RtmReleaseRoutes(F.a, 2, two), ERROR_INVALID_HANDLE);
		RTM_ROUTE_HANDLE two2[2] = { wrong[bad_case], F.rdel };
		BAD(RtmReleaseRoutes(F.a, 2, two2), ERROR_INVALID_HANDLE);
	}
	{
		/* rdel (deleted) has exactly one reference: twice in one call is refused as a whole */
		RTM_ROUTE_HANDLE twice[2] = { F.rdel, F.rdel };
		bad_case = 0;
		BAD(RtmReleaseRoutes(F.a, 2, twice), ERROR_INVALID_HANDLE);
	}
#undef ADD_FAILS
}

/* ---- destinations and lookups ----------------------------------------------------------------- */

static void test_bad_dests(void)
{
	RTM_ENTITY_HANDLE r;
	test_dest_info_buf di;
	HANDLE wrong[32];
	int nw = wrong_handles(K_DEST, wrong);
	RTM_NET_ADDRESS d1 = D1(), b33 = BITS33();

#define UNWRITTEN(line) ok(di.info.NumberOfViews == 0xcccccccc, "line %d (case %d): output written\n", line, bad_case)
	/* RtmGetDestInfo */
	FOR_BAD_REGS(r)
	{
		memset(&di, 0xcc, sizeof(di));
		BAD(RtmGetDestInfo(r, F.d1, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info), ERROR_INVALID_HANDLE);
		UNWRITTEN(__LINE__);
	}
	bad_case = 0;
	BAD(RtmGetDestInfo(F.a, F.d1, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, NULL), ERROR_INVALID_PARAMETER);
	BAD(RtmGetDestInfo(F.a, (RTM_DEST_HANDLE)0x1234, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, NULL),
	    ERROR_INVALID_PARAMETER);
	for (bad_case = 0; bad_case < nw; bad_case++) {
		memset(&di, 0xcc, sizeof(di));
		BAD(RtmGetDestInfo(F.a, wrong[bad_case], RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info),
		    ERROR_INVALID_HANDLE);
		UNWRITTEN(__LINE__);
	}

	/* RtmReleaseDestInfo */
	test_dest_info_buf good;
	expect_eq(RtmGetDestInfo(F.a, F.d1, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &good.info), NO_ERROR);
	FOR_BAD_REGS(r) BAD(RtmReleaseDestInfo(r, &good.info), ERROR_INVALID_HANDLE);
	bad_case = 0;
	BAD(RtmReleaseDestInfo(F.a, NULL), ERROR_INVALID_PARAMETER);
	{
		union {
			RTM_DEST_INFO info;
			char room[RTM_SIZE_OF_DEST_INFO(40)];
		} bad;
		memset(&bad, 0, sizeof(bad));
		memcpy(&bad, &good, sizeof(good));
		bad.info.NumberOfViews = 3;
		BAD(RtmReleaseDestInfo(F.a, &bad.info), ERROR_INVALID_PARAMETER);
		bad.info.NumberOfViews = 0xFFFFFFFF;
		BAD(RtmReleaseDestInfo(F.a, &bad.info), ERROR_INVALID_PARAMETER);
		for (bad_case = 0; bad_case < nw; bad_case++) {
			memcpy(&bad, &good, sizeof(good));
			bad.info.DestHandle = wrong[bad_case];
			BAD(RtmReleaseDestInfo(F.a, &bad.info), ERROR_INVALID_HANDLE);
		}
		HANDLE wr[32], we[32];
		int nwr = wrong_handles(K_ROUTE, wr), nwe = wrong_handles(K_ENTITY, we);
		for (bad_case = 0; bad_case < nwr; bad_case++) {
			memcpy(&bad, &good, sizeof(good));
			bad.info.ViewInfo[0].Route = wr[bad_case];
			BAD(RtmReleaseDestInfo(F.a, &bad.info), ERROR_INVALID_HANDLE);
			memcpy(&bad, &good, sizeof(good));
			{
				RTM_DEST_INFO *p = &bad.info;
				p->ViewInfo[1].HoldRoute = wr[bad_case];
			}
			BAD(RtmReleaseDestInfo(F.a, &bad.info), ERROR_INVALID_HANDLE);
		}
		for (bad_case = 0; bad_case < nwe; bad_case++) {
			memcpy(&bad, &good, sizeof(good));
			bad.info.ViewInfo[0].Owner = we[bad_case];
			BAD(RtmReleaseDestInfo(F.a, &bad.info), ERROR_INVALID_HANDLE);
		}
	}
	expect_eq(RtmReleaseDestInfo(F.a, &good.info), NO_ERROR);

	/* the address lookups */
	typedef DWORD(WINAPI * lookup_fn)(RTM_ENTITY_HANDLE, PRTM_NET_ADDRESS, ULONG, RTM_VIEW_SET, PRTM_DEST_INFO);
	static const lookup_fn fns[2] = { RtmGetExactMatchDestination, RtmGetMostSpecificDestination };
	for (int f = 0; f < 2; f++) {
		FOR_BAD_REGS(r)
		{
			memset(&di, 0xcc, sizeof(di));
			BAD(fns[f](r, &d1, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info), ERROR_INVALID_HANDLE);
			UNWRITTEN(__LINE__);
			BAD(fns[f](r, NULL, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, NULL), ERROR_INVALID_HANDLE);
		}
		bad_case = f;
		memset(&di, 0xcc, sizeof(di));
		BAD(fns[f](F.a, NULL, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info), ERROR_INVALID_PARAMETER);
		UNWRITTEN(__LINE__);
		BAD(fns[f](F.a, &d1, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, NULL), ERROR_INVALID_PARAMETER);
		BAD(fns[f](F.a, &b33, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info), ERROR_INVALID_PARAMETER);
		UNWRITTEN(__LINE__);
		RTM_NET_ADDRESS huge = D1();
		huge.NumBits = 0xFFFF;
		BAD(fns[f](F.a, &huge, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info), ERROR_INVALID_PARAMETER);
		/* 32 is fine, and the family field is not looked at */
		RTM_NET_ADDRESS fam = D1();
		fam.AddressFamily = AF_INET6;
		expect_eq(fns[f](F.a, &fam, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info), NO_ERROR);
		expect_eq(di.info.DestAddress.AddressFamily, AF_INET);
		expect_eq(RtmReleaseDestInfo(F.a, &di.info), NO_ERROR);
		fam.AddressFamily = 0;
		expect_eq(fns[f](F.a, &fam, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info), NO_ERROR);
		expect_eq(RtmReleaseDestInfo(F.a, &di.info), NO_ERROR);
	}

	/* RtmGetLessSpecificDestination */
	FOR_BAD_REGS(r)
	{
		memset(&di, 0xcc, sizeof(di));
		BAD(RtmGetLessSpecificDestination(r, F.d1, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info),
		    ERROR_INVALID_HANDLE);
		UNWRITTEN(__LINE__);
	}
	bad_case = 0;
	BAD(RtmGetLessSpecificDestination(F.a, F.d1, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, NULL),
	    ERROR_INVALID_PARAMETER);
	BAD(RtmGetLessSpecificDestination(F.a, (RTM_DEST_HANDLE)0x1234, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, NULL),
	    ERROR_INVALID_PARAMETER);
	for (bad_case = 0; bad_case < nw; bad_case++) {
		memset(&di, 0xcc, sizeof(di));
		BAD(RtmGetLessSpecificDestination(F.a, wrong[bad_case], RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL,
						  &di.info),
		    ERROR_INVALID_HANDLE);
		UNWRITTEN(__LINE__);
	}

	/* RtmGetExactMatchRoute */
	test_route_info_buf crit;
	RTM_ROUTE_HANDLE h;
	memset(&crit, 0, sizeof(crit));
#define EMR_FAILS(reg, addr, fl, ci, want)                                                         \
	do {                                                                                       \
		h = (RTM_ROUTE_HANDLE)0x77;                                                        \
		BAD(RtmGetExactMatchRoute(reg, addr, fl, ci, 0, RTM_VIEW_MASK_ANY, &h), want);     \
		ok(h == (RTM_ROUTE_HANDLE)0x77, "line %d (case %d): handle written\n", __LINE__,   \
		   bad_case);                                                                      \
	} while (0)
	FOR_BAD_REGS(r)
	{
		EMR_FAILS(r, &d1, RTM_MATCH_NONE, &crit.info, ERROR_INVALID_HANDLE);
		EMR_FAILS(r, NULL, RTM_MATCH_NONE, NULL, ERROR_INVALID_HANDLE);
	}
	bad_case = 0;
	EMR_FAILS(F.a, NULL, RTM_MATCH_NONE, &crit.info, ERROR_INVALID_PARAMETER);
	EMR_FAILS(F.a, &d1, RTM_MATCH_NONE, NULL, ERROR_INVALID_PARAMETER);
	EMR_FAILS(F.a, &b33, RTM_MATCH_NONE, &crit.info, ERROR_INVALID_PARAMETER);
	EMR_FAILS(F.a, &d1, 0x00010000, &crit.info, ERROR_INVALID_PARAMETER);
	EMR_FAILS(F.a, &d1, 0xFFFFFFFF, &crit.info, ERROR_INVALID_PARAMETER);
	EMR_FAILS(F.a, &d1, RTM_MATCH_OWNER | 0x80000000, &crit.info, ERROR_INVALID_PARAMETER);
	crit.info.NextHopsList.NumNextHops = 9;
	EMR_FAILS(F.a, &d1, RTM_MATCH_NEXTHOP, &crit.info, ERROR_INVALID_PARAMETER);
	crit.info.NextHopsList.NumNextHops = 0;
	/* criteria handles are not validated: garbage matches nothing */
	for (bad_case = 0; bad_case < n_garbage; bad_case++) {
		memset(&crit, 0, sizeof(crit));
		crit.info.RouteOwner = garbage[bad_case];
		EMR_FAILS(F.a, &d1, RTM_MATCH_OWNER, &crit.info, ERROR_NOT_FOUND);
		memset(&crit, 0, sizeof(crit));
		crit.info.Neighbour = garbage[bad_case];
		EMR_FAILS(F.a, &d1, RTM_MATCH_NEIGHBOUR, &crit.info, ERROR_NOT_FOUND);
		memset(&crit, 0, sizeof(crit));
		crit.info.NextHopsList.NumNextHops = 1;
		test_hops(&crit.info)[0] = garbage[bad_case];
		EMR_FAILS(F.a, &d1, RTM_MATCH_NEXTHOP, &crit.info, ERROR_NOT_FOUND);
	}
#undef EMR_FAILS
#undef UNWRITTEN
}

/* ---- RtmReferenceHandles ---------------------------------------------------------------------- */

static void test_bad_reference(void)
{
	RTM_ENTITY_HANDLE r;
	FOR_BAD_REGS(r) BAD(RtmReferenceHandles(r, 1, (HANDLE *)&F.ra), ERROR_INVALID_HANDLE);
	bad_case = 0;
	BAD(RtmReferenceHandles(F.a, 1, NULL), ERROR_INVALID_PARAMETER);
	HANDLE bad[16];
	int n = 0;
	for (int i = 0; i < n_garbage; i++)
		bad[n++] = garbage[i];
	bad[n++] = F.stale_entity;
	bad[n++] = F.stale_route;
	bad[n++] = F.stale_nh;
	bad[n++] = F.stale_dest;
	bad[n++] = F.rother;
	bad[n++] = F.other;
	bad[n++] = F.dv6;
	bad[n++] = F.nv6;
	for (bad_case = 0; bad_case < n; bad_case++) {
		BAD(RtmReferenceHandles(F.a, 1, &bad[bad_case]), ERROR_INVALID_HANDLE);
		/* nothing referenced: rdel has one reference, the deleted route would keep a second */
		HANDLE two[3] = { F.rdel, NULL, bad[bad_case] };
		BAD(RtmReferenceHandles(F.a, 3, two), ERROR_INVALID_HANDLE);
	}
	/* rdel still has exactly one reference */
	RTM_ROUTE_HANDLE twice[2] = { F.rdel, F.rdel };
	bad_case = 0;
	BAD(RtmReleaseRoutes(F.a, 2, twice), ERROR_INVALID_HANDLE);
}

/* release functions validate everything before dropping anything (1.7) */
static void test_release_drops_nothing_on_failure(void)
{
	RTM_ENTITY_HANDLE x = test_register(0, AF_INET, 4242, 1, NULL);
	RTM_NEXTHOP_HANDLE nh = test_nexthop(x, test_ipv4(10, 0, 0, 9, 32), 9);
	RTM_ROUTE_HANDLE rt = test_route(x, test_ipv4(10, 70, 0, 0, 16), nh, 10, 1, RTM_VIEW_MASK_UCAST);
	test_route_info_buf ri, bad;
	RTM_NEXTHOP_INFO ni, badn;
	test_dest_info_buf di, badd;
	DWORD base[RTM_TEST_COUNT_KINDS], now[RTM_TEST_COUNT_KINDS];

	/* references that are the only ones left on their objects once x is gone */
	expect_eq(RtmGetRouteInfo(F.a, rt, &ri.info, NULL), NO_ERROR);
	expect_eq(RtmGetNextHopInfo(F.a, nh, &ni), NO_ERROR);
	expect_eq(RtmGetDestInfo(F.a, ri.info.DestHandle, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info), NO_ERROR);
	expect_eq(RtmReleaseRoutes(x, 1, &rt), NO_ERROR);
	expect_eq(RtmReleaseNextHops(x, 1, &nh), NO_ERROR);
	test_deregister(x);
	test_object_counts(base);
	/* route info: dest, owner x, next hop (neighbour + list) */
	for (int i = 0; i < 4; i++) {
		memcpy(&bad, &ri, sizeof(bad));
		if (i == 0)
			bad.info.DestHandle = (RTM_DEST_HANDLE)0x1234;
		if (i == 1)
			bad.info.RouteOwner = F.other;
		if (i == 2)
			bad.info.Neighbour = F.nother;
		if (i == 3)
			test_hops(&bad.info)[0] = F.stale_nh;
		expect_eq(RtmReleaseRouteInfo(F.a, &bad.info), ERROR_INVALID_HANDLE);
		test_object_counts(now);
		ok(!memcmp(base, now, sizeof(now)), "case %d: a failed RtmReleaseRouteInfo dropped references\n", i);
	}
	/* next-hop info: owner x */
	badn = ni;
	badn.RemoteNextHop = F.dother;
	expect_eq(RtmReleaseNextHopInfo(F.a, &badn), ERROR_INVALID_HANDLE);
	/* dest info: dest; the view's route and owner (x's route, deleted by x's deregistration) */
	memcpy(&badd, &di, sizeof(badd));
	{
		RTM_DEST_INFO *p = &badd.info;
		p->ViewInfo[1].HoldRoute = F.rother;
	}
	expect_eq(RtmReleaseDestInfo(F.a, &badd.info), ERROR_INVALID_HANDLE);
	test_object_counts(now);
	ok(!memcmp(base, now, sizeof(now)), "a failed release dropped references\n");
	/*
	 * each object must now go exactly when its last holder is released: had a failed release
	 * dropped anything, something would go early or a release below would fail
	 */
	expect_eq(RtmReleaseDestInfo(F.a, &di.info), NO_ERROR); /* the only holder of x's deleted route */
	test_object_counts(now);
	expect_eq(now[RTM_TEST_COUNT_ROUTES], base[RTM_TEST_COUNT_ROUTES] - 1);
	expect_eq(now[RTM_TEST_COUNT_DESTS], base[RTM_TEST_COUNT_DESTS]);
	expect_eq(now[RTM_TEST_COUNT_ENTITIES], base[RTM_TEST_COUNT_ENTITIES]);
	expect_eq(RtmReleaseNextHopInfo(F.a, &ni), NO_ERROR);
	test_object_counts(now);
	expect_eq(now[RTM_TEST_COUNT_ENTITIES], base[RTM_TEST_COUNT_ENTITIES]);
	expect_eq(now[RTM_TEST_COUNT_NEXTHOPS], base[RTM_TEST_COUNT_NEXTHOPS]);
	expect_eq(RtmReleaseRouteInfo(F.a, &ri.info), NO_ERROR); /* the last holder of dest, next hop and x */
	test_object_counts(now);
	expect_eq(now[RTM_TEST_COUNT_ENTITIES], base[RTM_TEST_COUNT_ENTITIES] - 1);
	expect_eq(now[RTM_TEST_COUNT_NEXTHOPS], base[RTM_TEST_COUNT_NEXTHOPS] - 1);
	expect_eq(now[RTM_TEST_COUNT_DESTS], base[RTM_TEST_COUNT_DESTS] - 1);
	expect_eq(RtmReleaseRouteInfo(F.a, &ri.info), ERROR_INVALID_HANDLE);
}

/*
 * miscounting clients (1.7): releasing references RTM itself holds through the shared counter may
 * leak or give ERROR_INVALID_HANDLE, but never frees an object RTM still links or uses
 */
static void test_overrelease_is_memory_safe(void)
{
	RTM_ENTITY_HANDLE x = test_register(0, AF_INET, 4343, 1, NULL);
	RTM_NEXTHOP_HANDLE nh = test_nexthop(x, test_ipv4(10, 0, 0, 7, 32), 7);
	RTM_NET_ADDRESS d = test_ipv4(10, 80, 0, 0, 16);
	RTM_ROUTE_HANDLE r = test_route(x, d, nh, 10, 1, RTM_VIEW_MASK_UCAST);
	test_route_info_buf ri;
	test_dest_info_buf di;
	int i;

	expect_eq(RtmGetRouteInfo(x, r, &ri.info, NULL), NO_ERROR);
	RTM_DEST_HANDLE dh = ri.info.DestHandle;
	expect_eq(RtmReleaseRouteInfo(x, &ri.info), NO_ERROR);
	/* release the next hop, the destination and the entity until RTM refuses */
	for (i = 0; i < 10 && RtmReleaseNextHops(x, 1, &nh) == NO_ERROR; i++)
		;
	ok(i < 10, "next hop: %d releases accepted\n", i);
	for (i = 0; i < 10 && test_release_dest_handle(x, dh) == NO_ERROR; i++)
		;
	ok(i < 10, "destination: %d releases accepted\n", i);
	for (i = 0; i < 10 && RtmReleaseEntities(x, 1, &x) == NO_ERROR; i++)
		;
	ok(i < 10, "entity: %d releases accepted\n", i);
	/* everything is still there and works */
	expect_eq(test_dest_routes(x, d, 0), 1);
	expect_eq(RtmGetRouteInfo(x, r, &ri.info, NULL), NO_ERROR);
	ok(ri.info.Neighbour == nh && test_hops(&ri.info)[0] == nh && ri.info.DestHandle == dh &&
		   ri.info.RouteOwner == x,
	   "route content changed\n");
	expect_eq(RtmReleaseRouteInfo(x, &ri.info), NO_ERROR);
	RTM_NEXTHOP_INFO ni;
	expect_eq(RtmGetNextHopInfo(x, nh, &ni), NO_ERROR);
	expect_eq(ni.State, RTM_NEXTHOP_STATE_CREATED);
	expect_eq(RtmReleaseNextHopInfo(x, &ni), NO_ERROR);
	expect_eq(RtmGetDestInfo(x, dh, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info), NO_ERROR);
	expect_eq(RtmReleaseDestInfo(x, &di.info), NO_ERROR);
	RTM_ENTITY_INFO ei;
	expect_eq(RtmGetEntityInfo(x, x, &ei), NO_ERROR);
	RTM_ROUTE_HANDLE r2 = test_route(x, test_ipv4(10, 81, 0, 0, 16), nh, 10, 1, RTM_VIEW_MASK_UCAST);
	expect_eq(RtmDeleteRouteToDest(x, r2, NULL), NO_ERROR);
	/* the route itself: its one reference, then refused */
	expect_eq(RtmReleaseRoutes(x, 1, &r), NO_ERROR);
	expect_eq(RtmReleaseRoutes(x, 1, &r), ERROR_INVALID_HANDLE);
	expect_eq(test_dest_routes(x, d, 0), 1);
	/* deregistration still cleans up everything x owned */
	DWORD before[RTM_TEST_COUNT_KINDS], after[RTM_TEST_COUNT_KINDS];
	test_object_counts(before);
	test_deregister(x);
	test_object_counts(after);
	expect_eq(after[RTM_TEST_COUNT_ENTITIES], before[RTM_TEST_COUNT_ENTITIES] - 1);
	expect_eq(after[RTM_TEST_COUNT_ROUTES], before[RTM_TEST_COUNT_ROUTES] - 1);
	expect_eq(after[RTM_TEST_COUNT_NEXTHOPS], before[RTM_TEST_COUNT_NEXTHOPS] - 1);
	expect_eq(after[RTM_TEST_COUNT_DESTS], before[RTM_TEST_COUNT_DESTS] - 1);
	expect_eq(test_dest_routes(F.a, d, 0), -1);
}

/* a stale handle stays stale while its slot is recycled by thousands of other objects */
static void test_stale_after_churn(void)
{
	RTM_NEXTHOP_HANDLE first = test_nexthop(F.a, test_ipv4(10, 90, 0, 0, 32), 1), h;
	expect_eq(RtmDeleteNextHop(F.a, first, NULL), NO_ERROR);
	unsigned bad = 0;
	for (int i = 0; i < 5000; i++) {
		h = NULL;
		RTM_NEXTHOP_INFO in;
		memset(&in, 0, sizeof(in));
		in.NextHopAddress = test_ipv4(10, 90, (unsigned)(i >> 8), (unsigned)i, 32);
		in.InterfaceIndex = 1;
		if (RtmAddNextHop(F.a, &in, &h, NULL) != NO_ERROR || RtmDeleteNextHop(F.a, h, NULL) != NO_ERROR)
			bad++;
		if (h == first)
			bad++;
	}
	ok(bad == 0, "%u add/delete cycles failed or reused the stale handle\n", bad);
	RTM_NEXTHOP_INFO out;
	expect_eq(RtmGetNextHopInfo(F.a, first, &out), ERROR_INVALID_HANDLE);
	expect_eq(RtmReleaseNextHops(F.a, 1, &first), ERROR_INVALID_HANDLE);
}

/* an IPv6 table: NumBits above 128 */
static void test_bad_ipv6_prefix(void)
{
	RTM_NET_ADDRESS a129 = test_ipv6(0x2001, 0xdb8, 0, 0, 129), a128 = test_ipv6(0x2001, 0xdb8, 0, 1, 128);
	test_dest_info_buf di;
	test_route_info_buf ri;
	RTM_NEXTHOP_INFO nh;
	DWORD before = test_live_count(RTM_TEST_COUNT_DESTS);

	bad_case = 0;
	test_fill_route(&ri.info, F.nv6, 10, 1, RTM_VIEW_MASK_UCAST);
	expect_eq(RtmAddRouteToDest(F.v6, NULL, &a129, &ri.info, INFINITE, NULL, 0, NULL, NULL),
		  ERROR_INVALID_PARAMETER);
	expect_eq(test_live_count(RTM_TEST_COUNT_DESTS), before);
	expect_eq(RtmGetExactMatchDestination(F.v6, &a129, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info),
		  ERROR_INVALID_PARAMETER);
	expect_eq(RtmGetMostSpecificDestination(F.v6, &a129, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info),
		  ERROR_INVALID_PARAMETER);
	expect_eq(RtmGetExactMatchRoute(F.v6, &a129, RTM_MATCH_NONE, &ri.info, 0, RTM_VIEW_MASK_ANY, NULL),
		  ERROR_INVALID_PARAMETER);
	memset(&nh, 0, sizeof(nh));
	nh.NextHopAddress = a129;
	expect_eq(RtmAddNextHop(F.v6, &nh, NULL, NULL), ERROR_INVALID_PARAMETER);
	expect_eq(RtmFindNextHop(F.v6, &nh, NULL, NULL), ERROR_INVALID_PARAMETER);
	/* 33..128 is fine in an IPv6 table, 33 is not in an IPv4 one */
	RTM_NET_ADDRESS a33 = test_ipv6(0x2001, 0xdb8, 0x8000, 0, 33);
	expect_eq(RtmGetExactMatchDestination(F.v6, &a33, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info),
		  ERROR_NOT_FOUND);
	expect_eq(RtmGetMostSpecificDestination(F.v6, &a128, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info),
		  NO_ERROR);
	expect_eq(di.info.DestAddress.NumBits, 32);
	expect_eq(RtmReleaseDestInfo(F.v6, &di.info), NO_ERROR);
	/* IPv4 handles are not the IPv6 table's and vice versa */
	expect_eq(RtmGetDestInfo(F.v6, F.d1, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_ALL, &di.info), ERROR_INVALID_HANDLE);
	expect_eq(RtmGetRouteInfo(F.v6, F.ra, NULL, NULL), ERROR_INVALID_HANDLE);
	expect_eq(RtmGetNextHopInfo(F.v6, F.na, &nh), ERROR_INVALID_HANDLE);
	RTM_ENTITY_INFO ei;
	expect_eq(RtmGetEntityInfo(F.v6, F.a, &ei), ERROR_INVALID_HANDLE);
	expect_eq(RtmGetEntityInfo(F.a, F.v6, &ei), ERROR_INVALID_HANDLE);
}

int main(void)
{
	fixture_up();
	bad_lists();
	test_bad_register();
	test_bad_entities();
	test_bad_next_hops();
	test_bad_routes();
	test_bad_dests();
	test_bad_reference();
	test_release_drops_nothing_on_failure();
	test_bad_ipv6_prefix();
	test_overrelease_is_memory_safe();
	test_stale_after_churn();
	fixture_down();
	return test_finish();
}

/*
 * test_badinput_all.c - bad input to every one of the 59 exports, table-driven.
 *
 * Each row of CALLS names one export, how to call it with valid arguments (from the fixture), the
 * kind of each of its handle arguments and the error each of its pointer arguments gives when
 * NULL.  From the row the test derives the bad calls itself (one fault per call, so the
 * documented error of that fault is the only right answer; spec functions-1 1.13, functions-2 0.2):
 *   - every bad registration handle (NULL, garbage, a deregistered one, an object handle, another
 *     table's entity): ERROR_INVALID_HANDLE;
 *   - each required pointer NULL: its documented error (ERROR_INVALID_PARAMETER where silent);
 *   - each handle argument replaced by every wrong handle of its kind: garbage values, a stale
 *     handle (the object is gone), handles of every other kind, the same kind in another table,
 *     and for private kinds (enumerations, notifications, route lists) another entity's:
 *     ERROR_INVALID_HANDLE (handles inside structures given to the release functions too).
 * EXTRA adds the faults a row cannot express: counts of zero and above MaxHandlesInEnum, NumBits
 * beyond the family, bad flags and views, foreign objects (ERROR_ACCESS_DENIED), lock-state
 * errors.  After every bad call the table must be unchanged: a fingerprint of live-object counts,
 * every destination (all views), every route's content, every entity's next hops, the pending and
 * marked state of every destination in every notification registration, and the opaque slot.
 * tests/test_badinput.c goes deeper into the foundation functions (outputs not written, partial
 * releases); this file makes sure no export is left out.
 */
#include "test_util.h"

#ifndef _WIN32
#include <arpa/inet.h>
typedef struct in6_addr IN6_ADDR;
#else
#include <ws2tcpip.h>
#endif

enum kind { K_NONE, K_ENTITY, K_DEST, K_ROUTE, K_NEXTHOP, K_ENUM_DEST, K_ENUM_ROUTE, K_ENUM_NH, K_ENUM_LIST,
	    K_NOTIFY, K_LIST, K_REFABLE /* any of entity, dest, route, next hop */ };

static VOID WINAPI method0(RTM_ENTITY_HANDLE caller, RTM_ENTITY_HANDLE callee, RTM_ENTITY_METHOD_INPUT *in,
			   RTM_ENTITY_METHOD_OUTPUT *out)
{
	(void)caller, (void)callee, (void)in;
	if (out)
		out->OutputSize = 0;
}

/* ---- the fixture ------------------------------------------------------------------------------ */

static struct {
	RTM_ENTITY_HANDLE a, b, other, stale_ent;
	RTM_NEXTHOP_HANDLE na, nb, nother, stale_nh;
	RTM_ROUTE_HANDLE ra, rb, rother, stale_route;
	RTM_DEST_HANDLE d, dother, stale_dest;
	RTM_ENUM_HANDLE ed, er, en, el, eb, stale_enum;
	RTM_NOTIFY_HANDLE na_n, nb_n, stale_notify;
	RTM_ROUTE_LIST_HANDLE la, lb, stale_list;
	test_dest_info_buf di;  /* a real one (references held), for the release functions */
	test_route_info_buf ri;
	RTM_NEXTHOP_INFO ni;
	RTM_ENTITY_INFO ei;
} F;

static int stack_word;

static RTM_NET_ADDRESS D1(void) { return test_ipv4(10, 50, 0, 0, 16); }
static RTM_NET_ADDRESS DNEW(void) { return test_ipv4(10, 60, 0, 0, 16); }

static RTM_ENTITY_HANDLE reg_ex(USHORT inst, ULONG proto, int methods)
{
	RTM_ENTITY_INFO info;
	RTM_REGN_PROFILE prof;
	RTM_ENTITY_HANDLE h = NULL;
	union {
		RTM_ENTITY_EXPORT_METHODS m;
		char room[sizeof(RTM_ENTITY_EXPORT_METHODS) + sizeof(RTM_ENTITY_EXPORT_METHOD)];
	} em;
	memset(&info, 0, sizeof(info));
	info.RtmInstanceId = inst;
	info.AddressFamily = AF_INET;
	info.EntityId.EntityProtocolId = proto;
	info.EntityId.EntityInstanceId = 1;
	em.m.NumMethods = 1;
	em.m.Methods[0] = method0;
	ok(RtmRegisterEntity(&info, methods ? &em.m : NULL, NULL, TRUE, &prof, &h) == NO_ERROR, "register\n");
	return h;
}

static void fixture_up(void)
{
	memset(&F, 0, sizeof(F));
	F.a = reg_ex(0, 100, 1);
	F.b = reg_ex(0, 200, 1);
	F.other = reg_ex(3, 100, 1);
	F.stale_ent = reg_ex(0, 999, 0);
	test_deregister(F.stale_ent);
	F.na = test_nexthop(F.a, test_ipv4(10, 0, 0, 1, 32), 1);
	F.nb = test_nexthop(F.b, test_ipv4(10, 0, 0, 2, 32), 2);
	F.nother = test_nexthop(F.other, test_ipv4(10, 0, 0, 1, 32), 1);
	F.stale_nh = test_nexthop(F.a, test_ipv4(10, 0, 0, 9, 32), 9);
	expect_eq(RtmDeleteNextHop(F.a, F.stale_nh, NULL), NO_ERROR);
	F.ra = test_route(F.a, D1(), F.na, 10, 1, RTM_VIEW_MASK_UCAST);
	F.rb = test_route(F.b, D1(), F.nb, 20, 2, RTM_VIEW_MASK_ANY | 3);
	F.rother = test_route(F.other, D1(), F.nother, 10, 1, RTM_VIEW_MASK_UCAST);
	F.d = test_dest_of(F.a, F.ra);
	F.dother = test_dest_of(F.other, F.rother);
	F.stale_route = test_route(F.a, test_ipv4(10, 52, 0, 0, 16), F.na, 10, 1, RTM_VIEW_MASK_UCAST);
	F.stale_dest = test_dest_of(F.a, F.stale_route);
	expect_eq(RtmDeleteRouteToDest(F.a, F.stale_route, NULL), NO_ERROR);
	RTM_NET_ADDRESS s = D1();
	expect_eq(RtmCreateDestEnum(F.a, RTM_VIEW_MASK_ANY, RTM_ENUM_START, NULL, 0, &F.ed), NO_ERROR);
	expect_eq(RtmCreateRouteEnum(F.a, NULL, RTM_VIEW_MASK_ANY, RTM_ENUM_NEXT, &s, 0, NULL, 0, &F.er), NO_ERROR);
	expect_eq(RtmCreateNextHopEnum(F.a, RTM_ENUM_START, NULL, &F.en), NO_ERROR);
	expect_eq(RtmCreateRouteList(F.a, &F.la), NO_ERROR);
	expect_eq(RtmCreateRouteList(F.b, &F.lb), NO_ERROR);
	expect_eq(RtmCreateRouteListEnum(F.a, F.la, &F.el), NO_ERROR);
	expect_eq(RtmCreateDestEnum(F.b, RTM_VIEW_MASK_ANY, RTM_ENUM_START, NULL, 0, &F.eb), NO_ERROR);
	expect_eq(RtmCreateDestEnum(F.a, RTM_VIEW_MASK_ANY, RTM_ENUM_START, NULL, 0, &F.stale_enum), NO_ERROR);
	expect_eq(RtmDeleteEnumHandle(F.a, F.stale_enum), NO_ERROR);
	expect_eq(RtmRegisterForChangeNotification(F.a, RTM_VIEW_MASK_ANY, RTM_CHANGE_TYPE_ALL, NULL, &F.na_n), NO_ERROR);
	expect_eq(RtmRegisterForChangeNotification(F.b, RTM_VIEW_MASK_ANY, RTM_CHANGE_TYPE_ALL, NULL, &F.nb_n), NO_ERROR);
	expect_eq(RtmRegisterForChangeNotification(F.a, RTM_VIEW_MASK_ANY, RTM_CHANGE_TYPE_BEST, NULL, &F.stale_notify),
		  NO_ERROR);
	expect_eq(RtmDeregisterFromChangeNotification(F.a, F.stale_notify), NO_ERROR);
	expect_eq(RtmCreateRouteList(F.a, &F.stale_list), NO_ERROR);
	expect_eq(RtmDeleteRouteList(F.a, F.stale_list), NO_ERROR);
	expect_eq(RtmGetDestInfo(F.a, F.d, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &F.di.info), NO_ERROR);
	expect_eq(RtmGetRouteInfo(F.a, F.ra, &F.ri.info, NULL), NO_ERROR);
	expect_eq(RtmGetNextHopInfo(F.a, F.na, &F.ni), NO_ERROR);
	expect_eq(RtmGetEntityInfo(F.a, F.b, &F.ei), NO_ERROR);
}

static void fixture_down(void)
{
	expect_eq(RtmReleaseDestInfo(F.a, &F.di.info), NO_ERROR);
	expect_eq(RtmReleaseRouteInfo(F.a, &F.ri.info), NO_ERROR);
	expect_eq(RtmReleaseNextHopInfo(F.a, &F.ni), NO_ERROR);
	expect_eq(RtmReleaseEntityInfo(F.a, &F.ei), NO_ERROR);
	expect_eq(RtmReleaseRoutes(F.a, 1, &F.ra), NO_ERROR);
	expect_eq(RtmReleaseRoutes(F.b, 1, &F.rb), NO_ERROR);
	expect_eq(RtmReleaseRoutes(F.other, 1, &F.rother), NO_ERROR);
	expect_eq(RtmReleaseNextHops(F.a, 1, &F.na), NO_ERROR);
	expect_eq(RtmReleaseNextHops(F.b, 1, &F.nb), NO_ERROR);
	expect_eq(RtmReleaseNextHops(F.other, 1, &F.nother), NO_ERROR);
	/* enumerations, notifications and route lists go with their entities */
	test_deregister(F.a);
	test_deregister(F.b);
	test_deregister(F.other);
	expect_no_live_objects();
}

/* ---- wrong values ----------------------------------------------------------------------------- */

static int garbage(HANDLE *out)
{
	int n = 0;
	out[n++] = (HANDLE)0x1234;
	out[n++] = (HANDLE)~(ULONG_PTR)0;
	out[n++] = (HANDLE)&stack_word;
	out[n++] = (HANDLE)((char *)&stack_word + 1);
	out[n++] = (HANDLE)(ULONG_PTR)0xFFFFFFFFu;
	out[n++] = (HANDLE)(ULONG_PTR)0x80000000u;
	out[n++] = (HANDLE)(ULONG_PTR)0x00010001u;
	return n;
}

/* registration handles that are no live registration of the table */
static int bad_regs(HANDLE *out)
{
	int n = 0;
	out[n++] = NULL;
	n += garbage(out + n);
	out[n++] = F.stale_ent;
	out[n++] = F.d;
	out[n++] = F.ra;
	out[n++] = F.na;
	out[n++] = F.ed;
	out[n++] = F.na_n;
	out[n++] = F.la;
	return n;
}

/* handles that are wrong for an argument of kind k used by entity a */
static int wrong_handles(enum kind k, HANDLE *out)
{
	int n = garbage(out);
	HANDLE all[] = { F.a, F.d, F.ra, F.na, F.ed, F.er, F.en, F.el, F.na_n, F.la };
	enum kind kinds[] = { K_ENTITY, K_DEST, K_ROUTE, K_NEXTHOP, K_ENUM_DEST, K_ENUM_ROUTE, K_ENUM_NH, K_ENUM_LIST,
			      K_NOTIFY, K_LIST };
	for (unsigned i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		int same = kinds[i] == k || (k == K_REFABLE && kinds[i] <= K_NEXTHOP);
		if (!same)
			out[n++] = all[i];
	}
	switch (k) {
	case K_ENTITY:
		out[n++] = F.stale_ent;
		out[n++] = F.other;
		break;
	case K_DEST:
		out[n++] = F.stale_dest;
		out[n++] = F.dother;
		break;
	case K_ROUTE:
		out[n++] = F.stale_route;
		out[n++] = F.rother;
		break;
	case K_NEXTHOP:
		out[n++] = F.stale_nh == NULL ? F.nother : F.nother;
		break;
	case K_ENUM_DEST:
	case K_ENUM_ROUTE:
	case K_ENUM_NH:
	case K_ENUM_LIST:
		out[n++] = F.stale_enum;
		out[n++] = F.eb; /* another entity's */
		break;
	case K_NOTIFY:
		out[n++] = F.stale_notify;
		out[n++] = F.nb_n;
		break;
	case K_LIST:
		out[n++] = F.stale_list;
		out[n++] = F.lb;
		break;
	case K_REFABLE:
		out[n++] = F.stale_route;
		out[n++] = F.stale_dest;
		out[n++] = F.rother;
		out[n++] = F.other;
		break;
	default:
		break;
	}
	return n;
}

/* ---- the fingerprint -------------------------------------------------------------------------- */

#define FP_MAX 4096
typedef struct {
	ULONG_PTR v[FP_MAX];
	int n;
} fingerprint;

static void fp_add(fingerprint *f, ULONG_PTR x)
{
	if (f->n < FP_MAX)
		f->v[f->n++] = x;
}

static void fp_take(fingerprint *f)
{
	DWORD c[RTM_TEST_COUNT_KINDS];
	f->n = 0;
	test_object_counts(c);
	for (int i = 0; i < RTM_TEST_COUNT_KINDS; i++)
		fp_add(f, c[i]);
	static union {
		RTM_DEST_INFO info;
		char room[100 * RTM_SIZE_OF_DEST_INFO(2)];
	} b;
	RTM_ENUM_HANDLE e;
	RTM_DEST_HANDLE dests[100];
	UINT nd = 0;
	if (RtmCreateDestEnum(F.a, RTM_VIEW_MASK_ALL, RTM_ENUM_START, NULL, 0, &e) == NO_ERROR) {
		UINT n = 100;
		RtmGetEnumDests(F.a, e, &n, &b.info);
		for (UINT i = 0; i < n; i++) {
			RTM_DEST_INFO *p = (RTM_DEST_INFO *)((char *)&b.info + i * RTM_SIZE_OF_DEST_INFO(2));
			fp_add(f, (ULONG_PTR)p->DestHandle);
			fp_add(f, p->BelongsToViews);
			for (UINT v = 0; v < p->NumberOfViews; v++) {
				fp_add(f, p->ViewInfo[v].NumRoutes);
				fp_add(f, (ULONG_PTR)p->ViewInfo[v].Route);
				fp_add(f, (ULONG_PTR)p->ViewInfo[v].HoldRoute);
			}
			dests[nd++] = p->DestHandle;
		}
		RtmReleaseDests(F.a, n, &b.info);
		RtmDeleteEnumHandle(F.a, e);
	}
	RTM_NET_ADDRESS any = test_ipv4(0, 0, 0, 0, 0);
	if (RtmCreateRouteEnum(F.a, NULL, RTM_VIEW_MASK_ANY, RTM_ENUM_NEXT, &any, 0, NULL, 0, &e) == NO_ERROR) {
		RTM_ROUTE_HANDLE hs[100];
		UINT n = 100;
		RtmGetEnumRoutes(F.a, e, &n, hs);
		for (UINT i = 0; i < n; i++) {
			test_route_info_buf ri;
			fp_add(f, (ULONG_PTR)hs[i]);
			if (RtmGetRouteInfo(F.a, hs[i], &ri.info, NULL) == NO_ERROR) {
				fp_add(f, ri.info.State);
				fp_add(f, ri.info.PrefInfo.Preference);
				fp_add(f, ri.info.PrefInfo.Metric);
				fp_add(f, ri.info.BelongsToViews);
				fp_add(f, (ULONG_PTR)ri.info.Neighbour);
				fp_add(f, ri.info.NextHopsList.NumNextHops);
				RtmReleaseRouteInfo(F.a, &ri.info);
			}
		}
		RtmReleaseRoutes(F.a, n, hs);
		RtmDeleteEnumHandle(F.a, e);
	}
	RTM_ENTITY_HANDLE owners[2] = { F.a, F.b };
	for (int o = 0; o < 2; o++)
		if (RtmCreateNextHopEnum(owners[o], RTM_ENUM_START, NULL, &e) == NO_ERROR) {
			RTM_NEXTHOP_HANDLE hs[100];
			UINT n = 100;
			RtmGetEnumNextHops(owners[o], e, &n, hs);
			for (UINT i = 0; i < n; i++) {
				RTM_NEXTHOP_INFO ni;
				fp_add(f, (ULONG_PTR)hs[i]);
				if (RtmGetNextHopInfo(F.a, hs[i], &ni) == NO_ERROR) {
					fp_add(f, ni.Flags);
					fp_add(f, (ULONG_PTR)ni.EntitySpecificInfo);
					fp_add(f, (ULONG_PTR)ni.RemoteNextHop);
					RtmReleaseNextHopInfo(F.a, &ni);
				}
			}
			RtmReleaseNextHops(owners[o], n, hs);
			RtmDeleteEnumHandle(owners[o], e);
		}
	for (UINT i = 0; i < nd; i++) {
		BOOL st = 7, mk = 7;
		RtmGetChangeStatus(F.a, F.na_n, dests[i], &st);
		RtmIsMarkedForChangeNotification(F.a, F.na_n, dests[i], &mk);
		fp_add(f, (ULONG_PTR)st * 2 + (ULONG_PTR)mk);
		RtmGetChangeStatus(F.b, F.nb_n, dests[i], &st);
		fp_add(f, (ULONG_PTR)st);
	}
	PVOID slot = NULL;
	if (RtmGetOpaqueInformationPointer(F.a, F.d, &slot) == NO_ERROR)
		fp_add(f, (ULONG_PTR)*(PVOID *)slot);
	UINT ne = 0;
	RtmGetRegisteredEntities(F.a, &ne, NULL, NULL);
	fp_add(f, ne);
}

static unsigned calls, bad_calls;
static const char *row_name;

static void bad(DWORD got, DWORD want, const char *what, int line)
{
	calls++;
	if (!ok(got == want, "%s (%s, line %d): got %lu, expected %lu\n", row_name, what, line, (unsigned long)got,
		(unsigned long)want))
		bad_calls++;
}

static fingerprint fp_before, fp_after;

#define BAD(call, want, what)                                                                        \
	do {                                                                                         \
		fp_take(&fp_before);                                                                 \
		bad((call), (want), (what), __LINE__);                                               \
		fp_take(&fp_after);                                                                  \
		ok(fp_before.n == fp_after.n && !memcmp(fp_before.v, fp_after.v, sizeof(ULONG_PTR) * (size_t)fp_after.n), \
		   "%s (%s, line %d): the failed call changed the table\n", row_name, what, __LINE__);  \
	} while (0)

/* ---- the rows --------------------------------------------------------------------------------- */

typedef struct {
	HANDLE reg;
	HANDLE h[3];
	int null[4]; /* pointer argument i is NULL */
} args;

typedef struct {
	const char *name;
	DWORD (*call)(const args *);
	void (*base)(args *);
	int has_reg;
	enum kind hk[3];
	DWORD null_err[4]; /* 0: optional pointer (or none) */
} row;

/* scratch outputs */
static test_dest_info_buf o_di;
static test_route_info_buf o_ri;
static RTM_NEXTHOP_INFO o_ni;
static RTM_ENTITY_INFO o_ei;
static HANDLE o_h, o_hs[100];
static PVOID o_p;
static UINT o_n;
static DWORD o_flags;
static BOOL o_b;
static union {
	RTM_DEST_INFO info;
	char room[100 * RTM_SIZE_OF_DEST_INFO(2)];
} o_dis;
static RTM_NET_ADDRESS o_addr;

#define P(i, ptr) (a->null[i] ? NULL : (ptr))

static void base_a(args *a) { a->reg = F.a; }
static void base_a_d(args *a) { a->reg = F.a, a->h[0] = F.d; }
static void base_a_r(args *a) { a->reg = F.a, a->h[0] = F.ra; }
static void base_a_n(args *a) { a->reg = F.a, a->h[0] = F.na; }
static void base_a_b(args *a) { a->reg = F.a, a->h[0] = F.b; }
static void base_a_ed(args *a) { a->reg = F.a, a->h[0] = F.ed; }
static void base_a_er(args *a) { a->reg = F.a, a->h[0] = F.er; }
static void base_a_en(args *a) { a->reg = F.a, a->h[0] = F.en; }
static void base_a_el(args *a) { a->reg = F.a, a->h[0] = F.el; }
static void base_a_nn(args *a) { a->reg = F.a, a->h[0] = F.na_n; }
static void base_a_nn_d(args *a) { a->reg = F.a, a->h[0] = F.na_n, a->h[1] = F.d; }
static void base_a_l(args *a) { a->reg = F.a, a->h[0] = F.la; }
static void base_a_l_r(args *a) { a->reg = F.a, a->h[0] = F.la, a->h[1] = F.ra; }
static void base_di(args *a) { a->reg = F.a, a->h[0] = F.di.info.DestHandle, a->h[1] = F.di.info.ViewInfo[0].Route, a->h[2] = F.di.info.ViewInfo[0].Owner; }
static void base_ri(args *a) { a->reg = F.a, a->h[0] = F.ri.info.DestHandle, a->h[1] = F.ri.info.RouteOwner, a->h[2] = F.ri.info.Neighbour; }
static void base_ni(args *a) { a->reg = F.a, a->h[0] = F.ni.NextHopOwner; }
static void base_none(args *a) { (void)a; }

static RTM_ENTITY_INFO reg_info(void)
{
	RTM_ENTITY_INFO i;
	memset(&i, 0, sizeof(i));
	i.AddressFamily = AF_INET;
	i.EntityId.EntityProtocolId = 777;
	return i;
}

static DWORD c_register(const args *a)
{
	RTM_ENTITY_INFO i = reg_info();
	RTM_REGN_PROFILE prof;
	return RtmRegisterEntity(P(0, &i), NULL, NULL, FALSE, P(1, &prof), P(2, (RTM_ENTITY_HANDLE *)&o_h));
}
static DWORD c_deregister(const args *a) { return RtmDeregisterEntity(a->reg); }
static DWORD c_get_entities(const args *a) { o_n = 4; return RtmGetRegisteredEntities(a->reg, P(0, &o_n), o_hs, NULL); }
static DWORD c_release_entities(const args *a) { return RtmReleaseEntities(a->reg, 1, P(0, (RTM_ENTITY_HANDLE *)&a->h[0])); }
static DWORD c_lock_dest(const args *a) { return RtmLockDestination(a->reg, a->h[0], FALSE, TRUE); }
static DWORD c_opaque(const args *a) { return RtmGetOpaqueInformationPointer(a->reg, a->h[0], P(0, &o_p)); }
static DWORD c_get_methods(const args *a)
{
	RTM_ENTITY_EXPORT_METHOD m[4];
	o_n = 4;
	return RtmGetEntityMethods(a->reg, a->h[0], P(0, &o_n), m);
}
static DWORD c_invoke(const args *a)
{
	RTM_ENTITY_METHOD_INPUT in;
	union {
		RTM_ENTITY_METHOD_OUTPUT out;
		char room[64];
	} out;
	memset(&in, 0, sizeof(in));
	in.MethodType = 1;
	o_n = sizeof(out);
	return RtmInvokeMethod(a->reg, a->h[0], P(0, &in), P(1, &o_n), &out.out);
}
static DWORD c_block(const args *a) { return RtmBlockMethods(a->reg, NULL, 0, RTM_RESUME_METHODS); }
static DWORD c_entity_info(const args *a) { return RtmGetEntityInfo(a->reg, a->h[0], P(0, &o_ei)); }
static DWORD c_dest_info(const args *a) { return RtmGetDestInfo(a->reg, a->h[0], 0, RTM_VIEW_MASK_ALL, P(0, &o_di.info)); }
static DWORD c_route_info(const args *a) { return RtmGetRouteInfo(a->reg, a->h[0], &o_ri.info, &o_addr); }
static DWORD c_nh_info(const args *a) { return RtmGetNextHopInfo(a->reg, a->h[0], P(0, &o_ni)); }
static DWORD c_rel_entity_info(const args *a) { return RtmReleaseEntityInfo(a->reg, P(0, &F.ei)); }
static DWORD c_rel_dest_info(const args *a)
{
	test_dest_info_buf b = F.di;
	b.info.DestHandle = a->h[0];
	b.info.ViewInfo[0].Route = a->h[1];
	b.info.ViewInfo[0].Owner = a->h[2];
	return RtmReleaseDestInfo(a->reg, P(0, &b.info));
}
static DWORD c_rel_route_info(const args *a)
{
	test_route_info_buf b = F.ri;
	b.info.DestHandle = a->h[0];
	b.info.RouteOwner = a->h[1];
	b.info.Neighbour = a->h[2];
	return RtmReleaseRouteInfo(a->reg, P(0, &b.info));
}
static DWORD c_rel_nh_info(const args *a)
{
	RTM_NEXTHOP_INFO b = F.ni;
	b.NextHopOwner = a->h[0];
	return RtmReleaseNextHopInfo(a->reg, P(0, &b));
}
static DWORD c_add_route(const args *a)
{
	RTM_NET_ADDRESS d = DNEW();
	test_route_info_buf ri;
	test_fill_route(&ri.info, F.na, 10, 1, RTM_VIEW_MASK_UCAST);
	ri.info.Neighbour = a->h[0];
	o_h = NULL;
	o_flags = 0;
	return RtmAddRouteToDest(a->reg, (RTM_ROUTE_HANDLE *)&o_h, P(0, &d), P(1, &ri.info), INFINITE, a->h[1], 0, NULL,
				 &o_flags);
}
static void base_add_route(args *a) { a->reg = F.a, a->h[0] = F.na, a->h[1] = F.la; }
static DWORD c_delete_route(const args *a) { return RtmDeleteRouteToDest(a->reg, a->h[0], &o_flags); }
static DWORD c_hold(const args *a) { return RtmHoldDestination(a->reg, a->h[0], RTM_VIEW_MASK_UCAST, 1000); }
static DWORD c_route_ptr(const args *a) { return RtmGetRoutePointer(a->reg, a->h[0], P(0, (PRTM_ROUTE_INFO *)&o_p)); }
static DWORD c_lock_route(const args *a) { return RtmLockRoute(a->reg, a->h[0], FALSE, TRUE, NULL); }
static DWORD c_update_unlock(const args *a) { return RtmUpdateAndUnlockRoute(a->reg, a->h[0], INFINITE, NULL, 0, NULL, &o_flags); }
static DWORD c_exact_dest(const args *a)
{
	RTM_NET_ADDRESS d = D1();
	return RtmGetExactMatchDestination(a->reg, P(0, &d), 0, RTM_VIEW_MASK_ALL, P(1, &o_di.info));
}
static DWORD c_most_specific(const args *a)
{
	RTM_NET_ADDRESS d = test_ipv4(10, 50, 1, 1, 32);
	return RtmGetMostSpecificDestination(a->reg, P(0, &d), 0, RTM_VIEW_MASK_ALL, P(1, &o_di.info));
}
static DWORD c_less_specific(const args *a) { return RtmGetLessSpecificDestination(a->reg, a->h[0], 0, RTM_VIEW_MASK_ALL, P(0, &o_di.info)); }
static DWORD c_exact_route(const args *a)
{
	RTM_NET_ADDRESS d = D1();
	memset(&o_ri, 0, sizeof(o_ri));
	return RtmGetExactMatchRoute(a->reg, P(0, &d), RTM_MATCH_NONE, P(1, &o_ri.info), 0, RTM_VIEW_MASK_ANY, NULL);
}
static DWORD c_is_best(const args *a)
{
	RTM_VIEW_SET v;
	return RtmIsBestRoute(a->reg, a->h[0], P(0, &v));
}
static DWORD c_add_nh(const args *a)
{
	RTM_NEXTHOP_INFO in;
	memset(&in, 0, sizeof(in));
	in.NextHopAddress = test_ipv4(10, 0, 0, 77, 32);
	in.InterfaceIndex = 7;
	in.Flags = RTM_NEXTHOP_FLAGS_REMOTE;
	in.RemoteNextHop = a->h[0];
	o_h = NULL;
	return RtmAddNextHop(a->reg, P(0, &in), (RTM_NEXTHOP_HANDLE *)&o_h, NULL);
}
static DWORD c_find_nh(const args *a)
{
	RTM_NEXTHOP_INFO in;
	memset(&in, 0, sizeof(in));
	in.NextHopAddress = test_ipv4(10, 0, 0, 1, 32);
	in.InterfaceIndex = 1;
	return RtmFindNextHop(a->reg, P(0, &in), NULL, NULL);
}
static DWORD c_delete_nh(const args *a) { return RtmDeleteNextHop(a->reg, a->h[0], NULL); }
static DWORD c_nh_ptr(const args *a) { return RtmGetNextHopPointer(a->reg, a->h[0], P(0, (PRTM_NEXTHOP_INFO *)&o_p)); }
static DWORD c_lock_nh(const args *a) { return RtmLockNextHop(a->reg, a->h[0], FALSE, TRUE, NULL); }
static DWORD c_create_dest_enum(const args *a) { return RtmCreateDestEnum(a->reg, RTM_VIEW_MASK_ANY, RTM_ENUM_START, NULL, 0, P(0, (RTM_ENUM_HANDLE *)&o_h)); }
static DWORD c_get_enum_dests(const args *a) { o_n = 1; return RtmGetEnumDests(a->reg, a->h[0], P(0, &o_n), P(1, &o_dis.info)); }
static DWORD c_release_dests(const args *a)
{
	test_dest_info_buf b = F.di;
	b.info.DestHandle = a->h[0];
	return RtmReleaseDests(a->reg, 1, P(0, &b.info));
}
static void base_rel_dests(args *a) { a->reg = F.a, a->h[0] = F.d; }
static DWORD c_create_route_enum(const args *a)
{
	return RtmCreateRouteEnum(a->reg, a->h[0], RTM_VIEW_MASK_ANY, RTM_ENUM_START, NULL, RTM_MATCH_NONE, NULL, 0,
				  P(0, (RTM_ENUM_HANDLE *)&o_h));
}
static DWORD c_get_enum_routes(const args *a) { o_n = 1; return RtmGetEnumRoutes(a->reg, a->h[0], P(0, &o_n), P(1, (RTM_ROUTE_HANDLE *)o_hs)); }
static DWORD c_release_routes(const args *a) { return RtmReleaseRoutes(a->reg, 1, P(0, (RTM_ROUTE_HANDLE *)&a->h[0])); }
static DWORD c_create_nh_enum(const args *a) { return RtmCreateNextHopEnum(a->reg, RTM_ENUM_START, NULL, P(0, (RTM_ENUM_HANDLE *)&o_h)); }
static DWORD c_get_enum_nhs(const args *a) { o_n = 1; return RtmGetEnumNextHops(a->reg, a->h[0], P(0, &o_n), P(1, (RTM_NEXTHOP_HANDLE *)o_hs)); }
static DWORD c_release_nhs(const args *a) { return RtmReleaseNextHops(a->reg, 1, P(0, (RTM_NEXTHOP_HANDLE *)&a->h[0])); }
static DWORD c_delete_enum(const args *a) { return RtmDeleteEnumHandle(a->reg, a->h[0]); }
static DWORD c_register_notify(const args *a)
{
	return RtmRegisterForChangeNotification(a->reg, RTM_VIEW_MASK_ANY, RTM_CHANGE_TYPE_ALL, NULL,
						P(0, (RTM_NOTIFY_HANDLE *)&o_h));
}
static DWORD c_get_changed(const args *a) { o_n = 1; return RtmGetChangedDests(a->reg, a->h[0], P(0, &o_n), P(1, &o_dis.info)); }
static DWORD c_rel_changed(const args *a)
{
	test_dest_info_buf b = F.di;
	b.info.DestHandle = a->h[1];
	return RtmReleaseChangedDests(a->reg, a->h[0], 1, P(0, &b.info));
}
static DWORD c_ignore(const args *a) { return RtmIgnoreChangedDests(a->reg, a->h[0], 1, P(0, (RTM_DEST_HANDLE *)&a->h[1])); }
static DWORD c_change_status(const args *a) { return RtmGetChangeStatus(a->reg, a->h[0], a->h[1], P(0, &o_b)); }
static DWORD c_mark(const args *a) { return RtmMarkDestForChangeNotification(a->reg, a->h[0], a->h[1], TRUE); }
static DWORD c_is_marked(const args *a) { return RtmIsMarkedForChangeNotification(a->reg, a->h[0], a->h[1], P(0, &o_b)); }
static DWORD c_deregister_notify(const args *a) { return RtmDeregisterFromChangeNotification(a->reg, a->h[0]); }
static DWORD c_create_list(const args *a) { return RtmCreateRouteList(a->reg, P(0, (RTM_ROUTE_LIST_HANDLE *)&o_h)); }
static DWORD c_insert(const args *a) { return RtmInsertInRouteList(a->reg, a->h[0], 1, P(0, (RTM_ROUTE_HANDLE *)&a->h[1])); }
static DWORD c_create_list_enum(const args *a) { return RtmCreateRouteListEnum(a->reg, a->h[0], P(0, (RTM_ENUM_HANDLE *)&o_h)); }
static DWORD c_get_list_routes(const args *a) { o_n = 1; return RtmGetListEnumRoutes(a->reg, a->h[0], P(0, &o_n), P(1, (RTM_ROUTE_HANDLE *)o_hs)); }
static DWORD c_delete_list(const args *a) { return RtmDeleteRouteList(a->reg, a->h[0]); }
static DWORD c_reference(const args *a) { return RtmReferenceHandles(a->reg, 1, P(0, (HANDLE *)&a->h[0])); }
static DWORD c_to_ipv6(const args *a)
{
	RTM_NET_ADDRESS n = test_ipv6(0x2001, 0xdb8, 0, 0, 32);
	IN6_ADDR x;
	DWORD len;
	return RtmConvertNetAddressToIpv6AddressAndLength(P(0, &n), P(1, &x), P(2, &len), 16);
}
static DWORD c_from_ipv6(const args *a)
{
	IN6_ADDR x;
	memset(&x, 0, sizeof(x));
	return RtmConvertIpv6AddressAndLengthToNetAddress(P(0, &o_addr), x, 64, 16);
}

#define IP ERROR_INVALID_PARAMETER
static const row CALLS[] = {
	{ "RtmRegisterEntity", c_register, base_none, 0, { 0 }, { IP, IP, IP } },
	{ "RtmDeregisterEntity", c_deregister, base_a, 1, { 0 }, { 0 } },
	{ "RtmGetRegisteredEntities", c_get_entities, base_a, 1, { 0 }, { IP } },
	{ "RtmReleaseEntities", c_release_entities, base_a_b, 1, { K_ENTITY }, { IP } },
	{ "RtmLockDestination", c_lock_dest, base_a_d, 1, { K_DEST }, { 0 } },
	{ "RtmGetOpaqueInformationPointer", c_opaque, base_a_d, 1, { K_DEST }, { IP } },
	{ "RtmGetEntityMethods", c_get_methods, base_a_b, 1, { K_ENTITY }, { IP } },
	{ "RtmInvokeMethod", c_invoke, base_a_b, 1, { K_ENTITY }, { IP, IP } },
	{ "RtmBlockMethods", c_block, base_a, 1, { 0 }, { 0 } },
	{ "RtmGetEntityInfo", c_entity_info, base_a_b, 1, { K_ENTITY }, { IP } },
	{ "RtmGetDestInfo", c_dest_info, base_a_d, 1, { K_DEST }, { IP } },
	{ "RtmGetRouteInfo", c_route_info, base_a_r, 1, { K_ROUTE }, { 0 } },
	{ "RtmGetNextHopInfo", c_nh_info, base_a_n, 1, { K_NEXTHOP }, { IP } },
	{ "RtmReleaseEntityInfo", c_rel_entity_info, base_a, 1, { 0 }, { IP } },
	{ "RtmReleaseDestInfo", c_rel_dest_info, base_di, 1, { K_DEST, K_ROUTE, K_ENTITY }, { IP } },
	{ "RtmReleaseRouteInfo", c_rel_route_info, base_ri, 1, { K_DEST, K_ENTITY, K_NEXTHOP }, { IP } },
	{ "RtmReleaseNextHopInfo", c_rel_nh_info, base_ni, 1, { K_ENTITY }, { IP } },
	{ "RtmAddRouteToDest", c_add_route, base_add_route, 1, { K_NEXTHOP, K_LIST }, { IP, IP } },
	{ "RtmDeleteRouteToDest", c_delete_route, base_a_r, 1, { K_ROUTE }, { 0 } },
	{ "RtmHoldDestination", c_hold, base_a_d, 1, { K_DEST }, { 0 } },
	{ "RtmGetRoutePointer", c_route_ptr, base_a_r, 1, { K_ROUTE }, { IP } },
	{ "RtmLockRoute", c_lock_route, base_a_r, 1, { K_ROUTE }, { 0 } },
	{ "RtmUpdateAndUnlockRoute", c_update_unlock, base_a_r, 1, { K_ROUTE }, { 0 } },
	{ "RtmGetExactMatchDestination", c_exact_dest, base_a, 1, { 0 }, { IP, IP } },
	{ "RtmGetMostSpecificDestination", c_most_specific, base_a, 1, { 0 }, { IP, IP } },
	{ "RtmGetLessSpecificDestination", c_less_specific, base_a_d, 1, { K_DEST }, { IP } },
	{ "RtmGetExactMatchRoute", c_exact_route, base_a, 1, { 0 }, { IP, IP } },
	{ "RtmIsBestRoute", c_is_best, base_a_r, 1, { K_ROUTE }, { IP } },
	{ "RtmAddNextHop", c_add_nh, base_a_d, 1, { K_DEST }, { IP } },
	{ "RtmFindNextHop", c_find_nh, base_a, 1, { 0 }, { IP } },
	{ "RtmDeleteNextHop", c_delete_nh, base_a_n, 1, { K_NEXTHOP }, { 0 } },
	{ "RtmGetNextHopPointer", c_nh_ptr, base_a_n, 1, { K_NEXTHOP }, { IP } },
	{ "RtmLockNextHop", c_lock_nh, base_a_n, 1, { K_NEXTHOP }, { 0 } },
	{ "RtmCreateDestEnum", c_create_dest_enum, base_a, 1, { 0 }, { IP } },
	{ "RtmGetEnumDests", c_get_enum_dests, base_a_ed, 1, { K_ENUM_DEST }, { IP, IP } },
	{ "RtmReleaseDests", c_release_dests, base_rel_dests, 1, { K_DEST }, { IP } },
	{ "RtmCreateRouteEnum", c_create_route_enum, base_a_d, 1, { K_DEST }, { IP } },
	{ "RtmGetEnumRoutes", c_get_enum_routes, base_a_er, 1, { K_ENUM_ROUTE }, { IP, IP } },
	{ "RtmReleaseRoutes", c_release_routes, base_a_r, 1, { K_ROUTE }, { IP } },
	{ "RtmCreateNextHopEnum", c_create_nh_enum, base_a, 1, { 0 }, { IP } },
	{ "RtmGetEnumNextHops", c_get_enum_nhs, base_a_en, 1, { K_ENUM_NH }, { IP, IP } },
	{ "RtmReleaseNextHops", c_release_nhs, base_a_n, 1, { K_NEXTHOP }, { IP } },
	{ "RtmDeleteEnumHandle", c_delete_enum, base_a_ed, 1, { K_NONE }, { 0 } },
	{ "RtmRegisterForChangeNotification", c_register_notify, base_a, 1, { 0 }, { IP } },
	{ "RtmGetChangedDests", c_get_changed, base_a_nn, 1, { K_NOTIFY }, { IP, IP } },
	{ "RtmReleaseChangedDests", c_rel_changed, base_a_nn_d, 1, { K_NOTIFY, K_DEST }, { IP } },
	{ "RtmIgnoreChangedDests", c_ignore, base_a_nn_d, 1, { K_NOTIFY, K_DEST }, { IP } },
	{ "RtmGetChangeStatus", c_change_status, base_a_nn_d, 1, { K_NOTIFY, K_DEST }, { IP } },
	{ "RtmMarkDestForChangeNotification", c_mark, base_a_nn_d, 1, { K_NOTIFY, K_DEST }, { 0 } },
	{ "RtmIsMarkedForChangeNotification", c_is_marked, base_a_nn_d, 1, { K_NOTIFY, K_DEST }, { IP } },
	{ "RtmDeregisterFromChangeNotification", c_deregister_notify, base_a_nn, 1, { K_NOTIFY }, { 0 } },
	{ "RtmCreateRouteList", c_create_list, base_a, 1, { 0 }, { IP } },
	{ "RtmInsertInRouteList", c_insert, base_a_l_r, 1, { K_LIST, K_ROUTE }, { IP } },
	{ "RtmCreateRouteListEnum", c_create_list_enum, base_a_l, 1, { K_LIST }, { IP } },
	{ "RtmGetListEnumRoutes", c_get_list_routes, base_a_el, 1, { K_ENUM_LIST }, { IP, IP } },
	{ "RtmDeleteRouteList", c_delete_list, base_a_l, 1, { K_LIST }, { 0 } },
	{ "RtmReferenceHandles", c_reference, base_a_r, 1, { K_REFABLE }, { IP } },
	{ "RtmConvertNetAddressToIpv6AddressAndLength", c_to_ipv6, base_none, 0, { 0 }, { IP, IP, IP } },
	{ "RtmConvertIpv6AddressAndLengthToNetAddress", c_from_ipv6, base_none, 0, { 0 }, { IP } },
};
#define NCALLS (sizeof(CALLS) / sizeof(CALLS[0]))

static void run_rows(void)
{
	HANDLE regs[32], wrong[40];
	int nregs = bad_regs(regs);
	for (unsigned r = 0; r < NCALLS; r++) {
		const row *x = &CALLS[r];
		args base;
		memset(&base, 0, sizeof(base));
		x->base(&base);
		row_name = x->name;
		char what[80];
		if (x->has_reg)
			for (int i = 0; i < nregs; i++) {
				args a = base;
				a.reg = regs[i];
				snprintf(what, sizeof(what), "bad registration %d", i);
				BAD(x->call(&a), ERROR_INVALID_HANDLE, what);
			}
		for (int p = 0; p < 4; p++) {
			if (!x->null_err[p])
				continue;
			args a = base;
			a.null[p] = 1;
			snprintf(what, sizeof(what), "pointer argument %d NULL", p);
			BAD(x->call(&a), x->null_err[p], what);
		}
		/* RtmDeleteEnumHandle takes any kind of enumeration */
		enum kind hk0 = !strcmp(x->name, "RtmDeleteEnumHandle") ? K_ENUM_DEST : x->hk[0];
		for (int h = 0; h < 3; h++) {
			enum kind k = h == 0 ? hk0 : x->hk[h];
			if (k == K_NONE)
				continue;
			int nw = wrong_handles(k, wrong);
			for (int i = 0; i < nw; i++) {
				if (hk0 == K_ENUM_DEST && h == 0 && !strcmp(x->name, "RtmDeleteEnumHandle") &&
				    (wrong[i] == F.er || wrong[i] == F.en || wrong[i] == F.el))
					continue; /* those are enumerations too: valid here */
				args a = base;
				a.h[h] = wrong[i];
				snprintf(what, sizeof(what), "handle argument %d, wrong value %d", h, i);
				BAD(x->call(&a), ERROR_INVALID_HANDLE, what);
			}
		}
	}
}

/* ---- what a row cannot express ----------------------------------------------------------------- */

static void extra(void)
{
	RTM_NET_ADDRESS b33 = test_ipv4(10, 50, 0, 0, 33), d1 = D1(), dnew = DNEW();
	test_route_info_buf ri;
	RTM_NEXTHOP_INFO ni;
	UINT n;
	row_name = "extra";

	/* counts above MaxHandlesInEnum (functions-2 0.9); the count output is 0 afterwards */
	n = 101;
	BAD(RtmGetEnumDests(F.a, F.ed, &n, &o_dis.info), IP, "RtmGetEnumDests 101");
	expect_eq(n, 0);
	n = 101;
	BAD(RtmGetEnumRoutes(F.a, F.er, &n, (RTM_ROUTE_HANDLE *)o_hs), IP, "RtmGetEnumRoutes 101");
	n = 101;
	BAD(RtmGetEnumNextHops(F.a, F.en, &n, (RTM_NEXTHOP_HANDLE *)o_hs), IP, "RtmGetEnumNextHops 101");
	n = 101;
	BAD(RtmGetChangedDests(F.a, F.na_n, &n, &o_dis.info), IP, "RtmGetChangedDests 101");
	n = 0xFFFFFFFF;
	BAD(RtmGetListEnumRoutes(F.a, F.el, &n, (RTM_ROUTE_HANDLE *)o_hs), IP, "RtmGetListEnumRoutes ~0");
	/* counts of zero: successful no-ops, NULL arrays allowed */
	BAD(RtmReleaseRoutes(F.a, 0, NULL), NO_ERROR, "RtmReleaseRoutes 0");
	BAD(RtmReleaseNextHops(F.a, 0, NULL), NO_ERROR, "RtmReleaseNextHops 0");
	BAD(RtmReleaseEntities(F.a, 0, NULL), NO_ERROR, "RtmReleaseEntities 0");
	BAD(RtmReleaseDests(F.a, 0, NULL), NO_ERROR, "RtmReleaseDests 0");
	BAD(RtmReleaseChangedDests(F.a, F.na_n, 0, NULL), NO_ERROR, "RtmReleaseChangedDests 0");
	BAD(RtmIgnoreChangedDests(F.a, F.na_n, 0, NULL), NO_ERROR, "RtmIgnoreChangedDests 0");
	BAD(RtmReferenceHandles(F.a, 0, NULL), NO_ERROR, "RtmReferenceHandles 0");
	BAD(RtmInsertInRouteList(F.a, F.la, 0, NULL), NO_ERROR, "RtmInsertInRouteList 0");
	n = 0;
	BAD(RtmGetEnumDests(F.a, F.ed, &n, NULL), NO_ERROR, "RtmGetEnumDests 0");
	n = 0;
	BAD(RtmGetChangedDests(F.a, F.na_n, &n, NULL), NO_ERROR, "RtmGetChangedDests 0");
	/* NumberOfViews above the profile's in release functions */
	{
		test_dest_info_buf b = F.di;
		b.info.NumberOfViews = 3;
		BAD(RtmReleaseDestInfo(F.a, &b.info), IP, "RtmReleaseDestInfo 3 views");
		BAD(RtmReleaseDests(F.a, 1, &b.info), IP, "RtmReleaseDests 3 views");
		BAD(RtmReleaseChangedDests(F.a, F.na_n, 1, &b.info), IP, "RtmReleaseChangedDests 3 views");
	}
	/* NumBits beyond the family, everywhere an address goes in */
	test_fill_route(&ri.info, F.na, 10, 1, RTM_VIEW_MASK_UCAST);
	BAD(RtmAddRouteToDest(F.a, NULL, &b33, &ri.info, INFINITE, NULL, 0, NULL, NULL), IP, "add /33");
	BAD(RtmGetExactMatchDestination(F.a, &b33, 0, 3, &o_di.info), IP, "exact /33");
	BAD(RtmGetMostSpecificDestination(F.a, &b33, 0, 3, &o_di.info), IP, "most specific /33");
	BAD(RtmGetExactMatchRoute(F.a, &b33, 0, &o_ri.info, 0, 0, NULL), IP, "exact route /33");
	BAD(RtmCreateDestEnum(F.a, 0, RTM_ENUM_NEXT, &b33, 0, (RTM_ENUM_HANDLE *)&o_h), IP, "dest enum /33");
	BAD(RtmCreateRouteEnum(F.a, NULL, 0, RTM_ENUM_RANGE, &b33, 0, NULL, 0, (RTM_ENUM_HANDLE *)&o_h), IP,
	    "route enum /33");
	BAD(RtmCreateNextHopEnum(F.a, RTM_ENUM_NEXT, &b33, (RTM_ENUM_HANDLE *)&o_h), IP, "next-hop enum /33");
	memset(&ni, 0, sizeof(ni));
	ni.NextHopAddress = b33;
	BAD(RtmAddNextHop(F.a, &ni, NULL, NULL), IP, "add next hop /33");
	BAD(RtmFindNextHop(F.a, &ni, NULL, NULL), IP, "find next hop /33");
	BAD(RtmDeleteNextHop(F.a, NULL, &ni), IP, "delete next hop /33");
	/* a missing address where the position needs one */
	BAD(RtmCreateDestEnum(F.a, 0, RTM_ENUM_RANGE, NULL, 0, (RTM_ENUM_HANDLE *)&o_h), IP, "dest enum no address");
	BAD(RtmCreateRouteEnum(F.a, NULL, 0, RTM_ENUM_NEXT, NULL, 0, NULL, 0, (RTM_ENUM_HANDLE *)&o_h), IP,
	    "route enum no address");
	BAD(RtmCreateNextHopEnum(F.a, RTM_ENUM_RANGE, NULL, (RTM_ENUM_HANDLE *)&o_h), IP, "next-hop enum no address");
	BAD(RtmDeleteNextHop(F.a, NULL, NULL), IP, "delete next hop: neither");
	/* flags and views */
	BAD(RtmCreateDestEnum(F.a, 4, RTM_ENUM_START, NULL, 0, (RTM_ENUM_HANDLE *)&o_h), ERROR_NOT_SUPPORTED,
	    "dest enum view 4");
	BAD(RtmCreateRouteEnum(F.a, NULL, 0x10, RTM_ENUM_START, NULL, 0, NULL, 0, (RTM_ENUM_HANDLE *)&o_h),
	    ERROR_NOT_SUPPORTED, "route enum view 0x10");
	BAD(RtmRegisterForChangeNotification(F.a, 4, RTM_CHANGE_TYPE_ALL, NULL, (RTM_NOTIFY_HANDLE *)&o_h),
	    ERROR_NOT_SUPPORTED, "notify view 4");
	BAD(RtmCreateDestEnum(F.a, 0, 0x100, NULL, 0, (RTM_ENUM_HANDLE *)&o_h), IP, "dest enum flag 0x100");
	BAD(RtmCreateRouteEnum(F.a, NULL, 0, RTM_ENUM_OWN_DESTS, NULL, 0, NULL, 0, (RTM_ENUM_HANDLE *)&o_h), IP,
	    "route enum OWN_DESTS");
	BAD(RtmCreateNextHopEnum(F.a, RTM_ENUM_OWN_ROUTES, NULL, (RTM_ENUM_HANDLE *)&o_h), IP, "next-hop enum OWN");
	BAD(RtmCreateRouteEnum(F.a, NULL, 0, 0, NULL, RTM_MATCH_OWNER, NULL, 0, (RTM_ENUM_HANDLE *)&o_h), IP,
	    "route enum criteria NULL");
	BAD(RtmCreateRouteEnum(F.a, NULL, 0, 0, NULL, 0x10000, &ri.info, 0, (RTM_ENUM_HANDLE *)&o_h), IP,
	    "route enum match 0x10000");
	BAD(RtmRegisterForChangeNotification(F.a, 0, 0, NULL, (RTM_NOTIFY_HANDLE *)&o_h), IP, "notify no type");
	BAD(RtmRegisterForChangeNotification(F.a, 0, RTM_NOTIFY_ONLY_MARKED_DESTS, NULL, (RTM_NOTIFY_HANDLE *)&o_h), IP,
	    "notify only marked, no type");
	BAD(RtmRegisterForChangeNotification(F.a, 0, 8, NULL, (RTM_NOTIFY_HANDLE *)&o_h), IP, "notify flag 8");
	BAD(RtmGetExactMatchRoute(F.a, &d1, 0x10000, &o_ri.info, 0, 0, NULL), IP, "exact route flags");
	BAD(RtmBlockMethods(F.a, NULL, 0, 2), IP, "block flag 2");
	BAD(RtmHoldDestination(F.a, F.d, 1, 0), IP, "hold time 0");
	BAD(RtmAddRouteToDest(F.a, (RTM_ROUTE_HANDLE *)&(HANDLE){ NULL }, &dnew, &ri.info, INFINITE, NULL, 0, NULL,
			      &(DWORD){ RTM_ROUTE_CHANGE_FIRST | RTM_ROUTE_CHANGE_NEW }),
	    IP, "add FIRST|NEW");
	{
		union {
			RTM_ROUTE_INFO info;
			char room[RTM_SIZE_OF_ROUTE_INFO(10)];
		} nine;
		memcpy(&nine, &ri, sizeof(ri));
		nine.info.NextHopsList.NumNextHops = 9;
		for (int i = 0; i < 9; i++)
			nine.info.NextHopsList.NextHops[i] = F.na;
		BAD(RtmAddRouteToDest(F.a, NULL, &dnew, &nine.info, INFINITE, NULL, 0, NULL, NULL), IP, "9 next hops");
		BAD(RtmReleaseRouteInfo(F.a, &nine.info), IP, "release 9 next hops");
		BAD(RtmCreateRouteEnum(F.a, NULL, 0, 0, NULL, RTM_MATCH_NEXTHOP, &nine.info, 0, (RTM_ENUM_HANDLE *)&o_h),
		    IP, "route enum 9 criteria hops");
		BAD(RtmGetExactMatchRoute(F.a, &d1, RTM_MATCH_NEXTHOP, &nine.info, 0, 0, NULL), IP, "exact route 9 hops");
	}
	/* foreign objects */
	BAD(RtmDeleteRouteToDest(F.a, F.rb, NULL), ERROR_ACCESS_DENIED, "delete b's route");
	BAD(RtmGetRoutePointer(F.a, F.rb, (PRTM_ROUTE_INFO *)&o_p), ERROR_ACCESS_DENIED, "b's route pointer");
	BAD(RtmLockRoute(F.a, F.rb, TRUE, TRUE, (PRTM_ROUTE_INFO *)&o_p), ERROR_ACCESS_DENIED, "lock b's route");
	BAD(RtmUpdateAndUnlockRoute(F.a, F.rb, INFINITE, NULL, 0, NULL, NULL), ERROR_ACCESS_DENIED, "commit b's route");
	BAD(RtmDeleteNextHop(F.a, F.nb, NULL), ERROR_ACCESS_DENIED, "delete b's next hop");
	BAD(RtmGetNextHopPointer(F.a, F.nb, (PRTM_NEXTHOP_INFO *)&o_p), ERROR_ACCESS_DENIED, "b's next-hop pointer");
	BAD(RtmLockNextHop(F.a, F.nb, TRUE, TRUE, (PRTM_NEXTHOP_INFO *)&o_p), ERROR_ACCESS_DENIED, "lock b's next hop");
	BAD(RtmInsertInRouteList(F.a, F.la, 1, &F.rb), ERROR_ACCESS_DENIED, "b's route into a's list");
	BAD(RtmAddRouteToDest(F.a, &F.rb, NULL, &ri.info, INFINITE, NULL, 0, NULL, NULL), ERROR_ACCESS_DENIED,
	    "update b's route");
	test_fill_route(&ri.info, NULL, 10, 1, RTM_VIEW_MASK_UCAST);
	ri.info.NextHopsList.NumNextHops = 1;
	ri.info.NextHopsList.NextHops[0] = F.nb;
	BAD(RtmAddRouteToDest(F.a, NULL, &dnew, &ri.info, INFINITE, NULL, 0, NULL, NULL), IP, "b's next hop in a's route");
	/* lock state */
	BAD(RtmLockDestination(F.a, F.d, TRUE, FALSE), IP, "unlock a dest not locked");
	BAD(RtmLockRoute(F.a, F.ra, TRUE, FALSE, NULL), IP, "unlock a route not locked");
	BAD(RtmLockNextHop(F.a, F.na, TRUE, FALSE, NULL), IP, "unlock a next hop not locked");
	BAD(RtmUpdateAndUnlockRoute(F.a, F.ra, INFINITE, NULL, 0, NULL, NULL), IP, "commit a route not locked");
	expect_eq(RtmLockDestination(F.a, F.d, FALSE, TRUE), NO_ERROR);
	BAD(RtmLockDestination(F.a, F.d, TRUE, TRUE), IP, "shared to exclusive");
	expect_eq(RtmLockDestination(F.a, F.d, FALSE, FALSE), NO_ERROR);
	/* the IPv6 helpers' sizes and lengths */
	{
		RTM_NET_ADDRESS n6 = test_ipv6(0x2001, 0xdb8, 0, 0, 129);
		IN6_ADDR x;
		DWORD len;
		memset(&x, 0, sizeof(x));
		BAD(RtmConvertNetAddressToIpv6AddressAndLength(&n6, &x, &len, 16), IP, "to IPv6 /129");
		n6.NumBits = 64;
		BAD(RtmConvertNetAddressToIpv6AddressAndLength(&n6, &x, &len, 0), IP, "to IPv6 size 0");
		BAD(RtmConvertNetAddressToIpv6AddressAndLength(&n6, &x, &len, 17), IP, "to IPv6 size 17");
		BAD(RtmConvertNetAddressToIpv6AddressAndLength(&n6, &x, &len, 4), IP, "to IPv6 /64 in 4 bytes");
		BAD(RtmConvertIpv6AddressAndLengthToNetAddress(&o_addr, x, 129, 16), IP, "from IPv6 /129");
		BAD(RtmConvertIpv6AddressAndLengthToNetAddress(&o_addr, x, 64, 0), IP, "from IPv6 size 0");
		BAD(RtmConvertIpv6AddressAndLengthToNetAddress(&o_addr, x, 64, 17), IP, "from IPv6 size 17");
	}
	/* registration */
	{
		RTM_ENTITY_INFO i = reg_info();
		RTM_REGN_PROFILE prof;
		i.AddressFamily = 0;
		BAD(RtmRegisterEntity(&i, NULL, NULL, FALSE, &prof, (RTM_ENTITY_HANDLE *)&o_h), IP, "family 0");
		i = reg_info();
		i.EntityId.EntityProtocolId = 100; /* a's identity */
		i.EntityId.EntityInstanceId = 1;
		BAD(RtmRegisterEntity(&i, NULL, NULL, FALSE, &prof, (RTM_ENTITY_HANDLE *)&o_h), ERROR_ALREADY_EXISTS,
		    "a second registration of a");
	}
}

int main(void)
{
	fixture_up();
	run_rows();
	extra();
	printf("%u bad calls over %u exports (%u gave another error than the documented one)\n", calls,
	       (unsigned)NCALLS, bad_calls);
	expect_eq(NCALLS, 59);
	fixture_down();
	return test_finish();
}

/*
 * test_util.h - helpers shared by the API tests: registering entities,
 * building addresses, and the live-object counters of the statistics hook.
 */
#ifndef RTM_TESTS_TEST_UTIL_H
#define RTM_TESTS_TEST_UTIL_H

#include "test.h"
#include "../src/stats.h"

#include <string.h>

#define RTM_MAX_NEXTHOPS_PER_TEST 8

/* live objects of each kind, through the ordinal-only statistics export */
static inline int test_object_counts(DWORD counts[RTM_TEST_COUNT_KINDS])
{
#ifdef _WIN32
	static RTM_TEST_GET_OBJECT_COUNTS fn;
	if (!fn)
		fn = (RTM_TEST_GET_OBJECT_COUNTS)(void (*)(void))GetProcAddress(
			GetModuleHandleA("rtm.dll"), MAKEINTRESOURCEA(RTM_TEST_STATS_ORDINAL));
	if (!fn)
		return 0;
	return fn(counts, RTM_TEST_COUNT_KINDS) == NO_ERROR;
#else
	return RtmTestGetObjectCounts(counts, RTM_TEST_COUNT_KINDS) == NO_ERROR;
#endif
}

/* total of live objects (all kinds); asserts the hook answered */
static inline DWORD test_live_objects(void)
{
	DWORD c[RTM_TEST_COUNT_KINDS], total = 0;
	if (!ok(test_object_counts(c), "statistics hook unavailable\n"))
		return ~0u;
	for (int i = 0; i < RTM_TEST_COUNT_KINDS; i++)
		total += c[i];
	return total;
}

#define expect_no_live_objects()                                                                     \
	do {                                                                                         \
		DWORD c_[RTM_TEST_COUNT_KINDS] = { 0 };                                              \
		ok(test_object_counts(c_), "statistics hook unavailable\n");                          \
		ok(!c_[0] && !c_[1] && !c_[2] && !c_[3] && !c_[4] && !c_[5] && !c_[6],               \
		   "live objects: entities %lu dests %lu routes %lu nexthops %lu enums %lu notify %lu " \
		   "lists %lu\n",                                                                    \
		   (unsigned long)c_[0], (unsigned long)c_[1], (unsigned long)c_[2],                 \
		   (unsigned long)c_[3], (unsigned long)c_[4], (unsigned long)c_[5],                 \
		   (unsigned long)c_[6]);                                                            \
	} while (0)

static inline RTM_NET_ADDRESS test_ipv4(unsigned a, unsigned b, unsigned c, unsigned d, unsigned len)
{
	RTM_NET_ADDRESS n;
	memset(&n, 0, sizeof(n));
	n.AddressFamily = AF_INET;
	n.NumBits = (USHORT)len;
	n.AddrBits[0] = (UCHAR)a;
	n.AddrBits[1] = (UCHAR)b;
	n.AddrBits[2] = (UCHAR)c;
	n.AddrBits[3] = (UCHAR)d;
	return n;
}

/* an IPv6 prefix from its first 16-bit groups (the rest zero) */
static inline RTM_NET_ADDRESS test_ipv6(unsigned g0, unsigned g1, unsigned g2, unsigned g3, unsigned len)
{
	RTM_NET_ADDRESS n;
	memset(&n, 0, sizeof(n));
	n.AddressFamily = AF_INET6;
	n.NumBits = (USHORT)len;
	unsigned g[4] = { g0, g1, g2, g3 };
	for (int i = 0; i < 4; i++) {
		n.AddrBits[2 * i] = (UCHAR)(g[i] >> 8);
		n.AddrBits[2 * i + 1] = (UCHAR)g[i];
	}
	return n;
}

static inline RTM_ENTITY_HANDLE test_register(USHORT instance, USHORT family, ULONG protocol, ULONG protocol_instance,
					      RTM_EVENT_CALLBACK cb)
{
	RTM_ENTITY_INFO info;
	RTM_REGN_PROFILE profile;
	RTM_ENTITY_HANDLE h = NULL;
	memset(&info, 0, sizeof(info));
	info.RtmInstanceId = instance;
	info.AddressFamily = family;
	info.EntityId.EntityProtocolId = protocol;
	info.EntityId.EntityInstanceId = protocol_instance;
	DWORD err = RtmRegisterEntity(&info, NULL, cb, FALSE, &profile, &h);
	ok(err == NO_ERROR, "RtmRegisterEntity: %lu\n", (unsigned long)err);
	return h;
}

/* a next hop of reg at addr on interface ifindex; returns its handle (referenced) */
static inline RTM_NEXTHOP_HANDLE test_nexthop(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS addr, ULONG ifindex)
{
	RTM_NEXTHOP_INFO nh;
	RTM_NEXTHOP_HANDLE h = NULL;
	memset(&nh, 0, sizeof(nh));
	nh.NextHopAddress = addr;
	nh.InterfaceIndex = ifindex;
	DWORD err = RtmAddNextHop(reg, &nh, &h, NULL);
	ok(err == NO_ERROR, "RtmAddNextHop: %lu\n", (unsigned long)err);
	return h;
}

/* add (or update) a route of reg to dest with one next hop; returns the route handle (referenced) */
static inline RTM_ROUTE_HANDLE test_route(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS dest, RTM_NEXTHOP_HANDLE nh,
					  ULONG pref, ULONG metric, DWORD views)
{
	union {
		RTM_ROUTE_INFO info;
		char room[RTM_SIZE_OF_ROUTE_INFO(RTM_MAX_NEXTHOPS_PER_TEST)];
	} u;
	RTM_ROUTE_HANDLE h = NULL;
	DWORD flags = 0;
	memset(&u, 0, sizeof(u));
	u.info.Neighbour = nh;
	u.info.PrefInfo.Preference = pref;
	u.info.PrefInfo.Metric = metric;
	u.info.BelongsToViews = views;
	u.info.NextHopsList.NumNextHops = nh ? 1 : 0;
	u.info.NextHopsList.NextHops[0] = nh;
	DWORD err = RtmAddRouteToDest(reg, &h, &dest, &u.info, INFINITE, NULL, 0, NULL, &flags);
	ok(err == NO_ERROR, "RtmAddRouteToDest: %lu\n", (unsigned long)err);
	return h;
}

/* ---- helpers of the foundation API tests (nexthop, handles, badinput, threads, ipv6, locks) ---- */

/* live objects of one kind (RTM_TEST_COUNT_*), ~0u when the hook does not answer */
static inline DWORD test_live_count(int kind)
{
	DWORD c[RTM_TEST_COUNT_KINDS] = { 0 };
	if (!test_object_counts(c))
		return ~0u;
	return c[kind];
}

/* an RTM_ROUTE_INFO with room for the profile's maximum of next hops (sized with our macro) */
typedef union {
	RTM_ROUTE_INFO info;
	char room[RTM_SIZE_OF_ROUTE_INFO(RTM_MAX_NEXTHOPS_PER_TEST)];
} test_route_info_buf;

/* an RTM_DEST_INFO with room for both supported views */
typedef union {
	RTM_DEST_INFO info;
	char room[RTM_SIZE_OF_DEST_INFO(2)];
} test_dest_info_buf;

/* route content: neighbour nh, which is also the only next hop when not NULL */
static inline void test_fill_route(RTM_ROUTE_INFO *ri, RTM_NEXTHOP_HANDLE nh, ULONG pref, ULONG metric,
				   DWORD views)
{
	memset(ri, 0, RTM_SIZE_OF_ROUTE_INFO(1));
	ri->Neighbour = nh;
	ri->PrefInfo.Preference = pref;
	ri->PrefInfo.Metric = metric;
	ri->BelongsToViews = views;
	ri->NextHopsList.NumNextHops = nh ? 1 : 0;
	ri->NextHopsList.NextHops[0] = nh;
}

/* releases a lone destination handle (an RTM_DEST_INFO with no views, functions-1 6.2) */
static inline DWORD test_release_dest_handle(RTM_ENTITY_HANDLE reg, RTM_DEST_HANDLE dest)
{
	test_dest_info_buf b;
	memset(&b, 0, sizeof(b));
	b.info.DestHandle = dest;
	b.info.NumberOfViews = 0;
	return RtmReleaseDestInfo(reg, &b.info);
}

/*
 * number of live routes of the exact destination a in view (0 unicast, 1 multicast), or -1 when
 * no destination with that prefix is visible in that view
 */
static inline int test_dest_routes(RTM_ENTITY_HANDLE reg, RTM_NET_ADDRESS a, int view)
{
	test_dest_info_buf b;
	DWORD err = RtmGetExactMatchDestination(reg, &a, RTM_BEST_PROTOCOL, 1u << view, &b.info);
	if (err != NO_ERROR)
		return -1;
	int n = (int)b.info.ViewInfo[0].NumRoutes;
	RtmReleaseDestInfo(reg, &b.info);
	return n;
}

static inline void test_deregister(RTM_ENTITY_HANDLE reg)
{
	DWORD err = RtmDeregisterEntity(reg);
	ok(err == NO_ERROR, "RtmDeregisterEntity: %lu\n", (unsigned long)err);
}

/* the next-hop array of a route info as a plain pointer (the declared array has one element) */
static inline RTM_NEXTHOP_HANDLE *test_hops(RTM_ROUTE_INFO *ri) { return ri->NextHopsList.NextHops; }

/* ---- threads and sleeping, for the concurrency tests (Win32 threads under Wine, pthreads natively) ---- */
#ifdef _WIN32
typedef HANDLE test_thread;
struct test_thread_start_ {
	void *(*fn)(void *);
	void *arg;
};
static DWORD WINAPI test_thread_trampoline_(LPVOID p)
{
	struct test_thread_start_ s = *(struct test_thread_start_ *)p;
	free(p);
	s.fn(s.arg);
	return 0;
}
static inline test_thread test_thread_start(void *(*fn)(void *), void *arg)
{
	struct test_thread_start_ *s = malloc(sizeof(*s));
	s->fn = fn;
	s->arg = arg;
	return CreateThread(NULL, 0, test_thread_trampoline_, s, 0, NULL);
}
static inline void test_thread_join(test_thread t)
{
	WaitForSingleObject(t, INFINITE);
	CloseHandle(t);
}
static inline void test_sleep_ms(unsigned ms) { Sleep(ms); }
#else
#include <pthread.h>
#include <time.h>
typedef pthread_t test_thread;
static inline test_thread test_thread_start(void *(*fn)(void *), void *arg)
{
	pthread_t t;
	pthread_create(&t, NULL, fn, arg);
	return t;
}
static inline void test_thread_join(test_thread t) { pthread_join(t, NULL); }
static inline void test_sleep_ms(unsigned ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}
#endif

/* the destination handle of a route (no reference kept) */
static inline RTM_DEST_HANDLE test_dest_of(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE r)
{
	union {
		RTM_ROUTE_INFO info;
		char room[RTM_SIZE_OF_ROUTE_INFO(RTM_MAX_NEXTHOPS_PER_TEST)];
	} b;
	DWORD err = RtmGetRouteInfo(reg, r, &b.info, NULL);
	ok(err == NO_ERROR, "RtmGetRouteInfo: %lu\n", (unsigned long)err);
	if (err)
		return NULL;
	RTM_DEST_HANDLE d = b.info.DestHandle;
	RtmReleaseRouteInfo(reg, &b.info);
	return d;
}

/* RtmIsBestRoute's answer (asserting the call succeeds) */
static inline RTM_VIEW_SET test_best_views(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE r)
{
	RTM_VIEW_SET v = 0xdeadbeef;
	DWORD err = RtmIsBestRoute(reg, r, &v);
	ok(err == NO_ERROR, "RtmIsBestRoute: %lu\n", (unsigned long)err);
	return v;
}

/* registration with every choice open; the error goes to *err, the handle (or NULL) is returned */
static inline RTM_ENTITY_HANDLE test_register_ex(USHORT instance, USHORT family, ULONG protocol,
						 ULONG protocol_instance, WINBOOL reserve_opaque, DWORD *err)
{
	RTM_ENTITY_INFO info;
	RTM_REGN_PROFILE profile;
	RTM_ENTITY_HANDLE h = NULL;
	memset(&info, 0, sizeof(info));
	info.RtmInstanceId = instance;
	info.AddressFamily = family;
	info.EntityId.EntityProtocolId = protocol;
	info.EntityId.EntityInstanceId = protocol_instance;
	*err = RtmRegisterEntity(&info, NULL, NULL, reserve_opaque, &profile, &h);
	return h;
}

#endif

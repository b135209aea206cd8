/*
 * test_layout.c - the ABI of include/rtmv2.h, checked by the compiler.
 *
 * A drop-in rtm.dll is only a drop-in if every structure has the SDK's
 * layout, byte for byte, on both architectures.  This file makes the
 * compiler prove it; nearly everything here is a _Static_assert, so a
 * mismatch stops the build instead of failing at run time.
 *
 * Windows builds (i686, x86_64) compile this file against mingw-w64's own
 * <rtmv2.h> (CMake leaves our include/ off its include path) and include
 * the generated rtmv2_abi_check.h, which holds our header with every RTM
 * name prefixed OURS_ and compares every SDK macro, enumerator, typedef and
 * prototype with ours (see cmake/gen_abi_check.cmake).  Here we add the
 * per-field offsets and sizes, SDK against ours, and the sizes the spec
 * lists per architecture, for both headers.
 *
 * The native build has only our header: it checks the spec's x64 figures
 * (LP64 Linux lays these structures out like Win64) and our macros.
 *
 * The run-time part exercises the IPv4 macros of our header, and on
 * Windows compares them with the SDK's on the same inputs.
 */
#include <stddef.h>
#include <string.h>

#include "test.h"

#ifdef RTM_LAYOUT_AGAINST_SDK
#include "rtmv2_abi_check.h"
#define OURS(name) OURS_##name
#else
#define OURS(name) name
#endif
#define SDK(name) name

#define FIELD_SIZE(T, f) sizeof(((T *)0)->f)
#define FIELD_TYPES_MATCH(A, B, f) \
	__builtin_types_compatible_p(__typeof__(((A *)0)->f), __typeof__(((B *)0)->f))

/* ---- 1. SDK against ours, field by field (Windows builds only) ---- */

#ifdef RTM_LAYOUT_AGAINST_SDK
/* Same offset and size; for a field of plain Win32 type, also the same type. */
#define SAME(T, f)                                                                  \
	_Static_assert(offsetof(T, f) == offsetof(OURS_##T, f), #T "." #f ": offset"); \
	_Static_assert(FIELD_SIZE(T, f) == FIELD_SIZE(OURS_##T, f), #T "." #f ": size")
#define SAME_SCALAR(T, f) \
	SAME(T, f);       \
	_Static_assert(FIELD_TYPES_MATCH(T, OURS_##T, f), #T "." #f ": type")

SAME_SCALAR(RTM_REGN_PROFILE, MaxNextHopsInRoute);
SAME_SCALAR(RTM_REGN_PROFILE, MaxHandlesInEnum);
SAME_SCALAR(RTM_REGN_PROFILE, ViewsSupported);
SAME_SCALAR(RTM_REGN_PROFILE, NumberOfViews);

SAME_SCALAR(RTM_NET_ADDRESS, AddressFamily);
SAME_SCALAR(RTM_NET_ADDRESS, NumBits);
SAME_SCALAR(RTM_NET_ADDRESS, AddrBits);

SAME_SCALAR(RTM_PREF_INFO, Metric);
SAME_SCALAR(RTM_PREF_INFO, Preference);

SAME_SCALAR(RTM_NEXTHOP_LIST, NumNextHops);
SAME_SCALAR(RTM_NEXTHOP_LIST, NextHops);

SAME_SCALAR(RTM_DEST_INFO, DestHandle);
SAME(RTM_DEST_INFO, DestAddress);
SAME_SCALAR(RTM_DEST_INFO, DestAddress.AddrBits);
SAME_SCALAR(RTM_DEST_INFO, LastChanged);
SAME_SCALAR(RTM_DEST_INFO, BelongsToViews);
SAME_SCALAR(RTM_DEST_INFO, NumberOfViews);
SAME(RTM_DEST_INFO, ViewInfo);
SAME_SCALAR(RTM_DEST_INFO, ViewInfo[0].ViewId);
SAME_SCALAR(RTM_DEST_INFO, ViewInfo[0].NumRoutes);
SAME_SCALAR(RTM_DEST_INFO, ViewInfo[0].Route);
SAME_SCALAR(RTM_DEST_INFO, ViewInfo[0].Owner);
SAME_SCALAR(RTM_DEST_INFO, ViewInfo[0].DestFlags);
SAME_SCALAR(RTM_DEST_INFO, ViewInfo[0].HoldRoute);
SAME(RTM_DEST_INFO, ViewInfo[1]);

SAME_SCALAR(RTM_ROUTE_INFO, DestHandle);
SAME_SCALAR(RTM_ROUTE_INFO, RouteOwner);
SAME_SCALAR(RTM_ROUTE_INFO, Neighbour);
SAME_SCALAR(RTM_ROUTE_INFO, State);
SAME_SCALAR(RTM_ROUTE_INFO, Flags1);
SAME_SCALAR(RTM_ROUTE_INFO, Flags);
SAME(RTM_ROUTE_INFO, PrefInfo);
SAME_SCALAR(RTM_ROUTE_INFO, PrefInfo.Preference);
SAME_SCALAR(RTM_ROUTE_INFO, BelongsToViews);
SAME_SCALAR(RTM_ROUTE_INFO, EntitySpecificInfo);
SAME(RTM_ROUTE_INFO, NextHopsList);
SAME_SCALAR(RTM_ROUTE_INFO, NextHopsList.NumNextHops);
SAME_SCALAR(RTM_ROUTE_INFO, NextHopsList.NextHops);

SAME(RTM_NEXTHOP_INFO, NextHopAddress);
SAME_SCALAR(RTM_NEXTHOP_INFO, NextHopOwner);
SAME_SCALAR(RTM_NEXTHOP_INFO, InterfaceIndex);
SAME_SCALAR(RTM_NEXTHOP_INFO, State);
SAME_SCALAR(RTM_NEXTHOP_INFO, Flags);
SAME_SCALAR(RTM_NEXTHOP_INFO, EntitySpecificInfo);
SAME_SCALAR(RTM_NEXTHOP_INFO, RemoteNextHop);

SAME_SCALAR(RTM_ENTITY_ID, EntityProtocolId);
SAME_SCALAR(RTM_ENTITY_ID, EntityInstanceId);
SAME_SCALAR(RTM_ENTITY_ID, EntityId);

SAME_SCALAR(RTM_ENTITY_INFO, RtmInstanceId);
SAME_SCALAR(RTM_ENTITY_INFO, AddressFamily);
SAME(RTM_ENTITY_INFO, EntityId);
SAME_SCALAR(RTM_ENTITY_INFO, EntityId.EntityInstanceId);
SAME_SCALAR(RTM_ENTITY_INFO, EntityId.EntityId);

SAME_SCALAR(RTM_ENTITY_METHOD_INPUT, MethodType);
SAME_SCALAR(RTM_ENTITY_METHOD_INPUT, InputSize);
SAME_SCALAR(RTM_ENTITY_METHOD_INPUT, InputData);

SAME_SCALAR(RTM_ENTITY_METHOD_OUTPUT, MethodType);
SAME_SCALAR(RTM_ENTITY_METHOD_OUTPUT, MethodStatus);
SAME_SCALAR(RTM_ENTITY_METHOD_OUTPUT, OutputSize);
SAME_SCALAR(RTM_ENTITY_METHOD_OUTPUT, OutputData);

SAME_SCALAR(RTM_ENTITY_EXPORT_METHODS, NumMethods);
SAME(RTM_ENTITY_EXPORT_METHODS, Methods);

/*
 * The generator really found the SDK's declarations: the API's fixed counts
 * exactly, and at least what mingw-w64 10's header has of the rest (84
 * constants, 36 typedef names).
 */
_Static_assert(RTM_ABI_CHECKED_FUNCTIONS == 57, "SDK prototypes compared");
_Static_assert(RTM_ABI_CHECKED_STRUCTS == 13, "SDK structure typedefs compared");
_Static_assert(RTM_ABI_CHECKED_ENUMERATORS == 4, "SDK enumerators compared");
_Static_assert(RTM_ABI_CHECKED_FUNCTION_MACROS == 10, "SDK function-like macros compared");
_Static_assert(RTM_ABI_CHECKED_MACROS >= 84, "SDK constants compared");
_Static_assert(RTM_ABI_CHECKED_TYPEDEFS >= 36, "SDK typedefs compared");

/* The SDK's RTM_SIZE_OF_ROUTE_INFO is one handle short; ours is not. */
_Static_assert(OURS_RTM_SIZE_OF_ROUTE_INFO(1) == RTM_SIZE_OF_ROUTE_INFO(1) + sizeof(HANDLE),
	       "RTM_SIZE_OF_ROUTE_INFO fix");
#endif /* RTM_LAYOUT_AGAINST_SDK */

/* ---- 2. the spec's figures (rtmv2-concepts.md "Structure sizes", functions-2 §6-§7) ---- */

#if defined(_WIN64) || (!defined(_WIN32) && UINTPTR_MAX > 0xFFFFFFFFu)
#define ON_X64 1
#else
#define ON_X64 0
#endif

#if defined(_WIN32) || ON_X64
#define SPEC(expr, x86, x64) _Static_assert((expr) == (ON_X64 ? (x64) : (x86)), #expr)

/*
 * N names the header under test: SDK() or OURS().  Expressions that differ
 * between the two headers on purpose (RTM_SIZE_OF_ROUTE_INFO) are below.
 */
#define SPEC_TABLE(N)                                                                           \
	SPEC(sizeof(N(RTM_NET_ADDRESS)), 20, 20);                                               \
	SPEC(_Alignof(N(RTM_NET_ADDRESS)), 2, 2);                                               \
	SPEC(offsetof(N(RTM_NET_ADDRESS), AddrBits), 4, 4);                                     \
	SPEC(N(RTM_BASIC_DEST_INFO_SIZE), 40, 48);                                              \
	SPEC(N(RTM_DEST_VIEW_INFO_SIZE), 24, 40);                                               \
	SPEC(N(RTM_SIZE_OF_DEST_INFO)(0), 40, 48);                                              \
	SPEC(N(RTM_SIZE_OF_DEST_INFO)(1), 64, 88);                                              \
	SPEC(N(RTM_SIZE_OF_DEST_INFO)(2), 88, 128);                                             \
	SPEC(sizeof(N(RTM_DEST_INFO)), 64, 88);                                                 \
	SPEC(_Alignof(N(RTM_DEST_INFO)), 4, 8);                                                 \
	SPEC(offsetof(N(RTM_DEST_INFO), DestAddress), 4, 8);                                    \
	SPEC(offsetof(N(RTM_DEST_INFO), LastChanged), 24, 28);                                  \
	SPEC(offsetof(N(RTM_DEST_INFO), BelongsToViews), 32, 36);                               \
	SPEC(offsetof(N(RTM_DEST_INFO), NumberOfViews), 36, 40);                                \
	SPEC(offsetof(N(RTM_DEST_INFO), ViewInfo), 40, 48);                                     \
	SPEC(offsetof(N(RTM_DEST_INFO), ViewInfo[0].NumRoutes) - N(RTM_BASIC_DEST_INFO_SIZE), 4, 4); \
	SPEC(offsetof(N(RTM_DEST_INFO), ViewInfo[0].Route) - N(RTM_BASIC_DEST_INFO_SIZE), 8, 8);  \
	SPEC(offsetof(N(RTM_DEST_INFO), ViewInfo[0].Owner) - N(RTM_BASIC_DEST_INFO_SIZE), 12, 16); \
	SPEC(offsetof(N(RTM_DEST_INFO), ViewInfo[0].DestFlags) - N(RTM_BASIC_DEST_INFO_SIZE), 16, 24); \
	SPEC(offsetof(N(RTM_DEST_INFO), ViewInfo[0].HoldRoute) - N(RTM_BASIC_DEST_INFO_SIZE), 20, 32); \
	SPEC(N(RTM_BASIC_ROUTE_INFO_SIZE), 32, 48);                                             \
	SPEC(offsetof(N(RTM_ROUTE_INFO), NextHopsList.NextHops), 36, 56);                       \
	SPEC(sizeof(N(RTM_ROUTE_INFO)), 40, 64);                                                \
	SPEC(_Alignof(N(RTM_ROUTE_INFO)), 4, 8);                                                \
	SPEC(offsetof(N(RTM_ROUTE_INFO), RouteOwner), 4, 8);                                    \
	SPEC(offsetof(N(RTM_ROUTE_INFO), Neighbour), 8, 16);                                    \
	SPEC(offsetof(N(RTM_ROUTE_INFO), State), 12, 24);                                       \
	SPEC(offsetof(N(RTM_ROUTE_INFO), Flags1), 13, 25);                                      \
	SPEC(offsetof(N(RTM_ROUTE_INFO), Flags), 14, 26);                                       \
	SPEC(offsetof(N(RTM_ROUTE_INFO), PrefInfo), 16, 28);                                    \
	SPEC(offsetof(N(RTM_ROUTE_INFO), BelongsToViews), 24, 36);                              \
	SPEC(offsetof(N(RTM_ROUTE_INFO), EntitySpecificInfo), 28, 40);                          \
	SPEC(offsetof(N(RTM_ROUTE_INFO), NextHopsList), 32, 48);                                \
	SPEC(sizeof(N(RTM_NEXTHOP_LIST)), 8, 16);                                               \
	SPEC(offsetof(N(RTM_NEXTHOP_LIST), NextHops), 4, 8);                                    \
	SPEC(sizeof(N(RTM_NEXTHOP_INFO)), 40, 56);                                              \
	SPEC(_Alignof(N(RTM_NEXTHOP_INFO)), 4, 8);                                              \
	SPEC(offsetof(N(RTM_NEXTHOP_INFO), NextHopOwner), 20, 24);                              \
	SPEC(offsetof(N(RTM_NEXTHOP_INFO), InterfaceIndex), 24, 32);                            \
	SPEC(offsetof(N(RTM_NEXTHOP_INFO), State), 28, 36);                                     \
	SPEC(offsetof(N(RTM_NEXTHOP_INFO), Flags), 30, 38);                                     \
	SPEC(offsetof(N(RTM_NEXTHOP_INFO), EntitySpecificInfo), 32, 40);                        \
	SPEC(offsetof(N(RTM_NEXTHOP_INFO), RemoteNextHop), 36, 48);                             \
	SPEC(sizeof(N(RTM_PREF_INFO)), 8, 8);                                                   \
	SPEC(offsetof(N(RTM_PREF_INFO), Preference), 4, 4);                                     \
	SPEC(sizeof(N(RTM_REGN_PROFILE)), 16, 16);                                              \
	SPEC(sizeof(N(RTM_ENTITY_ID)), 8, 8);                                                   \
	SPEC(_Alignof(N(RTM_ENTITY_ID)), 8, 8);                                                 \
	SPEC(offsetof(N(RTM_ENTITY_ID), EntityInstanceId), 4, 4);                               \
	SPEC(sizeof(N(RTM_ENTITY_INFO)), 16, 16);                                               \
	SPEC(_Alignof(N(RTM_ENTITY_INFO)), 8, 8);                                               \
	SPEC(offsetof(N(RTM_ENTITY_INFO), EntityId), 8, 8);                                     \
	SPEC(sizeof(N(RTM_EVENT_TYPE)), 4, 4);                                                  \
	SPEC(offsetof(N(RTM_ENTITY_METHOD_INPUT), InputData), 8, 8);                            \
	SPEC(sizeof(N(RTM_ENTITY_METHOD_INPUT)), 12, 12);                                       \
	SPEC(offsetof(N(RTM_ENTITY_METHOD_OUTPUT), OutputData), 12, 12);                        \
	SPEC(sizeof(N(RTM_ENTITY_METHOD_OUTPUT)), 16, 16);                                      \
	SPEC(sizeof(N(RTM_ENTITY_EXPORT_METHODS)), 8, 16);                                      \
	SPEC(offsetof(N(RTM_ENTITY_EXPORT_METHODS), Methods), 4, 8);                            \
	SPEC(sizeof(N(RTM_ENTITY_HANDLE)), 4, 8)

SPEC_TABLE(OURS);
#ifdef RTM_LAYOUT_AGAINST_SDK
SPEC_TABLE(SDK);
SPEC(RTM_SIZE_OF_ROUTE_INFO(1), 36, 56); /* the SDK's: 32 + 4n / 48 + 8n */
#endif
#endif /* _WIN32 || ON_X64 */

/* ---- 3. what our header fixes or adds (all builds) ---- */

/* RTM_SIZE_OF_ROUTE_INFO(n) holds n next-hop handles, exactly. */
#define HOLDS_N_HOPS(n)                                                                          \
	_Static_assert(OURS(RTM_SIZE_OF_ROUTE_INFO)(n) ==                                        \
			       offsetof(OURS(RTM_ROUTE_INFO), NextHopsList.NextHops) +          \
				       (n) * sizeof(OURS(RTM_NEXTHOP_HANDLE)),                  \
		       "RTM_SIZE_OF_ROUTE_INFO(" #n ")")
HOLDS_N_HOPS(0);
HOLDS_N_HOPS(1);
HOLDS_N_HOPS(8);
_Static_assert(OURS(RTM_SIZE_OF_ROUTE_INFO)(1) == sizeof(OURS(RTM_ROUTE_INFO)),
	       "a declared RTM_ROUTE_INFO holds one next hop");
_Static_assert(OURS(RTM_BASIC_ROUTE_INFO_SIZE) ==
		       offsetof(OURS(RTM_ROUTE_INFO), NextHopsList.NumNextHops),
	       "RTM_BASIC_ROUTE_INFO_SIZE keeps the SDK's value");
_Static_assert(OURS(RTM_SIZE_OF_DEST_INFO)(1) == sizeof(OURS(RTM_DEST_INFO)), "one view");

/* The group flags that do not compile with the SDK header. */
_Static_assert(OURS(RTM_ROUTE_FLAGS_ONES_SUBNET_BC) == 0x8000, "ONES_SUBNET_BC");
_Static_assert(OURS(RTM_ROUTE_FLAGS_ONES_SUBNET_BC) == OURS(RTM_ROUTE_FLAGS_ONES_SUBNETBC), "");
_Static_assert(OURS(RTM_ROUTE_FLAGS_SUBNET_BCAST) == 0xA000, "SUBNET_BCAST");
_Static_assert(OURS(RTM_ROUTE_FLAGS_ANY_BCAST) == 0xF400, "ANY_BCAST");
_Static_assert(OURS(RTM_ROUTE_FLAGS_NET_BCAST) == 0x5000, "NET_BCAST");
_Static_assert(OURS(RTM_ROUTE_FLAGS_FORWARDING) == 0x000F, "FORWARDING");
_Static_assert(OURS(RTM_ROUTE_FLAGS_ANY_UNICAST) == 0x0070, "ANY_UNICAST");
_Static_assert(OURS(RTM_ROUTE_FLAGS_ANY_MCAST) == 0x0300, "ANY_MCAST");

/* The two IPv6 helpers, with the spec's prototypes (IN6_ADDR by value). */
typedef DWORD(WINAPI *net_to_ipv6_fn)(OURS(PRTM_NET_ADDRESS), IN6_ADDR *, DWORD *, DWORD);
typedef DWORD(WINAPI *ipv6_to_net_fn)(OURS(PRTM_NET_ADDRESS), IN6_ADDR, DWORD, DWORD);
_Static_assert(__builtin_types_compatible_p(
		       __typeof__(&OURS(RtmConvertNetAddressToIpv6AddressAndLength)), net_to_ipv6_fn),
	       "RtmConvertNetAddressToIpv6AddressAndLength prototype");
_Static_assert(__builtin_types_compatible_p(
		       __typeof__(&OURS(RtmConvertIpv6AddressAndLengthToNetAddress)), ipv6_to_net_fn),
	       "RtmConvertIpv6AddressAndLengthToNetAddress prototype");
_Static_assert(sizeof(IN6_ADDR) == 16, "IN6_ADDR");

/* ---- 4. run time: the IPv4 macros of our header ---- */

/* The host-order bits of a network-order ULONG. */
static ULONG host(ULONG net)
{
	return ntohl(net);
}

static ULONG net_mask(unsigned len)
{
	return len ? htonl(0xFFFFFFFFu << (32 - len)) : 0;
}

static void test_set_get_len(void)
{
	OURS(RTM_NET_ADDRESS) a;
	ULONG addr = htonl(0x0A0A0A00); /* 10.10.10.0 */
	ULONG got_addr = 0;
	USHORT got_len = 0;
	int flag = 1;

	memset(&a, 0xEE, sizeof(a));
	/* As the unbraced body of if/else: only a single statement compiles here. */
	if (flag)
		OURS(RTM_IPV4_SET_ADDR_AND_LEN)(&a, addr, 24);
	else
		ok(0, "else branch taken\n");
	expect_eq(a.AddressFamily, AF_INET);
	expect_eq(a.NumBits, 24);
	ok(a.AddrBits[0] == 10 && a.AddrBits[1] == 10 && a.AddrBits[2] == 10 && a.AddrBits[3] == 0,
	   "AddrBits %u.%u.%u.%u\n", a.AddrBits[0], a.AddrBits[1], a.AddrBits[2], a.AddrBits[3]);
	expect_eq(a.AddrBits[4], 0xEE); /* bytes 4..15 are left alone */

	if (!flag)
		ok(0, "if branch taken\n");
	else
		OURS(RTM_IPV4_GET_ADDR_AND_LEN)(got_addr, got_len, &a);
	expect_eq(host(got_addr), 0x0A0A0A00);
	expect_eq(got_len, 24);

	memset(&a, 0, sizeof(a));
	OURS(RTM_IPV4_MAKE_NET_ADDRESS)(&a, htonl(0xC0A80000), 16);
	expect_eq(a.NumBits, 16);
	expect_eq(a.AddrBits[0], 192);
	expect_eq(a.AddrBits[1], 168);
}

static void test_len_from_mask(void)
{
	static const struct {
		ULONG host_mask;
		unsigned len;
	} cases[] = {
		{0x00000000, 0},  {0x80000000, 1},  {0xFF000000, 8},  {0xFFFF0000, 16},
		{0xFFFFF000, 20}, {0xFFFFFF00, 24}, {0xFFFFFFFE, 31}, {0xFFFFFFFF, 32},
		/* not contiguous: 32 minus the trailing zeros (spec functions-2 §6.7) */
		{0xFF00FF00, 24}, {0x80000001, 32},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned len = 99;
		OURS(RTM_IPV4_LEN_FROM_MASK)(len, htonl(cases[i].host_mask));
		ok(len == cases[i].len, "mask %08lx: len %u, expected %u\n",
		   (unsigned long)cases[i].host_mask, len, cases[i].len);
	}
	for (unsigned len = 0; len <= 32; len++) {
		unsigned got = 99;
		OURS(RTM_IPV4_LEN_FROM_MASK)(got, net_mask(len));
		ok(got == len, "len %u: got %u\n", len, got);
	}
}

static void test_mask_from_len(void)
{
	for (unsigned len = 0; len <= 32; len++) {
		/* An expression now: it can sit inside a larger one. */
		ULONG m = OURS(RTM_IPV4_MASK_FROM_LEN)(len) | 0;
		ok(m == net_mask(len), "len %u: mask %08lx\n", len, (unsigned long)host(m));
	}
}

static void test_addr_and_mask(void)
{
	OURS(RTM_NET_ADDRESS) a;
	ULONG addr = 0, mask = 0;

	memset(&a, 0, sizeof(a));
	OURS(RTM_IPV4_SET_ADDR_AND_MASK)(&a, htonl(0xAC100000), htonl(0xFFF00000));
	expect_eq(a.AddressFamily, AF_INET);
	expect_eq(a.NumBits, 12);
	expect_eq(a.AddrBits[0], 172);
	expect_eq(a.AddrBits[1], 16);

	OURS(RTM_IPV4_GET_ADDR_AND_MASK)(addr, mask, &a);
	expect_eq(host(addr), 0xAC100000);
	expect_eq(host(mask), 0xFFF00000);
}

#ifdef RTM_LAYOUT_AGAINST_SDK
/* Same inputs, same outputs as the SDK's macros (used the way the SDK allows). */
static void test_same_as_sdk(void)
{
	static const ULONG samples[] = {0x00000000, 0xFFFFFFFF, 0xFFFFFF00, 0xFF00FF00,
					0x80000001, 0x12345678, 0xFFFE0000, 0x00000100};
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		unsigned ours_len = 0, sdk_len = 0;
		ULONG mask = htonl(samples[i]);
		OURS_RTM_IPV4_LEN_FROM_MASK(ours_len, mask);
		RTM_IPV4_LEN_FROM_MASK(sdk_len, mask)
		ok(ours_len == sdk_len, "mask %08lx: ours %u, SDK %u\n", (unsigned long)samples[i],
		   ours_len, sdk_len);
	}
	for (unsigned len = 0; len <= 32; len++) {
		ULONG sdk_mask;
		sdk_mask = RTM_IPV4_MASK_FROM_LEN(len)
		ok(OURS_RTM_IPV4_MASK_FROM_LEN(len) == sdk_mask, "len %u\n", len);
	}

	OURS_RTM_NET_ADDRESS ours;
	RTM_NET_ADDRESS sdk;
	memset(&ours, 0x5A, sizeof(ours));
	memset(&sdk, 0x5A, sizeof(sdk));
	OURS_RTM_IPV4_SET_ADDR_AND_MASK(&ours, htonl(0x0A000000), htonl(0xFF000000));
	RTM_IPV4_SET_ADDR_AND_MASK(&sdk, htonl(0x0A000000), htonl(0xFF000000))
	ok(sizeof(ours) == sizeof(sdk) && memcmp(&ours, &sdk, sizeof(sdk)) == 0,
	   "SET_ADDR_AND_MASK: bytes differ\n");
}
#endif

int main(void)
{
	test_set_get_len();
	test_len_from_mask();
	test_mask_from_len();
	test_addr_and_mask();
#ifdef RTM_LAYOUT_AGAINST_SDK
	test_same_as_sdk();
	printf("compared with the SDK header: %d constants, %d typedef names, %d structures, "
	       "%d prototypes\n",
	       RTM_ABI_CHECKED_MACROS, RTM_ABI_CHECKED_TYPEDEFS, RTM_ABI_CHECKED_STRUCTS,
	       RTM_ABI_CHECKED_FUNCTIONS);
#endif
	return test_finish();
}

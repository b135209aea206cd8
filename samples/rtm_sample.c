/*
 * rtm_sample.c - the smallest tour of the RTMv2 API (issue 2's sample):
 * two entities register, add next hops and routes for IPv4 and IPv6, look
 * addresses up, print the table, and clean up.
 *
 * "rip" (PROTO_IP_RIP) and "ospf" (PROTO_IP_OSPF) each register twice, once
 * per address family (one RTM table per family).  Both offer 10.1.0.0/16;
 * ospf's lower preference makes its route the best one.  Lookups go
 * through RtmGetMostSpecificDestination; the listing is a destination
 * enumeration (RtmCreateDestEnum / RtmGetEnumDests) with the best unicast
 * route of each.  The sample router (rtmhost, docs/SAMPLE_ROUTER.md) is
 * the larger example.
 */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <rtmv2.h>
#include <routprot.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef union route_buf {
	RTM_ROUTE_INFO info;
	BYTE bytes[RTM_SIZE_OF_ROUTE_INFO(1)];
} route_buf;

typedef struct client {
	const char *name;
	ULONG protocol;
	ULONG preference;
	RTM_ENTITY_HANDLE h4, h6;
	RTM_REGN_PROFILE profile;
} client;

static BOOL check(DWORD status, const char *what)
{
	if (status != NO_ERROR)
		printf("  %s failed: %lu\n", what, status);
	return status == NO_ERROR;
}

static RTM_ENTITY_HANDLE register_client(client *c, USHORT family)
{
	RTM_ENTITY_INFO info = { 0, family, { { { c->protocol, 0 } } } };
	RTM_ENTITY_HANDLE h = NULL;
	check(RtmRegisterEntity(&info, NULL, NULL, FALSE, &c->profile, &h), "RtmRegisterEntity");
	return h;
}

static void net4(RTM_NET_ADDRESS *a, const char *addr, unsigned len)
{
	memset(a, 0, sizeof(*a));
	RTM_IPV4_SET_ADDR_AND_LEN(a, inet_addr(addr), len);
}

static void net6(RTM_NET_ADDRESS *a, const char *text, unsigned len)
{
	struct in6_addr in6;
	memset(&in6, 0, sizeof(in6));
	/* "2001:db8:N::": three groups, enough for the sample */
	unsigned g[3] = { 0 };
	sscanf(text, "%x:%x:%x", &g[0], &g[1], &g[2]);
	for (int i = 0; i < 3; i++) {
		in6.s6_addr[2 * i] = (BYTE)(g[i] >> 8);
		in6.s6_addr[2 * i + 1] = (BYTE)g[i];
	}
	RtmConvertIpv6AddressAndLengthToNetAddress(a, in6, len, sizeof(in6));
}

static void print_net(const RTM_NET_ADDRESS *a)
{
	if (a->AddressFamily == AF_INET6) {
		const BYTE *b = a->AddrBits;
		printf("%x:%x:%x::/%u", b[0] << 8 | b[1], b[2] << 8 | b[3], b[4] << 8 | b[5], a->NumBits);
	} else {
		printf("%u.%u.%u.%u/%u", a->AddrBits[0], a->AddrBits[1], a->AddrBits[2], a->AddrBits[3], a->NumBits);
	}
}

/* one next hop (address/full length, interface) and one route through it */
static void add_route(client *c, RTM_ENTITY_HANDLE h, const RTM_NET_ADDRESS *dest, const RTM_NET_ADDRESS *gateway,
		      ULONG ifindex, ULONG metric)
{
	RTM_NEXTHOP_INFO nh;
	RTM_NEXTHOP_HANDLE nh_handle = NULL;
	memset(&nh, 0, sizeof(nh));
	nh.NextHopAddress = *gateway;
	nh.InterfaceIndex = ifindex;
	if (!check(RtmAddNextHop(h, &nh, &nh_handle, NULL), "RtmAddNextHop"))
		return;
	route_buf r;
	memset(&r, 0, sizeof(r));
	r.info.Neighbour = nh_handle;
	r.info.PrefInfo.Metric = metric;
	r.info.PrefInfo.Preference = c->preference;
	r.info.BelongsToViews = RTM_VIEW_MASK_UCAST;
	r.info.NextHopsList.NumNextHops = 1;
	r.info.NextHopsList.NextHops[0] = nh_handle;
	RTM_NET_ADDRESS d = *dest;
	RTM_ROUTE_CHANGE_FLAGS flags = 0;
	if (check(RtmAddRouteToDest(h, NULL, &d, &r.info, INFINITE, NULL, 0, NULL, &flags), "RtmAddRouteToDest")) {
		printf("  %-5s adds ", c->name);
		print_net(dest);
		printf(" metric %lu pref %lu%s\n", metric, c->preference, flags & RTM_ROUTE_CHANGE_BEST ? " (best)" : "");
	}
	RtmReleaseNextHops(h, 1, &nh_handle);
}

static const char *owner_name(RTM_ENTITY_HANDLE h, RTM_ENTITY_HANDLE owner)
{
	RTM_ENTITY_INFO info;
	if (RtmGetEntityInfo(h, owner, &info) != NO_ERROR)
		return "?";
	return info.EntityId.EntityProtocolId == PROTO_IP_OSPF ? "ospf" : "rip";
}

static void describe_best(RTM_ENTITY_HANDLE h, RTM_ROUTE_HANDLE route)
{
	route_buf r;
	if (!route || RtmGetRouteInfo(h, route, &r.info, NULL) != NO_ERROR) {
		printf("no route");
		return;
	}
	RTM_NEXTHOP_INFO nh;
	printf("%s metric %lu pref %lu", owner_name(h, r.info.RouteOwner), r.info.PrefInfo.Metric,
	       r.info.PrefInfo.Preference);
	if (r.info.NextHopsList.NumNextHops && RtmGetNextHopInfo(h, r.info.NextHopsList.NextHops[0], &nh) == NO_ERROR) {
		printf(" via ");
		print_net(&nh.NextHopAddress);
		printf(" if %lu", nh.InterfaceIndex);
		RtmReleaseNextHopInfo(h, &nh);
	}
	RtmReleaseRouteInfo(h, &r.info);
}

static void lookup(RTM_ENTITY_HANDLE h, const RTM_NET_ADDRESS *addr)
{
	union {
		RTM_DEST_INFO info;
		BYTE bytes[RTM_SIZE_OF_DEST_INFO(1)];
	} d;
	printf("  lookup ");
	print_net(addr);
	RTM_NET_ADDRESS a = *addr;
	if (RtmGetMostSpecificDestination(h, &a, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &d.info) != NO_ERROR) {
		printf(" -> no route\n");
		return;
	}
	printf(" -> ");
	print_net(&d.info.DestAddress);
	printf(", ");
	describe_best(h, d.info.ViewInfo[0].Route);
	printf("\n");
	RtmReleaseDestInfo(h, &d.info);
}

static void print_table(RTM_ENTITY_HANDLE h, const RTM_REGN_PROFILE *profile, const char *title)
{
	printf("%s table:\n", title);
	RTM_ENUM_HANDLE e;
	if (!check(RtmCreateDestEnum(h, RTM_VIEW_MASK_UCAST, RTM_ENUM_START, NULL, RTM_BEST_PROTOCOL, &e),
		   "RtmCreateDestEnum"))
		return;
	UINT stride = RTM_SIZE_OF_DEST_INFO(profile->NumberOfViews);
	BYTE *buf = malloc((size_t)stride * profile->MaxHandlesInEnum);
	DWORD st = buf ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY;
	while (st == NO_ERROR) {
		UINT n = profile->MaxHandlesInEnum;
		st = RtmGetEnumDests(h, e, &n, (PRTM_DEST_INFO)buf);
		for (UINT k = 0; k < n; k++) {
			PRTM_DEST_INFO d = (PRTM_DEST_INFO)(buf + (size_t)k * stride);
			printf("  ");
			print_net(&d->DestAddress);
			printf("  %u route(s), best: ", d->ViewInfo[0].NumRoutes);
			describe_best(h, d->ViewInfo[0].Route);
			printf("\n");
		}
		RtmReleaseDests(h, n, (PRTM_DEST_INFO)buf);
		if (!n)
			break;
	}
	free(buf);
	RtmDeleteEnumHandle(h, e);
}

int main(void)
{
	client rip = { "rip", PROTO_IP_RIP, 120, NULL, NULL, { 0, 0, 0, 0 } };
	client ospf = { "ospf", PROTO_IP_OSPF, 110, NULL, NULL, { 0, 0, 0, 0 } };
	client *clients[2] = { &rip, &ospf };
	for (int i = 0; i < 2; i++) {
		clients[i]->h4 = register_client(clients[i], AF_INET);
		clients[i]->h6 = register_client(clients[i], AF_INET6);
		if (!clients[i]->h4 || !clients[i]->h6)
			return 1;
		printf("%s registered (IPv4 and IPv6)\n", clients[i]->name);
	}

	RTM_NET_ADDRESS dest, gw;
	printf("IPv4 routes:\n");
	net4(&dest, "10.1.0.0", 16), net4(&gw, "192.0.2.1", 32);
	add_route(&rip, rip.h4, &dest, &gw, 1, 2);
	net4(&gw, "192.0.2.2", 32);
	add_route(&ospf, ospf.h4, &dest, &gw, 2, 20);
	net4(&dest, "10.1.5.0", 24), net4(&gw, "192.0.2.1", 32);
	add_route(&rip, rip.h4, &dest, &gw, 1, 3);
	net4(&dest, "0.0.0.0", 0), net4(&gw, "192.0.2.254", 32);
	add_route(&ospf, ospf.h4, &dest, &gw, 2, 1);
	printf("IPv6 routes:\n");
	net6(&dest, "2001:db8:1", 48), net6(&gw, "fe80:0:0", 128);
	add_route(&rip, rip.h6, &dest, &gw, 1, 1);
	net6(&dest, "2001:db8:0", 32), net6(&gw, "fe80:0:1", 128);
	add_route(&ospf, ospf.h6, &dest, &gw, 2, 10);

	printf("Lookups:\n");
	RTM_NET_ADDRESS a;
	net4(&a, "10.1.5.7", 32), lookup(rip.h4, &a);
	net4(&a, "10.1.9.9", 32), lookup(rip.h4, &a);
	net4(&a, "198.51.100.1", 32), lookup(rip.h4, &a);
	net6(&a, "2001:db8:1", 128), lookup(rip.h6, &a);
	net6(&a, "2001:db8:7", 128), lookup(rip.h6, &a);

	print_table(rip.h4, &rip.profile, "IPv4");
	print_table(rip.h6, &rip.profile, "IPv6");

	/* deregistration removes each entity's routes and next hops */
	for (int i = 0; i < 2; i++) {
		check(RtmDeregisterEntity(clients[i]->h4), "RtmDeregisterEntity");
		check(RtmDeregisterEntity(clients[i]->h6), "RtmDeregisterEntity");
	}
	printf("done\n");
	return 0;
}

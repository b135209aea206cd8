/*
 * vendor_proto.c - a routing-protocol DLL written the way a third party
 * writes one, as a stand-in for "unmodified DLLs built for Windows": only
 * the SDK headers of the toolchain (mingw-w64's rtmv2.h, not ours), linked
 * with the toolchain's import library where it has the RTMv2 symbols
 * (x86_64; on i686 ours), RegisterProtocol exported the compiler's way (on
 * i686 that is the stdcall name "RegisterProtocol@8"), nothing of the
 * project's sample kit.
 *
 * Global block: a DWORD count, then count {Dest, PrefixLen, NextHop,
 * Metric} (addresses in network order); the routes go into RTM through
 * interface 1 at StartComplete, with this DLL's protocol ID, preference 50.
 * MibGet answers the DWORD count.  The stop is synchronous.
 */
#include <winsock2.h>
#include <windows.h>
#include <rtmv2.h>
#include <routprot.h>

#include <string.h>

typedef struct vendor_route {
	DWORD Dest, PrefixLen, NextHop, Metric;
} vendor_route;

static DWORD protocol_id, count;
static vendor_route routes[16];
static RTM_ENTITY_HANDLE rtm;
static RTM_NEXTHOP_HANDLE nexthops[16];

static DWORD WINAPI v_start(HANDLE event, PSUPPORT_FUNCTIONS support, LPVOID info, ULONG version, ULONG size,
			    ULONG n)
{
	(void)event, (void)support, (void)version;
	const DWORD *words = info;
	if (!info || size * n < sizeof(DWORD) || words[0] > 16 || size * n < sizeof(DWORD) + words[0] * sizeof(vendor_route))
		return ERROR_INVALID_PARAMETER;
	count = words[0];
	memcpy(routes, words + 1, count * sizeof(vendor_route));
	RTM_ENTITY_INFO ei;
	RTM_REGN_PROFILE profile;
	memset(&ei, 0, sizeof(ei));
	ei.AddressFamily = AF_INET;
	ei.EntityId.EntityProtocolId = protocol_id;
	return RtmRegisterEntity(&ei, NULL, NULL, FALSE, &profile, &rtm);
}

static DWORD WINAPI v_start_complete(void)
{
	for (DWORD k = 0; k < count; k++) {
		RTM_NEXTHOP_INFO nh;
		memset(&nh, 0, sizeof(nh));
		RTM_IPV4_SET_ADDR_AND_LEN(&nh.NextHopAddress, routes[k].NextHop, 32);
		nh.InterfaceIndex = 1;
		if (RtmAddNextHop(rtm, &nh, &nexthops[k], NULL) != NO_ERROR)
			continue;
		/* the SDK's RTM_SIZE_OF_ROUTE_INFO is one handle short: ask for 2 */
		BYTE buf[RTM_SIZE_OF_ROUTE_INFO(2)];
		PRTM_ROUTE_INFO r = (PRTM_ROUTE_INFO)buf;
		memset(buf, 0, sizeof(buf));
		r->Neighbour = nexthops[k];
		r->PrefInfo.Metric = routes[k].Metric;
		r->PrefInfo.Preference = 50;
		r->BelongsToViews = RTM_VIEW_MASK_UCAST;
		r->NextHopsList.NumNextHops = 1;
		r->NextHopsList.NextHops[0] = nexthops[k];
		RTM_NET_ADDRESS dest;
		RTM_IPV4_SET_ADDR_AND_LEN(&dest, routes[k].Dest, routes[k].PrefixLen);
		RtmAddRouteToDest(rtm, NULL, &dest, r, INFINITE, NULL, 0, NULL, NULL);
	}
	return NO_ERROR;
}

static DWORD WINAPI v_stop(void)
{
	/* deleting the next hops first is allowed; deregistration removes the routes */
	for (DWORD k = 0; k < count; k++)
		if (nexthops[k] && RtmDeleteNextHop(rtm, nexthops[k], NULL) != NO_ERROR)
			RtmReleaseNextHops(rtm, 1, &nexthops[k]);
	RtmDeregisterEntity(rtm);
	memset(nexthops, 0, sizeof(nexthops));
	return NO_ERROR;
}

static DWORD WINAPI v_get_event(ROUTING_PROTOCOL_EVENTS *event, MESSAGE *result)
{
	(void)event, (void)result;
	return ERROR_NO_MORE_ITEMS;
}

static DWORD WINAPI v_add_interface(LPWSTR name, ULONG index, NET_INTERFACE_TYPE type, DWORD media, WORD access,
				    WORD connection, PVOID info, ULONG version, ULONG size, ULONG n)
{
	(void)name, (void)index, (void)type, (void)media, (void)access, (void)connection;
	(void)info, (void)version, (void)size, (void)n;
	return NO_ERROR;
}

static DWORD WINAPI v_delete_interface(ULONG index)
{
	(void)index;
	return NO_ERROR;
}

static DWORD WINAPI v_interface_status(ULONG index, WINBOOL active, DWORD type, PVOID status)
{
	(void)index, (void)active, (void)type, (void)status;
	return NO_ERROR;
}

static DWORD WINAPI v_mib_get(ULONG in_size, PVOID in, PULONG out_size, PVOID out)
{
	(void)in_size, (void)in;
	if (!out_size)
		return ERROR_INVALID_PARAMETER;
	if (!out || *out_size < sizeof(DWORD)) {
		*out_size = sizeof(DWORD);
		return ERROR_INSUFFICIENT_BUFFER;
	}
	memcpy(out, &count, sizeof(DWORD));
	*out_size = sizeof(DWORD);
	return NO_ERROR;
}

__declspec(dllexport) DWORD WINAPI RegisterProtocol(PMPR_ROUTING_CHARACTERISTICS rc, PMPR_SERVICE_CHARACTERISTICS sc)
{
	if (rc->dwVersion < MS_ROUTER_VERSION)
		return ERROR_NOT_SUPPORTED;
	protocol_id = rc->dwProtocolId;
	rc->dwVersion = MS_ROUTER_VERSION;
	rc->fSupportedFunctionality = RF_ROUTING;
	rc->pfnStartProtocol = v_start;
	rc->pfnStartComplete = v_start_complete;
	rc->pfnStopProtocol = v_stop;
	rc->pfnGetEventMessage = v_get_event;
	rc->pfnAddInterface = v_add_interface;
	rc->pfnDeleteInterface = v_delete_interface;
	rc->pfnInterfaceStatus = v_interface_status;
	rc->pfnMibGetEntry = v_mib_get;
	sc->fSupportedFunctionality = 0;
	return NO_ERROR;
}

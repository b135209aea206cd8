/*
 * monitor.c - the "monitor" sample protocol (monitor.dll): it routes
 * nothing; it registers with RTM for change notification and logs every
 * best-route change in the unicast view, and every entity that comes and
 * goes, the way a forwarding-table programmer or a route logger would.
 *
 * The notification loop is the documented one (concepts section 11.4): the
 * RTM_CHANGE_NOTIFICATION callback drains RtmGetChangedDests in batches of
 * MaxHandlesInEnum destinations, stepping by RTM_SIZE_OF_DEST_INFO of the
 * profile's NumberOfViews, releases each batch with RtmReleaseChangedDests,
 * and stops at ERROR_NO_MORE_ITEMS.  A DelayMs in the global information
 * makes each callback pause first, so tests can stop the protocol while
 * notifications are still pending.
 *
 * StopProtocol is synchronous: RtmDeregisterFromChangeNotification and
 * RtmDeregisterEntity wait for a callback that is running (RTM promises no
 * callback after deregistration returns), so when StopProtocol returns no
 * code of this DLL runs any more and the host may unload it.
 * MibGet answers SAMPLE_MONITOR_MIB_STATS.
 */
#include "proto_kit.h"

#include <stdio.h>
#include <string.h>

#define WHO "monitor"

static CRITICAL_SECTION lock; /* start/stop and the counters */
static kit_queue queue; /* outlives stops: the host drains it after */
static struct {
	BOOL started;
	volatile LONG stopping;
	RTM_ENTITY_HANDLE rtm;
	RTM_NOTIFY_HANDLE notify;
	RTM_REGN_PROFILE profile;
	DWORD delay_ms;
	SAMPLE_MONITOR_MIB_STATS stats;
} S;

/* "static metric 1 pref 3 via 127.0.0.1%1" for a route handle */
static void describe_route(RTM_ROUTE_HANDLE route, char *out, size_t size)
{
	union {
		RTM_ROUTE_INFO info;
		BYTE bytes[RTM_SIZE_OF_ROUTE_INFO(8)];
	} u;
	if (RtmGetRouteInfo(S.rtm, route, &u.info, NULL) != NO_ERROR) {
		snprintf(out, size, "(route gone)");
		return;
	}
	char owner[16] = "?";
	RTM_ENTITY_INFO ei;
	if (RtmGetEntityInfo(S.rtm, u.info.RouteOwner, &ei) == NO_ERROR) {
		const char *name = kit_protocol_name(ei.EntityId.EntityProtocolId);
		if (name)
			snprintf(owner, sizeof(owner), "%s", name);
		else
			snprintf(owner, sizeof(owner), "0x%08lx", ei.EntityId.EntityProtocolId);
	}
	int n = snprintf(out, size, "%s metric %lu pref %lu", owner, u.info.PrefInfo.Metric,
			 u.info.PrefInfo.Preference);
	for (USHORT i = 0; i < u.info.NextHopsList.NumNextHops && i < 8 && (size_t)n < size; i++) {
		RTM_NEXTHOP_INFO nh;
		if (RtmGetNextHopInfo(S.rtm, u.info.NextHopsList.NextHops[i], &nh) != NO_ERROR)
			continue;
		DWORD a;
		unsigned len;
		char addr[16];
		kit_from_net_address(&nh.NextHopAddress, &a, &len);
		n += snprintf(out + n, size - (size_t)n, "%s%s%%%lu", i ? "," : " via ", kit_addr(addr, a),
			      nh.InterfaceIndex);
		RtmReleaseNextHopInfo(S.rtm, &nh);
	}
	RtmReleaseRouteInfo(S.rtm, &u.info);
}

static void log_change(RTM_ENTITY_HANDLE reg, PRTM_DEST_INFO d, void *ctx)
{
	(void)reg, (void)ctx;
	DWORD a;
	unsigned len;
	char p[20], route[160] = "unreachable";
	if (S.stopping)
		return;
	kit_from_net_address(&d->DestAddress, &a, &len);
	if (d->NumberOfViews && d->ViewInfo[0].Route)
		describe_route(d->ViewInfo[0].Route, route, sizeof(route));
	kit_log(WHO, "best %s -> %s", kit_prefix(p, a, len), route);
	EnterCriticalSection(&lock);
	S.stats.BestChanges++;
	LeaveCriticalSection(&lock);
}

static DWORD WINAPI mon_event(RTM_ENTITY_HANDLE reg, RTM_EVENT_TYPE type, PVOID context1, PVOID context2)
{
	(void)reg, (void)context1;
	const RTM_ENTITY_INFO *ei = context2;
	switch (type) {
	case RTM_ENTITY_REGISTERED:
	case RTM_ENTITY_DEREGISTERED:
		kit_log(WHO, "entity 0x%08lx/%lu %s", ei->EntityId.EntityProtocolId, ei->EntityId.EntityInstanceId,
			type == RTM_ENTITY_REGISTERED ? "registered" : "deregistered");
		return NO_ERROR;
	case RTM_CHANGE_NOTIFICATION:
		EnterCriticalSection(&lock);
		S.stats.Notifications++;
		LeaveCriticalSection(&lock);
		if (S.delay_ms)
			Sleep(S.delay_ms);
		if (!S.stopping)
			kit_walk_dests(S.rtm, &S.profile, NULL, S.notify, log_change, NULL);
		return NO_ERROR;
	default:
		return ERROR_NOT_SUPPORTED; /* owns no routes, so expiry never comes */
	}
}

static DWORD WINAPI mon_start(HANDLE event, PSUPPORT_FUNCTIONS support, LPVOID info, ULONG version, ULONG size,
			      ULONG count)
{
	(void)version;
	const SAMPLE_MONITOR_GLOBAL *g = info;
	if (!event || !support || kit_info_size(info, size, count) < sizeof(*g) || g->Version != SAMPLE_CONFIG_VERSION)
		return ERROR_INVALID_PARAMETER;
	EnterCriticalSection(&lock);
	DWORD st = ERROR_CAN_NOT_COMPLETE;
	if (!S.started) {
		RTM_ENTITY_INFO ei = { 0, AF_INET, { { { SAMPLE_PROTO_MONITOR, 0 } } } };
		st = RtmRegisterEntity(&ei, NULL, mon_event, FALSE, &S.profile, &S.rtm);
		if (st == NO_ERROR) {
			st = RtmRegisterForChangeNotification(S.rtm, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, NULL,
							      &S.notify);
			if (st != NO_ERROR)
				RtmDeregisterEntity(S.rtm);
		}
		if (st == NO_ERROR) {
			kit_queue_open(&queue, event);
			S.delay_ms = g->DelayMs;
			S.stopping = 0;
			S.started = TRUE;
			kit_log(WHO, "started, watching best routes of the unicast view");
		} else {
			kit_log(WHO, "registration with RTM failed: %lu", st);
		}
	}
	LeaveCriticalSection(&lock);
	return st;
}

static DWORD WINAPI mon_stop(void)
{
	EnterCriticalSection(&lock);
	BOOL started = S.started;
	S.started = FALSE;
	LeaveCriticalSection(&lock);
	if (!started)
		return NO_ERROR;
	InterlockedExchange(&S.stopping, 1);
	/* no lock held: a running callback may need it to finish */
	RtmDeregisterFromChangeNotification(S.rtm, S.notify);
	RtmDeregisterEntity(S.rtm);
	kit_log(WHO, "stopped after %lu notifications, %lu best-route changes", S.stats.Notifications,
		S.stats.BestChanges);
	memset(&S, 0, sizeof(S));
	return NO_ERROR;
}

static DWORD WINAPI mon_get_event(ROUTING_PROTOCOL_EVENTS *event, MESSAGE *result)
{
	return kit_queue_get(&queue, event, result);
}

static DWORD WINAPI mon_get_global(PVOID buffer, PULONG buffer_size, PULONG version, PULONG size, PULONG count)
{
	SAMPLE_MONITOR_GLOBAL g = { SAMPLE_CONFIG_VERSION, S.delay_ms };
	return kit_get_info(&g, sizeof(g), buffer, buffer_size, version, size, count);
}

static DWORD WINAPI mon_set_global(PVOID info, ULONG version, ULONG size, ULONG count)
{
	(void)version;
	const SAMPLE_MONITOR_GLOBAL *g = info;
	if (kit_info_size(info, size, count) < sizeof(*g) || g->Version != SAMPLE_CONFIG_VERSION)
		return ERROR_INVALID_PARAMETER;
	S.delay_ms = g->DelayMs;
	return NO_ERROR;
}

/* monitor runs on no interface: every interface call names an unknown one */
static DWORD WINAPI mon_add_interface(LPWSTR name, ULONG index, NET_INTERFACE_TYPE type, DWORD media, WORD access,
				      WORD connection, PVOID info, ULONG version, ULONG size, ULONG count)
{
	(void)name, (void)index, (void)type, (void)media, (void)access, (void)connection;
	(void)info, (void)version, (void)size, (void)count;
	return ERROR_INVALID_PARAMETER;
}

static DWORD WINAPI mon_delete_interface(ULONG index)
{
	(void)index;
	return ERROR_INVALID_PARAMETER;
}

static DWORD WINAPI mon_interface_status(ULONG index, WINBOOL active, DWORD type, PVOID status)
{
	(void)index, (void)active, (void)type, (void)status;
	return ERROR_INVALID_PARAMETER;
}

static DWORD WINAPI mon_mib_get(ULONG in_size, PVOID in, PULONG out_size, PVOID out)
{
	(void)in_size, (void)in;
	EnterCriticalSection(&lock);
	SAMPLE_MONITOR_MIB_STATS stats = S.stats;
	LeaveCriticalSection(&lock);
	return kit_mib_out(&stats, sizeof(stats), out_size, out);
}

__declspec(dllexport) DWORD WINAPI RegisterProtocol(PMPR_ROUTING_CHARACTERISTICS rc, PMPR_SERVICE_CHARACTERISTICS sc)
{
	if (!kit_register(rc, sc, SAMPLE_PROTO_MONITOR, RF_ROUTING))
		return ERROR_NOT_SUPPORTED;
	rc->pfnStartProtocol = mon_start;
	rc->pfnStopProtocol = mon_stop;
	rc->pfnGetGlobalInfo = mon_get_global;
	rc->pfnSetGlobalInfo = mon_set_global;
	rc->pfnAddInterface = mon_add_interface;
	rc->pfnDeleteInterface = mon_delete_interface;
	rc->pfnInterfaceStatus = mon_interface_status;
	rc->pfnGetEventMessage = mon_get_event;
	rc->pfnMibGetEntry = mon_mib_get;
	return NO_ERROR;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
	(void)instance, (void)reserved;
	return kit_dll_main(reason, &lock, &queue);
}

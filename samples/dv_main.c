/*
 * dv_main.c - the entry points of the "dv" sample protocol (dv.dll), a
 * small RIP-like distance-vector protocol over UDP (see dv.h for the
 * modules and dv_worker.c for the protocol itself).
 *
 * Configuration: the global block is a SAMPLE_DV_GLOBAL (preference,
 * timers, announce list); each interface's block a SAMPLE_DV_INTERFACE
 * (UDP port, cost, neighbours).  Both are validated completely before
 * anything is applied, and neighbours must be loopback addresses.  An
 * interface runs once it is enabled, bound (its first address is where the
 * socket binds) and StartComplete has come; the entry points only record
 * state and let the worker reconcile (dv_sync), so sockets and RTM state
 * change on one thread.
 *
 * StopProtocol answers ERROR_PROTOCOL_STOP_PENDING; the worker finishes the
 * stop and queues ROUTER_STOPPED.  MibGet answers SAMPLE_DV_MIB_STATS.
 */
#include "dv.h"

#include <stdlib.h>
#include <string.h>

CRITICAL_SECTION lock;
kit_queue queue; /* outlives stops: the host drains it after */
dv_state S;

static BOOL global_valid(const void *info, ULONG size, ULONG count, SAMPLE_DV_GLOBAL *out)
{
	if (kit_info_size(info, size, count) < sizeof(*out))
		return FALSE;
	memcpy(out, info, sizeof(*out));
	return out->Version == SAMPLE_CONFIG_VERSION && out->UpdateMs >= 50 && out->TimeoutMs >= out->UpdateMs &&
	       out->NumAnnounce <= SAMPLE_DV_MAX_ANNOUNCE;
}

static BOOL iface_valid(const void *info, ULONG size, ULONG count, SAMPLE_DV_INTERFACE *out)
{
	if (kit_info_size(info, size, count) < sizeof(*out))
		return FALSE;
	memcpy(out, info, sizeof(*out));
	if (out->Version != SAMPLE_CONFIG_VERSION || !out->Port || out->Port > 65535 || !out->Cost ||
	    out->Cost >= SAMPLE_DV_INFINITY || out->NumNeighbors > SAMPLE_DV_MAX_NEIGHBORS)
		return FALSE;
	for (DWORD k = 0; k < out->NumNeighbors; k++)
		if ((ntohl(out->Neighbors[k].Address) >> 24) != 127 || !out->Neighbors[k].Port ||
		    out->Neighbors[k].Port > 65535)
			return FALSE;
	return TRUE;
}

static dv_iface *iface_find(ULONG index)
{
	for (unsigned k = 0; k < S.nifaces; k++)
		if (S.ifaces[k].index == index && !S.ifaces[k].deleted)
			return &S.ifaces[k];
	return NULL;
}

static void iface_configure(dv_iface *i, const SAMPLE_DV_INTERFACE *cfg)
{
	i->cfg = *cfg;
	memset(i->neighbors, 0, sizeof(i->neighbors));
	for (DWORD k = 0; k < cfg->NumNeighbors; k++)
		i->neighbors[k].cfg = cfg->Neighbors[k];
}

/* ---- start and stop ------------------------------------------------------ */

static DWORD WINAPI dv_start(HANDLE event, PSUPPORT_FUNCTIONS support, LPVOID info, ULONG version, ULONG size,
			     ULONG count)
{
	(void)version;
	SAMPLE_DV_GLOBAL cfg;
	if (!event || !support || !global_valid(info, size, count, &cfg))
		return ERROR_INVALID_PARAMETER;
	EnterCriticalSection(&lock);
	DWORD st = ERROR_CAN_NOT_COMPLETE;
	WSADATA wsa;
	if (S.started || WSAStartup(MAKEWORD(2, 2), &wsa) != 0)
		goto out;
	S.cfg = cfg;
	S.wake = CreateEventA(NULL, FALSE, FALSE, NULL);
	S.synced = CreateEventA(NULL, TRUE, FALSE, NULL);
	RTM_ENTITY_INFO ei = { 0, AF_INET, { { { SAMPLE_PROTO_DV, 0 } } } };
	st = RtmRegisterEntity(&ei, NULL, dv_rtm_event, FALSE, &S.profile, &S.rtm);
	if (st == NO_ERROR) {
		st = RtmRegisterForChangeNotification(S.rtm, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, NULL, &S.notify);
		if (st != NO_ERROR)
			RtmDeregisterEntity(S.rtm);
	}
	if (st == NO_ERROR) {
		kit_queue_open(&queue, event);
		S.thread = kit_start_thread(dv_worker, NULL);
		if (!S.thread) {
			RtmDeregisterFromChangeNotification(S.rtm, S.notify);
			RtmDeregisterEntity(S.rtm);
			st = ERROR_CAN_NOT_COMPLETE;
		}
	}
	if (st != NO_ERROR) {
		CloseHandle(S.wake);
		CloseHandle(S.synced);
		memset(&S, 0, sizeof(S));
		WSACleanup();
		goto out;
	}
	CloseHandle(S.thread); /* it ends by itself, holding the DLL */
	S.started = TRUE;
	kit_log(WHO, "started: update %lu ms, timeout %lu ms, preference %lu", cfg.UpdateMs, cfg.TimeoutMs,
		cfg.Preference);
out:
	LeaveCriticalSection(&lock);
	return st;
}

static DWORD WINAPI dv_start_complete(void)
{
	EnterCriticalSection(&lock);
	if (S.started) {
		S.complete = TRUE;
		dv_sync();
	}
	LeaveCriticalSection(&lock);
	return NO_ERROR;
}

static DWORD WINAPI dv_stop(void)
{
	EnterCriticalSection(&lock);
	BOOL started = S.started && !S.stop;
	if (started) {
		InterlockedExchange(&S.stop, 1);
		SetEvent(S.wake);
	}
	LeaveCriticalSection(&lock);
	return started ? ERROR_PROTOCOL_STOP_PENDING : NO_ERROR;
}

static DWORD WINAPI dv_get_event(ROUTING_PROTOCOL_EVENTS *event, MESSAGE *result)
{
	return kit_queue_get(&queue, event, result);
}

/* ---- configuration ------------------------------------------------------- */

static DWORD WINAPI dv_get_global(PVOID buffer, PULONG buffer_size, PULONG version, PULONG size, PULONG count)
{
	EnterCriticalSection(&lock);
	SAMPLE_DV_GLOBAL cfg = S.cfg;
	LeaveCriticalSection(&lock);
	return kit_get_info(&cfg, sizeof(cfg), buffer, buffer_size, version, size, count);
}

static DWORD WINAPI dv_set_global(PVOID info, ULONG version, ULONG size, ULONG count)
{
	(void)version;
	SAMPLE_DV_GLOBAL cfg;
	if (!global_valid(info, size, count, &cfg))
		return ERROR_INVALID_PARAMETER;
	EnterCriticalSection(&lock);
	S.cfg = cfg;
	InterlockedExchange(&S.changed, 1);
	SetEvent(S.wake);
	LeaveCriticalSection(&lock);
	return NO_ERROR;
}

/* ---- interfaces ------------------------------------------------------------ */

static DWORD WINAPI dv_add_interface(LPWSTR name, ULONG index, NET_INTERFACE_TYPE type, DWORD media, WORD access,
				     WORD connection, PVOID info, ULONG version, ULONG size, ULONG count)
{
	(void)name, (void)type, (void)media, (void)access, (void)connection, (void)version;
	SAMPLE_DV_INTERFACE cfg;
	if (!iface_valid(info, size, count, &cfg))
		return ERROR_INVALID_PARAMETER;
	EnterCriticalSection(&lock);
	DWORD st = ERROR_INVALID_PARAMETER;
	if (S.started && !iface_find(index)) {
		dv_iface *grown = realloc(S.ifaces, (S.nifaces + 1) * sizeof(*grown));
		st = ERROR_NOT_ENOUGH_MEMORY;
		if (grown) {
			S.ifaces = grown;
			dv_iface *i = &S.ifaces[S.nifaces++];
			memset(i, 0, sizeof(*i));
			i->index = index;
			i->sock = INVALID_SOCKET;
			iface_configure(i, &cfg);
			st = NO_ERROR;
		}
	}
	LeaveCriticalSection(&lock);
	return st;
}

static DWORD WINAPI dv_delete_interface(ULONG index)
{
	EnterCriticalSection(&lock);
	dv_iface *i = iface_find(index);
	if (i) {
		i->deleted = TRUE;
		dv_sync();
	}
	LeaveCriticalSection(&lock);
	return i ? NO_ERROR : ERROR_INVALID_PARAMETER;
}

static DWORD WINAPI dv_interface_status(ULONG index, WINBOOL active, DWORD type, PVOID status)
{
	EnterCriticalSection(&lock);
	dv_iface *i = iface_find(index);
	if (i) {
		kit_iface_status(&i->enabled, &i->bound, &i->address, active, type, status);
		dv_sync();
	}
	LeaveCriticalSection(&lock);
	return i ? NO_ERROR : ERROR_INVALID_PARAMETER;
}

static DWORD WINAPI dv_get_interface_info(ULONG index, PVOID buffer, PULONG buffer_size, PULONG version,
					  PULONG size, PULONG count)
{
	EnterCriticalSection(&lock);
	dv_iface *i = iface_find(index);
	SAMPLE_DV_INTERFACE cfg;
	if (i)
		cfg = i->cfg;
	LeaveCriticalSection(&lock);
	if (!i)
		return ERROR_INVALID_PARAMETER;
	return kit_get_info(&cfg, sizeof(cfg), buffer, buffer_size, version, size, count);
}

static DWORD WINAPI dv_set_interface_info(ULONG index, PVOID info, ULONG version, ULONG size, ULONG count)
{
	(void)version;
	SAMPLE_DV_INTERFACE cfg;
	if (!iface_valid(info, size, count, &cfg))
		return ERROR_INVALID_PARAMETER;
	EnterCriticalSection(&lock);
	dv_iface *i = iface_find(index);
	if (i) {
		/* take it down with the old neighbours, up again with the new */
		BOOL enabled = i->enabled;
		i->enabled = FALSE;
		dv_sync();
		if ((i = iface_find(index)) != NULL) {
			iface_configure(i, &cfg);
			i->enabled = enabled;
			dv_sync();
		}
	}
	LeaveCriticalSection(&lock);
	return i ? NO_ERROR : ERROR_INVALID_PARAMETER;
}

/* ---- MIB --------------------------------------------------------------------- */

static DWORD WINAPI dv_mib_get(ULONG in_size, PVOID in, PULONG out_size, PVOID out)
{
	(void)in_size, (void)in;
	EnterCriticalSection(&lock);
	SAMPLE_DV_MIB_STATS stats = S.stats;
	if (S.started)
		stats.RoutesLearned = dv_rib_count_routes();
	LeaveCriticalSection(&lock);
	return kit_mib_out(&stats, sizeof(stats), out_size, out);
}

/* ---- registration ------------------------------------------------------------ */

__declspec(dllexport) DWORD WINAPI RegisterProtocol(PMPR_ROUTING_CHARACTERISTICS rc, PMPR_SERVICE_CHARACTERISTICS sc)
{
	if (!kit_register(rc, sc, SAMPLE_PROTO_DV, RF_ROUTING))
		return ERROR_NOT_SUPPORTED;
	rc->pfnStartProtocol = dv_start;
	rc->pfnStartComplete = dv_start_complete;
	rc->pfnStopProtocol = dv_stop;
	rc->pfnGetGlobalInfo = dv_get_global;
	rc->pfnSetGlobalInfo = dv_set_global;
	rc->pfnAddInterface = dv_add_interface;
	rc->pfnDeleteInterface = dv_delete_interface;
	rc->pfnInterfaceStatus = dv_interface_status;
	rc->pfnGetInterfaceInfo = dv_get_interface_info;
	rc->pfnSetInterfaceInfo = dv_set_interface_info;
	rc->pfnGetEventMessage = dv_get_event;
	rc->pfnMibGetEntry = dv_mib_get;
	return NO_ERROR;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
	(void)instance, (void)reserved;
	return kit_dll_main(reason, &lock, &queue);
}

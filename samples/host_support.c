/*
 * host_support.c - the router manager's support functions, the table every
 * protocol gets in StartProtocol (router-manager spec, section 7).
 *
 * They run on the protocols' own threads, at any time between
 * StartProtocol and the end of the stop, and may be called from inside an
 * entry point the manager thread is executing.  So none of them waits for
 * the manager thread, and none calls into a DLL with host.lock held: a MIB
 * call to a peer protocol marks the peer busy (in_support) under the lock,
 * calls it unlocked, and the unload of that peer waits for the mark to go.
 *
 *   DemandDialRequest        unknown interface: ERROR_INVALID_PARAMETER;
 *                            this host dials nothing: ERROR_CAN_NOT_COMPLETE
 *   SetInterfaceReceiveType  recorded nowhere; checks type and index
 *   ValidateRoute            NO_ERROR, changes nothing (no priority table)
 *   MIBEntry*                a running protocol's Mib* entry point, or
 *                            ERROR_CAN_NOT_COMPLETE (not running, no entry
 *                            point); the router manager's own ID: not
 *                            supported; other IDs: ERROR_INVALID_PARAMETER
 *   GetRouterId              the configured router ID, else the highest
 *                            interface address, else 0
 *   HasMulticastBoundary     FALSE: no boundaries are configured
 */
#include "host.h"

/*
 * The router manager's own MIB ID, from iprtrmib.h; that header cannot be
 * included after routprot.h (its nldef.h builds enumerators from names
 * that routprot.h defines as PROTO_IP_* macros).
 */
#ifndef IPRTRMGR_PID
#define IPRTRMGR_PID 10000
#endif

static BOOL iface_known(DWORD index)
{
	for (unsigned k = 0; k < host.nifaces; k++)
		if (host.ifaces[k].index == index)
			return TRUE;
	return FALSE;
}

static BOOL caller_running(DWORD protocol_id)
{
	EnterCriticalSection(&host.lock);
	host_proto *p = proto_by_id(protocol_id);
	BOOL running = p && p->state == PROTO_RUNNING;
	LeaveCriticalSection(&host.lock);
	return running;
}

static DWORD WINAPI demand_dial_request(DWORD protocol_id, DWORD index)
{
	if (!caller_running(protocol_id))
		return ERROR_CAN_NOT_COMPLETE;
	return iface_known(index) ? ERROR_CAN_NOT_COMPLETE : ERROR_INVALID_PARAMETER;
}

static DWORD WINAPI set_interface_receive_type(DWORD protocol_id, DWORD index, DWORD type, WINBOOL activate)
{
	(void)activate;
	if (!caller_running(protocol_id))
		return ERROR_CAN_NOT_COMPLETE;
	if ((type != IR_PROMISCUOUS && type != IR_PROMISCUOUS_MULTICAST) || !iface_known(index))
		return ERROR_INVALID_PARAMETER;
	return NO_ERROR;
}

static DWORD WINAPI validate_route(DWORD protocol_id, PVOID route_info, PVOID dest_address)
{
	(void)dest_address;
	if (!caller_running(protocol_id))
		return ERROR_CAN_NOT_COMPLETE;
	return route_info ? NO_ERROR : ERROR_INVALID_PARAMETER;
}

DWORD support_mib(host_proto *p, int op, ULONG in_size, PVOID in, PULONG out_size, PVOID out)
{
	EnterCriticalSection(&host.lock);
	BOOL usable = p->state == PROTO_RUNNING;
	if (usable)
		InterlockedIncrement(&p->in_support);
	LeaveCriticalSection(&host.lock);
	if (!usable)
		return ERROR_CAN_NOT_COMPLETE;
	MPR_ROUTING_CHARACTERISTICS *rc = &p->routing.rc;
	DWORD st = ERROR_CAN_NOT_COMPLETE;
	switch (op) {
	case MIB_CREATE:
		if (rc->pfnMibCreateEntry)
			st = rc->pfnMibCreateEntry(in_size, in);
		break;
	case MIB_DELETE:
		if (rc->pfnMibDeleteEntry)
			st = rc->pfnMibDeleteEntry(in_size, in);
		break;
	case MIB_SET:
		if (rc->pfnMibSetEntry)
			st = rc->pfnMibSetEntry(in_size, in);
		break;
	case MIB_GET:
		if (rc->pfnMibGetEntry)
			st = rc->pfnMibGetEntry(in_size, in, out_size, out);
		break;
	case MIB_GET_FIRST:
		if (rc->pfnMibGetFirstEntry)
			st = rc->pfnMibGetFirstEntry(in_size, in, out_size, out);
		break;
	case MIB_GET_NEXT:
		if (rc->pfnMibGetNextEntry)
			st = rc->pfnMibGetNextEntry(in_size, in, out_size, out);
		break;
	}
	InterlockedDecrement(&p->in_support);
	return st;
}

static DWORD mib_route(DWORD pid, int op, ULONG in_size, PVOID in, PULONG out_size, PVOID out)
{
	if (pid == IPRTRMGR_PID)
		return ERROR_NOT_SUPPORTED;
	EnterCriticalSection(&host.lock);
	host_proto *p = proto_by_id(pid);
	LeaveCriticalSection(&host.lock);
	if (!p)
		return ERROR_INVALID_PARAMETER;
	return support_mib(p, op, in_size, in, out_size, out);
}

static DWORD WINAPI mib_create(DWORD pid, DWORD size, LPVOID entry)
{
	return mib_route(pid, MIB_CREATE, size, entry, NULL, NULL);
}

static DWORD WINAPI mib_delete(DWORD pid, DWORD size, LPVOID entry)
{
	return mib_route(pid, MIB_DELETE, size, entry, NULL, NULL);
}

static DWORD WINAPI mib_set(DWORD pid, DWORD size, LPVOID entry)
{
	return mib_route(pid, MIB_SET, size, entry, NULL, NULL);
}

static DWORD WINAPI mib_get(DWORD pid, DWORD in_size, LPVOID in, LPDWORD out_size, LPVOID out)
{
	return mib_route(pid, MIB_GET, in_size, in, out_size, out);
}

static DWORD WINAPI mib_get_first(DWORD pid, DWORD in_size, LPVOID in, LPDWORD out_size, LPVOID out)
{
	return mib_route(pid, MIB_GET_FIRST, in_size, in, out_size, out);
}

static DWORD WINAPI mib_get_next(DWORD pid, DWORD in_size, LPVOID in, LPDWORD out_size, LPVOID out)
{
	return mib_route(pid, MIB_GET_NEXT, in_size, in, out_size, out);
}

static DWORD WINAPI get_router_id(void)
{
	if (host.router_id)
		return host.router_id;
	DWORD best = 0;
	for (unsigned k = 0; k < host.nifaces; k++)
		for (ULONG a = 0; a < host.ifaces[k].naddr; a++)
			if (ntohl(host.ifaces[k].addr[a].Address) > ntohl(best))
				best = host.ifaces[k].addr[a].Address;
	return best;
}

static WINBOOL WINAPI has_multicast_boundary(DWORD index, DWORD group)
{
	(void)index, (void)group;
	return FALSE;
}

void support_fill(SUPPORT_FUNCTIONS *s)
{
	memset(s, 0, sizeof(*s));
	s->dwVersion = MS_ROUTER_VERSION;
	s->dwReserved = 0;
	s->DemandDialRequest = demand_dial_request;
	s->SetInterfaceReceiveType = set_interface_receive_type;
	s->ValidateRoute = validate_route;
	s->MIBEntryCreate = mib_create;
	s->MIBEntryDelete = mib_delete;
	s->MIBEntrySet = mib_set;
	s->MIBEntryGet = mib_get;
	s->MIBEntryGetFirst = mib_get_first;
	s->MIBEntryGetNext = mib_get_next;
	s->GetRouterId = get_router_id;
	s->HasMulticastBoundary = has_multicast_boundary;
}

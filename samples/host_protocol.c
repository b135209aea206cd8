/*
 * host_protocol.c - driving one routing-protocol DLL through its life, the
 * way the router manager does (router-manager spec, section 9):
 *
 *   load      LoadLibraryW by full path; GetProcAddress("RegisterProtocol")
 *             (on i686 also the stdcall-decorated spellings);
 *   register  RegisterProtocol with zero-filled 1 KiB characteristics
 *             buffers: version 0x500, the protocol ID, the functionality we
 *             offer; then check the answer (same ID, version <= 0x500,
 *             functionality masked, the six required entry points);
 *   start     an auto-reset event (watched from before the call), the
 *             support table, and a private copy of the protocol's global
 *             block: StructureVersion = the header's Version, StructureSize
 *             = the TOC entry's InfoSize, StructureCount = its Count;
 *   interfaces in ascending index order, those with a non-empty block for
 *             the protocol (all of them for RF_ADD_ALL_INTERFACES, with
 *             NULL info): AddInterface, then InterfaceStatus ENABLED if
 *             administratively up, then ADDRESS_CHANGE with the binding;
 *   events    drain GetEventMessage after every wake-up; SAVE_*_CONFIG_INFO
 *             fetch the new configuration (size probe first) into our
 *             headers;
 *   stop      StopProtocol; NO_ERROR: drain once and unload;
 *             ERROR_PROTOCOL_STOP_PENDING: keep serving its event until
 *             ROUTER_STOPPED (at most 60 s), then unload; anything else, or
 *             the time-out: leave the DLL loaded (its code may still run).
 *
 * A protocol that fails to load, register or start is reported once, with
 * the reason, left unloaded, and the others carry on.
 */
#include "host.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OFFERED (RF_ROUTING | RF_DEMAND_UPDATE_ROUTES | RF_ADD_ALL_INTERFACES | RF_MULTICAST)

static void set_state(host_proto *p, host_proto_state s)
{
	EnterCriticalSection(&host.lock);
	p->state = s;
	LeaveCriticalSection(&host.lock);
}

/* fail - report why p cannot run, unload it; answers FALSE */
static BOOL __attribute__((format(printf, 2, 3))) fail(host_proto *p, const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	vsnprintf(p->failure, sizeof(p->failure), format, ap);
	va_end(ap);
	host_log("protocol %s (%s): %s; not running it, the others go on", p->name, p->dll, p->failure);
	if (p->module)
		FreeLibrary(p->module);
	p->module = NULL;
	if (p->event)
		CloseHandle(p->event);
	p->event = NULL;
	set_state(p, PROTO_FAILED);
	return FALSE;
}

static PREGISTER_PROTOCOL find_entry(HMODULE m)
{
	static const char *names[] = { REGISTER_PROTOCOL_ENTRY_POINT_STRING,
#ifndef _WIN64
				       "RegisterProtocol@8", "_RegisterProtocol@8",
#endif
	};
	for (unsigned k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		FARPROC f = GetProcAddress(m, names[k]);
		if (f)
			return (PREGISTER_PROTOCOL)(void (*)(void))f;
	}
	return NULL;
}

static BOOL proto_register(host_proto *p)
{
	WCHAR path[MAX_PATH];
	MultiByteToWideChar(CP_UTF8, 0, p->dll, -1, path, MAX_PATH);
	p->module = LoadLibraryW(path);
	if (!p->module)
		return fail(p, "cannot load the DLL (error %lu)", GetLastError());
	PREGISTER_PROTOCOL reg = find_entry(p->module);
	if (!reg)
		return fail(p, "the DLL exports no RegisterProtocol");

	MPR_ROUTING_CHARACTERISTICS *rc = &p->routing.rc;
	MPR_SERVICE_CHARACTERISTICS *sc = &p->service.sc;
	memset(&p->routing, 0, sizeof(p->routing));
	memset(&p->service, 0, sizeof(p->service));
	rc->dwVersion = MS_ROUTER_VERSION;
	rc->dwProtocolId = p->id;
	rc->fSupportedFunctionality = OFFERED;
	sc->dwVersion = MS_ROUTER_VERSION;
	sc->dwProtocolId = p->id;
	sc->fSupportedFunctionality = 0;
	DWORD st = reg(rc, sc);
	if (st != NO_ERROR)
		return fail(p, "RegisterProtocol returned %lu", st);
	if (rc->dwProtocolId != p->id)
		return fail(p, "RegisterProtocol changed the protocol ID to 0x%08lx", rc->dwProtocolId);
	if (rc->dwVersion > MS_ROUTER_VERSION)
		return fail(p, "it needs router version 0x%lx", rc->dwVersion);
	if (rc->fSupportedFunctionality & ~OFFERED)
		host_log("protocol %s: ignoring functionality bits 0x%lx we did not offer", p->name,
			 rc->fSupportedFunctionality & ~OFFERED);
	rc->fSupportedFunctionality &= OFFERED;
	if (!rc->pfnStartProtocol || !rc->pfnStopProtocol || !rc->pfnGetEventMessage || !rc->pfnAddInterface ||
	    !rc->pfnDeleteInterface || !rc->pfnInterfaceStatus)
		return fail(p, "a required entry point is missing");
	if (!rc->pfnUpdateRoutes)
		rc->fSupportedFunctionality &= ~RF_DEMAND_UPDATE_ROUTES;
	return TRUE;
}

static BOOL proto_start(host_proto *p)
{
	PRTR_TOC_ENTRY toc;
	BYTE *block = ib_find(host.global, p->id, &toc);
	if (!block)
		return fail(p, "no block for it in the global information");
	ULONG bytes = toc->InfoSize * toc->Count;
	BYTE *copy = malloc(bytes ? bytes : 1);
	if (!copy)
		return fail(p, "out of memory");
	memcpy(copy, block, bytes);
	p->event = CreateEventW(NULL, FALSE, FALSE, NULL);
	set_state(p, PROTO_RUNNING); /* support calls may come during the start */
	DWORD st = p->routing.rc.pfnStartProtocol(p->event, &host.support, copy, host.global->Version,
						   toc->InfoSize, toc->Count);
	free(copy);
	if (st != NO_ERROR)
		return fail(p, "StartProtocol returned %lu", st);
	host_log("protocol %s (0x%08lx) started from %s", p->name, p->id, p->dll);
	return TRUE;
}

void proto_load_all(void)
{
	for (unsigned k = 0; k < host.nprotos; k++) {
		host_proto *p = &host.protos[k];
		if (proto_register(p) && proto_start(p))
			proto_add_interfaces(p);
	}
}

static BOOL iface_bound(const host_iface *i)
{
	return i->naddr > 0 && i->type == PERMANENT;
}

void proto_add_interfaces(host_proto *p)
{
	BYTE binding_buf[SIZEOF_IP_BINDING(HOST_MAX_ADDRESSES)];
	PIP_ADAPTER_BINDING_INFO binding = (PIP_ADAPTER_BINDING_INFO)binding_buf;
	for (unsigned k = 0; k < host.nifaces && p->state == PROTO_RUNNING; k++) {
		host_iface *i = &host.ifaces[k];
		PRTR_TOC_ENTRY toc = NULL;
		BYTE *block = ib_find(i->info, p->id, &toc);
		BOOL all = p->routing.rc.fSupportedFunctionality & RF_ADD_ALL_INTERFACES;
		if (block && toc->InfoSize * toc->Count == 0)
			continue; /* zero-length: "not on this interface" */
		if (!block && !all)
			continue;
		DWORD st = p->routing.rc.pfnAddInterface(i->wname, i->index, i->type, 0, 0, 0, block,
							  block ? i->info->Version : 0, block ? toc->InfoSize : 0,
							  block ? toc->Count : 0);
		if (st != NO_ERROR) {
			host_log("protocol %s: AddInterface %lu (%s) returned %lu", p->name, i->index, i->name, st);
			continue;
		}
		p->on_iface[k] = TRUE;
		if (i->enabled)
			p->routing.rc.pfnInterfaceStatus(i->index, iface_bound(i), RIS_INTERFACE_ENABLED, NULL);
		if (iface_bound(i)) {
			memset(binding_buf, 0, sizeof(binding_buf));
			binding->AddressCount = i->naddr;
			memcpy(binding->Address, i->addr, i->naddr * sizeof(IP_LOCAL_BINDING));
			p->routing.rc.pfnInterfaceStatus(i->index, TRUE, RIS_INTERFACE_ADDRESS_CHANGE, binding);
		}
	}
}

void proto_start_complete_all(void)
{
	for (unsigned k = 0; k < host.nprotos; k++) {
		host_proto *p = &host.protos[k];
		if (p->state == PROTO_RUNNING && p->routing.rc.pfnStartComplete)
			p->routing.rc.pfnStartComplete();
	}
}

/* GetGlobalInfo / GetInterfaceInfo with the size probe, into a header */
static void save_config(host_proto *p, host_iface *i)
{
	MPR_ROUTING_CHARACTERISTICS *rc = &p->routing.rc;
	ULONG size = 0, version = 0, item = 0, count = 0;
	DWORD st = i ? (rc->pfnGetInterfaceInfo ? rc->pfnGetInterfaceInfo(i->index, NULL, &size, &version, &item,
									    &count)
						 : ERROR_NOT_SUPPORTED)
		     : (rc->pfnGetGlobalInfo ? rc->pfnGetGlobalInfo(NULL, &size, &version, &item, &count)
					     : ERROR_NOT_SUPPORTED);
	BYTE *buf = NULL;
	if (st == ERROR_INSUFFICIENT_BUFFER && (buf = malloc(size ? size : 1)))
		st = i ? rc->pfnGetInterfaceInfo(i->index, buf, &size, &version, &item, &count)
		       : rc->pfnGetGlobalInfo(buf, &size, &version, &item, &count);
	if (st == NO_ERROR) {
		if ((ULONGLONG)item * count != size)
			item = size, count = 1;
		ib_set(i ? &i->info : &host.global, p->id, item, count, buf);
		host_log("protocol %s: saved its %s configuration (%lu bytes)", p->name, i ? i->name : "global", size);
	} else {
		host_log("protocol %s: fetching its configuration failed: %lu", p->name, st);
	}
	free(buf);
}

static host_iface *iface_by_index(ULONG index)
{
	for (unsigned k = 0; k < host.nifaces; k++)
		if (host.ifaces[k].index == index)
			return &host.ifaces[k];
	return NULL;
}

static void unload(host_proto *p)
{
	while (InterlockedCompareExchange(&p->in_support, 0, 0))
		Sleep(1);
	CloseHandle(p->event);
	p->event = NULL;
	FreeLibrary(p->module);
	p->module = NULL;
	set_state(p, PROTO_STOPPED);
	host_log("protocol %s stopped and unloaded", p->name);
}

void proto_service_event(host_proto *p)
{
	ROUTING_PROTOCOL_EVENTS event;
	MESSAGE message;
	while (p->module && p->routing.rc.pfnGetEventMessage(&event, &message) == NO_ERROR) {
		p->messages++;
		switch (event) {
		case SAVE_GLOBAL_CONFIG_INFO:
			save_config(p, NULL);
			break;
		case SAVE_INTERFACE_CONFIG_INFO:
			if (iface_by_index(message.InterfaceIndex))
				save_config(p, iface_by_index(message.InterfaceIndex));
			break;
		case UPDATE_COMPLETE:
			host_log("protocol %s: update on interface %lu complete, status %lu", p->name,
				 message.UpdateCompleteMessage.InterfaceIndex, message.UpdateCompleteMessage.UpdateStatus);
			break;
		case ROUTER_STOPPED:
			if (p->state == PROTO_STOPPING) {
				unload(p);
				return;
			}
			break;
		default:
			host_log("protocol %s: unknown event %d ignored", p->name, (int)event);
		}
	}
}

DWORD proto_stop(host_proto *p)
{
	if (p->state != PROTO_RUNNING)
		return ERROR_INVALID_STATE;
	set_state(p, PROTO_STOPPING); /* no more administrative calls */
	DWORD st = p->routing.rc.pfnStopProtocol();
	if (st == NO_ERROR) {
		proto_service_event(p); /* a ROUTER_STOPPED found here is ignored */
		unload(p);
	} else if (st == ERROR_PROTOCOL_STOP_PENDING) {
		p->stop_deadline = GetTickCount64() + HOST_STOP_TIMEOUT_MS;
		host_log("protocol %s is stopping", p->name);
	} else {
		snprintf(p->failure, sizeof(p->failure), "StopProtocol returned %lu; left loaded", st);
		host_log("protocol %s: %s", p->name, p->failure);
		set_state(p, PROTO_STUCK);
	}
	return st;
}

void proto_check_stuck(void)
{
	for (unsigned k = 0; k < host.nprotos; k++) {
		host_proto *p = &host.protos[k];
		if (p->state == PROTO_STOPPING && GetTickCount64() > p->stop_deadline) {
			snprintf(p->failure, sizeof(p->failure), "no ROUTER_STOPPED within %u s; left loaded",
				 HOST_STOP_TIMEOUT_MS / 1000);
			host_log("protocol %s: %s", p->name, p->failure);
			set_state(p, PROTO_STUCK);
		}
	}
}

host_proto *proto_by_name(const char *name)
{
	for (unsigned k = 0; k < host.nprotos; k++)
		if (!strcmp(host.protos[k].name, name))
			return &host.protos[k];
	return NULL;
}

host_proto *proto_by_id(DWORD id)
{
	for (unsigned k = 0; k < host.nprotos; k++)
		if (host.protos[k].id == id)
			return &host.protos[k];
	return NULL;
}

const char *proto_state_name(host_proto_state s)
{
	static const char *names[] = { "configured", "failed", "running", "stopping", "stopped", "stuck" };
	return names[s];
}

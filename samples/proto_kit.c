/*
 * proto_kit.c - the message FIFO, registration and interface-state
 * helpers, the RTM batch loops, configuration-block helpers, address
 * printing, logging and self-referencing worker threads of the sample
 * protocol DLLs, and of rtmhost, which links it too (see proto_kit.h).
 */
#include "proto_kit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void kit_queue_init(kit_queue *q)
{
	memset(q, 0, sizeof(*q));
	InitializeCriticalSection(&q->lock);
}

void kit_queue_close(kit_queue *q)
{
	DeleteCriticalSection(&q->lock);
}

void kit_queue_open(kit_queue *q, HANDLE event)
{
	EnterCriticalSection(&q->lock);
	q->head = q->count = 0;
	q->event = event;
	LeaveCriticalSection(&q->lock);
}

BOOL kit_queue_post(kit_queue *q, ROUTING_PROTOCOL_EVENTS event, const MESSAGE *message)
{
	BOOL queued = FALSE;
	EnterCriticalSection(&q->lock);
	if (q->count < KIT_QUEUE_MAX) {
		unsigned slot = (q->head + q->count) % KIT_QUEUE_MAX;
		q->events[slot] = event;
		if (message)
			q->messages[slot] = *message;
		else
			memset(&q->messages[slot], 0, sizeof(MESSAGE));
		q->count++;
		queued = TRUE;
	}
	HANDLE signal = q->event;
	LeaveCriticalSection(&q->lock);
	if (queued && signal)
		SetEvent(signal);
	return queued;
}

DWORD kit_queue_get(kit_queue *q, ROUTING_PROTOCOL_EVENTS *event, MESSAGE *result)
{
	if (!event)
		return ERROR_INVALID_PARAMETER;
	DWORD status = ERROR_NO_MORE_ITEMS;
	EnterCriticalSection(&q->lock);
	if (q->count) {
		*event = q->events[q->head];
		if (result)
			*result = q->messages[q->head];
		q->head = (q->head + 1) % KIT_QUEUE_MAX;
		q->count--;
		status = NO_ERROR;
	}
	LeaveCriticalSection(&q->lock);
	return status;
}

BOOL kit_register(PMPR_ROUTING_CHARACTERISTICS rc, PMPR_SERVICE_CHARACTERISTICS sc, DWORD protocol_id,
		  DWORD functionality)
{
	if (!rc || !sc || rc->dwProtocolId != protocol_id || rc->dwVersion < MS_ROUTER_VERSION)
		return FALSE;
	rc->dwVersion = MS_ROUTER_VERSION;
	rc->fSupportedFunctionality &= functionality;
	memset(&rc->pfnStartProtocol, 0, sizeof(*rc) - FIELD_OFFSET(MPR_ROUTING_CHARACTERISTICS, pfnStartProtocol));
	sc->fSupportedFunctionality = 0;
	return TRUE;
}

BOOL kit_dll_main(DWORD reason, CRITICAL_SECTION *lock, kit_queue *queue)
{
	if (reason == DLL_PROCESS_ATTACH) {
		InitializeCriticalSection(lock);
		kit_queue_init(queue);
	} else if (reason == DLL_PROCESS_DETACH) {
		kit_queue_close(queue);
		DeleteCriticalSection(lock);
	}
	return TRUE;
}

void kit_iface_status(BOOL *enabled, BOOL *bound, DWORD *address, WINBOOL active, DWORD type, PVOID status)
{
	const IP_ADAPTER_BINDING_INFO *b = status;
	if (type == RIS_INTERFACE_ENABLED)
		*enabled = TRUE;
	else if (type == RIS_INTERFACE_DISABLED)
		*enabled = FALSE;
	else if (type == RIS_INTERFACE_ADDRESS_CHANGE) {
		*bound = active && b && b->AddressCount > 0;
		*address = *bound ? b->Address[0].Address : 0;
	}
}

void kit_walk_routes(RTM_ENTITY_HANDLE reg, const RTM_REGN_PROFILE *profile, RTM_ENUM_HANDLE e, kit_route_fn fn,
		     void *ctx)
{
	RTM_ROUTE_HANDLE *h = malloc(profile->MaxHandlesInEnum * sizeof(*h));
	DWORD st = h ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY;
	while (st == NO_ERROR) {
		UINT n = profile->MaxHandlesInEnum;
		st = RtmGetEnumRoutes(reg, e, &n, h);
		for (UINT k = 0; k < n; k++)
			if (!fn(reg, h[k], ctx))
				RtmReleaseRoutes(reg, 1, &h[k]);
		if (!n)
			break;
	}
	free(h);
}

void kit_walk_dests(RTM_ENTITY_HANDLE reg, const RTM_REGN_PROFILE *profile, RTM_ENUM_HANDLE e,
		    RTM_NOTIFY_HANDLE changes, kit_dest_fn fn, void *ctx)
{
	UINT stride = RTM_SIZE_OF_DEST_INFO(profile->NumberOfViews);
	BYTE *buf = malloc((size_t)stride * profile->MaxHandlesInEnum);
	DWORD st = buf ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY;
	while (st == NO_ERROR) {
		UINT n = profile->MaxHandlesInEnum;
		st = changes ? RtmGetChangedDests(reg, changes, &n, (PRTM_DEST_INFO)buf)
			     : RtmGetEnumDests(reg, e, &n, (PRTM_DEST_INFO)buf);
		if (st != NO_ERROR && st != ERROR_NO_MORE_ITEMS)
			break;
		for (UINT k = 0; k < n; k++)
			fn(reg, (PRTM_DEST_INFO)(buf + (size_t)k * stride), ctx);
		if (changes)
			RtmReleaseChangedDests(reg, changes, n, (PRTM_DEST_INFO)buf);
		else
			RtmReleaseDests(reg, n, (PRTM_DEST_INFO)buf);
		if (!n)
			break;
	}
	free(buf);
}

ULONG kit_info_size(const void *info, ULONG size, ULONG count)
{
	if (!info || !size || !count || size > 0x01000000 || count > 0x100)
		return 0;
	return size * count;
}

DWORD kit_get_info(const void *data, ULONG bytes, PVOID buffer, PULONG buffer_size, PULONG version,
		   PULONG size, PULONG count)
{
	if (!buffer_size)
		return ERROR_INVALID_PARAMETER;
	if (bytes && (!buffer || *buffer_size < bytes)) {
		*buffer_size = bytes;
		return ERROR_INSUFFICIENT_BUFFER;
	}
	if (bytes)
		memcpy(buffer, data, bytes);
	*buffer_size = bytes;
	if (version)
		*version = SAMPLE_CONFIG_VERSION;
	if (size)
		*size = bytes;
	if (count)
		*count = 1;
	return NO_ERROR;
}

DWORD kit_mib_out(const void *data, ULONG bytes, PULONG out_size, PVOID out)
{
	if (!out_size)
		return ERROR_INVALID_PARAMETER;
	if (!out || *out_size < bytes) {
		*out_size = bytes;
		return ERROR_INSUFFICIENT_BUFFER;
	}
	memcpy(out, data, bytes);
	*out_size = bytes;
	return NO_ERROR;
}

const char *kit_protocol_name(DWORD protocol_id)
{
	switch (protocol_id) {
	case SAMPLE_PROTO_STATIC:
		return "static";
	case SAMPLE_PROTO_DV:
		return "dv";
	case SAMPLE_PROTO_MONITOR:
		return "monitor";
	default:
		return NULL;
	}
}

char *kit_addr(char *buf, DWORD address)
{
	const unsigned char *b = (const unsigned char *)&address;
	snprintf(buf, 16, "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return buf;
}

char *kit_prefix(char *buf, DWORD address, unsigned len)
{
	kit_addr(buf, address);
	snprintf(buf + strlen(buf), 4, "/%u", len);
	return buf;
}

void kit_net_address(RTM_NET_ADDRESS *out, DWORD address, unsigned len)
{
	memset(out, 0, sizeof(*out));
	out->AddressFamily = AF_INET;
	out->NumBits = (USHORT)len;
	memcpy(out->AddrBits, &address, 4);
}

void kit_from_net_address(const RTM_NET_ADDRESS *in, DWORD *address, unsigned *len)
{
	memcpy(address, in->AddrBits, 4);
	*len = in->NumBits;
}

void kit_vlog(const char *who, const char *format, va_list ap)
{
	char line[600];
	int n = snprintf(line, sizeof(line), "%s: ", who);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, format, ap);
	strcat(line, "\n");
	fputs(line, stdout);
	fflush(stdout);
}

void kit_log(const char *who, const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	kit_vlog(who, format, ap);
	va_end(ap);
}

HANDLE kit_start_thread(LPTHREAD_START_ROUTINE fn, void *arg)
{
	HMODULE self;
	if (!GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS, (LPCSTR)(void *)kit_start_thread,
				&self))
		return NULL;
	HANDLE thread = CreateThread(NULL, 0, fn, arg, 0, NULL);
	if (!thread)
		FreeLibrary(self);
	return thread;
}

void kit_exit_thread(DWORD code)
{
	HMODULE self;
	GetModuleHandleExA(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS | GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
			   (LPCSTR)(void *)kit_exit_thread, &self);
	FreeLibraryAndExitThread(self, code);
}

/*
 * bad_proto.c - routing-protocol DLLs that fail on purpose, one per
 * BAD_MODE_* (wine-tests/CMakeLists.txt builds each):
 *   noentry     exports no RegisterProtocol at all (only a look-alike)
 *   register    RegisterProtocol fills everything, then answers
 *               ERROR_NOT_SUPPORTED
 *   entrypoint  registers without a required entry point (StopProtocol)
 *   start       StartProtocol answers ERROR_CAN_NOT_COMPLETE
 * The host must report each clearly, unload it, and keep the other
 * protocols running (wt_badproto.c).
 */
#include <windows.h>
#include <routprot.h>

static DWORD WINAPI bad_start(HANDLE event, PSUPPORT_FUNCTIONS support, LPVOID info, ULONG version, ULONG size,
			      ULONG count)
{
	(void)event, (void)support, (void)info, (void)version, (void)size, (void)count;
	return ERROR_CAN_NOT_COMPLETE;
}

/* unused in the entrypoint mode, which leaves the slot empty */
static DWORD WINAPI __attribute__((unused)) bad_stop(void)
{
	return NO_ERROR;
}

static DWORD WINAPI bad_get_event(ROUTING_PROTOCOL_EVENTS *event, MESSAGE *result)
{
	(void)event, (void)result;
	return ERROR_NO_MORE_ITEMS;
}

static DWORD WINAPI bad_add_interface(LPWSTR name, ULONG index, NET_INTERFACE_TYPE type, DWORD media, WORD access,
				      WORD connection, PVOID info, ULONG version, ULONG size, ULONG count)
{
	(void)name, (void)index, (void)type, (void)media, (void)access, (void)connection;
	(void)info, (void)version, (void)size, (void)count;
	return ERROR_INVALID_PARAMETER;
}

static DWORD WINAPI bad_delete_interface(ULONG index)
{
	(void)index;
	return ERROR_INVALID_PARAMETER;
}

static DWORD WINAPI bad_interface_status(ULONG index, WINBOOL active, DWORD type, PVOID status)
{
	(void)index, (void)active, (void)type, (void)status;
	return ERROR_INVALID_PARAMETER;
}

#ifdef BAD_MODE_register
#define REGISTER_ANSWER ERROR_NOT_SUPPORTED
#else
#define REGISTER_ANSWER NO_ERROR
#endif
#ifdef BAD_MODE_entrypoint
#define STOP_ENTRY NULL
#else
#define STOP_ENTRY bad_stop
#endif

#ifdef BAD_MODE_noentry
__declspec(dllexport) DWORD WINAPI RegisterProtocolNot(PMPR_ROUTING_CHARACTERISTICS rc,
						       PMPR_SERVICE_CHARACTERISTICS sc)
#else
__declspec(dllexport) DWORD WINAPI RegisterProtocol(PMPR_ROUTING_CHARACTERISTICS rc, PMPR_SERVICE_CHARACTERISTICS sc)
#endif
{
	rc->dwVersion = MS_ROUTER_VERSION;
	rc->fSupportedFunctionality = RF_ROUTING;
	rc->pfnStartProtocol = bad_start;
	rc->pfnStopProtocol = STOP_ENTRY;
	rc->pfnGetEventMessage = bad_get_event;
	rc->pfnAddInterface = bad_add_interface;
	rc->pfnDeleteInterface = bad_delete_interface;
	rc->pfnInterfaceStatus = bad_interface_status;
	sc->fSupportedFunctionality = 0;
	return REGISTER_ANSWER;
}

/*
 * dllmain.c - the DLL entry point of rtm.dll.
 *
 * Process attach only turns off the per-thread notifications, which RTM has
 * no use for.  Nothing else happens here: DllMain runs under the loader
 * lock, so tables, threads and timers are created on first use by the API
 * functions themselves, never at load time.
 */
#include "platform/win_types.h"

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
	(void)reserved;
	if (reason == DLL_PROCESS_ATTACH)
		DisableThreadLibraryCalls(instance);
	return TRUE;
}

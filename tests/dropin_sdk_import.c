/*
 * dropin_sdk_import.c - a client built the SDK way runs against our DLL.
 *
 * Built for Windows only, against mingw-w64's own <rtmv2.h>, and linked
 * with an import library like any legacy client: on x86_64 with mingw-w64's
 * own librtm.a from the toolchain (not ours), on i686 with ours, because
 * mingw-w64's 32-bit librtm.a has no RTMv2 symbols.  The loader must then
 * bind the imports to our rtm.dll, found beside the program.
 *
 * The checks: the program started at all (the loader resolved every
 * import), the rtm.dll in the process is the one in our folder, each import
 * slot points at the function our DLL exports under that name, and a few
 * calls with a NULL handle come back with an error code.  The values of the
 * error codes are not checked: the functions are being written.
 */
#include <string.h>

#include "test.h"

#ifndef RTM_IMPORT_LIBRARY
#define RTM_IMPORT_LIBRARY "?"
#endif

/* The import slots the linker filled from the import library. */
#ifdef __i386__
#define IMP(sym, n) __asm__("__imp__" #sym "@" #n)
#else
#define IMP(sym, n) __asm__("__imp_" #sym)
#endif
extern void *imp_deregister IMP(RtmDeregisterEntity, 4);
extern void *imp_register IMP(RtmRegisterEntity, 24);
extern void *imp_create_dest_enum IMP(RtmCreateDestEnum, 24);
extern void *imp_exact_route IMP(RtmGetExactMatchRoute, 28);

static void dir_of(char *path)
{
	char *slash = strrchr(path, '\\');
	if (slash)
		*slash = 0;
}

static void test_loaded_ours(HMODULE rtm)
{
	char dll_path[MAX_PATH], exe_path[MAX_PATH];

	ok(GetModuleFileNameA(rtm, dll_path, sizeof(dll_path)) > 0, "GetModuleFileName(rtm)\n");
	ok(GetModuleFileNameA(NULL, exe_path, sizeof(exe_path)) > 0, "GetModuleFileName(exe)\n");
	dir_of(dll_path);
	dir_of(exe_path);
	ok(_stricmp(dll_path, exe_path) == 0, "rtm.dll loaded from %s, not from %s\n", dll_path,
	   exe_path);
}

static void test_imports_bound(HMODULE rtm)
{
	ok(imp_deregister == (void *)GetProcAddress(rtm, "RtmDeregisterEntity"),
	   "RtmDeregisterEntity bound to %p\n", imp_deregister);
	ok(imp_register == (void *)GetProcAddress(rtm, "RtmRegisterEntity"),
	   "RtmRegisterEntity bound to %p\n", imp_register);
	ok(imp_create_dest_enum == (void *)GetProcAddress(rtm, "RtmCreateDestEnum"),
	   "RtmCreateDestEnum bound to %p\n", imp_create_dest_enum);
	ok(imp_exact_route == (void *)GetProcAddress(rtm, "RtmGetExactMatchRoute"),
	   "RtmGetExactMatchRoute bound to %p\n", imp_exact_route);
}

static void test_calls(void)
{
	RTM_ENUM_HANDLE enum_handle = NULL;
	DWORD ret;

	ret = RtmRegisterEntity(NULL, NULL, NULL, FALSE, NULL, NULL);
	ok(ret != NO_ERROR, "RtmRegisterEntity: %lu\n", (unsigned long)ret);
	ret = RtmDeregisterEntity(NULL);
	ok(ret != NO_ERROR, "RtmDeregisterEntity: %lu\n", (unsigned long)ret);
	ret = RtmCreateDestEnum(NULL, RTM_VIEW_MASK_ANY, RTM_ENUM_START, NULL, RTM_BEST_PROTOCOL,
				&enum_handle);
	ok(ret != NO_ERROR, "RtmCreateDestEnum: %lu\n", (unsigned long)ret);
	ret = RtmGetExactMatchRoute(NULL, NULL, RTM_MATCH_NONE, NULL, 0, RTM_VIEW_MASK_ANY, NULL);
	ok(ret != NO_ERROR, "RtmGetExactMatchRoute: %lu\n", (unsigned long)ret);
}

int main(void)
{
	HMODULE rtm = GetModuleHandleA("rtm.dll");

	printf("linked with %s\n", RTM_IMPORT_LIBRARY);
	ok(rtm != NULL, "rtm.dll is not loaded\n");
	if (rtm) {
		test_loaded_ours(rtm);
		test_imports_bound(rtm);
	}
	test_calls();
	return test_finish();
}

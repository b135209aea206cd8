/*
 * dropin_getprocaddress.c - every export, found by name and called through
 * the SDK's prototype, leaves the stack as it found it.
 *
 * Built for Windows only, against mingw-w64's own <rtmv2.h> (our include/
 * is not on this program's path) and without any import library: the DLL
 * is loaded with LoadLibrary and each of the 59 RTMv2 exports is resolved
 * with GetProcAddress by its undecorated name, as a legacy program or a
 * router manager does.
 *
 * Each function is then called, through a pointer of its SDK prototype
 * type, with harmless arguments: NULL pointers and a NULL (first round) or
 * garbage (second round) handle.  Whatever the function does with them, it
 * must return a non-zero error code (ERROR_INVALID_HANDLE or
 * ERROR_INVALID_PARAMETER) and, on i686, pop exactly its own arguments: a function
 * built with the wrong calling convention or argument count shows up as a
 * moved stack pointer, read before and after each call.
 *
 * The reading is only trustworthy if the compiler keeps its locals on an
 * EBP frame (CMake builds this file with -fno-omit-frame-pointer) and does
 * not move ESP between the two reads other than by the call itself; the
 * self-test at the start checks that with a correct and a deliberately
 * wrong callee.
 */
#include <stdint.h>
#include <string.h>

#include "test.h"

/* The two IPv6 helpers are not in mingw-w64's header; their prototypes are
 * those of the spec (rtmv2-functions-2.md §5). */
DWORD WINAPI RtmConvertNetAddressToIpv6AddressAndLength(PRTM_NET_ADDRESS pNetAddress, IN6_ADDR *pAddress,
							DWORD *pLength, DWORD dwAddressSize);
DWORD WINAPI RtmConvertIpv6AddressAndLengthToNetAddress(PRTM_NET_ADDRESS pNetAddress, IN6_ADDR Address,
							DWORD dwLength, DWORD dwAddressSize);

#ifdef __i386__
#define READ_ESP(var) __asm__ __volatile__("movl %%esp, %0" : "=m"(var) : : "memory")
#else
/* x64 has one calling convention and the caller owns the stack: nothing to see. */
#define READ_ESP(var) ((var) = 0)
#endif

static HMODULE dll;
static unsigned resolved, called;

/*
 * CALL(name, args...) - resolve name, call it through __typeof__(&name),
 * check the return value and the stack pointer.
 */
#define CALL(name, ...)                                                                         \
	do {                                                                                    \
		__typeof__(&name) fn_ = (__typeof__(&name))(void *)GetProcAddress(dll, #name);  \
		ok(fn_ != NULL, "%s: not exported\n", #name);                                   \
		if (fn_) {                                                                      \
			uintptr_t before_, after_;                                              \
			DWORD ret_;                                                             \
			resolved++;                                                             \
			READ_ESP(before_);                                                      \
			ret_ = fn_(__VA_ARGS__);                                                \
			READ_ESP(after_);                                                       \
			called++;                                                               \
			ok(before_ == after_, "%s: stack pointer moved by %ld bytes\n", #name,  \
			   (long)(after_ - before_));                                           \
			ok(ret_ != NO_ERROR, "%s: returned %lu for a bad handle\n", #name,      \
			   (unsigned long)ret_);                                                \
		}                                                                               \
	} while (0)

/* ---- self-test of the stack check (i686) ---- */

static DWORD WINAPI right_callee(void *a, void *b)
{
	return a == b;
}

static DWORD __cdecl wrong_callee(void *a, void *b)
{
	return a == b;
}

typedef DWORD(WINAPI *two_args_fn)(void *, void *);

static void test_checker(void)
{
#ifdef __i386__
	/* volatile: the compiler must not see through the pointers and inline */
	two_args_fn volatile right = right_callee;
	two_args_fn volatile wrong = (two_args_fn)(void *)wrong_callee;
	uintptr_t before, after;

	READ_ESP(before);
	right(NULL, NULL);
	READ_ESP(after);
	ok(after == before, "checker: stdcall callee moved the stack by %ld\n", (long)(after - before));

	READ_ESP(before);
	wrong(NULL, NULL); /* a cdecl callee leaves its 8 bytes of arguments */
	READ_ESP(after);
	ok(before - after == 8, "checker: cdecl callee seen as %ld, expected -8\n",
	   (long)(after - before));
#endif
}

/* ---- the 59 exports ---- */

static void call_all(HANDLE h)
{
	IN6_ADDR zero6;
	memset(&zero6, 0, sizeof(zero6));

	/* registration, entities, methods */
	CALL(RtmRegisterEntity, NULL, NULL, NULL, FALSE, NULL, NULL);
	CALL(RtmDeregisterEntity, h);
	CALL(RtmGetRegisteredEntities, h, NULL, NULL, NULL);
	CALL(RtmReleaseEntities, h, 0, NULL);
	CALL(RtmLockDestination, h, h, FALSE, FALSE);
	CALL(RtmGetOpaqueInformationPointer, h, h, NULL);
	CALL(RtmGetEntityMethods, h, h, NULL, NULL);
	CALL(RtmInvokeMethod, h, h, NULL, NULL, NULL);
	CALL(RtmBlockMethods, h, h, 0, 0);
	/* information */
	CALL(RtmGetEntityInfo, h, h, NULL);
	CALL(RtmGetDestInfo, h, h, 0, 0, NULL);
	CALL(RtmGetRouteInfo, h, h, NULL, NULL);
	CALL(RtmGetNextHopInfo, h, h, NULL);
	CALL(RtmReleaseEntityInfo, h, NULL);
	CALL(RtmReleaseDestInfo, h, NULL);
	CALL(RtmReleaseRouteInfo, h, NULL);
	CALL(RtmReleaseNextHopInfo, h, NULL);
	/* routes */
	CALL(RtmAddRouteToDest, h, NULL, NULL, NULL, 0, h, 0, h, NULL);
	CALL(RtmDeleteRouteToDest, h, h, NULL);
	CALL(RtmHoldDestination, h, h, 0, 0);
	CALL(RtmGetRoutePointer, h, h, NULL);
	CALL(RtmLockRoute, h, h, FALSE, FALSE, NULL);
	CALL(RtmUpdateAndUnlockRoute, h, h, 0, h, 0, h, NULL);
	/* lookups */
	CALL(RtmGetExactMatchDestination, h, NULL, 0, 0, NULL);
	CALL(RtmGetMostSpecificDestination, h, NULL, 0, 0, NULL);
	CALL(RtmGetLessSpecificDestination, h, h, 0, 0, NULL);
	CALL(RtmGetExactMatchRoute, h, NULL, 0, NULL, 0, 0, NULL);
	CALL(RtmIsBestRoute, h, h, NULL);
	/* next hops */
	CALL(RtmAddNextHop, h, NULL, NULL, NULL);
	CALL(RtmFindNextHop, h, NULL, NULL, NULL);
	CALL(RtmDeleteNextHop, h, h, NULL);
	CALL(RtmGetNextHopPointer, h, h, NULL);
	CALL(RtmLockNextHop, h, h, FALSE, FALSE, NULL);
	/* enumerations */
	CALL(RtmCreateDestEnum, h, 0, 0, NULL, 0, NULL);
	CALL(RtmGetEnumDests, h, h, NULL, NULL);
	CALL(RtmReleaseDests, h, 0, NULL);
	CALL(RtmCreateRouteEnum, h, h, 0, 0, NULL, 0, NULL, 0, NULL);
	CALL(RtmGetEnumRoutes, h, h, NULL, NULL);
	CALL(RtmReleaseRoutes, h, 0, NULL);
	CALL(RtmCreateNextHopEnum, h, 0, NULL, NULL);
	CALL(RtmGetEnumNextHops, h, h, NULL, NULL);
	CALL(RtmReleaseNextHops, h, 0, NULL);
	CALL(RtmDeleteEnumHandle, h, h);
	/* change notification */
	CALL(RtmRegisterForChangeNotification, h, 0, 0, NULL, NULL);
	CALL(RtmGetChangedDests, h, h, NULL, NULL);
	CALL(RtmReleaseChangedDests, h, h, 0, NULL);
	CALL(RtmIgnoreChangedDests, h, h, 0, NULL);
	CALL(RtmGetChangeStatus, h, h, h, NULL);
	CALL(RtmMarkDestForChangeNotification, h, h, h, FALSE);
	CALL(RtmIsMarkedForChangeNotification, h, h, h, NULL);
	CALL(RtmDeregisterFromChangeNotification, h, h);
	/* route lists */
	CALL(RtmCreateRouteList, h, NULL);
	CALL(RtmInsertInRouteList, h, h, 0, NULL);
	CALL(RtmCreateRouteListEnum, h, h, NULL);
	CALL(RtmGetListEnumRoutes, h, h, NULL, NULL);
	CALL(RtmDeleteRouteList, h, h);
	/* handles */
	CALL(RtmReferenceHandles, h, 0, NULL);
	/* IPv6 helpers: NULL output address */
	CALL(RtmConvertNetAddressToIpv6AddressAndLength, NULL, NULL, NULL, 16);
	CALL(RtmConvertIpv6AddressAndLengthToNetAddress, NULL, zero6, 0, 16);
}

int main(void)
{
	test_checker();

	dll = LoadLibraryA("rtm.dll");
	ok(dll != NULL, "LoadLibrary(rtm.dll): error %lu\n", (unsigned long)GetLastError());
	if (!dll)
		return test_finish();

	/* Exported undecorated only, on i686 too. */
	ok(GetProcAddress(dll, "RtmRegisterEntity@24") == NULL, "decorated name exported\n");
	ok(GetProcAddress(dll, "_RtmRegisterEntity@24") == NULL, "decorated name exported\n");

	call_all(NULL);
	expect_eq(resolved, 59);
	call_all((HANDLE)(ULONG_PTR)0xBAD0BAD0u);
	expect_eq(called, 2 * 59);

	FreeLibrary(dll);
	return test_finish();
}

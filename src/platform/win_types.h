/*
 * win_types.h - the Win32 vocabulary the RTM core is written in.
 *
 * On Windows (MinGW-w64) this is simply <winsock2.h> + <windows.h>.  On the
 * native Linux host build (used for sanitizers, fuzzing and valgrind, which do
 * not work inside Wine) it is a tiny shim: just the types, constants and error
 * codes that rtmv2.h and our core use, with the Windows values.  Keep it small:
 * anything the core needs from the OS goes through platform/sync.h instead.
 */
#ifndef RTM_PLATFORM_WIN_TYPES_H
#define RTM_PLATFORM_WIN_TYPES_H

#ifdef _WIN32
#include <winsock2.h>
#include <ws2tcpip.h> /* IN6_ADDR, for the IPv6 helpers of rtmv2.h */
#include <windows.h>
#else

#include <stddef.h>
#include <stdint.h>
#include <arpa/inet.h> /* htonl, ntohl, AF_INET, struct in6_addr */

#define WINAPI
#define VOID void
typedef void *PVOID, *LPVOID, *HANDLE;
typedef unsigned char UCHAR, BYTE, *PUCHAR;
typedef unsigned short USHORT, WORD, *PUSHORT;
typedef int INT, *PINT;
typedef unsigned int UINT, *PUINT;
/* Win32 LONG/ULONG/DWORD are 32 bits on every Windows ABI, also LP64 Linux. */
typedef int32_t LONG;
typedef uint32_t ULONG, DWORD, *PULONG, *PDWORD;
typedef int BOOL, WINBOOL, *PBOOL;
typedef uint64_t ULONGLONG;
typedef uintptr_t ULONG_PTR;

/* glibc's struct in6_addr is 16 bytes of address, like Windows' IN6_ADDR. */
typedef struct in6_addr IN6_ADDR, *PIN6_ADDR;

typedef struct _FILETIME {
	DWORD dwLowDateTime;
	DWORD dwHighDateTime;
} FILETIME, *PFILETIME;

#ifndef TRUE
#define TRUE 1
#define FALSE 0
#endif

#define __C89_NAMELESS __extension__
#define FIELD_OFFSET(type, field) ((LONG)offsetof(type, field))
#define INFINITE 0xFFFFFFFFu

/* Windows' values: a host build must not use Linux's AF_INET6 (10). */
#undef AF_INET6
#define AF_INET6 23

#define NO_ERROR 0L
#define ERROR_SUCCESS 0L
#define ERROR_FILE_NOT_FOUND 2L
#define ERROR_ACCESS_DENIED 5L
#define ERROR_INVALID_HANDLE 6L
#define ERROR_NOT_ENOUGH_MEMORY 8L
#define ERROR_INVALID_DATA 13L
#define ERROR_NOT_SUPPORTED 50L
#define ERROR_INVALID_PARAMETER 87L
#define ERROR_INSUFFICIENT_BUFFER 122L
#define ERROR_ALREADY_EXISTS 183L
#define ERROR_NO_MORE_ITEMS 259L
#define ERROR_CAN_NOT_COMPLETE 1003L
#define ERROR_NOT_FOUND 1168L
#define ERROR_NO_SYSTEM_RESOURCES 1450L
#define ERROR_BAD_CONFIGURATION 1610L

#endif /* _WIN32 */
#endif

/*
 * stubs_pending.c - placeholders for the RTMv2 functions not written yet.
 *
 * Every export named in rtm.def must exist for rtm.dll to link, long before
 * the core implements it.  Each function below just answers
 * ERROR_CALL_NOT_IMPLEMENTED.  When a function is implemented in its own
 * module, delete its block here (each one stands between blank lines); when
 * this file is empty, delete it.
 */
#include "platform/win_types.h"
#include <rtmv2.h>

#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wunused-parameter"
#endif

DWORD WINAPI RtmRegisterForChangeNotification(RTM_ENTITY_HANDLE RtmRegHandle, RTM_VIEW_SET TargetViews, RTM_NOTIFY_FLAGS NotifyFlags, PVOID NotifyContext, PRTM_NOTIFY_HANDLE NotifyHandle)
{ return ERROR_CALL_NOT_IMPLEMENTED; }

DWORD WINAPI RtmGetChangedDests(RTM_ENTITY_HANDLE RtmRegHandle, RTM_NOTIFY_HANDLE NotifyHandle, PUINT NumDests, PRTM_DEST_INFO ChangedDests)
{ return ERROR_CALL_NOT_IMPLEMENTED; }

DWORD WINAPI RtmReleaseChangedDests(RTM_ENTITY_HANDLE RtmRegHandle, RTM_NOTIFY_HANDLE NotifyHandle, UINT NumDests, PRTM_DEST_INFO ChangedDests)
{ return ERROR_CALL_NOT_IMPLEMENTED; }

DWORD WINAPI RtmIgnoreChangedDests(RTM_ENTITY_HANDLE RtmRegHandle, RTM_NOTIFY_HANDLE NotifyHandle, UINT NumDests, PRTM_DEST_HANDLE ChangedDests)
{ return ERROR_CALL_NOT_IMPLEMENTED; }

DWORD WINAPI RtmGetChangeStatus(RTM_ENTITY_HANDLE RtmRegHandle, RTM_NOTIFY_HANDLE NotifyHandle, RTM_DEST_HANDLE DestHandle, PBOOL ChangeStatus)
{ return ERROR_CALL_NOT_IMPLEMENTED; }

DWORD WINAPI RtmMarkDestForChangeNotification(RTM_ENTITY_HANDLE RtmRegHandle, RTM_NOTIFY_HANDLE NotifyHandle, RTM_DEST_HANDLE DestHandle, WINBOOL MarkDest)
{ return ERROR_CALL_NOT_IMPLEMENTED; }

DWORD WINAPI RtmIsMarkedForChangeNotification(RTM_ENTITY_HANDLE RtmRegHandle, RTM_NOTIFY_HANDLE NotifyHandle, RTM_DEST_HANDLE DestHandle, PBOOL DestMarked)
{ return ERROR_CALL_NOT_IMPLEMENTED; }

DWORD WINAPI RtmDeregisterFromChangeNotification(RTM_ENTITY_HANDLE RtmRegHandle, RTM_NOTIFY_HANDLE NotifyHandle)
{ return ERROR_CALL_NOT_IMPLEMENTED; }

DWORD WINAPI RtmCreateRouteList(RTM_ENTITY_HANDLE RtmRegHandle, PRTM_ROUTE_LIST_HANDLE RouteListHandle)
{ return ERROR_CALL_NOT_IMPLEMENTED; }

DWORD WINAPI RtmInsertInRouteList(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ROUTE_LIST_HANDLE RouteListHandle, UINT NumRoutes, PRTM_ROUTE_HANDLE RouteHandles)
{ return ERROR_CALL_NOT_IMPLEMENTED; }

DWORD WINAPI RtmCreateRouteListEnum(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ROUTE_LIST_HANDLE RouteListHandle, PRTM_ENUM_HANDLE RtmEnumHandle)
{ return ERROR_CALL_NOT_IMPLEMENTED; }

DWORD WINAPI RtmGetListEnumRoutes(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ENUM_HANDLE EnumHandle, PUINT NumRoutes, PRTM_ROUTE_HANDLE RouteHandles)
{ return ERROR_CALL_NOT_IMPLEMENTED; }

DWORD WINAPI RtmDeleteRouteList(RTM_ENTITY_HANDLE RtmRegHandle, RTM_ROUTE_LIST_HANDLE RouteListHandle)
{ return ERROR_CALL_NOT_IMPLEMENTED; }

DWORD WINAPI RtmConvertNetAddressToIpv6AddressAndLength(PRTM_NET_ADDRESS pNetAddress, struct in6_addr *pAddress, DWORD *pLength, DWORD dwAddressSize)
{ return ERROR_CALL_NOT_IMPLEMENTED; }

DWORD WINAPI RtmConvertIpv6AddressAndLengthToNetAddress(PRTM_NET_ADDRESS pNetAddress, struct in6_addr Address, DWORD dwLength, DWORD dwAddressSize)
{ return ERROR_CALL_NOT_IMPLEMENTED; }

/*
 * ipv6.c - the two IPv6 address helpers (spec functions-2 §5).  Pure
 * conversions: no registration, no lock.  Bits beyond the length are copied
 * as given, like the IPv4 macros do.
 */
#include "platform/win_types.h"
#include <rtmv2.h>

#include <string.h>

static int address_size_ok(DWORD bits, DWORD size)
{
	return size >= 1 && size <= RTM_MAX_ADDRESS_SIZE && bits <= 8 * size;
}

DWORD WINAPI RtmConvertNetAddressToIpv6AddressAndLength(PRTM_NET_ADDRESS pNetAddress, struct in6_addr *pAddress,
							DWORD *pLength, DWORD dwAddressSize)
{
	if (!pNetAddress || !pAddress || !pLength || !address_size_ok(pNetAddress->NumBits, dwAddressSize))
		return ERROR_INVALID_PARAMETER;
	unsigned char bytes[16] = { 0 };
	memcpy(bytes, pNetAddress->AddrBits, dwAddressSize);
	memcpy(pAddress, bytes, sizeof(bytes));
	*pLength = pNetAddress->NumBits;
	return NO_ERROR;
}

DWORD WINAPI RtmConvertIpv6AddressAndLengthToNetAddress(PRTM_NET_ADDRESS pNetAddress, struct in6_addr Address,
							DWORD dwLength, DWORD dwAddressSize)
{
	if (!pNetAddress || !address_size_ok(dwLength, dwAddressSize))
		return ERROR_INVALID_PARAMETER;
	pNetAddress->AddressFamily = AF_INET6;
	pNetAddress->NumBits = (USHORT)dwLength;
	memset(pNetAddress->AddrBits, 0, sizeof(pNetAddress->AddrBits));
	memcpy(pNetAddress->AddrBits, &Address, dwAddressSize);
	return NO_ERROR;
}

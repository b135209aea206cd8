/*
 * host_parse.c - reading and printing the words of the configuration and
 * of control commands: IPv4 addresses and prefixes (network byte order,
 * as everywhere in the routing APIs) and unsigned numbers (decimal or 0x).
 * Printing them back is proto_kit's kit_addr and kit_prefix.
 */
#include "host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

BOOL parse_ulong(const char *text, DWORD *value)
{
	char *end;
	if (!text || !*text || *text == '-')
		return FALSE;
	unsigned long long v = strtoull(text, &end, 0);
	if (*end || v > 0xFFFFFFFFull)
		return FALSE;
	*value = (DWORD)v;
	return TRUE;
}

BOOL parse_addr(const char *text, DWORD *address)
{
	unsigned b[4];
	char tail;
	if (!text || sscanf(text, "%u.%u.%u.%u%c", &b[0], &b[1], &b[2], &b[3], &tail) != 4)
		return FALSE;
	for (int i = 0; i < 4; i++)
		if (b[i] > 255)
			return FALSE;
	*address = htonl(b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]);
	return TRUE;
}

BOOL parse_prefix(const char *text, DWORD *address, unsigned *len)
{
	char copy[40];
	if (!text || strlen(text) >= sizeof(copy))
		return FALSE;
	strcpy(copy, text);
	char *slash = strchr(copy, '/');
	DWORD l = 32;
	if (slash) {
		*slash = 0;
		if (!parse_ulong(slash + 1, &l) || l > 32)
			return FALSE;
	}
	if (!parse_addr(copy, address))
		return FALSE;
	*len = l;
	*address &= RTM_IPV4_MASK_FROM_LEN(l);
	return TRUE;
}

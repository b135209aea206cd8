/*
 * dv_wire.c - the dv packet format, one UDP datagram per packet.
 *
 *   0      4       5       6        8          12
 *   +------+-------+-------+--------+----------+
 *   | "DVR1" | ver 1 | command | count | sender |   header, 12 bytes
 *   +------+-------+-------+--------+----------+
 *   | dest (4) | len (1) | 0 0 0 | metric (4) |   count entries, 12 bytes each
 *
 * Multi-byte fields are big-endian.  `sender` is the sending router's
 * address on the link: the receiver identifies the neighbour by it (not by
 * the datagram's source address, which a loopback test bed cannot make
 * distinct) and checks it against the configured neighbours.  A REQUEST
 * carries no entries and asks for a full update at once; a RESPONSE
 * carries routes, metric SAMPLE_DV_INFINITY meaning unreachable.
 */
#include "dv.h"

#include <string.h>

static const BYTE magic[4] = { 'D', 'V', 'R', '1' };

static void put32(BYTE *p, DWORD v)
{
	p[0] = (BYTE)(v >> 24), p[1] = (BYTE)(v >> 16), p[2] = (BYTE)(v >> 8), p[3] = (BYTE)v;
}

static DWORD get32(const BYTE *p)
{
	return (DWORD)p[0] << 24 | (DWORD)p[1] << 16 | (DWORD)p[2] << 8 | p[3];
}

int dv_wire_encode(const dv_packet *p, BYTE *out)
{
	memcpy(out, magic, 4);
	out[4] = 1;
	out[5] = p->command;
	out[6] = (BYTE)(p->count >> 8), out[7] = (BYTE)p->count;
	put32(out + 8, ntohl(p->sender));
	BYTE *e = out + DV_HEADER_SIZE;
	for (unsigned i = 0; i < p->count; i++, e += DV_ENTRY_SIZE) {
		put32(e, ntohl(p->entries[i].dest));
		e[4] = p->entries[i].len;
		e[5] = e[6] = e[7] = 0;
		put32(e + 8, p->entries[i].metric);
	}
	return (int)(e - out);
}

BOOL dv_wire_decode(const BYTE *in, int size, dv_packet *p)
{
	if (size < DV_HEADER_SIZE || memcmp(in, magic, 4) || in[4] != 1)
		return FALSE;
	p->command = in[5];
	p->count = (unsigned)in[6] << 8 | in[7];
	p->sender = htonl(get32(in + 8));
	if (p->command != DV_CMD_REQUEST && p->command != DV_CMD_RESPONSE)
		return FALSE;
	if (p->count > DV_MAX_ENTRIES || size != DV_HEADER_SIZE + (int)p->count * DV_ENTRY_SIZE)
		return FALSE;
	const BYTE *e = in + DV_HEADER_SIZE;
	for (unsigned i = 0; i < p->count; i++, e += DV_ENTRY_SIZE) {
		p->entries[i].dest = htonl(get32(e));
		p->entries[i].len = e[4];
		p->entries[i].metric = get32(e + 8);
		if (e[4] > 32)
			return FALSE;
	}
	return TRUE;
}

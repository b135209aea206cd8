/*
 * host_infoblock.c - information headers (rtinfo.h), the format in which
 * the router manager keeps global and per-interface configuration and
 * hands each protocol its own block.
 *
 * Layout (router-manager spec, section 8): RTR_INFO_BLOCK_HEADER (Version 1,
 * Size of the whole buffer, TocEntriesCount), the table of contents at
 * offset 12, 16 bytes per entry, then the data blocks in TOC order, each at
 * an offset that is a multiple of ALIGN_SIZE from the start of the header,
 * padded with zeros.  A header is never smaller than sizeof(header) (28),
 * even with no entry.  At most one block per type.
 *
 * ib_set rebuilds the whole buffer (the MprInfoBlock* functions also return
 * a new header); headers here hold a handful of blocks, so that is cheap.
 * ib_find checks what GetInfoFromTocEntry does not: the block lies wholly
 * inside Size, without overflow.
 */
#include "host.h"

#include <stdlib.h>
#include <string.h>

#define TOC_OFFSET FIELD_OFFSET(RTR_INFO_BLOCK_HEADER, TocEntry)

static ULONG align8(ULONG n)
{
	return (n + ALIGN_SHIFT) & ALIGN_MASK_LENGTH;
}

PRTR_INFO_BLOCK_HEADER ib_new(void)
{
	PRTR_INFO_BLOCK_HEADER h = calloc(1, sizeof(*h));
	if (h) {
		h->Version = RTR_INFO_BLOCK_VERSION;
		h->Size = sizeof(*h);
	}
	return h;
}

static BOOL entry_ok(PRTR_INFO_BLOCK_HEADER h, const RTR_TOC_ENTRY *t)
{
	ULONGLONG bytes = (ULONGLONG)t->InfoSize * t->Count;
	return t->Offset <= h->Size && bytes <= h->Size - t->Offset;
}

void *ib_find(PRTR_INFO_BLOCK_HEADER h, ULONG type, PRTR_TOC_ENTRY *toc)
{
	if (!h || h->Version != RTR_INFO_BLOCK_VERSION || h->Size < TOC_OFFSET ||
	    h->TocEntriesCount > (h->Size - TOC_OFFSET) / sizeof(RTR_TOC_ENTRY))
		return NULL;
	for (ULONG i = 0; i < h->TocEntriesCount; i++) {
		PRTR_TOC_ENTRY t = &h->TocEntry[i];
		if (t->InfoType == type && entry_ok(h, t)) {
			if (toc)
				*toc = t;
			return (BYTE *)h + t->Offset;
		}
	}
	return NULL;
}

BOOL ib_set(PRTR_INFO_BLOCK_HEADER *header, ULONG type, ULONG size, ULONG count, const void *data)
{
	PRTR_INFO_BLOCK_HEADER old = *header;
	ULONG n = 0, replaced = 0;
	for (ULONG i = 0; old && i < old->TocEntriesCount; i++) {
		n++;
		if (old->TocEntry[i].InfoType == type)
			replaced = 1;
	}
	if (!replaced)
		n++;
	/* total size: header and TOC, then each block aligned */
	ULONG total = align8(TOC_OFFSET + n * sizeof(RTR_TOC_ENTRY));
	for (ULONG i = 0; old && i < old->TocEntriesCount; i++)
		if (old->TocEntry[i].InfoType != type && entry_ok(old, &old->TocEntry[i]))
			total = align8(total + old->TocEntry[i].InfoSize * old->TocEntry[i].Count);
	total += size * count;
	if (total < sizeof(RTR_INFO_BLOCK_HEADER))
		total = sizeof(RTR_INFO_BLOCK_HEADER);
	PRTR_INFO_BLOCK_HEADER h = calloc(1, align8(total));
	if (!h)
		return FALSE;
	h->Version = RTR_INFO_BLOCK_VERSION;
	h->TocEntriesCount = n;
	ULONG at = align8(TOC_OFFSET + n * sizeof(RTR_TOC_ENTRY)), k = 0;
	for (ULONG i = 0; old && i < old->TocEntriesCount; i++) {
		const RTR_TOC_ENTRY *t = &old->TocEntry[i];
		if (t->InfoType == type || !entry_ok(old, t))
			continue;
		h->TocEntry[k] = (RTR_TOC_ENTRY){ t->InfoType, t->InfoSize, t->Count, at };
		memcpy((BYTE *)h + at, (BYTE *)old + t->Offset, t->InfoSize * t->Count);
		at = align8(at + t->InfoSize * t->Count);
		k++;
	}
	h->TocEntry[k] = (RTR_TOC_ENTRY){ type, size, count, at };
	if (size * count != 0)
		memcpy((BYTE *)h + at, data, size * count);
	h->TocEntriesCount = k + 1;
	h->Size = total;
	free(old);
	*header = h;
	return TRUE;
}

/*
 * test_enum_util.h - helpers of the enumeration tests: a brute-force model
 * of prefix order (spec functions-2 §0.4) and drivers that run an
 * enumeration to its end while checking the batch rules of §0.9.
 */
#ifndef RTM_TESTS_TEST_ENUM_UTIL_H
#define RTM_TESTS_TEST_ENUM_UTIL_H

#include "test_thread.h"
#include "test_util.h"

#include <stdint.h>
#include <string.h>

/* the stride of RTM_DEST_INFO arrays: the profile's NumberOfViews (2) */
#define TEST_DEST_STRIDE RTM_SIZE_OF_DEST_INFO(2)
#define TEST_MAX_BATCH 100

typedef struct pfx {
	uint8_t a[16];
	unsigned len;
} pfx;

static inline pfx pfx_make(const uint8_t *bytes, unsigned len)
{
	pfx p;
	memset(&p, 0, sizeof(p));
	p.len = len;
	for (unsigned i = 0; i < 16; i++) {
		unsigned keep = len >= 8 * (i + 1) ? 8 : len > 8 * i ? len - 8 * i : 0;
		p.a[i] = (uint8_t)(bytes[i] & (0xFF00u >> keep));
	}
	return p;
}

static inline pfx pfx_of(const RTM_NET_ADDRESS *n) { return pfx_make(n->AddrBits, n->NumBits); }

static inline RTM_NET_ADDRESS pfx_addr(const pfx *p, USHORT family)
{
	RTM_NET_ADDRESS n;
	memset(&n, 0, sizeof(n));
	n.AddressFamily = family;
	n.NumBits = (USHORT)p->len;
	memcpy(n.AddrBits, p->a, 16);
	return n;
}

/* key order: canonical address as a big-endian integer, then length */
static inline int pfx_cmp(const pfx *x, const pfx *y)
{
	int c = memcmp(x->a, y->a, 16);
	if (c)
		return c;
	return x->len < y->len ? -1 : x->len > y->len;
}

static inline int pfx_eq(const pfx *x, const pfx *y) { return pfx_cmp(x, y) == 0; }

/* inner inside the range of outer (inner at least as long, same first bits) */
static inline int pfx_contains(const pfx *outer, const pfx *inner)
{
	if (inner->len < outer->len)
		return 0;
	pfx cut = pfx_make(inner->a, outer->len);
	return !memcmp(cut.a, outer->a, 16);
}

static inline const char *pfx_str(const pfx *p, int v6, char *buf)
{
	if (!v6)
		sprintf(buf, "%u.%u.%u.%u/%u", p->a[0], p->a[1], p->a[2], p->a[3], p->len);
	else
		sprintf(buf, "%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x:%02x%02x/%u", p->a[0],
			p->a[1], p->a[2], p->a[3], p->a[4], p->a[5], p->a[6], p->a[7], p->a[8], p->a[9], p->a[10],
			p->a[11], p->a[12], p->a[13], p->a[14], p->a[15], p->len);
	return buf;
}

static inline void pfx_sort(pfx *p, unsigned n)
{
	for (unsigned i = 1; i < n; i++) {
		pfx x = p[i];
		unsigned j = i;
		while (j > 0 && pfx_cmp(&p[j - 1], &x) > 0) {
			p[j] = p[j - 1];
			j--;
		}
		p[j] = x;
	}
}

/*
 * model_select - the prefixes of all[] (sorted, distinct) an enumeration with
 * these position flags and address should return, in order.
 */
static inline unsigned model_select(const pfx *all, unsigned n, RTM_ENUM_FLAGS flags, const pfx *from, pfx *out)
{
	unsigned k = 0;
	for (unsigned i = 0; i < n; i++) {
		if (flags & RTM_ENUM_RANGE) {
			if (!pfx_contains(from, &all[i]))
				continue;
		} else if (flags & RTM_ENUM_NEXT) {
			if (pfx_cmp(&all[i], from) < 0)
				continue;
		}
		out[k++] = all[i];
	}
	return k;
}

static inline RTM_DEST_INFO *dest_slot(void *buf, unsigned i)
{
	return (RTM_DEST_INFO *)((char *)buf + (size_t)i * TEST_DEST_STRIDE);
}

/*
 * drain_dests - run enumeration h to its end in batches of `batch`, checking
 * the end-of-data rules; the prefixes go to out[] (at most max), the number
 * returned is the result.  Every batch is released; h is not deleted.
 * check (optional) sees every entry before it is released.
 */
typedef void (*dest_check_fn)(const RTM_DEST_INFO *info, void *ctx);

static inline unsigned drain_dests(RTM_ENTITY_HANDLE reg, RTM_ENUM_HANDLE h, UINT batch, pfx *out, unsigned max,
				   dest_check_fn check, void *ctx)
{
	static char buf[TEST_MAX_BATCH * TEST_DEST_STRIDE];
	unsigned total = 0;
	for (int calls = 0;; calls++) {
		UINT n = batch;
		memset(buf, 0xCC, sizeof(buf));
		DWORD err = RtmGetEnumDests(reg, h, &n, (PRTM_DEST_INFO)buf);
		if (!ok(err == NO_ERROR || err == ERROR_NO_MORE_ITEMS, "RtmGetEnumDests: %lu\n", (unsigned long)err))
			return total;
		if (err == NO_ERROR)
			ok(n == batch, "NO_ERROR with %u of %u\n", n, batch);
		else
			ok(n < batch, "ERROR_NO_MORE_ITEMS with a full batch %u\n", n);
		for (UINT i = 0; i < n; i++) {
			RTM_DEST_INFO *d = dest_slot(buf, i);
			if (check)
				check(d, ctx);
			if (total < max)
				out[total] = pfx_of(&d->DestAddress);
			total++;
		}
		DWORD rel = RtmReleaseDests(reg, n, (PRTM_DEST_INFO)buf);
		ok(rel == NO_ERROR, "RtmReleaseDests: %lu\n", (unsigned long)rel);
		if (err == ERROR_NO_MORE_ITEMS)
			break;
		if (!ok(calls < 1000000, "enumeration does not end\n"))
			break;
	}
	/* the end is final */
	UINT n = batch;
	DWORD err = RtmGetEnumDests(reg, h, &n, (PRTM_DEST_INFO)buf);
	ok(err == ERROR_NO_MORE_ITEMS && n == 0, "after the end: %lu, %u items\n", (unsigned long)err, n);
	return total;
}

/* create, drain and delete a destination enumeration; returns the count, -1 if creation failed */
static inline int enum_dests(RTM_ENTITY_HANDLE reg, RTM_VIEW_SET views, RTM_ENUM_FLAGS flags, const pfx *from,
			     USHORT family, ULONG protocol, UINT batch, pfx *out, unsigned max, dest_check_fn check,
			     void *ctx)
{
	RTM_NET_ADDRESS a;
	if (from)
		a = pfx_addr(from, family);
	RTM_ENUM_HANDLE h = NULL;
	DWORD err = RtmCreateDestEnum(reg, views, flags, from ? &a : NULL, protocol, &h);
	if (!ok(err == NO_ERROR, "RtmCreateDestEnum: %lu\n", (unsigned long)err))
		return -1;
	unsigned n = drain_dests(reg, h, batch, out, max, check, ctx);
	err = RtmDeleteEnumHandle(reg, h);
	ok(err == NO_ERROR, "RtmDeleteEnumHandle: %lu\n", (unsigned long)err);
	return (int)n;
}

/* compare an enumeration's result with the model's, reporting the first difference */
static inline int expect_prefixes(const char *what, const pfx *got, int n_got, const pfx *want, unsigned n_want,
				  int v6)
{
	char b1[64], b2[64];
	if (!ok(n_got == (int)n_want, "%s: %d prefixes, expected %u\n", what, n_got, n_want)) {
		for (int i = 0; i < n_got && i < 40; i++)
			fprintf(stderr, "   got  %s\n", pfx_str(&got[i], v6, b1));
		for (unsigned i = 0; i < n_want && i < 40; i++)
			fprintf(stderr, "   want %s\n", pfx_str(&want[i], v6, b1));
		return 0;
	}
	for (unsigned i = 0; i < n_want; i++)
		if (!ok(pfx_eq(&got[i], &want[i]), "%s: [%u] got %s, expected %s\n", what, i, pfx_str(&got[i], v6, b1),
			pfx_str(&want[i], v6, b2)))
			return 0;
	return 1;
}

/* RtmGetEnumRoutes and RtmGetEnumNextHops; RtmReleaseRoutes and RtmReleaseNextHops */
typedef DWORD(WINAPI *handle_batch_fn)(RTM_ENTITY_HANDLE reg, RTM_ENUM_HANDLE h, PUINT n, HANDLE *out);
typedef DWORD(WINAPI *handle_release_fn)(RTM_ENTITY_HANDLE reg, UINT n, HANDLE *handles);

/* drain a route or next-hop enumeration into out[] (handles released), checking the batch rules */
static inline unsigned drain_handles(RTM_ENTITY_HANDLE reg, RTM_ENUM_HANDLE h, UINT batch, HANDLE *out, unsigned max,
				     handle_batch_fn get, handle_release_fn release, const char *what)
{
	HANDLE buf[TEST_MAX_BATCH];
	unsigned total = 0;
	for (int calls = 0;; calls++) {
		UINT n = batch;
		DWORD err = get(reg, h, &n, buf);
		if (!ok(err == NO_ERROR || err == ERROR_NO_MORE_ITEMS, "%s: %lu\n", what, (unsigned long)err))
			return total;
		if (err == NO_ERROR)
			ok(n == batch, "%s: NO_ERROR with %u of %u\n", what, n, batch);
		else
			ok(n < batch, "%s: ERROR_NO_MORE_ITEMS with a full batch %u\n", what, n);
		for (UINT i = 0; i < n; i++) {
			if (total < max)
				out[total] = buf[i];
			total++;
		}
		DWORD rel = release(reg, n, buf);
		ok(rel == NO_ERROR, "%s: release %lu\n", what, (unsigned long)rel);
		if (err == ERROR_NO_MORE_ITEMS)
			break;
		if (!ok(calls < 1000000, "%s: enumeration does not end\n", what))
			break;
	}
	UINT n = batch;
	DWORD err = get(reg, h, &n, buf);
	ok(err == ERROR_NO_MORE_ITEMS && n == 0, "%s after the end: %lu, %u items\n", what, (unsigned long)err, n);
	return total;
}

static inline unsigned drain_routes(RTM_ENTITY_HANDLE reg, RTM_ENUM_HANDLE h, UINT batch, RTM_ROUTE_HANDLE *out,
				    unsigned max)
{
	return drain_handles(reg, h, batch, out, max, RtmGetEnumRoutes, RtmReleaseRoutes, "RtmGetEnumRoutes");
}

static inline unsigned drain_nexthops(RTM_ENTITY_HANDLE reg, RTM_ENUM_HANDLE h, UINT batch, RTM_NEXTHOP_HANDLE *out,
				      unsigned max)
{
	return drain_handles(reg, h, batch, out, max, RtmGetEnumNextHops, RtmReleaseNextHops, "RtmGetEnumNextHops");
}

/* every object freed once the timers (hold-down) had up to 3 s to end */
static inline int test_nothing_alive(void)
{
	DWORD c[RTM_TEST_COUNT_KINDS], total = 0;
	if (!test_object_counts(c))
		return 1;
	for (int i = 0; i < RTM_TEST_COUNT_KINDS; i++)
		total += c[i];
	return total == 0;
}
#define expect_all_freed()                                     \
	do {                                                   \
		test_wait_for(test_nothing_alive(), 3000);     \
		expect_no_live_objects();                      \
	} while (0)

/* a small deterministic generator, so failures replay */
static inline uint32_t test_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

#endif

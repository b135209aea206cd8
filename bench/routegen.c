/*
 * routegen.c - seeded synthetic route sets (the mix is described in routegen.h).
 *
 * Distinctness is kept with an open-addressing hash set of indexes into the
 * output array, sized to twice the set, so generating 1M prefixes costs a
 * fraction of a second and no allocation per prefix.
 */
#include "routegen.h"

#include <stdlib.h>
#include <string.h>

void rg_seed(rg_rng *g, uint64_t seed) { g->s = seed ? seed : RG_DEFAULT_SEED; }

uint64_t rg_next(rg_rng *g)
{
	uint64_t x = g->s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	g->s = x;
	return x * UINT64_C(2685821657736338717);
}

unsigned rg_ipv4_len(rg_rng *g)
{
	unsigned r = (unsigned)rg_below(g, 100);
	if (r < 60)
		return 24;
	if (r < 80)
		return 22 + (unsigned)rg_below(g, 2);
	if (r < 97)
		return 16 + (unsigned)rg_below(g, 6);
	return 8 + (unsigned)rg_below(g, 8);
}

uint32_t rg_ipv4_unicast(rg_rng *g)
{
	uint32_t a = (uint32_t)rg_next(g);
	return ((1 + (a >> 24) % 223) << 24) | (a & 0xFFFFFF);
}

unsigned rg_ipv6_len(rg_rng *g)
{
	unsigned r = (unsigned)rg_below(g, 100);
	if (r < 50)
		return 48;
	if (r < 62)
		return 32;
	if (r < 72)
		return 44;
	if (r < 80)
		return 40;
	if (r < 85)
		return 36;
	if (r < 95)
		return 29 + (unsigned)rg_below(g, 19);
	return 49 + (unsigned)rg_below(g, 16);
}

void rg_ipv6_unicast(rg_rng *g, uint8_t addr[16])
{
	uint64_t hi = rg_next(g), lo = rg_next(g);
	hi = (hi >> 3) | (UINT64_C(1) << 61); /* 001 in the top three bits: 2000::/3 */
	for (int i = 0; i < 8; i++) {
		addr[i] = (uint8_t)(hi >> (56 - 8 * i));
		addr[8 + i] = (uint8_t)(lo >> (56 - 8 * i));
	}
}

void rg_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

void rg_canonicalize(uint8_t key[RG_KEY_BYTES], unsigned len)
{
	for (unsigned i = 0; i < RG_KEY_BYTES; i++) {
		unsigned first = i * 8;
		if (first >= len)
			key[i] = 0;
		else if (len - first < 8)
			key[i] &= (uint8_t)(0xFF00u >> (len - first));
	}
}

static uint64_t prefix_hash(const rg_prefix *p)
{
	uint64_t a, b;
	memcpy(&a, p->key, 8);
	memcpy(&b, p->key + 8, 8);
	uint64_t h = (a ^ (b * UINT64_C(0x9E3779B97F4A7C15)) ^ p->len) * UINT64_C(0xBF58476D1CE4E5B9);
	return h ^ (h >> 31);
}

static int prefix_equal(const rg_prefix *x, const rg_prefix *y)
{
	return x->len == y->len && !memcmp(x->key, y->key, RG_KEY_BYTES);
}

static void draw(rg_rng *g, rg_prefix *p, unsigned width_bits)
{
	memset(p, 0, sizeof(*p));
	if (width_bits == 32) {
		unsigned len = rg_ipv4_len(g);
		rg_put_be32(p->key, rg_ipv4_unicast(g));
		p->len = (uint8_t)len;
	} else {
		unsigned len = rg_ipv6_len(g);
		rg_ipv6_unicast(g, p->key);
		p->len = (uint8_t)len;
	}
	rg_canonicalize(p->key, p->len);
}

int rg_make_prefixes(rg_prefix *out, size_t n, unsigned width_bits, uint64_t seed)
{
	size_t cap = 16;
	while (cap < 2 * n)
		cap <<= 1;
	uint32_t *set = calloc(cap, sizeof(*set)); /* index + 1, 0 = empty */
	if (!set)
		return -1;
	rg_rng g;
	rg_seed(&g, seed);
	for (size_t i = 0; i < n;) {
		draw(&g, &out[i], width_bits);
		size_t h = (size_t)prefix_hash(&out[i]) & (cap - 1);
		int dup = 0;
		while (set[h]) {
			if (prefix_equal(&out[set[h] - 1], &out[i])) {
				dup = 1;
				break;
			}
			h = (h + 1) & (cap - 1);
		}
		if (dup)
			continue;
		set[h] = (uint32_t)(i + 1);
		i++;
	}
	free(set);
	return 0;
}

void rg_make_lookups(uint8_t *addrs, size_t m, const rg_prefix *p, size_t n, unsigned width_bits,
		     uint64_t seed)
{
	unsigned bytes = width_bits / 8;
	rg_rng g;
	rg_seed(&g, seed ^ UINT64_C(0x6C6F6F6B7570)); /* a stream apart from the prefixes' */
	for (size_t i = 0; i < m; i++) {
		uint8_t *a = addrs + i * bytes;
		uint8_t r[16];
		if (width_bits == 32)
			rg_put_be32(r, rg_ipv4_unicast(&g));
		else
			rg_ipv6_unicast(&g, r);
		if ((i & 1) == 0 && n) {
			/* inside a prefix: its bits, then random host bits */
			const rg_prefix *in = &p[rg_below(&g, n)];
			for (unsigned k = 0; k < bytes; k++) {
				unsigned first = k * 8;
				uint8_t mask = first >= in->len ? 0
					       : in->len - first >= 8 ? 0xFF
								    : (uint8_t)(0xFF00u >> (in->len - first));
				r[k] = (uint8_t)((in->key[k] & mask) | (r[k] & (uint8_t)~mask));
			}
		}
		memcpy(a, r, bytes);
	}
}

void rg_shuffle(rg_rng *g, void *v, size_t n, size_t size)
{
	unsigned char tmp[64], *b = v;
	if (size > sizeof(tmp))
		return;
	for (size_t i = n; i-- > 1;) {
		size_t j = (size_t)rg_below(g, i + 1);
		memcpy(tmp, b + i * size, size);
		memcpy(b + i * size, b + j * size, size);
		memcpy(b + j * size, tmp, size);
	}
}

void rg_length_histogram(const rg_prefix *p, size_t n, size_t hist[129])
{
	memset(hist, 0, 129 * sizeof(hist[0]));
	for (size_t i = 0; i < n; i++)
		hist[p[i].len]++;
}

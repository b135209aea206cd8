/*
 * routegen.h - seeded synthetic route sets for the benchmarks.
 *
 * Every benchmark of bench/ draws its prefixes and lookup addresses here, so
 * that the same seed gives the same table in every program and on every
 * platform (the generator uses only integer arithmetic on fixed-width types:
 * native, x86 and x64 builds see the very same prefixes).
 *
 * Random numbers: xorshift64* (Marsaglia's xorshift with a multiplicative
 * output step, after Vigna), one 64-bit state per generator; a zero seed is
 * replaced by a fixed constant.
 *
 * IPv4 prefix lengths, drawn like the lengths of a full Internet (BGP) table:
 *   60%  /24
 *   20%  /22 - /23  (half each)
 *   17%  /16 - /21  (uniform)
 *    3%  /8  - /15  (uniform)
 * on random unicast addresses 1.0.0.0 - 223.255.255.255.
 *
 * IPv6 prefix lengths, drawn like a global IPv6 table (/48 dominant, the
 * allocation sizes /32 - /44 common), on addresses in 2000::/3:
 *   50%  /48
 *   12%  /32
 *   10%  /44
 *    8%  /40
 *    5%  /36
 *   10%  /29 - /47 (uniform, the lengths above included)
 *    5%  /49 - /64 (uniform)
 *
 * A route set (rg_make_prefixes) is n distinct canonical prefixes: a draw
 * that repeats an earlier prefix is thrown away and drawn again, length
 * included.  At 1M IPv4 prefixes that leaves the /8 - /15 share a little
 * under its 3% (there are only ~57,000 such prefixes); rg_length_histogram
 * reports the mix actually produced.
 *
 * Lookup addresses (rg_make_lookups): half are inside a prefix of the set
 * (a random prefix, random host bits), half are arbitrary unicast addresses.
 */
#ifndef RTM_BENCH_ROUTEGEN_H
#define RTM_BENCH_ROUTEGEN_H

#include <stddef.h>
#include <stdint.h>

#define RG_KEY_BYTES 16
#define RG_DEFAULT_SEED UINT64_C(20240601)

typedef struct rg_rng {
	uint64_t s;
} rg_rng;

/* rg_seed - start a generator; the same seed gives the same sequence everywhere */
void rg_seed(rg_rng *g, uint64_t seed);
/* rg_next - the next 64 random bits */
uint64_t rg_next(rg_rng *g);
/* rg_below - a random number in [0, n), n > 0 */
static inline uint64_t rg_below(rg_rng *g, uint64_t n) { return rg_next(g) % n; }

/* rg_ipv4_len - a prefix length with the IPv4 mix above */
unsigned rg_ipv4_len(rg_rng *g);
/* rg_ipv4_unicast - a random address in 1.0.0.0 - 223.255.255.255 (host order) */
uint32_t rg_ipv4_unicast(rg_rng *g);
/* rg_ipv6_len - a prefix length with the IPv6 mix above */
unsigned rg_ipv6_len(rg_rng *g);
/* rg_ipv6_unicast - a random address in 2000::/3, network order */
void rg_ipv6_unicast(rg_rng *g, uint8_t addr[16]);

/* rg_put_be32 - store v most significant byte first */
void rg_put_be32(uint8_t *p, uint32_t v);
/* rg_canonicalize - zero the bits of key at and after len (key is 16 bytes) */
void rg_canonicalize(uint8_t key[RG_KEY_BYTES], unsigned len);

/* one prefix of a route set; key bytes past the family's size are zero */
typedef struct rg_prefix {
	uint8_t key[RG_KEY_BYTES];
	uint8_t len;
} rg_prefix;

/*
 * rg_make_prefixes - n distinct canonical prefixes of the family (width_bits
 * 32 or 128) from seed.  Returns 0, or -1 when out of memory.
 */
int rg_make_prefixes(rg_prefix *out, size_t n, unsigned width_bits, uint64_t seed);

/*
 * rg_make_lookups - m lookup addresses (width_bits/8 bytes each, packed) from
 * seed: even ones inside a random prefix of p[0..n), odd ones arbitrary.
 */
void rg_make_lookups(uint8_t *addrs, size_t m, const rg_prefix *p, size_t n, unsigned width_bits,
		     uint64_t seed);

/* rg_shuffle - Fisher-Yates over n elements of size bytes each (size <= 64) */
void rg_shuffle(rg_rng *g, void *v, size_t n, size_t size);

/* rg_length_histogram - hist[len] = prefixes of that length (hist has 129 entries) */
void rg_length_histogram(const rg_prefix *p, size_t n, size_t hist[129]);

#endif

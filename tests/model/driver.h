/*
 * driver.h - the seeded random driver of the model-based tests (driver.c).
 *
 * It applies one random operation sequence to the reference model (model.c) and to the real
 * RTMv2 API, and after every step compares return codes, out-parameters, best routes, lookups,
 * enumeration output, changed-destination sets and the live-object counts of the statistics
 * hook.  On the first mismatch it stops and reports the seed, the step and the operations up to
 * and including it (the shortest failing prefix: every earlier step compared equal).
 *
 * The random source is either a seed (tests/test_model.c, scripts/soak.sh) or a byte string
 * (fuzz/fuzz_api.c: libFuzzer's input decides every choice; the run ends when it runs out).
 */
#ifndef RTM_TESTS_MODEL_DRIVER_H
#define RTM_TESTS_MODEL_DRIVER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
	unsigned steps;       /* operations (seeded runs) */
	int ipv6;             /* an AF_INET6 table instead of AF_INET */
	int holds;            /* use RtmHoldDestination (INFINITE holds: what is held stays held) */
	unsigned check_every; /* full table audit every N steps (counts are compared every step) */
	int log;              /* keep the operation log, printed on a mismatch */
	unsigned short instance; /* RtmInstanceId of the table */
	FILE *out;            /* where reports go (stderr if NULL) */
} drv_opts;

/* one seeded run; 0 when model and API agreed at every step and nothing leaked */
int drv_run_seed(uint64_t seed, const drv_opts *o);

/* one run driven by bytes (fuzzing); 0 when they agreed */
int drv_run_bytes(const uint8_t *data, size_t size, const drv_opts *o);

/* statistics of the last run */
typedef struct {
	unsigned steps, calls, mismatches;
	unsigned long ops[40];
} drv_stats;
extern drv_stats drv_last;

#endif

/*
 * test_model.c - model-based random testing: the real API against the reference model
 * (tests/model/model.c), driven by tests/model/driver.c.
 *
 * Default (the CTest test): a fixed set of seeds, IPv4 and IPv6 tables, with and without
 * hold-downs, each a few thousand operations, with a full table audit every step natively (less
 * often under valgrind or Wine, see RTM_TEST_SLOWDOWN).  On a mismatch it prints the seed and the
 * operations up to the first step that differed.
 *
 *   test_model                       the fixed seeds
 *   test_model --seed S [--steps N] [--ipv6] [--holds] [--check K]   one seed
 *   test_model --seconds T [--seed S]   soak: consecutive seeds from S until T seconds have passed
 *
 * The model, the driver and this file build as one program (the model sources are included),
 * so every build tree (native, sanitizers, valgrind, x86_64 and i686 under Wine) runs it as is.
 */
#include "model/model.c"
#include "model/driver.c"

#include <time.h>

static double now_s(void)
{
#ifdef _WIN32
	return GetTickCount() / 1000.0;
#else
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
#endif
}

static unsigned slowdown(void)
{
	const char *s = getenv("RTM_TEST_SLOWDOWN");
	unsigned v = s ? (unsigned)atoi(s) : 1;
	return v ? v : 1;
}

static int run_one(uint64_t seed, unsigned steps, int ipv6, int holds, unsigned check, unsigned short instance)
{
	drv_opts o = { 0 };
	o.steps = steps;
	o.ipv6 = ipv6;
	o.holds = holds;
	o.check_every = check;
	o.log = 1;
	o.instance = instance;
	o.out = stderr;
	int rc = drv_run_seed(seed, &o);
	ok(rc == 0, "seed %llu (%s, holds %d, %u steps) failed\n", (unsigned long long)seed, ipv6 ? "IPv6" : "IPv4",
	   holds, steps);
	return rc;
}

int main(int argc, char **argv)
{
	uint64_t seed = 0;
	int have_seed = 0, ipv6 = 0, holds = 0;
	unsigned steps = 0, check = 0;
	double seconds = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0), have_seed = 1;
		else if (!strcmp(argv[i], "--steps") && i + 1 < argc)
			steps = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--check") && i + 1 < argc)
			check = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			seconds = atof(argv[++i]);
		else if (!strcmp(argv[i], "--ipv6"))
			ipv6 = 1;
		else if (!strcmp(argv[i], "--holds"))
			holds = 1;
		else {
			fprintf(stderr, "usage: %s [--seed S] [--steps N] [--ipv6] [--holds] [--check K] [--seconds T]\n",
				argv[0]);
			return 2;
		}
	}
	unsigned slow = slowdown();
	if (!check)
		check = slow >= 10 ? 8 : slow > 1 ? 2 : 1;

	if (seconds > 0) {
		/* soak: one seed after another; holds on every fourth (each in a table of its own) */
		double end = now_s() + seconds;
		unsigned runs = 0, failed = 0;
		unsigned long total_steps = 0;
		uint64_t s = have_seed ? seed : (uint64_t)time(NULL);
		printf("model soak from seed %llu for %.0f s\n", (unsigned long long)s, seconds);
		fflush(stdout);
		while (now_s() < end) {
			int h = runs % 4 == 3, v6 = runs % 2 == 1;
			unsigned short inst = (unsigned short)(h ? 2000 + runs % 900 : v6 ? 1 : 0);
			failed += run_one(s, steps ? steps : 3000, v6, h, check, inst) != 0;
			total_steps += drv_last.steps;
			runs++;
			s++;
		}
		printf("model soak: %u runs, %lu operations, %u failed\n", runs, total_steps, failed);
		return test_finish();
	}
	if (have_seed) {
		run_one(seed, steps ? steps : 3000, ipv6, holds, check, (unsigned short)(holds ? 1000 + (seed % 1000) : 0));
		printf("seed %llu: %u steps\n", (unsigned long long)seed, drv_last.steps);
		return test_finish();
	}

	/* the fixed seeds */
	static const struct {
		uint64_t seed;
		int ipv6, holds;
	} fixed[] = {
		{ 1, 0, 0 }, { 2, 0, 1 }, { 3, 1, 0 }, { 4, 1, 1 }, { 5, 0, 0 }, { 6, 0, 1 },
		{ 7, 0, 0 }, { 8, 1, 0 }, { 9, 0, 1 }, { 10, 0, 0 },
	};
	unsigned n = steps ? steps : (slow >= 10 ? 600 : slow > 1 ? 1500 : 3000);
	double t0 = now_s();
	unsigned long total = 0;
	for (unsigned i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
		run_one(fixed[i].seed, n, fixed[i].ipv6, fixed[i].holds, check,
			(unsigned short)(fixed[i].holds ? 1000 + i : fixed[i].ipv6 ? 1 : 0));
		total += drv_last.steps;
	}
	printf("%lu operations over %u seeds in %.1f s (audit every %u steps)\n", total,
	       (unsigned)(sizeof(fixed) / sizeof(fixed[0])), now_s() - t0, check);
	return test_finish();
}

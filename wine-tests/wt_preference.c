/*
 * wt_preference.c - static and dv offering the same prefix: the route with
 * the lower preference wins, whatever the metrics.
 *
 * A announces 10.5.0.0/16 (metric 1) by dv; B has its own static route to
 * it with a worse metric (9) but static's preference (3) beats dv's (120).
 * Both routes are in B's table; the static one is best.  Deleting it makes
 * the dv route best; adding it back makes it best again.
 */
#include "wt.h"

static char out[WT_OUT];

int main(void)
{
	unsigned pa = wt_port(6200), pb = pa + 1;
	char ca[1024], cb[1024];
	wt_config(ca, sizeof(ca), 1, "interface 1 to-b 127.0.0.1/8\n", "  route 10.5.0.0/16 via 127.1.1.254 if 9 metric 1\n",
		  "  timers update 500 timeout 6000 trigger 100\n"
		  "  announce static\n"
		  "  interface 1 port %u neighbor 127.0.0.2:%u\n",
		  pa, pb);
	wt_config(cb, sizeof(cb), 2, "interface 1 to-a 127.0.0.2/8\n",
		  "  preference 3\n"
		  "  route 10.5.0.0/16 via 127.2.1.254 if 9 metric 9\n",
		  "  preference 120\n"
		  "  timers update 500 timeout 6000 trigger 100\n"
		  "  interface 1 port %u neighbor 127.0.0.1:%u\n",
		  pb, pa);
	wt_router a, b;
	ok(wt_start(&a, "pref-a", ca), "router A did not start\n");
	ok(wt_start(&b, "pref-b", cb), "router B did not start\n");

	char line[1024];
	ok(wt_wait(&b, "show routes", TRUE, 20000, "route 10.5.0.0/16 owner=dv", NULL), "B did not learn 10.5/16\n");
	wt_ctl(&b, "show routes", out, sizeof(out));
	ok(wt_line(out, line, sizeof(line), "route 10.5.0.0/16 owner=static ", "metric=9 ", "pref=3 ", "best=um ", NULL),
	   "the static route is not best: %s", out);
	ok(wt_line(out, line, sizeof(line), "route 10.5.0.0/16 owner=dv ", "metric=2 ", "pref=120 ", "best=- ", NULL),
	   "the dv route is not there as a non-best route: %s", out);
	wt_ctl(&b, "lookup 10.5.1.1", out, sizeof(out));
	ok(strstr(out, "dest=10.5.0.0/16 owner=static metric=9 pref=3 nexthops=127.2.1.254%9") != NULL, "lookup: %s", out);
	wt_ctl(&b, "show dests", out, sizeof(out));
	ok(wt_line(out, line, sizeof(line), "dest 10.5.0.0/16 ", "routes=2 ", "uowner=static ", NULL), "dest: %s", out);

	ok(wt_ctl(&b, "route delete 10.5.0.0/16 via 127.2.1.254 if 9", out, sizeof(out)) == 0, "delete: %s", out);
	ok(wt_wait(&b, "show routes", TRUE, 5000, "route 10.5.0.0/16 owner=dv proto=0x0a5a5a01 metric=2 pref=120 views=u best=u ",
		   NULL),
	   "the dv route did not become best\n");
	wt_ctl(&b, "show routes", out, sizeof(out));
	ok(!strstr(out, "owner=static"), "static route still there: %s", out);

	ok(wt_ctl(&b, "route add 10.5.0.0/16 via 127.2.1.254 if 9 metric 9", out, sizeof(out)) == 0, "add: %s", out);
	ok(wt_wait(&b, "show routes", TRUE, 5000, "route 10.5.0.0/16 owner=static proto=0x0a5a0003 metric=9 pref=3 views=um best=um ",
		   "owner=dv proto=0x0a5a5a01 metric=2 pref=120 views=u best=- ", NULL),
	   "the static route did not win again\n");

	expect_eq(wt_stop(&b), 0);
	expect_eq(wt_stop(&a), 0);
	return test_finish();
}

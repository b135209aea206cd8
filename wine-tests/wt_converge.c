/*
 * wt_converge.c - three routers in a line learn each other's routes, and
 * rtmctl shows exactly the routes each protocol added.
 *
 *   A (127.0.0.1) --- B (127.0.0.2) --- C (127.0.0.3)
 *   static 10.1/16      static 10.20/16     static 10.3/16
 *   static 10.11/16 m4
 *
 * Each static route is announced by dv (announce static); over one hop a
 * route's metric grows by the link cost (1).  Checked: every router sees
 * every prefix with the right owner, metric, preference and next hop; the
 * routes owned by static on A are exactly its configuration; a route added
 * at run time (rtmctl route add) reaches C, a deleted one leaves C long
 * before any time-out (poisoned), entities and next hops are listed, and
 * disabling an interface takes the static routes on it down (and up again).
 */
#include "wt.h"

static char out[WT_OUT];

int main(void)
{
	unsigned pa = wt_port(6100), pb1 = pa + 1, pb2 = pa + 2, pc = pa + 3;
	char ca[2048], cb[2048], cc[2048];
	wt_router a, b, c;
#define DV_COMMON "  timers update 500 timeout 6000 trigger 100\n  announce static\n"
	wt_config(ca, sizeof(ca), 1, "interface 1 to-b 127.0.0.1/8\n",
		  "  route 10.1.0.0/16 via 127.1.1.254 if 9 metric 1\n"
		  "  route 10.11.0.0/16 via 127.1.1.253 if 9 metric 4\n",
		  DV_COMMON "  interface 1 port %u neighbor 127.0.0.2:%u\n", pa, pb1);
	wt_config(cb, sizeof(cb), 2, "interface 1 to-a 127.0.0.2/8\ninterface 2 to-c 127.0.0.2/8\n",
		  "  route 10.20.0.0/16 via 127.2.1.254 if 9\n",
		  DV_COMMON "  interface 1 port %u neighbor 127.0.0.1:%u\n  interface 2 port %u neighbor 127.0.0.3:%u\n",
		  pb1, pa, pb2, pc);
	wt_config(cc, sizeof(cc), 3, "interface 1 to-b 127.0.0.3/8\n", "  route 10.3.0.0/16 via 127.3.1.254 if 9\n",
		  DV_COMMON "  interface 1 port %u neighbor 127.0.0.2:%u\n", pc, pb2);

	ok(wt_start(&a, "conv-a", ca), "router A did not start\n");
	ok(wt_start(&b, "conv-b", cb), "router B did not start\n");
	ok(wt_start(&c, "conv-c", cc), "router C did not start\n");

	/* convergence: C hears A's routes through B */
	ok(wt_wait(&c, "show routes", TRUE, 20000, "route 10.1.0.0/16 owner=dv", "route 10.11.0.0/16 owner=dv",
		   "route 10.20.0.0/16 owner=dv", NULL),
	   "C did not learn the routes of A and B\n");
	ok(wt_wait(&a, "show routes", TRUE, 20000, "route 10.3.0.0/16 owner=dv", "route 10.20.0.0/16 owner=dv", NULL),
	   "A did not learn the routes of B and C\n");

	char line[1024];
	wt_ctl(&c, "show routes", out, sizeof(out));
	ok(wt_line(out, line, sizeof(line), "route 10.1.0.0/16 ", "metric=3 ", "pref=120 ", "best=u ",
		   "nexthops=127.0.0.2%1 ", NULL),
	   "C: 10.1/16 not 3 hops via B: %s", out);
	ok(wt_line(out, line, sizeof(line), "route 10.11.0.0/16 ", "metric=6 ", NULL), "C: 10.11/16 metric: %s", out);
	ok(wt_line(out, line, sizeof(line), "route 10.20.0.0/16 ", "metric=2 ", NULL), "C: 10.20/16 metric: %s", out);
	ok(wt_line(out, line, sizeof(line), "route 10.3.0.0/16 owner=static ", "metric=1 ", "pref=3 ", "views=um ",
		   "nexthops=127.3.1.254%9 ", NULL),
	   "C: its static route: %s", out);
	expect_eq(wt_count(out, "route "), 4);

	/* A's static routes are exactly its configuration */
	wt_ctl(&a, "show routes", out, sizeof(out));
	ok(wt_line(out, line, sizeof(line), "route 10.1.0.0/16 owner=static proto=0x0a5a0003 metric=1 pref=3 views=um best=um "
					      "nexthops=127.1.1.254%9 ",
		   NULL),
	   "A: 10.1/16: %s", out);
	ok(wt_line(out, line, sizeof(line), "route 10.11.0.0/16 owner=static proto=0x0a5a0003 metric=4 pref=3 views=um best=um "
					       "nexthops=127.1.1.253%9 ",
		   NULL),
	   "A: 10.11/16: %s", out);
	ok(wt_line(out, line, sizeof(line), "route 10.20.0.0/16 owner=dv proto=0x0a5a5a01 metric=2 pref=120 views=u best=u "
					       "nexthops=127.0.0.2%1 ",
		   NULL),
	   "A: 10.20/16: %s", out);
	unsigned own = 0;
	for (const char *p = out; (p = strstr(p, "owner=static")); p++)
		own++;
	expect_eq(own, 2);

	/* entities and next hops */
	wt_ctl(&b, "show entities", out, sizeof(out));
	ok(strstr(out, "entity host proto=0x00000002") && strstr(out, "entity static proto=0x0a5a0003") &&
		   strstr(out, "entity dv proto=0x0a5a5a01"),
	   "B's entities: %s", out);
	wt_ctl(&b, "show nexthops", out, sizeof(out));
	ok(strstr(out, "nexthop 127.0.0.1 if=1 owner=dv") && strstr(out, "nexthop 127.0.0.3 if=2 owner=dv") &&
		   strstr(out, "nexthop 127.2.1.254 if=9 owner=static"),
	   "B's next hops: %s", out);
	wt_ctl(&b, "show dests", out, sizeof(out));
	ok(wt_line(out, line, sizeof(line), "dest 10.20.0.0/16 ", "uowner=static ", "mbest=static ", NULL),
	   "B's destinations: %s", out);

	/* a route added at run time travels; a deleted one is withdrawn */
	ok(wt_ctl(&a, "route add 10.99.0.0/16 via 127.1.1.254 if 9 metric 2", out, sizeof(out)) == 0, "route add: %s", out);
	ok(wt_wait(&c, "show routes", TRUE, 10000, "route 10.99.0.0/16 owner=dv proto=0x0a5a5a01 metric=4 ", NULL),
	   "C did not learn 10.99/16\n");
	ok(wt_ctl(&a, "route delete 10.1.0.0/16 via 127.1.1.254 if 9", out, sizeof(out)) == 0, "route delete: %s", out);
	ok(wt_ctl(&a, "route delete 10.1.0.0/16 via 127.1.1.254 if 9", out, sizeof(out)) == 1,
	   "deleting twice did not fail: %s", out);
	/* well inside the 6 s time-out: the withdrawal is sent, not waited for */
	ok(wt_wait(&c, "show routes", FALSE, 4000, "route 10.1.0.0/16 ", NULL), "C kept 10.1/16\n");
	ok(wt_log_has(&a, "saved its global configuration"), "A did not save static's new configuration\n");

	/* disabling A's LAN takes its static routes down, everywhere */
	ok(wt_ctl(&a, "interface disable 9", out, sizeof(out)) == 0, "disable: %s", out);
	ok(wt_wait(&c, "show routes", FALSE, 4000, "route 10.11.0.0/16 ", NULL), "C kept 10.11/16\n");
	wt_ctl(&a, "show routes", out, sizeof(out));
	ok(!strstr(out, "owner=static"), "A kept static routes on a disabled interface: %s", out);
	ok(wt_ctl(&a, "interface enable 9", out, sizeof(out)) == 0, "enable: %s", out);
	ok(wt_wait(&c, "show routes", TRUE, 4000, "route 10.11.0.0/16 owner=dv", NULL), "10.11/16 did not come back\n");

	expect_eq(wt_stop(&c), 0);
	expect_eq(wt_stop(&b), 0);
	expect_eq(wt_stop(&a), 0);
	return test_finish();
}

/*
 * wt_timeout.c - stopping a router withdraws its routes through their
 * time-to-live.
 *
 * A and B exchange routes; then A stops (cleanly: dv sends no farewell, so
 * B hears nothing more).  B's routes from A stay until their TTL (1.5 s)
 * runs out, RTM reports RTM_ROUTE_EXPIRED to dv, which lets RTM delete
 * them; B's own routes stay.  dv's MIB counts the expiries.  Last, B's
 * dv is stopped on its own (the asynchronous stop) and leaves nothing in RTM.
 */
#include "wt.h"

static char out[WT_OUT];

int main(void)
{
	unsigned pa = wt_port(6300), pb = pa + 1;
	char ca[1024], cb[1024];
#define DV_FAST "  timers update 300 timeout 1500 trigger 100\n  announce static\n"
	wt_config(ca, sizeof(ca), 1, "interface 1 to-b 127.0.0.1/8\n",
		  "  route 10.31.0.0/16 via 127.1.1.254 if 9\n"
		  "  route 10.32.0.0/16 via 127.1.1.254 if 9\n",
		  DV_FAST "  interface 1 port %u neighbor 127.0.0.2:%u\n", pa, pb);
	wt_config(cb, sizeof(cb), 2, "interface 1 to-a 127.0.0.2/8\n", "  route 10.40.0.0/16 via 127.2.1.254 if 9\n",
		  DV_FAST "  interface 1 port %u neighbor 127.0.0.1:%u\n", pb, pa);
	wt_router a, b;
	ok(wt_start(&a, "ttl-a", ca), "router A did not start\n");
	ok(wt_start(&b, "ttl-b", cb), "router B did not start\n");
	ok(wt_wait(&b, "show routes", TRUE, 20000, "route 10.31.0.0/16 owner=dv", "route 10.32.0.0/16 owner=dv", NULL),
	   "B did not learn A's routes\n");
	ok(wt_wait(&a, "show routes", TRUE, 20000, "route 10.40.0.0/16 owner=dv", NULL), "A did not learn B's route\n");

	/* they stay while A talks: several TTLs long */
	Sleep(3000);
	wt_ctl(&b, "show routes", out, sizeof(out));
	ok(strstr(out, "route 10.31.0.0/16 owner=dv") && strstr(out, "route 10.32.0.0/16 owner=dv"),
	   "routes were not refreshed: %s", out);
	wt_ctl(&b, "show mib dv", out, sizeof(out));
	ok(strstr(out, " expired=0 ") != NULL, "routes expired while A was up: %s", out);

	ULONGLONG stopped = GetTickCount64();
	expect_eq(wt_stop(&a), 0);
	ok(wt_wait(&b, "show routes", FALSE, 10000, "route 10.31.0.0/16 ", "route 10.32.0.0/16 ", NULL),
	   "B kept A's routes\n");
	ULONGLONG gone = GetTickCount64() - stopped;
	ok(gone >= 1000, "routes went after %llu ms, before their TTL\n", gone);
	wt_ctl(&b, "show mib dv", out, sizeof(out));
	ok(strstr(out, " expired=2 ") != NULL, "not 2 expiries: %s", out);
	wt_ctl(&b, "show routes", out, sizeof(out));
	ok(strstr(out, "route 10.40.0.0/16 owner=static") != NULL, "B lost its own route: %s", out);
	expect_eq(wt_count(out, "route "), 1);
	wt_ctl(&b, "show nexthops", out, sizeof(out));
	ok(!strstr(out, "owner=dv"), "a dv next hop is still used: %s", out);

	/* dv stops asynchronously (ERROR_PROTOCOL_STOP_PENDING, then
	 * ROUTER_STOPPED from its worker thread) and is unloaded; static stays */
	ok(wt_ctl(&b, "protocol stop dv", out, sizeof(out)) == 0, "stop dv: %s", out);
	ok(wt_wait(&b, "show protocols", TRUE, 10000, "protocol dv id=0x0a5a5a01 state=stopped", NULL),
	   "dv did not stop\n");
	ok(wt_log_has(&b, "protocol dv is stopping") && wt_log_has(&b, "protocol dv stopped and unloaded"),
	   "dv's stop was not the asynchronous one\n");
	wt_ctl(&b, "show stats", out, sizeof(out));
	ok(strstr(out, "stats entities=2 dests=1 routes=1 nexthops=1 enums=0 notify=2 lists=0") != NULL,
	   "RTM objects after dv left: %s", out);

	expect_eq(wt_stop(&b), 0);
	return test_finish();
}

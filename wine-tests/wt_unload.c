/*
 * wt_unload.c - a protocol DLL stopped and unloaded while change
 * notifications are pending leaves no crash and no leak.
 *
 * monitor (DelayMs 1500: each notification callback first sleeps) watches
 * 150 static routes appear; while its first callback sleeps and more
 * changes pile up (routes added through rtmctl), the monitor protocol is
 * stopped and unloaded.  StopProtocol waits in RTM's deregistration for
 * the running callback; what was still pending is dropped.  Then: the host
 * still answers, RTM's object counts show nothing of monitor left (one
 * entity, two notification registrations: the host's), more route changes
 * are harmless, and the host stops cleanly.
 */
#include "wt.h"

static char out[WT_OUT];

int main(void)
{
	static char config[16384];
	size_t n = (size_t)snprintf(config, sizeof(config),
				    "interface 1 lan 127.1.1.1/24\n"
				    "protocol static static.dll\n");
	for (int k = 0; k < 150; k++)
		n += (size_t)snprintf(config + n, sizeof(config) - n, "  route 10.%d.%d.0/24 via 127.1.1.254 if 1\n",
				      100 + k / 100, k % 100);
	snprintf(config + n, sizeof(config) - n, "protocol monitor monitor.dll\n  delay 1500\n");
	wt_router r;
	ok(wt_start(&r, "unload", config), "router did not start\n");

	/* monitor is inside its first callback: nothing logged yet */
	wt_ctl(&r, "show mib monitor", out, sizeof(out));
	ok(strstr(out, "notifications=1 changes=0") != NULL, "monitor not in its first callback: %s", out);
	for (int k = 0; k < 3; k++) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "route add 10.200.%d.0/24 via 127.1.1.254 if 1", k);
		ok(wt_ctl(&r, cmd, out, sizeof(out)) == 0, "%s: %s", cmd, out);
	}
	ok(wt_ctl(&r, "protocol stop monitor", out, sizeof(out)) == 0, "stop monitor: %s", out);
	ok(strstr(out, "state=stopped") != NULL, "monitor did not stop at once: %s", out);
	ok(wt_log_has(&r, "protocol monitor stopped and unloaded"), "monitor was not unloaded\n");

	/* the host is fine, and nothing of monitor is left in RTM */
	ok(wt_ctl(&r, "ping", out, sizeof(out)) == 0, "host gone after the unload: %s", out);
	wt_ctl(&r, "show stats", out, sizeof(out));
	ok(strstr(out, "stats entities=2 dests=153 routes=153 nexthops=1 enums=0 notify=2 lists=0") != NULL,
	   "RTM objects after the unload: %s", out);
	wt_ctl(&r, "show entities", out, sizeof(out));
	ok(!strstr(out, "monitor"), "monitor still registered: %s", out);

	/* changes after the unload reach no unloaded code */
	ok(wt_ctl(&r, "route delete 10.200.0.0/24 via 127.1.1.254 if 1", out, sizeof(out)) == 0, "delete: %s", out);
	ok(wt_ctl(&r, "route add 10.201.0.0/24 via 127.1.1.254 if 1", out, sizeof(out)) == 0, "add: %s", out);
	Sleep(500);
	wt_ctl(&r, "show stats", out, sizeof(out));
	ok(strstr(out, "routes=153 ") != NULL, "routes after more changes: %s", out);

	expect_eq(wt_stop(&r), 0);
	return test_finish();
}

/*
 * wt_badproto.c - a host given protocol DLLs that cannot run: one without
 * RegisterProtocol, one whose RegisterProtocol fails, one missing a
 * required entry point, one whose StartProtocol fails, and one that is not
 * there at all.  Each is reported clearly (log and "show protocols"), and
 * the static protocol configured among them runs normally and stops
 * cleanly.
 */
#include "wt.h"

static char out[WT_OUT];

int main(void)
{
	wt_router r;
	ok(wt_start(&r, "bad",
		    "interface 1 lan 127.1.1.1/24\n"
		    "protocol noentry bad_noentry.dll id 0x0a5a7001\n"
		    "protocol register bad_register.dll id 0x0a5a7002\n"
		    "protocol static static.dll\n"
		    "  route 10.7.0.0/16 via 127.1.1.254 if 1\n"
		    "protocol entrypoint bad_entrypoint.dll id 0x0a5a7003\n"
		    "protocol start bad_start.dll id 0x0a5a7004\n"
		    "protocol missing no_such_protocol.dll id 0x0a5a7005\n"),
	   "router did not start\n");

	ok(wt_ctl(&r, "show protocols", out, sizeof(out)) == 0, "show protocols failed\n");
	char line[1024];
	ok(wt_line(out, line, sizeof(line), "protocol noentry ", "state=failed", "reason=the DLL exports no RegisterProtocol",
		   NULL),
	   "noentry: %s", out);
	ok(wt_line(out, line, sizeof(line), "protocol register ", "state=failed", "reason=RegisterProtocol returned 50",
		   NULL),
	   "register: %s", out);
	ok(wt_line(out, line, sizeof(line), "protocol entrypoint ", "state=failed",
		   "reason=a required entry point is missing", NULL),
	   "entrypoint: %s", out);
	ok(wt_line(out, line, sizeof(line), "protocol start ", "state=failed", "reason=StartProtocol returned 1003", NULL),
	   "start: %s", out);
	ok(wt_line(out, line, sizeof(line), "protocol missing ", "state=failed", "reason=cannot load the DLL", NULL),
	   "missing: %s", out);
	ok(wt_line(out, line, sizeof(line), "protocol static ", "state=running", NULL), "static: %s", out);

	ok(wt_log_has(&r, "protocol start (") && wt_log_has(&r, "StartProtocol returned 1003; not running it"),
	   "the log does not say why 'start' failed\n");

	/* the others are unaffected */
	ok(wt_wait(&r, "show routes", TRUE, 10000, "route 10.7.0.0/16 owner=static ", NULL), "static's route missing\n");
	ok(wt_ctl(&r, "route add 10.8.0.0/16 via 127.1.1.254 if 1", out, sizeof(out)) == 0, "route add: %s", out);
	ok(wt_wait(&r, "show routes", TRUE, 10000, "route 10.8.0.0/16 owner=static ", NULL), "added route missing\n");
	wt_ctl(&r, "show entities", out, sizeof(out));
	expect_eq(wt_count(out, "entity "), 2); /* host and static: the failures left nothing */

	expect_eq(wt_stop(&r), 0);
	ok(wt_log_has(&r, "protocol static stopped and unloaded"), "static did not stop cleanly\n");
	return test_finish();
}

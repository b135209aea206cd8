/*
 * wt_vendor.c - the host runs a protocol DLL built like a third party's
 * (vendor_proto.c: SDK headers only, the toolchain's import library, on
 * i686 the decorated RegisterProtocol@8), configured with a raw block, next
 * to the sample static protocol: its routes are in the table under its own
 * protocol ID and preference, its MIB answers through the host, it stops
 * and unloads cleanly.
 */
#include "wt.h"

static char out[WT_OUT];

int main(void)
{
	wt_router r;
	/* count 2; 10.60/16 via 127.1.1.254 metric 7; 10.61/16 via 127.1.1.254 metric 8 */
	ok(wt_start(&r, "vendor",
		    "interface 1 lan 127.1.1.1/24\n"
		    "protocol static static.dll\n"
		    "  route 10.60.0.0/16 via 127.1.1.253 if 1 metric 1\n"
		    "protocol vendor vendor_proto.dll id 0x0bad0001\n"
		    "  global-hex 02000000"
		    "0a3c0000100000007f0101fe07000000"
		    "0a3d0000100000007f0101fe08000000\n"),
	   "router did not start\n");
	ok(wt_wait(&r, "show routes", TRUE, 10000, "route 10.61.0.0/16 owner=vendor", NULL), "vendor's routes missing\n");
	wt_ctl(&r, "show routes", out, sizeof(out));
	char line[1024];
	ok(wt_line(out, line, sizeof(line), "route 10.60.0.0/16 owner=vendor proto=0x0bad0001 metric=7 pref=50 views=u best=- "
					      "nexthops=127.1.1.254%1 ",
		   NULL),
	   "vendor's 10.60/16: %s", out);
	ok(wt_line(out, line, sizeof(line), "route 10.60.0.0/16 owner=static ", "best=um ", NULL),
	   "static (pref 3) is not best over vendor (pref 50): %s", out);
	ok(wt_line(out, line, sizeof(line), "route 10.61.0.0/16 owner=vendor proto=0x0bad0001 metric=8 pref=50 views=u best=u ",
		   NULL),
	   "vendor's 10.61/16: %s", out);
	ok(wt_ctl(&r, "show mib vendor", out, sizeof(out)) == 0 && strstr(out, "mib vendor bytes=02000000"),
	   "vendor's MIB: %s", out);
	wt_ctl(&r, "show entities", out, sizeof(out));
	ok(strstr(out, "entity vendor proto=0x0bad0001 instance=0") != NULL, "entities: %s", out);

	expect_eq(wt_stop(&r), 0);
	ok(wt_log_has(&r, "protocol vendor stopped and unloaded"), "vendor did not stop cleanly\n");
	return test_finish();
}

/*
 * host_main.c - rtmhost.exe: start-up, the manager thread's loop, shutdown.
 *
 *   rtmhost [CONFIG-FILE] [--demo A|B|C] [--lifetime SECONDS]
 *
 * Without a file it runs router A of the demo (or the one --demo names),
 * from the configuration embedded in host_config.c.
 *
 * Start-up follows the router manager (spec section 9): read the
 * configuration into information headers; register the host's own RTM
 * entity (host_view.c) and open the control pipe; load, register and start
 * every protocol of the global information in order, adding its initial
 * interfaces right after its start; then StartComplete to each, in start
 * order.  The manager thread then waits on every running protocol's event
 * and on the control pipe's command event, draining GetEventMessage after
 * every wake-up.
 *
 * Shutdown ("stop" from rtmctl, Ctrl-C, or the configured lifetime, a
 * safety net for demos and tests): protocols are stopped one at a time in
 * reverse start order, each one's ROUTER_STOPPED awaited (while the others
 * are still served) before the next, then the host deregisters from RTM.
 * The exit status is 0 when every protocol that started also stopped and
 * was unloaded, 1 otherwise.
 */
#include "host.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

host_state host;

void host_log(const char *format, ...)
{
	char who[48];
	snprintf(who, sizeof(who), "rtmhost[%s]", host.name);
	va_list ap;
	va_start(ap, format);
	kit_vlog(who, format, ap);
	va_end(ap);
}

static BOOL WINAPI on_console(DWORD type)
{
	(void)type;
	host.shutting_down = TRUE;
	return TRUE;
}

static int by_index(const void *a, const void *b)
{
	ULONG x = ((const host_iface *)a)->index, y = ((const host_iface *)b)->index;
	return x < y ? -1 : x > y;
}

/* the next step of the shutdown; FALSE once nothing is left to stop */
static BOOL shutdown_step(void)
{
	for (unsigned k = 0; k < host.nprotos; k++)
		if (host.protos[k].state == PROTO_STOPPING)
			return TRUE; /* wait for its ROUTER_STOPPED */
	for (unsigned k = host.nprotos; k-- > 0;)
		if (host.protos[k].state == PROTO_RUNNING) {
			proto_stop(&host.protos[k]);
			return TRUE;
		}
	return FALSE;
}

static void run(HANDLE command_event)
{
	for (;;) {
		if (host.lifetime_s && GetTickCount64() - host.started_at > host.lifetime_s * 1000ull && !host.shutting_down) {
			host_log("lifetime of %lu s is over", host.lifetime_s);
			host.shutting_down = TRUE;
		}
		if (host.shutting_down && !shutdown_step())
			return;
		HANDLE waits[1 + HOST_MAX_PROTOCOLS];
		host_proto *owners[1 + HOST_MAX_PROTOCOLS];
		DWORD n = 0;
		waits[n++] = command_event;
		for (unsigned k = 0; k < host.nprotos; k++) {
			host_proto *p = &host.protos[k];
			if (p->state == PROTO_RUNNING || p->state == PROTO_STOPPING) {
				owners[n] = p;
				waits[n++] = p->event;
			}
		}
		DWORD r = WaitForMultipleObjects(n, waits, FALSE, 200);
		if (r == WAIT_OBJECT_0)
			ctl_run_pending();
		else if (r > WAIT_OBJECT_0 && r < WAIT_OBJECT_0 + n)
			proto_service_event(owners[r - WAIT_OBJECT_0]);
		proto_check_stuck();
	}
}

int main(int argc, char **argv)
{
	const char *path = NULL, *demo = NULL;
	DWORD lifetime = 0;
	for (int k = 1; k < argc; k++) {
		if (!strcmp(argv[k], "--demo") && k + 1 < argc)
			demo = argv[++k];
		else if (!strcmp(argv[k], "--lifetime") && k + 1 < argc && parse_ulong(argv[k + 1], &lifetime))
			k++;
		else if (argv[k][0] != '-' && !path)
			path = argv[k];
		else {
			fprintf(stderr, "usage: rtmhost [CONFIG-FILE] [--demo A|B|C] [--lifetime SECONDS]\n");
			return 2;
		}
	}
	char error[300];
	if (!host_config_load(path, demo, error, sizeof(error))) {
		fprintf(stderr, "rtmhost: %s: %s\n", path ? path : "demo configuration", error);
		return 2;
	}
	if (lifetime)
		host.lifetime_s = lifetime;
	qsort(host.ifaces, host.nifaces, sizeof(host.ifaces[0]), by_index);
	InitializeCriticalSection(&host.lock);
	support_fill(&host.support);
	host.started_at = GetTickCount64();
	SetConsoleCtrlHandler(on_console, TRUE);

	HANDLE command_event;
	if (!view_open() || !ctl_start(&command_event))
		return 1;
	host_log("%u interfaces, %u protocols%s", host.nifaces, host.nprotos, path ? "" : " (embedded demo configuration)");
	proto_load_all();
	proto_start_complete_all();
	host_log("running");
	run(command_event);

	ctl_stop();
	view_close();
	int status = 0;
	for (unsigned k = 0; k < host.nprotos; k++)
		if (host.protos[k].state == PROTO_STUCK)
			status = 1;
	host_log("stopped%s", status ? " (a protocol did not stop cleanly)" : "");
	return status;
}

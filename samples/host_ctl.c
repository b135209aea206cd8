/*
 * host_ctl.c - the control channel: a named pipe, \\.\pipe\rtmhost-NAME,
 * and the commands rtmctl sends through it.
 *
 * One request per connection: the client writes one line, the host answers
 * with lines and a last line "status N [message]" (N a Win32 error code, 0
 * for success), then closes.  "watch" is the exception: it answers
 * "watching", then one "best ..." line per best-route change until the
 * client goes away or the router stops.
 *
 * A listener thread accepts connections, one thread per client reads the
 * request.  Everything but "watch" is executed by the manager thread
 * (ctl_run_pending, woken through the command event), because commands may
 * call into protocol DLLs (route add/delete are MibCreate/MibDelete of the
 * static protocol; "protocol stop" is StopProtocol) and all such calls come
 * from the manager thread.  The client thread waits for the answer.
 *
 * Commands: ping | show routes|dests|entities|nexthops|protocols|interfaces
 * |stats | show mib NAME | lookup ADDR | route add PREFIX via ADDR if N
 * [metric M] | route delete PREFIX via ADDR if N | interface enable|disable
 * INDEX | protocol stop NAME | stop | watch.
 */
#include "host.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX 1024

typedef struct ctl_request {
	char line[LINE_MAX];
	ctl_out out;
	HANDLE done;
	struct ctl_request *next;
} ctl_request;

static struct {
	CRITICAL_SECTION lock;
	ctl_request *head, **tail;
	HANDLE command_event;
	char pipe_name[80];
	volatile LONG stopping;
} C;

void ctl_printf(ctl_out *o, const char *format, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, format);
	int n = vsnprintf(line, sizeof(line), format, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (o->len + (size_t)n + 1 > o->cap) {
		size_t cap = (o->cap + (size_t)n + 1) * 2;
		char *grown = realloc(o->text, cap);
		if (!grown)
			return;
		o->text = grown;
		o->cap = cap;
	}
	memcpy(o->text + o->len, line, (size_t)n + 1);
	o->len += (size_t)n;
}

/* ---- the commands (manager thread) -------------------------------------------- */

static void show_protocols(ctl_out *o)
{
	for (unsigned k = 0; k < host.nprotos; k++) {
		host_proto *p = &host.protos[k];
		ctl_printf(o, "protocol %s id=0x%08lx state=%s functionality=0x%lx messages=%lu dll=%s%s%s\n", p->name,
			   p->id, proto_state_name(p->state), p->routing.rc.fSupportedFunctionality, p->messages, p->dll,
			   p->failure[0] ? " reason=" : "", p->failure);
	}
}

static void show_interfaces(ctl_out *o)
{
	for (unsigned k = 0; k < host.nifaces; k++) {
		host_iface *i = &host.ifaces[k];
		char a[20], protos[200] = "";
		for (unsigned m = 0; m < host.nprotos; m++)
			if (host.protos[m].on_iface[k] && host.protos[m].state == PROTO_RUNNING)
				snprintf(protos + strlen(protos), sizeof(protos) - strlen(protos), "%s%s", protos[0] ? "," : "",
					 host.protos[m].name);
		DWORD mask = ntohl(i->naddr ? i->addr[0].Mask : 0);
		unsigned len = 0;
		while (mask & 0x80000000u)
			len++, mask <<= 1;
		ctl_printf(o, "interface %lu name=%s type=%s admin=%s address=%s protocols=%s\n", i->index, i->name,
			   i->type == PERMANENT ? "permanent" : "demand-dial", i->enabled ? "enabled" : "disabled",
			   i->naddr ? kit_prefix(a, i->addr[0].Address, len) : "-", protos[0] ? protos : "-");
	}
}

static void show_mib(ctl_out *o, host_proto *p)
{
	BYTE out[512];
	ULONG size = sizeof(out);
	DWORD st = support_mib(p, MIB_GET, 0, NULL, &size, out);
	if (st != NO_ERROR) {
		ctl_printf(o, "status %lu MibGet failed\n", st);
		return;
	}
	if (p->id == SAMPLE_PROTO_DV && size == sizeof(SAMPLE_DV_MIB_STATS)) {
		SAMPLE_DV_MIB_STATS *s = (SAMPLE_DV_MIB_STATS *)out;
		ctl_printf(o, "mib %s sent=%lu received=%lu triggered=%lu routes=%lu expired=%lu bad=%lu\n", p->name,
			   s->UpdatesSent, s->UpdatesReceived, s->TriggeredUpdates, s->RoutesLearned, s->RoutesExpired,
			   s->BadPackets);
	} else if (p->id == SAMPLE_PROTO_MONITOR && size == sizeof(SAMPLE_MONITOR_MIB_STATS)) {
		SAMPLE_MONITOR_MIB_STATS *s = (SAMPLE_MONITOR_MIB_STATS *)out;
		ctl_printf(o, "mib %s notifications=%lu changes=%lu\n", p->name, s->Notifications, s->BestChanges);
	} else {
		ctl_printf(o, "mib %s bytes=", p->name);
		for (ULONG k = 0; k < size; k++)
			ctl_printf(o, "%02x", out[k]);
		ctl_printf(o, "\n");
	}
	ctl_printf(o, "status 0\n");
}

static void route_command(ctl_out *o, int argc, char **argv)
{
	SAMPLE_STATIC_ROUTE r = { 0, 0, 0, 0, 1 };
	unsigned len;
	BOOL add = !strcmp(argv[1], "add");
	if ((!add && strcmp(argv[1], "delete")) || (argc != 7 && argc != 9) || !parse_prefix(argv[2], &r.Dest, &len) ||
	    strcmp(argv[3], "via") || !parse_addr(argv[4], &r.NextHop) || strcmp(argv[5], "if") ||
	    !parse_ulong(argv[6], &r.IfIndex) || (argc == 9 && (strcmp(argv[7], "metric") || !parse_ulong(argv[8], &r.Metric)))) {
		ctl_printf(o, "status 87 usage: route add|delete PREFIX via ADDR if N [metric M]\n");
		return;
	}
	r.PrefixLen = len;
	host_proto *p = proto_by_id(SAMPLE_PROTO_STATIC);
	if (!p) {
		ctl_printf(o, "status 1168 no static protocol configured\n");
		return;
	}
	DWORD st = support_mib(p, add ? MIB_CREATE : MIB_DELETE, sizeof(r), &r, NULL, NULL);
	ctl_printf(o, "status %lu%s\n", st, st ? (add ? " MibCreate failed" : " MibDelete failed") : "");
}

/* administrative enable/disable: InterfaceStatus to every protocol on it */
static void interface_command(ctl_out *o, const char *what, const char *index_text)
{
	DWORD index;
	BOOL enable = !strcmp(what, "enable");
	if ((!enable && strcmp(what, "disable")) || !parse_ulong(index_text, &index)) {
		ctl_printf(o, "status 87 usage: interface enable|disable INDEX\n");
		return;
	}
	for (unsigned k = 0; k < host.nifaces; k++) {
		host_iface *i = &host.ifaces[k];
		if (i->index != index)
			continue;
		if (i->enabled != enable) {
			i->enabled = enable;
			for (unsigned m = 0; m < host.nprotos; m++)
				if (host.protos[m].on_iface[k] && host.protos[m].state == PROTO_RUNNING)
					host.protos[m].routing.rc.pfnInterfaceStatus(
						index, i->naddr > 0 && i->type == PERMANENT,
						enable ? RIS_INTERFACE_ENABLED : RIS_INTERFACE_DISABLED, NULL);
		}
		ctl_printf(o, "interface %lu admin=%s\nstatus 0\n", index, enable ? "enabled" : "disabled");
		return;
	}
	ctl_printf(o, "status 1168 no interface %lu\n", index);
}

static void execute(char *line, ctl_out *o)
{
	char *argv[16];
	int argc = 0;
	for (char *w = strtok(line, " \t\r\n"); w && argc < 16; w = strtok(NULL, " \t\r\n"))
		argv[argc++] = w;
	DWORD address;
	host_proto *p;
	if (argc == 1 && !strcmp(argv[0], "ping"))
		ctl_printf(o, "pong %s\nstatus 0\n", host.name);
	else if (argc == 2 && !strcmp(argv[0], "show")) {
		const char *what = argv[1];
		if (!strcmp(what, "routes"))
			view_routes(o);
		else if (!strcmp(what, "dests"))
			view_dests(o);
		else if (!strcmp(what, "entities"))
			view_entities(o);
		else if (!strcmp(what, "nexthops"))
			view_nexthops(o);
		else if (!strcmp(what, "protocols"))
			show_protocols(o);
		else if (!strcmp(what, "interfaces"))
			show_interfaces(o);
		else if (!strcmp(what, "stats"))
			view_stats(o);
		else {
			ctl_printf(o, "status 87 show what? routes dests entities nexthops protocols interfaces stats\n");
			return;
		}
		ctl_printf(o, "status 0\n");
	} else if (argc == 3 && !strcmp(argv[0], "show") && !strcmp(argv[1], "mib")) {
		if ((p = proto_by_name(argv[2])))
			show_mib(o, p);
		else
			ctl_printf(o, "status 1168 no protocol %s\n", argv[2]);
	} else if (argc == 2 && !strcmp(argv[0], "lookup") && parse_addr(argv[1], &address)) {
		view_lookup(o, address);
		ctl_printf(o, "status 0\n");
	} else if (argc >= 2 && !strcmp(argv[0], "route"))
		route_command(o, argc, argv);
	else if (argc == 3 && !strcmp(argv[0], "interface"))
		interface_command(o, argv[1], argv[2]);
	else if (argc == 3 && !strcmp(argv[0], "protocol") && !strcmp(argv[1], "stop")) {
		if (!(p = proto_by_name(argv[2])))
			ctl_printf(o, "status 1168 no protocol %s\n", argv[2]);
		else {
			DWORD st = proto_stop(p);
			ctl_printf(o, "protocol %s state=%s\nstatus %lu\n", p->name, proto_state_name(p->state),
				   st == ERROR_PROTOCOL_STOP_PENDING ? 0 : st);
		}
	} else if (argc == 1 && !strcmp(argv[0], "stop")) {
		host.shutting_down = TRUE;
		ctl_printf(o, "stopping %s\nstatus 0\n", host.name);
	} else
		ctl_printf(o, "status 87 unknown command\n");
}

void ctl_run_pending(void)
{
	for (;;) {
		EnterCriticalSection(&C.lock);
		ctl_request *r = C.head;
		if (r && !(C.head = r->next))
			C.tail = &C.head;
		LeaveCriticalSection(&C.lock);
		if (!r)
			return;
		execute(r->line, &r->out);
		SetEvent(r->done);
	}
}

/* ---- the pipe --------------------------------------------------------------------- */

static BOOL write_all(HANDLE pipe, const char *text, size_t len)
{
	while (len) {
		DWORD n;
		if (!WriteFile(pipe, text, len > 65536 ? 65536 : (DWORD)len, &n, NULL))
			return FALSE;
		text += n, len -= n;
	}
	return TRUE;
}

typedef struct watch_queue {
	CRITICAL_SECTION lock;
	HANDLE ready;
	ctl_out pending;
} watch_queue;

static void watch_push(void *context, const char *line)
{
	watch_queue *q = context;
	EnterCriticalSection(&q->lock);
	ctl_printf(&q->pending, "%s", line);
	LeaveCriticalSection(&q->lock);
	SetEvent(q->ready);
}

static void serve_watch(HANDLE pipe)
{
	watch_queue q;
	memset(&q, 0, sizeof(q));
	InitializeCriticalSection(&q.lock);
	q.ready = CreateEventA(NULL, FALSE, FALSE, NULL);
	void *token = view_watch_add(watch_push, &q);
	BOOL alive = write_all(pipe, "watching\n", 9);
	while (alive && token && !host.shutting_down && !C.stopping) {
		WaitForSingleObject(q.ready, 300);
		EnterCriticalSection(&q.lock);
		ctl_out out = q.pending;
		memset(&q.pending, 0, sizeof(q.pending));
		LeaveCriticalSection(&q.lock);
		if (out.len)
			alive = write_all(pipe, out.text, out.len);
		free(out.text);
		DWORD avail;
		if (alive && !PeekNamedPipe(pipe, NULL, 0, NULL, &avail, NULL))
			alive = FALSE;
	}
	view_watch_remove(token);
	if (alive)
		write_all(pipe, "status 0\n", 9);
	free(q.pending.text);
	CloseHandle(q.ready);
	DeleteCriticalSection(&q.lock);
}

static DWORD WINAPI client_thread(void *arg)
{
	HANDLE pipe = arg;
	ctl_request *r = calloc(1, sizeof(*r));
	size_t got = 0;
	DWORD n;
	while (r && got < LINE_MAX - 1 && ReadFile(pipe, r->line + got, 1, &n, NULL) && n == 1 && r->line[got] != '\n')
		got++;
	if (r && got) {
		r->line[got] = 0;
		if (!strncmp(r->line, "watch", 5)) {
			serve_watch(pipe);
		} else {
			r->done = CreateEventA(NULL, FALSE, FALSE, NULL);
			EnterCriticalSection(&C.lock);
			*C.tail = r;
			C.tail = &r->next;
			LeaveCriticalSection(&C.lock);
			SetEvent(C.command_event);
			WaitForSingleObject(r->done, INFINITE);
			CloseHandle(r->done);
			write_all(pipe, r->out.text ? r->out.text : "", r->out.len);
			free(r->out.text);
		}
	}
	free(r);
	FlushFileBuffers(pipe);
	DisconnectNamedPipe(pipe);
	CloseHandle(pipe);
	return 0;
}

static DWORD WINAPI listener(void *unused)
{
	(void)unused;
	while (!C.stopping) {
		HANDLE pipe = CreateNamedPipeA(C.pipe_name, PIPE_ACCESS_DUPLEX, PIPE_TYPE_BYTE | PIPE_READMODE_BYTE | PIPE_WAIT,
					       PIPE_UNLIMITED_INSTANCES, 65536, 65536, 0, NULL);
		if (pipe == INVALID_HANDLE_VALUE) {
			host_log("cannot create %s: error %lu", C.pipe_name, GetLastError());
			return 1;
		}
		BOOL connected = ConnectNamedPipe(pipe, NULL) || GetLastError() == ERROR_PIPE_CONNECTED;
		HANDLE t = connected && !C.stopping ? CreateThread(NULL, 0, client_thread, pipe, 0, NULL) : NULL;
		if (t)
			CloseHandle(t);
		else
			CloseHandle(pipe);
	}
	return 0;
}

BOOL ctl_start(HANDLE *command_event)
{
	InitializeCriticalSection(&C.lock);
	C.tail = &C.head;
	C.command_event = CreateEventA(NULL, FALSE, FALSE, NULL);
	snprintf(C.pipe_name, sizeof(C.pipe_name), "\\\\.\\pipe\\rtmhost-%s", host.name);
	HANDLE t = CreateThread(NULL, 0, listener, NULL, 0, NULL);
	if (!t || !C.command_event)
		return FALSE;
	CloseHandle(t);
	*command_event = C.command_event;
	host_log("control pipe %s", C.pipe_name);
	return TRUE;
}

void ctl_stop(void)
{
	InterlockedExchange(&C.stopping, 1);
	/* wake the listener out of ConnectNamedPipe */
	HANDLE h = CreateFileA(C.pipe_name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
	if (h != INVALID_HANDLE_VALUE)
		CloseHandle(h);
}

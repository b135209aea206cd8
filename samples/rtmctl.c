/*
 * rtmctl.exe - look inside a running rtmhost, through its control pipe.
 *
 *   rtmctl [-r ROUTER] [-m] [-t SECONDS] [-n COUNT] COMMAND...
 *
 *   show routes        every route: owner, metric, preference, views, the
 *                      views it is best in, next hops, age
 *   show dests         every destination with its best routes per view
 *   show entities | nexthops | protocols | interfaces | stats | mib NAME
 *   lookup ADDR        longest-prefix match in the unicast view
 *   route add PREFIX via ADDR if N [metric M]     static route (MibCreate)
 *   route delete PREFIX via ADDR if N             (MibDelete)
 *   interface enable|disable INDEX   administrative state (InterfaceStatus)
 *   protocol stop NAME stop and unload one protocol
 *   watch              best-route changes as they happen (-t: for at most
 *                      SECONDS, -n: until COUNT changes were seen)
 *   stop               stop the router
 *
 * ROUTER is the router's name (pipe \\.\pipe\rtmhost-ROUTER, default A).
 * The host answers in "kind key=value..." lines; -m prints them as they
 * are, one line per object, for scripts and tests; otherwise they become
 * tables.  Exit status: 0 on success, 1 when the router reported an error
 * (its message on stderr), 2 when the router cannot be reached.
 */
#include <windows.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct column {
	const char *title;
	const char *key; /* "" = the word after the kind */
	int width;
} column;

typedef struct table {
	const char *kind;
	column cols[10];
} table;

static const table tables[] = {
	{ "route",
	  { { "Destination", "", 19 },
	    { "Owner", "owner", 8 },
	    { "Metric", "metric", 7 },
	    { "Pref", "pref", 5 },
	    { "Views", "views", 6 },
	    { "Best", "best", 5 },
	    { "Age", "age", 6 },
	    { "Next hops", "nexthops", 0 } } },
	{ "dest",
	  { { "Destination", "", 19 },
	    { "Views", "views", 6 },
	    { "Routes", "routes", 7 },
	    { "Unicast best", "uowner", 13 },
	    { "Metric", "umetric", 7 },
	    { "Multicast best", "mbest", 15 },
	    { "Hold", "hold", 7 },
	    { "Next hops", "unexthops", 0 } } },
	{ "nexthop",
	  { { "Next hop", "", 16 },
	    { "If", "if", 4 },
	    { "Owner", "owner", 9 },
	    { "Routes", "routes", 7 },
	    { "State", "state", 8 },
	    { "Flags", "flags", 0 } } },
	{ "entity",
	  { { "Entity", "", 10 }, { "Protocol ID", "proto", 12 }, { "Instance", "instance", 9 }, { "Family", "family", 0 } } },
	{ "protocol",
	  { { "Protocol", "", 10 },
	    { "ID", "id", 11 },
	    { "State", "state", 11 },
	    { "Messages", "messages", 9 },
	    { "Reason", "reason", 0 } } },
	{ "interface",
	  { { "Index", "", 6 },
	    { "Name", "name", 8 },
	    { "Type", "type", 12 },
	    { "Admin", "admin", 9 },
	    { "Address", "address", 17 },
	    { "Protocols", "protocols", 0 } } },
};

/* value of key in a "kind first key=value..." line ("" = first) */
static const char *field(const char *line, const char *key, char *out, size_t size)
{
	const char *p = strchr(line, ' ');
	out[0] = 0;
	if (!p)
		return out;
	size_t klen = strlen(key);
	for (p++; *p;) {
		const char *end = p + strcspn(p, " \n\r");
		const char *value = NULL;
		if (!klen && !memchr(p, '=', (size_t)(end - p)))
			value = p;
		else if (klen && (size_t)(end - p) > klen && !strncmp(p, key, klen) && p[klen] == '=')
			value = p + klen + 1;
		if (value) {
			if (klen && !strcmp(key, "reason"))
				end = p + strcspn(p, "\n\r"); /* the reason runs to the end */
			size_t n = (size_t)(end - value) < size - 1 ? (size_t)(end - value) : size - 1;
			memcpy(out, value, n);
			out[n] = 0;
			return out;
		}
		if (!klen || *end != ' ')
			break;
		p = end + strspn(end, " ");
	}
	return out;
}

static const table *table_of(const char *line)
{
	for (unsigned k = 0; k < sizeof(tables) / sizeof(tables[0]); k++) {
		size_t n = strlen(tables[k].kind);
		if (!strncmp(line, tables[k].kind, n) && line[n] == ' ')
			return &tables[k];
	}
	return NULL;
}

static void print_human(const char *line, const table **last)
{
	const table *t = table_of(line);
	if (!t) {
		fputs(line, stdout);
		return;
	}
	if (t != *last) {
		for (const column *c = t->cols; c->title; c++)
			printf("%-*s", c->width, c->title);
		printf("\n");
		*last = t;
	}
	for (const column *c = t->cols; c->title; c++) {
		char v[256];
		field(line, c->key, v, sizeof(v));
		printf("%-*s", c->width ? c->width - 1 : 0, v[0] ? v : "-");
		if (c->width)
			printf(" ");
	}
	printf("\n");
}

static HANDLE connect_router(const char *router)
{
	char name[100];
	snprintf(name, sizeof(name), "\\\\.\\pipe\\rtmhost-%s", router);
	for (int tries = 0; tries < 50; tries++) {
		HANDLE h = CreateFileA(name, GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, 0, NULL);
		if (h != INVALID_HANDLE_VALUE)
			return h;
		if (GetLastError() != ERROR_PIPE_BUSY)
			break;
		WaitNamedPipeA(name, 200);
	}
	fprintf(stderr, "rtmctl: cannot reach router %s (%s): error %lu\n", router, name, GetLastError());
	return INVALID_HANDLE_VALUE;
}

int main(int argc, char **argv)
{
	const char *router = "A";
	BOOL machine = FALSE;
	DWORD seconds = 0, count = 0;
	int k = 1;
	for (; k < argc && argv[k][0] == '-'; k++) {
		if (!strcmp(argv[k], "-m"))
			machine = TRUE;
		else if (!strcmp(argv[k], "-r") && k + 1 < argc)
			router = argv[++k];
		else if (!strcmp(argv[k], "-t") && k + 1 < argc)
			seconds = strtoul(argv[++k], NULL, 10);
		else if (!strcmp(argv[k], "-n") && k + 1 < argc)
			count = strtoul(argv[++k], NULL, 10);
		else
			break;
	}
	if (k >= argc) {
		fprintf(stderr, "usage: rtmctl [-r ROUTER] [-m] [-t SECONDS] [-n COUNT] COMMAND...\n"
				"commands: show routes|dests|entities|nexthops|protocols|interfaces|stats, show mib NAME,\n"
				"          lookup ADDR, route add|delete PREFIX via ADDR if N [metric M],\n"
				"          interface enable|disable INDEX, protocol stop NAME, watch, stop, ping\n");
		return 2;
	}
	char request[1024] = "";
	for (; k < argc; k++)
		snprintf(request + strlen(request), sizeof(request) - strlen(request), "%s%s", argv[k], k + 1 < argc ? " " : "\n");
	HANDLE pipe = connect_router(router);
	if (pipe == INVALID_HANDLE_VALUE)
		return 2;
	DWORD n;
	if (!WriteFile(pipe, request, (DWORD)strlen(request), &n, NULL)) {
		fprintf(stderr, "rtmctl: writing to router %s failed: %lu\n", router, GetLastError());
		return 2;
	}
	BOOL watch = !strncmp(request, "watch", 5);
	ULONGLONG deadline = seconds ? GetTickCount64() + seconds * 1000ull : 0;
	char line[2048];
	size_t len = 0;
	int status = -1;
	DWORD changes = 0;
	const table *last = NULL;
	for (;;) {
		if (deadline && GetTickCount64() > deadline)
			break;
		DWORD avail = 0;
		if (watch && PeekNamedPipe(pipe, NULL, 0, NULL, &avail, NULL) && !avail) {
			Sleep(50);
			continue;
		}
		char c;
		if (!ReadFile(pipe, &c, 1, &n, NULL) || !n)
			break;
		if (len < sizeof(line) - 2)
			line[len++] = c;
		if (c != '\n')
			continue;
		line[len] = 0;
		len = 0;
		if (!strncmp(line, "status ", 7)) {
			status = atoi(line + 7);
			if (status) {
				char *msg = strchr(line + 7, ' ');
				fprintf(stderr, "rtmctl: router %s: error %d: %s", router, status, msg ? msg + 1 : "failed\n");
			}
			break;
		}
		if (machine)
			fputs(line, stdout);
		else
			print_human(line, &last);
		fflush(stdout);
		if (watch && !strncmp(line, "best ", 5) && count && ++changes >= count)
			break;
	}
	CloseHandle(pipe);
	if (watch && status < 0)
		status = 0;
	if (status < 0) {
		fprintf(stderr, "rtmctl: router %s closed the connection without an answer\n", router);
		return 2;
	}
	return status ? 1 : 0;
}

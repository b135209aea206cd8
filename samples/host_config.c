/*
 * host_config.c - the host's configuration: a small text file, or one of
 * the embedded demo routers when no file is given.
 *
 * The router manager is configured with information headers (global and
 * per interface) and a catalogue of protocol DLLs; RRAS keeps them in the
 * registry.  This host builds the same headers in memory from text
 * (router-manager spec 9.1, "Decision"), then runs the identical start-up:
 *
 *   router NAME                     control pipe \\.\pipe\rtmhost-NAME
 *   router-id ADDR                  GetRouterId (default: highest address)
 *   lifetime SECONDS                stop by itself after that long
 *   interface INDEX NAME [ADDR/LEN...] [demand-dial] [disabled]
 *   protocol NAME DLL [kind static|dv|monitor|raw] [id ID]
 *       <indented lines: that protocol's configuration, host_encode.c>
 *
 * '#' starts a comment.  A DLL path without a directory is looked up next
 * to rtmhost.exe (RRAS too loads protocols by full path).  The kind
 * defaults to the protocol's name when that is a sample's, else raw; the
 * ID defaults to the sample's.
 */
#include "host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_WORDS 32

static const char demo_a[] = "router A\n"
			     "lifetime 120\n"
			     "interface 1 to-B 127.0.0.1/8\n"
			     "interface 2 lan-a 127.1.1.1/24\n"
			     "protocol static static.dll\n"
			     "  route 10.1.0.0/16 via 127.1.1.254 if 2 metric 1\n"
			     "  route 10.2.0.0/16 via 127.1.1.254 if 2 metric 1\n"
			     "protocol dv dv.dll\n"
			     "  timers update 1000 timeout 3500 trigger 200\n"
			     "  announce static\n"
			     "  interface 1 port 5521 neighbor 127.0.0.2:5522\n"
			     "protocol monitor monitor.dll\n";

static const char demo_b[] = "router B\n"
			     "lifetime 120\n"
			     "interface 1 to-A 127.0.0.2/8\n"
			     "interface 2 to-C 127.0.0.2/8\n"
			     "interface 3 lan-b 127.2.1.1/24\n"
			     "protocol static static.dll\n"
			     "  route 10.20.0.0/16 via 127.2.1.254 if 3 metric 1\n"
			     "  route 10.2.0.0/16 via 127.2.1.254 if 3 metric 5\n"
			     "protocol dv dv.dll\n"
			     "  timers update 1000 timeout 3500 trigger 200\n"
			     "  announce static\n"
			     "  interface 1 port 5522 neighbor 127.0.0.1:5521\n"
			     "  interface 2 port 5523 neighbor 127.0.0.3:5524\n"
			     "protocol monitor monitor.dll\n";

static const char demo_c[] = "router C\n"
			     "lifetime 120\n"
			     "interface 1 to-B 127.0.0.3/8\n"
			     "interface 2 lan-c 127.3.1.1/24\n"
			     "protocol static static.dll\n"
			     "  route 10.3.0.0/16 via 127.3.1.254 if 2 metric 1\n"
			     "protocol dv dv.dll\n"
			     "  timers update 1000 timeout 3500 trigger 200\n"
			     "  announce static\n"
			     "  interface 1 port 5524 neighbor 127.0.0.2:5523\n"
			     "protocol monitor monitor.dll\n";

const char *host_config_demo(const char *router)
{
	if (!router || !strcmp(router, "A"))
		return demo_a;
	if (!strcmp(router, "B"))
		return demo_b;
	if (!strcmp(router, "C"))
		return demo_c;
	return NULL;
}

#define FAIL(...) (snprintf(error, size, __VA_ARGS__), FALSE)

static void dll_path(char *out, const char *dll)
{
	if (strchr(dll, '\\') || strchr(dll, '/') || strchr(dll, ':')) {
		snprintf(out, MAX_PATH, "%s", dll);
		return;
	}
	char exe[MAX_PATH];
	DWORD n = GetModuleFileNameA(NULL, exe, sizeof(exe));
	char *slash = n ? strrchr(exe, '\\') : NULL;
	if (slash)
		slash[1] = 0;
	else
		exe[0] = 0;
	snprintf(out, MAX_PATH, "%s%s", exe, dll);
}

static BOOL interface_line(int argc, char **argv, char *error, size_t size)
{
	if (argc < 3 || host.nifaces == HOST_MAX_IFACES)
		return FAIL("usage: interface INDEX NAME [ADDR/LEN...] [demand-dial] [disabled]");
	host_iface *i = &host.ifaces[host.nifaces];
	memset(i, 0, sizeof(*i));
	if (!parse_ulong(argv[1], &i->index) || !i->index || strlen(argv[2]) >= sizeof(i->name))
		return FAIL("interface: bad index or name");
	for (unsigned k = 0; k < host.nifaces; k++)
		if (host.ifaces[k].index == i->index || !strcmp(host.ifaces[k].name, argv[2]))
			return FAIL("interface %s: index or name used twice", argv[1]);
	strcpy(i->name, argv[2]);
	MultiByteToWideChar(CP_UTF8, 0, i->name, -1, i->wname, 64);
	i->type = PERMANENT;
	i->enabled = TRUE;
	for (int k = 3; k < argc; k++) {
		DWORD a;
		unsigned len;
		if (!strcmp(argv[k], "demand-dial"))
			i->type = DEMAND_DIAL;
		else if (!strcmp(argv[k], "disabled"))
			i->enabled = FALSE;
		else if (i->naddr < HOST_MAX_ADDRESSES && strchr(argv[k], '/') && parse_prefix(argv[k], &a, &len)) {
			parse_addr(strtok(argv[k], "/"), &a);
			i->addr[i->naddr].Address = a;
			i->addr[i->naddr++].Mask = RTM_IPV4_MASK_FROM_LEN(len);
		} else
			return FAIL("interface: bad '%s'", argv[k]);
	}
	if (!(i->info = ib_new()))
		return FAIL("out of memory");
	host.nifaces++;
	return TRUE;
}

static BOOL protocol_line(int argc, char **argv, host_encoder **enc, char *error, size_t size)
{
	if (argc < 3 || argc % 2 == 0 || host.nprotos == HOST_MAX_PROTOCOLS)
		return FAIL("usage: protocol NAME DLL [kind K] [id ID]");
	host_proto *p = &host.protos[host.nprotos];
	memset(p, 0, sizeof(*p));
	if (strlen(argv[1]) >= sizeof(p->name) || proto_by_name(argv[1]))
		return FAIL("protocol %s: name too long or used twice", argv[1]);
	strcpy(p->name, argv[1]);
	dll_path(p->dll, argv[2]);
	const char *kind = !strcmp(argv[1], "static") || !strcmp(argv[1], "dv") || !strcmp(argv[1], "monitor") ? argv[1]
															 : "raw";
	BOOL explicit_id = FALSE;
	for (int k = 3; k + 1 < argc; k += 2) {
		if (!strcmp(argv[k], "kind"))
			kind = argv[k + 1];
		else if (!strcmp(argv[k], "id") && parse_ulong(argv[k + 1], &p->id))
			explicit_id = TRUE;
		else
			return FAIL("protocol: bad '%s %s'", argv[k], argv[k + 1]);
	}
	DWORD default_id = 0;
	*enc = host_encoder_new(kind, &default_id);
	if (!*enc)
		return FAIL("protocol %s: unknown kind '%s'", p->name, kind);
	if (!explicit_id)
		p->id = default_id;
	if (!p->id)
		return FAIL("protocol %s: needs an id", p->name);
	host.nprotos++;
	return TRUE;
}

static int split(char *line, char **argv)
{
	char *hash = strchr(line, '#');
	if (hash)
		*hash = 0;
	int argc = 0;
	for (char *w = strtok(line, " \t\r\n"); w && argc < MAX_WORDS; w = strtok(NULL, " \t\r\n"))
		argv[argc++] = w;
	return argc;
}

static BOOL parse_text(char *text, char *error, size_t size)
{
	host_encoder *encoders[HOST_MAX_PROTOCOLS] = { 0 };
	host_encoder *current = NULL;
	BOOL ok = TRUE;
	int lineno = 0;
	char err[200] = "";
	for (char *line = text, *next; ok && line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		lineno++;
		BOOL indented = *line == ' ' || *line == '\t';
		char *argv[MAX_WORDS];
		int argc = split(line, argv);
		if (!argc)
			continue;
		if (indented && current)
			ok = host_encoder_line(current, argc, argv, err, sizeof(err));
		else if (indented)
			ok = (snprintf(err, sizeof(err), "indented line outside a protocol"), FALSE);
		else if (!strcmp(argv[0], "router") && argc == 2 && strlen(argv[1]) < sizeof(host.name))
			strcpy(host.name, argv[1]);
		else if (!strcmp(argv[0], "router-id") && argc == 2)
			ok = parse_addr(argv[1], &host.router_id) || (snprintf(err, sizeof(err), "bad address"), FALSE);
		else if (!strcmp(argv[0], "lifetime") && argc == 2)
			ok = parse_ulong(argv[1], &host.lifetime_s) || (snprintf(err, sizeof(err), "bad number"), FALSE);
		else if (!strcmp(argv[0], "interface"))
			ok = interface_line(argc, argv, err, sizeof(err));
		else if (!strcmp(argv[0], "protocol")) {
			current = NULL;
			ok = protocol_line(argc, argv, &current, err, sizeof(err));
			if (ok)
				encoders[host.nprotos - 1] = current;
		} else
			ok = (snprintf(err, sizeof(err), "unknown line '%s'", argv[0]), FALSE);
	}
	if (!ok)
		snprintf(error, size, "line %d: %s", lineno, err);
	for (unsigned k = 0; k < host.nprotos; k++) {
		if (ok && !host_encoder_finish(encoders[k], host.protos[k].id, err, sizeof(err)))
			ok = FAIL("protocol %s: %s", host.protos[k].name, err);
		else if (!ok && encoders[k])
			host_encoder_finish(encoders[k], host.protos[k].id, err, sizeof(err));
	}
	return ok;
}

BOOL host_config_load(const char *path, const char *demo_router, char *error, size_t size)
{
	char *text = NULL;
	if (path) {
		FILE *f = fopen(path, "rb");
		if (!f)
			return FAIL("cannot open %s", path);
		fseek(f, 0, SEEK_END);
		long n = ftell(f);
		fseek(f, 0, SEEK_SET);
		text = n >= 0 ? calloc(1, (size_t)n + 1) : NULL;
		if (text && fread(text, 1, (size_t)n, f) != (size_t)n) {
			free(text);
			text = NULL;
		}
		fclose(f);
		if (!text)
			return FAIL("cannot read %s", path);
	} else {
		const char *demo = host_config_demo(demo_router);
		if (!demo)
			return FAIL("no demo router '%s' (A, B or C)", demo_router);
		text = strdup(demo);
	}
	strcpy(host.name, "rtmhost");
	if (!(host.global = ib_new()) || !text) {
		free(text);
		return FAIL("out of memory");
	}
	BOOL ok = parse_text(text, error, size);
	free(text);
	return ok;
}

/*
 * host_encode.c - turning a protocol's configuration lines into the private
 * blocks the protocol expects: its global block and one block per interface
 * it runs on.
 *
 * In RRAS a protocol's configuration helper (netsh, the MMC snap-in) writes
 * these blocks; the router manager only stores and forwards them.  Here the
 * host's configuration reader plays the helper for the sample protocols, in
 * the layouts of sample_config.h, and offers "raw" blocks in hex for any
 * other DLL:
 *
 *   kind static   preference N
 *                 route PREFIX via ADDR if N [metric M]
 *   kind dv       preference N
 *                 timers [update MS] [timeout MS] [trigger MS]
 *                 announce NAME-or-ID...
 *                 interface N port P [cost C] neighbor ADDR:PORT...
 *   kind monitor  delay MS
 *   kind raw      global-hex HEX | interface N hex HEX   ("-": zero length)
 *
 * A block is produced for every protocol (an empty one for raw without
 * global-hex): the router manager starts the clients that have a block in
 * its global information.  Blocks go out as one item (count 1) whose size
 * is the whole structure.
 */
#include "host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { KIND_STATIC, KIND_DV, KIND_MONITOR, KIND_RAW };

typedef struct enc_block {
	ULONG ifindex;
	BYTE *data;
	ULONG size;
} enc_block;

struct host_encoder {
	int kind;
	BYTE *global;
	ULONG global_size;
	char announce[SAMPLE_DV_MAX_ANNOUNCE][32];
	unsigned nannounce;
	enc_block ifs[HOST_MAX_IFACES];
	unsigned nifs;
};

#define FAIL(...) (snprintf(error, size, __VA_ARGS__), FALSE)

host_encoder *host_encoder_new(const char *kind, DWORD *default_id)
{
	static const struct {
		const char *name;
		int kind;
		DWORD id;
	} kinds[] = {
		{ "static", KIND_STATIC, SAMPLE_PROTO_STATIC },
		{ "dv", KIND_DV, SAMPLE_PROTO_DV },
		{ "monitor", KIND_MONITOR, SAMPLE_PROTO_MONITOR },
		{ "raw", KIND_RAW, 0 },
	};
	for (unsigned k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (strcmp(kind, kinds[k].name))
			continue;
		host_encoder *e = calloc(1, sizeof(*e));
		if (!e)
			return NULL;
		e->kind = kinds[k].kind;
		*default_id = kinds[k].id;
		if (e->kind == KIND_STATIC) {
			SAMPLE_STATIC_GLOBAL g = { SAMPLE_CONFIG_VERSION, 3, 0 };
			e->global_size = sizeof(g);
			e->global = malloc(sizeof(g));
			memcpy(e->global, &g, sizeof(g));
		} else if (e->kind == KIND_DV) {
			SAMPLE_DV_GLOBAL g = { SAMPLE_CONFIG_VERSION, 120, 1000, 3500, 200, 0, { 0 } };
			e->global_size = sizeof(g);
			e->global = malloc(sizeof(g));
			memcpy(e->global, &g, sizeof(g));
		} else if (e->kind == KIND_MONITOR) {
			SAMPLE_MONITOR_GLOBAL g = { SAMPLE_CONFIG_VERSION, 0 };
			e->global_size = sizeof(g);
			e->global = malloc(sizeof(g));
			memcpy(e->global, &g, sizeof(g));
		}
		if (e->kind != KIND_RAW && !e->global) {
			free(e);
			return NULL;
		}
		return e;
	}
	return NULL;
}

static BOOL parse_hex(const char *text, BYTE **out, ULONG *bytes)
{
	*out = NULL;
	*bytes = 0;
	if (!strcmp(text, "-"))
		return TRUE;
	size_t n = strlen(text);
	if (n % 2 || !(*out = malloc(n / 2 + 1)))
		return FALSE;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;
		if (sscanf(text + 2 * i, "%2x", &v) != 1)
			return FALSE;
		(*out)[i] = (BYTE)v;
	}
	*bytes = (ULONG)(n / 2);
	return TRUE;
}

static enc_block *iface_block(host_encoder *e, ULONG ifindex)
{
	for (unsigned k = 0; k < e->nifs; k++)
		if (e->ifs[k].ifindex == ifindex)
			return &e->ifs[k];
	if (e->nifs == HOST_MAX_IFACES)
		return NULL;
	e->ifs[e->nifs] = (enc_block){ ifindex, NULL, 0 };
	return &e->ifs[e->nifs++];
}

static BOOL static_line(host_encoder *e, int argc, char **argv, char *error, size_t size)
{
	SAMPLE_STATIC_GLOBAL *g = (SAMPLE_STATIC_GLOBAL *)e->global;
	if (argc == 2 && !strcmp(argv[0], "preference"))
		return parse_ulong(argv[1], &g->Preference) || FAIL("bad preference %s", argv[1]);
	if (!strcmp(argv[0], "route") && (argc == 6 || argc == 8)) {
		SAMPLE_STATIC_ROUTE r = { 0, 0, 0, 0, 1 };
		unsigned len;
		if (!parse_prefix(argv[1], &r.Dest, &len) || strcmp(argv[2], "via") ||
		    !parse_addr(argv[3], &r.NextHop) || strcmp(argv[4], "if") || !parse_ulong(argv[5], &r.IfIndex) ||
		    (argc == 8 && (strcmp(argv[6], "metric") || !parse_ulong(argv[7], &r.Metric))))
			return FAIL("usage: route PREFIX via ADDR if N [metric M]");
		r.PrefixLen = len;
		ULONG grown_size = (ULONG)SAMPLE_STATIC_GLOBAL_SIZE(g->NumRoutes + 1);
		BYTE *grown = realloc(e->global, grown_size);
		if (!grown)
			return FAIL("out of memory");
		e->global = grown;
		e->global_size = grown_size;
		g = (SAMPLE_STATIC_GLOBAL *)grown;
		g->Routes[g->NumRoutes++] = r;
		return TRUE;
	}
	return FAIL("static: unknown line '%s'", argv[0]);
}

static BOOL dv_interface_line(host_encoder *e, int argc, char **argv, char *error, size_t size)
{
	SAMPLE_DV_INTERFACE cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.Version = SAMPLE_CONFIG_VERSION;
	cfg.Cost = 1;
	DWORD ifindex;
	if (argc < 2 || !parse_ulong(argv[1], &ifindex))
		return FAIL("usage: interface N port P [cost C] neighbor ADDR:PORT...");
	for (int k = 2; k < argc; k += 2) {
		if (k + 1 >= argc)
			return FAIL("interface: '%s' needs a value", argv[k]);
		if (!strcmp(argv[k], "port") && parse_ulong(argv[k + 1], &cfg.Port))
			continue;
		if (!strcmp(argv[k], "cost") && parse_ulong(argv[k + 1], &cfg.Cost))
			continue;
		if (!strcmp(argv[k], "neighbor") && cfg.NumNeighbors < SAMPLE_DV_MAX_NEIGHBORS) {
			char addr[32];
			SAMPLE_DV_NEIGHBOR *n = &cfg.Neighbors[cfg.NumNeighbors];
			const char *colon = strchr(argv[k + 1], ':');
			if (colon && colon - argv[k + 1] < (int)sizeof(addr)) {
				memcpy(addr, argv[k + 1], (size_t)(colon - argv[k + 1]));
				addr[colon - argv[k + 1]] = 0;
				if (parse_addr(addr, &n->Address) && parse_ulong(colon + 1, &n->Port)) {
					cfg.NumNeighbors++;
					continue;
				}
			}
		}
		return FAIL("interface: bad '%s %s'", argv[k], argv[k + 1]);
	}
	enc_block *b = iface_block(e, ifindex);
	if (!b || !(b->data = malloc(sizeof(cfg))))
		return FAIL("too many interfaces");
	memcpy(b->data, &cfg, sizeof(cfg));
	b->size = sizeof(cfg);
	return TRUE;
}

static BOOL dv_line(host_encoder *e, int argc, char **argv, char *error, size_t size)
{
	SAMPLE_DV_GLOBAL *g = (SAMPLE_DV_GLOBAL *)e->global;
	if (argc == 2 && !strcmp(argv[0], "preference"))
		return parse_ulong(argv[1], &g->Preference) || FAIL("bad preference %s", argv[1]);
	if (!strcmp(argv[0], "timers") && argc % 2 == 1) {
		for (int k = 1; k < argc; k += 2) {
			DWORD *v = !strcmp(argv[k], "update")	 ? &g->UpdateMs
				   : !strcmp(argv[k], "timeout") ? &g->TimeoutMs
				   : !strcmp(argv[k], "trigger") ? &g->TriggerMs
								 : NULL;
			if (!v || !parse_ulong(argv[k + 1], v))
				return FAIL("usage: timers [update MS] [timeout MS] [trigger MS]");
		}
		return TRUE;
	}
	if (!strcmp(argv[0], "announce")) {
		for (int k = 1; k < argc; k++) {
			if (e->nannounce == SAMPLE_DV_MAX_ANNOUNCE || strlen(argv[k]) >= sizeof(e->announce[0]))
				return FAIL("announce: too many or too long");
			strcpy(e->announce[e->nannounce++], argv[k]);
		}
		return TRUE;
	}
	if (!strcmp(argv[0], "interface"))
		return dv_interface_line(e, argc, argv, error, size);
	return FAIL("dv: unknown line '%s'", argv[0]);
}

static BOOL raw_line(host_encoder *e, int argc, char **argv, char *error, size_t size)
{
	if (argc == 2 && !strcmp(argv[0], "global-hex")) {
		free(e->global);
		return parse_hex(argv[1], &e->global, &e->global_size) || FAIL("bad hex");
	}
	DWORD ifindex;
	if (argc == 4 && !strcmp(argv[0], "interface") && parse_ulong(argv[1], &ifindex) && !strcmp(argv[2], "hex")) {
		enc_block *b = iface_block(e, ifindex);
		return (b && parse_hex(argv[3], &b->data, &b->size)) || FAIL("bad interface block");
	}
	return FAIL("raw: usage: global-hex HEX | interface N hex HEX");
}

BOOL host_encoder_line(host_encoder *e, int argc, char **argv, char *error, size_t size)
{
	switch (e->kind) {
	case KIND_STATIC:
		return static_line(e, argc, argv, error, size);
	case KIND_DV:
		return dv_line(e, argc, argv, error, size);
	case KIND_MONITOR:
		if (argc == 2 && !strcmp(argv[0], "delay"))
			return parse_ulong(argv[1], &((SAMPLE_MONITOR_GLOBAL *)e->global)->DelayMs) || FAIL("bad delay");
		return FAIL("monitor: usage: delay MS");
	default:
		return raw_line(e, argc, argv, error, size);
	}
}

DWORD host_protocol_id_by_name(const char *name)
{
	for (unsigned k = 0; k < host.nprotos; k++)
		if (!strcmp(host.protos[k].name, name))
			return host.protos[k].id;
	return 0;
}

BOOL host_encoder_finish(host_encoder *e, DWORD id, char *error, size_t size)
{
	BOOL ok = TRUE;
	if (e->kind == KIND_DV) {
		SAMPLE_DV_GLOBAL *g = (SAMPLE_DV_GLOBAL *)e->global;
		for (unsigned k = 0; k < e->nannounce; k++) {
			DWORD pid = host_protocol_id_by_name(e->announce[k]);
			if (!pid && !parse_ulong(e->announce[k], &pid))
				ok = FAIL("announce: no protocol '%s'", e->announce[k]);
			g->Announce[g->NumAnnounce++] = pid;
		}
	}
	if (ok && !ib_set(&host.global, id, e->global_size, 1, e->global))
		ok = FAIL("out of memory");
	for (unsigned k = 0; ok && k < e->nifs; k++) {
		host_iface *i = NULL;
		for (unsigned m = 0; m < host.nifaces; m++)
			if (host.ifaces[m].index == e->ifs[k].ifindex)
				i = &host.ifaces[m];
		if (!i)
			ok = FAIL("no interface %lu", e->ifs[k].ifindex);
		else if (!ib_set(&i->info, id, e->ifs[k].size, 1, e->ifs[k].data))
			ok = FAIL("out of memory");
	}
	for (unsigned k = 0; k < e->nifs; k++)
		free(e->ifs[k].data);
	free(e->global);
	free(e);
	return ok;
}

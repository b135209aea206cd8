/*
 * host.h - rtmhost, the router-manager host: its model and its modules.
 *
 * rtmhost does for routing-protocol DLLs what the RRAS IP router manager
 * does (docs/SAMPLE_ROUTER.md, spec router-manager-interface.md section 9):
 *   host_main.c       start-up, the manager thread's wait loop, shutdown
 *   host_config.c     the text configuration (or the embedded demo routers)
 *   host_encode.c     per-protocol configuration lines -> private blocks
 *   host_infoblock.c  rtinfo.h information headers: build, find, replace
 *   host_protocol.c   load, register, start, interfaces, events, stop, unload
 *   host_support.c    the SUPPORT_FUNCTIONS table handed to StartProtocol
 *   host_ctl.c        the control pipe and the commands rtmctl sends
 *   host_view.c       the host's own RTM entity: route/dest/entity/next-hop
 *                     listings, lookups, ages, and the best-route watch
 *   host_parse.c      addresses, prefixes, numbers
 * It links proto_kit too (logging, address printing, the RTM batch loops).
 *
 * Threads: every call into a protocol DLL is made by the manager thread
 * (the main thread), so calls into one DLL never overlap from our side.
 * Control-pipe threads hand their commands to the manager thread and wait;
 * only "watch" streams from its own thread.  Support functions run on the
 * protocols' threads; they read protocol state under host.lock but never
 * call into a DLL with it held.
 */
#ifndef SAMPLE_HOST_H
#define SAMPLE_HOST_H

#include "proto_kit.h"

#include <rtinfo.h>

#define HOST_MAX_IFACES 32
#define HOST_MAX_PROTOCOLS 16
#define HOST_MAX_ADDRESSES 8
#define HOST_CHAR_BUF 1024 /* the characteristics buffers (spec 3.1) */
#define HOST_STOP_TIMEOUT_MS 60000

typedef struct host_iface {
	ULONG index;
	char name[64];
	WCHAR wname[64];
	NET_INTERFACE_TYPE type;
	BOOL enabled;
	ULONG naddr;
	IP_LOCAL_BINDING addr[HOST_MAX_ADDRESSES];
	PRTR_INFO_BLOCK_HEADER info; /* one block per protocol running here */
} host_iface;

typedef enum host_proto_state {
	PROTO_CONFIGURED, /* read from the configuration, not loaded */
	PROTO_FAILED,     /* load, registration or start failed: unloaded */
	PROTO_RUNNING,
	PROTO_STOPPING, /* StopProtocol answered ERROR_PROTOCOL_STOP_PENDING */
	PROTO_STOPPED,  /* stopped and unloaded */
	PROTO_STUCK,    /* did not stop: left loaded, never called again */
} host_proto_state;

typedef struct host_proto {
	char name[32];
	char dll[MAX_PATH];
	DWORD id;
	host_proto_state state;
	char failure[160]; /* why it failed or got stuck, for "show protocols" */
	HMODULE module;
	union {
		MPR_ROUTING_CHARACTERISTICS rc;
		BYTE bytes[HOST_CHAR_BUF];
	} routing;
	union {
		MPR_SERVICE_CHARACTERISTICS sc;
		BYTE bytes[HOST_CHAR_BUF];
	} service;
	HANDLE event;
	BOOL on_iface[HOST_MAX_IFACES]; /* AddInterface succeeded (by slot) */
	ULONGLONG stop_deadline;
	LONG in_support; /* support-function MIB calls running into it */
	DWORD messages;  /* messages dequeued, for "show protocols" */
} host_proto;

typedef struct host_state {
	char name[32]; /* router name: pipe \\.\pipe\rtmhost-<name> */
	DWORD router_id;
	DWORD lifetime_s; /* stop by itself after this long (0: never) */
	host_iface ifaces[HOST_MAX_IFACES];
	unsigned nifaces;
	host_proto protos[HOST_MAX_PROTOCOLS];
	unsigned nprotos;
	PRTR_INFO_BLOCK_HEADER global; /* the IP router manager's global info */
	CRITICAL_SECTION lock;         /* protocol states seen by support calls */
	SUPPORT_FUNCTIONS support;
	BOOL shutting_down;
	ULONGLONG started_at;
} host_state;

extern host_state host;

/* host_main.c */
void host_log(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* host_config.c */
BOOL host_config_load(const char *path, const char *demo_router, char *error, size_t size);
const char *host_config_demo(const char *router); /* embedded text or NULL */

/* host_encode.c: one protocol's configuration lines -> its blocks */
typedef struct host_encoder host_encoder;
host_encoder *host_encoder_new(const char *kind, DWORD *default_id);
BOOL host_encoder_line(host_encoder *e, int argc, char **argv, char *error, size_t size);
/* host_encoder_finish - add the blocks to host.global and the interfaces */
BOOL host_encoder_finish(host_encoder *e, DWORD id, char *error, size_t size);
DWORD host_protocol_id_by_name(const char *name); /* a configured protocol */

/* host_infoblock.c */
PRTR_INFO_BLOCK_HEADER ib_new(void);
/* ib_set - insert or replace the block of this type; FALSE on no memory */
BOOL ib_set(PRTR_INFO_BLOCK_HEADER *header, ULONG type, ULONG size, ULONG count, const void *data);
/* ib_find - the block of this type, checked against the header's size */
void *ib_find(PRTR_INFO_BLOCK_HEADER header, ULONG type, PRTR_TOC_ENTRY *toc);

/* host_protocol.c */
void proto_load_all(void);
void proto_add_interfaces(host_proto *p);
void proto_start_complete_all(void);
void proto_service_event(host_proto *p);
DWORD proto_stop(host_proto *p);
void proto_check_stuck(void);
host_proto *proto_by_name(const char *name);
host_proto *proto_by_id(DWORD id);
const char *proto_state_name(host_proto_state s);

/* host_support.c */
void support_fill(SUPPORT_FUNCTIONS *s);
DWORD support_mib(host_proto *p, int op, ULONG in_size, PVOID in, PULONG out_size, PVOID out);
enum { MIB_CREATE, MIB_DELETE, MIB_SET, MIB_GET, MIB_GET_FIRST, MIB_GET_NEXT };

/* host_ctl.c */
typedef struct ctl_out {
	char *text;
	size_t len, cap;
} ctl_out;
void ctl_printf(ctl_out *o, const char *format, ...) __attribute__((format(printf, 2, 3)));
BOOL ctl_start(HANDLE *command_event);
void ctl_run_pending(void); /* manager thread: execute queued commands */
void ctl_stop(void);

/* host_view.c */
BOOL view_open(void);
void view_close(void);
void view_routes(ctl_out *o);
void view_dests(ctl_out *o);
void view_entities(ctl_out *o);
void view_nexthops(ctl_out *o);
void view_lookup(ctl_out *o, DWORD address);
void view_stats(ctl_out *o);
/* watch: lines "best ..." for every best-route change, to a callback */
typedef void (*view_watch_fn)(void *context, const char *line);
void *view_watch_add(view_watch_fn fn, void *context);
void view_watch_remove(void *token);

/* host_parse.c: words of the configuration and of the commands (printing
 * them back is kit_addr / kit_prefix) */
BOOL parse_prefix(const char *text, DWORD *address, unsigned *len);
BOOL parse_addr(const char *text, DWORD *address);
BOOL parse_ulong(const char *text, DWORD *value);

#endif

/*
 * proto_kit.h - the few things every sample protocol DLL needs the same way.
 *
 * A routing protocol talks to the router manager through one event and a
 * FIFO of messages (router-manager spec, section 6): it queues a message,
 * signals the event, and the router manager calls GetEventMessage until the
 * queue is empty.  kit_queue is that FIFO; the protocols' GetEventMessage
 * entry points are one call into it.  The rest is small: checking that a
 * configuration block passed in with StructureSize/StructureCount holds what
 * the protocol needs, printing prefixes, logging one whole line at a time
 * (every DLL in the router process shares the console), and holding a
 * reference on the DLL itself for a worker thread that must outlive
 * StopProtocol (FreeLibraryAndExitThread, section 5.3).
 *
 * RegisterProtocol's common part, DllMain, InterfaceStatus bookkeeping and
 * the two batch loops every RTM client writes (route handles of an
 * enumeration; destinations of an enumeration or of change notification)
 * are here too, so each protocol keeps only what is its own.
 *
 * Each DLL links its own copy (a static library), so nothing here is shared
 * state between protocols; rtmhost links it as well.
 */
#ifndef SAMPLE_PROTO_KIT_H
#define SAMPLE_PROTO_KIT_H

#include <stdarg.h>
#include <winsock2.h>
#include <windows.h>
#include <rtmv2.h>
#include <routprot.h>
#include <mprerror.h>

#include "sample_config.h"

/* ---- the message FIFO behind GetEventMessage ------------------------- */

#define KIT_QUEUE_MAX 64

typedef struct kit_queue {
	CRITICAL_SECTION lock;
	HANDLE event; /* the router manager's; signalled after every post */
	unsigned head, count;
	ROUTING_PROTOCOL_EVENTS events[KIT_QUEUE_MAX];
	MESSAGE messages[KIT_QUEUE_MAX];
} kit_queue;

/* init/close: once per process (DllMain); open: at StartProtocol */
void kit_queue_init(kit_queue *q);
void kit_queue_close(kit_queue *q);
/* kit_queue_open - empty the queue and signal this event from now on */
void kit_queue_open(kit_queue *q, HANDLE event);
/* kit_queue_post - queue one message and signal the event; FALSE if full */
BOOL kit_queue_post(kit_queue *q, ROUTING_PROTOCOL_EVENTS event, const MESSAGE *message);
/* kit_queue_get - GetEventMessage: NO_ERROR or ERROR_NO_MORE_ITEMS */
DWORD kit_queue_get(kit_queue *q, ROUTING_PROTOCOL_EVENTS *event, MESSAGE *result);

/* ---- registration and the DLL itself ---------------------------------- */

/*
 * kit_register - the common part of RegisterProtocol: FALSE (answer
 * ERROR_NOT_SUPPORTED) for another protocol ID or a router older than
 * MPR50; else version set, functionality masked to `functionality`, every
 * entry point NULL and no services, for the caller to fill its own.
 */
BOOL kit_register(PMPR_ROUTING_CHARACTERISTICS rc, PMPR_SERVICE_CHARACTERISTICS sc, DWORD protocol_id,
		  DWORD functionality);

/* kit_dll_main - DllMain of a sample: the protocol's lock and queue */
BOOL kit_dll_main(DWORD reason, CRITICAL_SECTION *lock, kit_queue *queue);

/*
 * kit_iface_status - apply InterfaceStatus to an interface's state:
 * ENABLED/DISABLED set *enabled; ADDRESS_CHANGE sets *bound (active and at
 * least one address) and *address (the first one, or 0).
 */
void kit_iface_status(BOOL *enabled, BOOL *bound, DWORD *address, WINBOOL active, DWORD type, PVOID status);

/* ---- RTM loops ---------------------------------------------------------- */

/*
 * kit_walk_routes - every route handle of a route enumeration, batch by
 * batch; fn answers TRUE when it consumed the handle (deleted the route),
 * else the handle is released after it.
 */
typedef BOOL (*kit_route_fn)(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE route, void *ctx);
void kit_walk_routes(RTM_ENTITY_HANDLE reg, const RTM_REGN_PROFILE *profile, RTM_ENUM_HANDLE e, kit_route_fn fn,
		     void *ctx);

/*
 * kit_walk_dests - every destination of a destination enumeration
 * (changes == NULL) or every changed destination of a notification
 * registration (RtmGetChangedDests until ERROR_NO_MORE_ITEMS), in batches
 * of MaxHandlesInEnum with the profile's stride, each batch released.
 */
typedef void (*kit_dest_fn)(RTM_ENTITY_HANDLE reg, PRTM_DEST_INFO dest, void *ctx);
void kit_walk_dests(RTM_ENTITY_HANDLE reg, const RTM_REGN_PROFILE *profile, RTM_ENUM_HANDLE e,
		    RTM_NOTIFY_HANDLE changes, kit_dest_fn fn, void *ctx);

/* ---- configuration blocks ------------------------------------------- */

/*
 * kit_info_size - bytes of a configuration block passed as (info, size,
 * count), or 0 when it is NULL, empty or overflows.
 */
ULONG kit_info_size(const void *info, ULONG size, ULONG count);

/*
 * kit_get_info - the Get*Info buffer protocol: with a NULL buffer or a too
 * small *BufferSize, write the needed size and answer
 * ERROR_INSUFFICIENT_BUFFER; else copy and fill version, size and count.
 */
DWORD kit_get_info(const void *data, ULONG bytes, PVOID buffer, PULONG buffer_size, PULONG version,
		   PULONG size, PULONG count);

/* kit_mib_out - copy a MIB answer under the output-size protocol */
DWORD kit_mib_out(const void *data, ULONG bytes, PULONG out_size, PVOID out);

/* ---- addresses and logging -------------------------------------------- */

/* "10.1.0.0/16"; buf of at least 20 bytes; address in network order */
char *kit_prefix(char *buf, DWORD address, unsigned len);
/* "static", "dv", "monitor" for the sample protocol IDs, else NULL */
const char *kit_protocol_name(DWORD protocol_id);
/* "127.0.0.2"; buf of at least 16 bytes */
char *kit_addr(char *buf, DWORD address);

/* RTM_NET_ADDRESS <-> (address, length), network order */
void kit_net_address(RTM_NET_ADDRESS *out, DWORD address, unsigned len);
void kit_from_net_address(const RTM_NET_ADDRESS *in, DWORD *address, unsigned *len);

/* kit_log - one line "<who>: <message>" on stdout, written whole */
void kit_log(const char *who, const char *format, ...) __attribute__((format(printf, 2, 3)));
void kit_vlog(const char *who, const char *format, va_list ap);

/* ---- a worker thread that may outlive StopProtocol -------------------- */

/*
 * kit_start_thread - start fn(arg) holding a reference on this DLL; the
 * thread must end with kit_exit_thread, which drops that reference on its
 * way out (FreeLibraryAndExitThread), so the host may FreeLibrary as soon
 * as the protocol has reported that it stopped.
 */
HANDLE kit_start_thread(LPTHREAD_START_ROUTINE fn, void *arg);
__attribute__((noreturn)) void kit_exit_thread(DWORD code);

#endif

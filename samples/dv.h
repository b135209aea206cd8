/*
 * dv.h - the state of the "dv" sample protocol, shared by its modules:
 *   dv_main.c    the routing-protocol entry points (start, stop, interfaces,
 *                configuration, MIB, RegisterProtocol);
 *   dv_worker.c  the one worker thread: sockets, timers, sending and
 *                receiving updates, the asynchronous stop;
 *   dv_rib.c     everything that talks to RTM: neighbour next hops, learned
 *                routes, what to announce, notification and expiry callbacks;
 *   dv_wire.c    the packet format.
 *
 * Ownership: the interface array and the configuration belong to the entry
 * points, which change them under `lock` and then let the worker reconcile
 * sockets and RTM state (dv_sync).  Sockets, their events and the
 * announcement memory belong to the worker.  RTM callbacks take no lock:
 * they only count and wake the worker, so RTM's deregistration, which waits
 * for running callbacks, can never wait for us.
 */
#ifndef SAMPLE_DV_H
#define SAMPLE_DV_H

#include "proto_kit.h"

#define WHO "dv"

typedef struct dv_neighbor {
	SAMPLE_DV_NEIGHBOR cfg;
	RTM_NEXTHOP_HANDLE nexthop; /* while the interface is up */
} dv_neighbor;

typedef struct dv_iface {
	ULONG index;
	BOOL enabled, bound, deleted;
	DWORD address; /* first bound address, network order */
	SAMPLE_DV_INTERFACE cfg;
	dv_neighbor neighbors[SAMPLE_DV_MAX_NEIGHBORS];
	SOCKET sock; /* INVALID_SOCKET while down */
	WSAEVENT sock_event;
} dv_iface;

/* one prefix in the last announcement, kept to poison it once it is gone */
typedef struct dv_announced {
	DWORD dest;
	BYTE len;
	BYTE poison_rounds; /* rounds left to send it as unreachable */
} dv_announced;

/* one entry of an announcement being built */
typedef struct dv_entry {
	DWORD dest;
	BYTE len;
	DWORD metric;
	ULONG learned_on; /* interface a dv route came from (split horizon), 0 */
} dv_entry;

typedef struct dv_state {
	BOOL started, complete;
	SAMPLE_DV_GLOBAL cfg;
	RTM_ENTITY_HANDLE rtm;
	RTM_REGN_PROFILE profile;
	RTM_NOTIFY_HANDLE notify;
	dv_iface *ifaces;
	unsigned nifaces;
	HANDLE thread;
	HANDLE wake;   /* worker: something to do */
	HANDLE synced; /* entry points: the worker reconciled the interfaces */
	volatile LONG stop, changed, dirty;
	ULONGLONG last_trigger;
	dv_announced *announced;
	unsigned nannounced;
	SAMPLE_DV_MIB_STATS stats;
} dv_state;

extern CRITICAL_SECTION lock;
extern kit_queue queue;
extern dv_state S;

/* dv_worker.c */
DWORD WINAPI dv_worker(void *unused);
void dv_sync(void); /* wake the worker and wait until it reconciled */

/* dv_rib.c */
DWORD WINAPI dv_rtm_event(RTM_ENTITY_HANDLE reg, RTM_EVENT_TYPE type, PVOID context1, PVOID context2);
void dv_rib_neighbors_up(dv_iface *i);
void dv_rib_neighbors_down(dv_iface *i); /* also deletes routes learned from them */
void dv_rib_learn(dv_iface *i, dv_neighbor *n, DWORD dest, unsigned len, DWORD metric);
BOOL dv_rib_drain_changes(void);
dv_entry *dv_rib_announcement(unsigned *count); /* malloc'ed, caller frees */
DWORD dv_rib_count_routes(void);
void dv_rib_delete_all(void);

/* dv_wire.c */
#define DV_CMD_REQUEST 1
#define DV_CMD_RESPONSE 2
#define DV_MAX_ENTRIES 100
#define DV_HEADER_SIZE 12
#define DV_ENTRY_SIZE 12
#define DV_MAX_PACKET (DV_HEADER_SIZE + DV_MAX_ENTRIES * DV_ENTRY_SIZE)

typedef struct dv_packet {
	BYTE command;
	DWORD sender; /* network order */
	unsigned count;
	struct {
		DWORD dest;
		BYTE len;
		DWORD metric;
	} entries[DV_MAX_ENTRIES];
} dv_packet;

int dv_wire_encode(const dv_packet *p, BYTE *out); /* bytes written */
BOOL dv_wire_decode(const BYTE *in, int size, dv_packet *p);

#endif

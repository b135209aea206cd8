/*
 * sample_config.h - what the sample protocols and the host agree on.
 *
 * A routing protocol's configuration is private to it: the router manager
 * stores it as an opaque block of an information header (rtinfo.h) whose
 * type is the protocol ID, and hands it back unchanged to StartProtocol,
 * AddInterface and Set*Info.  Real RRAS pairs each protocol DLL with a
 * configuration helper (netsh, the MMC snap-in) that knows the layout; in
 * this project the host's configuration reader plays that part for the
 * sample protocols (host_encode.c), so the layouts live here, in one place.
 * The same goes for the MIB requests of the static protocol, which rtmctl's
 * "route add/delete" travels through (host -> MibCreate/MibDelete).
 *
 * Every configuration structure starts with a version word and is passed
 * as one item (StructureCount 1) whose StructureSize covers the whole,
 * variable-length structure.  Addresses are IPv4 in network byte order, as
 * everywhere in the Windows routing APIs; ports and times in host order.
 *
 * Protocol IDs use the unicast type and the private vendor 0x0A5A, so they
 * never collide with Microsoft's (router-manager spec, section 2).  The
 * static sample carries the protocol number of management-set routes
 * (PROTO_IP_NETMGMT); dv and monitor have private numbers.
 */
#ifndef SAMPLE_CONFIG_H
#define SAMPLE_CONFIG_H

#define SAMPLE_VENDOR 0x0A5A
#define SAMPLE_PROTOCOL_ID(number) ((0u << 30) | ((SAMPLE_VENDOR & 0x3FFFu) << 16) | ((number) & 0xFFFFu))

#define SAMPLE_PROTO_STATIC SAMPLE_PROTOCOL_ID(3) /* PROTO_IP_NETMGMT */
#define SAMPLE_PROTO_DV SAMPLE_PROTOCOL_ID(0x5A01)
#define SAMPLE_PROTO_MONITOR SAMPLE_PROTOCOL_ID(0x5A02)

#define SAMPLE_CONFIG_VERSION 1

/* ---- static --------------------------------------------------------- */

typedef struct SAMPLE_STATIC_ROUTE {
	DWORD Dest;      /* network order */
	DWORD PrefixLen; /* 0..32 */
	DWORD NextHop;   /* network order */
	DWORD IfIndex;   /* interface the next hop is on */
	DWORD Metric;
} SAMPLE_STATIC_ROUTE;

/* global info of static: preference, then the configured routes */
typedef struct SAMPLE_STATIC_GLOBAL {
	DWORD Version;
	DWORD Preference;
	DWORD NumRoutes;
	SAMPLE_STATIC_ROUTE Routes[];
} SAMPLE_STATIC_GLOBAL;

#define SAMPLE_STATIC_MAX_ROUTES 4096
#define SAMPLE_STATIC_GLOBAL_SIZE(n) (sizeof(SAMPLE_STATIC_GLOBAL) + (n) * sizeof(SAMPLE_STATIC_ROUTE))

/*
 * MIB of static: MibCreate/MibDelete take a SAMPLE_STATIC_ROUTE (a delete
 * matches Dest, PrefixLen, NextHop and IfIndex); MibGet takes one and
 * MibGetFirst/MibGetNext walk the routes in (Dest, PrefixLen, NextHop,
 * IfIndex) order, each answering a SAMPLE_STATIC_MIB_ROW.
 */
typedef struct SAMPLE_STATIC_MIB_ROW {
	SAMPLE_STATIC_ROUTE Route;
	DWORD Active; /* 1 while the route is in RTM (its interface is up) */
} SAMPLE_STATIC_MIB_ROW;

/* ---- dv ------------------------------------------------------------- */

#define SAMPLE_DV_MAX_ANNOUNCE 8
#define SAMPLE_DV_MAX_NEIGHBORS 8
#define SAMPLE_DV_INFINITY 16

typedef struct SAMPLE_DV_GLOBAL {
	DWORD Version;
	DWORD Preference;
	DWORD UpdateMs;       /* periodic update interval */
	DWORD TimeoutMs;      /* time-to-live of learned routes */
	DWORD TriggerMs;      /* least time between two triggered updates */
	DWORD NumAnnounce;    /* other protocols whose best routes dv announces */
	DWORD Announce[SAMPLE_DV_MAX_ANNOUNCE];
} SAMPLE_DV_GLOBAL;

typedef struct SAMPLE_DV_NEIGHBOR {
	DWORD Address; /* network order; loopback only (127/8) */
	DWORD Port;
} SAMPLE_DV_NEIGHBOR;

/* interface info of dv: the UDP port on the interface's address */
typedef struct SAMPLE_DV_INTERFACE {
	DWORD Version;
	DWORD Port;
	DWORD Cost; /* added to the metric of routes learned here */
	DWORD NumNeighbors;
	SAMPLE_DV_NEIGHBOR Neighbors[SAMPLE_DV_MAX_NEIGHBORS];
} SAMPLE_DV_INTERFACE;

/* MIB of dv: MibGet answers SAMPLE_DV_MIB_STATS (input ignored) */
typedef struct SAMPLE_DV_MIB_STATS {
	DWORD UpdatesSent;
	DWORD UpdatesReceived;
	DWORD TriggeredUpdates;
	DWORD RoutesLearned; /* live routes dv owns */
	DWORD RoutesExpired;
	DWORD BadPackets;
} SAMPLE_DV_MIB_STATS;

/* ---- monitor -------------------------------------------------------- */

typedef struct SAMPLE_MONITOR_GLOBAL {
	DWORD Version;
	DWORD DelayMs; /* pause in each notification callback (tests) */
} SAMPLE_MONITOR_GLOBAL;

/* MIB of monitor: MibGet answers SAMPLE_MONITOR_MIB_STATS */
typedef struct SAMPLE_MONITOR_MIB_STATS {
	DWORD Notifications;
	DWORD BestChanges;
} SAMPLE_MONITOR_MIB_STATS;

#endif

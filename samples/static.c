/*
 * static.c - the "static" sample routing protocol (static.dll).
 *
 * Routes come from the protocol's global information block (a
 * SAMPLE_STATIC_GLOBAL: a preference and a list of routes) and can be added
 * and deleted at run time through the MIB entry points (MibCreate /
 * MibDelete, which is how rtmctl's "route add/delete" arrives through the
 * host).  A change made through the MIB queues SAVE_GLOBAL_CONFIG_INFO so
 * that the router manager fetches the new configuration with GetGlobalInfo
 * and keeps it, as the interface asks of every configuration change that
 * does not come from SetGlobalInfo.
 *
 * Like an RRAS static route, each route is tied to the interface its next
 * hop lies on: it is in RTM only while that interface is enabled and bound,
 * and only after StartComplete.  To learn about every interface, not only
 * those with a block for it, the protocol asks for RF_ADD_ALL_INTERFACES.
 *
 * RTM use: one entity (instance 0, AF_INET, protocol SAMPLE_PROTO_STATIC),
 * one next hop per (address, interface), one route per (prefix, next hop):
 * the next hop is also the route's Neighbour, so two static routes to one
 * prefix through different gateways are two routes.  Routes live forever
 * (TimeToLive INFINITE), in the unicast and multicast views.
 *
 * Locking: one critical section guards all state; RTM is called with it
 * held, which is safe because RTM never calls back from inside an API call
 * (and this protocol registers no callback).  StopProtocol is synchronous:
 * every route, next hop and the entity are gone when it returns.
 */
#include "proto_kit.h"

#include <stdlib.h>
#include <string.h>

#define WHO "static"

typedef struct st_route {
	SAMPLE_STATIC_ROUTE cfg;
	RTM_ROUTE_HANDLE route; /* non-NULL while in RTM */
	RTM_NEXTHOP_HANDLE nexthop;
} st_route;

typedef struct st_iface {
	ULONG index;
	BOOL enabled, bound;
} st_iface;

static CRITICAL_SECTION lock;
static kit_queue queue; /* outlives stops: the host drains it after */
static struct {
	BOOL started, complete;
	RTM_ENTITY_HANDLE rtm;
	DWORD preference;
	st_route *routes;
	unsigned nroutes;
	st_iface *ifaces;
	unsigned nifaces;
} S;

/* ---- configuration -------------------------------------------------- */

static int route_key_cmp(const SAMPLE_STATIC_ROUTE *a, const SAMPLE_STATIC_ROUTE *b)
{
	DWORD x[4] = { ntohl(a->Dest), a->PrefixLen, ntohl(a->NextHop), a->IfIndex };
	DWORD y[4] = { ntohl(b->Dest), b->PrefixLen, ntohl(b->NextHop), b->IfIndex };
	for (int i = 0; i < 4; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

static BOOL route_valid(SAMPLE_STATIC_ROUTE *r)
{
	if (r->PrefixLen > 32 || r->NextHop == 0)
		return FALSE;
	r->Dest &= RTM_IPV4_MASK_FROM_LEN(r->PrefixLen);
	return TRUE;
}

/* the global block, validated; NULL if malformed */
static const SAMPLE_STATIC_GLOBAL *global_check(const void *info, ULONG size, ULONG count)
{
	ULONG bytes = kit_info_size(info, size, count);
	const SAMPLE_STATIC_GLOBAL *g = info;
	if (bytes < sizeof(*g) || g->Version != SAMPLE_CONFIG_VERSION || g->NumRoutes > SAMPLE_STATIC_MAX_ROUTES ||
	    bytes < SAMPLE_STATIC_GLOBAL_SIZE(g->NumRoutes))
		return NULL;
	for (DWORD i = 0; i < g->NumRoutes; i++) {
		SAMPLE_STATIC_ROUTE r = g->Routes[i];
		if (!route_valid(&r))
			return NULL;
	}
	return g;
}

/* ---- interfaces and routes in RTM ------------------------------------- */

static st_iface *iface_find(ULONG index)
{
	for (unsigned i = 0; i < S.nifaces; i++)
		if (S.ifaces[i].index == index)
			return &S.ifaces[i];
	return NULL;
}

static BOOL iface_up(ULONG index)
{
	st_iface *i = iface_find(index);
	return i && i->enabled && i->bound;
}

static void route_up(st_route *r)
{
	char p[20], n[16];
	if (r->route || !S.complete || !iface_up(r->cfg.IfIndex))
		return;
	RTM_NEXTHOP_INFO nh;
	memset(&nh, 0, sizeof(nh));
	kit_net_address(&nh.NextHopAddress, r->cfg.NextHop, 32);
	nh.InterfaceIndex = r->cfg.IfIndex;
	DWORD st = RtmAddNextHop(S.rtm, &nh, &r->nexthop, NULL);
	if (st != NO_ERROR) {
		kit_log(WHO, "RtmAddNextHop failed: %lu", st);
		r->nexthop = NULL;
		return;
	}
	union {
		RTM_ROUTE_INFO info;
		BYTE bytes[RTM_SIZE_OF_ROUTE_INFO(1)];
	} u;
	memset(&u, 0, sizeof(u));
	u.info.Neighbour = r->nexthop;
	u.info.PrefInfo.Preference = S.preference;
	u.info.PrefInfo.Metric = r->cfg.Metric;
	u.info.BelongsToViews = RTM_VIEW_MASK_UCAST | RTM_VIEW_MASK_MCAST;
	u.info.NextHopsList.NumNextHops = 1;
	u.info.NextHopsList.NextHops[0] = r->nexthop;
	RTM_NET_ADDRESS dest;
	kit_net_address(&dest, r->cfg.Dest, r->cfg.PrefixLen);
	RTM_ROUTE_CHANGE_FLAGS flags = 0;
	st = RtmAddRouteToDest(S.rtm, &r->route, &dest, &u.info, INFINITE, NULL, 0, NULL, &flags);
	if (st != NO_ERROR) {
		kit_log(WHO, "RtmAddRouteToDest %s failed: %lu", kit_prefix(p, r->cfg.Dest, r->cfg.PrefixLen), st);
		RtmReleaseNextHops(S.rtm, 1, &r->nexthop);
		r->route = r->nexthop = NULL;
		return;
	}
	kit_log(WHO, "route %s via %s if %lu metric %lu up", kit_prefix(p, r->cfg.Dest, r->cfg.PrefixLen),
		kit_addr(n, r->cfg.NextHop), r->cfg.IfIndex, r->cfg.Metric);
}

/* another route of ours in RTM through the same next hop? */
static BOOL nexthop_shared(const st_route *r)
{
	for (unsigned i = 0; i < S.nroutes; i++) {
		const st_route *o = &S.routes[i];
		if (o != r && o->route && o->cfg.NextHop == r->cfg.NextHop && o->cfg.IfIndex == r->cfg.IfIndex)
			return TRUE;
	}
	return FALSE;
}

static void route_down(st_route *r)
{
	char p[20];
	if (!r->route)
		return;
	DWORD st = RtmDeleteRouteToDest(S.rtm, r->route, NULL);
	if (st != NO_ERROR) {
		kit_log(WHO, "RtmDeleteRouteToDest failed: %lu", st);
		RtmReleaseRoutes(S.rtm, 1, &r->route);
	}
	r->route = NULL;
	if (nexthop_shared(r) || RtmDeleteNextHop(S.rtm, r->nexthop, NULL) != NO_ERROR)
		RtmReleaseNextHops(S.rtm, 1, &r->nexthop);
	r->nexthop = NULL;
	kit_log(WHO, "route %s down", kit_prefix(p, r->cfg.Dest, r->cfg.PrefixLen));
}

static void routes_refresh(void)
{
	for (unsigned i = 0; i < S.nroutes; i++) {
		if (iface_up(S.routes[i].cfg.IfIndex) && S.complete)
			route_up(&S.routes[i]);
		else
			route_down(&S.routes[i]);
	}
}

static void routes_clear(void)
{
	for (unsigned i = 0; i < S.nroutes; i++)
		route_down(&S.routes[i]);
	free(S.routes);
	S.routes = NULL;
	S.nroutes = 0;
}

static st_route *route_find(const SAMPLE_STATIC_ROUTE *key)
{
	for (unsigned i = 0; i < S.nroutes; i++)
		if (!route_key_cmp(&S.routes[i].cfg, key))
			return &S.routes[i];
	return NULL;
}

static BOOL route_insert(const SAMPLE_STATIC_ROUTE *cfg)
{
	st_route *grown = realloc(S.routes, (S.nroutes + 1) * sizeof(*grown));
	if (!grown)
		return FALSE;
	S.routes = grown;
	memset(&S.routes[S.nroutes], 0, sizeof(st_route));
	S.routes[S.nroutes].cfg = *cfg;
	route_up(&S.routes[S.nroutes++]);
	return TRUE;
}

static BOOL config_apply(const SAMPLE_STATIC_GLOBAL *g)
{
	routes_clear();
	S.preference = g->Preference;
	for (DWORD i = 0; i < g->NumRoutes; i++) {
		SAMPLE_STATIC_ROUTE r = g->Routes[i];
		route_valid(&r);
		if (!route_find(&r) && !route_insert(&r))
			return FALSE;
	}
	return TRUE;
}

/* ---- entry points: start and stop -------------------------------------- */

static DWORD WINAPI st_start(HANDLE event, PSUPPORT_FUNCTIONS support, LPVOID info, ULONG version, ULONG size,
			     ULONG count)
{
	(void)version;
	if (!event || !support)
		return ERROR_INVALID_PARAMETER;
	const SAMPLE_STATIC_GLOBAL *g = global_check(info, size, count);
	if (!g)
		return ERROR_INVALID_PARAMETER;
	EnterCriticalSection(&lock);
	DWORD st = ERROR_CAN_NOT_COMPLETE;
	if (!S.started) {
		RTM_ENTITY_INFO ei = { 0, AF_INET, { { { SAMPLE_PROTO_STATIC, 0 } } } };
		RTM_REGN_PROFILE profile;
		st = RtmRegisterEntity(&ei, NULL, NULL, FALSE, &profile, &S.rtm);
		if (st == NO_ERROR) {
			kit_queue_open(&queue, event);
			S.started = TRUE;
			if (!config_apply(g))
				kit_log(WHO, "out of memory reading the configuration");
			kit_log(WHO, "started, %lu configured routes, preference %lu", g->NumRoutes, g->Preference);
		} else {
			kit_log(WHO, "RtmRegisterEntity failed: %lu", st);
		}
	}
	LeaveCriticalSection(&lock);
	return st;
}

static DWORD WINAPI st_start_complete(void)
{
	EnterCriticalSection(&lock);
	S.complete = TRUE;
	routes_refresh();
	LeaveCriticalSection(&lock);
	return NO_ERROR;
}

static DWORD WINAPI st_stop(void)
{
	EnterCriticalSection(&lock);
	if (S.started) {
		routes_clear();
		RtmDeregisterEntity(S.rtm);
		free(S.ifaces);
		memset(&S, 0, sizeof(S));
		kit_log(WHO, "stopped");
	}
	LeaveCriticalSection(&lock);
	return NO_ERROR;
}

static DWORD WINAPI st_get_event(ROUTING_PROTOCOL_EVENTS *event, MESSAGE *result)
{
	return kit_queue_get(&queue, event, result);
}

/* ---- entry points: configuration ------------------------------------- */

static DWORD WINAPI st_get_global(PVOID buffer, PULONG buffer_size, PULONG version, PULONG size, PULONG count)
{
	EnterCriticalSection(&lock);
	ULONG bytes = (ULONG)SAMPLE_STATIC_GLOBAL_SIZE(S.nroutes);
	SAMPLE_STATIC_GLOBAL *g = calloc(1, bytes);
	DWORD st = ERROR_NOT_ENOUGH_MEMORY;
	if (g) {
		g->Version = SAMPLE_CONFIG_VERSION;
		g->Preference = S.preference;
		g->NumRoutes = S.nroutes;
		for (unsigned i = 0; i < S.nroutes; i++)
			g->Routes[i] = S.routes[i].cfg;
		st = kit_get_info(g, bytes, buffer, buffer_size, version, size, count);
		free(g);
	}
	LeaveCriticalSection(&lock);
	return st;
}

static DWORD WINAPI st_set_global(PVOID info, ULONG version, ULONG size, ULONG count)
{
	(void)version;
	const SAMPLE_STATIC_GLOBAL *g = global_check(info, size, count);
	if (!g)
		return ERROR_INVALID_PARAMETER;
	EnterCriticalSection(&lock);
	DWORD st = config_apply(g) ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY;
	LeaveCriticalSection(&lock);
	return st;
}

/* ---- entry points: interfaces ---------------------------------------- */

static DWORD WINAPI st_add_interface(LPWSTR name, ULONG index, NET_INTERFACE_TYPE type, DWORD media, WORD access,
				     WORD connection, PVOID info, ULONG version, ULONG size, ULONG count)
{
	(void)name, (void)type, (void)media, (void)access, (void)connection;
	(void)info, (void)version, (void)size, (void)count;
	EnterCriticalSection(&lock);
	DWORD st = ERROR_INVALID_PARAMETER;
	if (!iface_find(index)) {
		st_iface *grown = realloc(S.ifaces, (S.nifaces + 1) * sizeof(*grown));
		st = ERROR_NOT_ENOUGH_MEMORY;
		if (grown) {
			S.ifaces = grown;
			S.ifaces[S.nifaces++] = (st_iface){ index, FALSE, FALSE };
			st = NO_ERROR;
		}
	}
	LeaveCriticalSection(&lock);
	return st;
}

static DWORD WINAPI st_delete_interface(ULONG index)
{
	EnterCriticalSection(&lock);
	st_iface *i = iface_find(index);
	if (i) {
		*i = S.ifaces[--S.nifaces];
		routes_refresh();
	}
	LeaveCriticalSection(&lock);
	return i ? NO_ERROR : ERROR_INVALID_PARAMETER;
}

static DWORD WINAPI st_interface_status(ULONG index, WINBOOL active, DWORD type, PVOID status)
{
	EnterCriticalSection(&lock);
	st_iface *i = iface_find(index);
	if (i) {
		DWORD address;
		kit_iface_status(&i->enabled, &i->bound, &address, active, type, status);
		routes_refresh();
	}
	LeaveCriticalSection(&lock);
	return i ? NO_ERROR : ERROR_INVALID_PARAMETER;
}

static DWORD WINAPI st_get_interface_info(ULONG index, PVOID buffer, PULONG buffer_size, PULONG version,
					  PULONG size, PULONG count)
{
	EnterCriticalSection(&lock);
	BOOL known = iface_find(index) != NULL;
	LeaveCriticalSection(&lock);
	if (!known)
		return ERROR_INVALID_PARAMETER;
	return kit_get_info(NULL, 0, buffer, buffer_size, version, size, count);
}

static DWORD WINAPI st_set_interface_info(ULONG index, PVOID info, ULONG version, ULONG size, ULONG count)
{
	(void)info, (void)version, (void)size, (void)count;
	EnterCriticalSection(&lock);
	BOOL known = iface_find(index) != NULL;
	LeaveCriticalSection(&lock);
	return known ? NO_ERROR : ERROR_INVALID_PARAMETER;
}

/* ---- entry points: MIB --------------------------------------------------- */

static BOOL mib_key(ULONG in_size, const void *in, SAMPLE_STATIC_ROUTE *key)
{
	if (!in || in_size < sizeof(*key))
		return FALSE;
	memcpy(key, in, sizeof(*key));
	return route_valid(key);
}

static void saved_config_changed(void)
{
	kit_queue_post(&queue, SAVE_GLOBAL_CONFIG_INFO, NULL);
}

static DWORD WINAPI st_mib_create(ULONG in_size, PVOID in)
{
	SAMPLE_STATIC_ROUTE key;
	if (!mib_key(in_size, in, &key))
		return ERROR_INVALID_PARAMETER;
	EnterCriticalSection(&lock);
	DWORD st = ERROR_ALREADY_EXISTS;
	if (!S.started)
		st = ERROR_CAN_NOT_COMPLETE;
	else if (!route_find(&key)) {
		st = route_insert(&key) ? NO_ERROR : ERROR_NOT_ENOUGH_MEMORY;
		if (st == NO_ERROR)
			saved_config_changed();
	}
	LeaveCriticalSection(&lock);
	return st;
}

static DWORD WINAPI st_mib_delete(ULONG in_size, PVOID in)
{
	SAMPLE_STATIC_ROUTE key;
	if (!mib_key(in_size, in, &key))
		return ERROR_INVALID_PARAMETER;
	EnterCriticalSection(&lock);
	st_route *r = route_find(&key);
	if (r) {
		route_down(r);
		*r = S.routes[--S.nroutes];
		saved_config_changed();
	}
	LeaveCriticalSection(&lock);
	return r ? NO_ERROR : ERROR_NOT_FOUND;
}

static DWORD WINAPI st_mib_set(ULONG in_size, PVOID in)
{
	SAMPLE_STATIC_ROUTE key;
	if (!mib_key(in_size, in, &key))
		return ERROR_INVALID_PARAMETER;
	EnterCriticalSection(&lock);
	st_route *r = route_find(&key);
	if (r && r->cfg.Metric != key.Metric) {
		route_down(r);
		r->cfg.Metric = key.Metric;
		route_up(r);
		saved_config_changed();
	}
	LeaveCriticalSection(&lock);
	return r ? NO_ERROR : ERROR_NOT_FOUND;
}

/* the row of the first route after key (all routes with after_key NULL) */
static DWORD mib_answer(const SAMPLE_STATIC_ROUTE *key, BOOL exact, PULONG out_size, PVOID out)
{
	EnterCriticalSection(&lock);
	const st_route *best = NULL;
	for (unsigned i = 0; i < S.nroutes; i++) {
		const st_route *r = &S.routes[i];
		int c = key ? route_key_cmp(&r->cfg, key) : 1;
		if (exact ? c == 0 : c > 0)
			if (!best || route_key_cmp(&r->cfg, &best->cfg) < 0)
				best = r;
	}
	SAMPLE_STATIC_MIB_ROW row;
	if (best) {
		row.Route = best->cfg;
		row.Active = best->route != NULL;
	}
	LeaveCriticalSection(&lock);
	if (!best)
		return exact ? ERROR_NOT_FOUND : ERROR_NO_MORE_ITEMS;
	return kit_mib_out(&row, sizeof(row), out_size, out);
}

static DWORD WINAPI st_mib_get(ULONG in_size, PVOID in, PULONG out_size, PVOID out)
{
	SAMPLE_STATIC_ROUTE key;
	if (!mib_key(in_size, in, &key))
		return ERROR_INVALID_PARAMETER;
	return mib_answer(&key, TRUE, out_size, out);
}

static DWORD WINAPI st_mib_get_first(ULONG in_size, PVOID in, PULONG out_size, PVOID out)
{
	(void)in_size, (void)in;
	return mib_answer(NULL, FALSE, out_size, out);
}

static DWORD WINAPI st_mib_get_next(ULONG in_size, PVOID in, PULONG out_size, PVOID out)
{
	SAMPLE_STATIC_ROUTE key;
	if (!mib_key(in_size, in, &key))
		return ERROR_INVALID_PARAMETER;
	return mib_answer(&key, FALSE, out_size, out);
}

/* ---- registration ------------------------------------------------------- */

__declspec(dllexport) DWORD WINAPI RegisterProtocol(PMPR_ROUTING_CHARACTERISTICS rc, PMPR_SERVICE_CHARACTERISTICS sc)
{
	if (!kit_register(rc, sc, SAMPLE_PROTO_STATIC, RF_ROUTING | RF_ADD_ALL_INTERFACES))
		return ERROR_NOT_SUPPORTED;
	rc->pfnStartProtocol = st_start;
	rc->pfnStartComplete = st_start_complete;
	rc->pfnStopProtocol = st_stop;
	rc->pfnGetGlobalInfo = st_get_global;
	rc->pfnSetGlobalInfo = st_set_global;
	rc->pfnAddInterface = st_add_interface;
	rc->pfnDeleteInterface = st_delete_interface;
	rc->pfnInterfaceStatus = st_interface_status;
	rc->pfnGetInterfaceInfo = st_get_interface_info;
	rc->pfnSetInterfaceInfo = st_set_interface_info;
	rc->pfnGetEventMessage = st_get_event;
	rc->pfnMibCreateEntry = st_mib_create;
	rc->pfnMibDeleteEntry = st_mib_delete;
	rc->pfnMibGetEntry = st_mib_get;
	rc->pfnMibSetEntry = st_mib_set;
	rc->pfnMibGetFirstEntry = st_mib_get_first;
	rc->pfnMibGetNextEntry = st_mib_get_next;
	return NO_ERROR;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
	(void)instance, (void)reserved;
	return kit_dll_main(reason, &lock, &queue);
}

/*
 * host_view.c - the host's own RTM entity: what rtmctl shows.
 *
 * The host registers with RTM like any client (instance 0, AF_INET,
 * protocol PROTO_IP_LOCAL, as the spec suggests for a router manager) and
 * reads the table with the documented enumerations; protocols load rtm.dll
 * themselves and share this one table because they live in this process.
 * Every listing is one line per object in "key=value" form, which rtmctl
 * prints as it is (-m) or as a table:
 *
 *   route 10.1.0.0/16 owner=static proto=0x0a5a0003 metric=1 pref=3 views=um
 *         best=um nexthops=127.1.1.254%2 age=12 flags=0x0000
 *   dest 10.1.0.0/16 views=um routes=1 uowner=static umetric=1 upref=3
 *        unexthops=127.1.1.254%2 mbest=static hold=- changed=12
 *   entity host proto=0x00000002 instance=0
 *   nexthop 127.0.0.2 if=1 owner=dv routes=3 state=created
 *   best 10.1.0.0/16 owner=dv metric=2 pref=120 nexthops=127.0.0.1%1 (watch)
 *
 * Two change-notification registrations feed it: ALL changes keep the age
 * of every route (the time the host first saw that route object; RTM keeps
 * no such time), BEST changes in the unicast view become "best" lines for
 * the watchers.  Both callbacks run on RTM's dispatcher thread and take
 * only this module's lock.
 */
#include "host.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the statistics hook of our rtm.dll (src/stats.h): by ordinal only */
#define RTM_TEST_STATS_ORDINAL 1000
#define RTM_TEST_COUNT_KINDS 7
typedef DWORD(WINAPI *object_counts_fn)(DWORD *counts, UINT n);

typedef union view_route_buf {
	RTM_ROUTE_INFO info;
	BYTE bytes[RTM_SIZE_OF_ROUTE_INFO(8)];
} view_route_buf;

typedef struct route_age {
	RTM_ROUTE_HANDLE route;
	ULONGLONG since;
	BOOL seen;
} route_age;

typedef struct watcher {
	view_watch_fn fn;
	void *context;
	struct watcher *next;
} watcher;

static struct {
	RTM_ENTITY_HANDLE rtm;
	RTM_REGN_PROFILE profile;
	RTM_NOTIFY_HANDLE all, best;
	CRITICAL_SECTION lock; /* ages and watchers */
	route_age *ages;
	unsigned nages, cap;
	watcher *watchers;
} V;

/* ---- names --------------------------------------------------------------- */

static void owner_name(RTM_ENTITY_HANDLE owner, char *out, size_t size, DWORD *proto)
{
	RTM_ENTITY_INFO ei;
	*proto = 0;
	if (owner == V.rtm) {
		snprintf(out, size, "host");
		*proto = PROTO_IP_LOCAL;
		return;
	}
	if (RtmGetEntityInfo(V.rtm, owner, &ei) != NO_ERROR) {
		snprintf(out, size, "?");
		return;
	}
	*proto = ei.EntityId.EntityProtocolId;
	for (unsigned k = 0; k < host.nprotos; k++)
		if (host.protos[k].id == *proto) {
			snprintf(out, size, "%s", host.protos[k].name);
			return;
		}
	snprintf(out, size, "0x%08lx", *proto);
}

static char *views_text(char *out, RTM_VIEW_SET v)
{
	char *p = out;
	if (v & RTM_VIEW_MASK_UCAST)
		*p++ = 'u';
	if (v & RTM_VIEW_MASK_MCAST)
		*p++ = 'm';
	if (p == out)
		*p++ = '-';
	*p = 0;
	return out;
}

/* "a%if,b%if" for a next-hop list */
static void nexthops_text(const RTM_NEXTHOP_LIST *l, char *out, size_t size)
{
	size_t n = 0;
	out[0] = 0;
	for (USHORT k = 0; k < l->NumNextHops && k < 8; k++) {
		RTM_NEXTHOP_INFO nh;
		if (RtmGetNextHopInfo(V.rtm, l->NextHops[k], &nh) != NO_ERROR)
			continue;
		DWORD a;
		char addr[16];
		memcpy(&a, nh.NextHopAddress.AddrBits, 4);
		n += (size_t)snprintf(out + n, size - n, "%s%s%%%lu", n ? "," : "", kit_addr(addr, a), nh.InterfaceIndex);
		RtmReleaseNextHopInfo(V.rtm, &nh);
		if (n >= size)
			break;
	}
	if (!out[0])
		snprintf(out, size, "-");
}

static char *dest_text(char *out, const RTM_NET_ADDRESS *a)
{
	DWORD addr;
	memcpy(&addr, a->AddrBits, 4);
	return kit_prefix(out, addr, a->NumBits);
}

/* ---- route ages ------------------------------------------------------------ */

static ULONGLONG age_of(RTM_ROUTE_HANDLE route)
{
	ULONGLONG now = GetTickCount64(), since = now;
	EnterCriticalSection(&V.lock);
	unsigned k;
	for (k = 0; k < V.nages && V.ages[k].route != route; k++)
		;
	if (k < V.nages) {
		since = V.ages[k].since;
		V.ages[k].seen = TRUE;
	} else {
		if (V.nages == V.cap) {
			route_age *grown = realloc(V.ages, (V.cap * 2 + 64) * sizeof(*grown));
			if (grown) {
				V.ages = grown;
				V.cap = V.cap * 2 + 64;
			}
		}
		if (V.nages < V.cap)
			V.ages[V.nages++] = (route_age){ route, now, TRUE };
	}
	LeaveCriticalSection(&V.lock);
	return (now - since) / 1000;
}

/* drop the ages of routes not seen since the last sweep */
static void ages_sweep(void)
{
	EnterCriticalSection(&V.lock);
	unsigned keep = 0;
	for (unsigned k = 0; k < V.nages; k++)
		if (V.ages[k].seen) {
			V.ages[k].seen = FALSE;
			V.ages[keep++] = V.ages[k];
		}
	V.nages = keep;
	LeaveCriticalSection(&V.lock);
}

/* ---- walking the table ----------------------------------------------------------- */

typedef void (*route_fn)(RTM_ROUTE_HANDLE h, const RTM_ROUTE_INFO *info, const RTM_NET_ADDRESS *dest, void *ctx);

typedef struct route_walk {
	route_fn fn;
	void *ctx;
} route_walk;

static BOOL walk_route(RTM_ENTITY_HANDLE reg, RTM_ROUTE_HANDLE h, void *ctx)
{
	route_walk *w = ctx;
	view_route_buf r;
	RTM_NET_ADDRESS a;
	if (RtmGetRouteInfo(reg, h, &r.info, &a) == NO_ERROR) {
		w->fn(h, &r.info, &a, w->ctx);
		RtmReleaseRouteInfo(reg, &r.info);
	}
	return FALSE;
}

/* every route of the table (or of one destination), in address order */
static void for_each_route(RTM_DEST_HANDLE dest, route_fn fn, void *ctx)
{
	RTM_ENUM_HANDLE e;
	route_walk w = { fn, ctx };
	if (RtmCreateRouteEnum(V.rtm, dest, RTM_VIEW_MASK_ANY, RTM_ENUM_ALL_ROUTES, NULL, RTM_MATCH_NONE, NULL, 0,
			       &e) != NO_ERROR)
		return;
	kit_walk_routes(V.rtm, &V.profile, e, walk_route, &w);
	RtmDeleteEnumHandle(V.rtm, e);
}

static void route_line(RTM_ROUTE_HANDLE h, const RTM_ROUTE_INFO *r, const RTM_NET_ADDRESS *dest, void *ctx)
{
	char d[20], owner[32], hops[200], v1[4], v2[4];
	DWORD proto;
	RTM_VIEW_SET best = 0;
	RtmIsBestRoute(V.rtm, h, &best);
	owner_name(r->RouteOwner, owner, sizeof(owner), &proto);
	nexthops_text(&r->NextHopsList, hops, sizeof(hops));
	ctl_printf(ctx, "route %s owner=%s proto=0x%08lx metric=%lu pref=%lu views=%s best=%s nexthops=%s age=%llu "
			"flags=0x%04x\n",
		   dest_text(d, dest), owner, proto, r->PrefInfo.Metric, r->PrefInfo.Preference,
		   views_text(v1, r->BelongsToViews), views_text(v2, best), hops, age_of(h), r->Flags);
}

void view_routes(ctl_out *o)
{
	for_each_route(NULL, route_line, o);
	ages_sweep();
}

/* "owner=.. metric=.. pref=.. nexthops=.." of a best route, each key after kp */
static void best_text(RTM_ROUTE_HANDLE route, const char *kp, char *out, size_t size)
{
	view_route_buf r;
	if (!route || RtmGetRouteInfo(V.rtm, route, &r.info, NULL) != NO_ERROR) {
		snprintf(out, size, "%sowner=- %smetric=- %spref=- %snexthops=-", kp, kp, kp, kp);
		return;
	}
	char owner[32], hops[200];
	DWORD proto;
	owner_name(r.info.RouteOwner, owner, sizeof(owner), &proto);
	nexthops_text(&r.info.NextHopsList, hops, sizeof(hops));
	snprintf(out, size, "%sowner=%s %smetric=%lu %spref=%lu %snexthops=%s", kp, owner, kp, r.info.PrefInfo.Metric, kp,
		 r.info.PrefInfo.Preference, kp, hops);
	RtmReleaseRouteInfo(V.rtm, &r.info);
}

static char *owner_of(RTM_ROUTE_HANDLE route, char *out, size_t size)
{
	view_route_buf r;
	DWORD proto;
	snprintf(out, size, "-");
	if (route && RtmGetRouteInfo(V.rtm, route, &r.info, NULL) == NO_ERROR) {
		owner_name(r.info.RouteOwner, out, size, &proto);
		RtmReleaseRouteInfo(V.rtm, &r.info);
	}
	return out;
}

static void dest_line(RTM_ENTITY_HANDLE reg, PRTM_DEST_INFO d, void *ctx)
{
	(void)reg;
	char pfx[20], views[4], ubest[300], mbest[32] = "-", hold[32] = "-";
	UINT routes = 0;
	best_text(NULL, "u", ubest, sizeof(ubest));
	for (UINT v = 0; v < d->NumberOfViews; v++) {
		if (d->ViewInfo[v].ViewId == RTM_VIEW_ID_UCAST) {
			best_text(d->ViewInfo[v].Route, "u", ubest, sizeof(ubest));
			routes = d->ViewInfo[v].NumRoutes;
			if (d->ViewInfo[v].HoldRoute)
				owner_of(d->ViewInfo[v].HoldRoute, hold, sizeof(hold));
		} else if (d->ViewInfo[v].ViewId == RTM_VIEW_ID_MCAST) {
			owner_of(d->ViewInfo[v].Route, mbest, sizeof(mbest));
		}
	}
	FILETIME now_ft;
	GetSystemTimeAsFileTime(&now_ft);
	ULONGLONG now = (ULONGLONG)now_ft.dwHighDateTime << 32 | now_ft.dwLowDateTime;
	ULONGLONG changed = (ULONGLONG)d->LastChanged.dwHighDateTime << 32 | d->LastChanged.dwLowDateTime;
	ctl_printf(ctx, "dest %s views=%s routes=%u %s mbest=%s hold=%s changed=%llu\n", dest_text(pfx, &d->DestAddress),
		   views_text(views, d->BelongsToViews), routes, ubest, mbest, hold,
		   now > changed ? (now - changed) / 10000000 : 0);
}

void view_dests(ctl_out *o)
{
	RTM_ENUM_HANDLE e;
	if (RtmCreateDestEnum(V.rtm, RTM_VIEW_MASK_ALL, RTM_ENUM_START, NULL, RTM_BEST_PROTOCOL, &e) != NO_ERROR)
		return;
	kit_walk_dests(V.rtm, &V.profile, e, NULL, dest_line, o);
	RtmDeleteEnumHandle(V.rtm, e);
}

void view_entities(ctl_out *o)
{
	UINT n = 0;
	RtmGetRegisteredEntities(V.rtm, &n, NULL, NULL);
	RTM_ENTITY_HANDLE *h = calloc(n + 1, sizeof(*h));
	RTM_ENTITY_INFO *info = calloc(n + 1, sizeof(*info));
	if (h && info && RtmGetRegisteredEntities(V.rtm, &n, h, info) == NO_ERROR) {
		for (UINT k = 0; k < n; k++) {
			char name[32];
			DWORD proto;
			owner_name(h[k], name, sizeof(name), &proto);
			ctl_printf(o, "entity %s proto=0x%08lx instance=%lu family=%u rtm-instance=%u\n", name,
				   info[k].EntityId.EntityProtocolId, info[k].EntityId.EntityInstanceId,
				   info[k].AddressFamily, info[k].RtmInstanceId);
		}
		RtmReleaseEntities(V.rtm, n, h);
	}
	free(h);
	free(info);
}

typedef struct nh_seen {
	RTM_NEXTHOP_HANDLE h[512];
	unsigned routes[512];
	unsigned n;
} nh_seen;

static void collect_nexthops(RTM_ROUTE_HANDLE h, const RTM_ROUTE_INFO *r, const RTM_NET_ADDRESS *dest, void *ctx)
{
	(void)h, (void)dest;
	nh_seen *s = ctx;
	for (USHORT k = 0; k < r->NextHopsList.NumNextHops && k < 8; k++) {
		unsigned m;
		for (m = 0; m < s->n && s->h[m] != r->NextHopsList.NextHops[k]; m++)
			;
		if (m == s->n && s->n < 512)
			s->h[s->n++] = r->NextHopsList.NextHops[k], s->routes[m] = 0;
		if (m < s->n)
			s->routes[m]++;
	}
}

/*
 * RTM enumerates only the caller's own next hops, so the host lists the
 * next hops the routes of the table use (a next hop no route uses is not
 * shown).
 */
void view_nexthops(ctl_out *o)
{
	nh_seen *s = calloc(1, sizeof(*s));
	if (!s)
		return;
	for_each_route(NULL, collect_nexthops, s);
	for (unsigned k = 0; k < s->n; k++) {
		RTM_NEXTHOP_INFO nh;
		if (RtmGetNextHopInfo(V.rtm, s->h[k], &nh) != NO_ERROR)
			continue;
		char addr[16], owner[32];
		DWORD a, proto;
		memcpy(&a, nh.NextHopAddress.AddrBits, 4);
		owner_name(nh.NextHopOwner, owner, sizeof(owner), &proto);
		ctl_printf(o, "nexthop %s if=%lu owner=%s routes=%u state=%s flags=0x%04x\n", kit_addr(addr, a),
			   nh.InterfaceIndex, owner, s->routes[k],
			   nh.State == RTM_NEXTHOP_STATE_CREATED ? "created" : "deleted", nh.Flags);
		RtmReleaseNextHopInfo(V.rtm, &nh);
	}
	free(s);
}

void view_lookup(ctl_out *o, DWORD address)
{
	union {
		RTM_DEST_INFO info;
		BYTE bytes[RTM_SIZE_OF_DEST_INFO(1)];
	} d;
	RTM_NET_ADDRESS a;
	memset(&a, 0, sizeof(a));
	a.AddressFamily = AF_INET;
	a.NumBits = 32;
	memcpy(a.AddrBits, &address, 4);
	char addr[16], pfx[20], best[300];
	if (RtmGetMostSpecificDestination(V.rtm, &a, RTM_BEST_PROTOCOL, RTM_VIEW_MASK_UCAST, &d.info) != NO_ERROR) {
		ctl_printf(o, "lookup %s dest=- owner=- metric=- pref=- nexthops=-\n", kit_addr(addr, address));
		return;
	}
	best_text(d.info.ViewInfo[0].Route, "", best, sizeof(best));
	ctl_printf(o, "lookup %s dest=%s %s\n", kit_addr(addr, address), dest_text(pfx, &d.info.DestAddress), best);
	RtmReleaseDestInfo(V.rtm, &d.info);
}

void view_stats(ctl_out *o)
{
	object_counts_fn fn = (object_counts_fn)(void (*)(void))GetProcAddress(
		GetModuleHandleA("rtm.dll"), MAKEINTRESOURCEA(RTM_TEST_STATS_ORDINAL));
	DWORD c[RTM_TEST_COUNT_KINDS] = { 0 };
	if (!fn || fn(c, RTM_TEST_COUNT_KINDS) != NO_ERROR) {
		ctl_printf(o, "stats unavailable\n");
		return;
	}
	ctl_printf(o, "stats entities=%lu dests=%lu routes=%lu nexthops=%lu enums=%lu notify=%lu lists=%lu\n", c[0], c[1],
		   c[2], c[3], c[4], c[5], c[6]);
}

/* ---- change notification: ages and watchers --------------------------------------- */

static void stamp_route(RTM_ROUTE_HANDLE h, const RTM_ROUTE_INFO *r, const RTM_NET_ADDRESS *dest, void *ctx)
{
	(void)r, (void)dest, (void)ctx;
	age_of(h);
}

static void changed_dest(RTM_ENTITY_HANDLE reg, PRTM_DEST_INFO d, void *ctx)
{
	(void)reg;
	if (ctx == V.all) {
		for_each_route(d->DestHandle, stamp_route, NULL);
		return;
	}
	char line[400], pfx[20], best[300];
	best_text(d->NumberOfViews ? d->ViewInfo[0].Route : NULL, "", best, sizeof(best));
	snprintf(line, sizeof(line), "best %s %s\n", dest_text(pfx, &d->DestAddress), best);
	EnterCriticalSection(&V.lock);
	for (watcher *w = V.watchers; w; w = w->next)
		w->fn(w->context, line);
	LeaveCriticalSection(&V.lock);
}

static DWORD WINAPI view_event(RTM_ENTITY_HANDLE reg, RTM_EVENT_TYPE type, PVOID context1, PVOID context2)
{
	(void)context2;
	if (type == RTM_CHANGE_NOTIFICATION)
		kit_walk_dests(reg, &V.profile, NULL, context1, changed_dest, context1);
	return NO_ERROR;
}

void *view_watch_add(view_watch_fn fn, void *context)
{
	watcher *w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->fn = fn;
	w->context = context;
	EnterCriticalSection(&V.lock);
	w->next = V.watchers;
	V.watchers = w;
	LeaveCriticalSection(&V.lock);
	return w;
}

void view_watch_remove(void *token)
{
	EnterCriticalSection(&V.lock);
	for (watcher **p = &V.watchers; *p; p = &(*p)->next)
		if (*p == token) {
			*p = (*p)->next;
			break;
		}
	LeaveCriticalSection(&V.lock);
	free(token);
}

BOOL view_open(void)
{
	InitializeCriticalSection(&V.lock);
	RTM_ENTITY_INFO ei = { 0, AF_INET, { { { PROTO_IP_LOCAL, 0 } } } };
	DWORD st = RtmRegisterEntity(&ei, NULL, view_event, FALSE, &V.profile, &V.rtm);
	if (st == NO_ERROR)
		st = RtmRegisterForChangeNotification(V.rtm, RTM_VIEW_MASK_ALL, RTM_CHANGE_TYPE_ALL, NULL, &V.all);
	if (st == NO_ERROR)
		st = RtmRegisterForChangeNotification(V.rtm, RTM_VIEW_MASK_UCAST, RTM_CHANGE_TYPE_BEST, NULL, &V.best);
	if (st != NO_ERROR)
		host_log("registering the host with RTM failed: %lu", st);
	return st == NO_ERROR;
}

void view_close(void)
{
	if (V.rtm) {
		RtmDeregisterFromChangeNotification(V.rtm, V.best);
		RtmDeregisterFromChangeNotification(V.rtm, V.all);
		RtmDeregisterEntity(V.rtm);
	}
	free(V.ages);
	DeleteCriticalSection(&V.lock);
	memset(&V, 0, sizeof(V));
}

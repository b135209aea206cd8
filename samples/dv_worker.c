/*
 * dv_worker.c - the dv protocol's one thread: sockets, timers, updates.
 *
 * The worker waits on its wake event and on one WSAEVENT per interface
 * that is up, with a timeout to the next periodic or triggered update:
 *   - reconcile: bring each interface's socket and neighbour next hops up
 *     or down to match "enabled and bound and StartComplete seen" (or tear
 *     it down and drop it when it was deleted), then signal `synced`;
 *   - receive: a REQUEST is answered with a full update to that neighbour
 *     at once; a RESPONSE feeds dv_rib_learn, entry by entry;
 *   - changes: drain RTM's change notification; a best-route change asks
 *     for a triggered update, at most one per TriggerMs;
 *   - updates: every UpdateMs (and when triggered) the announcement is
 *     read from RTM and sent to every neighbour of every interface that is
 *     up, minus the routes learned on that interface (split horizon), plus
 *     prefixes announced before and gone now, as unreachable, for three
 *     rounds (so a withdrawal travels at once instead of by time-out).
 *
 * Only loopback addresses are ever bound or sent to (127.0.0.0/8): the
 * configuration is checked for it, and so is every address here again.
 *
 * Stopping is asynchronous (StopProtocol answers ERROR_PROTOCOL_STOP_PENDING):
 * the worker closes its sockets, deletes its routes and next hops,
 * deregisters from RTM, queues ROUTER_STOPPED as its very last use of the
 * protocol's state and leaves through FreeLibraryAndExitThread, holding its
 * own reference on the DLL until then.
 */
#include "dv.h"

#include <stdlib.h>
#include <string.h>

#define DV_POISON_ROUNDS 3

static BOOL is_loopback(DWORD address)
{
	return (ntohl(address) >> 24) == 127;
}

/* ---- sockets -------------------------------------------------------------- */

static BOOL iface_open(dv_iface *i)
{
	char a[16];
	if (!is_loopback(i->address)) {
		kit_log(WHO, "interface %lu: %s is not a loopback address; dv stays off there", i->index,
			kit_addr(a, i->address));
		return FALSE;
	}
	SOCKET s = socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
	if (s == INVALID_SOCKET)
		return FALSE;
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((u_short)i->cfg.Port);
	sa.sin_addr.s_addr = i->address;
	if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		kit_log(WHO, "interface %lu: bind %s:%lu failed: %d", i->index, kit_addr(a, i->address), i->cfg.Port,
			WSAGetLastError());
		closesocket(s);
		return FALSE;
	}
	i->sock_event = WSACreateEvent();
	WSAEventSelect(s, i->sock_event, FD_READ);
	i->sock = s;
	dv_rib_neighbors_up(i);
	kit_log(WHO, "interface %lu up on %s:%lu, %lu neighbours", i->index, kit_addr(a, i->address), i->cfg.Port,
		i->cfg.NumNeighbors);
	return TRUE;
}

static void iface_close(dv_iface *i)
{
	if (i->sock == INVALID_SOCKET)
		return;
	closesocket(i->sock);
	WSACloseEvent(i->sock_event);
	i->sock = INVALID_SOCKET;
	i->sock_event = NULL;
	dv_rib_neighbors_down(i);
	kit_log(WHO, "interface %lu down", i->index);
}

static void send_packet(dv_iface *i, const SAMPLE_DV_NEIGHBOR *to, const dv_packet *p)
{
	BYTE wire[DV_MAX_PACKET];
	int size = dv_wire_encode(p, wire);
	if (!is_loopback(to->Address))
		return;
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((u_short)to->Port);
	sa.sin_addr.s_addr = to->Address;
	sendto(i->sock, (const char *)wire, size, 0, (struct sockaddr *)&sa, sizeof(sa));
}

static void send_request(dv_iface *i)
{
	dv_packet p = { DV_CMD_REQUEST, i->address, 0, { { 0, 0, 0 } } };
	for (DWORD k = 0; k < i->cfg.NumNeighbors; k++)
		send_packet(i, &i->neighbors[k].cfg, &p);
}

/* ---- updates ------------------------------------------------------------- */

static BOOL entry_present(const dv_entry *list, unsigned n, DWORD dest, BYTE len)
{
	for (unsigned k = 0; k < n; k++)
		if (list[k].dest == dest && list[k].len == len)
			return TRUE;
	return FALSE;
}

/* add the withdrawn prefixes (as unreachable) and remember what was sent */
static dv_entry *with_withdrawals(dv_entry *list, unsigned *n)
{
	unsigned count = *n, keep = 0;
	dv_entry *all = realloc(list, (count + S.nannounced + 1) * sizeof(*all));
	if (!all)
		return list;
	dv_announced *next = malloc((count + S.nannounced + 1) * sizeof(*next));
	for (unsigned k = 0; k < S.nannounced; k++) {
		dv_announced a = S.announced[k];
		if (entry_present(all, *n, a.dest, a.len) || !a.poison_rounds)
			continue;
		all[count++] = (dv_entry){ a.dest, a.len, SAMPLE_DV_INFINITY, 0 };
		a.poison_rounds--;
		if (next)
			next[keep++] = a;
	}
	for (unsigned k = 0; next && k < *n; k++)
		next[keep++] = (dv_announced){ all[k].dest, all[k].len, DV_POISON_ROUNDS };
	if (next) {
		free(S.announced);
		S.announced = next;
		S.nannounced = keep;
	}
	*n = count;
	return all;
}

static void send_update_to(dv_iface *i, const SAMPLE_DV_NEIGHBOR *to, const dv_entry *list, unsigned n)
{
	dv_packet p;
	p.command = DV_CMD_RESPONSE;
	p.sender = i->address;
	p.count = 0;
	for (unsigned k = 0; k <= n; k++) {
		if (p.count == DV_MAX_ENTRIES || (k == n && p.count)) {
			send_packet(i, to, &p);
			p.count = 0;
		}
		if (k == n || list[k].learned_on == i->index)
			continue; /* split horizon */
		p.entries[p.count].dest = list[k].dest;
		p.entries[p.count].len = list[k].len;
		p.entries[p.count].metric = list[k].metric;
		p.count++;
	}
	S.stats.UpdatesSent++;
}

/* send the announcement to one neighbour (to != NULL) or to all */
static void send_updates(dv_iface *only, const SAMPLE_DV_NEIGHBOR *to)
{
	unsigned n;
	dv_entry *list = dv_rib_announcement(&n);
	if (!to)
		list = with_withdrawals(list, &n);
	for (unsigned k = 0; k < S.nifaces; k++) {
		dv_iface *i = &S.ifaces[k];
		if (i->sock == INVALID_SOCKET || (only && i != only))
			continue;
		for (DWORD m = 0; m < i->cfg.NumNeighbors; m++)
			if (!to || to == &i->neighbors[m].cfg)
				send_update_to(i, &i->neighbors[m].cfg, list, n);
	}
	free(list);
}

/* ---- receiving ------------------------------------------------------------- */

static dv_neighbor *neighbor_of(dv_iface *i, DWORD sender)
{
	for (DWORD k = 0; k < i->cfg.NumNeighbors; k++)
		if (i->neighbors[k].cfg.Address == sender)
			return &i->neighbors[k];
	return NULL;
}

static void receive(dv_iface *i)
{
	BYTE wire[DV_MAX_PACKET + 1];
	dv_packet p;
	for (;;) {
		int size = recv(i->sock, (char *)wire, sizeof(wire), 0);
		if (size < 0)
			return;
		dv_neighbor *n = NULL;
		if (!dv_wire_decode(wire, size, &p) || !(n = neighbor_of(i, p.sender))) {
			S.stats.BadPackets++;
			continue;
		}
		if (p.command == DV_CMD_REQUEST) {
			send_updates(i, &n->cfg);
			continue;
		}
		S.stats.UpdatesReceived++;
		for (unsigned k = 0; k < p.count; k++)
			dv_rib_learn(i, n, p.entries[k].dest, p.entries[k].len, p.entries[k].metric);
	}
}

/* ---- the loop ---------------------------------------------------------------- */

static void reconcile(void)
{
	for (unsigned k = 0; k < S.nifaces;) {
		dv_iface *i = &S.ifaces[k];
		BOOL want = S.complete && i->enabled && i->bound && !i->deleted;
		if (!want)
			iface_close(i);
		else if (i->sock == INVALID_SOCKET && iface_open(i))
			send_request(i);
		if (i->deleted)
			*i = S.ifaces[--S.nifaces];
		else
			k++;
	}
	SetEvent(S.synced);
}

static void stop_everything(void)
{
	for (unsigned k = 0; k < S.nifaces; k++)
		iface_close(&S.ifaces[k]);
	dv_rib_delete_all();
	RtmDeregisterFromChangeNotification(S.rtm, S.notify);
	RtmDeregisterEntity(S.rtm);
	free(S.ifaces);
	free(S.announced);
	CloseHandle(S.wake);
	CloseHandle(S.synced);
	kit_log(WHO, "stopped: %lu updates sent, %lu received, %lu routes expired", S.stats.UpdatesSent,
		S.stats.UpdatesReceived, S.stats.RoutesExpired);
	memset(&S, 0, sizeof(S));
	WSACleanup();
}

DWORD WINAPI dv_worker(void *unused)
{
	(void)unused;
	ULONGLONG next_periodic = 0, trigger_at = 0;
	for (;;) {
		HANDLE waits[1 + 64];
		unsigned owners[1 + 64]; /* index in S.ifaces: the array may move */
		DWORD nwaits = 0;
		waits[nwaits++] = S.wake;
		EnterCriticalSection(&lock);
		if (S.stop)
			break;
		if (InterlockedExchange(&S.dirty, 0))
			reconcile();
		ULONGLONG now = GetTickCount64();
		if (InterlockedExchange(&S.changed, 0) && dv_rib_drain_changes() && S.complete && !trigger_at) {
			ULONGLONG earliest = S.last_trigger + S.cfg.TriggerMs;
			trigger_at = now > earliest ? now : earliest;
		}
		if (S.complete && !next_periodic)
			next_periodic = now;
		if (next_periodic && now >= next_periodic) {
			send_updates(NULL, NULL);
			next_periodic = now + S.cfg.UpdateMs;
			trigger_at = 0;
		} else if (trigger_at && now >= trigger_at) {
			send_updates(NULL, NULL);
			S.stats.TriggeredUpdates++;
			S.last_trigger = now;
			trigger_at = 0;
		}
		for (unsigned k = 0; k < S.nifaces && nwaits < 65; k++)
			if (S.ifaces[k].sock != INVALID_SOCKET) {
				owners[nwaits] = k;
				waits[nwaits++] = S.ifaces[k].sock_event;
			}
		ULONGLONG due = next_periodic ? next_periodic : now + 1000;
		if (trigger_at && trigger_at < due)
			due = trigger_at;
		LeaveCriticalSection(&lock);

		DWORD r = WaitForMultipleObjects(nwaits, waits, FALSE, due > now ? (DWORD)(due - now) : 0);
		if (r > WAIT_OBJECT_0 && r < WAIT_OBJECT_0 + nwaits) {
			EnterCriticalSection(&lock);
			unsigned k = owners[r - WAIT_OBJECT_0];
			if (k < S.nifaces && S.ifaces[k].sock_event == waits[r - WAIT_OBJECT_0]) {
				WSAResetEvent(S.ifaces[k].sock_event);
				receive(&S.ifaces[k]);
			}
			LeaveCriticalSection(&lock);
		}
	}
	stop_everything();
	LeaveCriticalSection(&lock);
	kit_queue_post(&queue, ROUTER_STOPPED, NULL);
	kit_exit_thread(0);
}

void dv_sync(void)
{
	InterlockedExchange(&S.dirty, 1);
	ResetEvent(S.synced);
	SetEvent(S.wake);
	HANDLE synced = S.synced;
	LeaveCriticalSection(&lock);
	WaitForSingleObject(synced, 5000);
	EnterCriticalSection(&lock);
}

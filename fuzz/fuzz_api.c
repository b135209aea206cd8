/*
 * fuzz_api.c - the libFuzzer harness of the native build (ASan + UBSan): fuzz input becomes
 * RTMv2 calls.
 *
 * The first byte chooses one of two decoders:
 *
 *   even  the model-based driver (tests/model/driver.c) with the input as its only source of
 *         choices: every call is also applied to the reference model and compared, including
 *         its injected faults (foreign, deleted, stale and garbage handles, NumBits past the
 *         family, counts above the profile's limits, NULL pointers); a mismatch or a leak at the
 *         end aborts, so libFuzzer keeps the input.
 *   odd   "chaos": calls every one of the 59 exports with arguments taken straight from the
 *         input - handles from a pool of real ones (any kind, any table, live or stale) mixed
 *         with garbage values, and structures (route, destination and next-hop infos, entity
 *         infos, method blocks, addresses) filled with input bytes, so their counts, families,
 *         prefix lengths and handles are malformed.  Buffers are allocated at their exact sizes
 *         so that AddressSanitizer sees any read or write past them.  Nothing is compared: the
 *         property is no crash, no sanitizer report, no hang, and every registration ends.
 *
 * Build and run: scripts/fuzz.sh (the bounded run is the fuzz_api test of the asan tree).
 */
#include "../tests/model/model.c"
#include "../tests/model/driver.c"

#include <arpa/inet.h>

/* ---- chaos ---------------------------------------------------------------------------------------- */

typedef struct {
	const uint8_t *p;
	size_t n, at;
} src;

static uint8_t u8(src *s) { return s->at < s->n ? s->p[s->at++] : 0; }
static uint32_t u32(src *s)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; i++)
		v = (v << 8) | u8(s);
	return v;
}
static void bytes(src *s, void *dst, size_t len)
{
	uint8_t *d = dst;
	for (size_t i = 0; i < len; i++)
		d[i] = u8(s);
}

#define POOL 64
static struct {
	HANDLE h[POOL];
	unsigned n;
	RTM_ENTITY_HANDLE reg[6];
	unsigned nreg;
} C;

static void keep(HANDLE h)
{
	if (h)
		C.h[C.n++ % POOL] = h;
}

static DWORD WINAPI chaos_cb(RTM_ENTITY_HANDLE r, RTM_EVENT_TYPE t, PVOID c1, PVOID c2)
{
	(void)r, (void)t, (void)c1, (void)c2;
	return ERROR_NOT_SUPPORTED; /* expired routes are deleted */
}

static VOID WINAPI chaos_method(RTM_ENTITY_HANDLE caller, RTM_ENTITY_HANDLE callee, RTM_ENTITY_METHOD_INPUT *in,
				RTM_ENTITY_METHOD_OUTPUT *out)
{
	(void)caller, (void)callee, (void)in;
	if (out)
		out->OutputSize = 0;
}

static HANDLE any_handle(src *s)
{
	uint8_t k = u8(s);
	if (k < 160 && C.n)
		return C.h[k % (C.n < POOL ? C.n : POOL)];
	if (k < 200 && C.nreg)
		return C.reg[k % C.nreg];
	switch (k % 6) {
	case 0:
		return NULL;
	case 1:
		return (HANDLE)(uintptr_t)u32(s);
	case 2:
		return (HANDLE)~(uintptr_t)0;
	case 3:
		return X.up ? (HANDLE)X.route : NULL;
	case 4:
		return &C; /* a pointer, not a handle */
	default:
		return (HANDLE)(((uintptr_t)u32(s) << 8) | u8(s));
	}
}

static RTM_ENTITY_HANDLE reg_handle(src *s)
{
	uint8_t k = u8(s);
	if (k < 230 && C.nreg)
		return C.reg[k % C.nreg];
	return any_handle(s);
}

static void net(src *s, RTM_NET_ADDRESS *a)
{
	bytes(s, a, sizeof(*a));
	if (u8(s) < 200) { /* mostly sane lengths, to get past the first check */
		a->NumBits %= 129;
		if (u8(s) < 128)
			a->NumBits %= 33;
	}
}

/* a pointer argument: usually the buffer, sometimes NULL */
#define MAYBE(s, p) (u8(s) < 24 ? NULL : (p))

static void chaos(src *s)
{
	unsigned ops = 0;
	memset(&C, 0, sizeof(C));
	x_table_up();
	keep(X.nh), keep(X.route), keep(X.dest); /* not X.ent: chaos must not end the model's foreign table */
	while (s->at < s->n && ops++ < 400) {
		RTM_ENTITY_HANDLE r = reg_handle(s);
		RTM_NET_ADDRESS a;
		/* exact-size buffers, so that ASan sees any access past them */
		RTM_ROUTE_INFO *ri = malloc(RTM_SIZE_OF_ROUTE_INFO(8));
		RTM_DEST_INFO *di = malloc(RTM_SIZE_OF_DEST_INFO(2));
		RTM_DEST_INFO *dis = malloc(100 * RTM_SIZE_OF_DEST_INFO(2));
		RTM_NEXTHOP_INFO *ni = malloc(sizeof(*ni));
		HANDLE *hs = malloc(100 * sizeof(HANDLE));
		HANDLE h = NULL;
		PVOID p = NULL;
		UINT n;
		DWORD flags;
		BOOL b;
		bytes(s, ri, RTM_SIZE_OF_ROUTE_INFO(8));
		bytes(s, ni, sizeof(*ni));
		net(s, &a);
		for (int i = 0; i < 8; i++)
			hs[i] = any_handle(s);
		if (u8(s) < 128) {
			ri->NextHopsList.NumNextHops %= 9;
			for (int i = 0; i < ri->NextHopsList.NumNextHops; i++)
				ri->NextHopsList.NextHops[i] = any_handle(s);
			ri->Neighbour = any_handle(s);
		}
		uint8_t op = u8(s);
		switch (op % 61) {
		case 0: {
			RTM_ENTITY_INFO info;
			RTM_REGN_PROFILE prof;
			union {
				RTM_ENTITY_EXPORT_METHODS m;
				char room[sizeof(RTM_ENTITY_EXPORT_METHODS) + 4 * sizeof(RTM_ENTITY_EXPORT_METHOD)];
			} em;
			memset(&info, 0, sizeof(info));
			info.RtmInstanceId = (USHORT)(u8(s) % 3 + 200);
			info.AddressFamily = u8(s) < 200 ? AF_INET : u8(s);
			info.EntityId.EntityProtocolId = u8(s);
			info.EntityId.EntityInstanceId = u8(s) % 4;
			em.m.NumMethods = u8(s) % 6;
			if (em.m.NumMethods > 4)
				em.m.NumMethods = 40; /* above the limit: ERROR_INVALID_DATA, nothing read */
			for (int i = 0; i < 4; i++)
				em.m.Methods[i] = u8(s) < 16 ? NULL : chaos_method;
			if (C.nreg < 6 &&
			    RtmRegisterEntity(MAYBE(s, &info), u8(s) < 128 ? &em.m : NULL, u8(s) < 64 ? chaos_cb : NULL,
					      u8(s) & 1, MAYBE(s, &prof), &h) == NO_ERROR)
				C.reg[C.nreg++] = h;
			break;
		}
		case 1:
			if (RtmDeregisterEntity(r) == NO_ERROR)
				for (unsigned i = 0; i < C.nreg; i++)
					if (C.reg[i] == r)
						C.reg[i] = C.reg[--C.nreg];
			break;
		case 2: {
			RTM_ENTITY_INFO is[8];
			n = u8(s) % 9;
			int want_h = u8(s) & 1;
			DWORD e = RtmGetRegisteredEntities(r, MAYBE(s, &n), want_h ? hs : NULL, u8(s) & 1 ? is : NULL);
			if ((e == NO_ERROR || e == ERROR_INSUFFICIENT_BUFFER) && want_h && n <= 8)
				RtmReleaseEntities(r, n, hs);
			break;
		}
		case 3:
			RtmReleaseEntities(r, u8(s) % 9, MAYBE(s, hs));
			break;
		case 4:
			RtmLockDestination(r, any_handle(s), u8(s) & 1, u8(s) & 1);
			break;
		case 5:
			if (RtmGetOpaqueInformationPointer(r, any_handle(s), MAYBE(s, &p)) == NO_ERROR && p)
				*(PVOID *)p = u8(s) < 128 ? NULL : (PVOID)(uintptr_t)0x1234;
			break;
		case 6: {
			RTM_ENTITY_EXPORT_METHOD ms[4];
			n = u8(s) % 6;
			RtmGetEntityMethods(r, any_handle(s), MAYBE(s, &n), n <= 4 ? MAYBE(s, ms) : NULL);
			break;
		}
		case 7: {
			union {
				RTM_ENTITY_METHOD_INPUT in;
				char room[sizeof(RTM_ENTITY_METHOD_INPUT) + 16];
			} in;
			union {
				RTM_ENTITY_METHOD_OUTPUT out;
				char room[sizeof(RTM_ENTITY_METHOD_OUTPUT) + 16];
			} out;
			bytes(s, &in, sizeof(in));
			n = u8(s) % 40;
			RtmInvokeMethod(r, any_handle(s), MAYBE(s, &in.in), MAYBE(s, &n), n <= sizeof(out) ? &out.out : NULL);
			break;
		}
		case 8:
			/* a block is lifted at once: an invocation of a blocked entity's method waits (4.2) */
			h = any_handle(s);
			flags = u8(s) % 3;
			if (RtmBlockMethods(r, h, u8(s), flags) == NO_ERROR && flags == RTM_BLOCK_METHODS)
				RtmBlockMethods(r, h, 0, RTM_RESUME_METHODS);
			break;
		case 9: {
			RTM_ENTITY_INFO ei;
			RtmGetEntityInfo(r, any_handle(s), MAYBE(s, &ei));
			break;
		}
		case 10:
			if (RtmGetDestInfo(r, any_handle(s), u32(s), u32(s), MAYBE(s, di)) == NO_ERROR)
				RtmReleaseDestInfo(r, di);
			break;
		case 11:
			if (RtmGetRouteInfo(r, any_handle(s), MAYBE(s, ri), MAYBE(s, &a)) == NO_ERROR && u8(s) < 200)
				RtmReleaseRouteInfo(r, ri);
			break;
		case 12:
			if (RtmGetNextHopInfo(r, any_handle(s), MAYBE(s, ni)) == NO_ERROR && u8(s) < 200)
				RtmReleaseNextHopInfo(r, ni);
			break;
		case 13: {
			RTM_ENTITY_INFO ei;
			bytes(s, &ei, sizeof(ei));
			RtmReleaseEntityInfo(r, MAYBE(s, &ei));
			break;
		}
		case 14:
			bytes(s, di, RTM_SIZE_OF_DEST_INFO(2));
			di->DestHandle = any_handle(s);
			di->ViewInfo[0].Route = any_handle(s);
			RtmReleaseDestInfo(r, MAYBE(s, di));
			break;
		case 15:
			RtmReleaseRouteInfo(r, MAYBE(s, ri));
			break;
		case 16:
			ni->NextHopOwner = any_handle(s);
			ni->RemoteNextHop = any_handle(s);
			RtmReleaseNextHopInfo(r, MAYBE(s, ni));
			break;
		case 17:
		case 18:
		case 19: {
			h = u8(s) < 128 ? NULL : any_handle(s);
			flags = u8(s) % 4;
			ULONG ttl = u8(s) < 200 ? INFINITE : u8(s);
			if (RtmAddRouteToDest(r, u8(s) < 64 ? NULL : &h, MAYBE(s, &a), MAYBE(s, ri), ttl,
					      u8(s) < 200 ? NULL : any_handle(s), 0, NULL, MAYBE(s, &flags)) == NO_ERROR)
				keep(h);
			break;
		}
		case 20:
			RtmDeleteRouteToDest(r, any_handle(s), MAYBE(s, &flags));
			break;
		case 21:
			/* INFINITE or 0: a finite hold would end after this input, in the middle of a model run */
			RtmHoldDestination(r, any_handle(s), u32(s), u8(s) < 16 ? 0 : INFINITE);
			break;
		case 22:
			RtmGetRoutePointer(r, any_handle(s), MAYBE(s, (PRTM_ROUTE_INFO *)&p));
			break;
		case 23: {
			PRTM_ROUTE_INFO rp = NULL;
			h = any_handle(s);
			if (RtmLockRoute(r, h, u8(s) & 1, TRUE, MAYBE(s, &rp)) == NO_ERROR) {
				if (rp && u8(s) < 128) { /* scribble on RTM's own structure, as a buggy owner would */
					rp->PrefInfo.Metric = u32(s);
					rp->BelongsToViews = u32(s);
					rp->NextHopsList.NumNextHops = (USHORT)(u8(s) % 12);
					for (unsigned i = 0; i < rp->NextHopsList.NumNextHops && i < 8; i++)
						rp->NextHopsList.NextHops[i] = any_handle(s);
					rp->Neighbour = any_handle(s);
				}
				if (u8(s) < 128 &&
				    RtmUpdateAndUnlockRoute(r, h, INFINITE, NULL, 0, NULL, MAYBE(s, &flags)) == NO_ERROR)
					break;
				RtmLockRoute(r, h, FALSE, FALSE, NULL);
			}
			break;
		}
		case 24:
			RtmUpdateAndUnlockRoute(r, any_handle(s), u8(s) < 200 ? INFINITE : u8(s),
						u8(s) < 200 ? NULL : any_handle(s), 0, NULL, MAYBE(s, &flags));
			break;
		case 25:
			if (RtmGetExactMatchDestination(r, MAYBE(s, &a), u32(s), u32(s), MAYBE(s, di)) == NO_ERROR)
				RtmReleaseDestInfo(r, di);
			break;
		case 26:
			if (RtmGetMostSpecificDestination(r, MAYBE(s, &a), u32(s), u32(s), MAYBE(s, di)) == NO_ERROR)
				RtmReleaseDestInfo(r, di);
			break;
		case 27:
			if (RtmGetLessSpecificDestination(r, any_handle(s), u32(s), u32(s), MAYBE(s, di)) == NO_ERROR)
				RtmReleaseDestInfo(r, di);
			break;
		case 28:
			h = NULL;
			if (RtmGetExactMatchRoute(r, MAYBE(s, &a), u32(s) & 0x1001F, MAYBE(s, ri), u8(s), u32(s),
						  u8(s) & 1 ? &h : NULL) == NO_ERROR) {
				RtmReleaseRouteInfo(r, ri);
				if (h)
					RtmReleaseRoutes(r, 1, &h);
			}
			break;
		case 29: {
			RTM_VIEW_SET v;
			RtmIsBestRoute(r, any_handle(s), MAYBE(s, &v));
			break;
		}
		case 30:
		case 31:
			ni->NextHopAddress = a;
			h = u8(s) < 128 ? NULL : any_handle(s);
			if (RtmAddNextHop(r, MAYBE(s, ni), u8(s) < 64 ? NULL : &h, MAYBE(s, &flags)) == NO_ERROR)
				keep(h);
			break;
		case 32: {
			PRTM_NEXTHOP_INFO np;
			ni->NextHopAddress = a;
			h = NULL;
			if (RtmFindNextHop(r, MAYBE(s, ni), u8(s) & 1 ? &h : NULL, MAYBE(s, &np)) == NO_ERROR && h)
				RtmReleaseNextHops(r, 1, &h);
			break;
		}
		case 33:
			ni->NextHopAddress = a;
			RtmDeleteNextHop(r, u8(s) < 128 ? NULL : any_handle(s), MAYBE(s, ni));
			break;
		case 34: {
			PRTM_NEXTHOP_INFO np;
			RtmGetNextHopPointer(r, any_handle(s), MAYBE(s, &np));
			break;
		}
		case 35: {
			PRTM_NEXTHOP_INFO np = NULL;
			h = any_handle(s);
			if (RtmLockNextHop(r, h, u8(s) & 1, TRUE, MAYBE(s, &np)) == NO_ERROR) {
				if (np && u8(s) < 128) {
					np->Flags = (USHORT)u32(s);
					np->RemoteNextHop = any_handle(s);
					np->NextHopAddress.NumBits = (USHORT)u32(s); /* identity: restored */
				}
				RtmLockNextHop(r, h, FALSE, FALSE, NULL);
			}
			break;
		}
		case 36:
			if (RtmCreateDestEnum(r, u32(s), u32(s) & 0x01000003, MAYBE(s, &a), u32(s), MAYBE(s, &h)) ==
			    NO_ERROR)
				keep(h);
			break;
		case 37:
			n = u8(s) % 102;
			if (RtmGetEnumDests(r, any_handle(s), MAYBE(s, &n), MAYBE(s, dis)) != ERROR_INVALID_HANDLE && n &&
			    n <= 100)
				RtmReleaseDests(r, n, dis);
			break;
		case 38:
			bytes(s, dis, RTM_SIZE_OF_DEST_INFO(2));
			RtmReleaseDests(r, u8(s) % 3, MAYBE(s, dis));
			break;
		case 39:
			if (RtmCreateRouteEnum(r, u8(s) < 128 ? NULL : any_handle(s), u32(s), u32(s) & 0x00010003,
					       MAYBE(s, &a), u32(s) & 0x1001F, MAYBE(s, ri), u8(s), MAYBE(s, &h)) == NO_ERROR)
				keep(h);
			break;
		case 40:
			n = u8(s) % 102;
			if (RtmGetEnumRoutes(r, any_handle(s), MAYBE(s, &n), MAYBE(s, hs)) != ERROR_INVALID_HANDLE && n &&
			    n <= 100)
				RtmReleaseRoutes(r, n, hs);
			break;
		case 41:
			RtmReleaseRoutes(r, u8(s) % 9, MAYBE(s, hs));
			break;
		case 42:
			if (RtmCreateNextHopEnum(r, u32(s) & 0x01010003, MAYBE(s, &a), MAYBE(s, &h)) == NO_ERROR)
				keep(h);
			break;
		case 43:
			n = u8(s) % 102;
			if (RtmGetEnumNextHops(r, any_handle(s), MAYBE(s, &n), MAYBE(s, hs)) != ERROR_INVALID_HANDLE && n &&
			    n <= 100)
				RtmReleaseNextHops(r, n, hs);
			break;
		case 44:
			RtmReleaseNextHops(r, u8(s) % 9, MAYBE(s, hs));
			break;
		case 45:
			RtmDeleteEnumHandle(r, any_handle(s));
			break;
		case 46:
			if (RtmRegisterForChangeNotification(r, u32(s), u32(s) & 0x1000F, (PVOID)(uintptr_t)u32(s),
							     MAYBE(s, &h)) == NO_ERROR)
				keep(h);
			break;
		case 47:
			n = u8(s) % 102;
			h = any_handle(s);
			if (RtmGetChangedDests(r, h, MAYBE(s, &n), MAYBE(s, dis)) != ERROR_INVALID_HANDLE && n && n <= 100)
				RtmReleaseChangedDests(r, h, n, dis);
			break;
		case 48:
			bytes(s, dis, RTM_SIZE_OF_DEST_INFO(2));
			RtmReleaseChangedDests(r, any_handle(s), u8(s) % 2, MAYBE(s, dis));
			break;
		case 49:
			RtmIgnoreChangedDests(r, any_handle(s), u8(s) % 9, MAYBE(s, hs));
			break;
		case 50:
			RtmGetChangeStatus(r, any_handle(s), any_handle(s), MAYBE(s, &b));
			break;
		case 51:
			RtmMarkDestForChangeNotification(r, any_handle(s), any_handle(s), u8(s) & 1);
			break;
		case 52:
			RtmIsMarkedForChangeNotification(r, any_handle(s), any_handle(s), MAYBE(s, &b));
			break;
		case 53:
			RtmDeregisterFromChangeNotification(r, any_handle(s));
			break;
		case 54:
			if (RtmCreateRouteList(r, MAYBE(s, &h)) == NO_ERROR)
				keep(h);
			break;
		case 55:
			RtmInsertInRouteList(r, u8(s) < 64 ? NULL : any_handle(s), u8(s) % 9, MAYBE(s, hs));
			break;
		case 56:
			if (RtmCreateRouteListEnum(r, any_handle(s), MAYBE(s, &h)) == NO_ERROR)
				keep(h);
			break;
		case 57:
			n = u8(s) % 102;
			if (RtmGetListEnumRoutes(r, any_handle(s), MAYBE(s, &n), MAYBE(s, hs)) == NO_ERROR && n && n <= 100)
				RtmReleaseRoutes(r, n, hs);
			break;
		case 58:
			RtmDeleteRouteList(r, any_handle(s));
			break;
		case 59:
			RtmReferenceHandles(r, u8(s) % 9, MAYBE(s, hs));
			break;
		default: {
			struct in6_addr in6;
			DWORD len;
			bytes(s, &in6, sizeof(in6));
			if (u8(s) & 1)
				RtmConvertNetAddressToIpv6AddressAndLength(MAYBE(s, &a), MAYBE(s, &in6), MAYBE(s, &len),
									   u8(s));
			else
				RtmConvertIpv6AddressAndLengthToNetAddress(MAYBE(s, &a), in6, u8(s), u8(s));
			break;
		}
		}
		free(ri);
		free(di);
		free(dis);
		free(ni);
		free(hs);
	}
	/* every registration ends: deregistration cleans up whatever the calls left */
	for (unsigned i = 0; i < C.nreg; i++)
		RtmDeregisterEntity(C.reg[i]);
	C.nreg = 0;
}

/* ---- the entry point ------------------------------------------------------------------------------ */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1) {
		src s = { data + 1, size - 1, 0 };
		chaos(&s);
		return 0;
	}
	drv_opts o;
	memset(&o, 0, sizeof(o));
	o.ipv6 = (data[0] & 2) != 0;
	o.check_every = 4;
	o.instance = o.ipv6 ? 1 : 0;
	o.steps = 3000;
	o.out = stderr;
	o.log = getenv("RTM_FUZZ_LOG") != NULL;
	if (drv_run_bytes(data + 1, size - 1, &o)) {
		fprintf(stderr, "fuzz_api: the model and the API disagree (model mode; replay this input with the "
				"operation log: RTM_FUZZ_LOG=1)\n");
		abort();
	}
	return 0;
}

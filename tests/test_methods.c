/*
 * test_methods.c - entity methods: RtmGetEntityMethods, RtmInvokeMethod,
 * RtmBlockMethods (spec functions-1 §4, concepts §4).
 */
#include "test_thread.h"
#include "test_util.h"

#define WAIT_MS 10000
#define HDR ((UINT)FIELD_OFFSET(RTM_ENTITY_METHOD_OUTPUT, OutputData))

static RTM_ENTITY_HANDLE last_caller, last_callee;
static RTM_ENTITY_METHOD_INPUT *last_input;
static uintptr_t last_thread;
static UINT offered[3];
static DWORD entry_type[3], entry_status[3];
static int calls[8];

static void note(int i, RTM_ENTITY_HANDLE caller, RTM_ENTITY_HANDLE callee, RTM_ENTITY_METHOD_INPUT *in,
		 RTM_ENTITY_METHOD_OUTPUT *out)
{
	last_caller = caller;
	last_callee = callee;
	last_input = in;
	last_thread = test_thread_id();
	offered[i] = out->OutputSize;
	entry_type[i] = out->MethodType;
	entry_status[i] = out->MethodStatus;
	test_inc(&calls[i]);
}

/* bit 0: writes one DWORD (input's first DWORD + 1), status 7 */
static VOID WINAPI m0(RTM_ENTITY_HANDLE caller, RTM_ENTITY_HANDLE callee, RTM_ENTITY_METHOD_INPUT *in,
		      RTM_ENTITY_METHOD_OUTPUT *out)
{
	note(0, caller, callee, in, out);
	if (out->OutputSize >= sizeof(DWORD)) {
		DWORD v;
		memcpy(&v, in->InputData, sizeof(v));
		v++;
		memcpy(out->OutputData, &v, sizeof(v));
		out->OutputSize = sizeof(DWORD);
	} else {
		out->OutputSize = 0;
	}
	out->MethodStatus = 7;
}

/* bit 1: writes one byte, leaves the status */
static VOID WINAPI m1(RTM_ENTITY_HANDLE caller, RTM_ENTITY_HANDLE callee, RTM_ENTITY_METHOD_INPUT *in,
		      RTM_ENTITY_METHOD_OUTPUT *out)
{
	note(1, caller, callee, in, out);
	if (out->OutputSize >= 1) {
		out->OutputData[0] = 0xAB;
		out->OutputSize = 1;
	}
}

/* bit 2: claims more than it was offered */
static VOID WINAPI m2(RTM_ENTITY_HANDLE caller, RTM_ENTITY_HANDLE callee, RTM_ENTITY_METHOD_INPUT *in,
		      RTM_ENTITY_METHOD_OUTPUT *out)
{
	note(2, caller, callee, in, out);
	out->OutputSize = 100000;
}

static RTM_ENTITY_HANDLE register_with(USHORT inst, ULONG proto, UINT n, const RTM_ENTITY_EXPORT_METHOD *m)
{
	union {
		RTM_ENTITY_EXPORT_METHODS list;
		char room[sizeof(RTM_ENTITY_EXPORT_METHODS) + 32 * sizeof(RTM_ENTITY_EXPORT_METHOD)];
	} u;
	RTM_ENTITY_INFO info;
	RTM_REGN_PROFILE profile;
	RTM_ENTITY_HANDLE h = NULL;
	memset(&info, 0, sizeof(info));
	info.RtmInstanceId = inst;
	info.AddressFamily = AF_INET;
	info.EntityId.EntityProtocolId = proto;
	u.list.NumMethods = n;
	RTM_ENTITY_EXPORT_METHODS *list = &u.list; /* Methods[] is variable-length */
	for (UINT i = 0; i < n; i++)
		list->Methods[i] = m[i];
	DWORD err = RtmRegisterEntity(&info, list, NULL, FALSE, &profile, &h);
	ok(err == NO_ERROR, "RtmRegisterEntity: %lu\n", (unsigned long)err);
	return h;
}

static const RTM_ENTITY_EXPORT_METHOD three[3] = { m0, m1, m2 };

static void test_get_methods(void)
{
	const USHORT inst = 71;
	RTM_ENTITY_HANDLE a = register_with(inst, 1, 3, three);
	RTM_ENTITY_HANDLE b = register_with(inst, 2, 0, NULL);
	RTM_ENTITY_HANDLE other = register_with(inst + 1, 1, 3, three);
	RTM_ENTITY_EXPORT_METHOD got[5];
	UINT n;

	n = 0;
	ok(RtmGetEntityMethods(b, a, &n, NULL) == NO_ERROR && n == 3, "count query: n %u\n", n);
	memset(got, 0, sizeof(got));
	n = 2;
	ok(RtmGetEntityMethods(b, a, &n, got) == ERROR_INSUFFICIENT_BUFFER, "short buffer\n");
	ok(n == 2 && got[0] == m0 && got[1] == m1 && got[2] == NULL, "short buffer: n %u\n", n);
	memset(got, 0, sizeof(got));
	n = 5;
	ok(RtmGetEntityMethods(b, a, &n, got) == NO_ERROR, "large buffer\n");
	ok(n == 3 && got[0] == m0 && got[1] == m1 && got[2] == m2 && got[3] == NULL, "large buffer: n %u\n", n);
	n = 3;
	ok(RtmGetEntityMethods(a, a, &n, got) == NO_ERROR && n == 3, "own methods\n");
	n = 4;
	ok(RtmGetEntityMethods(a, b, &n, got) == NO_ERROR && n == 0, "no methods: n %u\n", n);

	n = 1;
	ok(RtmGetEntityMethods(b, a, NULL, got) == ERROR_INVALID_PARAMETER, "NULL count\n");
	ok(RtmGetEntityMethods(b, a, &n, NULL) == ERROR_INVALID_PARAMETER, "NULL array with room\n");
	ok(RtmGetEntityMethods((RTM_ENTITY_HANDLE)(uintptr_t)0x12345, a, NULL, NULL) == ERROR_INVALID_HANDLE,
	   "bad caller is checked first\n");
	ok(RtmGetEntityMethods(b, (RTM_ENTITY_HANDLE)(uintptr_t)0x12345, &n, got) == ERROR_INVALID_HANDLE, "bad target\n");
	ok(RtmGetEntityMethods(b, other, &n, got) == ERROR_INVALID_HANDLE, "target of another table\n");

	RTM_ENTITY_HANDLE a_ref = a;
	ok(RtmReferenceHandles(b, 1, &a_ref) == NO_ERROR, "reference a\n");
	test_deregister(a);
	n = 3;
	ok(RtmGetEntityMethods(b, a, &n, got) == ERROR_INVALID_HANDLE, "deregistered target\n");
	ok(RtmReleaseEntities(b, 1, &a_ref) == NO_ERROR, "release a\n");
	test_deregister(b);
	test_deregister(other);
}

static void test_invoke(void)
{
	const USHORT inst = 72;
	RTM_ENTITY_HANDLE a = register_with(inst, 1, 3, three);
	RTM_ENTITY_HANDLE b = register_with(inst, 2, 0, NULL);
	union {
		RTM_ENTITY_METHOD_INPUT in;
		char room[64];
	} in;
	union {
		RTM_ENTITY_METHOD_OUTPUT out;
		unsigned char bytes[256];
	} out;
	DWORD v = 41;
	memset(&in, 0, sizeof(in));
	in.in.MethodType = METHOD_TYPE_ALL_METHODS;
	in.in.InputSize = sizeof(v);
	memcpy(in.in.InputData, &v, sizeof(v));
	memset(calls, 0, sizeof(calls));

	/* all three: elements at 0, 16 (12 + 4), 32 (16 + 12 + 1 rounded up) */
	UINT size = 100;
	memset(&out, 0xEE, sizeof(out));
	ok(RtmInvokeMethod(b, a, &in.in, &size, &out.out) == NO_ERROR, "invoke all\n");
	ok(calls[0] == 1 && calls[1] == 1 && calls[2] == 1, "calls %d %d %d\n", calls[0], calls[1], calls[2]);
	ok(last_caller == b && last_callee == a && last_input == &in.in, "caller %p callee %p input %p\n", last_caller,
	   last_callee, last_input);
	ok(last_thread == test_thread_id(), "method ran on another thread\n");
	ok(offered[0] == 100 - HDR && offered[1] == 100 - 16 - HDR && offered[2] == 100 - 32 - HDR,
	   "offered %u %u %u\n", offered[0], offered[1], offered[2]);
	ok(entry_type[0] == 1 && entry_type[1] == 2 && entry_type[2] == 4, "entry types %lu %lu %lu\n",
	   (unsigned long)entry_type[0], (unsigned long)entry_type[1], (unsigned long)entry_type[2]);
	ok(entry_status[0] == NO_ERROR && entry_status[1] == NO_ERROR && entry_status[2] == NO_ERROR, "entry status\n");
	RTM_ENTITY_METHOD_OUTPUT *e0 = (void *)&out.bytes[0], *e1 = (void *)&out.bytes[16], *e2 = (void *)&out.bytes[32];
	DWORD r;
	memcpy(&r, e0->OutputData, sizeof(r));
	ok(e0->MethodType == 1 && e0->MethodStatus == 7 && e0->OutputSize == 4 && r == 42, "element 0: %lu %lu %u %lu\n",
	   (unsigned long)e0->MethodType, (unsigned long)e0->MethodStatus, e0->OutputSize, (unsigned long)r);
	ok(e1->MethodType == 2 && e1->MethodStatus == NO_ERROR && e1->OutputSize == 1 && e1->OutputData[0] == 0xAB,
	   "element 1: %lu %u\n", (unsigned long)e1->MethodType, e1->OutputSize);
	ok(e2->MethodType == 4 && e2->OutputSize == 100 - 32 - HDR, "element 2 clamped: %u\n", e2->OutputSize);
	ok(size == 100, "used %u\n", size);

	/* one bit */
	in.in.MethodType = 2;
	size = 100;
	ok(RtmInvokeMethod(b, a, &in.in, &size, &out.out) == NO_ERROR, "invoke bit 1\n");
	ok(calls[1] == 2 && calls[0] == 1 && out.out.MethodType == 2, "bit 1 ran %d\n", calls[1]);
	ok(size == 16, "used %u for one byte\n", size);

	/* bits beyond NumMethods are ignored */
	in.in.MethodType = 0x80 | 0x10000;
	size = 100;
	ok(RtmInvokeMethod(b, a, &in.in, &size, &out.out) == NO_ERROR && size == 0, "unknown bits: used %u\n", size);

	/* room for exactly one element */
	in.in.MethodType = METHOD_TYPE_ALL_METHODS;
	size = HDR + 4;
	ok(RtmInvokeMethod(b, a, &in.in, &size, &out.out) == NO_ERROR, "tight buffer\n");
	ok(size == HDR + 4 && calls[0] == 2 && calls[1] == 2 && calls[2] == 1, "tight: used %u calls %d %d %d\n", size,
	   calls[0], calls[1], calls[2]);
	/* less than a header: nothing runs */
	size = HDR - 1;
	ok(RtmInvokeMethod(b, a, &in.in, &size, &out.out) == NO_ERROR && size == 0 && calls[0] == 2, "tiny buffer\n");
	size = 0;
	ok(RtmInvokeMethod(b, a, &in.in, &size, NULL) == NO_ERROR && size == 0 && calls[0] == 2, "no buffer\n");
	/* a method may see a buffer too small for its data */
	in.in.MethodType = 1;
	size = HDR + 2;
	ok(RtmInvokeMethod(b, a, &in.in, &size, &out.out) == NO_ERROR && size == HDR && out.out.OutputSize == 0,
	   "short element: used %u\n", size);

	/* errors */
	size = 100;
	ok(RtmInvokeMethod(b, a, NULL, &size, &out.out) == ERROR_INVALID_PARAMETER, "NULL input\n");
	ok(RtmInvokeMethod(b, a, &in.in, NULL, &out.out) == ERROR_INVALID_PARAMETER, "NULL size\n");
	ok(RtmInvokeMethod(b, a, &in.in, &size, NULL) == ERROR_INVALID_PARAMETER, "NULL output with a size\n");
	ok(RtmInvokeMethod((RTM_ENTITY_HANDLE)(uintptr_t)0x4321, a, NULL, NULL, NULL) == ERROR_INVALID_HANDLE,
	   "bad caller first\n");
	ok(RtmInvokeMethod(b, (RTM_ENTITY_HANDLE)(uintptr_t)0x4321, &in.in, &size, &out.out) == ERROR_INVALID_HANDLE,
	   "bad target\n");
	/* invoking one's own methods (the public sample does) */
	size = 100;
	ok(RtmInvokeMethod(a, a, &in.in, &size, &out.out) == NO_ERROR && last_caller == a, "own methods\n");
	test_deregister(a);
	size = 100;
	ok(RtmInvokeMethod(b, a, &in.in, &size, &out.out) == ERROR_INVALID_HANDLE, "deregistered target\n");
	test_deregister(b);
}

/* run the target's method 0 with no input and a small output buffer */
static DWORD invoke_first(RTM_ENTITY_HANDLE caller, RTM_ENTITY_HANDLE target)
{
	RTM_ENTITY_METHOD_INPUT in;
	memset(&in, 0, sizeof(in));
	in.MethodType = 1;
	union {
		RTM_ENTITY_METHOD_OUTPUT out;
		char room[64];
	} out;
	UINT size = sizeof(out);
	return RtmInvokeMethod(caller, target, &in, &size, &out.out);
}

/* ---- methods that call RTM: no lock is held around them ---------------------- */

static DWORD busy_results[3];

static VOID WINAPI busy_method(RTM_ENTITY_HANDLE caller, RTM_ENTITY_HANDLE callee, RTM_ENTITY_METHOD_INPUT *in,
			       RTM_ENTITY_METHOD_OUTPUT *out)
{
	(void)caller;
	(void)in;
	RTM_NET_ADDRESS a = test_ipv4(10, 7, 0, 0, 16);
	test_route_info_buf b;
	RTM_ROUTE_HANDLE h = NULL;
	test_fill_route(&b.info, NULL, 1, 1, RTM_VIEW_MASK_UCAST);
	busy_results[0] = RtmAddRouteToDest(callee, &h, &a, &b.info, INFINITE, NULL, 0, NULL, NULL);
	busy_results[1] = h ? RtmDeleteRouteToDest(callee, h, NULL) : ERROR_INVALID_HANDLE;
	/* blocking one's own methods from inside one of them does not wait for itself */
	busy_results[2] = RtmBlockMethods(callee, NULL, 0, RTM_BLOCK_METHODS);
	RtmBlockMethods(callee, NULL, 0, RTM_RESUME_METHODS);
	out->OutputSize = 0;
}

static void test_method_calls_rtm(void)
{
	const RTM_ENTITY_EXPORT_METHOD m[1] = { busy_method };
	RTM_ENTITY_HANDLE a = register_with(73, 1, 1, m);
	RTM_ENTITY_HANDLE b = register_with(73, 2, 0, NULL);
	ok(invoke_first(b, a) == NO_ERROR, "invoke\n");
	ok(busy_results[0] == NO_ERROR && busy_results[1] == NO_ERROR, "route calls in a method: %lu %lu\n",
	   (unsigned long)busy_results[0], (unsigned long)busy_results[1]);
	ok(busy_results[2] == NO_ERROR, "RtmBlockMethods from its own method: %lu\n", (unsigned long)busy_results[2]);
	test_deregister(a);
	test_deregister(b);
}

/* ---- blocking ----------------------------------------------------------------- */

static int slow_inside, slow_release, slow_done;

static VOID WINAPI slow_method(RTM_ENTITY_HANDLE caller, RTM_ENTITY_HANDLE callee, RTM_ENTITY_METHOD_INPUT *in,
			       RTM_ENTITY_METHOD_OUTPUT *out)
{
	(void)caller;
	(void)callee;
	(void)in;
	test_inc(&slow_inside);
	for (int i = 0; i < 500 && !test_load(&slow_release); i++)
		test_sleep_ms(10);
	out->OutputSize = 0;
	test_inc(&slow_done);
	test_dec(&slow_inside);
}

typedef struct invoker {
	RTM_ENTITY_HANDLE caller, target;
	DWORD result;
	int finished;
} invoker;

static void invoke_thread(void *p)
{
	invoker *v = p;
	v->result = invoke_first(v->caller, v->target);
	test_store(&v->finished, 1);
}

typedef struct blocker_arg {
	RTM_ENTITY_HANDLE h;
	DWORD result;
	int finished;
	int slow_done_at_return;
} blocker_arg;

static void block_thread(void *p)
{
	blocker_arg *b = p;
	b->result = RtmBlockMethods(b->h, NULL, 0, RTM_BLOCK_METHODS);
	b->slow_done_at_return = test_load(&slow_done);
	test_store(&b->finished, 1);
}

static void deregister_thread(void *p)
{
	blocker_arg *b = p;
	b->result = RtmDeregisterEntity(b->h);
	b->slow_done_at_return = test_load(&slow_done);
	test_store(&b->finished, 1);
}

static void reset_slow(void)
{
	test_store(&slow_inside, 0);
	test_store(&slow_release, 0);
	test_store(&slow_done, 0);
}

static void test_block(void)
{
	const RTM_ENTITY_EXPORT_METHOD m[1] = { slow_method };
	const USHORT inst = 74;
	RTM_ENTITY_HANDLE t = register_with(inst, 1, 1, m);
	RTM_ENTITY_HANDLE c = register_with(inst, 2, 0, NULL);

	ok(RtmBlockMethods(t, NULL, 0, 2) == ERROR_INVALID_PARAMETER, "flag 2\n");
	ok(RtmBlockMethods((RTM_ENTITY_HANDLE)(uintptr_t)0x777, NULL, 0, 2) == ERROR_INVALID_HANDLE, "bad handle first\n");
	ok(RtmBlockMethods(t, NULL, 0, RTM_RESUME_METHODS) == NO_ERROR, "resume when not blocked\n");
	/* TargetHandle / TargetType are not looked at */
	ok(RtmBlockMethods(t, (HANDLE)(uintptr_t)0x999, 77, RTM_BLOCK_METHODS) == NO_ERROR, "block\n");
	ok(RtmBlockMethods(t, NULL, 0, RTM_BLOCK_METHODS) == NO_ERROR, "block twice\n");

	/* an invocation while blocked waits for the resume */
	reset_slow();
	test_store(&slow_release, 1);
	invoker v = { c, t, 0xFFFF, 0 };
	test_thread th = test_thread_run(invoke_thread, &v);
	test_sleep_ms(200);
	ok(!test_load(&v.finished) && test_load(&slow_done) == 0, "invocation ran while blocked\n");
	ok(RtmBlockMethods(t, NULL, 0, RTM_RESUME_METHODS) == NO_ERROR, "resume\n");
	ok(test_wait_for(test_load(&v.finished), WAIT_MS), "invocation did not resume\n");
	test_thread_join(th);
	ok(v.result == NO_ERROR && test_load(&slow_done) == 1, "resumed invocation: %lu, ran %d\n",
	   (unsigned long)v.result, test_load(&slow_done));

	/* RTM_BLOCK_METHODS waits for a running invocation */
	reset_slow();
	invoker v2 = { c, t, 0xFFFF, 0 };
	th = test_thread_run(invoke_thread, &v2);
	ok(test_wait_for(test_load(&slow_inside) == 1, WAIT_MS), "method not running\n");
	blocker_arg b = { t, 0xFFFF, 0, 0 };
	test_thread bt = test_thread_run(block_thread, &b);
	test_sleep_ms(150);
	ok(!test_load(&b.finished), "RtmBlockMethods returned while a method was running\n");
	test_store(&slow_release, 1);
	ok(test_wait_for(test_load(&b.finished), WAIT_MS), "RtmBlockMethods never returned\n");
	test_thread_join(bt);
	test_thread_join(th);
	ok(b.result == NO_ERROR && b.slow_done_at_return == 1, "block: %lu, method done at return %d\n",
	   (unsigned long)b.result, b.slow_done_at_return);
	ok(v2.result == NO_ERROR, "running invocation: %lu\n", (unsigned long)v2.result);

	/* deregistration of a blocked entity fails its waiting invokers */
	reset_slow();
	invoker v3 = { c, t, 0xFFFF, 0 };
	th = test_thread_run(invoke_thread, &v3);
	test_sleep_ms(100);
	ok(!test_load(&v3.finished), "invocation did not wait\n");
	test_deregister(t);
	ok(test_wait_for(test_load(&v3.finished), WAIT_MS), "waiter not woken by deregistration\n");
	test_thread_join(th);
	ok(v3.result == ERROR_INVALID_HANDLE && test_load(&slow_done) == 0, "waiter: %lu, ran %d\n",
	   (unsigned long)v3.result, test_load(&slow_done));
	test_deregister(c);
}

/* deregistration waits for a running method */
static void test_deregister_waits(void)
{
	const RTM_ENTITY_EXPORT_METHOD m[1] = { slow_method };
	RTM_ENTITY_HANDLE t = register_with(75, 1, 1, m);
	RTM_ENTITY_HANDLE c = register_with(75, 2, 0, NULL);
	reset_slow();
	invoker v = { c, t, 0xFFFF, 0 };
	test_thread th = test_thread_run(invoke_thread, &v);
	ok(test_wait_for(test_load(&slow_inside) == 1, WAIT_MS), "method not running\n");
	blocker_arg d = { t, 0xFFFF, 0, 0 };
	test_thread dt = test_thread_run(deregister_thread, &d);
	test_sleep_ms(150);
	ok(!test_load(&d.finished), "RtmDeregisterEntity returned while a method ran\n");
	/* a new invocation is refused at once */
	RTM_ENTITY_METHOD_INPUT in;
	memset(&in, 0, sizeof(in));
	in.MethodType = 1;
	UINT size = 0;
	ok(RtmInvokeMethod(c, t, &in, &size, NULL) == ERROR_INVALID_HANDLE, "invocation of a deregistering entity\n");
	test_store(&slow_release, 1);
	ok(test_wait_for(test_load(&d.finished), WAIT_MS), "deregistration never returned\n");
	test_thread_join(dt);
	test_thread_join(th);
	ok(d.result == NO_ERROR && d.slow_done_at_return == 1, "deregister %lu, method done %d\n",
	   (unsigned long)d.result, d.slow_done_at_return);
	ok(v.result == NO_ERROR, "the running invocation: %lu\n", (unsigned long)v.result);
	test_deregister(c);
}

int main(void)
{
	test_get_methods();
	test_invoke();
	test_method_calls_rtm();
	test_block();
	test_deregister_waits();
	expect_no_live_objects();
	return test_finish();
}

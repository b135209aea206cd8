/*
 * wt.c - the whole-system test harness (see wt.h): starting routers,
 * running rtmctl, polling with deadlines.
 */
#include "wt.h"

#include <stdarg.h>

#define WT_LIFETIME_S 90

unsigned wt_port(unsigned base)
{
#ifdef _WIN64
	return base;
#else
	return base + 500;
#endif
}

/* start a command line with stdout and stderr on `output` (inheritable) */
static BOOL spawn(const char *cmdline, HANDLE output, PROCESS_INFORMATION *pi)
{
	STARTUPINFOA si;
	memset(&si, 0, sizeof(si));
	si.cb = sizeof(si);
	si.dwFlags = STARTF_USESTDHANDLES;
	si.hStdOutput = si.hStdError = output;
	si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
	char line[1024];
	snprintf(line, sizeof(line), "%s", cmdline);
	BOOL started = CreateProcessA(NULL, line, NULL, NULL, TRUE, 0, NULL, NULL, &si, pi);
	CloseHandle(output);
	return started;
}

/* run a command line, its stdout (and stderr) into out; exit code or -1 */
static int run(const char *cmdline, char *out, size_t size, DWORD timeout_ms)
{
	SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
	HANDLE rd, wr;
	if (!CreatePipe(&rd, &wr, &sa, 0))
		return -1;
	SetHandleInformation(rd, HANDLE_FLAG_INHERIT, 0);
	PROCESS_INFORMATION pi;
	BOOL started = spawn(cmdline, wr, &pi);
	size_t len = 0;
	DWORD n;
	if (started)
		while (ReadFile(rd, out + len, (DWORD)(size - 1 - len), &n, NULL) && n && len + n < size - 1)
			len += n;
	out[len] = 0;
	CloseHandle(rd);
	if (!started)
		return -1;
	DWORD code = (DWORD)-1;
	if (WaitForSingleObject(pi.hProcess, timeout_ms) == WAIT_OBJECT_0)
		GetExitCodeProcess(pi.hProcess, &code);
	else
		TerminateProcess(pi.hProcess, 99);
	CloseHandle(pi.hProcess);
	CloseHandle(pi.hThread);
	return (int)code;
}

void wt_config(char *buf, size_t size, unsigned n, const char *ifaces, const char *statics, const char *dv, ...)
{
	int len = snprintf(buf, size,
			   "%s"
			   "interface 9 lan 127.%u.1.1/24\n"
			   "protocol static static.dll\n%s"
			   "protocol dv dv.dll\n",
			   ifaces, n, statics);
	va_list ap;
	va_start(ap, dv);
	vsnprintf(buf + len, size - (size_t)len, dv, ap);
	va_end(ap);
}

int wt_ctl(const wt_router *r, const char *command, char *out, size_t size)
{
	char line[512];
	snprintf(line, sizeof(line), "rtmctl.exe -m -r %s %s", r->name, command);
	return run(line, out, size, 30000);
}

BOOL wt_start(wt_router *r, const char *name, const char *config)
{
	char path[64], log[64], line[256];
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(path, sizeof(path), "wt-%s.conf", name);
	snprintf(log, sizeof(log), "wt-%s.log", name);
	FILE *f = fopen(path, "w");
	if (!f)
		return FALSE;
	fprintf(f, "router %s\n%s", name, config);
	fclose(f);

	SECURITY_ATTRIBUTES sa = { sizeof(sa), NULL, TRUE };
	HANDLE out = CreateFileA(log, GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE, &sa, CREATE_ALWAYS, 0, NULL);
	PROCESS_INFORMATION pi;
	snprintf(line, sizeof(line), "rtmhost.exe %s --lifetime %d", path, WT_LIFETIME_S);
	if (!spawn(line, out, &pi))
		return FALSE;
	CloseHandle(pi.hThread);
	r->process = pi.hProcess;
	char reply[256];
	for (int k = 0; k < 100; k++) {
		if (wt_ctl(r, "ping", reply, sizeof(reply)) == 0)
			return TRUE;
		if (WaitForSingleObject(r->process, 200) == WAIT_OBJECT_0)
			return FALSE;
	}
	return FALSE;
}

static BOOL has_all(const char *text, BOOL present, va_list ap)
{
	for (const char *needle; (needle = va_arg(ap, const char *));)
		if ((strstr(text, needle) != NULL) != present)
			return FALSE;
	return TRUE;
}

BOOL wt_wait(const wt_router *r, const char *command, BOOL present, DWORD timeout_ms, ...)
{
	static char out[WT_OUT];
	ULONGLONG deadline = GetTickCount64() + timeout_ms;
	do {
		if (wt_ctl(r, command, out, sizeof(out)) == 0) {
			va_list ap;
			va_start(ap, timeout_ms);
			BOOL done = has_all(out, present, ap);
			va_end(ap);
			if (done)
				return TRUE;
		}
		Sleep(200);
	} while (GetTickCount64() < deadline);
	return FALSE;
}

BOOL wt_line(const char *text, char *out, size_t size, ...)
{
	for (const char *line = text; line && *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char copy[1024];
		if (len >= sizeof(copy))
			len = sizeof(copy) - 1;
		memcpy(copy, line, len);
		copy[len] = 0;
		va_list ap;
		va_start(ap, size);
		BOOL match = has_all(copy, TRUE, ap);
		va_end(ap);
		if (match) {
			snprintf(out, size, "%s", copy);
			return TRUE;
		}
		line = end ? end + 1 : NULL;
	}
	return FALSE;
}

unsigned wt_count(const char *text, const char *prefix)
{
	unsigned n = 0;
	size_t len = strlen(prefix);
	for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (!strncmp(line, prefix, len))
			n++;
	return n;
}

int wt_stop(wt_router *r)
{
	char out[256];
	if (!r->process)
		return -1;
	wt_ctl(r, "stop", out, sizeof(out));
	DWORD code = (DWORD)-1;
	if (WaitForSingleObject(r->process, 30000) == WAIT_OBJECT_0)
		GetExitCodeProcess(r->process, &code);
	else
		TerminateProcess(r->process, 98);
	CloseHandle(r->process);
	r->process = NULL;
	return (int)code;
}

BOOL wt_log_has(const wt_router *r, const char *text)
{
	char path[64];
	static char buf[WT_OUT];
	snprintf(path, sizeof(path), "wt-%s.log", r->name);
	FILE *f = fopen(path, "rb");
	if (!f)
		return FALSE;
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = 0;
	fclose(f);
	return strstr(buf, text) != NULL;
}

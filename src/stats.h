/*
 * stats.h - the test-only statistics hook (see stats.c); tests include it.
 */
#ifndef RTM_STATS_H
#define RTM_STATS_H

#include "platform/win_types.h"

#define RTM_TEST_STATS_ORDINAL 1000

enum {
	RTM_TEST_COUNT_ENTITIES,
	RTM_TEST_COUNT_DESTS,
	RTM_TEST_COUNT_ROUTES,
	RTM_TEST_COUNT_NEXTHOPS,
	RTM_TEST_COUNT_ENUMS,
	RTM_TEST_COUNT_NOTIFY_REGS,
	RTM_TEST_COUNT_ROUTE_LISTS,
	RTM_TEST_COUNT_KINDS
};

DWORD WINAPI RtmTestGetObjectCounts(DWORD *Counts, UINT NumCounts);
typedef DWORD(WINAPI *RTM_TEST_GET_OBJECT_COUNTS)(DWORD *Counts, UINT NumCounts);

#endif

/*
 * stats.c - the test-only statistics hook.
 *
 * RtmTestGetObjectCounts reports how many objects of each kind are alive,
 * so tests can prove that everything is freed once every entity has
 * deregistered.  It is exported by ordinal only (RTM_TEST_STATS_ORDINAL,
 * no name), so it never appears to programs that import by name.
 */
#include "stats.h"
#include "handle.h"

DWORD WINAPI RtmTestGetObjectCounts(DWORD *Counts, UINT NumCounts)
{
	if (!Counts || NumCounts < RTM_TEST_COUNT_KINDS)
		return ERROR_INVALID_PARAMETER;
	/* the order of RTM_TEST_COUNT_* in stats.h */
	static const enum rtm_obj_kind kinds[RTM_TEST_COUNT_KINDS] = {
		OBJ_ENTITY, OBJ_DEST, OBJ_ROUTE, OBJ_NEXTHOP, OBJ_ENUM, OBJ_NOTIFY, OBJ_ROUTE_LIST,
	};
	for (UINT i = 0; i < RTM_TEST_COUNT_KINDS; i++)
		Counts[i] = handle_live_count(kinds[i]);
	return NO_ERROR;
}

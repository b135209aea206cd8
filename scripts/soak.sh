#!/usr/bin/env bash
# soak.sh - the long runs of issue 7, opt-in (the test suite runs each for a few seconds only).
#
#   bash scripts/soak.sh [SECONDS]
#
# For each tree of RTM_SOAK_TREES (default "x64 x86": Wine, both architectures; "native" works
# too) it builds the tree and runs, for SECONDS each (default 180):
#   test_soak --seconds SECONDS    8 threads, 4 entities and a churning fifth, random operations
#                                  with callbacks and change notifications; a line per second
#                                  with operations, callbacks, live objects and memory (private
#                                  bytes under Wine); fails if memory grows (last third of the
#                                  samples more than 25% + 8 MiB over the first third) or if
#                                  anything is left after everyone deregistered;
#   test_model --seconds SECONDS   the model-based random driver on consecutive seeds from a
#                                  random one (printed: rerun a failure with --seed S).
# Logs: build/soak-<tree>.log and build/model-soak-<tree>.log.  Exit status 0 when all passed.
# Environment: RTM_SKIP_SETUP=1 skips scripts/setup.sh; RTM_SOAK_MODEL=0 skips the model soak.
set -uo pipefail

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$rtm_repo" || exit 1

seconds=${1:-180}
trees=${RTM_SOAK_TREES:-x64 x86}
if [ "${RTM_SKIP_SETUP:-0}" != 1 ]; then
	bash scripts/setup.sh || exit 1
fi

failed=0
summary=()
run() { # tree name program args...
	local tree=$1 name=$2 log=build/$2-$1.log rc
	shift 2
	echo "=== $name, build/$tree, $seconds s ==="
	if [ "$tree" = native ]; then
		"build/$tree/bin/$1" "${@:2}" 2>&1 | tee "$log"
	else
		rtm_wine_run "$tree" "build/$tree/bin/$1.exe" "${@:2}" 2>&1 | tr -d '\r' | tee "$log"
	fi
	rc=${PIPESTATUS[0]}
	local last
	last=$(grep -E '^soak:|^model soak:' "$log" | tail -1)
	summary+=("$(printf '%-7s %-10s %s %s' "$tree" "$name" "$([ "$rc" = 0 ] && echo ok || echo FAILED)" "$last")")
	[ "$rc" = 0 ] || failed=$((failed + 1))
}

for tree in $trees; do
	if ! rtm_build_tree "$tree"; then
		summary+=("$tree: BUILD FAILED")
		failed=$((failed + 1))
		continue
	fi
	run "$tree" soak test_soak --seconds "$seconds"
	[ "${RTM_SOAK_MODEL:-1}" = 0 ] || run "$tree" model-soak test_model --seconds "$seconds"
done

echo
echo "=== soak summary ==="
printf '%s\n' "${summary[@]}"
[ "$failed" = 0 ]

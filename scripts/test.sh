#!/usr/bin/env bash
# test.sh - set up, build and test every kind of build tree.
#
#   bash scripts/test.sh
#
# Runs scripts/setup.sh, then for each tree: configure (first time), build,
# ctest.  The trees (build/<name>, see scripts/lib.sh):
#   native    gcc
#   asan      clang, AddressSanitizer + UndefinedBehaviorSanitizer
#   tsan      gcc, ThreadSanitizer
#   valgrind  gcc -O0, every test under valgrind memcheck
#   x64       MinGW-w64 x86_64, tests under Wine (64-bit)
#   x86       MinGW-w64 i686, tests under Wine (32-bit)
# A test that cannot run (say, Wine without wine32) fails; nothing is
# skipped.  At the end: one line per tree, then "N passed, N failed" over all
# ctest tests (a tree that does not configure or build counts as one failed
# test).  Exit status 0 only if everything passed.
#
# Environment: RTM_TEST_TREES="native x64" runs only those trees;
# RTM_JOBS (default 2) build and ctest parallelism; RTM_SKIP_SETUP=1.
set -uo pipefail

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$rtm_repo" || exit 1

trees=${RTM_TEST_TREES:-native asan tsan valgrind x64 x86}

if [ "${RTM_SKIP_SETUP:-0}" != 1 ]; then
	if ! bash scripts/setup.sh; then
		echo "setup failed"
		echo "0 passed, 1 failed"
		exit 1
	fi
fi

total_passed=0
total_failed=0
summary=()

for tree in $trees; do
	echo
	echo "=== build/$tree ==="
	start=$SECONDS
	if ! rtm_build_tree "$tree"; then
		summary+=("$(printf '%-9s BUILD FAILED (%ss)' "$tree" $((SECONDS - start)))")
		total_failed=$((total_failed + 1))
		continue
	fi
	log=build/$tree.ctest.log
	ctest --test-dir "build/$tree" -j "$rtm_jobs" --output-on-failure --no-tests=error 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	# "100% tests passed, 0 tests failed out of 7"
	line=$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)
	if [ -n "$line" ]; then
		failed=$(echo "$line" | sed -E 's/.* ([0-9]+) tests? failed out of.*/\1/')
		ran=$(echo "$line" | sed -E 's/.*out of ([0-9]+).*/\1/')
	else
		failed=1
		ran=1
	fi
	if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
		failed=1 # ctest failed without saying which test
	fi
	passed=$((ran - failed))
	total_passed=$((total_passed + passed))
	total_failed=$((total_failed + failed))
	status=ok
	[ "$failed" = 0 ] || status=FAILED
	summary+=("$(printf '%-9s %-6s %3d passed, %d failed (%ss)' "$tree" "$status" "$passed" "$failed" \
		$((SECONDS - start)))")
done

echo
echo "=== summary ==="
for line in "${summary[@]}"; do
	echo "$line"
done
echo "$total_passed passed, $total_failed failed"
[ "$total_failed" = 0 ]

#!/usr/bin/env bash
# fuzz.sh - a long libFuzzer run of fuzz/fuzz_api.c (the test suite runs it for 60 s only).
#
#   bash scripts/fuzz.sh [SECONDS] [libFuzzer options...]
#
# Builds the asan tree (clang, AddressSanitizer + UndefinedBehaviorSanitizer, see
# scripts/lib.sh), then runs build/asan/bin/fuzz_api for SECONDS (default 600) on the corpus
# kept in build/asan/fuzz-corpus (grown by every run, the test's too) and the seed corpus
# fuzz/corpus.  Inputs that crash, hang, leak or make the model and the API disagree are written
# to build/fuzz-artifacts/; replay one with
#   RTM_FUZZ_LOG=1 build/asan/bin/fuzz_api build/fuzz-artifacts/crash-...
# (the log shows the model driver's operations up to the mismatch).
# Environment: RTM_FUZZ_JOBS=N runs N fuzzing processes in parallel (default 1; the machine has
# 2 cores); RTM_SKIP_SETUP=1 skips scripts/setup.sh.
set -uo pipefail

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$rtm_repo" || exit 1

seconds=${1:-600}
[ $# -gt 0 ] && shift
jobs=${RTM_FUZZ_JOBS:-1}

if [ "${RTM_SKIP_SETUP:-0}" != 1 ]; then
	bash scripts/setup.sh || exit 1
fi
rtm_build_tree asan || exit 1
[ -x build/asan/bin/fuzz_api ] || {
	echo "build/asan has no fuzz_api (clang without libFuzzer? see build/asan.configure.log)" >&2
	exit 1
}
mkdir -p build/asan/fuzz-corpus build/fuzz-artifacts
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
extra=()
[ "$jobs" -gt 1 ] && extra=(-jobs="$jobs" -workers="$jobs")
echo "fuzz_api: $seconds s, $jobs process(es); corpus build/asan/fuzz-corpus + fuzz/corpus"
build/asan/bin/fuzz_api -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1 \
	-artifact_prefix=build/fuzz-artifacts/ "${extra[@]}" "$@" build/asan/fuzz-corpus fuzz/corpus
rc=$?
if [ "$rc" = 0 ]; then
	echo "fuzz_api: no crash, no sanitizer report, no model mismatch in $seconds s"
else
	echo "fuzz_api: FAILED (exit $rc); the input is in build/fuzz-artifacts/" >&2
fi
exit "$rc"

#!/usr/bin/env bash
# bench.sh - build and run the benchmarks: native, then rtm.dll under Wine
# (x64 and x86), then instruction counts under callgrind; print the figures
# against the targets of design.md.
#
#   bash scripts/bench.sh [--quick] [--no-wine] [--no-callgrind]
#
#   --quick         smaller tables (10k and 100k IPv4, 100k IPv6), a smoke run
#   --no-wine       native only
#   --no-callgrind  no instruction counts
#
# Builds its own trees, build/bench-native, build/bench-x64, build/bench-x86
# (RelWithDebInfo: -O2 -g, tests off), with what scripts/setup.sh installs
# (it is run first and installs nothing when all is there).  Every table
# size runs in a process of its own, so memory figures start from a clean
# heap.  Results, in build/bench/:
#   <label>.csv   one line per figure: label,family,n,figure,value,unit,ops,seconds,note
#   <label>.txt   the benchmark's own table
#   callgrind.csv instructions per operation: n,phase,instructions,ops,instr_per_op
#   prefix_tree.txt  bench_prefix_tree (the tree alone) at the largest IPv4 size
#   summary.txt   the table printed at the end
#   wineprefix/   the Wine prefix both Windows runs use
# docs/PERFORMANCE.md explains the figures.
set -euo pipefail

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$rtm_repo"

quick=0 wine=1 callgrind=1
for arg in "$@"; do
	case $arg in
	--quick) quick=1 ;;
	--no-wine) wine=0 ;;
	--no-callgrind) callgrind=0 ;;
	-h | --help)
		sed -n '2,21p' "$0"
		exit 0
		;;
	*)
		echo "bench.sh: unknown option $arg" >&2
		exit 2
		;;
	esac
done

if [ "$quick" = 1 ]; then
	v4_sizes="10000 100000" v6_sizes="100000" lookups=200000 cg_sizes="5000 10000"
else
	v4_sizes="10000 100000 1000000" v6_sizes="100000 200000" lookups=1000000 cg_sizes="10000 100000"
fi

out=$rtm_repo/build/bench
mkdir -p "$out"
start=$(date +%s)
# timings mean little on a busy machine: the summary shows the load
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

RTM_SETUP_NO_WINE_RUN=1 bash scripts/setup.sh

# bench_tree NAME - configure and build build/bench-NAME (native, x64, x86)
bench_tree() {
	local name=$1 dir=$rtm_repo/build/bench-$1 args
	args=$(rtm_tree_args "$name")
	# shellcheck disable=SC2086
	if ! cmake -S "$rtm_repo" -B "$dir" -G "$(rtm_generator)" $args -DRTM_BUILD_TESTS=OFF \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo >"$dir.configure.log" 2>&1; then
		cat "$dir.configure.log"
		echo "bench.sh: configure of build/bench-$name failed" >&2
		return 1
	fi
	local targets=bench_rtm
	[ "$name" = native ] && targets="bench_rtm bench_prefix_tree"
	# shellcheck disable=SC2086
	cmake --build "$dir" -j "$rtm_jobs" --target $targets >"$dir.build.log" 2>&1 || {
		cat "$dir.build.log"
		echo "bench.sh: build of build/bench-$name failed" >&2
		return 1
	}
}

# One Wine prefix for both Windows trees: a 64-bit prefix runs x86 programs
# too, and making one (wineboot) is the slowest step on a fresh machine.
prefix=$out/wineprefix
wine_env=(env -u DISPLAY -u WAYLAND_DISPLAY WINEPREFIX="$prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=")

# tree_wine NAME - the Wine loader that tree's tests use (its CMakeCache)
tree_wine() { sed -n 's/^RTM_WINE:FILEPATH=//p' "$rtm_repo/build/bench-$1/CMakeCache.txt"; }

make_prefix() {
	[ -f "$prefix/system.reg" ] && return 0
	echo "making the Wine prefix build/bench/wineprefix"
	"${wine_env[@]}" "$(tree_wine x64)" wineboot -i >/dev/null 2>&1
	"${wine_env[@]}" "$(sed -n 's/^RTM_WINESERVER:FILEPATH=//p' "$rtm_repo/build/bench-x64/CMakeCache.txt")" -w
}

# run_all LABEL COMMAND... - every table size, one process each
run_all() {
	local label=$1 n
	shift
	rm -f "$out/$label.csv" "$out/$label.txt"
	echo "== $label =="
	for n in $v4_sizes; do
		"$@" --family 4 --n "$n" --lookups "$lookups" --label "$label" --csv "$out/$label.csv" |
			tr -d '\r' | tee -a "$out/$label.txt"
	done
	for n in $v6_sizes; do
		"$@" --family 6 --n "$n" --lookups "$lookups" --label "$label" --csv "$out/$label.csv" |
			tr -d '\r' | tee -a "$out/$label.txt"
	done
	# a loader that silently ran nothing (Wine without wine32) must not pass
	grep -q ',add,' "$out/$label.csv" 2>/dev/null || {
		echo "bench.sh: $label produced no figures" >&2
		exit 1
	}
}

echo "== building =="
bench_tree native
labels=native
if [ "$wine" = 1 ]; then
	bench_tree x64
	bench_tree x86
	make_prefix
	labels="native wine-x64 wine-x86"
fi

run_all native build/bench-native/bin/bench_rtm
# the prefix tree alone at the largest IPv4 size (what RTM's lookups build on)
tree_n=${v4_sizes##* }
echo "== prefix tree alone ($tree_n prefixes) =="
build/bench-native/bin/bench_prefix_tree "$tree_n" "$lookups" | tee "$out/prefix_tree.txt"
if [ "$wine" = 1 ]; then
	run_all wine-x64 "${wine_env[@]}" "$(tree_wine x64)" build/bench-x64/bin/bench_rtm.exe
	run_all wine-x86 "${wine_env[@]}" "$(tree_wine x86)" build/bench-x86/bin/bench_rtm.exe
fi

# Instructions per operation: each phase is instrumented alone and dumped
# by a client request (bench_rtm.c), at two table sizes.
if [ "$callgrind" = 1 ]; then
	echo "== callgrind =="
	cg=$out/callgrind
	rm -rf "$cg"
	mkdir -p "$cg"
	echo "n,phase,instructions,ops,instr_per_op" >"$out/callgrind.csv"
	for n in $cg_sizes; do
		valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$cg/cg.$n.%p" \
			build/bench-native/bin/bench_rtm --family 4 --n "$n" --lookups "$n" --reps 1 --no-threads \
			>"$cg/bench.$n.txt" 2>"$cg/valgrind.$n.txt"
		for f in "$cg"/cg."$n".*.*; do
			awk -v n="$n" '/^desc: Trigger: Client Request:/ { phase = $NF }
				/^totals:/ { t = $2 }
				END { if (phase != "") printf "%s,%s,%s,%s,%.0f\n", n, phase, t, n, t / n }' "$f"
		done >>"$out/callgrind.csv"
	done
fi

# The summary: every figure side by side, then the targets.
{
	echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1);" \
		"load average at start $load_start, now $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "== figures (ns/op unless stated; IPv4 and IPv6 tables of n routes) =="
	# shellcheck disable=SC2086
	awk -F, -v labels="$labels" '
		BEGIN { nl = split(labels, L, " ") }
		FNR == 1 { }
		{ key = $2 " " $3 " " $4; if (!(key in seen)) { seen[key] = 1; order[++k] = key; unit[key] = $6 }
		  v[key, $1] = $5; note[key, $1] = $9 }
		END {
			printf "%-30s", "family n figure"
			for (i = 1; i <= nl; i++) printf " %12s", L[i]
			printf "  unit\n"
			for (j = 1; j <= k; j++) {
				key = order[j]
				printf "%-30s", key
				for (i = 1; i <= nl; i++) {
					x = v[key, L[i]]
					if (note[key, L[i]] ~ /^unavailable/) printf " %12s", "n/a"
					else if (x == "") printf " %12s", "-"
					else printf " %12.1f", x
				}
				printf "  %s\n", unit[key]
			}
		}' $(for l in $labels; do echo "$out/$l.csv"; done)
	echo
	echo "== the prefix tree alone, native, $tree_n prefixes (bench_prefix_tree; wall clock) =="
	cat "$out/prefix_tree.txt"
	if [ -f "$out/callgrind.csv" ] && [ "$callgrind" = 1 ]; then
		echo
		echo "== instructions per operation (callgrind, native, IPv4) =="
		awk -F, 'NR > 1 { if (!($2 in seen)) { seen[$2] = 1; ph[++k] = $2 }
				if (!($1 in sn)) { sn[$1] = 1; ns[++m] = $1 } v[$2, $1] = $5 }
			END { printf "%-12s", "phase"; for (j = 1; j <= m; j++) printf " %10s", "n=" ns[j]
				printf " %8s\n", "growth"
				for (i = 1; i <= k; i++) { printf "%-12s", ph[i]
					for (j = 1; j <= m; j++) printf " %10s", v[ph[i], ns[j]]
					printf " %7.2fx\n", v[ph[i], ns[m]] / v[ph[i], ns[1]] } }' "$out/callgrind.csv"
	fi
	echo
	echo "== targets (design.md), IPv4 at the largest n =="
	# shellcheck disable=SC2086
	awk -F, '
		$2 == "ipv4" { if ($3 + 0 > big) big = $3 + 0; if (small == "" || $3 + 0 < small) small = $3 + 0
			v[$1, $3, $4] = $5; if ($9 ~ /^unavailable/) na[$1, $3, $4] = 1; lab[$1] = 1 }
		function verdict(ok) { return ok ? "met" : "MISSED" }
		function fig(l, f) { return v[l, big, f] }
		END {
			a = fig("native", "add")
			printf "add >= 1M routes/s native:           %8.2f Mroutes/s  %s\n", 1e3 / a, verdict(a <= 1000)
			for (l in lab) if (l != "native") {
				w = fig(l, "add")
				printf "add under %-8s within 1.5x:       %8.2fx of native  %s\n", l, w / a, verdict(w <= 1.5 * a)
			}
			x = fig("native", "lpm")
			printf "lookup <= 150 ns:                    %8.1f ns         %s\n", x, verdict(x <= 150)
			if (na["native", big, "enum"]) printf "enumeration >= 10M dests/s:          unavailable\n"
			else { x = fig("native", "enum")
				printf "enumeration >= 10M dests/s:          %8.2f Mdests/s   %s\n", 1e3 / x, verdict(x <= 100) }
			d = fig("native", "delete")
			printf "delete as fast as add:               %8.2fx add time  %s\n", d / a, verdict(d <= a)
			m = fig("native", "heap_per_route")
			printf "memory <= 200 B/route:               %8.1f B/route    %s\n", m, verdict(m <= 200)
			split("add exact lpm update delete enum drain", F, " ")
			for (i = 1; i <= 7; i++) if (v["native", small, F[i]] > 0 && !na["native", big, F[i]]) {
				g = v["native", big, F[i]] / v["native", small, F[i]]
				printf "growth %-7s %7d -> %-8d <= 2x: %8.2fx            %s\n", F[i], small, big, g, verdict(g <= 2)
			}
			s = fig("native", "lpm_2t_speedup")
			printf "lookups 2 threads >= 1.6x 1 thread:  %8.2fx            %s\n", s, verdict(s >= 1.6)
		}' $(for l in $labels; do echo "$out/$l.csv"; done)
	echo
	echo "bench.sh: $(($(date +%s) - start)) s; results in build/bench/"
} | tee "$out/summary.txt"

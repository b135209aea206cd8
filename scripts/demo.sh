#!/usr/bin/env bash
# demo.sh - the sample router: three routers under Wine, their tables
# converging, a withdrawal travelling, a router going away.
#
#   bash scripts/demo.sh [--arch x64|x86]
#
# Runs scripts/setup.sh, builds build/x64 (or build/x86 with --arch x86:
# i686 binaries under 32-bit Wine), then starts the three demo routers of
# rtmhost's embedded configuration (docs/SAMPLE_ROUTER.md):
#
#   A 127.0.0.1 --- B 127.0.0.2 --- C 127.0.0.3      (dv over UDP, loopback)
#   static 10.1/16,   static 10.20/16,  static 10.3/16
#          10.2/16           10.2/16 (metric 5)
#
# and shows with rtmctl: C learning every route, B preferring its static
# 10.2/16 to the dv one, a route deleted on A disappearing from C (and the
# watch on C seeing it), a route added on A arriving, and B's routes timing
# out of C's table after B stops.  Everything stops by itself (each router
# also has a lifetime of 60 s); logs in build/<arch>/demo-<router>.log.
set -euo pipefail

# shellcheck source=lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$rtm_repo"

arch=x64
while [ $# -gt 0 ]; do
	case $1 in
	--arch)
		[ $# -ge 2 ] || { echo "--arch needs x64 or x86" >&2; exit 2; }
		arch=$2
		shift 2
		;;
	--arch=*)
		arch=${1#--arch=}
		shift
		;;
	-h | --help)
		sed -n '2,19p' "$0"
		exit 0
		;;
	*)
		echo "unknown argument $1 (try --help)" >&2
		exit 2
		;;
	esac
done
case $arch in
x64 | x86_64 | amd64) arch=x64 ;;
x86 | i686 | i386 | win32) arch=x86 ;;
*)
	echo "unknown --arch $arch: use x64 or x86" >&2
	exit 2
	;;
esac

bash scripts/setup.sh
echo "== building build/$arch =="
rtm_build_tree "$arch"

dir=build/$arch
bin=$dir/bin
ctest --test-dir "$dir" -R '^wine-prefix$' >/dev/null ||
	{ echo "could not prepare the Wine prefix of $dir" >&2; exit 1; }

run() { "$dir/wine-run" "$bin/$1.exe" "${@:2}"; }
ctl() {
	echo
	echo "\$ rtmctl $*"
	run rtmctl "$@"
}
quiet_ctl() { run rtmctl "$@" 2>/dev/null; }

# until ROUTER's "show routes" does (has) or does not (lacks) mention TEXT
wait_routes() {
	local router=$1 want=$2 text=$3
	for _ in $(seq 1 60); do
		if quiet_ctl -m -r "$router" show routes | grep -q -- "$text"; then
			[ "$want" = has ] && return 0
		else
			[ "$want" = lacks ] && return 0
		fi
		sleep 0.5
	done
	echo "router $router never $want '$text'" >&2
	return 1
}

started=()
stop_all() {
	for r in "${started[@]}"; do
		quiet_ctl -r "$r" stop >/dev/null || true
	done
	wait
}
trap stop_all EXIT

demo_start=$SECONDS
echo
echo "== starting routers A, B and C under Wine ($arch) =="
for r in A B C; do
	run rtmhost --demo "$r" --lifetime 60 >"$dir/demo-$r.log" 2>&1 &
	started+=("$r")
done
for r in A B C; do
	for _ in $(seq 1 60); do
		quiet_ctl -r "$r" ping >/dev/null && break
		sleep 0.5
	done
done
wait_routes C has "route 10.1.0.0/16 owner=dv"
wait_routes C has "route 10.20.0.0/16 owner=dv"
echo "converged"

ctl -r A show protocols
ctl -r C show routes
ctl -r B show dests
ctl -r B show entities
ctl -r B show nexthops
ctl -r C lookup 10.1.7.7
ctl -m -r C show routes

echo
echo "== withdrawing 10.1.0.0/16 on A (watching C) =="
run rtmctl -r C -t 8 watch >"$dir/demo-watch.log" 2>&1 &
watch_pid=$!
sleep 1.5
ctl -r A route delete 10.1.0.0/16 via 127.1.1.254 if 2
wait_routes C lacks "route 10.1.0.0/16 "
ctl -r A route add 10.9.0.0/16 via 127.1.1.254 if 2 metric 1
wait_routes C has "route 10.9.0.0/16 owner=dv"
ctl -r C show routes
wait "$watch_pid" || true
echo
echo "\$ rtmctl -r C watch      (what it printed meanwhile)"
cat "$dir/demo-watch.log"

echo
echo "== stopping B: its routes time out of C's table (TTL 3.5 s) =="
ctl -r B stop
wait_routes C lacks "route 10.20.0.0/16 "
ctl -r C show routes
ctl -r C show mib dv

echo
echo "== stopping A and C =="
ctl -r A stop
ctl -r C stop
trap - EXIT
wait
echo
echo "== what A's monitor protocol logged =="
grep '^monitor:' "$dir/demo-A.log" || true
echo
for r in A B C; do
	tail -n 1 "$dir/demo-$r.log"
done
echo "the demo took $((SECONDS - demo_start)) s (after the build)"

#!/usr/bin/env bash
# demo.sh - build rtm.dll and run the sample program under Wine.
#
#   bash scripts/demo.sh [--arch x64|x86] [-- sample arguments...]
#
# Runs scripts/setup.sh, builds build/x64 (or build/x86 with --arch x86:
# the i686 DLL under 32-bit Wine), and runs the main sample,
# build/<arch>/bin/rtm_sample.exe, beside our rtm.dll.
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
	--)
		shift
		break
		;;
	-h | --help)
		sed -n '2,9p' "$0"
		exit 0
		;;
	*)
		break
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

sample=build/$arch/bin/rtm_sample.exe
echo
echo "== build/$arch/bin =="
ls "build/$arch/bin"
if [ -f "$sample" ]; then
	echo
	echo "== running $sample under Wine =="
	rtm_wine_run "$arch" "$sample" "$@"
else
	echo
	echo "$sample is not there yet: it is the sample router program that"
	echo "samples/ will build (a host that loads the sample protocol DLLs, which"
	echo "add routes through our rtm.dll, and prints the best routes)."
	echo "Built so far: rtm.dll and its import library librtm.dll.a, in build/$arch."
fi

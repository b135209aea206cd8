#!/usr/bin/env bash
# setup.sh - install what building and testing rtm.dll needs, on Debian 12.
#
#   bash scripts/setup.sh
#
# Idempotent and quick when all is there: it asks dpkg, and only when
# something is missing runs apt-get (as root, or through sudo, with no
# prompts).  Then it proves that Wine runs a 32-bit and a 64-bit program,
# whichever way the packages came.
#
# Packages: cmake, ninja-build, make, gcc, clang (with libclang-rt-14-dev: the sanitizer and
# libFuzzer runtimes, only recommended by clang), valgrind, mingw-w64,
# binutils-mingw-w64, wine, wine64 and wine32:i386 (the i386 architecture
# is enabled for the last one).
#
# The wine64 / wine32:i386 skew.  Both pull in Multi-Arch "same" libraries
# (libwine, GStreamer, ...) that must have the same version on amd64 and
# i386.  When the i386 index of bookworm-security fails to download, or
# lags behind, the amd64 candidate of such a library is newer than its i386
# twin; apt then cannot install both, and installing one of wine64 and
# wine32 has been seen to remove the other (libgstreamer-plugins-base1.0-0).
# So before installing Wine this script walks the dependencies of wine64 and
# of wine32:i386, finds the Multi-Arch "same" packages whose two candidates
# differ, and names each on the install line at the newest version that
# both architectures have (pkg:amd64=V pkg:i386=V, downgrading if need be).
# Afterwards it checks that wine64 and wine32:i386 are both installed.
#
# Environment:
#   RTM_SETUP_DRY_RUN=1   resolve and print what would be installed
#                         (apt-get -s); change nothing, skip the Wine run.
#                         With APT_CONFIG pointing at another apt state this
#                         is how the skew handling is tried out.
#   RTM_SETUP_NO_WINE_RUN=1  skip running the two check programs.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
export LC_ALL=C # one collation for sort and comm
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dry_run=${RTM_SETUP_DRY_RUN:-0}

say() { echo "setup: $*"; }
die() {
	echo "setup: error: $*" >&2
	exit 1
}

tools_packages=(cmake ninja-build make gcc clang libclang-rt-14-dev valgrind mingw-w64 binutils-mingw-w64)
wine_packages=(wine wine64 wine32:i386)

installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null; then
		sudo -E "$@"
	else
		die "not root and no sudo: cannot run $*"
	fi
}

apt_install() {
	local flags=(-y -q --no-install-recommends)
	[ "$dry_run" = 1 ] && flags+=(-s)
	as_root apt-get install "${flags[@]}" "$@"
}

# The newest version that both "apt-cache madison" listings have.
newest_common_version() {
	local pkg=$1 best="" v
	local amd64 i386
	amd64=$(apt-cache madison "$pkg:amd64" 2>/dev/null | awk -F'|' '{gsub(/ /, "", $2); print $2}' | sort -u)
	i386=$(apt-cache madison "$pkg:i386" 2>/dev/null | awk -F'|' '{gsub(/ /, "", $2); print $2}' | sort -u)
	for v in $(comm -12 <(echo "$amd64") <(echo "$i386")); do
		if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then
			best=$v
		fi
	done
	echo "$best"
}

# Package names in the dependency closure of $@ (only real packages).
closure() {
	apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
		--no-breaks --no-replaces --no-enhances "$@" 2>/dev/null |
		grep -E '^[a-z0-9]' | sort -u
}

# Print the pins (pkg:amd64=V pkg:i386=V) that make wine64 and wine32:i386
# co-installable; see the note at the top.
wine_skew_pins() {
	local both pkg c64 c32 ma v
	# amd64 side: names without a suffix; i386 side: "name:i386".
	both=$(comm -12 <(closure wine64 | grep -v ':' | sort -u) \
		<(closure wine32:i386 | sed -n 's/:i386$//p' | sort -u))
	[ -n "$both" ] || return 0
	# One apt-cache call for every candidate: "name[:arch]:" then "  Candidate: V".
	# shellcheck disable=SC2046
	apt-cache policy $(for pkg in $both; do echo "$pkg:amd64 $pkg:i386"; done) 2>/dev/null |
		awk '/^[^ ]/ { name = $1; sub(/:$/, "", name); if (name !~ /:/) name = name ":amd64" }
		     /^  Candidate:/ { print name, $2 }' >"$tmp/candidates"
	for pkg in $both; do
		c64=$(awk -v n="$pkg:amd64" '$1 == n { print $2 }' "$tmp/candidates")
		c32=$(awk -v n="$pkg:i386" '$1 == n { print $2 }' "$tmp/candidates")
		[ -n "$c64" ] && [ -n "$c32" ] && [ "$c64" != "(none)" ] && [ "$c32" != "(none)" ] || continue
		[ "$c64" = "$c32" ] && continue
		ma=$(apt-cache show "$pkg:i386=$c32" 2>/dev/null | awk '/^Multi-Arch:/ { print $2; exit }')
		[ "$ma" = same ] || continue
		v=$(newest_common_version "$pkg")
		[ -n "$v" ] || die "$pkg: amd64 has $c64, i386 has $c32, and no version is in both"
		say "skew: $pkg amd64 $c64 / i386 $c32 -> both at $v" >&2
		echo "$pkg:amd64=$v $pkg:i386=$v"
	done
}

install_packages() {
	if ! dpkg --print-foreign-architectures | grep -qx i386; then
		say "enabling the i386 architecture (for wine32)"
		[ "$dry_run" = 1 ] || as_root dpkg --add-architecture i386
	fi
	if [ "$dry_run" != 1 ]; then
		say "apt-get update"
		# A failed index (a third-party source, or the i386 security index
		# of the note above) is a warning; what cannot be installed fails below.
		as_root apt-get update -q || say "warning: apt-get update reported errors; going on"
	fi

	local missing=() pkg
	for pkg in "${tools_packages[@]}"; do
		installed "$pkg" || missing+=("$pkg")
	done
	if [ ${#missing[@]} -gt 0 ] || [ "$dry_run" = 1 ]; then
		say "installing ${missing[*]:-(dry run: tools)}"
		apt_install "${tools_packages[@]}"
	fi

	local pins
	pins=$(wine_skew_pins)
	say "installing wine wine64 wine32:i386${pins:+ with }$(echo $pins)"
	# shellcheck disable=SC2086
	apt_install --allow-downgrades "${wine_packages[@]}" $pins
}

check_installed() {
	local pkg bad=()
	for pkg in "${tools_packages[@]}" "${wine_packages[@]}"; do
		installed "$pkg" || bad+=("$pkg")
	done
	if [ ${#bad[@]} -gt 0 ]; then
		die "still not installed: ${bad[*]} (for wine64 + wine32:i386 see the skew note in scripts/setup.sh)"
	fi
}

# Build two tiny programs and run them under Wine: a 32-bit and a 64-bit one.
check_wine_runs() {
	local dir=$repo/build/.setup arch exe out rc loader
	mkdir -p "$dir"
	cat >"$dir/wine_check.c.new" <<'EOF'
#include <stdio.h>
#include <windows.h>
int main(void)
{
	printf("wine runs %d-bit programs\n", (int)(8 * sizeof(void *)));
	return 42;
}
EOF
	if cmp -s "$dir/wine_check.c.new" "$dir/wine_check.c"; then
		rm "$dir/wine_check.c.new"
	else
		mv "$dir/wine_check.c.new" "$dir/wine_check.c"
	fi
	for arch in i686 x86_64; do
		exe=$dir/wine_check_$arch.exe
		if [ ! -f "$exe" ] || [ "$dir/wine_check.c" -nt "$exe" ]; then
			"$arch-w64-mingw32-gcc" -O2 -static -o "$exe" "$dir/wine_check.c" ||
				die "$arch-w64-mingw32-gcc cannot build a program"
		fi
		# The same loaders as the build trees use (see the toolchain files).
		loader=wine
		[ "$arch" = x86_64 ] && [ -x /usr/lib/wine/wine64 ] && loader=/usr/lib/wine/wine64
		rc=0
		out=$(env -u DISPLAY -u WAYLAND_DISPLAY WINEPREFIX="$dir/wineprefix" WINEDEBUG=-all \
			WINEDLLOVERRIDES="mscoree,mshtml=" "$loader" "$exe" 2>&1) || rc=$?
		out=$(echo "$out" | tr -d '\r' | grep 'wine runs' || true)
		[ "$rc" = 42 ] && [ -n "$out" ] || die "Wine cannot run a $arch program (exit $rc): is wine32:i386 / wine64 installed?"
		say "$out ($arch, $loader)"
	done
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

need=0
for pkg in "${tools_packages[@]}" "${wine_packages[@]}"; do
	installed "$pkg" || need=1
done
dpkg --print-foreign-architectures | grep -qx i386 || need=1

if [ "$need" = 1 ] || [ "$dry_run" = 1 ]; then
	install_packages
else
	say "all packages present"
fi
if [ "$dry_run" = 1 ]; then
	say "dry run: nothing changed"
	exit 0
fi
check_installed
[ "${RTM_SETUP_NO_WINE_RUN:-0}" = 1 ] || check_wine_runs
say "ready"

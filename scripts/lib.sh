# lib.sh - shared by scripts/test.sh and scripts/demo.sh (source it).
#
# Build trees live in build/<name>.  rtm_tree_args prints the CMake
# arguments of each kind of tree; add a tree kind here and list it in
# test.sh to have it tested.

rtm_repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
rtm_jobs=${RTM_JOBS:-2}

# rtm_tree_args NAME - the CMake arguments of build tree NAME.
rtm_tree_args() {
	case $1 in
	native) echo "" ;;
	asan) echo "-DCMAKE_C_COMPILER=clang -DRTM_SANITIZE=address,undefined" ;;
	tsan) echo "-DRTM_SANITIZE=thread" ;;
	valgrind) echo "-DRTM_VALGRIND=ON -DCMAKE_BUILD_TYPE=Debug" ;;
	x64) echo "-DCMAKE_TOOLCHAIN_FILE=$rtm_repo/cmake/toolchain-x86_64-w64-mingw32.cmake" ;;
	x86) echo "-DCMAKE_TOOLCHAIN_FILE=$rtm_repo/cmake/toolchain-i686-w64-mingw32.cmake" ;;
	*) return 1 ;;
	esac
}

# rtm_generator - Ninja when there is one.
rtm_generator() {
	if command -v ninja >/dev/null; then echo Ninja; else echo "Unix Makefiles"; fi
}

# rtm_build_tree NAME - configure (first time) and build build/NAME.
# The configure output goes to build/NAME.configure.log, shown on failure.
rtm_build_tree() {
	local name=$1 dir=$rtm_repo/build/$1 args
	args=$(rtm_tree_args "$name") || {
		echo "unknown build tree: $name" >&2
		return 1
	}
	mkdir -p "$rtm_repo/build"
	# shellcheck disable=SC2086
	if ! cmake -S "$rtm_repo" -B "$dir" -G "$(rtm_generator)" $args \
		>"$dir.configure.log" 2>&1; then
		cat "$dir.configure.log"
		echo "configure of build/$name failed" >&2
		return 1
	fi
	cmake --build "$dir" -j "$rtm_jobs"
}

# rtm_wine_run NAME PROGRAM ARGS... - run a program of Windows tree NAME
# under Wine the way its tests run: its prefix (made ready first) and its
# build/NAME/wine-run wrapper.
rtm_wine_run() {
	local name=$1 dir=$rtm_repo/build/$1
	shift
	ctest --test-dir "$dir" -R '^wine-prefix$' --output-on-failure >/dev/null ||
		{ echo "could not prepare the Wine prefix of build/$name" >&2; return 1; }
	"$dir/wine-run" "$@"
}

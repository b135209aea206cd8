# wine_prefix.cmake - make the build tree's throw-away Wine prefix ready.
#
#   cmake -DWINE=<loader> -DWINESERVER=<wineserver> -DPREFIX=<dir>
#         -DPROBE=<wine_probe.exe> -DBITS=32|64 -P wine_prefix.cmake
#
# Run once per ctest run as the setup of the "wine_prefix" fixture, before
# any test that runs under Wine, so that parallel tests never race to
# create the prefix.  A prefix made by this same Wine is kept (a stamp file
# records the loader and its version); anything else is deleted and made
# anew with "wineboot -i", with the dialogs that could ask questions
# (Mono, Gecko) switched off and no display.  The wineserver is then waited
# for, so that the registry is on disk before the first test starts.
# Last, the probe program of this tree must run and say it is BITS-bit (see
# wine_probe.c for the Wine quirk that makes this necessary).

cmake_policy(VERSION 3.20)

foreach(var WINE WINESERVER PREFIX PROBE BITS)
	if(NOT DEFINED ${var} OR "${${var}}" MATCHES "NOTFOUND$")
		message(FATAL_ERROR "wine_prefix.cmake: ${var} is not set or not found (is Wine installed?)")
	endif()
endforeach()

set(ENV{WINEPREFIX} "${PREFIX}")
set(ENV{WINEDEBUG} "-all")
set(ENV{WINEDLLOVERRIDES} "mscoree,mshtml=")
unset(ENV{DISPLAY})
unset(ENV{WAYLAND_DISPLAY})

execute_process(COMMAND "${WINE}" --version OUTPUT_VARIABLE version
	OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
	message(FATAL_ERROR "${WINE} --version failed (${rc})")
endif()
set(stamp "${PREFIX}/.rtm-prefix-ready")
set(want "${WINE} ${version}")

function(rtm_run_probe)
	execute_process(COMMAND "${WINE}" "${PROBE}" RESULT_VARIABLE rc OUTPUT_VARIABLE out
		ERROR_VARIABLE err TIMEOUT 120)
	if(NOT rc EQUAL 42 OR NOT out MATCHES "wine_probe: ${BITS}-bit program ran")
		message(FATAL_ERROR "Wine did not run the ${BITS}-bit probe ${PROBE} "
			"(exit ${rc}, output '${out}' ${err}): no test of this tree can run. "
			"For 32-bit programs wine32:i386 must be installed (scripts/setup.sh).")
	endif()
	message(STATUS "${out}")
endfunction()

if(EXISTS "${stamp}" AND EXISTS "${PREFIX}/system.reg")
	file(READ "${stamp}" have)
	if(have STREQUAL want)
		message(STATUS "Wine prefix ${PREFIX} ready (${version})")
		rtm_run_probe()
		return()
	endif()
endif()

message(STATUS "Creating Wine prefix ${PREFIX} with ${want}")
file(REMOVE_RECURSE "${PREFIX}")
execute_process(COMMAND "${WINE}" wineboot -i RESULT_VARIABLE rc TIMEOUT 240)
if(NOT rc EQUAL 0)
	message(FATAL_ERROR "wineboot -i failed (${rc})")
endif()
execute_process(COMMAND "${WINESERVER}" -w RESULT_VARIABLE rc TIMEOUT 60)
if(NOT EXISTS "${PREFIX}/system.reg")
	message(FATAL_ERROR "wineboot left no ${PREFIX}/system.reg")
endif()
file(WRITE "${stamp}" "${want}")
message(STATUS "Wine prefix ${PREFIX} created")
rtm_run_probe()

# Cross-compile rtm.dll and its tests for 32-bit Windows with MinGW-w64;
# the tests run under Wine (its 32-bit loader, from wine32:i386).
#   cmake -S . -B build/x86 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-i686-w64-mingw32.cmake
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR i686)
set(RTM_MINGW_TRIPLE i686-w64-mingw32)
include(${CMAKE_CURRENT_LIST_DIR}/mingw-common.cmake)

# Debian's /usr/bin/wine starts the 32-bit loader when wine32 is installed.
# Without wine32 it falls back to the 64-bit loader, which cannot run i686
# programs, so every test fails (as it should) instead of being skipped.
set(RTM_WINE_NAMES wine)

# Cross-compile rtm.dll and its tests for 64-bit Windows with MinGW-w64;
# the tests run under Wine's 64-bit loader (see CMakeLists.txt).
#   cmake -S . -B build/x64 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-x86_64-w64-mingw32.cmake
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(RTM_MINGW_TRIPLE x86_64-w64-mingw32)
include(${CMAKE_CURRENT_LIST_DIR}/mingw-common.cmake)

# The 64-bit loader itself (Debian keeps it out of PATH), else PATH's wine.
set(RTM_WINE_NAMES wine64 wine)

# Shared part of the two MinGW-w64 toolchain files; RTM_MINGW_TRIPLE is set
# by the includer.
set(CMAKE_C_COMPILER ${RTM_MINGW_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${RTM_MINGW_TRIPLE}-g++)
set(CMAKE_RC_COMPILER ${RTM_MINGW_TRIPLE}-windres)

# Libraries and headers come from the MinGW-w64 sysroot only; programs
# (Wine, the binutils) from the host.
set(CMAKE_FIND_ROOT_PATH /usr/${RTM_MINGW_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

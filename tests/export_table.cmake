# export_table.cmake - rtm.dll exports what a drop-in must export, and its
# import library resolves what a client's compiler asks for.
#
#   cmake -DOBJDUMP=.. -DNM=.. -DDLL=rtm.dll -DIMPLIB=librtm.dll.a -DSDK_HEADER=rtmv2.h
#         -DBITS=32|64 [-DCLIENT=some.exe] -P export_table.cmake
#
# The expected list is built independently of rtm.def: the 57 functions
# declared by the SDK header (mingw-w64's rtmv2.h) plus the two IPv6
# helpers of the spec.  For i686 the stdcall decoration _Name@N comes from
# the SDK prototype (4 bytes per parameter; the IPv6 helpers: spec §5).
# Checks:
#   1. the DLL's export table lists exactly those 59 names, undecorated,
#      and calls itself rtm.dll;
#   2. the DLL imports no MinGW runtime DLL (lib*.dll): Wine must find
#      everything in one folder;
#   3. the import library defines each function as the symbol a client
#      compiler references: _Name@N plus __imp__Name@N on i686, Name plus
#      __imp_Name on x86_64;
#   4. a client linked with that import library imports undecorated names.

cmake_policy(VERSION 3.20)

foreach(var OBJDUMP NM DLL IMPLIB SDK_HEADER BITS)
	if(NOT DEFINED ${var})
		message(FATAL_ERROR "export_table.cmake: -D${var}=... is required")
	endif()
endforeach()

set(failures "")
macro(fail msg)
	string(APPEND failures "  ${msg}\n")
endmacro()

# Run a tool and return its output as a list of lines.  Lines are taken
# with ';' and '[' ']' masked, as they would split or glue CMake list items.
function(rtm_tool_lines out_var)
	execute_process(COMMAND ${ARGN} OUTPUT_VARIABLE text RESULT_VARIABLE rc ERROR_VARIABLE err)
	if(NOT rc EQUAL 0)
		message(FATAL_ERROR "${ARGN} failed (${rc}): ${err}")
	endif()
	string(REPLACE ";" "," text "${text}")
	string(REPLACE "[" "<" text "${text}")
	string(REPLACE "]" ">" text "${text}")
	string(REPLACE "\n" ";" lines "${text}")
	set(${out_var} "${lines}" PARENT_SCOPE)
endfunction()

# ---- expected: name and argument bytes from the SDK prototypes ----
file(READ "${SDK_HEADER}" sdk)
string(REGEX MATCHALL "DWORD WINAPI Rtm[A-Za-z0-9_]+\\([^)]*\\)" protos "${sdk}")
set(expected "")
foreach(proto IN LISTS protos)
	string(REGEX REPLACE "^DWORD WINAPI (Rtm[A-Za-z0-9_]+)\\((.*)\\)$" "\\1" name "${proto}")
	string(REGEX REPLACE "^DWORD WINAPI (Rtm[A-Za-z0-9_]+)\\((.*)\\)$" "\\2" params "${proto}")
	string(REGEX REPLACE "[^,]" "" commas "${params}")
	string(LENGTH "${commas}" n)
	math(EXPR bytes "(${n} + 1) * 4")
	list(APPEND expected "${name}")
	set(bytes_${name} ${bytes})
endforeach()
list(LENGTH expected n_sdk)
if(NOT n_sdk EQUAL 57)
	fail("found ${n_sdk} prototypes in ${SDK_HEADER}, expected 57")
endif()
list(APPEND expected RtmConvertNetAddressToIpv6AddressAndLength RtmConvertIpv6AddressAndLengthToNetAddress)
set(bytes_RtmConvertNetAddressToIpv6AddressAndLength 16)
set(bytes_RtmConvertIpv6AddressAndLengthToNetAddress 28) # IN6_ADDR by value: 16 bytes
list(SORT expected)

# ---- 1 and 2: the DLL ----
rtm_tool_lines(dll_lines ${OBJDUMP} -p "${DLL}")
set(exported "")
set(in_names FALSE)
set(dll_name "")
set(imported_dlls "")
foreach(line IN LISTS dll_lines)
	if(line MATCHES "^<Ordinal/Name Pointer> Table")
		set(in_names TRUE)
	elseif(in_names AND line MATCHES "^[ \t]*<[ 0-9]+>[ \t]+(.+)$")
		list(APPEND exported "${CMAKE_MATCH_1}")
	elseif(in_names)
		set(in_names FALSE)
	endif()
	if(line MATCHES "^Name[ \t]+[0-9a-fA-F]+[ \t]+(.+)$")
		set(dll_name "${CMAKE_MATCH_1}")
	endif()
	if(line MATCHES "DLL Name: (.+)$")
		list(APPEND imported_dlls "${CMAKE_MATCH_1}")
	endif()
endforeach()
list(SORT exported)

foreach(name IN LISTS expected)
	if(NOT name IN_LIST exported)
		fail("not exported: ${name}")
	endif()
endforeach()
foreach(name IN LISTS exported)
	if(NOT name IN_LIST expected)
		fail("exported but not an RTMv2 function: ${name}")
	endif()
endforeach()
list(LENGTH exported n_exported)
if(NOT n_exported EQUAL 59)
	fail("${n_exported} exports, expected 59")
endif()
if(NOT dll_name STREQUAL "rtm.dll")
	fail("export directory names the DLL '${dll_name}', expected rtm.dll")
endif()
foreach(dep IN LISTS imported_dlls)
	if(dep MATCHES "^lib")
		fail("rtm.dll depends on the MinGW runtime DLL ${dep}")
	endif()
endforeach()

# ---- 3: the import library ----
rtm_tool_lines(nm_lines ${NM} "${IMPLIB}")
set(symbols "")
foreach(line IN LISTS nm_lines)
	if(line MATCHES "^[0-9a-fA-F]+ [TI] (.+)$")
		list(APPEND symbols "${CMAKE_MATCH_1}")
	endif()
endforeach()
foreach(name IN LISTS expected)
	if(BITS EQUAL 32)
		set(sym "_${name}@${bytes_${name}}")
		set(imp "__imp__${name}@${bytes_${name}}")
	else()
		set(sym "${name}")
		set(imp "__imp_${name}")
	endif()
	if(NOT sym IN_LIST symbols)
		fail("import library lacks ${sym}")
	endif()
	if(NOT imp IN_LIST symbols)
		fail("import library lacks ${imp}")
	endif()
endforeach()

# ---- 4: what a client linked with it imports ----
set(n_client 0)
if(DEFINED CLIENT)
	rtm_tool_lines(client_lines ${OBJDUMP} -p "${CLIENT}")
	set(in_rtm FALSE)
	foreach(line IN LISTS client_lines)
		if(line MATCHES "DLL Name: (.+)$")
			string(TOLOWER "${CMAKE_MATCH_1}" dep)
			if(dep STREQUAL "rtm.dll")
				set(in_rtm TRUE)
			else()
				set(in_rtm FALSE)
			endif()
			if(dep MATCHES "^lib")
				fail("${CLIENT} depends on the MinGW runtime DLL ${dep}")
			endif()
		elseif(in_rtm AND line MATCHES "^[ \t]+[0-9a-fA-F]+[ \t]+[0-9]+[ \t]+([^ \t]+)$")
			set(import "${CMAKE_MATCH_1}")
			math(EXPR n_client "${n_client} + 1")
			if(NOT import IN_LIST expected)
				fail("${CLIENT} imports '${import}' from rtm.dll: not an undecorated RTMv2 name")
			endif()
		endif()
	endforeach()
	if(n_client EQUAL 0)
		fail("${CLIENT} imports nothing from rtm.dll")
	endif()
endif()

if(failures)
	message(FATAL_ERROR "export table check failed (${BITS}-bit):\n${failures}")
endif()
list(LENGTH symbols n_symbols)
message(STATUS "rtm.dll (${BITS}-bit): ${n_exported} undecorated exports match the SDK + IPv6 helpers; "
	"import library has all ${n_exported} ${BITS}-bit symbols; client imports ${n_client} names undecorated")

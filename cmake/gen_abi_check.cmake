# gen_abi_check.cmake - build a header that lets the compiler compare our
# include/rtmv2.h with the SDK's (mingw-w64) rtmv2.h, in one translation unit.
#
#   cmake -DOURS=include/rtmv2.h -DSDK=<mingw>/include/rtmv2.h -DOUT=x.h -P gen_abi_check.cmake
#
# Two headers that define the same structures cannot meet in one file, so
# the generated header holds *our* header with every RTM identifier renamed
# (RTM_X -> OURS_RTM_X, RtmFoo -> OURS_RtmFoo, ...), and after it a check for
# every name the SDK header declares, read from the SDK header itself:
#   object-like macros   same value and same type
#   function-like macros exist
#   enumerators          same value
#   structure typedefs   same size and alignment; P-typedef points to it
#   other typedefs       the SDK's line repeated against our types: C11
#                        lets a typedef be repeated only with the same type
#   prototypes           the SDK's line repeated against our types: another
#                        parameter type, count or calling convention (stdcall
#                        is part of the type on i686) is a compile error
# tests/test_layout.c includes the result (after the SDK header) and adds
# the field-by-field offsets and the sizes the spec gives per architecture.
# Nothing of the SDK header is copied into the repository: it is read at
# build time from the toolchain.

cmake_policy(VERSION 3.20)

foreach(var OURS SDK OUT)
	if(NOT DEFINED ${var})
		message(FATAL_ERROR "gen_abi_check.cmake: -D${var}=... is required")
	endif()
endforeach()

# Prefix every RTM identifier in TEXT with OURS_: the RTM_/PRTM_/_RTM_
# names, the METHOD_ constants, the two callback types and the Rtm
# functions (a name followed by "(": fields such as RtmInstanceId and
# parameter names keep their names).
function(rtm_rename out_var text)
	string(REPLACE "__ROUTING_RTMv2_H__" "OURS_ROUTING_RTMv2_H" text "${text}")
	# Each match takes the character before the name with it, so names are
	# renamed in two passes; the second pass takes the "(" after a function
	# name too, which is why it cannot share the first.
	string(REGEX REPLACE "([^A-Za-z0-9_])(_?P?RTM_|_EVENT_CALLBACK|_ENTITY_METHOD|METHOD_)"
		"\\1OURS_\\2" text "\n${text}")
	string(REGEX REPLACE "([^A-Za-z0-9_])(Rtm[A-Za-z0-9_]*\\()" "\\1OURS_\\2" text "${text}")
	string(SUBSTRING "${text}" 1 -1 text)
	set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

file(READ "${OURS}" ours_text)
rtm_rename(ours_renamed "${ours_text}")

# Split the SDK header into lines without letting ';' and '[' ']' (list
# syntax for CMake) cut or glue them; they are put back on output.
file(READ "${SDK}" sdk_text)
string(REPLACE ";" "@SEMI@" sdk_text "${sdk_text}")
string(REPLACE "[" "@LBR@" sdk_text "${sdk_text}")
string(REPLACE "]" "@RBR@" sdk_text "${sdk_text}")
string(REPLACE "\n" ";" sdk_lines "${sdk_text}")

function(rtm_unescape out_var text)
	string(REPLACE "@SEMI@" ";" text "${text}")
	string(REPLACE "@LBR@" "[" text "${text}")
	string(REPLACE "@RBR@" "]" text "${text}")
	set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

set(macros "")
set(fmacros "")
set(enums "")
set(structs "")
set(typedefs "")
set(protos "")
set(n_macros 0)
set(n_fmacros 0)
set(n_enums 0)
set(n_structs 0)
set(n_typedefs 0)
set(n_protos 0)
set(in_enum FALSE)

foreach(raw IN LISTS sdk_lines)
	rtm_unescape(line "${raw}")
	string(STRIP "${line}" line)

	if(line MATCHES "^#define ([A-Za-z0-9_]+)\\(")
		set(name "${CMAKE_MATCH_1}")
		string(APPEND fmacros "#ifndef OURS_${name}\n#error \"ours lacks the macro ${name}()\"\n#endif\n")
		math(EXPR n_fmacros "${n_fmacros} + 1")
	elseif(line MATCHES "^#define ([A-Za-z0-9_]+)[ \t]+(.+)$")
		set(name "${CMAKE_MATCH_1}")
		set(value "${CMAKE_MATCH_2}")
		if(value MATCHES "ONES_SUBNET_BC")
			# The SDK's definition names a constant it never defines, so
			# it does not compile; test_layout.c checks our value.
			string(APPEND macros "/* ${name}: the SDK's definition does not compile */\n")
		else()
			string(APPEND macros "_Static_assert((${name}) == (OURS_${name}), \"${name} differs\");\n")
			string(APPEND macros "_Static_assert(__builtin_types_compatible_p(__typeof__(${name}), "
				"__typeof__(OURS_${name})), \"${name}: type differs\");\n")
			math(EXPR n_macros "${n_macros} + 1")
		endif()
	elseif(line MATCHES "^typedef enum")
		set(in_enum TRUE)
	elseif(in_enum AND NOT line MATCHES "^}")
		string(REGEX MATCHALL "RTM_[A-Z_]+" names "${line}")
		foreach(name IN LISTS names)
			string(APPEND enums "_Static_assert((int)${name} == (int)OURS_${name}, \"${name} differs\");\n")
			math(EXPR n_enums "${n_enums} + 1")
		endforeach()
	elseif(line MATCHES "^}[ \t]*([A-Za-z0-9_]+)[ \t]*,[ \t]*\\*[ \t]*([A-Za-z0-9_]+)[ \t]*;")
		# The end of "typedef struct/enum _X { ... } X, *PX;".
		set(in_enum FALSE)
		set(t "${CMAKE_MATCH_1}")
		set(pt "${CMAKE_MATCH_2}")
		string(APPEND structs
			"_Static_assert(sizeof(${t}) == sizeof(OURS_${t}), \"sizeof(${t}) differs\");\n"
			"_Static_assert(_Alignof(${t}) == _Alignof(OURS_${t}), \"alignment of ${t} differs\");\n"
			"_Static_assert(__builtin_types_compatible_p(OURS_${pt}, OURS_${t} *), \"${pt} is not ${t} *\");\n")
		math(EXPR n_structs "${n_structs} + 1")
	elseif(line MATCHES "^typedef[ \t]" AND NOT line MATCHES "{" AND line MATCHES ";$")
		# One-line typedef: a scalar, handle or callback type.
		if(line MATCHES "\\([ \t]*WINAPI[ \t]*\\*[ \t]*([A-Za-z0-9_]+)[ \t]*\\)")
			set(names "${CMAKE_MATCH_1}")
		else()
			string(REGEX REPLACE "^typedef[ \t]+[A-Za-z0-9_]+[ \t]+" "" decls "${line}")
			string(REGEX REPLACE "[ \t*;]" "" decls "${decls}")
			string(REPLACE "," ";" names "${decls}")
		endif()
		foreach(name IN LISTS names)
			string(APPEND typedefs "_Static_assert(sizeof(OURS_${name}) > 0, \"ours lacks the type ${name}\");\n")
			math(EXPR n_typedefs "${n_typedefs} + 1")
		endforeach()
		rtm_rename(again "${line}")
		string(APPEND typedefs "${again}\n")
	elseif(line MATCHES "^DWORD WINAPI (Rtm[A-Za-z0-9_]+)\\(.*\\);$")
		set(name "${CMAKE_MATCH_1}")
		rtm_rename(again "${line}")
		string(APPEND protos "_Static_assert(sizeof(&OURS_${name}) > 0, \"ours lacks ${name}\");\n${again}\n")
		math(EXPR n_protos "${n_protos} + 1")
	endif()
endforeach()

set(result "/*
 * Generated by cmake/gen_abi_check.cmake from
 *   ours: ${OURS}
 *   SDK:  ${SDK}
 * Do not edit; see the generator for what each part checks.
 */
#ifndef RTM_GENERATED_ABI_CHECK_H
#define RTM_GENERATED_ABI_CHECK_H

#include <rtmv2.h> /* the SDK's: include/ is not on this target's include path */

/* ---- our header, renamed ---- */
${ours_renamed}
/* ---- object-like macros: same value, same type ---- */
${macros}
/* ---- function-like macros exist ---- */
${fmacros}
/* ---- enumerators ---- */
${enums}
/* ---- structure typedefs ---- */
${structs}
/* ---- other typedefs, repeated ---- */
${typedefs}
/* ---- prototypes, repeated ---- */
${protos}
/* How much was compared (test_layout.c checks these against the SDK). */
#define RTM_ABI_CHECKED_MACROS ${n_macros}
#define RTM_ABI_CHECKED_FUNCTION_MACROS ${n_fmacros}
#define RTM_ABI_CHECKED_ENUMERATORS ${n_enums}
#define RTM_ABI_CHECKED_STRUCTS ${n_structs}
#define RTM_ABI_CHECKED_TYPEDEFS ${n_typedefs}
#define RTM_ABI_CHECKED_FUNCTIONS ${n_protos}

#endif
")

# Rewrite only on change, so that an unchanged header rebuilds nothing.
if(EXISTS "${OUT}")
	file(READ "${OUT}" old)
	if(old STREQUAL result)
		return()
	endif()
endif()
file(WRITE "${OUT}" "${result}")

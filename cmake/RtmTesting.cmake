# RtmTesting.cmake - one way to register a test, whatever the build tree.
#
#   rtm_add_test(<name> [COMMAND <target-or-program> args...] [TIMEOUT <s>]
#                [ENVIRONMENT VAR=value...] [LABELS ...] [NO_VALGRIND])
#
# COMMAND defaults to the target <name>.  Use this instead of add_test()
# everywhere (tests/, samples/, wine-tests/, ...), so that every test gets:
#   - under Wine (Windows trees): the emulator, i.e. Wine with this tree's
#     own prefix and quiet settings (CMAKE_CROSSCOMPILING_EMULATOR, set in
#     CMakeLists.txt), and the wine_prefix fixture that creates the prefix
#     before the first test;
#   - natively with RTM_VALGRIND: valgrind memcheck in front of the program
#     (a test that starts no program of ours can say NO_VALGRIND);
#   - with sanitizers: options that make any report fail the test;
#   - a timeout: TIMEOUT (default 60 s) times RTM_TEST_TIMEOUT_SCALE, which
#     is larger under valgrind, sanitizers and Wine.
# Tests run in the output folder (bin/), where the DLL and programs are.

function(rtm_add_test name)
	cmake_parse_arguments(PARSE_ARGV 1 T "NO_VALGRIND" "TIMEOUT" "COMMAND;ENVIRONMENT;LABELS")
	if(NOT T_COMMAND)
		set(T_COMMAND ${name})
	endif()
	if(NOT T_TIMEOUT)
		set(T_TIMEOUT 60)
	endif()
	math(EXPR timeout "${T_TIMEOUT} * ${RTM_TEST_TIMEOUT_SCALE}")

	list(GET T_COMMAND 0 program)
	if(RTM_VALGRIND AND NOT T_NO_VALGRIND)
		list(REMOVE_AT T_COMMAND 0)
		if(TARGET ${program})
			set(program $<TARGET_FILE:${program}>)
		endif()
		set(T_COMMAND ${RTM_VALGRIND_COMMAND} ${program} ${T_COMMAND})
	endif()

	add_test(NAME ${name} COMMAND ${T_COMMAND} WORKING_DIRECTORY ${CMAKE_RUNTIME_OUTPUT_DIRECTORY})
	set_tests_properties(${name} PROPERTIES TIMEOUT ${timeout})
	set(env ${RTM_TEST_ENVIRONMENT} ${T_ENVIRONMENT})
	if(env)
		set_tests_properties(${name} PROPERTIES ENVIRONMENT "${env}")
	endif()
	if(T_LABELS)
		set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}")
	endif()
	if(RTM_UNDER_WINE)
		set_tests_properties(${name} PROPERTIES FIXTURES_REQUIRED wine_prefix)
	endif()
endfunction()

# rtm_add_test_program(<name> <source> [TIMEOUT <s>] [LIBS ...])
# An executable from one source, linked with what API clients link
# (rtm_client), registered with rtm_add_test.
function(rtm_add_test_program name source)
	cmake_parse_arguments(PARSE_ARGV 2 P "" "TIMEOUT" "LIBS")
	add_executable(${name} ${source})
	target_link_libraries(${name} PRIVATE rtm_client ${P_LIBS})
	if(P_TIMEOUT)
		rtm_add_test(${name} TIMEOUT ${P_TIMEOUT})
	else()
		rtm_add_test(${name})
	endif()
endfunction()

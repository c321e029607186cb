# Writes one gzipped man page from a program's own --help and --version (help2man), so
# that the page says exactly what the program does. Run by the build (see
# cmake/OrchardPackaging.cmake):
#
#   cmake -DPROGRAM_DIR=<dir> -DPROGRAM=<name> -DSUMMARY=<one line> -DOUTPUT=<file.1.gz>
#         [-DSUBCOMMANDS=<a|b|c d>] [-DSOURCE_MODELS_DIR=<dir> -DINSTALLED_MODELS_DIR=<dir>]
#         -P OrchardManPage.cmake
#
# SUBCOMMANDS ('|'-separated, a subcommand may be two words) adds each one's --help
# verbatim under COMMAND OPTIONS: orchard-cli's top-level --help only lists the commands.
cmake_minimum_required(VERSION 3.25)

foreach(required PROGRAM_DIR PROGRAM SUMMARY OUTPUT)
    if(NOT DEFINED ${required})
        message(FATAL_ERROR "OrchardManPage.cmake: -D${required}=... is required")
    endif()
endforeach()

get_filename_component(work_dir "${OUTPUT}" DIRECTORY)
get_filename_component(page_name "${OUTPUT}" NAME)
string(REGEX REPLACE "\\.gz$" "" page_name "${page_name}")
set(page "${work_dir}/${page_name}")
file(MAKE_DIRECTORY "${work_dir}")

# Run by name from PATH, so that the usage lines say "orchard-cli", not the build path; the
# GUI programs need a QPA platform for --help, and Qt warns without a private runtime dir.
set(ENV{PATH} "${PROGRAM_DIR}:$ENV{PATH}")
set(ENV{QT_QPA_PLATFORM} offscreen)
set(runtime_dir "${work_dir}/runtime")
file(MAKE_DIRECTORY "${runtime_dir}")
file(CHMOD "${runtime_dir}" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
set(ENV{XDG_RUNTIME_DIR} "${runtime_dir}")

# Text copied into roff: a backslash is an escape there, a line starting with '.' or '\''
# a request, and '-' a hyphen unless written '\-'.
function(roff_escape text out)
    string(REPLACE "\\" "\\e" text "${text}")
    string(REPLACE "-" "\\-" text "${text}")
    string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
    set(${out} "${text}" PARENT_SCOPE)
endfunction()

set(include_args)
if(DEFINED SUBCOMMANDS AND NOT SUBCOMMANDS STREQUAL "")
    string(REPLACE "|" ";" subcommands "${SUBCOMMANDS}")
    set(include_text "[COMMAND OPTIONS]\n")
    foreach(subcommand IN LISTS subcommands)
        separate_arguments(words UNIX_COMMAND "${subcommand}")
        execute_process(COMMAND ${PROGRAM} ${words} --help
            OUTPUT_VARIABLE help RESULT_VARIABLE rc ERROR_QUIET)
        if(NOT rc EQUAL 0)
            message(FATAL_ERROR "${PROGRAM} ${subcommand} --help failed (${rc})")
        endif()
        roff_escape("${help}" help)
        roff_escape("${PROGRAM} ${subcommand}" title)
        string(APPEND include_text ".SS \"${title}\"\n.nf\n${help}.fi\n")
    endforeach()
    file(WRITE "${work_dir}/${PROGRAM}.h2m" "${include_text}")
    set(include_args "--include=${work_dir}/${PROGRAM}.h2m")
endif()

execute_process(
    COMMAND help2man --no-info --section=1 "--name=${SUMMARY}" ${include_args} "--output=${page}" ${PROGRAM}
    RESULT_VARIABLE rc ERROR_VARIABLE errors)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "help2man ${PROGRAM} failed (${rc}): ${errors}")
endif()

file(READ "${page}" text)
# A program run from the build tree finds no model beside itself and names the source
# tree's; the installed one names <prefix>/share/orchard/models. The page is for the latter.
if(DEFINED SOURCE_MODELS_DIR AND DEFINED INSTALLED_MODELS_DIR)
    roff_escape("${SOURCE_MODELS_DIR}" source_models)
    roff_escape("${INSTALLED_MODELS_DIR}" installed_models)
    string(REPLACE "${source_models}" "${installed_models}" text "${text}")
endif()
# Defaults measured on the build machine (its memory) are not the reader's.
string(REGEX REPLACE "memory, [0-9]+\\)" "memory)" text "${text}")
file(WRITE "${page}" "${text}")

# -n: no name or time stamp in the gzip header, so the same page gives the same bytes.
execute_process(COMMAND gzip -9nf "${page}" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${page} failed (${rc})")
endif()

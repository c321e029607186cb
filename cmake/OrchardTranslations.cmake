# orchard_add_catalog(<target> <catalog> TS_DIR <dir> FOLDERS <folder>...)
#
# A window's languages (common/i18n/uilanguage.h): <dir>/<catalog>_zh_CN.ts and
# <catalog>_en.ts (English is the source; its catalog holds the plural forms), compiled by
# lrelease at build time and embedded in <target> under :/i18n. The update_translations
# target (lupdate) takes in new texts from every .cpp/.h of the folders (relative to the
# repository root). tests/i18n checks every catalog registered here for completeness.
function(orchard_add_catalog target catalog)
    cmake_parse_arguments(ARG "" "TS_DIR" "FOLDERS" ${ARGN})
    set(sources)
    foreach(folder IN LISTS ARG_FOLDERS)
        file(GLOB found CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/${folder}/*.cpp ${PROJECT_SOURCE_DIR}/${folder}/*.h)
        list(APPEND sources ${found})
    endforeach()
    qt_add_translations(${target}
        TS_FILES ${ARG_TS_DIR}/${catalog}_zh_CN.ts ${ARG_TS_DIR}/${catalog}_en.ts
        SOURCES ${sources}
        INCLUDE_DIRECTORIES ${PROJECT_SOURCE_DIR}
        LUPDATE_OPTIONS -no-obsolete -locations none)
    target_link_libraries(${target} PUBLIC orchard_i18n)
    set_property(GLOBAL APPEND PROPERTY ORCHARD_CATALOGS ${catalog})
    set_property(GLOBAL PROPERTY ORCHARD_CATALOG_${catalog}_TS_DIR ${ARG_TS_DIR})
    set_property(GLOBAL PROPERTY ORCHARD_CATALOG_${catalog}_FOLDERS ${ARG_FOLDERS})
endfunction()

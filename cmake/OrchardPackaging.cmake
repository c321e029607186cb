# Where `cmake --install` puts Orchard, and the Debian packages CPack makes of it
# (scripts/package.sh → build/packages/*.deb; docs/operations.md, "Packages"):
#
#   orchard-server  the server, its man page, the bundled model, the systemd unit, the
#                   configuration file and logrotate snippet (conffiles), docs
#   orchard-client  the desktop client, its .desktop entry, AppStream metainfo, icons
#   orchard-cli     orchard-cli: predict/qa/bench against a server, classify and
#                   bench --engine in-process
#
# orchard-cli has its own package because it links LibTorch (classify, bench --engine) and
# the desktop client does not: in orchard-client it would pull LibTorch onto every farmer's
# desktop; in orchard-server it would put a service onto every QA laptop.
#
# Included from the root CMakeLists.txt once every target exists.

# Debian's layout: programs in /usr/bin, configuration in /etc (GNUInstallDirs maps
# sysconfdir to /etc for the /usr prefix only). A prefix given on the first configure wins.
if(CMAKE_INSTALL_PREFIX_INITIALIZED_TO_DEFAULT)
    set(CMAKE_INSTALL_PREFIX /usr CACHE PATH "Install prefix (Debian: /usr)" FORCE)
endif()
include(GNUInstallDirs)

# The project's public face. The homepage is a placeholder until the project has one: the
# AppStream screenshots are <homepage>/docs/client-*.png.
set(ORCHARD_HOMEPAGE "https://orchard.example.org")
set(ORCHARD_MAINTAINER "Orchard maintainers <orchard@example.org>")
# AppStream's component id and the desktop file's name: reverse-DNS of the homepage.
set(ORCHARD_APP_ID "org.example.orchard.Client")
# The date of PROJECT_VERSION's release, for AppStream; cmake/debian/changelog has its entry.
set(ORCHARD_RELEASE_DATE "2026-12-02")

set(orchard_linux_dir "${PROJECT_SOURCE_DIR}/resources/linux")
set(orchard_debian_dir "${PROJECT_SOURCE_DIR}/cmake/debian")
set(orchard_server_dist_dir "${PROJECT_SOURCE_DIR}/server/dist")
set(orchard_generated_dir "${PROJECT_BINARY_DIR}/packaging")
set(orchard_models_destination "${CMAKE_INSTALL_DATADIR}/orchard/models")

file(STRINGS "${orchard_debian_dir}/changelog" orchard_changelog_top LIMIT_COUNT 1)
if(NOT orchard_changelog_top MATCHES "^orchard \\(${PROJECT_VERSION}\\) ")
    message(WARNING "cmake/debian/changelog starts with '${orchard_changelog_top}': add an entry for "
                    "${PROJECT_VERSION} (and set ORCHARD_RELEASE_DATE) before packaging it.")
endif()

# ---- Programs and the model ------------------------------------------------------------

# Full RELRO, as Debian's own packages are linked (dpkg-buildflags hardening=+bindnow):
# the relocations are read-only once the program runs. Binding every symbol at start cost
# `orchard-server --version` about 40 ms (LD_BIND_NOW=1: 0.40-0.47 s against 0.39-0.43 s).
# No RUNPATH either: qt_standard_project_setup() gives installed programs
# $ORIGIN:$ORIGIN/../lib for a relocatable Qt app bundle, but every library our programs
# need is a system one, which the loader finds by itself.
foreach(program orchard-server orchard-client orchard-cli)
    target_link_options(${program} PRIVATE LINKER:-z,relro LINKER:-z,now)
    set_target_properties(${program} PROPERTIES INSTALL_RPATH "")
endforeach()

install(TARGETS orchard-server RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT server)
install(TARGETS orchard-client RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT client)
install(TARGETS orchard-cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT cli)

# InferenceEngine::defaultModelRepository() looks in <bindir>/../share/orchard/models first,
# defaultModelDirectory() in its fashion-mnist/1. The repository layout is
# <name>/<version>/ (docs/models.md); of a version folder only what a model folder is: the
# weights, the manifest, the model card.
install(FILES
        "${ORCHARD_SOURCE_MODELS_DIR}/fashion-mnist/1/model.pt"
        "${ORCHARD_SOURCE_MODELS_DIR}/fashion-mnist/1/model.json"
        "${ORCHARD_SOURCE_MODELS_DIR}/fashion-mnist/1/README.md"
    DESTINATION "${orchard_models_destination}/fashion-mnist/1"
    COMPONENT server)

# ---- The service: unit, sysusers, configuration, logrotate (server/dist) ---------------

# /usr/lib/systemd/system, where Debian's packages put their units.
set(orchard_unit_destination "lib/systemd/system")
set(orchard_config_destination "${CMAKE_INSTALL_FULL_SYSCONFDIR}/orchard")
set(orchard_logrotate_destination "${CMAKE_INSTALL_FULL_SYSCONFDIR}/logrotate.d")

set(orchard_server_conffiles "")
# What server/dist holds decides the rules below: a file added there reconfigures the build.
if(IS_DIRECTORY "${orchard_server_dist_dir}")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${orchard_server_dist_dir}")
endif()
if(EXISTS "${orchard_server_dist_dir}/orchard-server.service")
    install(FILES "${orchard_server_dist_dir}/orchard-server.service"
        DESTINATION "${orchard_unit_destination}" COMPONENT server)
endif()
# The group "orchard" that may read the token file and TLS key; postinst makes it.
if(EXISTS "${orchard_server_dist_dir}/orchard-server.sysusers")
    install(FILES "${orchard_server_dist_dir}/orchard-server.sysusers"
        DESTINATION "lib/sysusers.d" RENAME orchard-server.conf COMPONENT server)
endif()
if(EXISTS "${orchard_server_dist_dir}/server.conf")
    install(FILES "${orchard_server_dist_dir}/server.conf"
        DESTINATION "${orchard_config_destination}" COMPONENT server)
    string(APPEND orchard_server_conffiles "${orchard_config_destination}/server.conf\n")
endif()
if(EXISTS "${orchard_server_dist_dir}/orchard-server.logrotate")
    install(FILES "${orchard_server_dist_dir}/orchard-server.logrotate"
        DESTINATION "${orchard_logrotate_destination}" RENAME orchard-server COMPONENT server)
    string(APPEND orchard_server_conffiles "${orchard_logrotate_destination}/orchard-server\n")
endif()

# ---- Desktop integration: .desktop, AppStream, hicolor icons ---------------------------

configure_file("${orchard_linux_dir}/orchard-client.desktop.in"
    "${orchard_generated_dir}/${ORCHARD_APP_ID}.desktop" @ONLY)
configure_file("${orchard_linux_dir}/orchard-client.metainfo.xml.in"
    "${orchard_generated_dir}/${ORCHARD_APP_ID}.metainfo.xml" @ONLY)
install(FILES "${orchard_generated_dir}/${ORCHARD_APP_ID}.desktop"
    DESTINATION "${CMAKE_INSTALL_DATADIR}/applications" COMPONENT client)
install(FILES "${orchard_generated_dir}/${ORCHARD_APP_ID}.metainfo.xml"
    DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo" COMPONENT client)
install(FILES "${orchard_linux_dir}/orchard.svg"
    DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps"
    RENAME "${ORCHARD_APP_ID}.svg" COMPONENT client)

# The PNG sizes are scaled from the window's own icon at build time (never committed twice).
add_executable(orchard-scale-icon "${orchard_linux_dir}/scaleicon.cpp")
target_link_libraries(orchard-scale-icon PRIVATE Qt6::Gui)
set_target_properties(orchard-scale-icon PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${orchard_generated_dir}")
set(orchard_icon_source "${PROJECT_SOURCE_DIR}/resources/icons/orchard.png")
set(orchard_icons)
foreach(size 16 22 24 32 48 64 128 256)
    set(icon "${orchard_generated_dir}/icons/${size}x${size}/${ORCHARD_APP_ID}.png")
    add_custom_command(OUTPUT "${icon}"
        COMMAND ${CMAKE_COMMAND} -E make_directory "${orchard_generated_dir}/icons/${size}x${size}"
        COMMAND orchard-scale-icon "${orchard_icon_source}" ${size} "${icon}"
        DEPENDS orchard-scale-icon "${orchard_icon_source}"
        COMMENT "Scaling the client's icon to ${size} px"
        VERBATIM)
    list(APPEND orchard_icons "${icon}")
    install(FILES "${icon}" DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps"
        COMPONENT client)
endforeach()
add_custom_target(orchard_icons ALL DEPENDS ${orchard_icons})

# ---- Man pages, from each program's --help ---------------------------------------------

find_program(ORCHARD_HELP2MAN help2man)
if(ORCHARD_HELP2MAN)
    set(orchard_man_pages)
    foreach(entry
            "orchard-server|server|serve leaf photo diagnoses to Orchard clients|"
            "orchard-client|client|desktop client to diagnose leaf photos with an Orchard server|"
            "orchard-cli|cli|classify, predict, benchmark and QA from the command line|classify,predict,bench,qa saturation")
        string(REPLACE "|" ";" fields "${entry}")
        list(GET fields 0 program)
        list(GET fields 1 component)
        list(GET fields 2 summary)
        list(GET fields 3 subcommands)
        string(REPLACE "," "|" subcommands "${subcommands}")
        set(page "${orchard_generated_dir}/man/${program}.1.gz")
        add_custom_command(OUTPUT "${page}"
            COMMAND ${CMAKE_COMMAND}
                "-DPROGRAM_DIR=$<TARGET_FILE_DIR:${program}>" "-DPROGRAM=${program}"
                "-DSUMMARY=${summary}" "-DOUTPUT=${page}" "-DSUBCOMMANDS=${subcommands}"
                "-DSOURCE_MODELS_DIR=${ORCHARD_SOURCE_MODELS_DIR}"
                "-DINSTALLED_MODELS_DIR=${CMAKE_INSTALL_FULL_DATADIR}/orchard/models"
                -P "${PROJECT_SOURCE_DIR}/cmake/OrchardManPage.cmake"
            DEPENDS ${program} "${PROJECT_SOURCE_DIR}/cmake/OrchardManPage.cmake"
            COMMENT "Writing the man page of ${program} (help2man)"
            VERBATIM)
        list(APPEND orchard_man_pages "${page}")
        install(FILES "${page}" DESTINATION "${CMAKE_INSTALL_MANDIR}/man1" COMPONENT ${component})
    endforeach()
    add_custom_target(orchard_man_pages ALL DEPENDS ${orchard_man_pages})
else()
    message(STATUS "help2man not found: no man pages (scripts/setup.sh installs it)")
endif()

# ---- Each package's /usr/share/doc/<package>: copyright, changelog, docs ---------------

set(orchard_changelog "${orchard_generated_dir}/changelog.gz")
add_custom_command(OUTPUT "${orchard_changelog}"
    COMMAND ${CMAKE_COMMAND} -E copy "${orchard_debian_dir}/changelog" "${orchard_generated_dir}/changelog"
    COMMAND gzip -9nf "${orchard_generated_dir}/changelog"
    DEPENDS "${orchard_debian_dir}/changelog"
    COMMENT "Compressing the Debian changelog"
    VERBATIM)
add_custom_target(orchard_changelog ALL DEPENDS "${orchard_changelog}")

set(orchard_docs_server README.md docs/operations.md docs/security.md docs/models.md docs/protocol.md)
set(orchard_docs_client README.md)
set(orchard_docs_cli docs/cli.md docs/qa.md)
foreach(component server client cli)
    set(doc_destination "${CMAKE_INSTALL_DATAROOTDIR}/doc/orchard-${component}")
    install(FILES "${orchard_debian_dir}/copyright" "${orchard_changelog}"
        DESTINATION "${doc_destination}" COMPONENT ${component})
    foreach(doc IN LISTS orchard_docs_${component})
        install(FILES "${PROJECT_SOURCE_DIR}/${doc}" DESTINATION "${doc_destination}" COMPONENT ${component})
    endforeach()
endforeach()

# Everything the packages hold, so that scripts/package.sh builds only that (not the tests).
add_custom_target(orchard_package_contents)
add_dependencies(orchard_package_contents orchard-server orchard-client orchard-cli orchard_icons orchard_changelog)
if(TARGET orchard_man_pages)
    add_dependencies(orchard_package_contents orchard_man_pages)
endif()

# ---- CPack: one .deb per component ----------------------------------------------------

# cpack would otherwise build every target first (its "preinstall" step), tests included;
# scripts/package.sh builds orchard_package_contents before it runs cpack.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME orchard)
set(CPACK_PACKAGE_VENDOR "The Orchard authors")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${ORCHARD_MAINTAINER}")
set(CPACK_PACKAGE_HOMEPAGE_URL "${ORCHARD_HOMEPAGE}")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/packages")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_COMPONENTS_ALL server client cli)
set(CPACK_COMPONENTS_GROUPING IGNORE)
set(CPACK_DEB_COMPONENT_INSTALL ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
# Each package's Description starts with its own synopsis; CPack would put the project's
# one-line DESCRIPTION above it (two synopses) unless this is empty.
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${ORCHARD_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${ORCHARD_HOMEPAGE}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# conffiles 0644 and maintainer scripts 0755 whatever the checkout's modes.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_SERVER_PACKAGE_NAME orchard-server)
set(CPACK_DEBIAN_SERVER_PACKAGE_SECTION net)
# The monitor window in Chinese: Qt's own catalogs translate its dialogs' buttons.
set(CPACK_DEBIAN_SERVER_PACKAGE_RECOMMENDS qt6-translations-l10n)
set(CPACK_DEBIAN_SERVER_DESCRIPTION "server that diagnoses plant leaf disease from photos
Orchard diagnoses plant leaf disease from photos. This package holds
orchard-server, which runs a TorchScript diagnosis model with LibTorch and
answers Orchard clients over a framed TCP protocol: one worker per
connection, a waiting line that tells each client its place, access tokens
and TLS.

It ships a systemd service (not enabled on install: systemctl enable --now
orchard-server), its configuration file /etc/orchard/server.conf, a logrotate
snippet, and a demonstration model trained on Fashion-MNIST in
/usr/share/orchard/models; a farm deploys its own leaf model there.")
# CPack writes no conffiles itself: every file of ours under /etc is one.
set(orchard_server_control_extra
    "${orchard_server_dist_dir}/debian/postinst"
    "${orchard_server_dist_dir}/debian/prerm"
    "${orchard_server_dist_dir}/debian/postrm")
if(NOT orchard_server_conffiles STREQUAL "")
    file(CONFIGURE OUTPUT "${orchard_generated_dir}/orchard-server/conffiles"
        CONTENT "${orchard_server_conffiles}")
    list(APPEND orchard_server_control_extra "${orchard_generated_dir}/orchard-server/conffiles")
endif()
set(CPACK_DEBIAN_SERVER_PACKAGE_CONTROL_EXTRA "${orchard_server_control_extra}")

set(CPACK_DEBIAN_CLIENT_PACKAGE_NAME orchard-client)
set(CPACK_DEBIAN_CLIENT_PACKAGE_SECTION science)
set(CPACK_DEBIAN_CLIENT_PACKAGE_SUGGESTS orchard-server)
# The diagnosis history is SQLite through Qt's QSQLITE driver and the window's icon is an
# SVG drawn by Qt's SVG icon engine: plugins loaded at run time that dpkg-shlibdeps cannot
# see; the shlibs-computed Depends are added to these. Qt's own catalogs translate its
# dialogs' buttons when the window speaks Chinese (common/i18n/uilanguage.cpp).
set(CPACK_DEBIAN_CLIENT_PACKAGE_DEPENDS "libqt6sql6-sqlite, libqt6svg6")
set(CPACK_DEBIAN_CLIENT_PACKAGE_RECOMMENDS qt6-translations-l10n)
set(CPACK_DEBIAN_CLIENT_DESCRIPTION "desktop client to diagnose plant leaf disease from photos
Orchard diagnoses plant leaf disease from photos. This package holds
orchard-client, the Qt desktop application a farmer uses: open photos or a
folder (or open them with Orchard from a file manager), send them to an
Orchard server, and read the diagnosis, its confidence, the next most likely
labels and what to do, and look back at every diagnosis in its history. It
does not need LibTorch: the model runs on the server.")

set(CPACK_DEBIAN_CLI_PACKAGE_NAME orchard-cli)
set(CPACK_DEBIAN_CLI_PACKAGE_SECTION science)
# The bundled model that classify and bench --engine use by default is in orchard-server.
set(CPACK_DEBIAN_CLI_PACKAGE_SUGGESTS orchard-server)
set(CPACK_DEBIAN_CLI_PACKAGE_DEPENDS libqt6sql6-sqlite) # predict records, history lists: QSQLITE
set(CPACK_DEBIAN_CLI_DESCRIPTION "command-line tools to diagnose leaf photos and test Orchard servers
Orchard diagnoses plant leaf disease from photos. This package holds
orchard-cli: predict sends photos to an Orchard server and prints its
diagnoses as a table or JSON lines, recording them in the history that
history lists and exports; qa saturation runs the pool-saturation
demo with a verdict; bench measures a server under closed-loop load.
classify and bench --engine run a model folder in-process with LibTorch
(the bundled model comes with orchard-server).")

include(CPack)

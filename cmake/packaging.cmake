# The Debian packages ess-node, ess-hub and essctl (docs/operations.md, "Packages"), made by
# CPack's DEB generator from the install rules of node/, hub/ and essctl/, one component per
# package:
#   cd build && cpack -G DEB         # ess-node_<version>-1_amd64.deb, ess-hub_..., essctl_...
# Included from the root CMakeLists.txt before node/, hub/ and essctl/: the layout variables
# and ess_install_service() below are what their install rules use. The executables must be
# built first: cpack does not build them (CMAKE_SKIP_INSTALL_ALL_DEPENDENCY).
include(GNUInstallDirs)

# The packages' layout: executables and data under /usr, configuration in /etc/ess, units in
# Debian 12's /lib/systemd/system (absolute destinations: `cmake --install` with DESTDIR, or
# cpack, stages them).
set(ESS_CONFIG_DIR /etc/ess)
set(ESS_SYSTEMD_UNIT_DIR /lib/systemd/system CACHE PATH "Where the packages put the systemd units")
set(ESS_SYSUSERS_DIR lib/sysusers.d)
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

# ess_install_service(<site>): what ess-node and ess-hub (the component ess-<site>) install
# beside their executable: the site's pages, the modules, outlines and Leaflet files it
# serves (http/web_site.h: web/site/<site>, web/common, web/generated, Leaflet's dist/ from
# web/node_modules), the common referential (build/referential.json, from deploy/build.sh),
# the example deploy/<site>.example.conf as /etc/ess/<site>.conf (a conffile, mode 0640: the postinst gives
# it to the group ess), the systemd unit, the user ess (sysusers.d) and the operations docs.
# The data goes to /usr/share/ess-<site>/ (web/ and referential.json), which the example
# configurations name.
function(ess_install_service site)
  set(component ess-${site})
  set(config ${site}.conf)
  set(share ${CMAKE_INSTALL_DATADIR}/${component})
  set(web ${PROJECT_SOURCE_DIR}/web)
  install(DIRECTORY ${web}/site/${site} DESTINATION ${share}/web/site COMPONENT ${component})
  install(DIRECTORY ${web}/common ${web}/generated DESTINATION ${share}/web COMPONENT ${component})
  install(DIRECTORY ${web}/node_modules/leaflet/dist DESTINATION ${share}/web/node_modules/leaflet
          COMPONENT ${component})
  install(FILES ${web}/node_modules/leaflet/LICENSE DESTINATION ${share}/web/node_modules/leaflet
          COMPONENT ${component})
  install(FILES ${PROJECT_BINARY_DIR}/referential.json DESTINATION ${share} COMPONENT ${component})
  install(FILES ${PROJECT_SOURCE_DIR}/deploy/${site}.example.conf DESTINATION ${ESS_CONFIG_DIR}
          RENAME ${config} PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ COMPONENT ${component})
  install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/${component}.service
          DESTINATION ${ESS_SYSTEMD_UNIT_DIR} COMPONENT ${component})
  install(FILES ${PROJECT_SOURCE_DIR}/deploy/systemd/ess.sysusers DESTINATION ${ESS_SYSUSERS_DIR}
          RENAME ${component}.conf COMPONENT ${component})
  install(FILES ${PROJECT_SOURCE_DIR}/docs/operations.md ${PROJECT_SOURCE_DIR}/docs/replication.md
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${component} COMPONENT ${component})
endfunction()

# --- CPack: one .deb per component ---
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME ess)
set(CPACK_PACKAGE_VENDOR "ESS federation")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL ess-node ess-hub essctl)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # <name>_<version>-<release>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(ESS_PACKAGE_MAINTAINER "ESS federation maintainers <maintainers@ess-federation.example>"
    CACHE STRING "The Maintainer field of the Debian packages")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${ESS_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# Runtime libraries found by dpkg-shlibdeps (dpkg-dev) from the executables; on top of them,
# cracklib's dictionary (password rules, core/password_rules.cpp), and what the postinst
# creates the user with.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The executables without their debug information (RelWithDebInfo: ess-node is mostly that).
set(CPACK_STRIP_FILES ON)
# Per service package: its maintainer scripts and conffiles list (deploy/debian/*.in), its
# dependencies, its description.
set(ESS_NODE_SUMMARY "a region's node")
set(ESS_NODE_TEXT "The regional map of the social and solidarity economy: registrations,\ncommittee, signed append-only log replicated to the national hub.")
set(ESS_HUB_SUMMARY "the national hub")
set(ESS_HUB_TEXT "Receives the regions' signed logs over gRPC (mutual TLS), cosigns their\ncheckpoints and serves the national map.")
foreach(site node hub)
  set(ESS_PACKAGE ess-${site})
  set(ESS_CONFIG ${ESS_CONFIG_DIR}/${site}.conf)
  set(control ${PROJECT_BINARY_DIR}/debian/ess-${site})
  foreach(file postinst prerm postrm conffiles)
    configure_file(${PROJECT_SOURCE_DIR}/deploy/debian/${file}.in ${control}/${file} @ONLY)
  endforeach()
  string(TOUPPER ${site} upper)
  set(CPACK_DEBIAN_ESS-${upper}_PACKAGE_NAME ess-${site})
  set(CPACK_DEBIAN_ESS-${upper}_PACKAGE_CONTROL_EXTRA
      ${control}/postinst ${control}/prerm ${control}/postrm ${control}/conffiles)
  set(CPACK_DEBIAN_ESS-${upper}_PACKAGE_DEPENDS "cracklib-runtime, adduser")
  set(CPACK_DEBIAN_ESS-${upper}_PACKAGE_RECOMMENDS "essctl, postgresql, ca-certificates")
  set(CPACK_COMPONENT_ESS-${upper}_DESCRIPTION "ESS federation: ${ESS_${upper}_SUMMARY}\n${ESS_${upper}_TEXT}\nRuns as the systemd service ess-${site} (user ess), configured in\n${ESS_CONFIG}.")
endforeach()
set(CPACK_DEBIAN_ESSCTL_PACKAGE_NAME essctl)
set(CPACK_DEBIAN_ESSCTL_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_ESSCTL_PACKAGE_DEPENDS "cracklib-runtime")
set(CPACK_COMPONENT_ESSCTL_DESCRIPTION
    "ESS federation: the administration tool\nessctl: region and hub keys, enrolment of regions at the hub, the national\npilot's accounts, checks of a region's log.")
# Every package's /usr/share/doc/<package>/: copyright (deploy/debian/copyright) and the
# changelog.Debian.gz Debian's tools expect (one entry, the version built).
string(TIMESTAMP ESS_DEB_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
set(ESS_DEB_VERSION ${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE})
foreach(ESS_PACKAGE IN LISTS CPACK_COMPONENTS_ALL)
  set(doc ${PROJECT_BINARY_DIR}/debian/${ESS_PACKAGE}/doc)
  configure_file(${PROJECT_SOURCE_DIR}/deploy/debian/changelog.in ${doc}/changelog.Debian @ONLY)
  file(ARCHIVE_CREATE OUTPUT ${doc}/changelog.Debian.gz PATHS ${doc}/changelog.Debian
       FORMAT raw COMPRESSION GZip COMPRESSION_LEVEL 9)
  install(FILES ${PROJECT_SOURCE_DIR}/deploy/debian/copyright ${doc}/changelog.Debian.gz
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${ESS_PACKAGE} COMPONENT ${ESS_PACKAGE})
endforeach()
include(CPack)

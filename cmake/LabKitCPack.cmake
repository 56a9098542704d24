# LabKitCPack.cmake — CPACK_PROJECT_CONFIG_FILE: what each cpack
# generator packs of a project that uses labkit.  Read by cpack once per
# generator, with CPACK_GENERATOR set to that one.
#
#   TGZ (the workflow's package step)  the hand-in bundle: the `report`
#       component only (the first lab's results and report), named
#       <lab>-report.tar.gz, after report-bundle.cmake printed the table
#   DEB (labkit's own project only: CPACK_LABKIT_DEB)  labkit itself:
#       every component but `report`, labkit_<version>_<arch>.deb
if(CPACK_GENERATOR STREQUAL "DEB" AND CPACK_LABKIT_DEB)
  unset(CPACK_PRE_BUILD_SCRIPTS)
  set(CPACK_DEB_COMPONENT_INSTALL ON)
  set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
  set(CPACK_COMPONENTS_ALL ${CPACK_LABKIT_DEB_COMPONENTS})
  set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
elseif(CPACK_LABKIT_DIR)
  set(CPACK_ARCHIVE_COMPONENT_INSTALL ON)
  set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
  set(CPACK_COMPONENTS_ALL report)
  set(CPACK_ARCHIVE_FILE_NAME "${CPACK_PACKAGE_FILE_NAME}")
endif()

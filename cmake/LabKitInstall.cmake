# LabKitInstall.cmake — labkit as an installed tool: `cmake --install`
# puts the labkit command, the CMake package a lab repository finds with
# find_package(LabKit), the scripts its targets run, the kconfig
# fragments and the docs where GNUInstallDirs says (component `labkit`);
# `cpack -G DEB` packs that component as labkit_<version>_<arch>.deb,
# whose Depends are tools/deps' `run` group plus the libraries
# dpkg-shlibdeps finds (cmake/LabKitCPack.cmake picks the component).
include_guard(GLOBAL)
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

# Installing labkit needs the command built, not the lab's kernels and
# root file systems (`all`): `cmake --build build --target labkit` first.
# (With `all`, cpack -G DEB rebuilt whatever was stale, disk images that
# running guests held among them.)
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

set(LABKIT_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/LabKit)
set(LABKIT_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/labkit)
set(LABKIT_INSTALL_LIBEXECDIR ${CMAKE_INSTALL_LIBEXECDIR}/labkit)

install(TARGETS labkit RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  COMPONENT labkit)
install(FILES
    cmake/LabKit.cmake cmake/LabKitKernels.cmake cmake/LabKitModules.cmake
    cmake/LabKitRootfs.cmake cmake/LabKitGrade.cmake cmake/LabKitScript.cmake
    cmake/LabKitCPack.cmake
    cmake/debian-kernel.cmake cmake/rootfs.cmake cmake/program.cmake
    cmake/report-bundle.cmake cmake/compile-commands.cmake
  DESTINATION ${LABKIT_INSTALL_CMAKEDIR} COMPONENT labkit)
install(DIRECTORY cmake/kconfig/ DESTINATION ${LABKIT_INSTALL_DATADIR}/kconfig
  COMPONENT labkit)
install(PROGRAMS tools/fetch-guest-kernel tools/fetch-guest-busybox
  DESTINATION ${LABKIT_INSTALL_LIBEXECDIR} COMPONENT labkit)
install(FILES README.md docs/architecture.md docs/labs-yaml.md
    docs/report.md docs/teaching.md docs/workbench.md
  DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT labkit)

configure_package_config_file(cmake/LabKitConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/LabKitConfig.cmake
  INSTALL_DESTINATION ${LABKIT_INSTALL_CMAKEDIR}
  PATH_VARS CMAKE_INSTALL_BINDIR LABKIT_INSTALL_DATADIR
            LABKIT_INSTALL_LIBEXECDIR)
write_basic_package_version_file(
  ${CMAKE_CURRENT_BINARY_DIR}/LabKitConfigVersion.cmake
  COMPATIBILITY SameMajorVersion ARCH_INDEPENDENT)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/LabKitConfig.cmake
    ${CMAKE_CURRENT_BINARY_DIR}/LabKitConfigVersion.cmake
  DESTINATION ${LABKIT_INSTALL_CMAKEDIR} COMPONENT labkit)

# The Debian package.  Its Depends: tools/deps' `run` line (what labkit
# and a lab's build run), and through dpkg-shlibdeps the libraries the
# command links; Recommends: the `recommends` and `guests` lines (what a
# lab may ask for, and the other architectures' guests: apt installs
# them with the package unless told not to).
function(_labkit_deps out)
  set(all "")
  foreach(group IN LISTS ARGN)
    file(STRINGS ${PROJECT_SOURCE_DIR}/tools/deps line REGEX "^${group}:")
    string(REGEX REPLACE "^${group}: *" "" line "${line}")
    string(REGEX REPLACE " +" ";" line "${line}")
    list(APPEND all ${line})
  endforeach()
  list(JOIN all ", " all)
  set(${out} "${all}" PARENT_SCOPE)
endfunction()
# a change of tools/deps configures again: the package's Depends follow
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/tools/deps)
_labkit_deps(CPACK_DEBIAN_PACKAGE_DEPENDS run)
_labkit_deps(CPACK_DEBIAN_PACKAGE_RECOMMENDS recommends guests)
set(CPACK_LABKIT_DEB ON)
set(CPACK_LABKIT_DEB_COMPONENTS labkit)
set(CPACK_PACKAGE_NAME labkit)
set(CPACK_PACKAGE_VENDOR "labkit")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
  "kernel-lab workbooks: build, boot, run and check kernel labs")
set(CPACK_PACKAGE_CONTACT "labkit maintainers <labkit@localhost>")
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_PROJECT_CONFIG_FILE ${PROJECT_SOURCE_DIR}/cmake/LabKitCPack.cmake)

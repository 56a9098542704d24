# report-bundle.cmake — CPack's pre-build script for the lab's hand-in
# bundle (the `package` step of `cmake --workflow --preset lab2`): prints
# the verdict table per section and where the report is.  The report
# itself was written by the tests (<lab>.report) and is packed as it is;
# the table comes from a second `labkit report` into a scratch directory,
# so nothing in the build tree changes.  Reads CPACK_LABKIT_* from
# CPackConfig.cmake; fails when there is no report or labkit cannot read
# the results.
if(NOT EXISTS "${CPACK_LABKIT_DIR}/report.html")
  message(FATAL_ERROR "labkit: no report in ${CPACK_LABKIT_DIR}: run the tests first (ctest)")
endif()
string(RANDOM LENGTH 8 tag)
set(scratch "${CPACK_PACKAGE_DIRECTORY}/_CPack_Packages/labkit-summary-${tag}")
execute_process(COMMAND "${CPACK_LABKIT_LABKIT}" report --spec "${CPACK_LABKIT_SPEC}"
  --results "${CPACK_LABKIT_DIR}" -o "${scratch}" --lang "${CPACK_LABKIT_LANG}"
  --exit-zero
  OUTPUT_VARIABLE table RESULT_VARIABLE rc)
file(REMOVE_RECURSE "${scratch}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "labkit report failed (${rc}) on ${CPACK_LABKIT_DIR}")
endif()
string(REGEX REPLACE "report: [^\n]*\n$" "" table "${table}")
message("${table}")
message(STATUS "The lab report: ${CPACK_LABKIT_DIR}/report.html (and report.md)")

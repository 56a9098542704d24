# report-bundle.cmake — CPack's pre-build script for the lab's hand-in
# bundle (the `package` step of `cmake --workflow --preset lab2`): prints
# the verdict table per section and where the report is, once the tests
# have written it.  Reads CPACK_LABKIT_* from CPackConfig.cmake; writes
# nothing itself.
if(NOT EXISTS "${CPACK_LABKIT_DIR}/report.html")
  message(FATAL_ERROR "labkit: no report in ${CPACK_LABKIT_DIR}: run the tests first (ctest)")
endif()
execute_process(COMMAND "${CPACK_LABKIT_LABKIT}" report --spec "${CPACK_LABKIT_SPEC}"
  --results "${CPACK_LABKIT_DIR}" -o "${CPACK_LABKIT_DIR}" --lang "${CPACK_LABKIT_LANG}"
  RESULT_VARIABLE rc)
message(STATUS "The lab report: ${CPACK_LABKIT_DIR}/report.html (and report.md)")

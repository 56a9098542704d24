# LabKitGrade.cmake — what grading a class needs of a build tree: the
# grading plan and the <lab>.grade target.
# Included by cmake/LabKit.cmake; called by the CMake a lab spec generates.
include_guard(GLOBAL)

# ---- grading a class (`labkit grade`) ----

# A value as a double-quoted YAML scalar.
function(_labkit_yaml_quote value out)
  string(REPLACE "\\" "\\\\" value "${value}")
  string(REPLACE "\"" "\\\"" value "${value}")
  string(REPLACE "\n" "\\n" value "${value}")
  string(REPLACE "\t" "\\t" value "${value}")
  set(${out} "\"${value}\"" PARENT_SCOPE)
endfunction()

# A list ("<code>;<name>=<value>...", a reason as LabKitKernels.cmake
# keeps it) as a YAML flow list of double-quoted scalars.
function(_labkit_yaml_list values out)
  set(quoted "")
  foreach(v IN LISTS values)
    _labkit_yaml_quote("${v}" q)
    list(APPEND quoted "${q}")
  endforeach()
  list(JOIN quoted ", " quoted)
  set(${out} "[${quoted}]" PARENT_SCOPE)
endfunction()

# The value of property <prop> of target <t>, "" when it has none.
function(_labkit_property t prop out)
  get_target_property(v ${t} ${prop})
  if(NOT v)
    set(v "")
  endif()
  set(${out} "${v}" PARENT_SCOPE)
endfunction()

# labkit/<lab>/configured.yaml (LABKIT_LAYOUT_CONFIGURED): what only the
# configure of this build tree knows, for the grading plan: each kernel
# as the tree has it (LabKitKernels.cmake's properties: its directory and
# headers, built here from source or not, why no guest boots it, why no
# exercise builds it), the accelerator, whether guests start from saved
# ones, why there is no cross-reference index.  `labkit spec --plan`
# reads it (tools/lib/gen/gen_plan.c, which owns its format).
function(_labkit_configured)
  set(saved false)
  if(LABKIT_SAVED)
    set(saved true)
  endif()
  _labkit_yaml_quote("${LABKIT_ACCEL}" accel)
  _labkit_xref_missing(no_xref)
  _labkit_yaml_list("${no_xref}" no_xref)
  set(yaml "labkit-configured: 1\naccel: ${accel}\nsaved: ${saved}\nno-xref: ${no_xref}\nkernels:\n")
  set(keys dir headers missing no-build)
  set(props LABKIT_DIR LABKIT_HEADERS LABKIT_MISSING LABKIT_NO_BUILD)
  _labkit_property(${LABKIT_LAB} LABKIT_KERNEL_IDS ids)
  if(NOT ids)
    string(APPEND yaml "  []\n")
  endif()
  foreach(id IN LISTS ids)
    set(k ${LABKIT_LAB}.kernel.${id})
    set(source false)
    _labkit_property(${k} LABKIT_SOURCE from_source)
    if(from_source)
      set(source true)
    endif()
    _labkit_yaml_quote("${id}" qid)
    string(APPEND yaml "  - id: ${qid}\n    source: ${source}\n")
    foreach(key prop IN ZIP_LISTS keys props)
      _labkit_property(${k} ${prop} v)
      if(key MATCHES "^(dir|headers)$")
        _labkit_yaml_quote("${v}" v)
      else()
        _labkit_yaml_list("${v}" v)
      endif()
      string(APPEND yaml "    ${key}: ${v}\n")
    endforeach()
  endforeach()
  file(WRITE ${LABKIT_LAYOUT_CONFIGURED} "${yaml}")
endfunction()

# The lab's grading plan, labkit/<lab>/grade-plan.yaml: what `labkit
# grade --build-dir <build>`, `labkit shell` and `labkit gdb` need of this
# build tree (the kernels, root file systems and options each exercise
# runs with), written by `labkit spec --plan` from the spec and
# configured.yaml (when it changes); and with -DLABKIT_SUBMISSIONS=<dir>
# (a directory of submissions, one directory each) the target
# <lab>.grade, which grades them into <build>/grade.
function(_labkit_grade_target)
  _labkit_configured()
  _labkit_generator(gen)
  execute_process(COMMAND ${gen} spec ${LABKIT_LAB_SPEC} --plan ${CMAKE_BINARY_DIR}
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  if(rc)
    string(REGEX REPLACE "\n$" "" err "${err}")
    message(NOTICE "${err}")
    message(FATAL_ERROR "`labkit spec --plan` failed (${rc}): no grading plan of ${LABKIT_LAB}")
  endif()
  get_target_property(deps ${LABKIT_LAB} LABKIT_GRADE_DEPS)
  if(NOT LABKIT_SUBMISSIONS)
    return()
  endif()
  _labkit_command(labkit)
  add_custom_target(${LABKIT_LAB}.grade
    COMMAND ${labkit} grade --spec ${LABKIT_LAB_SPEC}
            --build-dir ${CMAKE_BINARY_DIR} -o ${LABKIT_LAYOUT_GRADE}
            --class ${LABKIT_SUBMISSIONS} --lang ${LABKIT_REPORT_LANG}
    COMMENT "Grading the submissions in ${LABKIT_SUBMISSIONS}"
    USES_TERMINAL VERBATIM)
  if(deps)
    list(REMOVE_DUPLICATES deps)
    add_dependencies(${LABKIT_LAB}.grade ${deps})
  endif()
endfunction()

# LabKitGrade.cmake — what grading a class needs of a build tree: the
# grading plan and the <lab>.grade target.
# Included by cmake/LabKit.cmake; called by the CMake a lab spec generates.
include_guard(GLOBAL)

# ---- grading a class (`labkit grade`) ----

# A value as a double-quoted YAML scalar.
function(_labkit_yaml_quote value out)
  string(REPLACE "\\" "\\\\" value "${value}")
  string(REPLACE "\"" "\\\"" value "${value}")
  set(${out} "\"${value}\"" PARENT_SCOPE)
endfunction()

# Exercise <id>'s entry in the lab's grading plan: the options of its
# `labkit run` (`run`, from --accel on; each `--module <m>=<ko>` becomes
# a module with the headers a submission's copy builds against, the
# modules it uses, whose Module.symvers that build needs, and the lab's
# own .ko, which `labkit shell` and `labkit gdb` take), and the targets
# a grading needs built first.
function(_labkit_grade_plan_exercise id run deps)
  _labkit_yaml_quote("${id}" qid)
  set(yaml "  - id: ${qid}\n    run:\n")
  set(mods "")
  set(arg_keys "")
  list(FIND run --accel at)
  list(SUBLIST run ${at} -1 run)
  while(run)
    list(POP_FRONT run key value)
    string(REGEX REPLACE "^--" "" key "${key}")
    _labkit_yaml_quote("${value}" qvalue)
    if(key STREQUAL "module")
      string(REGEX REPLACE "=.*" "" m "${value}")
      string(REGEX REPLACE "^[^=]*=" "" ko "${value}")
      get_target_property(k ${LABKIT_LAB}.module.${m} LABKIT_KERNEL)
      get_target_property(headers ${LABKIT_LAB}.kernel.${k} LABKIT_HEADERS)
      get_target_property(uses ${LABKIT_LAB}.module.${m} LABKIT_USES)
      _labkit_yaml_quote("${m}" qm)
      _labkit_yaml_quote("${headers}" qheaders)
      _labkit_yaml_quote("${ko}" qko)
      string(APPEND mods "      - id: ${qm}\n        headers: ${qheaders}\n        ko: ${qko}\n")
      if(uses)
        set(quses "")
        foreach(u IN LISTS uses)
          _labkit_yaml_quote("${u}" qu)
          list(APPEND quses "${qu}")
        endforeach()
        list(JOIN quses ", " quses)
        string(APPEND mods "        uses: [${quses}]\n")
      endif()
    elseif(key MATCHES "-arg$")          # a reason's arguments: a list
      if(key IN_LIST arg_keys)
        string(APPEND args_${key} ", ${qvalue}")
      else()
        list(APPEND arg_keys ${key})
        set(args_${key} "${qvalue}")
      endif()
    else()
      string(APPEND yaml "      ${key}: ${qvalue}\n")
    endif()
  endwhile()
  foreach(key IN LISTS arg_keys)
    string(APPEND yaml "      ${key}: [${args_${key}}]\n")
  endforeach()
  if(mods)
    string(APPEND yaml "    modules:\n${mods}")
  endif()
  set_property(TARGET ${LABKIT_LAB} APPEND_STRING PROPERTY
    LABKIT_GRADE_PLAN "${yaml}")
  set_property(TARGET ${LABKIT_LAB} APPEND PROPERTY LABKIT_GRADE_DEPS ${deps})
endfunction()

# <build>/labkit/<lab>/grade-plan.yaml: what `labkit grade --build-dir
# <build>` needs of this build tree (the kernels, root file systems and
# options each exercise runs with; written when it changes), and with
# -DLABKIT_SUBMISSIONS=<dir> (a directory of submissions, one directory
# each) the target <lab>.grade, which grades them into <build>/grade.
function(_labkit_grade_target)
  get_target_property(plan ${LABKIT_LAB} LABKIT_GRADE_PLAN)
  get_target_property(deps ${LABKIT_LAB} LABKIT_GRADE_DEPS)
  if(NOT plan)
    set(plan "  []\n")
  endif()
  _labkit_yaml_quote("${LABKIT_LAB_SPEC}" qspec)
  file(GENERATE OUTPUT ${LABKIT_LAB_WORK}/grade-plan.yaml CONTENT
    "labkit-grade-plan: 1\nlab: ${LABKIT_LAB}\nspec: ${qspec}\nexercises:\n${plan}")
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

# layers.cmake — the stages of tools/lib/ and the one table of the edges
# allowed between them (tools/CMakeLists.txt builds by it and checks every
# stage's links against it; tests/layers/ probes it).  A row is
# "<stage>:<the stages it may link directly, comma-separated>"; a stage
# sees the stages below it through those, and no others.
#
#   util ◀── match ◀── console ◀── spec ◀── gen, check, build, run
#   util ◀── results ◀──┘             ▲
#   util ◀── vm ◀── gen, build, run, report
#   check ◀── report ◀── grade ──▶ run, build
#   util ◀── xref, scaffold
set(LABKIT_LAYERS
  "util:"
  "match:util"
  "results:util"
  "console:util,match,results"
  "vm:util"
  "spec:util,match,results,console"
  "gen:spec,vm"
  "check:spec"
  "build:spec,vm"
  "run:spec,vm"
  "report:check,vm"
  "grade:report,run,build"
  "xref:util"
  "scaffold:util")

# labkit_layer_links(<stage> <out>) — the stages <stage> may link directly.
function(labkit_layer_links stage out)
  foreach(row IN LISTS LABKIT_LAYERS)
    string(FIND "${row}" ":" colon)
    string(SUBSTRING "${row}" 0 ${colon} name)
    if(name STREQUAL stage)
      math(EXPR from "${colon} + 1")
      string(SUBSTRING "${row}" ${from} -1 links)
      string(REPLACE "," ";" links "${links}")
      set(${out} "${links}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  message(FATAL_ERROR "tools/layers.cmake: no stage '${stage}' in the table")
endfunction()

# labkit_layer_below(<stage> <out>) — every stage <stage> sees: those it
# links, and theirs, down to base.
function(labkit_layer_below stage out)
  set(seen "")
  set(todo ${stage})
  while(todo)
    list(POP_FRONT todo s)
    labkit_layer_links(${s} links)
    foreach(l IN LISTS links)
      if(NOT l IN_LIST seen)
        list(APPEND seen ${l})
        list(APPEND todo ${l})
      endif()
    endforeach()
  endwhile()
  set(${out} "${seen}" PARENT_SCOPE)
endfunction()

# labkit_layer_stages(<out>) — the stages, in the table's order.
function(labkit_layer_stages out)
  set(names "")
  foreach(row IN LISTS LABKIT_LAYERS)
    string(REGEX REPLACE ":.*" "" name "${row}")
    list(APPEND names ${name})
  endforeach()
  set(${out} "${names}" PARENT_SCOPE)
endfunction()

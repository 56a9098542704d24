# guests.cmake — the tests that need guests, kernels or whole build trees
# (included by tests/CMakeLists.txt unless LABKIT_UNIT_TESTS_ONLY).
# labkit's own guests are a small lab of their own, tests/labs/selftest.yaml,
# so nothing here names the lab a student runs.


# _labkit_test_lab(<labs.yaml> [args...]) — labkit_add_lab() for one of
# labkit's own test labs, unless it is the lab this build tree was
# configured for (-DLABKIT_SPEC=labs/chardev/labs.yaml): that one is the
# user's, added once, as the user asked (a clash of two labs the user
# adds stays an error).
function(_labkit_test_lab spec)
  get_filename_component(spec ${spec} REALPATH)
  get_filename_component(user ${LABKIT_SPEC} REALPATH BASE_DIR ${PROJECT_SOURCE_DIR})
  if(NOT spec STREQUAL user)
    labkit_add_lab(${spec} ${ARGN})
  endif()
endfunction()

_labkit_test_lab(${CMAKE_CURRENT_SOURCE_DIR}/labs/selftest.yaml)

# The labs beside Lab 2 (labs/): a character device; kernel debugging,
# whose exercise 2 ships a student's buggy module: its steps fail, with
# the unexpected Oops decoded to the line, until the module is fixed;
# the kernel API, whose exercise 2 has a module calling another's export
# from a directory of its own (uses:).
_labkit_test_lab(${PROJECT_SOURCE_DIR}/labs/chardev/labs.yaml)
_labkit_test_lab(${PROJECT_SOURCE_DIR}/labs/debug/labs.yaml
  EXPECT_FAIL 2.1 2.2 2.3)
_labkit_test_lab(${PROJECT_SOURCE_DIR}/labs/kernel_api/labs.yaml)
# Deferred work: a timer, a workqueue and a kthread, each step waiting for
# the kernel's line and checking it in the step's kernel text; and a sleep
# under a spinlock whose trace decodes to the msleep() call's line.
_labkit_test_lab(${PROJECT_SOURCE_DIR}/labs/deferred/labs.yaml)
add_test(NAME deferred.decode-line
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/decode-line.sh
          ${CMAKE_BINARY_DIR} ${PROJECT_SOURCE_DIR})
set_tests_properties(deferred.decode-line PROPERTIES LABELS "qemu;guests"
  FIXTURES_REQUIRED deferred.2 TIMEOUT 30)

set(kdebian $<TARGET_PROPERTY:selftest.kernel.debian,LABKIT_DIR>)
set(kuml $<TARGET_PROPERTY:selftest.kernel.uml,LABKIT_DIR>)
set(rootfs $<TARGET_PROPERTY:selftest.rootfs.busybox,LABKIT_DIR>)

# The root file system's driver modules, unpacked once from the kernel's
# package and reused while their key holds (cmake/rootfs.cmake).
add_test(NAME rootfs.drivers
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/rootfs-drivers.sh
          ${PROJECT_SOURCE_DIR}
          $<TARGET_PROPERTY:selftest.kernel.debian,LABKIT_DEB>
          $<TARGET_PROPERTY:selftest.kernel.debian,LABKIT_RELEASE>)
set_tests_properties(rootfs.drivers PROPERTIES LABELS "rootfs;guests"
  TIMEOUT 120)

# Killing ctest or `labkit run` while a guest is up must leave none of the
# guest's processes behind.  Runs before the qemu exercise's own fixture.
add_test(NAME guest.kill
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/kill-guest.sh ${CMAKE_BINARY_DIR}
          ${CMAKE_CURRENT_SOURCE_DIR}/labs/selftest.yaml ${kdebian} ${kuml} ${rootfs})
set_tests_properties(guest.kill PROPERTIES
  LABELS "qemu;uml;guests" RESOURCE_LOCK "selftest.qemu;selftest.rootfs.busybox"
  TIMEOUT 180)
set_tests_properties(selftest.qemu.run PROPERTIES DEPENDS guest.kill)

# A hung UML step and a panicking QEMU kernel fail the run with the
# reason, and leave no process of the guest behind.
add_test(NAME guest.failures
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/guest-failures.sh
          ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR} ${kdebian} ${kuml} ${rootfs})
set_tests_properties(guest.failures PROPERTIES
  LABELS "qemu;uml;guests" TIMEOUT 180 RESOURCE_LOCK selftest.rootfs.busybox
  FIXTURES_REQUIRED "selftest.qemu;selftest.uml")

# The guests and a kernel's `make install` leave the host as it was.
add_test(NAME host.unchanged
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/host-unchanged.sh
          ${CMAKE_CURRENT_SOURCE_DIR}/labs/selftest.yaml ${CMAKE_BINARY_DIR})
set_tests_properties(host.unchanged PROPERTIES
  LABELS "qemu;uml;guests" TIMEOUT 180 RESOURCE_LOCK selftest.rootfs.busybox
  FIXTURES_REQUIRED "selftest.qemu;selftest.uml")

# Another lab file end to end, and a broken spec changing nothing.
add_test(NAME spec.other-lab
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/other-spec.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(spec.other-lab PROPERTIES LABELS "spec;slow" TIMEOUT 300)

# Grading one student's directory with `labkit grade <dir>` (sandboxed)
# against this build tree's Lab 2: a good module 5/5, one printing the
# wrong line failing 3.3 and 3.5 only; -DLABKIT_MODULE_DIR is refused.
get_filename_component(_spec ${LABKIT_SPEC} ABSOLUTE)
if(_spec STREQUAL "${PROJECT_SOURCE_DIR}/labs.yaml")
  add_test(NAME grading.one
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/grade-one.sh ${PROJECT_SOURCE_DIR}
            ${CMAKE_BINARY_DIR})
else()
  add_test(NAME grading.one COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/not-applicable.sh
    grading.one "this build tree runs ${LABKIT_SPEC}, not Lab 2 (labs.yaml), whose module the test grades")
endif()
set_tests_properties(grading.one PROPERTIES
  LABELS "grading;qemu" TIMEOUT 600 SKIP_RETURN_CODE 77)

# A test that does not apply to this configuration is still registered:
# it runs not-applicable.sh, which prints why and exits 77 (Skipped).
set(not_applicable sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/not-applicable.sh)

# The spec choice of building the trivial module against the kernel the
# lab builds (tests/data/labs/own-kernel.yaml), in a scratch build tree:
# a lab-trimmed kernel build of its own, so only where kernels are built.
if(LABKIT_KERNELS STREQUAL "prebuilt")
  add_test(NAME module.own-kernel
    COMMAND ${not_applicable} module.own-kernel
            "LABKIT_KERNELS=prebuilt builds no kernel, and this test builds one (configure with -DLABKIT_KERNELS=quick or full to run it)")
else()
  add_test(NAME module.own-kernel
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/own-kernel.sh ${PROJECT_SOURCE_DIR})
  set_tests_properties(module.own-kernel PROPERTIES TIMEOUT 2400 PROCESSORS 2)
endif()
set_tests_properties(module.own-kernel PROPERTIES
  LABELS "qemu;slow" SKIP_RETURN_CODE 77)

# A kernel built here with `debug: true` (tests/data/labs/debug-kernel.yaml),
# in a scratch build tree: labkit shell over its built-in 9p, labkit gdb
# with its own lines and gdb scripts; only where kernels are built.
if(LABKIT_KERNELS STREQUAL "prebuilt")
  add_test(NAME workbench.debug-kernel
    COMMAND ${not_applicable} workbench.debug-kernel
            "LABKIT_KERNELS=prebuilt builds no kernel, and this test builds one (configure with -DLABKIT_KERNELS=quick or full to run it)")
else()
  add_test(NAME workbench.debug-kernel
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/debug-kernel.sh ${PROJECT_SOURCE_DIR})
  set_tests_properties(workbench.debug-kernel PROPERTIES TIMEOUT 3600 PROCESSORS 2)
endif()
set_tests_properties(workbench.debug-kernel PROPERTIES
  LABELS "qemu;slow;workbench" SKIP_RETURN_CODE 77)

# labkit's definitions against universal-ctags' on 2400 names of the
# tree, where some lab indexes the kernel source.
if(TARGET labkit.xref.index)
  get_filename_component(tree ${LABKIT_KERNEL_TARBALL} NAME)
  string(REGEX REPLACE "\\.tar\\.xz$" "" tree "${tree}")
  add_test(NAME xref.accuracy
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/scripts/xref-accuracy.sh
            ${CMAKE_BINARY_DIR}/src/${tree} ${CMAKE_BINARY_DIR}/xref/index
            $<TARGET_FILE:labkit>
            ${CMAKE_CURRENT_SOURCE_DIR}/data/xref/accuracy-known.txt)
  set_tests_properties(xref.accuracy PROPERTIES
    FIXTURES_REQUIRED xref.index TIMEOUT 1200)
else()
  file(GLOB tarballs /usr/src/linux-source-*.tar.xz)
  if(NOT tarballs AND NOT LABKIT_KERNEL_TARBALL)
    set(why "no kernel source to index: /usr/src/linux-source-*.tar.xz is missing (run tools/install-deps)")
  else()
    set(why "no lab in this build tree indexes the kernel source (no exercise asks for xref:, so no labkit.xref.index)")
  endif()
  add_test(NAME xref.accuracy COMMAND ${not_applicable} xref.accuracy "${why}")
endif()
set_tests_properties(xref.accuracy PROPERTIES
  LABELS "xref;slow" SKIP_RETURN_CODE 77)

# A root file system's own programs and files (programs:, files:), and an
# exercise's modules given to `labkit run`, in a scratch build tree of
# tests/data/labs/programs.yaml: a program that does not compile fails
# the root file system at its position and leaves no program or image.
add_test(NAME rootfs.programs
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/programs.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(rootfs.programs PROPERTIES
  LABELS "qemu;slow" TIMEOUT 600)

# Faults no step expects: a warning, an Oops, a panic, a hang, each failing
# its step with its outcome and the kernel's line (tests/labs/faults.yaml).
# (the runs of the guests that die fail too: nothing expects their end)
_labkit_test_lab(${CMAKE_CURRENT_SOURCE_DIR}/labs/faults.yaml
  EXPECT_FAIL warn oops panic after-panic hang panic.run hang.run)
add_test(NAME faults.unexpected
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/faults.sh ${CMAKE_BINARY_DIR}
          ${CMAKE_CURRENT_SOURCE_DIR}/labs/faults.yaml)
set_tests_properties(faults.unexpected PROPERTIES LABELS "qemu;guests"
  FIXTURES_REQUIRED "faults.survived;faults.panic;faults.hang" TIMEOUT 60)

# labkit installed, not forked (cmake/LabKitInstall.cmake): the Debian
# package and its control (package.deb); a lab written by the installed
# `labkit new` run against an install in a temporary prefix only
# (install.new-lab); the programs that lab ran, and those labkit starts
# by name, coming with the package's Depends (package.runtime-commands).
set(pkg ${CMAKE_BINARY_DIR}/package)
add_test(NAME package.deb
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/package-deb.sh ${CMAKE_BINARY_DIR} ${pkg})
set_tests_properties(package.deb PROPERTIES
  LABELS package FIXTURES_SETUP labkit.deb TIMEOUT 300)
add_test(NAME install.new-lab
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/installed.sh ${CMAKE_BINARY_DIR} ${pkg})
set_tests_properties(install.new-lab PROPERTIES
  LABELS "package;qemu" FIXTURES_SETUP labkit.exec SKIP_RETURN_CODE 77
  TIMEOUT 900)
add_test(NAME package.runtime-commands
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/runtime-commands.sh ${pkg} ${PROJECT_SOURCE_DIR})
set_tests_properties(package.runtime-commands PROPERTIES
  LABELS package FIXTURES_REQUIRED "labkit.deb;labkit.exec" TIMEOUT 300)

# A printk-only submission of each graded lab of labs/ (tests/data/lazy/)
# is graded, and fails: the labs' checks read back what the code did.
add_test(NAME grade.lazy
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/lazy.sh ${PROJECT_SOURCE_DIR}
          ${CMAKE_BINARY_DIR})
set_tests_properties(grade.lazy PROPERTIES LABELS "grade;qemu" TIMEOUT 600)

# Grading modules that use each other (uses:): a class of labs/kernel_api
# exercise 2 submissions, sym_provider/ and sym_consumer/ each, graded
# against this build tree's kernel_api lab: the consumer is built after
# the student's own provider, with its Module.symvers; a provider that
# exports nothing gives modpost's undefined-symbol line as the reason.
add_test(NAME grade.uses
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/grade-uses.sh
          ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR})
set_tests_properties(grade.uses PROPERTIES LABELS "grade;qemu" TIMEOUT 600)

# Grading a class (labkit grade) of generated Lab 2 §3 submissions against
# this build tree's Lab 2: every verdict and reason, the escaping and
# networking Makefiles contained (grade.class); shards merged byte for
# byte (grade.shards); SIGTERM in the middle leaves no guest or sandbox
# (grade.interrupt); a grader's failure is "not graded", and --retry
# grades exactly those again (grade.retry).
get_filename_component(spec ${LABKIT_SPEC} ABSOLUTE)
foreach(mode class shards interrupt retry)
  if(spec STREQUAL "${PROJECT_SOURCE_DIR}/labs.yaml")
    add_test(NAME grade.${mode}
      COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/grade.sh
              ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR} ${mode})
  else()
    add_test(NAME grade.${mode} COMMAND ${not_applicable} grade.${mode}
      "this build tree runs ${LABKIT_SPEC}, not Lab 2 (labs.yaml), whose module the class hands in")
  endif()
  set_tests_properties(grade.${mode} PROPERTIES
    LABELS "grade;qemu" TIMEOUT 900 SKIP_RETURN_CODE 77)
endforeach()

# A fresh build tree of a multi-module lab, built at -j8 (every output
# has one producer: -j of any width builds what -j1 builds).
add_test(NAME build.parallel
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/build-parallel.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(build.parallel PROPERTIES LABELS "build;slow" TIMEOUT 900
  PROCESSORS 2)

# The workbench (docs/workbench.md), driven through a pseudo-terminal as a
# person drives it (tests/scripts/workbench.py): `labkit shell` of the
# chardev lab's exercise (QEMU: its kernel, its module loading, a file
# both ways through /mnt/share, Ctrl-C to the guest's program) and of
# the selftest's UML exercise; each ended by poweroff, Ctrl-] q, Ctrl-C
# while booting, SIGTERM, a closed terminal and (QEMU) a panic, with no
# process of the guest's group left.  They share <build>/share.
add_test(NAME workbench.shell.qemu
  COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/scripts/workbench.py shell
          $<TARGET_FILE:labkit> ${CMAKE_BINARY_DIR}
          ${PROJECT_SOURCE_DIR}/labs/chardev/labs.yaml 1 lkchar)
set_tests_properties(workbench.shell.qemu PROPERTIES
  LABELS "qemu;guests;workbench" RESOURCE_LOCK "chardev.1;workbench.share"
  SKIP_RETURN_CODE 77 TIMEOUT 600)
add_test(NAME workbench.shell.uml
  COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/scripts/workbench.py shell-uml
          $<TARGET_FILE:labkit> ${CMAKE_BINARY_DIR}
          ${CMAKE_CURRENT_SOURCE_DIR}/labs/selftest.yaml uml)
set_tests_properties(workbench.shell.uml PROPERTIES
  LABELS "uml;guests;workbench"
  RESOURCE_LOCK "selftest.uml;selftest.rootfs.busybox;workbench.share"
  SKIP_RETURN_CODE 77 TIMEOUT 600)
# `labkit gdb --batch` of the chardev lab's exercise on Debian's kernel: a
# breakpoint on the module's init function, the module loaded in the
# guest after it (`guest insmod ...`), hit, at the module's source file
# and line (skipped without gdb or pahole).
add_test(NAME workbench.gdb.qemu
  COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/scripts/workbench.py gdb
          $<TARGET_FILE:labkit> ${CMAKE_BINARY_DIR}
          ${PROJECT_SOURCE_DIR}/labs/chardev/labs.yaml 1 lkchar lkchar_init)
set_tests_properties(workbench.gdb.qemu PROPERTIES
  LABELS "qemu;guests;workbench" RESOURCE_LOCK "chardev.1;workbench.share"
  SKIP_RETURN_CODE 77 TIMEOUT 600)
# `labkit run --shell-on-failure` of the debug lab's exercise 2, whose
# student module Oopses in step 2.1 by design: the shell comes after 2.1,
# the module there as the Oops left it (Loading), the later steps not run.
add_test(NAME workbench.on-failure.qemu
  COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/scripts/workbench.py on-failure
          $<TARGET_FILE:labkit> ${CMAKE_BINARY_DIR}
          ${PROJECT_SOURCE_DIR}/labs/debug/labs.yaml 2 2.1
          "grep '^student_list ' /proc/modules" "student_list [0-9]+ [0-9]+ - Loading")
set_tests_properties(workbench.on-failure.qemu PROPERTIES
  LABELS "qemu;guests;workbench" RESOURCE_LOCK "debug.2"
  SKIP_RETURN_CODE 77 TIMEOUT 600)

# The platforms' harnesses played around the scripts `labkit new
# --autograder` writes, against this build tree's Lab 2: Gradescope's
# /autograder (run_autograder) and PrairieLearn's /grade
# (labkit-pl-grade) laid out in a temporary directory, a correct module,
# a repository whose module does not compile and a grader's failure each
# leaving a results.json of the platform's form with the grading's score,
# or none (tests/scripts/autograder.sh).
foreach(platform gradescope prairielearn)
  if(spec STREQUAL "${PROJECT_SOURCE_DIR}/labs.yaml")
    add_test(NAME autograder.${platform}
      COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/autograder.sh
              ${PROJECT_SOURCE_DIR} ${CMAKE_BINARY_DIR} ${platform})
  else()
    add_test(NAME autograder.${platform} COMMAND ${not_applicable} autograder.${platform}
      "this build tree runs ${LABKIT_SPEC}, not Lab 2 (labs.yaml), whose module the submissions hand in")
  endif()
  set_tests_properties(autograder.${platform} PROPERTIES
    LABELS "grade;qemu" TIMEOUT 600 SKIP_RETURN_CODE 77)
endforeach()

# The slowest honest checks run in the `full` workflow (label full), which
# .ci/run runs after `test`: a developer's `cmake --workflow --preset test`
# keeps every other check and stays within minutes.  What each costs here
# (2 cores, TCG, ccache warm): a kernel built for one module, the
# cross-referencer against ctags on the whole tree, grading whole classes,
# the .deb installed and a lab run from it, a fresh tree built at -j8,
# a kernel built with debug information for labkit gdb.
set_property(TEST module.own-kernel xref.accuracy rootfs.programs
  workbench.debug-kernel
  install.new-lab package.runtime-commands grade.class grade.shards
  grade.lazy grade.uses build.parallel APPEND PROPERTY LABELS full)

# The course's shapes after UPB's SO2 labs (docs/teaching.md, "What a
# course can hold"): a second disk and bios (blockdev), file systems made
# on a disk (filesystem), a background insmod, a second console and
# QEMU's user-mode network (net), keys on the PS/2 keyboard and a serial
# port wired to the host (interrupts).  Each lab's buggy student
# (tests/data/buggy/<lab>/) is graded and fails exactly the steps named.
foreach(lab blockdev filesystem net interrupts)
  _labkit_test_lab(${PROJECT_SOURCE_DIR}/labs/${lab}/labs.yaml)
endforeach()
foreach(case "blockdev;1;1.1;1.2" "net;1;1.3;1.4" "interrupts;1;1.1;1.2;1.3")
  list(POP_FRONT case lab ex)
  add_test(NAME course.buggy.${lab}
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/course.sh ${PROJECT_SOURCE_DIR}
            ${CMAKE_BINARY_DIR} ${lab} ${ex} ${case})
  set_tests_properties(course.buggy.${lab} PROPERTIES LABELS "grade;qemu"
    FIXTURES_REQUIRED ${lab}.${ex} TIMEOUT 300)
endforeach()

# The ARM lab (labs/arm): an arm64 kernel cross-built from source, its
# guest on QEMU's virt machine under TCG, in a tree of its own configured
# as its README says; every step passes, and its buggy student fails 2.2
# and 2.3.  A kernel built for it (3 to 7 minutes cold): label full.
add_test(NAME course.arm
  COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/arm.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(course.arm PROPERTIES LABELS "grade;qemu;full"
  TIMEOUT 2400)

# Guests started from saved ones (LABKIT_SAVED): every exercise of this
# tree that starts so gives, step by step, the verdicts a cold boot gives;
# a saved guest cut in half, or none at all, is a run that boots cold and
# says why.
if(LABKIT_SAVED)
  add_test(NAME guest.saved
    COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/scripts/saved.sh ${CMAKE_BINARY_DIR}
            $<TARGET_FILE:labkit>)
else()
  add_test(NAME guest.saved COMMAND ${not_applicable} guest.saved
    "LABKIT_SAVED is OFF: every guest boots cold")
endif()
set_tests_properties(guest.saved PROPERTIES LABELS "qemu;guests;full"
  TIMEOUT 1800 SKIP_RETURN_CODE 77)

# rootfs.cmake — a busybox root file system for guests, built without root.
#
#   cmake -DSTAGING=<dir> -DHOSTNAME=<name> -DMODULES="<a.ko;b.ko>"
#         -DKERNEL_RELEASE=<release> -DCPIO=<out.cpio[.gz]> -DIMAGE=<out.ext4>
#         [-DBUSYBOX=<static busybox> [-DBUSYBOX_LIST=<host's busybox>]]
#         [-DIMAGE_SIZE=<MiB>]
#         [-DKERNEL_RELEASE_FILE=<file>] [-DMODULES_TREE=<stage>]
#         [-DPROGRAMS="<binary>;<guest path>;<line:col>;..."]
#         [-DFILES="<host path>;<guest path>;<mode>;<line:col>;..."]
#         [-DSPEC=<labs.yaml>] [-DDESCRIPTION=<rootfs.yaml>]
#         [-DDRIVERS="<module>;..." -DDRIVERS_DEB=<linux-image.deb>]
#         [-DSHARE_MODULES="<release>;<dir>;..."]
#         -P cmake/rootfs.cmake
#
# Owns STAGING (removed and made afresh on every run), <STAGING>.drivers
# (the kernel's driver modules, unpacked once), CPIO and IMAGE; never
# writes anywhere else.  STAGING is required; CPIO and IMAGE are each built
# only when given.  The tree is:
#   /bin/busybox + a symlink per applet (`busybox --list-full`)
#   /etc/{passwd,shadow,group,hostname,issue,inittab,init.d/rcS}: root with an
#        empty password, a getty on `shell` (the tty the kernel's
#        labkit.shell= names, linked by rcS; the console without it), rcS
#        mounting /proc, /sys, /dev and quieting the kernel
#        (`dmesg -n 1`), and the host's directory on /mnt/share when the
#        kernel's labkit.share= asks (9p over virtio for QEMU, hostfs:<path>
#        for UML; read-only with labkit.share_ro)
#   /lib/modules/<release>/labkit-share/ for each of SHARE_MODULES: the
#        modules that mount needs (a Debian kernel has 9p as modules) and
#        `order`, the order insmod takes them in
#   /lib/modules/<KERNEL_RELEASE>/extra/<name>.ko for each of MODULES
#   /lib/modules/<release>/ of every release in MODULES_TREE (a kernel's
#        `make modules_install INSTALL_MOD_PATH=<stage>`), when given, but
#        their build and source links into the host's build tree
#   /lib/modules/<KERNEL_RELEASE>/kernel/... the kernel's own modules of
#        DRIVERS (what the guest's devices need: virtio_blk, virtio_net,
#        a file system) and the modules they depend on (modinfo), taken
#        out of DRIVERS_DEB (never installed); /etc/labkit-drivers names
#        them and rcS loads them at start-up.  A driver the package does
#        not have as a module is left out (the kernel may have it built in).
#   /etc/init.d/line <n>: a login on the n-th tty of labkit.consoles=
#        (labkit's extra consoles), else nothing; inittab starts three
# KERNEL_RELEASE_FILE names a file holding the release (a kernel built
# after configure time); it stands in for KERNEL_RELEASE.
#   /init -> /sbin/init for initramfs boots; /root /tmp /mnt /host ...
#   the lab's own, last: PROGRAMS (binaries program.cmake made, mode 0755)
#        and FILES (mode octal, or `-` for the host file's), each at its
#        guest path, with the directories it needs
# PROGRAMS and FILES are flat lists, three and four items an entry, so a
# path may hold '=' or spaces (LabKit.cmake refuses ';', '[' and ']', which
# CMake's lists cannot carry).  <line:col> is where SPEC declares the
# entry: a guest path the tree cannot take is refused there, like a
# compiler's error.  Nothing of labkit's own tree is ever replaced (a file,
# a directory, a busybox applet's link: /bin/busybox, /init, /etc/inittab,
# /etc/init.d/rcS ...), nor is anything put under /proc, /sys, /dev, /tmp
# or /run, which the guest mounts over at start-up.
# The initramfs is `find | cpio -H newc --owner=0:0` (gzip when CPIO ends
# in .gz); it has no /dev/console because a non-root user cannot mknod one,
# and relies on the kernel's built-in initramfs, which always provides it.
# An uncompressed CPIO is two archives, one after the other (the kernel
# unpacks both), also written apart beside it: base.cpio, the tree every
# run of the guest has (a saved, booted guest is made from it), and
# payload.cpio, what a lab puts in it — the modules under
# /lib/modules/<release>/extra with depmod's files, the programs and the
# files — which `labkit run` hands a guest restored from that saved one.
# Every entry has the time 0 and its archive is --reproducible, so the
# same tree always gives the same bytes.
# The ext4 image is `mke2fs -d`; debugfs then makes every inode root's and
# adds /dev/console and /dev/null, so the result does not depend on who ran
# the script.
# DESCRIPTION, written last, says how the guest's console is used, for
# `labkit run` (tools/lib/run/guest.c): the login prompt getty prints, the
# user and password the tree has, the shell's prompt, and the command that
# powers the guest off (`poweroff -f` skips busybox init's two one-second
# sleeps; nothing on the guest's disk is worth them).
#
# Outputs are written under a temporary name and renamed into place.  Fails
# with FATAL_ERROR naming what is missing (busybox, mke2fs, a module ...).

cmake_minimum_required(VERSION 3.21)   # file(COPY_FILE)

# Runs a command (execute_process arguments; a macro, so OUTPUT_VARIABLE
# lands in the caller); dies quoting its stderr when any part of it fails.
macro(run what)
  execute_process(${ARGN} RESULTS_VARIABLE _run_rcs ERROR_VARIABLE _run_err)
  foreach(_run_rc IN LISTS _run_rcs)
    if(NOT _run_rc EQUAL 0)
      die("${what} failed (${_run_rcs}): ${_run_err}")
    endif()
  endforeach()
endmacro()

# Lines of TEXT as a list.  `[` and `]` (busybox has the applets `[` and
# `[[`) would stop CMake from splitting the list, so they are encoded as
# <LB>/<RB>; decode each element with from_line().
function(to_lines text outvar)
  string(REPLACE "[" "<LB>" text "${text}")
  string(REPLACE "]" "<RB>" text "${text}")
  string(REPLACE ";" "<SC>" text "${text}")
  string(REGEX REPLACE "\n$" "" text "${text}")
  string(REPLACE "\n" ";" text "${text}")
  set(${outvar} "${text}" PARENT_SCOPE)
endfunction()

function(from_line line outvar)
  string(REPLACE "<LB>" "[" line "${line}")
  string(REPLACE "<RB>" "]" line "${line}")
  string(REPLACE "<SC>" ";" line "${line}")
  set(${outvar} "${line}" PARENT_SCOPE)
endfunction()

set(LABKIT_SCRIPT rootfs)
include(${CMAKE_CURRENT_LIST_DIR}/LabKitScript.cmake)

# Dies unless FILE is a 64-bit ELF executable without a program interpreter
# (a dynamically linked busybox would find no libc in the guest).
function(require_static file)
  file(READ "${file}" ident LIMIT 6 HEX)
  if(NOT ident STREQUAL "7f454c460201")
    die("'${file}' is not a 64-bit little-endian ELF file")
  endif()
  read_le("${file}" 32 8 phoff)
  read_le("${file}" 54 2 phentsize)
  read_le("${file}" 56 2 phnum)
  if(phnum EQUAL 0)
    return()
  endif()
  math(EXPR last "${phnum} - 1")
  foreach(i RANGE ${last})
    math(EXPR off "${phoff} + ${i} * ${phentsize}")
    read_le("${file}" ${off} 4 type)
    if(type EQUAL 3)                                     # PT_INTERP
      die("'${file}' is dynamically linked; install busybox-static "
        "or pass -DBUSYBOX=<a static busybox>")
    endif()
  endforeach()
endfunction()

# --- inputs ----------------------------------------------------------------
if(NOT DEFINED STAGING OR STAGING STREQUAL "")
  die("-DSTAGING=<dir> is required")
endif()
if(NOT DEFINED HOSTNAME OR HOSTNAME STREQUAL "")
  set(HOSTNAME labkit)
endif()
if(NOT HOSTNAME MATCHES "^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$")
  die("hostname '${HOSTNAME}' is not a valid host name")
endif()
if(KERNEL_RELEASE_FILE)
  if(NOT EXISTS "${KERNEL_RELEASE_FILE}")
    die("kernel release file '${KERNEL_RELEASE_FILE}' does not exist (build the kernel first)")
  endif()
  file(STRINGS "${KERNEL_RELEASE_FILE}" KERNEL_RELEASE LIMIT_COUNT 1)
endif()
if((MODULES OR MODULES_TREE) AND
   (NOT DEFINED KERNEL_RELEASE OR KERNEL_RELEASE STREQUAL ""))
  die("-DKERNEL_RELEASE=<release> is required with -DMODULES or -DMODULES_TREE")
endif()
if(MODULES_TREE AND NOT IS_DIRECTORY "${MODULES_TREE}/lib/modules/${KERNEL_RELEASE}")
  die("'${MODULES_TREE}/lib/modules/${KERNEL_RELEASE}' does not exist (make modules_install first)")
endif()
list(LENGTH PROGRAMS n)
math(EXPR n "${n} % 3")
if(NOT n EQUAL 0)
  die("-DPROGRAMS must hold three items an entry: <binary>;<guest path>;<line:col>")
endif()
list(LENGTH FILES n)
math(EXPR n "${n} % 4")
if(NOT n EQUAL 0)
  die("-DFILES must hold four items an entry: <host path>;<guest path>;<mode>;<line:col>")
endif()
foreach(ko IN LISTS MODULES)
  if(NOT EXISTS "${ko}")
    die("module '${ko}' does not exist (build it first)")
  endif()
  if(NOT ko MATCHES "\\.ko$")
    die("module '${ko}' is not a .ko file")
  endif()
endforeach()
get_filename_component(STAGING "${STAGING}" ABSOLUTE)
if(STAGING STREQUAL "/")
  die("refusing to use '/' as STAGING")
endif()

find_program(BUSYBOX busybox PATHS /bin /usr/bin)
if(NOT BUSYBOX)
  die("'busybox' not found; install busybox-static")
endif()
require_static("${BUSYBOX}")
find_program(CPIO_EXE cpio)
find_program(GZIP_EXE gzip)
find_program(MKE2FS mke2fs PATHS /sbin /usr/sbin)
find_program(DEBUGFS debugfs PATHS /sbin /usr/sbin)
if(CPIO AND NOT CPIO_EXE)
  die("'cpio' not found; install cpio")
endif()
if(CPIO MATCHES "\\.gz$" AND NOT GZIP_EXE)
  die("'gzip' not found; install gzip or name the initramfs without .gz")
endif()
if(IMAGE AND NOT MKE2FS)
  die("'mke2fs' not found; install e2fsprogs")
endif()
if(IMAGE AND NOT DEBUGFS)
  die("'debugfs' not found; install e2fsprogs")
endif()

# --- staging tree ----------------------------------------------------------
file(REMOVE_RECURSE "${STAGING}")
foreach(dir bin sbin usr/bin usr/sbin etc/init.d dev proc sys run var/log
    root tmp mnt host lib/modules)
  file(MAKE_DIRECTORY "${STAGING}/${dir}")
endforeach()
file(CHMOD "${STAGING}/tmp" PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_WRITE GROUP_EXECUTE
  WORLD_READ WORLD_WRITE WORLD_EXECUTE)                  # no sticky bit in CMake
file(CHMOD "${STAGING}/root" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)

file(COPY_FILE "${BUSYBOX}" "${STAGING}/bin/busybox")
file(CHMOD "${STAGING}/bin/busybox" PERMISSIONS OWNER_READ OWNER_WRITE
  OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

# The version busybox says of itself ("BusyBox v1.35.0 (Debian
# 1:1.35.0-4+deb12u1+b1)"), read out of the binary, whatever its arch.
function(busybox_version file out)
  file(STRINGS "${file}" v REGEX "^BusyBox v[0-9][^ ]* \\([^)]*\\)" LIMIT_COUNT 1)
  string(REGEX MATCH "^BusyBox v[0-9][^ ]* \\([^)]*\\)" v "${v}")
  set(${out} "${v}" PARENT_SCOPE)
endfunction()

execute_process(COMMAND "${BUSYBOX}" --list-full
  RESULT_VARIABLE rc OUTPUT_VARIABLE applets ERROR_VARIABLE err)
if((NOT rc EQUAL 0 OR NOT applets MATCHES "sbin/init") AND BUSYBOX_LIST)
  # A busybox of another arch than the host's (an arm64 guest's) cannot
  # say its applets here: the host's busybox of the same version and
  # Debian build, whose configuration is the same, says them.
  busybox_version("${BUSYBOX}" guest_version)
  busybox_version("${BUSYBOX_LIST}" host_version)
  if(guest_version STREQUAL "" OR NOT guest_version STREQUAL host_version)
    die("'${BUSYBOX}' does not run here, and '${BUSYBOX_LIST}', which "
      "would name its applets, is another version ('${host_version}', not "
      "'${guest_version}'): install busybox-static of the same version for both")
  endif()
  execute_process(COMMAND "${BUSYBOX_LIST}" --list-full
    RESULT_VARIABLE rc OUTPUT_VARIABLE applets ERROR_VARIABLE err)
endif()
if(NOT rc EQUAL 0 OR NOT applets MATCHES "sbin/init")
  die("'${BUSYBOX} --list-full' gave no applet list (${rc}): ${err}")
endif()
to_lines("${applets}" applets)
foreach(line IN LISTS applets)
  from_line("${line}" applet)
  if(applet STREQUAL "" OR applet STREQUAL "bin/busybox")
    continue()
  endif()
  get_filename_component(dir "${applet}" DIRECTORY)
  string(REGEX REPLACE "[^/]+" ".." up "${dir}")       # usr/bin -> ../..
  if(dir STREQUAL "")
    set(target bin/busybox)
  elseif(dir STREQUAL "bin")
    set(target busybox)
  else()
    set(target ${up}/bin/busybox)
    file(MAKE_DIRECTORY "${STAGING}/${dir}")
  endif()
  file(CREATE_LINK "${target}" "${STAGING}/${applet}" SYMBOLIC)
endforeach()
file(CREATE_LINK sbin/init "${STAGING}/init" SYMBOLIC)

set(exec_perms OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
  WORLD_READ WORLD_EXECUTE)
# root logs in with no password.  The empty password lives in /etc/shadow:
# with `root::0:0:...` in /etc/passwd, Debian's busybox 1.35 finds root by
# name (login works) but not by uid (`whoami`: unknown uid 0, `ls -l` shows 0).
file(WRITE "${STAGING}/etc/passwd" "root:x:0:0:root:/root:/bin/sh\n")
file(WRITE "${STAGING}/etc/shadow" "root::19000:0:99999:7:::\n")
file(CHMOD "${STAGING}/etc/shadow" PERMISSIONS OWNER_READ OWNER_WRITE)
file(WRITE "${STAGING}/etc/group" "root:x:0:\n")
file(WRITE "${STAGING}/etc/hostname" "${HOSTNAME}\n")
file(WRITE "${STAGING}/etc/hosts" "127.0.0.1\tlocalhost ${HOSTNAME}\n")
file(WRITE "${STAGING}/etc/shells" "/bin/sh\n/bin/ash\n")
file(WRITE "${STAGING}/etc/fstab" "")
# The banner getty prints above `login:` (\s \r \m: kernel name, release,
# machine), as the lab's 5.3 shows it.
file(WRITE "${STAGING}/etc/issue" "labkit busybox root file system\nKernel \\s \\r on an \\m\n\n")
# The shell's terminal is /dev/shell: the tty the kernel argument
# labkit.shell= names (labkit gives the shell a line of its own, so the
# kernel's messages on the console never mix with a command's output),
# else `console`, whatever the last console= names (ttyS0, tty0, hvc0) —
# booted by hand, the image behaves as before.  One inittab serves every
# guest kind.
file(WRITE "${STAGING}/etc/inittab" [=[
# busybox init: see busybox's examples/inittab
::sysinit:/etc/init.d/rcS
::respawn:/sbin/getty -L 0 shell vt100
::respawn:/etc/init.d/line 1
::respawn:/etc/init.d/line 2
::respawn:/etc/init.d/line 3
::ctrlaltdel:/sbin/reboot
::shutdown:/bin/sync
::shutdown:/bin/umount -a -r
]=])
file(WRITE "${STAGING}/etc/init.d/rcS" [=[
#!/bin/sh
# labkit guest start-up: pseudo file systems, host name, a quiet console.
# busybox has no mountpoint applet here; look in /proc/mounts instead.
mounted() { grep -q "^[^ ]* $1 " /proc/mounts; }
[ -e /proc/mounts ] || mount -t proc proc /proc
mounted /sys || mount -t sysfs sysfs /sys
mounted /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mounted /dev/pts || mount -t devpts devpts /dev/pts
mounted /tmp || mount -t tmpfs tmpfs /tmp
mounted /run || mount -t tmpfs tmpfs /run
hostname -F /etc/hostname
# The shell's line: labkit.shell=<tty> on the kernel's command line, else
# the console.  With a line of its own, the console shows every kernel
# message (labkit reads faults there); shared, it stays quiet, and the
# messages are read with dmesg.
shell=$(sed -n 's/.*labkit\.shell=\([^ ]*\).*/\1/p' /proc/cmdline)
if [ -n "$shell" ] && [ -e "/dev/$shell" ]; then
	ln -sfn "$shell" /dev/shell
	dmesg -n 8
else
	ln -sfn console /dev/shell
	dmesg -n 1
fi
# The kernel's modules the guest's devices need (rootfs.cmake's DRIVERS).
if [ -s /etc/labkit-drivers ]; then
	for m in $(cat /etc/labkit-drivers); do modprobe "$m" 2>/dev/null; done
fi
# The loopback always; with labkit.net=user, QEMU's user-mode network:
# the guest is 10.0.2.15, the host 10.0.2.2 (its ports forwarded in).
ip link set lo up 2>/dev/null
if grep -q 'labkit\.net=user' /proc/cmdline && [ -e /sys/class/net/eth0 ]; then
	ip addr add 10.0.2.15/24 dev eth0
	ip link set eth0 up
	ip route add default via 10.0.2.2
fi
# The host's directory labkit shares (labkit shell; a spec's share:), on
# /mnt/share: labkit.share=9p (QEMU's virtio 9p, tag labkit, its modules
# in labkit-share/ when the kernel has them as modules) or
# labkit.share=hostfs:<path> (UML); read-only with labkit.share_ro.
share=$(sed -n 's/.*labkit\.share=\([^ ]*\).*/\1/p' /proc/cmdline)
if [ -n "$share" ]; then
	d=/lib/modules/$(uname -r)/labkit-share
	for m in $(cat "$d/order" 2>/dev/null); do insmod "$d/$m.ko" 2>/dev/null; done
	o=rw
	grep -q 'labkit\.share_ro' /proc/cmdline && o=ro
	mkdir -p /mnt/share
	case $share in
	9p) mount -t 9p -o "$o,trans=virtio,version=9p2000.L,msize=262144" labkit /mnt/share ;;
	hostfs:*) mount -t hostfs -o "$o,${share#hostfs:}" none /mnt/share ;;
	esac
fi
]=])
file(CHMOD "${STAGING}/etc/init.d/rcS" PERMISSIONS ${exec_perms})
# An extra console labkit gives the guest (labkit.consoles=ttyS2,ttyS3 on
# the kernel's command line): a login on the n-th of them; without one,
# a sleep, so that init does not start it again and again.
file(WRITE "${STAGING}/etc/init.d/line" [=[
#!/bin/sh
n=$1
list=$(sed -n 's/.*labkit\.consoles=\([^ ]*\).*/\1/p' /proc/cmdline)
IFS=,
set -- $list
unset IFS
tty=
[ "$n" -le $# ] && shift $((n - 1)) && tty=$1
if [ -n "$tty" ] && [ -e "/dev/$tty" ]; then
	exec /sbin/getty -L 0 "$tty" vt100
fi
exec sleep 2147483647
]=])
file(CHMOD "${STAGING}/etc/init.d/line" PERMISSIONS ${exec_perms})

if(MODULES_TREE)
  # Every release the stage holds, not only KERNEL_RELEASE (the one the
  # last `make install` into it named): exercises that build the same
  # kernel with another localversion install into the same stage, and the
  # guest of each boots its own release.
  file(GLOB releases LIST_DIRECTORIES true "${MODULES_TREE}/lib/modules/*")
  foreach(rel IN LISTS releases)
    file(COPY "${rel}" DESTINATION "${STAGING}/lib/modules"
      REGEX "/lib/modules/[^/]+/(build|source)$" EXCLUDE)
  endforeach()
endif()

# The payload: what the lab puts in the tree (a path and its parents).
function(payload_paths out)
  set(paths "")
  if(MODULES)
    file(GLOB deps RELATIVE "${STAGING}"
      "${STAGING}/lib/modules/${KERNEL_RELEASE}/modules.*")
    list(APPEND paths "lib/modules/${KERNEL_RELEASE}/extra" ${deps})
  endif()
  set(i 1)
  list(LENGTH PROGRAMS n)
  while(i LESS n)
    list(GET PROGRAMS ${i} guest)
    list(APPEND paths "${guest}")
    math(EXPR i "${i} + 3")
  endwhile()
  set(i 1)
  list(LENGTH FILES n)
  while(i LESS n)
    list(GET FILES ${i} guest)
    list(APPEND paths "${guest}")
    math(EXPR i "${i} + 4")
  endwhile()
  set(${out} "${paths}" PARENT_SCOPE)
endfunction()

# archive(<out> <list file> [gzip]): the entries of the list, in its order.
macro(archive out list)
  set(_pipeline COMMAND "${CPIO_EXE}" -o -H newc --owner=0:0 --reproducible --quiet)
  if(${ARGC} GREATER 2)
    list(APPEND _pipeline COMMAND "${GZIP_EXE}" -n -c)
  endif()
  run("making '${out}'" ${_pipeline} WORKING_DIRECTORY "${STAGING}"
    INPUT_FILE "${list}" OUTPUT_FILE "${out}")
endmacro()

# dated_list(<out>): every entry of the tree, sorted, each dated 0 first.
function(dated_list out)
  run("dating '${STAGING}'" COMMAND find . -exec touch -h -d @0 {} +
    WORKING_DIRECTORY "${STAGING}")
  run("listing '${STAGING}'" COMMAND find . -mindepth 1 COMMAND env LC_ALL=C sort
    WORKING_DIRECTORY "${STAGING}" OUTPUT_VARIABLE all)
  set(${out} "${all}" PARENT_SCOPE)
endfunction()

# The modules of the shared directory (labkit shell's /mnt/share), when
# the kernel has them as modules: SHARE_MODULES.
set(i 0)
list(LENGTH SHARE_MODULES n)
while(i LESS n)
  math(EXPR j "${i} + 1")
  list(GET SHARE_MODULES ${i} rel)
  list(GET SHARE_MODULES ${j} dir)
  if(NOT EXISTS "${dir}/order")
    die("'${dir}/order' does not exist (unpack the Debian kernel first)")
  endif()
  file(GLOB kos "${dir}/*.ko")
  file(MAKE_DIRECTORY "${STAGING}/lib/modules/${rel}/labkit-share")
  file(COPY ${kos} "${dir}/order"
    DESTINATION "${STAGING}/lib/modules/${rel}/labkit-share")
  math(EXPR i "${i} + 2")
endwhile()

# The kernel's own modules of DRIVERS, with what they depend on, out of
# the kernel's package into `root`: members found by name in its listing,
# unpacked a round at a time, their dependencies read with modinfo for the
# next.
function(unpack_drivers root)
  find_program(MODINFO modinfo PATHS /sbin /usr/sbin)
  run("listing '${DRIVERS_DEB}'" COMMAND dpkg-deb --fsys-tarfile "${DRIVERS_DEB}"
    COMMAND tar -t OUTPUT_VARIABLE members)
  set(want ${DRIVERS})
  set(have "")
  set(loaded "")
  while(want)
    set(paths "")
    foreach(m IN LISTS want)
      string(REPLACE "-" "[-_]" re "${m}")
      string(REPLACE "_" "[-_]" re "${re}")
      string(REGEX MATCH "\./lib/modules/${KERNEL_RELEASE}/kernel/[^\n]*/${re}\.ko\n" path "${members}")
      list(APPEND have ${m})
      if(path STREQUAL "")
        message(STATUS "rootfs: driver '${m}' is no module of ${KERNEL_RELEASE} (built in, or not there)")
        continue()
      endif()
      string(STRIP "${path}" path)
      list(APPEND paths "${path}")
      list(FIND DRIVERS ${m} asked)
      if(asked GREATER_EQUAL 0)
        list(APPEND loaded ${m})
      endif()
    endforeach()
    set(want "")
    if(NOT paths)
      break()
    endif()
    run("unpacking drivers from '${DRIVERS_DEB}'"
      COMMAND dpkg-deb --fsys-tarfile "${DRIVERS_DEB}"
      COMMAND tar -x -C "${root}" --no-same-owner ${paths})
    foreach(p IN LISTS paths)
      execute_process(COMMAND "${MODINFO}" -F depends "${root}/${p}"
        OUTPUT_VARIABLE deps OUTPUT_STRIP_TRAILING_WHITESPACE)
      string(REPLACE "," ";" deps "${deps}")
      foreach(d IN LISTS deps)
        list(FIND have ${d} seen)
        if(seen LESS 0 AND NOT d STREQUAL "")
          list(APPEND want ${d})
        endif()
      endforeach()
    endforeach()
    list(REMOVE_DUPLICATES want)
  endwhile()
  string(REPLACE ";" "\n" loaded "${loaded}")
  file(WRITE "${root}/etc/labkit-drivers" "${loaded}\n")
endfunction()

# They are unpacked once into <STAGING>.drivers and copied from there
# while its key holds (this script, the package's path, size and time, as
# make would judge it, the release and DRIVERS): reading the package three
# times was 3/4 of the tree's rebuild after a lab's module changed.
if(DRIVERS AND DRIVERS_DEB AND KERNEL_RELEASE)
  set(cache "${STAGING}.drivers")
  file(SIZE "${DRIVERS_DEB}" size)
  file(TIMESTAMP "${DRIVERS_DEB}" time "%s" UTC)
  file(SHA1 "${CMAKE_CURRENT_LIST_FILE}" self)                 # this script
  set(key "${self}\n${DRIVERS_DEB}\n${size} ${time}\n${KERNEL_RELEASE}\n${DRIVERS}\n")
  set(had "")
  if(EXISTS "${cache}/key")
    file(READ "${cache}/key" had)
  endif()
  if(NOT had STREQUAL key)
    file(REMOVE_RECURSE "${cache}" "${cache}.tmp")
    file(MAKE_DIRECTORY "${cache}.tmp/tree/etc")
    unpack_drivers("${cache}.tmp/tree")
    file(WRITE "${cache}.tmp/key" "${key}")
    file(RENAME "${cache}.tmp" "${cache}")
  endif()
  file(COPY "${cache}/tree/" DESTINATION "${STAGING}")
endif()
find_program(DEPMOD depmod PATHS /sbin /usr/sbin)
if(DRIVERS AND DRIVERS_DEB AND DEPMOD)                   # for `modprobe <name>`
  run("depmod" COMMAND "${DEPMOD}" -b "${STAGING}" "${KERNEL_RELEASE}")
endif()

# --- the base archive: the tree every run of the guest has ------------------
# (the lab's modules, programs and files come after, in payload.cpio)
string(RANDOM LENGTH 8 tag)
if(CPIO AND NOT CPIO MATCHES "\\.gz$")
  get_filename_component(CPIO "${CPIO}" ABSOLUTE)
  get_filename_component(dir "${CPIO}" DIRECTORY)
  file(MAKE_DIRECTORY "${dir}")
  dated_list(all)
  file(WRITE "${dir}/base.list.${tag}" "${all}")
  archive("${dir}/base.cpio.tmp.${tag}" "${dir}/base.list.${tag}")
  file(REMOVE "${dir}/base.list.${tag}")
endif()

if(MODULES)
  set(extra "${STAGING}/lib/modules/${KERNEL_RELEASE}/extra")
  file(MAKE_DIRECTORY "${extra}")
  foreach(ko IN LISTS MODULES)
    get_filename_component(name "${ko}" NAME)
    file(COPY_FILE "${ko}" "${extra}/${name}")
  endforeach()
endif()
if(MODULES AND DEPMOD)
  run("depmod" COMMAND "${DEPMOD}" -b "${STAGING}" "${KERNEL_RELEASE}")
endif()

# --- the lab's programs and files ------------------------------------------
# refuse(<line:col> <message>): the spec's position and what is wrong, as
# a compiler words it, then a failure; nothing is made.
function(refuse pos msg)
  if(SPEC)
    message(NOTICE "${SPEC}:${pos}: error: ${msg}")
  else()
    message(NOTICE "rootfs: error: ${msg}")
  endif()
  die("refused (see the error above); no image made")
endfunction()

# Why `guest` (a normalized absolute path) cannot be installed into the
# tree, or "": it would be hidden, go through something that is not a
# directory, or replace something the tree has.
function(guest_path_problem guest outvar)
  set(why "")
  string(REGEX MATCH "^/[^/]+" top "${guest}")
  if(guest MATCHES "^/(proc|sys|dev|tmp|run)(/|$)")
    set(why "would be hidden: the guest mounts a file system on ${top} at start-up")
  else()
    string(REGEX REPLACE "/[^/]+$" "" dir "${guest}")
    set(walk "")
    string(REPLACE "/" ";" parts "${dir}")
    foreach(part IN LISTS parts)
      if(part STREQUAL "")
        continue()
      endif()
      string(APPEND walk "/${part}")
      if(IS_SYMLINK "${STAGING}${walk}" OR
         (EXISTS "${STAGING}${walk}" AND NOT IS_DIRECTORY "${STAGING}${walk}"))
        set(why "cannot go under ${walk}, which is a file of labkit's tree, not a directory")
        break()
      endif()
    endforeach()
  endif()
  if(why STREQUAL "" AND IS_SYMLINK "${STAGING}${guest}")
    file(READ_SYMLINK "${STAGING}${guest}" link)
    set(why "would replace ${guest} of labkit's tree (a link to ${link}; the guest's start-up and login need busybox's applets)")
  elseif(why STREQUAL "" AND IS_DIRECTORY "${STAGING}${guest}")
    set(why "would replace ${guest}, a directory of labkit's tree")
  elseif(why STREQUAL "" AND EXISTS "${STAGING}${guest}")
    set(why "would replace ${guest} of labkit's tree (the guest needs it)")
  endif()
  set(${outvar} "${why}" PARENT_SCOPE)
endfunction()

# install_one(<program|file> <host file> <guest path> <mode or -> <line:col>)
function(install_one kind host guest mode pos)
  string(REGEX REPLACE "/+" "/" guest "${guest}")
  cmake_path(NORMAL_PATH guest)                          # /a/./b/.. -> /a/
  string(REGEX REPLACE "(.)/$" "\\1" guest "${guest}")
  if(NOT guest MATCHES "^/[^/]")
    refuse(${pos} "${kind} '${guest}': not the absolute path of a file in the guest")
  endif()
  if(NOT EXISTS "${host}" OR IS_DIRECTORY "${host}")
    refuse(${pos} "${kind} '${guest}': '${host}' is not a file")
  endif()
  if(NOT mode MATCHES "^(-|[0-7][0-7]?[0-7]?[0-7]?)$")
    refuse(${pos} "${kind} '${guest}': mode '${mode}' is not octal, like 0644")
  endif()
  guest_path_problem("${guest}" why)
  if(NOT why STREQUAL "")
    refuse(${pos} "${kind} '${guest}' ${why}")
  endif()
  get_filename_component(dir "${STAGING}${guest}" DIRECTORY)
  file(MAKE_DIRECTORY "${dir}")
  file(COPY_FILE "${host}" "${STAGING}${guest}")       # keeps the mode
  if(NOT mode STREQUAL "-")
    run("chmod ${mode} '${STAGING}${guest}'"
      COMMAND chmod ${mode} "${STAGING}${guest}")
  endif()
endfunction()

set(i 0)
list(LENGTH PROGRAMS n)
while(i LESS n)
  math(EXPR j "${i} + 1")
  math(EXPR k "${i} + 2")
  list(GET PROGRAMS ${i} host)
  list(GET PROGRAMS ${j} guest)
  list(GET PROGRAMS ${k} pos)
  install_one(program "${host}" "${guest}" 0755 "${pos}")
  math(EXPR i "${i} + 3")
endwhile()
set(i 0)
list(LENGTH FILES n)
while(i LESS n)
  math(EXPR j "${i} + 1")
  math(EXPR k "${i} + 2")
  math(EXPR l "${i} + 3")
  list(GET FILES ${i} host)
  list(GET FILES ${j} guest)
  list(GET FILES ${k} mode)
  list(GET FILES ${l} pos)
  install_one(file "${host}" "${guest}" "${mode}" "${pos}")
  math(EXPR i "${i} + 4")
endwhile()

# --- initramfs -------------------------------------------------------------
if(CPIO)
  get_filename_component(CPIO "${CPIO}" ABSOLUTE)
  get_filename_component(dir "${CPIO}" DIRECTORY)
  file(MAKE_DIRECTORY "${dir}")
  set(tmp "${CPIO}.tmp.${tag}")
  dated_list(all)
  if(CPIO MATCHES "\\.gz$")
    file(WRITE "${tmp}.all" "${all}")
    archive("${tmp}" "${tmp}.all" gzip)
    file(REMOVE "${tmp}.all")
    file(RENAME "${tmp}" "${CPIO}")
  else()
    payload_paths(payload)
    set(payload_list "")
    to_lines("${all}" entries)
    foreach(e IN LISTS entries)
      from_line("${e}" e)
      set(in_payload FALSE)
      set(on_the_way FALSE)
      foreach(p IN LISTS payload)
        string(REGEX REPLACE "^/" "" p "${p}")
        set(p "./${p}")
        string(FIND "${e}/" "${p}/" at)          # p itself, or below it
        string(FIND "${p}" "${e}/" up)           # a directory above it
        if(at EQUAL 0)
          set(in_payload TRUE)
        elseif(up EQUAL 0)
          set(on_the_way TRUE)
        endif()
      endforeach()
      # the directories on the way to a payload path are in it too
      if(in_payload OR on_the_way)
        string(APPEND payload_list "${e}\n")
      endif()
    endforeach()
    file(WRITE "${tmp}.payload" "${payload_list}")
    archive("${dir}/payload.cpio.tmp.${tag}" "${tmp}.payload")
    file(REMOVE "${tmp}.payload")
    run("making '${CPIO}'" COMMAND cat "${dir}/base.cpio.tmp.${tag}"
      "${dir}/payload.cpio.tmp.${tag}" OUTPUT_FILE "${tmp}")
    file(RENAME "${dir}/base.cpio.tmp.${tag}" "${dir}/base.cpio")
    file(RENAME "${dir}/payload.cpio.tmp.${tag}" "${dir}/payload.cpio")
    file(RENAME "${tmp}" "${CPIO}")
  endif()
endif()

# --- ext4 image ------------------------------------------------------------
if(IMAGE)
  get_filename_component(IMAGE "${IMAGE}" ABSOLUTE)
  get_filename_component(dir "${IMAGE}" DIRECTORY)
  file(MAKE_DIRECTORY "${dir}")
  set(tmp "${IMAGE}.tmp.${tag}")
  if(NOT IMAGE_SIZE)                      # MiB: twice the files + 16, >= 64
    run("du" COMMAND du -s -k --apparent-size "${STAGING}" OUTPUT_VARIABLE du)
    string(REGEX MATCH "^[0-9]+" kib "${du}")
    math(EXPR IMAGE_SIZE "${kib} * 2 / 1024 + 16")
    if(IMAGE_SIZE LESS 64)
      set(IMAGE_SIZE 64)
    endif()
  endif()
  file(REMOVE "${tmp}")
  run("mke2fs" COMMAND "${MKE2FS}" -q -t ext4 -L rootfs -d "${STAGING}"
    -E root_owner=0:0 -F "${tmp}" ${IMAGE_SIZE}M OUTPUT_QUIET)
  # Owner 0:0 for every inode; the device nodes a non-root mke2fs cannot copy.
  run("find" COMMAND find . -mindepth 1 WORKING_DIRECTORY "${STAGING}"
    OUTPUT_VARIABLE found)
  to_lines("${found}" entries)
  set(cmds "")
  foreach(line IN LISTS entries)
    from_line("${line}" e)
    string(SUBSTRING "${e}" 1 -1 e)                      # ./x -> /x
    string(APPEND cmds "sif \"${e}\" uid 0\nsif \"${e}\" gid 0\n")
  endforeach()
  string(APPEND cmds "cd /dev\nmknod console c 5 1\nmknod null c 1 3\n"
    "sif console mode 020600\nsif null mode 020666\nsif /tmp mode 041777\n")
  file(WRITE "${tmp}.debugfs" "${cmds}")
  run("debugfs on '${tmp}'" COMMAND "${DEBUGFS}" -w -f "${tmp}.debugfs" "${tmp}"
    OUTPUT_QUIET)
  # debugfs exits 0 whatever its commands did; anything past the banner is
  # an error message.
  string(REGEX REPLACE "^debugfs [^\n]*\n?" "" _run_err "${_run_err}")
  if(NOT _run_err STREQUAL "")
    die("debugfs on '${tmp}' failed: ${_run_err}")
  endif()
  file(REMOVE "${tmp}.debugfs")
  file(RENAME "${tmp}" "${IMAGE}")
endif()

# --- the description -------------------------------------------------------
if(DESCRIPTION)
  get_filename_component(DESCRIPTION "${DESCRIPTION}" ABSOLUTE)
  file(WRITE "${DESCRIPTION}.tmp.${tag}" [=[
# How labkit uses this root file system's console (cmake/rootfs.cmake).
login:
  prompt: 'login: '
  user: root
  password: ''
  shell: '[#$] '
poweroff: 'sync; poweroff -f'
]=])
  file(RENAME "${DESCRIPTION}.tmp.${tag}" "${DESCRIPTION}")
endif()

message(STATUS "rootfs: staged ${STAGING}")
foreach(out IN ITEMS ${CPIO} ${IMAGE} ${DESCRIPTION})
  message(STATUS "rootfs: wrote ${out}")
endforeach()

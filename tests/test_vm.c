/* test_vm.c — the per-arch table and the command lines it makes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "vm.h"

static int argv_has(char **argv, const char *a, const char *b)
{
	for (size_t i = 0; argv[i]; i++)
		if (!strcmp(argv[i], a) && (!b || (argv[i + 1] && !strcmp(argv[i + 1], b))))
			return 1;
	return 0;
}

static const char *arg_after(char **argv, const char *a)
{
	for (size_t i = 0; argv[i]; i++)
		if (!strcmp(argv[i], a))
			return argv[i + 1];
	return NULL;
}

static void qemu_initramfs_boot(void **state)
{
	const struct vm_arch *a = vm_arch_find("x86_64");
	struct vm_guest g = { .kernel = "/k/vmlinux", .initrd = "/r/i.cpio",
			      .boot = VM_BOOT_INITRAMFS, .accel = VM_ACCEL_TCG };
	char **argv;

	(void)state;
	assert_non_null(a);
	argv = vm_argv(a, &g);
	assert_string_equal(argv[0], "qemu-system-x86_64");
	assert_true(argv_has(argv, "-kernel", "/k/vmlinux"));
	assert_true(argv_has(argv, "-initrd", "/r/i.cpio"));
	assert_true(argv_has(argv, "-accel", "tcg"));
	assert_true(argv_has(argv, "-no-reboot", NULL));
	assert_false(argv_has(argv, "-drive", NULL));
	assert_non_null(strstr(arg_after(argv, "-append"), "console=ttyS0"));
	assert_non_null(strstr(arg_after(argv, "-append"), "panic=-1"));
	assert_null(strstr(arg_after(argv, "-append"), "root="));
	vm_argv_free(argv);
}

static void qemu_disk_boot_has_the_seed_shape(void **state)
{
	const struct vm_arch *a = vm_arch_find("x86_64");
	struct vm_guest g = { .kernel = "bzImage", .disk = "rootfs.ext4",
			      .boot = VM_BOOT_DISK, .accel = VM_ACCEL_KVM,
			      .append = "loglevel=7" };
	char **argv = vm_argv(a, &g);
	const char *append = arg_after(argv, "-append");

	(void)state;
	/* the root disk's writes go to a snapshot of its own: not -snapshot,
	 * which would keep an extra disk's writes from its file too */
	assert_true(argv_has(argv, "-drive",
		"file=rootfs.ext4,format=raw,if=ide,index=0,media=disk,snapshot=on"));
	assert_false(argv_has(argv, "-snapshot", NULL));
	assert_non_null(strstr(append, "root=/dev/sda"));
	assert_non_null(strstr(append, "loglevel=7"));
	vm_argv_free(argv);
}

static void uml_kernel_is_the_program(void **state)
{
	const struct vm_arch *a = vm_arch_find("um");
	struct vm_guest g = { .kernel = "./vmlinux", .disk = "fs.img",
			      .boot = VM_BOOT_DISK };
	char **argv = vm_argv(a, &g);

	(void)state;
	assert_string_equal(argv[0], "./vmlinux");
	assert_true(argv_has(argv, "ubd0=fs.img", NULL));
	assert_true(argv_has(argv, "root=/dev/ubda", NULL));
	assert_false(argv_has(argv, "-accel", NULL));
	vm_argv_free(argv);
}

/* The workbench: the gdb stub on a Unix socket (never a TCP port) with
 * nokaslr, a shared directory as virtio 9p, read-only when asked, its
 * commas doubled for QEMU's option syntax. */
static void qemu_gdb_stub_and_share(void **state)
{
	const struct vm_arch *a = vm_arch_find("x86_64");
	struct vm_guest g = { .kernel = "vmlinux", .initrd = "i.cpio",
			      .boot = VM_BOOT_INITRAMFS,
			      .gdb_socket = "/o/gdb.sock", .share = "/h/a,b" };
	char **argv = vm_argv(a, &g);
	const char *append = arg_after(argv, "-append");

	(void)state;
	assert_null(vm_guest_unsupported(a, &g));
	assert_true(argv_has(argv, "-chardev",
		"socket,id=labkit-gdb,server=on,wait=off,path=/o/gdb.sock"));
	assert_true(argv_has(argv, "-gdb", "chardev:labkit-gdb"));
	assert_true(argv_has(argv, "-fsdev",
		"local,id=labkit-share,security_model=none,path=/h/a,,b"));
	assert_non_null(strstr(append, " nokaslr"));
	assert_non_null(strstr(append, " labkit.share=9p"));
	assert_null(strstr(append, "labkit.share_ro"));
	assert_null(strstr(arg_after(argv, "-fsdev"), "readonly"));
	vm_argv_free(argv);
	g.share_ro = true;
	g.gdb_socket = NULL;
	argv = vm_argv(a, &g);
	assert_non_null(strstr(arg_after(argv, "-fsdev"), ",readonly=on"));
	assert_non_null(strstr(arg_after(argv, "-append"), "labkit.share_ro"));
	assert_null(strstr(arg_after(argv, "-append"), "nokaslr"));
	assert_false(argv_has(argv, "-gdb", NULL));
	vm_argv_free(argv);
}

/* UML: no stub; hostfs takes the directory by its path on the kernel's
 * command line, which cannot carry a space. */
static void uml_share_is_hostfs(void **state)
{
	const struct vm_arch *a = vm_arch_find("um");
	struct vm_guest g = { .kernel = "linux", .disk = "fs.img",
			      .boot = VM_BOOT_DISK, .share = "/h/dir" };
	char **argv = vm_argv(a, &g);

	(void)state;
	assert_null(vm_guest_unsupported(a, &g));
	assert_true(argv_has(argv, "labkit.share=hostfs:/h/dir", NULL));
	vm_argv_free(argv);
	g.share = "/h/my dir";
	assert_non_null(vm_guest_unsupported(a, &g));
	g.share = "/h/a,b";
	assert_non_null(vm_guest_unsupported(a, &g));
	g.share = NULL;
	g.gdb_socket = "/o/gdb.sock";
	assert_string_equal(vm_guest_unsupported(a, &g),
			    "this guest kind has no gdb stub");
}

static void unknown_arch(void **state)
{
	(void)state;
	assert_null(vm_arch_find("riscv128"));
}

/* Every row by its index, each found by its name; the packaged kernels
 * that boot as a guest kind (CMake's `from:` check, passed on by gen). */
static void rows_by_index(void **state)
{
	size_t n = 0;

	(void)state;
	for (const struct vm_arch *a; (a = vm_arch_at(n)); n++)
		assert_ptr_equal(vm_arch_find(a->name), a);
	assert_int_equal(n, 3);
	assert_string_equal(vm_arch_at(0)->name, "x86_64");
	assert_string_equal(vm_arch_find("x86_64")->packaged, "debian-package");
	assert_string_equal(vm_arch_find("um")->packaged, "uml-package");
	assert_null(vm_arch_find("arm64")->packaged);
}

/* Extra lines, disks, the network and the monitor, as QEMU's options. */
static void qemu_devices(void **state)
{
	const struct vm_arch *a = vm_arch_find("x86_64");
	const char *lines[] = { "tty,path=/dev/pts/9", "socket,path=/t/s,server=on,wait=off" };
	const char *disks[] = { "/o/a.img", "/o/b.img" };
	const bool ide[] = { false, true };
	struct vm_guest g = { .kernel = "vmlinux", .initrd = "i.cpio",
			      .boot = VM_BOOT_INITRAMFS, .nlines = 2,
			      .lines = lines, .consoles = "ttyS2", .ndisks = 2,
			      .disks = disks, .disk_ide = ide, .net_user = true,
			      .hostfwd = ",hostfwd=udp:127.0.0.1:4000-:7777",
			      .monitor = "/t/mon" };
	char **argv = vm_argv(a, &g);

	(void)state;
	assert_int_equal(vm_arch_nlines(a), 2);
	assert_true(argv_has(argv, "-chardev", "tty,path=/dev/pts/9,id=line0"));
	assert_true(argv_has(argv, "-serial", "chardev:line0"));
	assert_true(argv_has(argv, "-serial", "chardev:line1"));
	assert_true(argv_has(argv, "-drive", "file=/o/a.img,format=raw,if=virtio"));
	assert_true(argv_has(argv, "-drive", "file=/o/b.img,format=raw,if=ide,media=disk"));
	assert_true(argv_has(argv, "-netdev",
			     "user,id=net0,hostfwd=udp:127.0.0.1:4000-:7777"));
	assert_true(argv_has(argv, "-monitor", "unix:/t/mon,server=on,wait=off"));
	assert_non_null(strstr(arg_after(argv, "-append"), "labkit.consoles=ttyS2"));
	assert_non_null(a->keyboard);
	vm_argv_free(argv);
}

/* Without devices, no NIC: the guest has its loopback only. */
static void qemu_no_network_by_default(void **state)
{
	const struct vm_arch *a = vm_arch_find("x86_64");
	struct vm_guest g = { .kernel = "vmlinux", .initrd = "i.cpio",
			      .boot = VM_BOOT_INITRAMFS };
	char **argv = vm_argv(a, &g);

	(void)state;
	assert_false(argv_has(argv, "-netdev", NULL));
	assert_false(argv_has(argv, "-monitor", NULL));
	assert_true(argv_has(argv, "-nodefaults", NULL));
	vm_argv_free(argv);
}

/* arm64: the virt machine under TCG, the console on its UART, the shell
 * on a virtio console, a cross compiler; no keyboard. */
static void arm64_row(void **state)
{
	const struct vm_arch *a = vm_arch_find("arm64");
	struct vm_guest g = { .kernel = "Image", .disk = "rootfs.ext4",
			      .boot = VM_BOOT_DISK, .shell = "/dev/pts/7" };
	char **argv;

	(void)state;
	assert_non_null(a);
	argv = vm_argv(a, &g);
	assert_string_equal(argv[0], "qemu-system-aarch64");
	assert_true(argv_has(argv, "-M", "virt"));
	assert_true(argv_has(argv, "-accel", "tcg"));
	assert_true(argv_has(argv, "-chardev", "serial,id=shell,path=/dev/pts/7"));
	assert_true(argv_has(argv, "-drive", "file=rootfs.ext4,format=raw,if=virtio,snapshot=on"));
	assert_non_null(strstr(arg_after(argv, "-append"), "console=ttyAMA0"));
	assert_non_null(strstr(arg_after(argv, "-append"), "labkit.shell=hvc0"));
	assert_non_null(strstr(arg_after(argv, "-append"), "root=/dev/vda"));
	assert_null(a->keyboard);
	assert_null(a->ide_args);
	assert_string_equal(a->cross_compile, "aarch64-linux-gnu-");
	assert_string_equal(a->kernel_arch, "arm64");
	assert_string_equal(a->deb_arch, "arm64");
	assert_false(a->has_accel);
	assert_false(a->has_saved);
	/* x86_64's and UML's user space is the host's own */
	assert_null(vm_arch_find("x86_64")->deb_arch);
	assert_null(vm_arch_find("um")->deb_arch);
	vm_argv_free(argv);
}

static void argv_str_quotes(void **state)
{
	char *argv[] = { "qemu", "-append", "console=ttyS0 quiet", "it's", NULL };
	char *s = vm_argv_str(argv);

	(void)state;
	assert_string_equal(s, "qemu -append 'console=ttyS0 quiet' 'it'\\''s'");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(qemu_initramfs_boot),
		cmocka_unit_test(qemu_disk_boot_has_the_seed_shape),
		cmocka_unit_test(uml_kernel_is_the_program),
		cmocka_unit_test(qemu_gdb_stub_and_share),
		cmocka_unit_test(uml_share_is_hostfs),
		cmocka_unit_test(unknown_arch),
		cmocka_unit_test(rows_by_index),
		cmocka_unit_test(argv_str_quotes),
		cmocka_unit_test(qemu_devices),
		cmocka_unit_test(qemu_no_network_by_default),
		cmocka_unit_test(arm64_row),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

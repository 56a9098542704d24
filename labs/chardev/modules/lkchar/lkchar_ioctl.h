/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * lkchar_ioctl.h — the ioctl commands of /dev/lkchar, shared by the module
 * (lkchar.c) and the user program (programs/lkchar_test.c), so both agree
 * on the numbers.  Only <linux/...> uapi headers, which exist both in the
 * kernel and in user space.
 *
 * An ioctl number packs four fields (include/uapi/asm-generic/ioctl.h):
 * the direction of the data (_IO: none, _IOR: the kernel writes to the
 * caller's memory), the size of the argument, a "type" (magic) byte and a
 * command number.  'x' is free in Documentation/userspace-api/ioctl/
 * ioctl-number.rst of Linux 6.1.
 */
#ifndef LKCHAR_IOCTL_H
#define LKCHAR_IOCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define LKCHAR_IOC_MAGIC 'x'

/* Empties the buffer; no argument.  0x00007800 */
#define LKCHAR_IOC_CLEAR _IO(LKCHAR_IOC_MAGIC, 0)

/*
 * Stores the number of bytes the buffer holds in the __u32 the argument
 * points to.  0x80047801
 */
#define LKCHAR_IOC_GETLEN _IOR(LKCHAR_IOC_MAGIC, 1, __u32)

#endif

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * deferred_ioctl.h — the deferred lab's ioctls on /dev/deferred, shared by
 * the module and the program deferred_ctl.  Each takes a __u32: the
 * delay in milliseconds (timer, work) or the number of ticks (kthread).
 */
#ifndef DEFERRED_IOCTL_H
#define DEFERRED_IOCTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define DEFERRED_IOC_TIMER   _IOW('d', 1, __u32)   /* a timer, in ms */
#define DEFERRED_IOC_WORK    _IOW('d', 2, __u32)   /* delayed work, in ms */
#define DEFERRED_IOC_KTHREAD _IOW('d', 3, __u32)   /* a kthread, ticks */

#endif

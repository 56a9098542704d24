/* SPDX-License-Identifier: GPL-2.0 */
#include <linux/linkage.h>

#define STACK_SIZE 16

# it's an assembler comment, not a directive
SYM_FUNC_START(__switch_to_asm)
	pushq	%rbp
	movq	$STACK_SIZE, %rax
	jmp	__switch_to
SYM_FUNC_END(__switch_to_asm)

SYM_CODE_START_LOCAL(ret_from_fork)
1:	call	schedule_tail
ret_label:
	ret
SYM_CODE_END(ret_from_fork)

# lkchar_init.gdb — gdb in the chardev lab's guest (docs/workbench.md):
#
#   labkit gdb --batch -x labs/chardev/gdb/lkchar_init.gdb 1
#
# A breakpoint on the module's init function, set before the module is
# there (pending), the module loaded in the guest (`guest` types the
# command on its shell and lets it run), gdb stopped in lkchar_init with
# its source line; then where size and greeting came from.
break lkchar_init
guest insmod /lib/modules/$(uname -r)/extra/lkchar.ko size=64 greeting=witaj
info line *$pc
print size
print greeting

# gdb_helper.py — labkit's part of a `labkit gdb` session, sourced by the
# gdbinit labkit writes (tools/lib/run/gdb.c compiles this file in).
#
# It loads a module's symbols where the guest put it, as the kernel's
# lx-symbols does, but needs neither the kernel's gdb scripts nor its debug
# information: a breakpoint on do_init_module (its address read from the
# guest's /proc/kallsyms) finds the module being loaded in its first
# argument, and its sections in mod->sect_attrs, every one of them
# (.init.text too, so that a breakpoint on the module's init function is
# hit).  The offsets of those fields come from the kernel's debug
# information when gdb has it, else from its BTF through pahole (labkit
# passes them).  Modules loaded before gdb came are given by labkit, read
# from /sys/module/<name>/sections.
#
# `guest <command>` types a command on the guest's shell line (through
# labkit's control socket) and continues the guest, so that it runs.
import socket
import struct

import gdb

_state = {'modules': {}, 'offsets': {}, 'loaded': {}, 'control': None}


def _read(addr, n):
    return bytes(gdb.selected_inferior().read_memory(addr, n))


def _u64(addr):
    return struct.unpack('<Q', _read(addr, 8))[0]


def _u32(addr):
    return struct.unpack('<I', _read(addr, 4))[0]


def _string(addr, n=64):
    return _read(addr, n).split(b'\0', 1)[0].decode(errors='replace')


def _field_offset(typename, path):
    """Byte offset of a field path ("battr.attr.name") in a struct, from
    gdb's own types (the kernel's debug information)."""
    t = gdb.lookup_type(typename)
    off = 0
    for name in path.split('.'):
        for f in t.strip_typedefs().fields():
            if f.name == name:
                off += f.bitpos // 8
                t = f.type
                break
        else:
            raise gdb.error(f'no field {name} in {typename}')
    return off


def _offsets_from_types():
    try:
        return {
            'module.name': _field_offset('struct module', 'name'),
            'module.sect_attrs': _field_offset('struct module', 'sect_attrs'),
            'module_sect_attrs.nsections':
                _field_offset('struct module_sect_attrs', 'nsections'),
            'module_sect_attrs.attrs':
                _field_offset('struct module_sect_attrs', 'attrs'),
            'module_sect_attr.size':
                gdb.lookup_type('struct module_sect_attr').sizeof,
            'module_sect_attr.address':
                _field_offset('struct module_sect_attr', 'address'),
            'module_sect_attr.name':
                _field_offset('struct module_sect_attr', 'battr.attr.name'),
        }
    except gdb.error:
        return None


def _sections(mod):
    """The name of the module at `mod` and its sections' addresses."""
    o = _state['offsets']
    name = _string(mod + o['module.name'], 56)
    attrs = _u64(mod + o['module.sect_attrs'])
    sections = {}
    for i in range(_u32(attrs + o['module_sect_attrs.nsections'])):
        a = attrs + o['module_sect_attrs.attrs'] + i * o['module_sect_attr.size']
        sections[_string(_u64(a + o['module_sect_attr.name']))] = \
            _u64(a + o['module_sect_attr.address'])
    return name, sections


def add_symbols(name, sections):
    """The symbols of module `name` (its .ko, if labkit built it) at the
    sections' addresses; those of an earlier load of it dropped."""
    ko = _state['modules'].get(name.replace('-', '_'))
    placed = {s: a for s, a in sections.items() if a}
    if not ko or not placed:
        return
    old = _state['loaded'].get(name)
    if old is not None:
        try:
            gdb.execute(f'remove-symbol-file -a {old:#x}', to_string=True)
        except gdb.error:
            pass
    # .text first, as add-symbol-file's address, when the module has one
    # (a module of only an init and an exit function has none)
    text = placed.pop('.text', None)
    cmd = f'add-symbol-file {ko}' + (f' {text:#x}' if text else '') + \
        ''.join(f' -s {s} {a:#x}' for s, a in sorted(placed.items()))
    gdb.execute(cmd, to_string=True)
    where = text or min(placed.values())
    _state['loaded'][name] = where
    gdb.write(f'labkit: module {name}: symbols of {ko} loaded '
              f'(at {where:#x})\n')


class _ModuleLoad(gdb.Breakpoint):
    """do_init_module(mod): a module is about to run its init function."""

    def __init__(self, spec, arg0):
        super().__init__(spec, internal=True)
        self.silent = True
        self.arg0 = arg0

    def stop(self):
        mod = int(gdb.parse_and_eval(self.arg0)) & 0xffffffffffffffff
        try:
            add_symbols(*_sections(mod))
        except (gdb.error, gdb.MemoryError) as e:
            gdb.write(f'labkit: a module was loaded, its symbols not: {e}\n')
        return False


class _Guest(gdb.Command):
    """guest COMMAND: types COMMAND on the guest's shell line and continues
the guest, so that it runs (its output shows on the terminal)."""

    def __init__(self):
        super().__init__('guest', gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.connect(_state['control'])
            s.sendall(arg.encode() + b'\n')
        try:
            gdb.execute('continue', from_tty)
        except gdb.error as e:
            # the command ended the guest (poweroff): its stub went with it
            gdb.write(f'labkit: the guest is gone ({e})\n')


def _exiting(event):
    """gdb is quitting: the guest goes on (labkit ends it), not killed
    through its stub."""
    try:
        gdb.execute('detach', to_string=True)
    except gdb.error:
        pass


def setup(modules, init_module, arg0, control, offsets=None, loaded=None):
    """modules: name -> .ko; init_module: do_init_module's address, or
    None; arg0: its first argument's register; control: labkit's socket;
    offsets: the struct offsets from pahole, or None; loaded: name ->
    sections of the modules already in the guest."""
    _state['modules'] = {k.replace('-', '_'): v for k, v in modules.items()}
    _state['control'] = control
    _Guest()
    if hasattr(gdb.events, 'gdb_exiting'):
        gdb.events.gdb_exiting.connect(_exiting)
    for name, sections in (loaded or {}).items():
        add_symbols(name, sections)
    _state['offsets'] = _offsets_from_types() or offsets
    if init_module is None or not _state['offsets']:
        gdb.write('labkit: no breakpoint on do_init_module (no address, or '
                  'no struct module offsets): the symbols of modules loaded '
                  'from now on are not loaded\n')
        return
    _ModuleLoad(f'*{init_module:#x}', arg0)

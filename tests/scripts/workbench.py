#!/usr/bin/env python3
"""workbench.py — `labkit shell` and `labkit gdb` driven as a person drives
them, through a pseudo-terminal (labkit is the session leader of a pty of
its own, as in a terminal window).

    workbench.py shell LABKIT BUILD SPEC EXERCISE [MODULE]
        the prompt comes; `uname -r` is the exercise's kernel; MODULE is in
        its root file system and loads; a file written on the host in the
        shared directory is read in the guest, and one written there is on
        the host (QEMU only: not with --no-share); Ctrl-C stops the guest's
        program, not labkit; `poweroff` ends it with exit 0; then Ctrl-] q,
        Ctrl-C while it boots, SIGTERM, a closed terminal and the guest's
        kernel panicking end it too; each time no process of the guest's
        group (its guest.pid) is left.
    workbench.py shell-uml ...   the same for a UML guest, without a share
        or a panic
    workbench.py gdb LABKIT BUILD SPEC EXERCISE MODULE FUNCTION [KFUNCTION]
        `labkit gdb --batch -x` a script that breaks on FUNCTION (the
        module's init) and loads the module in the guest: the breakpoint is
        hit and gdb names the module's source file and line (skipped
        without gdb or pahole); with KFUNCTION (a kernel built with debug:
        true), gdb names that kernel function's source line too, and the
        kernel's gdb scripts answer lx-version.
    workbench.py on-failure LABKIT BUILD SPEC EXERCISE STEP CHECK PATTERN
        `labkit run --shell-on-failure` (with the options the build tree's
        plan gives the exercise): STEP fails, the shell comes after it, in
        the guest as STEP left it (CHECK's output matches PATTERN); Ctrl-] q
        ends the run with exit 0, and the steps after STEP are not run,
        for that reason; no guest process is left.
    workbench.py prompt LABKIT BUILD SPEC EXERCISE [SHELL OPTION...]
        prints the seconds from `labkit shell` to the guest's prompt, then
        leaves it (bench/shell)
    workbench.py command OUT COMMAND
        the same for a shell command (as a doc gives it) that starts a
        labkit shell whose files go to OUT

Exits 0 when all held, 1 with the reason when not, 77 (skipped, with the
reason) when the build tree has no guest for the exercise.
"""
import os
import pty
import re
import select
import signal
import sys
import time

PROMPT = rb'(?m)^[^\n]*[#$] (\x1b\[6n)?$'


def fail(msg):
    print(f'workbench: FAIL: {msg}')
    sys.exit(1)


def ok(msg):
    print(f'workbench: ok: {msg}')


class Pty:
    """A command on a pty of its own, its session's leader."""

    def __init__(self, argv, rows=30, cols=100):
        self.t0 = time.monotonic()
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvp(argv[0], argv)
        import fcntl
        import struct
        import termios
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ,
                    struct.pack('HHHH', rows, cols, 0, 0))
        self.buf = b''
        self.mark = 0
        self.status = None

    def read(self, timeout):
        if self.fd < 0:
            time.sleep(timeout)
            return False
        r, _, _ = select.select([self.fd], [], [], timeout)
        if not r:
            return True
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            return False
        if not data:
            return False
        self.buf += data
        return True

    def expect(self, pattern, timeout, what):
        """Waits until `pattern` shows after the mark; moves the mark."""
        end = time.monotonic() + timeout
        while True:
            m = re.compile(pattern).search(self.buf, self.mark)
            if m:
                self.mark = m.end()
                return m
            left = end - time.monotonic()
            if left <= 0 or not self.read(min(left, 0.5)):
                tail = self.buf[-1500:].decode(errors='replace')
                fail(f'{what}: no {pattern!r} within {timeout} s; the '
                     f'terminal ended with:\n{tail}')

    def send(self, data):
        os.write(self.fd, data)

    def command(self, line, pattern, timeout, what):
        """Types a line; waits for `pattern` and the next prompt."""
        self.send(line.encode() + b'\r')
        m = self.expect(pattern, timeout, what)
        self.expect(PROMPT, timeout, what + ' (the prompt after it)')
        return m

    def wait(self, timeout):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = os.waitstatus_to_exitcode(status)
                return self.status
            self.read(0.2)
        return None

    def close(self):
        try:
            os.close(self.fd)
        except OSError:
            pass
        if self.status is None and self.wait(15) is None:
            os.kill(self.pid, signal.SIGKILL)
            self.wait(5)


def group_count(pgid):
    n = 0
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        try:
            stat = open(f'/proc/{d}/stat').read()
        except OSError:
            continue
        fields = stat[stat.rindex(')') + 2:].split()
        if fields[0] != 'Z' and int(fields[2]) == pgid:
            n += 1
    return n


def guest_pgid(out, since):
    path = os.path.join(out, 'guest.pid')
    end = time.monotonic() + 120
    while time.monotonic() < end:
        try:
            if os.stat(path).st_mtime >= since:
                return int(open(path).read().strip())
        except (OSError, ValueError):
            pass
        time.sleep(0.1)
    fail(f'no {path} was written')


def check_gone(pgid, after):
    end = time.monotonic() + 10
    while group_count(pgid) and time.monotonic() < end:
        time.sleep(0.1)
    left = group_count(pgid)
    if left:
        fail(f'{left} process(es) of guest group {pgid} left after {after}')
    ok(f'no process of guest group {pgid} is left after {after}')


class Lab:
    def __init__(self, labkit, build, spec, exercise):
        self.labkit, self.build, self.spec = labkit, build, spec
        self.exercise = exercise
        self.lab = lab_id(spec)
        plan = os.path.join(build, 'labkit', self.lab, 'grade-plan.yaml')
        self.kernel_dir = plan_value(plan, exercise, 'kernel-dir')
        if not self.kernel_dir:
            why = plan_value(plan, exercise, 'no-guest') or \
                f'{plan} has no guest kernel for exercise {exercise}'
            print(f'workbench: skipped: {why}')
            sys.exit(77)
        self.out = os.path.join(build, 'labkit', self.lab, 'shell', exercise)
        self.share = os.path.join(build, 'share')

    def release(self):
        return open(os.path.join(self.kernel_dir, 'release')).readline().strip()

    def shell(self, *more):
        return Pty([self.labkit, 'shell', '--spec', self.spec, '--build-dir',
                    self.build, *more, self.exercise])

    def up(self, *more):
        """A shell at its prompt, and its guest's process group."""
        since = time.time() - 1
        p = self.shell(*more)
        p.expect(rb'Ctrl-\] q leaves', 240, 'the shell')
        p.expect(PROMPT, 60, 'the first prompt')
        return p, guest_pgid(self.out, since)


def lab_id(spec):
    text = open(spec).read()
    m = re.search(r'(?m)^lab:\s*\n(?:\s+.*\n)*?\s+id:\s*"?([\w.-]+)"?', text)
    return m.group(1)


def plan_value(plan, exercise, key):
    try:
        text = open(plan).read()
    except OSError:
        return None
    m = re.search(r'(?ms)^  - id: "%s"\n(.*?)(?=^  - id:|\Z)' %
                  re.escape(exercise), text)
    v = m and re.search(r'(?m)^      %s: "(.*)"$' % re.escape(key), m.group(1))
    return v.group(1) if v else None


def shell_test(lab, module, share):
    p, pgid = lab.up(*([] if share else ['--no-share']))
    ok(f'the prompt came after {time.monotonic() - p.t0:.1f} s')
    rel = lab.release()
    p.command('uname -r', re.escape(rel.encode()) + rb'\r*\n', 30, 'uname -r')
    ok(f'uname -r in the guest is the exercise\'s kernel, {rel}')
    if module:
        p.command(f'insmod /lib/modules/$(uname -r)/extra/{module}.ko && '
                  f'grep -c "^{module} " /proc/modules',
                  rb'(?m)^1\r*$', 60, f'insmod {module}')
        ok(f'the exercise\'s module {module} is there and loads')
    if share:
        token = f'host-{os.getpid()}-{int(time.time())}'
        with open(os.path.join(lab.share, 'from-host.txt'), 'w') as f:
            f.write(token + '\n')
        p.command('cat /mnt/share/from-host.txt', re.escape(token.encode()),
                  30, 'a host file read in the guest')
        back = f'guest-{token}'
        p.command(f'echo {back} > /mnt/share/from-guest.txt && sync',
                  rb'', 30, 'a file written in the guest')
        got = open(os.path.join(lab.share, 'from-guest.txt')).read().strip()
        if got != back:
            fail(f'the host reads {got!r} in from-guest.txt, not {back!r}')
        ok('a file crosses /mnt/share both ways')
    p.send(b'sleep 300; echo slept\r')
    time.sleep(2)
    p.send(b'\x03')
    p.expect(PROMPT, 20, 'Ctrl-C to the guest\'s sleep')
    if p.wait(0.5) is not None or b'slept' in p.buf[p.mark:]:
        fail('Ctrl-C did not stop the guest\'s program alone')
    ok('Ctrl-C stops the guest\'s program, not labkit')
    p.send(b'poweroff\r')
    rc = p.wait(60)
    if rc != 0:
        fail(f'poweroff: labkit shell exited {rc}, expected 0')
    p.close()
    ok('poweroff ends labkit shell with exit 0')
    check_gone(pgid, 'poweroff')


def shell_ends(lab, share):
    """Ctrl-] q, Ctrl-C while booting, SIGTERM, a closed terminal."""
    more = [] if share else ['--no-share']
    p, pgid = lab.up(*more)
    p.send(b'\x1d?')
    p.expect(rb'Ctrl-\] q leaves', 10, 'Ctrl-] ? (the keys)')
    p.send(b'\x1dq')
    rc = p.wait(30)
    if rc != 0:
        fail(f'Ctrl-] q: labkit shell exited {rc}, expected 0')
    p.close()
    check_gone(pgid, 'Ctrl-] q')

    since = time.time() - 1
    p = lab.shell(*more)
    pgid = guest_pgid(lab.out, since)
    time.sleep(1)
    p.send(b'\x03')                 # the terminal is not raw yet: SIGINT
    rc = p.wait(60)
    if rc != 1:
        fail(f'Ctrl-C while booting: labkit shell exited {rc}, expected 1')
    p.close()
    check_gone(pgid, 'Ctrl-C while the guest booted')

    p, pgid = lab.up(*more)
    os.kill(p.pid, signal.SIGTERM)
    rc = p.wait(30)
    if rc != 1:
        fail(f'SIGTERM: labkit shell exited {rc}, expected 1')
    p.close()
    check_gone(pgid, 'SIGTERM to labkit shell')

    p, pgid = lab.up(*more)
    os.close(p.fd)                  # the terminal window closed
    p.fd = -1
    if p.wait(30) is None:
        fail('a closed terminal did not end labkit shell')
    check_gone(pgid, 'the terminal closed')

    if not share:                   # UML: no sysrq to crash it with
        return
    p, pgid = lab.up(*more)
    p.send(b'[ -e /proc/sysrq-trigger ] || echo no-sysrq; '
           b'echo c > /proc/sysrq-trigger\r')    # the guest's kernel dies
    m = p.expect(rb'(?m)the guest\'s kernel panicked|^no-sysrq', 60,
                 'a panic in the guest')
    if m.group(0) == b'no-sysrq':
        ok('this kernel has no sysrq (tinyconfig): no panic tried')
        leave(p, pgid)
        return
    rc = p.wait(30)
    if rc != 1:
        fail(f'a panic: labkit shell exited {rc}, expected 1')
    p.close()
    check_gone(pgid, 'a panic in the guest')


def gdb_test(lab, module, function, kernel_function=None):
    """labkit gdb --batch: a breakpoint on the module's init function is
    hit when the guest loads the module, at its source file and line; with
    `kernel_function`, the kernel's own debug information names its source
    too, and its gdb scripts answer lx-version."""
    import shutil
    import subprocess
    import tempfile
    for tool, why in (('gdb', 'gdb is not installed (apt install gdb)'),
                      ('pahole', 'pahole is not installed (apt install '
                       'dwarves): labkit gdb finds struct module in the '
                       'kernel\'s BTF with it')):
        if not shutil.which(tool):
            print(f'workbench: skipped: {why}')
            sys.exit(77)
    with tempfile.NamedTemporaryFile('w', suffix='.gdb') as script:
        script.write(f'break {function}\n'
                     f'guest insmod /lib/modules/$(uname -r)/extra/{module}.ko\n'
                     'info line *$pc\n')
        if kernel_function:
            script.write(f'info line {kernel_function}\nlx-version\n')
        script.flush()
        since = time.time() - 1
        try:
            run = subprocess.run([lab.labkit, 'gdb', '--spec', lab.spec,
                                  '--build-dir', lab.build, '--batch', '-x',
                                  script.name, lab.exercise],
                                 stdin=subprocess.DEVNULL,
                                 stdout=subprocess.PIPE,
                                 stderr=subprocess.STDOUT, timeout=300)
        except subprocess.TimeoutExpired as e:
            fail(f'labkit gdb did not end in 300 s (a breakpoint never hit?); '
                 f'its output:\n{(e.output or b"").decode(errors="replace")}')
    out = run.stdout.decode(errors='replace')
    pgid = guest_pgid(os.path.join(lab.build, 'labkit', lab.lab, 'gdb',
                                   lab.exercise), since)
    hit = re.search(r'Breakpoint 1, %s \(.*\) at (\S*/%s\.c):(\d+)' %
                    (re.escape(function), re.escape(module)), out)
    line = re.search(r'Line (\d+) of "(\S*/%s\.c)"' % re.escape(module), out)
    if run.returncode != 0 or not hit or not line:
        fail(f'labkit gdb exited {run.returncode}; its output:\n{out}')
    ok(f'gdb stopped at {function} when the guest loaded {module}: '
       f'{hit.group(1)}:{hit.group(2)}, and names line {line.group(1)}')
    if kernel_function:
        k = re.search(r'Line (\d+) of "(\S+\.c)"[^\n]*<%s' %
                      re.escape(kernel_function), out)
        if not k or 'Linux version' not in out:
            fail(f'no source line of {kernel_function}, or no lx-version, '
                 f'in:\n{out}')
        ok(f'the kernel has its own lines ({kernel_function} at '
           f'{k.group(2)}:{k.group(1)}) and gdb scripts (lx-version)')
    check_gone(pgid, 'labkit gdb --batch')


def on_failure(lab, step, check, pattern):
    plan = os.path.join(lab.build, 'labkit', lab.lab, 'grade-plan.yaml')
    out = os.path.join(lab.build, 'labkit', lab.lab, 'on-failure',
                       lab.exercise)
    argv = [lab.labkit, 'run', '--spec', lab.spec, '--exercise',
            lab.exercise, '--out', out, '--shell-on-failure']
    for key in ('kernel-dir', 'rootfs-dir', 'accel', 'accel-cache'):
        v = plan_value(plan, lab.exercise, key)
        if v:
            argv += [f'--{key}', v]
    ko = re.findall(r'(?m)^        ko: "(.*)"$', open(plan).read())
    argv += [f'--module={os.path.basename(k)[:-3]}={k}' for k in ko]
    since = time.time() - 1
    p = Pty(argv)
    p.expect(rb'%s: ran ' % re.escape(f'{lab.lab}.{step}'.encode()), 240,
             f'step {step}')
    p.expect(rb'Ctrl-\] q leaves', 60, f'the shell after step {step}')
    p.expect(PROMPT, 60, 'its prompt')
    pgid = guest_pgid(out, since)
    p.command(check, pattern.encode(), 30, check)
    ok(f'step {step} failed and the shell came after it: {check!r} '
       f'shows {pattern!r}')
    leave(p, pgid)
    results = open(os.path.join(out, 'results.yaml')).read()
    if not re.search(r'status: not-run\n.*\n?\s*reason: .*handed over to '
                     r'labkit shell after step %s' % re.escape(step), results):
        fail(f'the steps after {step} are not "not-run" for the shell:\n'
             f'{results}')
    ok(f'the steps after {step} were not run: the shell had the guest')


def leave(p, pgid):
    """Ctrl-] q: labkit shell ends, exit 0, its guest gone."""
    p.send(b'\x1dq')
    rc = p.wait(30)
    p.close()
    if rc != 0:
        fail(f'Ctrl-] q: exit {rc}, expected 0')
    check_gone(pgid, 'Ctrl-] q')


def command(out, cmd):
    since = time.time() - 1
    p = Pty(['bash', '-c', cmd])
    p.expect(rb'Ctrl-\] q leaves', 600, cmd)
    p.expect(PROMPT, 300, cmd + ' (its prompt)')
    print(f'{time.monotonic() - p.t0:.3f}')
    leave(p, guest_pgid(out, since))


def main(argv):
    if len(argv) == 4 and argv[1] == 'command':
        command(argv[2], argv[3])
        return 0
    if len(argv) < 6:
        print(__doc__)
        return 2
    mode, labkit, build, spec, exercise = argv[1:6]
    lab = Lab(labkit, build, spec, exercise)
    if mode in ('shell', 'shell-uml'):
        share = mode == 'shell'
        shell_test(lab, argv[6] if len(argv) > 6 else None, share)
        shell_ends(lab, share)
    elif mode == 'gdb' and len(argv) > 7:
        gdb_test(lab, argv[6], argv[7], argv[8] if len(argv) > 8 else None)
    elif mode == 'on-failure' and len(argv) > 8:
        on_failure(lab, argv[6], argv[7], argv[8])
    elif mode == 'prompt':
        p, pgid = lab.up(*argv[6:])
        print(f'{time.monotonic() - p.t0:.3f}')
        leave(p, pgid)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

#!/bin/sh
# doc-commands.sh SRC — every command a user would copy from README.md,
# docs/*.md and the labs' READMEs is run, as written, by a test, a bench
# or CI; or the doc says why it cannot be.  The commands are the lines of
# their code blocks (indented or fenced sh/bash) that start with a
# program a user runs (cmake, ctest, labkit, tools/..., make, cp ...);
# a synopsis with <placeholders> or [options] is not one.
# tests/data/doc-commands.txt says, for each, what runs it:
#
#   <doc>	<command>	test <script>   tests/scripts/<script> has it verbatim
#   <doc>	<command>	bench <script>  bench/<script> has it verbatim
#   <doc>	<command>	ci              .ci/run has it verbatim
#   <doc>	<command>	needs <why>     the doc says "<why>" itself
#
# Fails on a command no line covers, a line whose command is in no doc
# any more, and a runner that does not have the command as written.
set -u
src=$1
python3 - "$src" <<'EOF'
import glob, os, re, sys

src = sys.argv[1]
docs = ['README.md'] + sorted(glob.glob(os.path.join(src, 'docs', '*.md'))) \
    + sorted(glob.glob(os.path.join(src, 'labs', '*', 'README.md')))
docs = [os.path.relpath(d if os.path.isabs(d) else os.path.join(src, d), src)
        for d in docs]
start = re.compile(r'^(cmake|ctest|labkit|build[-\w]*/tools/labkit|tools/|bench/|'
                   r'cp |make |cd |git |sudo |apt |DISTCC_HOSTS=|ccache )')

def commands(doc):
    text = open(os.path.join(src, doc), encoding='utf-8').read().split('\n')
    fence, lang = False, ''
    for l in text:
        if l.startswith('```'):
            fence, lang = not fence, l[3:].strip()
            continue
        if fence and lang not in ('', 'sh', 'bash', 'console', 'shell'):
            continue
        if not fence and not l.startswith('    '):
            continue
        cmd = re.sub(r'\s+#\s.*$', '', l.strip()).rstrip()
        if (not start.match(cmd) or re.search(r'<[a-z][^>]*>|\[[-a-z|]', cmd)
                or '─' in cmd):
            continue
        yield cmd

found = {(d, c) for d in docs for c in commands(d)}
reg = {}
bad = []
for n, line in enumerate(open(os.path.join(src, 'tests/data/doc-commands.txt'),
                              encoding='utf-8'), 1):
    line = line.rstrip('\n')
    if not line or line.startswith('#'):
        continue
    parts = line.split('\t')
    if len(parts) != 3:
        bad.append(f'doc-commands.txt:{n}: want <doc>TAB<command>TAB<runner>')
        continue
    reg[(parts[0], parts[1])] = parts[2]

for key in sorted(found - set(reg)):
    bad.append(f'{key[0]}: no test, bench or CI runs `{key[1]}` (add it to tests/data/doc-commands.txt)')
for key in sorted(set(reg) - found):
    bad.append(f'doc-commands.txt: `{key[1]}` is no longer in {key[0]}')
for (doc, cmd), runner in sorted(reg.items()):
    if (doc, cmd) not in found:
        continue
    kind, _, what = runner.partition(' ')
    where = {'test': 'tests/scripts/', 'bench': 'bench/', 'ci': '.ci/run'}.get(kind)
    if kind == 'needs':
        said = ' '.join(open(os.path.join(src, doc), encoding='utf-8').read().split())
        if ' '.join(what.split()) not in said:
            bad.append(f'{doc}: `{cmd}` needs {what}, and the doc does not say so ("{what}")')
        continue
    if where is None:
        bad.append(f'doc-commands.txt: `{cmd}`: unknown runner "{runner}"')
        continue
    path = os.path.join(src, where + (what if kind != 'ci' else ''))
    if not os.path.isfile(path) or cmd not in open(path, encoding='utf-8').read():
        bad.append(f'{doc}: `{cmd}` is not in {where}{what if kind != "ci" else ""} as written')

for b in bad:
    print('doc-commands: FAIL: ' + b)
if bad:
    sys.exit(1)
print(f'doc-commands: ok: {len(found)} commands in {len(docs)} docs, each run as written or said why not')
EOF

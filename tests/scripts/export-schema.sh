#!/bin/sh
# export-schema.sh LABKIT DATA — the platforms' files of the golden class
# (DATA/grade/class, judged by DATA/grade/labs.yaml: passed, failing,
# not compiling, panicking, an Oops, not graded) checked against each
# platform's documented fields and types, as their documentation gives
# them (the URL over each schema below), and against the class table:
#   - `labkit export --format gradescope,prairielearn,classroom,moodle`
#     and `labkit grade --summary --format ...` write the same files;
#   - each JSON file parses as strict JSON (no NaN, no duplicate keys),
#     has the fields it must, of their types, and no other;
#   - the scores are summary.csv's: Gradescope's score and its tests',
#     PrairieLearn's fraction, the sum of Classroom's runners, Moodle's
#     grade; a student not graded has none of them, and says why.
set -u
labkit=$1 data=$2
tmp=$(mktemp -d /tmp/labkit-export-schema.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "export-schema: FAIL: $*"; exit 1; }

cp -r "$data/grade/class" "$tmp/a"
cp -r "$data/grade/class" "$tmp/b"
printf 'student,email\nalice,alice@example.edu\nbob,bob@example.edu\ncarol,carol@example.edu\ndave,dave@example.edu\neve,eve@example.edu\nfred,fred@example.edu\n' \
	> "$tmp/roster.csv"
"$labkit" export --spec "$data/grade/labs.yaml" -o "$tmp/a" --lang en \
	--format gradescope,prairielearn --format classroom --format moodle \
	--id-column email --roster "$tmp/roster.csv" > "$tmp/export.log" 2>&1 ||
	{ cat "$tmp/export.log"; fail "labkit export failed"; }
"$labkit" grade --spec "$data/grade/labs.yaml" -o "$tmp/b" --summary --lang en \
	--format gradescope,prairielearn,classroom,moodle \
	--id-column email --roster "$tmp/roster.csv" > "$tmp/grade.log" 2>&1
rc=$?
[ $rc -eq 3 ] || { cat "$tmp/grade.log"; fail "labkit grade --summary --format exited $rc, not 3 (fred is not graded)"; }
for f in moodle.csv students/eve/gradescope/results.json \
	 students/fred/prairielearn/results.json students/bob/classroom/env; do
	cmp "$tmp/a/$f" "$tmp/b/$f" || fail "labkit grade --format and labkit export differ in $f"
done
"$labkit" export --spec "$data/grade/labs.yaml" -o "$tmp/a" --format canvas \
	> "$tmp/bad.log" 2>&1 && fail "an unknown format was taken"
grep -q "unknown format 'canvas'" "$tmp/bad.log" || { cat "$tmp/bad.log"; fail "no message for an unknown format"; }

python3 - "$tmp/a" "$tmp/b/summary.csv" <<'EOF' || exit 1
import base64, csv, json, math, os, sys

root = sys.argv[1]
problems = []

def bad(where, what):
    problems.append(f'{where}: {what}')

def strict(path):
    def pairs(items):
        keys = [k for k, _ in items]
        if len(keys) != len(set(keys)):
            bad(path, f'duplicate keys {keys}')
        return dict(items)
    def constant(c):
        raise ValueError(f'{c} is not JSON')
    with open(path, 'rb') as f:
        raw = f.read()
    text = raw.decode('utf-8')            # must be UTF-8
    return json.loads(text, object_pairs_hook=pairs, parse_constant=constant)

NUM = (int, float)

def check(where, obj, schema):
    """schema: {field: (types, required, subschema-or-None)}"""
    if not isinstance(obj, dict):
        bad(where, f'not an object: {obj!r}')
        return
    for k in obj:
        if k not in schema:
            bad(where, f'field {k!r} is not in the documented format')
    for k, (types, required, sub) in schema.items():
        if k not in obj:
            if required:
                bad(where, f'no {k!r}')
            continue
        v = obj[k]
        types = types if isinstance(types, tuple) else (types,)
        if isinstance(v, bool) and bool not in types:
            bad(where, f'{k!r} is a boolean')
        elif not isinstance(v, types):
            bad(where, f'{k!r} is {type(v).__name__}, not {types}')
        elif isinstance(v, float) and not math.isfinite(v):
            bad(where, f'{k!r} is not finite')
        elif sub and isinstance(v, list):
            for i, item in enumerate(v):
                if isinstance(sub, dict):
                    check(f'{where} {k}[{i}]', item, sub)
                elif not isinstance(item, sub):
                    bad(where, f'{k}[{i}] is {type(item).__name__}')
        elif sub and isinstance(v, dict) and isinstance(sub, dict):
            check(f'{where} {k}', v, sub)

VISIBILITY = {'hidden', 'after_due_date', 'after_published', 'visible'}
FORMATS = {'text', 'html', 'simple_format', 'md', 'ansi'}

# Gradescope, "Autograder Specifications", Output format:
# https://gradescope-autograders.readthedocs.io/en/latest/specs/
# (github.com/gradescope/autograder_samples, docs/specs.md)
GRADESCOPE_TEST = {
    'score': (NUM, False, None), 'max_score': (NUM, False, None),
    'status': (str, False, None), 'name': (str, False, None),
    'name_format': (str, False, None), 'number': (str, False, None),
    'output': (str, False, None), 'output_format': (str, False, None),
    'tags': (list, False, str), 'visibility': (str, False, None),
    'extra_data': (dict, False, None),
}
GRADESCOPE = {
    'score': (NUM, False, None), 'execution_time': (NUM, False, None),
    'output': (str, False, None), 'output_format': (str, False, None),
    'test_output_format': (str, False, None),
    'test_name_format': (str, False, None),
    'visibility': (str, False, None), 'stdout_visibility': (str, False, None),
    'extra_data': (dict, False, None), 'tests': (list, False, GRADESCOPE_TEST),
    'leaderboard': (list, False, dict),
}

# PrairieLearn, "External Grading", Grading results:
# https://prairielearn.readthedocs.io/en/latest/externalGrading/
# (github.com/PrairieLearn/PrairieLearn, docs/externalGrading.md)
PL_TEST = {
    'name': (str, True, None), 'description': (str, False, None),
    'points': (NUM, False, None), 'max_points': (NUM, False, None),
    'message': (str, False, None), 'output': (str, False, None),
    'images': (list, False, None),
}
PRAIRIELEARN = {
    'gradable': (bool, False, None), 'score': (NUM, False, None),
    'format_errors': ((str, list), False, None),
    'message': (str, False, None), 'output': (str, False, None),
    'images': (list, False, None), 'tests': (list, False, PL_TEST),
}

# GitHub Classroom's reporter, a runner's result as its graders make it:
# github.com/classroom-resources/autograding-command-grader src/main.js
# (generateResult), read by autograding-grading-reporter src/main.js,
# src/notify-classroom.js, src/console-results.js.
CLASSROOM_TEST = {
    'name': (str, True, None), 'status': (str, True, None),
    'score': (NUM, True, None), 'message': (str, True, None),
    'test_code': (str, True, None), 'filename': (str, True, None),
    'line_no': (int, True, None), 'duration': (int, True, None),
}
CLASSROOM = {
    'version': (int, True, None), 'status': (str, True, None),
    'max_score': (NUM, True, None), 'tests': (list, True, CLASSROOM_TEST),
}

table = {}
with open(sys.argv[2], newline='', encoding='utf-8') as f:
    for row in csv.DictReader(f):
        table[row['student']] = row
if set(table) != {'alice', 'bob', 'carol', 'dave', 'eve', 'fred'}:
    bad('summary.csv', f'students {sorted(table)}')

for name, row in sorted(table.items()):
    graded = row['grading'] == 'graded'
    got = int(row['score']) if graded else None
    most = int(row['max']) if graded else None
    base = os.path.join(root, 'students', name)

    where = f'{name}/gradescope/results.json'
    gs = strict(os.path.join(base, 'gradescope', 'results.json'))
    check(where, gs, GRADESCOPE)
    for t in gs.get('tests', []):
        if t.get('visibility', 'visible') not in VISIBILITY:
            bad(where, f'visibility {t.get("visibility")!r}')
        if t.get('status', 'passed') not in ('passed', 'failed'):
            bad(where, f'status {t.get("status")!r}')
    for k in ('output_format', 'test_output_format', 'test_name_format'):
        if gs.get(k, 'text') not in FORMATS:
            bad(where, f'{k} {gs[k]!r}')
    if gs.get('stdout_visibility', 'hidden') not in VISIBILITY:
        bad(where, 'stdout_visibility')
    if graded:
        if gs.get('score') != got:
            bad(where, f'score {gs.get("score")} is not summary.csv\'s {got}')
        if sum(t['score'] for t in gs['tests']) != got or \
           sum(t['max_score'] for t in gs['tests']) != most:
            bad(where, 'its tests do not add up to summary.csv\'s score')
    else:
        if 'score' in gs or any('score' in t or 'max_score' in t for t in gs['tests']):
            bad(where, 'a student not graded has a score')
        if 'not graded' not in gs.get('output', ''):
            bad(where, 'a student not graded is not told why')

    where = f'{name}/prairielearn/results.json'
    pl = strict(os.path.join(base, 'prairielearn', 'results.json'))
    check(where, pl, PRAIRIELEARN)
    if pl.get('gradable', True) != graded:
        bad(where, f'gradable {pl.get("gradable")} for a student {row["grading"]}')
    if graded:
        if not 0 <= pl['score'] <= 1 or abs(pl['score'] - got / most) > 1e-6:
            bad(where, f'score {pl["score"]} is not {got}/{most}')
    elif 'score' in pl or 'not graded' not in pl.get('message', ''):
        bad(where, 'a student not graded has a score, or is not told why')

    where = f'{name}/classroom'
    runners = open(os.path.join(base, 'classroom', 'runners')).read().strip().split(',')
    env = {}
    for line in open(os.path.join(base, 'classroom', 'env')):
        k, _, v = line.rstrip('\n').partition('=')
        env[k] = v
    if [f'{r.upper()}_RESULTS' for r in runners] != list(env):
        bad(where, f'runners {runners} and variables {list(env)} differ')
    total = top = 0
    for r in runners:
        if not r.isalnum():
            bad(where, f'runner id {r!r} is not letters and digits')
        res = json.loads(base64.b64decode(env[f'{r.upper()}_RESULTS'], validate=True))
        check(f'{where} {r}', res, CLASSROOM)
        for t in res['tests']:
            if t['status'] not in ('pass', 'fail', 'error') or t['status'] != res['status']:
                bad(where, f'{r}: status {t["status"]!r}')
            if not graded and t['status'] != 'error':
                bad(where, f'{r}: a student not graded is not an error')
        # the reporter shows (tests passed / tests) x max_score
        # (src/helpers/test-helpers.js getTestScore) and tells Classroom
        # the tests' scores: the two must agree
        shown = sum(t['status'] == 'pass' for t in res['tests']) / len(res['tests']) * res['max_score']
        if graded and shown != sum(t['score'] for t in res['tests']):
            bad(where, f'{r}: the reporter would show {shown}, Classroom get another score')
        total += sum(t['score'] for t in res['tests'])
        top += res['max_score']
    if graded and (total, top) != (got, most):
        bad(where, f'points {total}/{top}, not summary.csv\'s {got}/{most}')

# Moodle's grade import (grade/import/csv/classes/load_data.php): a
# header, a row per user with a field that names one; a grade '' is no
# grade, else a number; https://docs.moodle.org/en/Grade_import
with open(os.path.join(root, 'moodle.csv'), newline='', encoding='utf-8') as f:
    rows = list(csv.reader(f))
if rows[0] != ['Email address', 'hello', 'Feedback']:
    bad('moodle.csv', f'header {rows[0]}')
seen = set()
for r in rows[1:]:
    if len(r) != 3 or not r[0].endswith('@example.edu'):
        bad('moodle.csv', f'row {r}')
        continue
    name = r[0].split('@')[0]
    seen.add(name)
    row = table[name]
    if row['grading'] == 'graded':
        if r[1] != row['score'] or float(r[1]) != int(row['score']):
            bad('moodle.csv', f'{name}: grade {r[1]!r}, not {row["score"]}')
    elif r[1] != '' or 'not graded' not in r[2]:
        bad('moodle.csv', f'{name}: not graded, but grade {r[1]!r}')
if seen != set(table):
    bad('moodle.csv', f'students {sorted(seen)}')

for p in problems:
    print('export-schema: FAIL: ' + p)
if problems:
    sys.exit(1)
print(f'export-schema: ok: {len(table)} students, four formats, as documented and as summary.csv scores them')
EOF

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that a run_tests.sh output (one VM's) is KTAP the kernel's tooling reads.

    ktap-check.py KSRC NAME OUTPUT.LOG

KSRC is the tree scripts/ksrc.sh extracts (tools/testing/kunit/kunit_parser.py
comes from there); NAME names the run in the result.  Prints one line,
"ok ktap: ..." or "not ok ktap: ...", with "# " diagnostics before it.

The run: a version line first, then the plan (none is allowed: a VM taking
tests from a shared queue cannot know their number), result lines numbered
1, 2, ... in order, as many as the plan says.  Each test's own output, the
subtest indented two spaces above its result line: parsed on its own by
kunit_parser, which must report no error; its plan must be there and
match the cases run.  A test without a plan is named in the result line
(the KTAP specification allows it; kunit_parser mis-nests such a subtest
when it parses the run as a whole).
"""

import io
import re
import signal
import sys

RESULT = re.compile(r'^(not )?ok ([0-9]+)( [^#]*)?( #.*)?$')
VERSION = re.compile(r'^(KTAP version 1|TAP version 1[34])$')
PLAN = re.compile(r'^1\.\.([0-9]+)')


def on_alarm(signum, frame):
    raise TimeoutError('no answer in 30 s')


def main():
    signal.signal(signal.SIGALRM, on_alarm)
    if len(sys.argv) != 4:
        print('usage: ktap-check.py KSRC NAME OUTPUT.LOG', file=sys.stderr)
        return 2
    ksrc, name, path = sys.argv[1:]
    sys.path.insert(0, ksrc + '/tools/testing/kunit')
    import kunit_parser  # pylint: disable=import-outside-toplevel

    with open(path, encoding='utf-8', errors='replace') as f:
        lines = [l.rstrip('\n') for l in f]
    # what comes before the version line is the VM's, not the run's
    start = next((i for i, l in enumerate(lines) if VERSION.match(l)), None)
    if start is None:
        print(f'not ok ktap: {name}: no version line')
        return 1
    lines = lines[start + 1:]

    problems = []
    noplan = []
    plan = None
    results = 0
    block = []
    tests = 0
    for l in lines:
        if l.startswith('  '):
            block.append(l[2:])
            continue
        m = PLAN.match(l)
        if m:
            if results or plan is not None:
                problems.append('the plan is not right after the version line')
            plan = int(m.group(1))
            continue
        m = RESULT.match(l)
        if not m:
            continue  # a diagnostic, or an unknown line
        results += 1
        if int(m.group(2)) != results:
            problems.append(f'result {m.group(2)} where {results} was due')
        test = (m.group(3) or '').strip()
        if block:
            tests += 1
            check_test(kunit_parser, test, block, problems, noplan)
        block = []
    if plan is not None and plan != results:
        problems.append(f'plan 1..{plan}, {results} results')

    for p in problems:
        print(f'# {name}: {p}')
    what = f'{name}: {results} results, {tests} tests parsed by kunit_parser'
    if noplan:
        what += ' (no plan: ' + ', '.join(noplan) + ')'
    print(('not ok' if problems else 'ok') + f' ktap: {what}')
    return 1 if problems else 0


def check_test(kunit_parser, test, block, problems, noplan):
    """One test's KTAP: parsed alone, no error, its plan kept."""
    out = io.StringIO()
    kunit_parser.stdout._output = out  # pylint: disable=protected-access
    signal.alarm(30)  # the parser has loops that malformed input spins
    try:
        t = kunit_parser.parse_run_tests(block)
    except Exception as e:  # pylint: disable=broad-except
        problems.append(f'{test}: kunit_parser failed: {e!r}')
        return
    finally:
        signal.alarm(0)
    for l in out.getvalue().splitlines():
        if '[ERROR]' in l:
            problems.append(f'{test}: ' + re.sub(r'^.*\[ERROR\]\S* ', '', l))
    if not any(VERSION.match(l) for l in block):
        problems.append(f'{test}: no version line')
    if t.expected_count is None:
        if not any(PLAN.match(l) for l in block):
            noplan.append(test)
    elif t.expected_count != len(t.subtests):
        problems.append(f'{test}: plan {t.expected_count}, {len(t.subtests)} cases')


if __name__ == '__main__':
    sys.exit(main())

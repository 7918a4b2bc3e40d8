#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Documentation drift checks, on the host.  Each prints "ok" or "not ok"
# with what differs; the script fails if any check does.
#
#   readme-check.sh               the documentation checks below
#   readme-check.sh -m MODULE.ko  the modinfo checks of one built module
#
# - README.md: every `make TARGET` it shows is a target of the Makefile;
#   every `tsnic` command it shows is in `tools/tsnic/tsnic help`, with the
#   options and the keys (dev set, fault set) it uses;
# - Documentation/tsnic.rst: the ethtool -S counters it lists (between the
#   tsnic-counters markers) are exactly those driver/ethtool.c shows (the
#   tables of driver/stats.c, the fault counters of ethtool.c), each with
#   the TSNIC_A_STATS_* attribute stats.c gives it, and the attributes
#   exactly those of uapi/linux/tsnic.h;
#   the module parameters it lists are exactly those of driver/main.c, and
#   README.md names each of them;
# - with -m: modinfo of the built module shows a description, an author,
#   license GPL, a version (the one in $TSNIC_VERSION, if set), and every
#   parameter of driver/main.c (and no other) with a description.
set -u
here=$(cd "$(dirname "$0")" && pwd)
tree=$(cd "$here/.." && pwd)

ko=
case ${1:-} in
-m) ko=${2:?usage: readme-check.sh [-m MODULE.ko]} ;;
"") ;;
*) echo "usage: readme-check.sh [-m MODULE.ko]" >&2; exit 2 ;;
esac

cli=$tree/tools/tsnic/tsnic
if [ -z "$ko" ] && [ ! -x "$cli" ]; then
	make -s -C "$tree/tools/tsnic" >/dev/null || {
		echo "not ok readme: cannot build tools/tsnic"
		exit 1
	}
fi
help=
[ -n "$ko" ] || help=$("$cli" help 2>&1)

TREE=$tree HELP=$help python3 - ${ko:+"$ko"} <<'EOF'
import os
import re
import subprocess
import sys

tree = os.environ['TREE']
cli_help = os.environ['HELP']
failed = 0


def report(name, problems):
    global failed
    if problems:
        failed += 1
        for p in problems:
            print('#   ' + p)
        print('not ok ' + name)
    else:
        print('ok ' + name)


def read(path):
    with open(os.path.join(tree, path)) as f:
        return f.read()


modinfo_only = len(sys.argv) > 1
readme = read('README.md')
makefile = read('Makefile')
rst = read('Documentation/tsnic.rst')
ethtool_c = read('driver/ethtool.c')
stats_c = read('driver/stats.c')
main_c = read('driver/main.c')
uapi = read('uapi/linux/tsnic.h')


def code_text(md):
    """The code in a Markdown file: fenced blocks and inline spans."""
    out = []
    fenced = False
    for line in md.splitlines():
        if line.lstrip().startswith('```'):
            fenced = not fenced
            continue
        if fenced:
            out.append(line.split('#', 1)[0] if ' #' in line else line)
        else:
            out.extend(re.findall(r'`([^`]+)`', line))
    return out


code = code_text(readme)

params = set(re.findall(r'^module_param(?:_named)?\(\s*(\w+)', main_c, re.M))


def doc_checks():
    # ---- make targets ---------------------------------------------------------
    targets = set()
    for m in re.finditer(r'^\.PHONY\s*:(.*)$', makefile, re.M):
        targets.update(m.group(1).split())
    for m in re.finditer(r'^([A-Za-z][\w.-]*(?:[ \t]+[A-Za-z][\w.-]*)*)[ \t]*:(?!=)',
                         makefile, re.M):
        targets.update(m.group(1).split())

    problems = []
    used = set()
    for line in code:
        for m in re.finditer(r'(?:^|[\s;&|(])make((?:\s+\S+)*)', line):
            words = m.group(1).split()
            for w in words:
                if '=' in w or w.startswith('-'):
                    continue
                if not re.match(r'^[a-z][\w-]*$', w):
                    break
                used.add(w)
                if w not in targets:
                    problems.append(f'README shows `make {w}`: no such target in the Makefile')
                break
    # every target that needs packages installs them first (issue 15, 1)
    lacking = [t for t in ('run', 'check', 'check-debug', 'bench')
               if not re.search(r'^%s:[^\n=]*\bdeps-quick\b' % re.escape(t), makefile, re.M)]
    report('make run, check, check-debug and bench install what they need first'
           ' (deps-quick)', [f'`make {t}` has no deps-quick prerequisite' for t in lacking])
    report(f'readme: make targets ({", ".join(sorted(used))}) exist in the Makefile',
           sorted(set(problems)))

    # ---- tsnic CLI commands -------------------------------------------------------
    usage = [l.strip() for l in cli_help.splitlines()]
    help_words = set(re.findall(r'[\w-]+', cli_help))
    # placeholders such as KIND-every, with "KIND: a b c" listing the kinds
    for m in re.finditer(r'\b([A-Z]+)-([a-z][\w-]*)', cli_help):
        kinds = re.search(r'\b' + m.group(1) + r':\s*(.*)', cli_help)
        for k in kinds.group(1).split() if kinds else []:
            help_words.add(k + '-' + m.group(2))
    help_opts = set(re.findall(r'(?<![\w-])(-[A-Za-z])\b', cli_help))
    objcmds = set()
    for l in usage:
        m = re.search(r'\btsnic\s+(?:\[[^\]]*\]\s+)*([a-z]+)(?:\s+([a-z]+))?', l)
        if m and m.group(1) not in ('OBJECT',):
            objcmds.add((m.group(1), m.group(2)))
    objs = {o for o, _ in objcmds}

    problems = []
    ncmds = 0
    for line in code:
        for m in re.finditer(r'(?:^|[\s;&|(]|sudo\s|exec\s\S+\s)tsnic\s+(.*)', line):
            rest = m.group(1).split('#', 1)[0]
            words = [w for w in re.split(r'\s+', rest.strip()) if w]
            words = [w.strip('[]') for w in words if w not in ('...', '\\')]
            words = [w for w in words if w]
            opts = []
            i = 0
            while i < len(words) and words[i].startswith('-'):
                opts.append(words[i])
                if words[i] == '-n':
                    i += 1
                i += 1
            rest = words[i:]
            if not rest or rest[0] not in objs and not re.match(r'^[a-z]+$', rest[0]):
                continue        # not a command of the CLI (a path, a name)
            ncmds += 1
            cmd = rest[1] if len(rest) > 1 else None
            if rest[0] == 'help':
                cmd = None
            if (rest[0], cmd) not in objcmds:
                problems.append(f'README shows `tsnic {" ".join(words)}`: '
                                f'"{rest[0]} {cmd or ""}" is not in `tsnic help`')
                continue
            opts += [w for w in rest if re.match(r'^-[A-Za-z]$', w)]
            for o in opts:
                if o not in help_opts:
                    problems.append(f'README shows option {o} of tsnic: not in `tsnic help`')
            if cmd == 'set':
                # DEV, then KEY VALUE pairs
                for k in rest[3::2]:
                    if k not in help_words:
                        problems.append(f'README shows `tsnic {rest[0]} set ... {k}`: '
                                        f'"{k}" is not in `tsnic help`')
    report(f'readme: the {ncmds} tsnic commands shown are in `tsnic help`', problems)

    # ---- ethtool -S counters: Documentation/tsnic.rst vs driver/ethtool.c ------------
    # the name lists: plain strings in ethtool.c; the counter tables of
    # stats.c, each entry MACRO("name", ATTR, field), and the tables that
    # point at them
    arrays = {}
    attrs = {}
    for m in re.finditer(r'static const char \* const\s+(tsnic_\w+)\[\]\s*=\s*\{(.*?)\};',
                         ethtool_c, re.S):
        arrays[m.group(1)] = re.findall(r'"([^"]+)"', m.group(2))
    for m in re.finditer(r'static const struct tsnic_stat\s+(tsnic_\w+)\[\]\s*=\s*\{(.*?)\};',
                         stats_c, re.S):
        ents = re.findall(r'\(\s*"([^"]+)",\s*([A-Z][A-Z0-9_]*)\s*,', m.group(2))
        arrays[m.group(1)] = [n for n, _ in ents]
        attrs[m.group(1)] = dict(ents)
    for m in re.finditer(r'const struct tsnic_stat_table\s+(tsnic_\w+)\s*=\s*\{\s*'
                         r'\.stats\s*=\s*(tsnic_\w+)', stats_c):
        arrays[m.group(1)] = arrays.get(m.group(2), [])
        attrs[m.group(1)] = attrs.get(m.group(2), {})
    code_ctrs = set()
    code_attr = {}
    gs = ethtool_c[ethtool_c.find('tsnic_get_strings'):]
    gs = gs[:gs.find('\n}\n')]
    for m in re.finditer(r'ethtool_(puts|sprintf)\(&p,\s*(?:"([^"]*)",\s*\w+,\s*)?'
                         r'(tsnic_\w+)(?:\.stats)?\[', gs):
        fmt, arr = m.group(2), m.group(3)
        for n in arrays.get(arr, []):
            shown = fmt.replace('%u', '<N>').replace('%s', n) if fmt else n
            code_ctrs.add(shown)
            if n in attrs.get(arr, {}):
                code_attr[shown] = attrs[arr][n]
    b = rst.find('.. tsnic-counters-begin')
    e = rst.find('.. tsnic-counters-end')
    doc_ctrs = set()
    doc_attrs = set()
    doc_attr = {}
    if b >= 0 and e > b:
        for line in rst[b:e].splitlines():
            m = re.match(r'^``([a-z][\w<>]*)``\s+(?:``([A-Z][A-Z0-9_]*)``)?', line)
            if m:
                doc_ctrs.add(m.group(1))
                if m.group(2):
                    doc_attrs.add(m.group(2))
                    doc_attr[m.group(1)] = m.group(2)
    problems = []
    if not code_ctrs:
        problems.append('no counter names found in driver/ethtool.c and driver/stats.c'
                        ' (parser out of date?)')
    if not doc_ctrs:
        problems.append('no counter table between the tsnic-counters markers of tsnic.rst')
    for n in sorted(code_ctrs - doc_ctrs):
        problems.append(f'ethtool -S counter {n} (driver/ethtool.c) is not in Documentation/tsnic.rst')
    for n in sorted(doc_ctrs - code_ctrs):
        problems.append(f'Documentation/tsnic.rst lists counter {n}: not in driver/ethtool.c')
    for n in sorted(set(code_attr) & set(doc_attr)):
        if code_attr[n] != doc_attr[n]:
            problems.append(f'counter {n} is TSNIC_A_STATS_{code_attr[n]} in driver/stats.c, '
                            f'TSNIC_A_STATS_{doc_attr[n]} in Documentation/tsnic.rst')
    for n in sorted(set(code_attr) - set(doc_attr)):
        problems.append(f'counter {n}: tsnic.rst does not name its attribute '
                        f'TSNIC_A_STATS_{code_attr[n]}')
    report(f'docs: the {len(code_ctrs)} ethtool -S counters match Documentation/tsnic.rst',
           problems)

    # ---- netlink counters: TSNIC_A_STATS_* ----------------------------------------
    m = re.search(r'(TSNIC_A_STATS_PAD\b.*?)__TSNIC_A_STATS_MAX', uapi, re.S)
    uapi_attrs = set(re.findall(r'TSNIC_A_STATS_(\w+)', m.group(1) if m else '')) - {'PAD'}
    problems = []
    for n in sorted(uapi_attrs - doc_attrs):
        problems.append(f'TSNIC_A_STATS_{n} (uapi) is not in the counter tables of tsnic.rst')
    for n in sorted(doc_attrs - uapi_attrs):
        problems.append(f'tsnic.rst names TSNIC_A_STATS_{n}: not in uapi/linux/tsnic.h')
    report(f'docs: the {len(uapi_attrs)} TSNIC_A_STATS attributes match Documentation/tsnic.rst',
           problems)

    # ---- module parameters ------------------------------------------------------------
    descs = set(re.findall(r'^MODULE_PARM_DESC\(\s*(\w+)', main_c, re.M))
    pb = rst.find('Module parameters\n')
    ptab = rst[pb:rst.find('\nLimitations\n')] if pb >= 0 else ''
    doc_params = set(re.findall(r'^``(\w+)``\s', ptab, re.M))
    problems = []
    for n in sorted(params - doc_params):
        problems.append(f'module parameter {n} (driver/main.c) is not in tsnic.rst')
    for n in sorted(doc_params - params):
        problems.append(f'tsnic.rst lists module parameter {n}: not in driver/main.c')
    for n in sorted(params - descs):
        problems.append(f'module parameter {n} has no MODULE_PARM_DESC')
    for n in sorted(params):
        if not re.search(r'`' + n + r'`', readme):
            problems.append(f'README.md does not name module parameter {n}')
    report(f'docs: the {len(params)} module parameters match tsnic.rst and README.md',
           problems)


# ---- modinfo of a built module --------------------------------------------------------
if not modinfo_only:
    doc_checks()
for ko in sys.argv[1:]:
    problems = []

    def field(f):
        r = subprocess.run(['modinfo', '-F', f, ko], capture_output=True, text=True)
        if r.returncode:
            problems.append(f'modinfo -F {f}: {r.stderr.strip()}')
        return r.stdout.strip()

    for f in ('description', 'author', 'version'):
        if not field(f):
            problems.append(f'modinfo shows no {f}')
    lic = field('license')
    if lic != 'GPL':
        problems.append(f'license is "{lic}", not GPL')
    want = os.environ.get('TSNIC_VERSION')
    ver = field('version')
    if want and ver != want:
        problems.append(f'version is "{ver}", the build said "{want}"')
    shown = {}
    for line in field('parm').splitlines():
        name, _, desc = line.partition(':')
        shown[name] = re.sub(r'\s*\(\w+\)$', '', desc).strip()
    for n in sorted(params):
        if n not in shown:
            problems.append(f'parameter {n} is not in modinfo')
        elif not shown[n]:
            problems.append(f'parameter {n} has no description in modinfo')
    for n in sorted(set(shown) - params):
        problems.append(f'modinfo shows parameter {n}, driver/main.c has none')
    report(f'modinfo {os.path.relpath(ko, tree) if ko.startswith(tree) else ko}: '
           f'description, author, license GPL, version {ver}, '
           f'{len(shown)} parameters described', problems)

sys.exit(1 if failed else 0)
EOF

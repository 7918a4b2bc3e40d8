#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The ablation table: ratios of each commit's boot (bench/ablation.sh).

ablation.py KVER LABEL=REV=DATADIR...  -> Markdown on stdout

Each DATADIR holds guest.sh's pktgen.txt and udp.txt of one boot.  A ratio
is the median over rounds of the per-round ratio (the same round shares
the machine's noise), min-max in brackets, as in report.md.
"""
import os
import statistics
import sys


def rows(path):
    try:
        with open(path) as f:
            return [line.split() for line in f.readlines()[1:]]
    except OSError:
        return []


def ratio(a, b):
    rs = [a[k] / b[k] for k in a if k in b and b[k]]
    if not rs:
        return "n/a"
    return f"{statistics.median(rs):.2f} ({min(rs):.2f}-{max(rs):.2f})"


def main():
    kver, runs = sys.argv[1], sys.argv[2:]
    print(f"# Ablation: what each change bought ({kver})")
    print()
    print("Each row is one boot of the VM running one commit's driver (`bench/ablation.sh`,")
    print("`BENCH_REV`), 60-byte frames, one pktgen thread and the UDP socket sender, the")
    print("cases interleaved round by round; the ratios are against `veth` and `dummy`")
    print("measured in the same boot (median of the per-round ratios, min-max).")
    print("*static* is an unwired tsnic with `ethtool -C adaptive-tx off` (the fixed")
    print("10 us / 32-frame moderation) in the same boot, where the commit has adaptive-tx.")
    print()
    print("| change | commit | tsnic/veth | tsnic-wired/veth | tsnic/dummy | static/veth | tx-usecs 0/veth | UDP tsnic/veth |")
    print("|---|---|---|---|---|---|---|---|")
    for run in runs:
        label, rev, data = run.split("=", 2)
        pk = {}
        for r in rows(os.path.join(data, "pktgen.txt")):
            if len(r) >= 7 and r[3] == "60" and r[4] == "1":
                pk.setdefault(r[2], {})[r[0]] = int(r[5])
        up = {}
        for r in rows(os.path.join(data, "udp.txt")):
            if len(r) >= 5 and r[3] == "60":
                up.setdefault(r[2], {})[r[0]] = float(r[4])
        veth, dummy = pk.get("veth", {}), pk.get("dummy", {})
        print(f"| {label} | `{rev}` | {ratio(pk.get('tsnic', {}), veth)} | "
              f"{ratio(pk.get('tsnic-wired', {}), veth)} | {ratio(pk.get('tsnic', {}), dummy)} | "
              f"{ratio(pk.get('tsnic-static', {}), veth)} | {ratio(pk.get('tsnic-usecs0', {}), veth)} | "
              f"{ratio(up.get('tsnic', {}), up.get('veth', {}))} |")


if __name__ == "__main__":
    main()

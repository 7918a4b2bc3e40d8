#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn one kernel's raw benchmark data (bench/guest.sh) into a Markdown
report and PNG plots (gnuplot).

usage: report.py RAWDIR OUTDIR [--prefix P]

RAWDIR is $TSNIC_BUILD/bench-raw/KVER (host.txt, qemu-cmdline.txt, data/);
OUTDIR gets P + "report.md" and P + "*.png", and the plotted series under
OUTDIR/P + "data/".
"""
import json
import math
import os
import re
import subprocess
import sys

raw, outdir = sys.argv[1], sys.argv[2]
prefix = ""
if len(sys.argv) > 4 and sys.argv[3] == "--prefix":
    prefix = sys.argv[4]
data = os.path.join(raw, "data")
plotdir = os.path.join(outdir, prefix + "data")
os.makedirs(plotdir, exist_ok=True)
md = []


def out(s=""):
    md.append(s)


def readkv(path):
    kv = {}
    if not os.path.exists(path):
        return kv
    for line in open(path):
        k, sep, v = line.rstrip("\n").partition("=")
        if sep:
            kv[k] = v
    return kv


def readlines(path):
    return open(path).read().splitlines() if os.path.exists(path) else []


def pct(vals, p):
    """Percentile p (0-100) by linear interpolation."""
    v = sorted(vals)
    if not v:
        return float("nan")
    k = (len(v) - 1) * p / 100.0
    lo = math.floor(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def med(vals):
    return pct(vals, 50)


def fmt(x, nd=1):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:,.{nd}f}"


def gnuplot(script):
    r = subprocess.run(["gnuplot"], input=script, text=True, capture_output=True)
    if r.returncode:
        sys.stderr.write(r.stderr)


def png(name):
    return os.path.join(outdir, prefix + name)


def dat(name):
    return os.path.join(plotdir, name)


TERM = "set terminal pngcairo size 900,520 font 'DejaVu Sans,10'\n"
try:
    subprocess.run(["gnuplot", "-e", "set terminal pngcairo"], check=True,
                   capture_output=True)
except (subprocess.CalledProcessError, FileNotFoundError):
    TERM = "set terminal png size 900,520\n"

meta = readkv(os.path.join(data, "meta.txt"))
host = readkv(os.path.join(raw, "host.txt"))
qemu = " ".join(readlines(os.path.join(raw, "qemu-cmdline.txt")))
kernel = meta.get("kernel", "?")
quick = meta.get("quick") == "1"

out(f"# tsnic benchmarks: {kernel}")
out()
if quick:
    out("**Quick smoke run (one short round): the numbers are not meaningful.**")
    out()
out("Every number below comes from ONE boot of the VM, tsnic measured side by side")
out("with the kernel's `dummy` and `veth` drivers, cases interleaved round by round,")
out("so that the noise of the shared machine hits all of them alike: read the")
out("ratios, not the absolute rates (the VM runs under TCG, i.e. a CPU emulator).")
out()
out("## Setup")
out()
out(f"- Kernel: `{kernel}` (`{meta.get('kernel_build', '?')}`)")
out(f"- Guest: {meta.get('nproc', '?')} vCPUs, {int(meta.get('mem_kb', '0')) // 1024} MiB, "
    f"CPU model \"{meta.get('cpu', '?')}\", clocksource {meta.get('clocksource', '?')}")
out(f"- Host: {host.get('host_nproc', '?')} cores ({host.get('host_cpu', '?')}); "
    f"run {host.get('host_start', '?')} to {host.get('host_end', '?')}, "
    f"wall time {host.get('wall_s', '?')} s (boot included)")
maxq = int(host.get("host_max_qemu_during", "1") or 1)
shared = maxq > 1
out(f"- Host load average at start / end: {host.get('host_load_start', '?')} / "
    f"{host.get('host_load_end', '?')}; up to {maxq} qemu processes were running "
    "on the host during the run" +
    (f" (this VM and {maxq - 1} other: **the machine was shared with other VM runs**, "
     "which is why only same-boot ratios are meaningful)." if shared else " (this VM only)."))
out(f"- Guest clocksource `{meta.get('clocksource', '?')}` (available: {meta.get('clocksources', '?')}); "
    f"one `clock_gettime(CLOCK_MONOTONIC_RAW)` costs {meta.get('clock_read_ns', '?')} ns in the guest "
    "(`bench/clockcost.c`)")
out(f"- ptp4l: {meta.get('ptp4l', '?')}; {meta.get('iperf3', '?')}")
out("- Command: `" + host.get("make_cmd", "make bench") + "`; tree `" + host.get("tree", "?") + "`" +
    (f" with {host.get('driver_changes')} uncommitted file(s) in driver/ and uapi/ (work in progress"
     " of other engineers at the time)" if host.get("driver_changes", "0") not in ("0", "") else ""))
out("- Durations: " + ", ".join(f"{k}={meta.get(k, '?')}" for k in (
    "rounds", "pg_s", "udp_s", "bql_s", "bql_warm", "bql_flows", "ts_n",
    "ts_bursts", "ts_burst_len", "ptp_s", "ptp_win", "scale_n", "scale_rounds", "scale_graph_n",
    "scale_idle_s", "scale_trace_s", "sync_s", "sync_win")) +
    " (seconds, counts; see the sections)")
out()
out("qemu command line (TCG, multi-threaded; the guest's root is the host's, over 9p):")
out()
out("```")
out(qemu or "(not captured)")
out("```")
out()
out("Guest kernel command line: `" + meta.get("cmdline", "?") + "`")
out()
out("<details><summary>Commands run in the guest</summary>")
out()
out("```")
for line in readlines(os.path.join(data, "commands.txt")):
    out(line)
out("```")
out()
out("</details>")
out()
headline = []

# ---------------------------------------------------------------------------
# 1. TX packet rate
# ---------------------------------------------------------------------------
out("## 1. TX packet rate")
out()
rows = [l.split() for l in readlines(os.path.join(data, "pktgen.txt"))[1:]]
devs = ["tsnic", "tsnic-wired", "dummy", "veth", "tsnic-usecs0", "tsnic-static"]
pk = {}      # (dev, size, threads) -> {round: pps}
extra = {}   # (dev, size, threads) -> list of (tx_dropped, peer_rx, peer_dropped, packets)
for r in rows:
    if len(r) < 11:
        continue
    rnd, _case, dev, size, nt, pps, packets = r[0], r[1], r[2], int(r[3]), int(r[4]), int(r[5]), int(r[6])
    pk.setdefault((dev, size, nt), {})[rnd] = pps
    extra.setdefault((dev, size, nt), []).append((int(r[8]), int(r[9]), int(r[10]), packets))
cases = sorted({(s, n) for (_d, s, n) in pk})


def ratio_stats(a, b, s, n):
    """median, min, max of the per-round ratio a/b (same round: same noise)."""
    ra, rb = pk.get((a, s, n), {}), pk.get((b, s, n), {})
    rs = [ra[k] / rb[k] for k in ra if k in rb and rb[k]]
    if not rs:
        return None
    return med(rs), min(rs), max(rs)


def rfmt(t):
    return "n/a" if not t else f"{t[0]:.2f} ({t[1]:.2f}-{t[2]:.2f})"


if rows:
    out("pktgen hands frames straight to `ndo_start_xmit` (no qdisc, no socket), one")
    out("kernel thread per TX queue, `clone_skb 0` (a fresh skb per frame), `count 0`")
    out(f"stopped after {meta.get('pg_s', '?')} s, {meta.get('rounds', '?')} rounds, the {len(cases) * len(devs)} cases interleaved in each")
    out("round.  tsnic at unlimited line rate (module default `rate=0`), interrupt moderation")
    out("at its defaults (`adaptive-tx on`: the kernel's DIM picks each queue's delay) except")
    out("*tsnic-usecs0*, an unwired tsnic with `ethtool -C adaptive-tx off tx-usecs 0` (an interrupt")
    out("per engine run, no moderation timer), and *tsnic-static*, an unwired tsnic with `adaptive-tx off`")
    out("(the fixed `tx-usecs 10`, `tx-frames 32` that were the defaults before adaptive-tx).  Sizes are")
    out("pktgen's `pkt_size`, the frame without FCS (60 = the 64-byte minimum frame).")
    out("*tsnic* is an unwired device (frames leave into the counted sink), *tsnic-wired*")
    out("is wired to a peer tsnic whose RX NAPI receives every frame; *veth*'s peer")
    out("receives through the backlog (`netif_rx`).  Both peers drop the frames in")
    out("`ip_rcv` (PACKET_OTHERHOST).  Rates in kpps: median (min-max) over rounds;")
    out("ratios are medians (min-max) of the per-round ratios.")
    out()
    out("| frame | threads | " + " | ".join(devs) +
        " | tsnic/veth | tsnic-wired/veth | tsnic/dummy | tsnic-usecs0/veth | tsnic-static/veth |")
    out("|---|---|" + "---|" * (len(devs) + 5))
    with open(dat("pktgen.dat"), "w") as f:
        f.write("# case " + " ".join(f"{d}_med {d}_min {d}_max" for d in devs) + "\n")
        for s, n in cases:
            cells = []
            f.write(f'"{s} B, {n} thr"')
            for d in devs:
                v = list(pk.get((d, s, n), {}).values())
                if v:
                    cells.append(f"{med(v) / 1e3:.0f} ({min(v) / 1e3:.0f}-{max(v) / 1e3:.0f})")
                    f.write(f" {med(v) / 1e3:.1f} {min(v) / 1e3:.1f} {max(v) / 1e3:.1f}")
                else:
                    cells.append("n/a")
                    f.write(" 0 0 0")
            f.write("\n")
            tv, twv, td, tzv, tsv = (ratio_stats("tsnic", "veth", s, n), ratio_stats("tsnic-wired", "veth", s, n),
                                     ratio_stats("tsnic", "dummy", s, n), ratio_stats("tsnic-usecs0", "veth", s, n),
                                     ratio_stats("tsnic-static", "veth", s, n))
            out(f"| {s} B | {n} | " + " | ".join(cells) +
                f" | {rfmt(tv)} | {rfmt(twv)} | {rfmt(td)} | {rfmt(tzv)} | {rfmt(tsv)} |")
            if s == 60:
                headline.append(f"pktgen 60 B, {n} thread(s): tsnic/veth {rfmt(tv)}, "
                                f"tsnic-wired/veth {rfmt(twv)}, tsnic/dummy {rfmt(td)}; "
                                f"with tx-usecs 0, tsnic/veth {rfmt(tzv)}; fixed 10 us moderation, {rfmt(tsv)}")
    out()
    out(f"![TX packet rate]({prefix}tx-pktgen.png)")
    out()
    gnuplot(TERM + f"""
set output '{png("tx-pktgen.png")}'
set title 'pktgen TX rate, median and min-max over rounds ({kernel}, TCG)'
set ylabel 'kpps'
set style data histogram
set style histogram errorbars gap 2 lw 1
set style fill solid 0.7 border -1
set key top right
set yrange [0:*]
set grid ytics
plot '{dat("pktgen.dat")}' using 2:3:4:xtic(1) title 'tsnic (sink)', \\
     '' using 5:6:7 title 'tsnic wired', '' using 8:9:10 title 'dummy', '' using 11:12:13 title 'veth', \\
     '' using 14:15:16 title 'tsnic (sink), tx-usecs 0', '' using 17:18:19 title 'tsnic (sink), fixed 10 us'
""")
    # what happened to the frames
    out("Where the frames went (sums over all rounds): frames pktgen handed over, frames")
    out("the sender counted as dropped (`tx_dropped`), received and dropped at the peer:")
    out()
    out("| device | frame | threads | handed to xmit | tx_dropped | peer rx_packets | peer rx_dropped |")
    out("|---|---|---|---|---|---|---|")
    for (d, s, n), v in sorted(extra.items()):
        if d in ("tsnic-wired", "veth"):
            out(f"| {d} | {s} B | {n} | {sum(x[3] for x in v):,} | {sum(x[0] for x in v):,} | "
                f"{sum(x[1] for x in v):,} | {sum(x[2] for x in v):,} |")
    out()

# UDP socket sender
urows = [l.split() for l in readlines(os.path.join(data, "udp.txt"))[1:]]
if urows:
    up = {}
    uextra = {}
    for r in urows:
        rnd, dev, size, pps = r[0], r[2], int(r[3]), float(r[4])
        up.setdefault((dev, size), {})[rnd] = pps
        uextra.setdefault((dev, size), []).append((int(r[5]), int(r[6]), int(r[8])))
    out("### UDP socket sender")
    out()
    out(f"`bench/udpsend.c`: one `send()` per datagram on a connected UDP socket, as fast as")
    out(f"the stack takes them, {meta.get('udp_s', '?')} s per case, the whole stack (socket, IP, neighbour,")
    out("qdisc: tsnic gets the default `pfifo_fast`/`mq`, veth is `noqueue`), into a peer")
    out("in another namespace whose socket never reads.  kpps accepted by `send()`:")
    out()
    out("| frame | tsnic | veth | tsnic/veth | refused sends (tsnic / veth) | peer received (tsnic / veth) |")
    out("|---|---|---|---|---|---|")
    with open(dat("udp.dat"), "w") as f:
        for s in sorted({k[1] for k in up}):
            a, b = up.get(("tsnic", s), {}), up.get(("veth", s), {})
            rs = [a[k] / b[k] for k in a if k in b and b[k]]
            rt = (med(rs), min(rs), max(rs)) if rs else None
            va, vb = list(a.values()), list(b.values())
            ea, eb = uextra.get(("tsnic", s), []), uextra.get(("veth", s), [])
            out(f"| {s} B | {med(va) / 1e3:.0f} ({min(va) / 1e3:.0f}-{max(va) / 1e3:.0f}) | "
                f"{med(vb) / 1e3:.0f} ({min(vb) / 1e3:.0f}-{max(vb) / 1e3:.0f}) | {rfmt(rt)} | "
                f"{sum(x[1] for x in ea):,} / {sum(x[1] for x in eb):,} | "
                f"{sum(x[2] for x in ea):,} / {sum(x[2] for x in eb):,} |")
            f.write(f'"{s} B" {med(va) / 1e3:.1f} {min(va) / 1e3:.1f} {max(va) / 1e3:.1f} '
                    f'{med(vb) / 1e3:.1f} {min(vb) / 1e3:.1f} {max(vb) / 1e3:.1f}\n')
            headline.append(f"UDP socket sender {s} B: tsnic/veth {rfmt(rt)}")
    out()
    out(f"![UDP sender rate]({prefix}tx-udp.png)")
    out()
    gnuplot(TERM.replace("900,520", "600,420") + f"""
set output '{png("tx-udp.png")}'
set title 'UDP socket sender, median and min-max ({kernel})'
set ylabel 'kpps'
set style data histogram
set style histogram errorbars gap 2 lw 1
set style fill solid 0.7 border -1
set yrange [0:*]
set grid ytics
plot '{dat("udp.dat")}' using 2:3:4:xtic(1) title 'tsnic wired', '' using 5:6:7 title 'veth'
""")

# perf profiles: recorded in the guest, reported here against its kallsyms
# the symbols an idle vCPU's samples land in (self time), across kernels
IDLE_SYMS = {"pv_native_safe_halt", "native_safe_halt", "default_idle", "default_idle_call",
             "arch_cpu_idle", "cpu_idle_poll", "acpi_safe_halt", "acpi_idle_do_entry",
             "do_idle", "cpuidle_enter_state", "mwait_idle", "intel_idle"}


def perf_top(d, n=22):
    """The top symbols by self time over the busy samples (idle ones left
    out, the rest renormalised), and the busy share of all samples."""
    pdata = os.path.join(data, f"perf-{d}.data")
    if not os.path.exists(pdata):
        return None
    try:
        r = subprocess.run(["perf", "report", "-i", pdata, "--stdio", "--no-children",
                            "--sort", "sym", "--percent-limit", "0", "-f", "-q",
                            "--kallsyms", os.path.join(data, "kallsyms.txt")],
                           capture_output=True, text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired):
        return None
    rows = []
    for line in r.stdout.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+\[(.)\]\s+(\S+)", line)
        if m:
            rows.append((float(m.group(1)), m.group(2), m.group(3)))
    busy = sum(p for p, _, sym in rows if sym not in IDLE_SYMS)
    if busy <= 0:
        return None
    top = [f"{100 * p / busy:7.2f}%  [{k}] {sym}" for p, k, sym in rows
           if sym not in IDLE_SYMS and 100 * p / busy >= 0.5]
    return busy, top[:n]


perfs = []
for d in ("ptw0", "pve0", "pts", "pdm"):
    top = perf_top(d)
    if top:
        perfs.append((d, top))
if perfs:
    names = {"ptw0": "tsnic wired", "pve0": "veth", "pts": "tsnic (sink)", "pdm": "dummy"}
    out("### Where the CPU time goes (perf, 60 B, 1 thread)")
    out()
    out("`perf record -e cpu-clock -F 999 -a` in the guest over one pktgen case per device")
    out("(software clock samples on both vCPUs), switched on for the traffic only, reported on")
    out("the host against the guest's kallsyms.  The idle vCPU's samples are left out; the top")
    out("symbols by self time, in percent of the busy samples.  Read them as approximate: TCG")
    out("takes the sampling interrupt only between translated blocks, so samples gather where")
    out("blocks end (`pktgen_thread_worker`'s own loop shows large); the `tx-usecs 0` ablation")
    out("below is the direct measurement.")
    out()
    for d, (busy, top) in perfs:
        pps = " ".join(readlines(os.path.join(data, f"perf-{d}-pps.txt"))).split()
        out(f"<details><summary>{names[d]}"
            + (f" ({int(pps[0]) / 1e3:.0f} kpps while profiled)" if pps else "")
            + f": {busy:.0f} % of the samples busy</summary>")
        out()
        out("```")
        for line in top:
            out(line)
        out("```")
        out()
        out("</details>")
        out()

# tsnic counters after section 1
for d in ("ptw0",):
    p = os.path.join(data, f"ethtool-{d}.txt")
    if os.path.exists(p):
        c = {}
        for line in readlines(p):
            m = re.match(r"\s*(\S+):\s+(\d+)", line)
            if m:
                c[m.group(1)] = int(m.group(2))

        def qsum(name):
            return sum(v for k, v in c.items() if re.fullmatch(rf"tx_queue_\d+_{name}", k))
        fr = qsum("frames")
        if fr:
            out("tsnic-wired's TX counters over all of section 1 (`ethtool -S`): "
                f"{fr:,} frames, {qsum('doorbells'):,} doorbells "
                f"({qsum('doorbells') / fr:.2f} per frame), {qsum('napi_polls'):,} completion NAPI polls "
                f"({fr / max(1, qsum('napi_polls')):.1f} frames per poll), {qsum('irqs'):,} engine interrupts, "
                f"{qsum('stops'):,} queue stops, {qsum('busy'):,} NETDEV_TX_BUSY, "
                f"{qsum('peer_drops'):,} frames dropped at the peer's RX FIFO.")
            out()

# where the time goes, per frame, from the medians and the code path
if rows and (60, 1) in cases:
    def per_frame_us(d):
        v = list(pk.get((d, 60, 1), {}).values())
        return 1e6 / med(v) if v and med(v) else None
    tt, tw, tdm, tv, tz, tst = (per_frame_us(d) for d in devs)
    if None not in (tt, tw, tdm, tv):
        cr = meta.get("clock_read_ns", "")
        crn = float(cr) / 1000 if cr.replace(".", "").isdigit() else None
        out("### Where the time goes")
        out()
        out(f"Per 60-byte frame, one thread (1 / median rate): dummy {tdm:.1f} us, veth {tv:.1f} us, "
            f"tsnic (sink) {tt:.1f} us, tsnic wired {tw:.1f} us.  tsnic costs {tt - tdm:+.1f} us per "
            f"frame more than dummy and {tt - tv:+.1f} us against veth; wiring it to a peer adds "
            f"{tw - tt:+.1f} us." + (f"  One clock read costs {crn:.2f} us in this guest." if crn else ""))
        out()
        if tz and tst:
            out(f"**The moderation timer.**  The same unwired tsnic costs {tz:.1f} us per frame with "
                f"`tx-usecs 0` (no moderation: NAPI from the doorbell, no timer at all) and "
                f"{tst:.1f} us with the fixed 10 us / 32-frame moderation: at one pktgen thread under "
                "TCG a frame takes a few microseconds, so a 10 us delay ends nearly every batch by a "
                "timer expiry (interrupt, clock read, reprogramming the emulated APIC timer), a few "
                f"frames each.  With adaptive-tx (the default, {tt:.1f} us) DIM moves a bulk sender to "
                "long delays, where the 128-frame count ends most batches from the doorbell itself.")
            out()
        out("What tsnic does per frame that dummy (free the skb) and veth (hand it to the")
        out("peer's backlog) do not, from the code (`driver/tx.c`, `driver/engine.c`, `driver/rx.c`):")
        out()
        out("- **xmit**: fills a descriptor, BQL accounting (`__netdev_tx_sent_queue`), and - pktgen")
        out("  sends with `xmit_more` false - rings the doorbell for every frame: the engine's")
        out("  spinlock and the latch time of the descriptors, which the departure time and the")
        out("  timestamps count from.  That is one raw monotonic clock read (`ktime_get_raw_ns()`)")
        out("  for a batch's first frame and for any frame whose departure somebody could time; the")
        out("  other frames of a batch take the engine's last time (`tx_queue_N_lazy_latches`).")
        out("  The guest's clocksource is " + f"`{meta.get('clocksource', '?')}`"
            + (" (vm.sh boots with `tsc=unstable`): an emulated device read under TCG."
               if meta.get("clocksource") == "hpet" else "."))
        out("- **engine**: at unlimited rate the frame departs at once; the write-back, then the")
        out("  interrupt moderation: with adaptive-tx, DIM's profile for the queue; the delay is an")
        out("  hrtimer of its own whose hard-IRQ callback only schedules NAPI, armed once per batch.")
        out("- **completion**: TX NAPI walks the done descriptors, BQL completion, frees the skb")
        out("  (sink), or for a wired device takes it over (`skb_share_check` clones only a shared")
        out("  skb) and puts it in the poll's cable batch, which goes into the peer's RX FIFO under")
        out("  one lock with one kick of the peer's RX NAPI, which passes it to GRO: where veth does")
        out("  one `netif_rx` per frame.  Neither side reads")
        out("  the clock for a frame whose arrival is no later than a departure already written back.")
        out()
# ---------------------------------------------------------------------------
# 2. BQL latency under load
# ---------------------------------------------------------------------------
bqldir = os.path.join(data, "bql")
BQL_RUNS = ("default", "forced", "ring4096", "fwd", "fwd-forced")
BQL_TITLES = {"default": "BQL default", "forced": "limit\\_min = ring bytes",
              "ring4096": "4096-descriptor ring, BQL default",
              "fwd": "forwarded, 4096 ring, BQL default",
              "fwd-forced": "forwarded, limit\\_min = 4096 ring bytes"}
if os.path.isdir(bqldir):
    out("## 2. BQL latency under load")
    out()
    out("A wired tsnic pair in two namespaces at a fixed line rate, `fq_codel` as the")
    out(f"sender's root qdisc, a bulk TCP load of {meta.get('bql_flows', '1')} flow(s) (`iperf3 -P "
        f"{meta.get('bql_flows', '1')}`, {meta.get('bql_s', '?')} s) and, from {meta.get('bql_warm', '?')} s in, a")
    out("probe `ping -i 0.05` through the same qdisc (its own fq_codel flow, so its")
    out("latency is the device queue's: what BQL controls).  The sender's BQL in-flight")
    out("bytes and limit are sampled from sysfs every 20 ms.  Three runs per rate: BQL")
    out("as it is (*default*), BQL's `limit_min` forced to the ring's bytes (tx_ring x")
    out("1514: BQL then never holds frames back, *forced*), and a 4096-descriptor ring")
    out("with BQL as it is (*ring4096*).  At 100 Mbit/s also a router: the bulk TCP")
    out("comes from a third namespace over a veth and the sender's namespace forwards it")
    out("out of a 4096-descriptor tsnic with TSO and GSO off (MTU frames on the ring),")
    out("so no local socket's TCP small queues limit what waits in the ring: BQL as it")
    out("is (*fwd*) and forced to the ring's bytes (*fwd-forced*).")
    out()
    out("| rate | run | TCP goodput Mbit/s | probe RTT p50 / p90 / p99 / max (ms) | probes lost | in-flight p50 / p99 / max (KiB) | BQL limit p50 (KiB) | segments per frame | qdisc drops |")
    out("|---|---|---|---|---|---|---|---|---|")
    bq = {}
    for rate in ("100mbit", "1gbit"):
        for v in BQL_RUNS:
            d = os.path.join(bqldir, f"{rate}-{v}")
            if not os.path.isdir(d):
                continue
            rtt = []
            sent = recv = 0
            for line in readlines(os.path.join(d, "ping.txt")):
                m = re.search(r"time=([\d.]+) ms", line)
                if m:
                    rtt.append(float(m.group(1)))
                m = re.search(r"(\d+) packets transmitted, (\d+) received", line)
                if m:
                    sent, recv = int(m.group(1)), int(m.group(2))
            inf = []
            for line in readlines(os.path.join(d, "inflight.txt")):
                p = line.split()
                if len(p) == 3:
                    inf.append((float(p[0]), int(p[1]), int(p[2])))
            gp = None
            try:
                j = json.load(open(os.path.join(d, "iperf3.json")))
                gp = j["end"]["sum_received"]["bits_per_second"] / 1e6
            except (OSError, ValueError, KeyError):
                pass
            drops = "?"
            m = re.search(r"dropped (\d+)", open(os.path.join(d, "qdisc.txt")).read()) \
                if os.path.exists(os.path.join(d, "qdisc.txt")) else None
            if m:
                drops = m.group(1)
            bq[(rate, v)] = (rtt, inf)
            iv = [x[1] / 1024 for x in inf]
            lv = [x[2] / 1024 for x in inf]
            segs = None
            sp = " ".join(readlines(os.path.join(d, "segs.txt"))).split()
            if len(sp) == 4 and int(sp[2]) > int(sp[0]):
                segs = (int(sp[3]) - int(sp[1])) / (int(sp[2]) - int(sp[0]))
            out(f"| {rate} | {v} | {fmt(gp)} | {fmt(pct(rtt, 50), 2)} / {fmt(pct(rtt, 90), 2)} / "
                f"{fmt(pct(rtt, 99), 2)} / {fmt(max(rtt) if rtt else None, 2)} | {sent - recv} of {sent} | "
                f"{fmt(pct(iv, 50))} / {fmt(pct(iv, 99))} / {fmt(max(iv) if iv else None)} | "
                f"{fmt(pct(lv, 50))} | {fmt(segs, 1)} | {drops} |")
            with open(dat(f"bql-{rate}-{v}-cdf.dat"), "w") as f:
                s = sorted(rtt)
                for i, x in enumerate(s):
                    f.write(f"{x} {(i + 1) / len(s)}\n")
            with open(dat(f"bql-{rate}-{v}-inflight.dat"), "w") as f:
                for t, a, lim in inf:
                    f.write(f"{t} {a / 1024:.2f} {lim / 1024:.2f}\n")
    out()
    # the brief's bar, for the local sender and for the router
    for rate, on, off, what in (("100mbit", "default", "forced", "local TCP sender"),
                                ("100mbit", "fwd", "fwd-forced", "router"),
                                ("1gbit", "default", "forced", "local TCP sender")):
        if (rate, on) in bq and (rate, off) in bq:
            (rd, idf), (rf, _) = bq[(rate, on)], bq[(rate, off)]
            ip50 = pct([x[1] for x in idf], 50) / 1024
            ip99 = pct([x[1] for x in idf], 99) / 1024
            r = pct(rf, 50) / pct(rd, 50) if rd and rf and pct(rd, 50) else float("nan")
            holds = ip99 < 100 and r >= 10
            out(f"- **{rate}, {what}**: with BQL the sender keeps {ip50:.1f} KiB in flight (p99 {ip99:.1f} KiB); "
                f"the probe's median RTT is {fmt(pct(rd, 50), 2)} ms against {fmt(pct(rf, 50), 2)} ms "
                f"with the limit forced to the ring, a factor of {r:.1f}." +
                (" The brief's bar (in-flight in the kilobytes, latency an order of magnitude "
                 "below the forced run) " + ("**holds**." if holds else "**does not hold** here.")
                 if rate == "100mbit" else ""))
            headline.append(f"BQL {rate} {what}: in-flight p50 {ip50:.1f} KiB, probe p50 {fmt(pct(rd, 50), 2)} ms "
                            f"vs {fmt(pct(rf, 50), 2)} ms forced ({r:.1f}x)"
                            + ((", bar holds" if holds else ", bar NOT met") if rate == "100mbit" else ""))
    out()
    for rate in ("100mbit", "1gbit"):
        runs = [v for v in BQL_RUNS if (rate, v) in bq]
        if not runs:
            continue
        out(f"![probe latency CDF, {rate}]({prefix}bql-cdf-{rate}.png) "
            f"![in-flight bytes, {rate}]({prefix}bql-inflight-{rate}.png)")
        out()
        cdf = ", \\\n     ".join(f"'{dat(f'bql-{rate}-{v}-cdf.dat')}' using 1:2 with steps lw 2 "
                                  f"title '{BQL_TITLES[v]}'" for v in runs)
        gnuplot(TERM.replace("900,520", "700,450") + f"""
set output '{png(f"bql-cdf-{rate}.png")}'
set title 'probe RTT through fq\\_codel under a bulk TCP flow, {rate}'
set xlabel 'RTT (ms)'
set ylabel 'fraction of probes'
set logscale x
set grid
set key bottom right
plot {cdf}
""")
        infl = ", \\\n     ".join(f"'{dat(f'bql-{rate}-{v}-inflight.dat')}' using 1:($2 > 0 ? $2 : 0.5) "
                                   f"with lines title '{BQL_TITLES[v]}'" for v in runs)
        limit = (f", \\\n     '{dat(f'bql-{rate}-default-inflight.dat')}' using 1:3 with lines dt 2 "
                 "lc rgb 'gray40' title 'BQL limit (default run)'" if "default" in runs else "")
        gnuplot(TERM.replace("900,520", "700,450") + f"""
set output '{png(f"bql-inflight-{rate}.png")}'
set title 'BQL in-flight bytes on the sender, {rate}'
set xlabel 'time (s)'
set ylabel 'KiB in flight (log)'
set logscale y
set yrange [0.5:*]
set grid
set key bottom right
plot {infl}{limit}
""")

# ---------------------------------------------------------------------------
# 3. Timestamp delivery
# ---------------------------------------------------------------------------
def ts_lat(name):
    """Delays in us and the count that never came, from a tsdelay lat run."""
    vals, missing = [], 0
    for line in readlines(os.path.join(data, "ts", name)):
        p = line.split()
        if len(p) == 4:
            if int(p[3]) < 0:
                missing += 1
            else:
                vals.append(int(p[3]) / 1000.0)   # us
    return vals, missing


# (label, file, curve): the default settings first, then 1 Gbit/s
lat_runs = [(lbl, *ts_lat(f), f) for lbl, f in
            (("default (rate unlimited)", "lat-default.txt"), ("1 Gbit/s", "lat.txt"))]
lat_runs = [r for r in lat_runs if r[1] or r[2]]
if lat_runs:
    out("## 3. Timestamp delivery")
    out()
    out(f"`bench/tsdelay.c` on a wired pair, at default settings (line rate unlimited) and")
    out("at 1 Gbit/s: UDP datagrams (200 B payload) one at a time, 1 ms apart, each asking")
    out("for software and hardware TX")
    out("stamps (`SO_TIMESTAMPING` with `OPT_ID`, `OPT_TX_SWHW`; hardware TX on through")
    out("`SIOCSHWTSTAMP`).  The delay is from the software stamp (taken by")
    out("`skb_tx_timestamp()` in tsnic's xmit, before the doorbell) to the moment")
    out("`recvmsg(MSG_ERRQUEUE)` returns the hardware stamp in user space, both on")
    out("CLOCK_REALTIME: what ptp4l waits for after each event message.  At an unlimited")
    out("rate the frame departs at the doorbell and its stamp interrupts at once; at")
    out("1 Gbit/s it departs one wire time later, which the engine's timer waits for.")
    out()
    out("| settings | samples | p50 | p90 | p99 | p99.9 | max | over 1 ms | over 10 ms | never came |")
    out("|---|---|---|---|---|---|---|---|---|---|")
    plots = []
    for lbl, vals, missing, fname in lat_runs:
        n = len(vals) + missing
        if not vals:
            out(f"| {lbl} | {n} | | | | | | | | {missing} |")
            continue
        over1 = sum(1 for v in vals if v > 1000) + missing
        over10 = sum(1 for v in vals if v > 10000) + missing
        out(f"| {lbl} | {n} | {pct(vals, 50):.0f} us | {pct(vals, 90):.0f} us | {pct(vals, 99):.0f} us | "
            f"{pct(vals, 99.9):.0f} us | {max(vals):.0f} us | {over1} ({100 * over1 / n:.2f} %) | "
            f"{over10} ({100 * over10 / n:.2f} %) | {missing} |")
        headline.append(f"TX stamp delivery, {lbl}: p50 {pct(vals, 50):.0f} us, p99 {pct(vals, 99):.0f} us, "
                        f"p99.9 {pct(vals, 99.9):.0f} us, max {max(vals):.0f} us; over 1 ms {100 * over1 / n:.2f} %")
        cdf = dat("ts-cdf-" + fname.replace(".txt", "") + ".dat")
        with open(cdf, "w") as f:
            for i, x in enumerate(sorted(vals)):
                f.write(f"{x} {(i + 1) / n}\n")
        plots.append(f"'{cdf}' using 1:2 with steps lw 2 title 'tsnic, {lbl}'")
    out()
    out("Against ptp4l's `tx_timestamp_timeout`: with the default 1 ms, a stamp over 1 ms")
    out("would have come too late (ptp4l logs \"timed out while polling for tx timestamp\"")
    out("and faults the port).")
    out()
    if plots:
        out(f"![TX timestamp delivery CDF]({prefix}ts-delay.png)")
        out()
        gnuplot(TERM.replace("900,520", "700,450") + f"""
set output '{png("ts-delay.png")}'
set title 'software TX stamp to hardware stamp on the error queue ({kernel})'
set xlabel 'delay (us, log)'
set ylabel 'fraction of requests'
set logscale x
set grid
set key bottom right
set arrow from 1000, graph 0 to 1000, graph 1 nohead lc rgb 'red' dt 2
set arrow from 10000, graph 0 to 10000, graph 1 nohead lc rgb 'red' dt 3
set label 'ptp4l 1 ms' at 1000, graph 0.5 rotate by 90 offset -1,0
set label '10 ms' at 10000, graph 0.5 rotate by 90 offset -1,0
set xrange [*:20000]
plot {", ".join(plots)}
""")
    burst = [l.split() for l in readlines(os.path.join(data, "ts", "burst.txt"))[1:]]
    if burst:
        out(f"Under bursts: {meta.get('ts_bursts', '?')} bursts of {meta.get('ts_burst_len', '?')} "
            "back-to-back datagrams, each asking for a hardware stamp, 50 ms apart,")
        out("for 1, 4 and 16 timestamp slots (`tsnic dev set DEV ts-slots N`);")
        out("*took a slot* is `tx_hwtstamp_requested` and *skipped* `tx_hwtstamp_skipped`")
        out("from `ethtool -S` (no slot free: no stamp, as igb and ice do).  How many bursts")
        out("overrun the slots depends on how fast the sender fills the ring against how soon")
        out("the completion frees a slot; under TCG a `send()` takes tens of microseconds.")
        out()
        out("| slots | requested by the socket | took a slot | stamps delivered | skipped | skipped fraction |")
        out("|---|---|---|---|---|---|")
        with open(dat("ts-burst.dat"), "w") as f:
            for r in burst:
                slots, req, hw, sk, dreq = (int(x) for x in r)
                fr = sk / req if req else float("nan")
                out(f"| {slots} | {req} | {dreq} | {hw} | {sk} | {100 * fr:.1f} % |")
                f.write(f"{slots} {100 * fr:.2f}\n")
                headline.append(f"{slots} slot(s): {100 * fr:.1f} % of a {meta.get('ts_burst_len', '?')}-frame burst's stamps skipped")
        out()
        out(f"![skipped fraction]({prefix}ts-skipped.png)")
        out()
        gnuplot(TERM.replace("900,520", "500,380") + f"""
set output '{png("ts-skipped.png")}'
set title 'hardware TX stamps skipped in a burst of {meta.get('ts_burst_len', '?')}'
set xlabel 'timestamp slots'
set ylabel 'skipped (%)'
set yrange [0:100]
set style fill solid 0.7 border -1
set boxwidth 0.5
set grid ytics
plot '{dat("ts-burst.dat")}' using 0:2:xtic(1) with boxes notitle, '' using 0:($2 + 4):(sprintf('%.1f', $2)) with labels notitle
""")

# ---------------------------------------------------------------------------
# 4. PTP sync quality
# ---------------------------------------------------------------------------
ptpdir = os.path.join(data, "ptp")
if os.path.isdir(ptpdir):
    runs = [("hw-j0", "tsnic -H, 0 ns jitter"), ("hw-j20", "tsnic -H, 20 ns jitter"),
            ("hw-j100", "tsnic -H, 100 ns jitter"), ("sw-tsnic", "tsnic -S"), ("sw-veth", "veth -S")]
    ptp_s = float(meta.get("ptp_s", "50"))
    win = float(meta.get("ptp_win", "30"))
    out("## 4. PTP sync quality")
    out()
    out("ptp4l master and slave in two namespaces over a wired pair, 4 Sync and 4")
    out("Delay_Req per second, one offset sample per Sync (`summary_interval -2`).")
    out("tsnic loaded with `freq_random_ppb=0`; the slave's PHC runs 40 ppm fast")
    out("(`freq-offset 40ppm`), the master's at 0, both with the given timestamp")
    out(f"jitter.  Each run lasts {ptp_s:.0f} s; RMS and max |offset| over its last {win:.0f} s of samples.")
    out("With `-S` (software stamps) both ptp4l instances discipline the one")
    out("CLOCK_REALTIME the namespaces share, so no frequency offset exists to")
    out("correct: the offsets measure software-timestamp noise and path asymmetry only.")
    out()
    out("| run | time to s2 (s) | RMS offset (ns) | max abs offset (ns) | mean offset (ns) | mean freq (ppb) | mean path delay (ns) | samples | TX stamp timeouts |")
    out("|---|---|---|---|---|---|---|---|---|")
    plots = []
    ends = {}
    for name, label in runs:
        p = os.path.join(ptpdir, name, "slave.log")
        if not os.path.exists(p):
            continue
        t0 = None
        s2 = None
        samples = []
        tmo = 0
        for fn in ("slave.log", "master.log"):
            for line in readlines(os.path.join(ptpdir, name, fn)):
                if "timed out while polling" in line:
                    tmo += 1
        for line in readlines(p):
            m = re.match(r"ptp4l\[([\d.]+)\]:", line)
            if not m:
                continue
            t = float(m.group(1))
            if t0 is None:
                t0 = t
            m = re.search(r"master offset\s+(-?\d+) s(\d) freq\s+([+-]?\d+) path delay\s+(-?\d+)", line)
            if m:
                off, st, fq, pd = int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4))
                samples.append((t - t0, off, st, fq, pd))
                if st == 2 and s2 is None:
                    s2 = t - t0
        # the window: the last `win` seconds of samples (ptp4l's first line
        # comes seconds after its start on a loaded host)
        t_end = samples[-1][0] if samples else 0
        w = [x for x in samples if x[0] >= t_end - win]
        if w:
            rms = math.sqrt(sum(x[1] ** 2 for x in w) / len(w))
            mx = max(abs(x[1]) for x in w)
            mean = sum(x[1] for x in w) / len(w)
            mf = sum(x[3] for x in w) / len(w)
            mpd = sum(x[4] for x in w) / len(w)
            locked = all(x[2] == 2 for x in w)
        else:
            rms = mx = mean = mf = mpd = float("nan")
            locked = False
        out(f"| {label} | {fmt(s2, 1) if s2 is not None else 'never'} | {fmt(rms)} | {fmt(mx, 0)} | "
            f"{fmt(mean)} | {fmt(mf, 0)} | {fmt(mpd, 0)} | {len(w)}{'' if locked else ' (not all s2)'} | {tmo} |")
        if name.startswith("hw") or name == "sw-veth":
            headline.append(f"ptp4l {label}: s2 after {fmt(s2, 1) if s2 is not None else 'never'} s, "
                            f"RMS {fmt(rms)} ns, max {fmt(mx, 0)} ns")
        with open(dat(f"ptp-{name}.dat"), "w") as f:
            for x in samples:
                f.write(f"{x[0]:.3f} {x[1]} {x[2]}\n")
        plots.append((name, label))
        ends[name] = t_end
    out()
    j20 = os.path.join(ptpdir, "hw-j20", "slave.log")
    out("The brief's bar (s2 and RMS under 100 ns with 40 ppm and 20 ns jitter) is read from the "
        "*tsnic -H, 20 ns jitter* row.")
    out()
    out(f"![offset over time]({prefix}ptp-offset.png)")
    out()
    out(f"![offset in the window, hardware stamps]({prefix}ptp-window.png)")
    out()
    lines = ", \\\n     ".join(
        f"'{dat(f'ptp-{n}.dat')}' using 1:(abs($2) > 0 ? abs($2) : 0.5) with lines title '{l}'"
        for n, l in plots)
    gnuplot(TERM + f"""
set output '{png("ptp-offset.png")}'
set title 'ptp4l slave: |master offset| over time ({kernel})'
set xlabel 'time since ptp4l started (s)'
set ylabel '|offset| (ns, log)'
set logscale y
set grid
set key top right
plot {lines}
""")
    hw = [(n, l) for n, l in plots if n.startswith("hw")]
    if hw:
        lines = ", \\\n     ".join(
            f"'{dat(f'ptp-{n}.dat')}' using 1:($1 >= {ends[n] - win} ? $2 : 1/0) with linespoints pt 7 ps 0.4 title '{l}'"
            for n, l in hw)
        gnuplot(TERM + f"""
set output '{png("ptp-window.png")}'
set title 'ptp4l -H slave offset in the last {win:.0f} s (40 ppm offset corrected by the servo)'
set xlabel 'time since ptp4l started (s)'
set ylabel 'offset (ns)'
set grid
set key top right
plot {lines}
""")

# ---------------------------------------------------------------------------
# 5. Scale
# ---------------------------------------------------------------------------
scdir = os.path.join(data, "scale")


def scale_rows(name):
    return [l.split() for l in readlines(os.path.join(scdir, name)) if l.strip()]


def mrange(vals, nd=2):
    """median (min-max), or n/a"""
    if not vals:
        return "n/a"
    if len(vals) == 1:
        return fmt(vals[0], nd)
    return f"{fmt(med(vals), nd)} ({fmt(min(vals), nd)}-{fmt(max(vals), nd)})"


def kib(b):
    return b / 1024.0


def slab_bytes(n):
    """What kmalloc(n) takes: a power-of-two slab object up to 8 KiB (SLUB's
    KMALLOC_MAX_CACHE_SIZE on x86-64), above that whole pages of an order:
    those come from the page allocator, not from a slab cache."""
    if n <= 8192:
        return max(8, 1 << (n - 1).bit_length())
    return 4096 << max(0, ((n + 4095) // 4096 - 1).bit_length())


GRAPH_LINE = re.compile(r"^\s*\d+\)\s+(\S+)\s+\|\s*[+!#*@$ ]?\s*([\d.]+)?\s*(?:us)?\s*\|\s*(.*)$")


def graph_times(path):
    """Time per (function, caller) in a function_graph trace restricted to a
    few functions (funcgraph-proc, funcgraph-tail): {(f, caller): [us, calls]},
    the caller the innermost traced function around it, "" for none.  Each
    task's calls nest on a stack of its own, so that a call that slept and
    returned on the other CPU is closed where it was opened."""
    stacks, times = {}, {}
    for line in readlines(path):
        m = GRAPH_LINE.match(line)
        if not m:
            continue
        task, dur, body = m.group(1), m.group(2), m.group(3).strip()
        st = stacks.setdefault(task.rsplit("-", 1)[-1], [])
        if body.endswith("{"):
            st.append(body.split("(")[0].split()[0])
            continue
        if body.startswith("}"):
            f = st.pop() if st else "?"
            mm = re.search(r"/\*\s*(\S+?)(?:\s*\[\w+\])?\s*\*/", body)
            if mm:
                f = mm.group(1).split("(")[0]
        elif body.endswith(";"):
            f = body.split("(")[0].split()[0]
        else:
            continue
        if dur is None:
            continue
        t = times.setdefault((f, st[-1] if st else ""), [0.0, 0])
        t[0] += float(dur)
        t[1] += 1
    return times


def graph_section():
    """Where a pair's create and delete time goes, from scale_graph's traces."""
    n = int(meta.get("scale_graph_n", "0") or 0)
    g = {}
    for k in ("veth", "tsnic"):
        for step in ("create", "delete-group"):
            f = os.path.join(scdir, f"graph-{k}-{step}.txt")
            if os.path.exists(f):
                g[(k, step)] = graph_times(f)
    if not n or len(g) < 4:
        return
    lost = sum(int((readlines(os.path.join(scdir, f"overrun-{k}-{st}.txt")) or ["0"])[0] or 0)
               for k, st in g)
    out(f"Where a pair's time goes (`BENCH_PERF=1`): another untimed pass, {n} pairs per kind")
    out("made and deleted by group, with the kernel's function_graph tracer restricted to the")
    out("requests, the stack's registration steps, their sysfs and device-node parts, the")
    out("PTP clock's and the platform device's, the waits for RCU and tsnic's own")
    traced = [l.split()[0] for l in readlines(os.path.join(scdir, "graph-funcs.txt")) if l.strip()]
    out("functions (" + (", ".join(f"`{f}`" for f in traced) if traced else "see the commands above") +
        ").  Time and calls per pair, the time in ms, each function")
    out("under the nearest traced function that called it; a function traced under several")
    out("callers has a row per caller, and a caller's time includes its callees'.  The tracer")
    out("adds its own cost to each traced call, alike for both kinds.")
    if lost:
        out(f"The trace buffer lost {lost} events: the figures are short of that.")
    out()
    for step, top in (("create", "rtnl_newlink"), ("delete-group", "rtnl_dellink")):
        keys = set(g[("veth", step)]) | set(g[("tsnic", step)])

        def ms(k, key):
            return g[(k, step)].get(key, [0.0, 0])[0] / 1000.0 / n

        def calls(k, key):
            return g[(k, step)].get(key, [0.0, 0])[1] / n
        tot = {k: ms(k, (top, "")) for k in ("veth", "tsnic")}
        rows = [key for key in keys
                if max(ms("veth", key), ms("tsnic", key)) >= 0.02 * max(tot.values() or [1])]
        rows.sort(key=lambda key: -max(ms("tsnic", key), ms("veth", key)))
        out(f"| {step}: function | called from | veth calls | veth ms | tsnic calls | tsnic ms |")
        out("|---|---|---|---|---|---|")
        for key in rows:
            out(f"| `{key[0]}` | {('`' + key[1] + '`') if key[1] else ''} | {fmt(calls('veth', key), 2)} | "
                f"{fmt(ms('veth', key), 3)} | {fmt(calls('tsnic', key), 2)} | {fmt(ms('tsnic', key), 3)} |")
        out()
        phc = {"create": [("ptp_clock_register", "tsnic_phc_init"), ("devtmpfs_create_node", "device_add")],
               "delete-group": [("ptp_clock_unregister", "tsnic_phc_fini"),
                                ("devtmpfs_delete_node", "device_del")]}[step]
        clk = ms("tsnic", phc[0])
        node = ms("tsnic", phc[1])
        if tot["veth"] and tot["tsnic"]:
            rest = tot["tsnic"] - clk
            out(f"- {step}: the requests take {fmt(tot['veth'], 2)} ms per veth pair and "
                f"{fmt(tot['tsnic'], 2)} ms per tsnic pair ({fmt(tot['tsnic'] / tot['veth'], 2)}x); "
                f"the two PTP clocks' `{phc[0][0]}` {fmt(clk, 2)} ms of it, and all the device "
                f"nodes' `{phc[1][0]}` (the wait for the devtmpfs thread; veth makes no node) "
                f"{fmt(node, 2)} ms.  Without the clocks, tsnic/veth would be "
                f"{fmt(rest / tot['veth'], 2)}.")
            headline.append(f"scale, {step} traced: tsnic/veth {fmt(tot['tsnic'] / tot['veth'], 2)} "
                            f"in the requests, {fmt(rest / tot['veth'], 2)} without the PTP clocks' "
                            f"{phc[0][0]} ({fmt(clk, 2)} of {fmt(tot['tsnic'], 2)} ms per pair)")
    out()


if os.path.isdir(scdir):
    n_pairs = int(meta.get("scale_n", "0") or 0)
    ndev = 2 * n_pairs
    out("## 5. Scale")
    out()
    out(f"{n_pairs} pairs at once in one namespace with IPv6 off (no frame of their own):")
    out("tsnic wired pairs (`ip link add sa type tsnic`, `ip link add sb link sa type tsnic`)")
    out("and veth pairs, each step one `ip -batch` (so the ip process costs alike),")
    out(f"{meta.get('scale_rounds', '?')} rounds of *none* (no device), veth and tsnic, the last two")
    out("in alternating order.  Figures are medians (min-max) over rounds; ratios are")
    out("medians of the per-round ratios.")
    out()
    # --- time
    tm = {}   # (kind, step) -> {round: seconds}
    for r in scale_rows("time.txt"):
        if len(r) >= 4:
            tm.setdefault((r[1], r[2]), {})[r[0]] = float(r[3])
    out("### Create, up, delete")
    out()
    out("A tsnic pair is two requests each way (a device is made wired to an existing one,")
    out("and deleting one end leaves the other, unwired); a veth pair is made and")
    out("deleted whole by one.  Every request that deletes pays the stack's fixed cost of")
    out("an unregistration (two RCU grace periods and an `rcu_barrier()`), whatever it")
    out("deletes, so the first half of the pairs is deleted a request at a time and the")
    out("second half by one request (`ip link del group`): the fixed cost once, the")
    out("per-device cost each.  Per pair, in ms:")
    out()
    out("| step | veth | tsnic | tsnic/veth | goal |")
    out("|---|---|---|---|---|")
    half = n_pairs // 2
    for step, label, npairs in (("create", "create", n_pairs), ("up", "up (and set the link group)", n_pairs),
                                ("delete", f"delete, a request each ({half} pairs)", half),
                                ("delete-group", f"delete, one request ({n_pairs - half} pairs)", n_pairs - half)):
        v, t = tm.get(("veth", step), {}), tm.get(("tsnic", step), {})
        rs = [t[k] / v[k] for k in t if k in v and v[k]]
        goal = "<= 2" if step != "up" else ""
        met = ""
        if rs and goal:
            met = " met" if med(rs) <= 2 else " **not met**"
        npairs = npairs or 1
        out(f"| {label} | {mrange([x * 1000 / npairs for x in v.values()])} | "
            f"{mrange([x * 1000 / npairs for x in t.values()])} | {mrange(rs)} | {goal}{met} |")
        if rs and goal:
            headline.append(f"scale, {label}: tsnic/veth {mrange(rs)} per pair (goal <= 2)")
    out()
    sprof = []
    for k in ("veth", "tsnic"):
        for step in ("create", "delete-group"):
            top = perf_top(f"scale-{k}-{step}")
            if top:
                sprof.append((k, step, top))
    if sprof:
        out(f"Profiles (`BENCH_PERF=1`): an extra, untimed pass of {n_pairs} pairs per kind, `perf record")
        out("-e cpu-clock -a` over the create batch and over one `ip link del group` of the")
        out("devices down; top symbols by self time in percent of the busy samples (approximate")
        out("under TCG, as in section 1).")
        out()
        for k, step, (busy, top) in sprof:
            out(f"<details><summary>{k}, {step}: {busy:.0f} % of the samples busy</summary>")
            out()
            out("```")
            for line in top:
                out(line)
            out("```")
            out()
            out("</details>")
            out()
    graph_section()
    # --- memory
    mem = {}  # (round, kind, step) -> {field: kB}
    for r in scale_rows("mem.txt"):
        if len(r) >= 4:
            mem[(r[0], r[1], r[2])] = {k: int(v) for k, v in (x.split("=") for x in r[3:])}
    # other: pages the kernel took that no field of its own counts (what
    # left MemFree, less page cache, anonymous memory and the fields)
    accounted = ["Cached", "Buffers", "AnonPages", "Slab", "KernelStack", "PageTables",
                 "Percpu", "VmallocUsed"]
    fields = ["Slab", "SUnreclaim", "VmallocUsed", "Percpu", "other", "total"]

    def mdelta(m0, m1, f):
        if f == "other":
            return -(m1["MemFree"] - m0["MemFree"]) - sum(m1.get(x, 0) - m0.get(x, 0) for x in accounted)
        if f == "total":
            return sum(mdelta(m0, m1, x) for x in ("Slab", "VmallocUsed", "Percpu", "other"))
        return m1.get(f, 0) - m0.get(f, 0)

    def per_dev(kind, a, b, f):
        vals = []
        for (rnd, k, st), m in mem.items():
            if k != kind or st != b or (rnd, k, a) not in mem:
                continue
            vals.append(mdelta(mem[(rnd, k, a)], m, f) / ndev if ndev else 0)
        return vals

    out("### Memory per device")
    out()
    out("`/proc/meminfo` deltas (slab caches dropped before each reading), divided by")
    out(f"the {ndev} devices, in KiB per device.  *Slab* includes kmalloc blocks above 8 KiB,")
    out("which SLUB takes from the page allocator but counts under SUnreclaim.  *other* is")
    out("what left MemFree and no field explains (MemFree less the changes of Cached,")
    out("Buffers, AnonPages, Slab, KernelStack, PageTables, Percpu and VmallocUsed): pages")
    out("taken straight from the page allocator, and noise; *total* is Slab + VmallocUsed")
    out("+ Percpu + other.")
    out()
    out("| kind | state | " + " | ".join(fields) + " |")
    out("|---|---|" + "---|" * len(fields))
    for kind in ("veth", "tsnic"):
        for a, b, label in (("before", "created", "created (down)"), ("created", "up", "up, minus created"),
                            ("before", "up", "up, in all"), ("up", "deleted", "deleted, minus up")):
            out(f"| {kind} | {label} | " +
                " | ".join(mrange(per_dev(kind, a, b, f), 1) for f in fields) + " |")
    out()
    tot_t = per_dev("tsnic", "before", "up", "total")
    tot_v = per_dev("veth", "before", "up", "total")
    if tot_t and tot_v:
        headline.append(f"scale, kernel memory per device up: tsnic {fmt(med(tot_t), 1)} KiB, "
                        f"veth {fmt(med(tot_v), 1)} KiB (Slab + VmallocUsed + Percpu + other)")
    # expected, from the ring sizes and the structures
    sizes = {}
    for l in readlines(os.path.join(scdir, "sizes.txt")):
        p = l.split()
        if len(p) >= 2 and p[1].isdigit():
            sizes[p[0]] = int(p[1])
    ring, _sep, chan = "\n".join(readlines(os.path.join(scdir, "ring.txt"))).partition("Channel parameters")
    # the current settings: the second of each in ethtool -g and -l
    m_tx = re.findall(r"^TX:\s+(\d+)", ring, re.M)
    tx_ring = int(m_tx[1]) if len(m_tx) > 1 else None
    m_rx = re.findall(r"^RX:\s+(\d+)", ring, re.M)
    rx_ring = int(m_rx[1]) if len(m_rx) > 1 else None
    if tx_ring and all(k in sizes for k in ("tsnic_tx_desc", "tsnic_tx_buf", "tsnic_tx_ring",
                                             "tsnic_rx_ring", "tsnic_priv", "net_device")):
        # ethtool -l: the device's queues (ndo_init allocates a ring struct for
        # each of num_tx_queues, the arrays for each when it comes up)
        m = re.findall(r"^TX:\s+(\d+)", chan, re.M)
        ntx = int(m[1]) if len(m) > 1 else 1
        m = re.findall(r"^RX:\s+(\d+)", chan, re.M)
        nrx = int(m[1]) if len(m) > 1 else 1
        desc_b = tx_ring * sizes["tsnic_tx_desc"]
        buf_b = tx_ring * sizes["tsnic_tx_buf"]
        arrays = ntx * (slab_bytes(desc_b) + slab_bytes(buf_b))
        nd = sizes["net_device"] + sizes["tsnic_priv"]
        structs = (slab_bytes(nd) + slab_bytes(ntx * sizes["tsnic_tx_ring"]) +
                   slab_bytes(nrx * sizes["tsnic_rx_ring"]))
        core = (ntx * sizes.get("netdev_queue", 0) + nrx * sizes.get("netdev_rx_queue", 0) +
                sizes.get("ptp_clock", 0) + sizes.get("platform_device", 0))
        qd = "\n".join(readlines(os.path.join(scdir, "qdisc-tsnic.txt")))
        qd_b = 0
        qd_what = "no qdisc of its own"
        m = re.search(r"qdisc fq_codel .*?flows (\d+)", qd)
        if m and "fq_codel_flow" in sizes and "Qdisc" in sizes:
            flows = int(m.group(1))
            # fq_codel_init(): the flows and their backlogs, and the Qdisc
            # with fq_codel's private part
            qd_b = (slab_bytes(flows * sizes["fq_codel_flow"]) + slab_bytes(flows * 4) +
                    slab_bytes(sizes["Qdisc"] + sizes.get("fq_codel_sched_data", 0)))
            qd_what = (f"the stack's default qdisc, fq_codel ({flows} flows x "
                       f"{sizes['fq_codel_flow']} B, their backlogs and the qdisc: "
                       f"{kib(qd_b):.1f} KiB; veth, `IFF_NO_QUEUE`, gets none)")
        up_t = per_dev("tsnic", "created", "up", "total")
        cr_t = per_dev("tsnic", "before", "created", "total")
        cr_v = per_dev("veth", "before", "created", "total")
        out("What tsnic's figures should be, from its ring sizes and structures (sizes from")
        out("the BTF of the module, the kernel and the qdisc modules, `pahole`; ring and queue")
        out("counts from `ethtool -g`/`-l` of a new device; kmalloc rounds up to a power of two):")
        out()
        out(f"- **Up, minus created**: per TX queue ({ntx}), a descriptor array of {tx_ring} x "
            f"{sizes['tsnic_tx_desc']} B = {desc_b} B and a buffer array of {tx_ring} x "
            f"{sizes['tsnic_tx_buf']} B = {buf_b} B (`kvcalloc()` in `tsnic_tx_ring_alloc()`, "
            f"{slab_bytes(desc_b)} and {slab_bytes(buf_b)} B as allocated): {kib(arrays):.1f} KiB; "
            f"and {qd_what}.  The RX side preallocates nothing: its FIFO of "
            f"{rx_ring if rx_ring else '?'} frames is a list of the skbs that arrive.  "
            f"Expected {kib(arrays + qd_b):.1f} KiB; measured (total) {mrange(up_t, 1)} KiB.")
        out(f"- **Created**: the net_device with tsnic's private part ({sizes['net_device']} + "
            f"{sizes['tsnic_priv']} B, one allocation of {slab_bytes(nd)} B; the private part is "
            f"mostly the {sizes.get('tsnic_tsu', 0)} B timestamp unit with its 64 slots) and the "
            f"queue structs ({ntx} x {sizes['tsnic_tx_ring']} B TX, {nrx} x {sizes['tsnic_rx_ring']} B "
            f"RX, with their NAPI contexts and engine): {kib(structs):.1f} KiB; the stack's queues, "
            f"the PTP clock and the platform device (the \"card\"): another {kib(core):.1f} KiB.  "
            f"The rest is what any device costs the stack (sysfs and kernfs nodes, IPv4 and IPv6 "
            f"state and sysctls: veth's whole figure, {mrange(cr_v, 1)} KiB per device, is of this "
            f"kind) plus tsnic's own sysfs (the card, the PTP clock and its character device) and "
            f"/proc entries.  Measured (total) {mrange(cr_t, 1)} KiB.")
        out()
    elif not sizes:
        out("(No struct sizes: `pahole` could not read the module's BTF.)")
        out()
    # --- idle
    out("### Idle devices")
    out()
    idle = {}   # kind -> [busy fraction %]
    for r in scale_rows("idle.txt"):
        if len(r) < 3 + 2 * 8:
            continue
        n = (len(r) - 3) // 2
        c0 = [int(x) for x in r[3:3 + n]]
        c1 = [int(x) for x in r[3 + n:3 + 2 * n]]
        d = [b - a for a, b in zip(c0, c1)]
        # user nice system idle iowait irq softirq steal ...
        busy = d[0] + d[1] + d[2] + d[5] + d[6] + d[7]
        tot = busy + d[3] + d[4]
        if tot:
            idle.setdefault(r[1], []).append(100.0 * busy / tot)
    ev = {}     # kind -> list of per-second rates (hrtimer, timer, work, tsnic, watchdog), overruns
    for r in scale_rows("events.txt"):
        if len(r) < 9:
            continue
        s = float(r[2]) or 1
        ev.setdefault(r[1], []).append([int(x) / s for x in r[3:8]] + [int(r[8])])
    out(f"All devices up and idle ({ndev} of a kind, none: no device): the CPU busy over "
        f"{meta.get('scale_idle_s', '?')} s (`/proc/stat`, all vCPUs: user, system, irq and softirq "
        f"against idle), then the timer and work callbacks run over {meta.get('scale_trace_s', '?')} s "
        "(tracefs events `hrtimer_expire_entry`, `timer_expire_entry`, `workqueue_execute_start`), "
        "per second; *tsnic's* are those of the driver's functions, *watchdog* the stack's TX "
        "watchdog timer (`dev_watchdog()`, every 5 s on a running device with carrier that has "
        "`ndo_tx_timeout`: tsnic has, veth has not).  Under TCG on a shared host the busy "
        "figure moves by points between rounds with nothing changed (a contended host "
        "stretches every guest instruction), so a few hundred cheap callbacks a second do "
        "not show in it: the callback counts are the exact figure.")
    out()
    out("| kind | CPU busy (%) | minus none (points) | hrtimers/s | timers/s | work items/s | tsnic's/s | watchdog/s |")
    out("|---|---|---|---|---|---|---|---|")
    base = med(idle["none"]) if idle.get("none") else None
    for kind in ("none", "veth", "tsnic"):
        if kind not in idle:
            continue
        e = ev.get(kind, [])
        cols = [mrange([x[i] for x in e], 1) for i in range(5)] if e else ["n/a"] * 5
        diff = [x - base for x in idle[kind]] if base is not None else []
        out(f"| {kind} | {mrange(idle[kind])} | {mrange(diff) if kind != 'none' else ''} | " +
            " | ".join(cols) + " |")
    lost = sum(x[5] for v in ev.values() for x in v)
    out()
    if lost:
        out(f"The trace buffer lost {lost} events: the callback counts are low.")
        out()
    if idle.get("tsnic") and base is not None:
        ts_cb = [x[3] for x in ev.get("tsnic", [])]
        headline.append(f"scale, {ndev} idle tsnic devices: CPU busy {fmt(med(idle['tsnic']), 2)} % "
                        f"against {fmt(base, 2)} % with none; tsnic callbacks "
                        f"{fmt(med(ts_cb), 1) if ts_cb else 'n/a'}/s")

# ---------------------------------------------------------------------------
# 6. Time sources
# ---------------------------------------------------------------------------
tsdir = os.path.join(data, "ts2phc")
if os.path.isdir(tsdir):
    runs = [("gnss", "ts2phc -s nmea (GNSS receiver, 50 ns pulse jitter)"),
            ("phc", "ts2phc -s PHC (periodic output over a 5 ns wire)")]
    out("## 6. Time sources")
    out()
    out("ts2phc disciplines a PHC running 40 ppm fast with 20 ns of timestamp")
    out("jitter, one offset sample per pulse: from the device's GNSS receiver")
    out("(NMEA on `/dev/gnssN`, its 1PPS into SDP0) and from another PHC's")
    out("periodic output wired into SDP0.  RMS and max |offset| over the last")
    out("window of each run; the lock time is the first sample in state s2.")
    out()
    out("| run | time to s2 (s) | RMS offset (ns) | max abs offset (ns) | mean freq (ppb) | samples | PHC - true TAI at the end (ns) |")
    out("|---|---|---|---|---|---|---|")
    plots = []
    for name, label in runs:
        p = os.path.join(tsdir, name, "log.txt")
        if not os.path.exists(p):
            continue
        cfg = readkv(os.path.join(tsdir, name, "config.txt")) if os.path.exists(
            os.path.join(tsdir, name, "config.txt")) else {}
        win = float(cfg.get("win_s", "30"))
        t0, s2, samples = None, None, []
        for line in readlines(p):
            m = re.match(r"ts2phc\[([\d.]+)\]:", line)
            if not m:
                continue
            t = float(m.group(1))
            if t0 is None:
                t0 = t
            m = re.search(r"master offset\s+(-?\d+) s(\d) freq\s+([+-]?\d+)", line)
            if m:
                off, st, fq = int(m.group(1)), int(m.group(2)), int(m.group(3))
                samples.append((t - t0, off, st, fq))
                if st == 2 and s2 is None:
                    s2 = t - t0
        t_end = samples[-1][0] if samples else 0
        w = [x for x in samples if x[0] >= t_end - win and x[2] == 2]
        if w:
            rms = math.sqrt(sum(x[1] ** 2 for x in w) / len(w))
            mx = max(abs(x[1]) for x in w)
            mf = sum(x[3] for x in w) / len(w)
        else:
            rms = mx = mf = float("nan")
        true_off = "n/a"
        endp = os.path.join(tsdir, name, "end.txt")
        if os.path.exists(endp):
            try:
                true_off = str(json.load(open(endp))[0]["gnss"]["phc_offset_ns"])
            except (ValueError, KeyError, IndexError):
                pass
        out(f"| {label} | {fmt(s2, 1) if s2 is not None else 'never'} | {fmt(rms)} | {fmt(mx, 0)} | "
            f"{fmt(mf, 0)} | {len(w)} | {true_off} |")
        headline.append(f"{label}: s2 after {fmt(s2, 1) if s2 is not None else 'never'} s, "
                        f"RMS {fmt(rms)} ns, max {fmt(mx, 0)} ns")
        with open(dat(f"ts2phc-{name}.dat"), "w") as f:
            for x in samples:
                f.write(f"{x[0]:.3f} {x[1]} {x[2]}\n")
        plots.append((name, label))
    out()
    out("The GNSS run's last column is the disciplined PHC against the module's true")
    out("time: the servo's residual plus the mean of the pulse jitter, never the")
    out("37 s of TAI - UTC (ts2phc converts the NMEA time with its leap table).")
    out()
    if plots:
        out(f"![ts2phc offset over time]({prefix}ts2phc-offset.png)")
        out()
        lines = ", \\\n     ".join(
            f"'{dat(f'ts2phc-{n}.dat')}' using 1:(abs($2) > 0 ? abs($2) : 0.5) with linespoints pt 7 ps 0.4 title '{l}'"
            for n, l in plots)
        gnuplot(TERM + f"""
set output '{png("ts2phc-offset.png")}'
set title 'ts2phc: |offset| of a 40 ppm PHC over time ({kernel})'
set xlabel 'time since ts2phc started (s)'
set ylabel '|offset| (ns, log)'
set logscale y
set grid
set key top right
plot {lines}
""")

# ---------------------------------------------------------------------------
# 7. Sync through a boundary clock; one-step against two-step Sync
# ---------------------------------------------------------------------------
def ptp4l_samples(path, t0):
    """ptp4l -m per-sample lines: (t - t0, offset, state, freq, path delay)."""
    samples = []
    for line in readlines(path):
        m = re.match(r"ptp4l\[([\d.]+)\]:.*master offset\s+(-?\d+) s(\d) freq\s+([+-]?\d+) "
                     r"path delay\s+(-?\d+)", line)
        if m:
            samples.append((float(m.group(1)) - t0, int(m.group(2)), int(m.group(3)),
                            int(m.group(4)), int(m.group(5))))
    return samples


def phc_samples(path):
    """phcdiff.py lines: (T, offset, bracket)."""
    rows = []
    for line in readlines(path):
        f = line.split()
        if len(f) == 3:
            rows.append((float(f[0]), int(f[1]), int(f[2])))
    return rows


def first_s2(samples):
    return next((x[0] for x in samples if x[2] == 2), None)


def wstats(vals):
    """RMS, max |v|, mean of a list of offsets."""
    if not vals:
        return float("nan"), float("nan"), float("nan")
    return (math.sqrt(sum(v * v for v in vals) / len(vals)), max(abs(v) for v in vals),
            sum(vals) / len(vals))


syncdir = os.path.join(data, "sync")
if os.path.isdir(syncdir):
    out("## 7. Sync through a boundary clock; one-step against two-step Sync")
    out()
    out("Every clock runs 40 ppm off with 20 ns of timestamp jitter (`freq_random_ppb=0`,")
    out("`tsnic dev set X freq-offset +-40ppm ts-jitter 20ns`, the sign alternating along")
    out("the path: each servo corrects 80 ppm).  ptp4l sends 4 Syncs and 4 Delay_Reqs a")
    out("second and logs every sample; its clock check is off (`sanity_freq_limit 0`:")
    out("a guest starved by a loaded host looks to it like a clock 200 ppm off, and it")
    out("resets the servo).  Two measures: ptp4l's own offsets (what each")
    out("servo sees of its master: one hop, stamps on both ends, the jitter included),")
    out("and the slave's PHC read against the grandmaster's (or the master's) every")
    out("0.5 s from the root namespace by `bench/phcdiff.py`: the end-to-end truth,")
    out("but each reading is a clock read bracketed by two reads of the other, which")
    out("costs microseconds under TCG: its error is up to half that bracket, given in")
    out("the tables.  Statistics over the last window of each run, the lock time is")
    out("the first sample in state s2.")
    out()
    out("### Boundary clock chain")
    out()
    bcd = os.path.join(syncdir, "bc")
    cfg = readkv(os.path.join(bcd, "config.txt"))
    win = float(cfg.get("win_s", "40"))
    out("Grandmaster `gm0` (+40 ppm) -- `p0` | `p1`, two ports of one card sharing its PHC")
    out("(-40 ppm; ptp4l `-i p0 -i p1 --boundary_clock_jbod=0`) -- slave `sl0` (+40 ppm),")
    out(f"three namespaces, ptp4l `-2` (IEEE 802.3 transport); {cfg.get('run_s', '?')} s, "
        f"window the last {win:.0f} s.")
    out()
    phc = phc_samples(os.path.join(bcd, "phc.txt"))
    t0 = phc[0][0] if phc else 0.0
    hop1 = ptp4l_samples(os.path.join(bcd, "bc.log"), t0)
    hop2 = ptp4l_samples(os.path.join(bcd, "sl.log"), t0)
    t_end = phc[-1][0] - t0 if phc else 0.0
    out("| measure | time to s2 (s) | RMS (ns) | max abs (ns) | mean (ns) | samples | s2 all window |")
    out("|---|---|---|---|---|---|---|")
    for samples, label in ((hop1, "ptp4l on the BC: p0 to the grandmaster"),
                           (hop2, "ptp4l on the slave: sl0 to the BC's p1")):
        w = [x for x in samples if x[0] >= t_end - win]
        rms, mx, mean = wstats([x[1] for x in w])
        s2 = first_s2(samples)
        out(f"| {label} | {fmt(s2, 1) if s2 is not None else 'never'} | {fmt(rms)} | {fmt(mx, 0)} | "
            f"{fmt(mean)} | {len(w)} | {'yes' if w and all(x[2] == 2 for x in w) else 'no'} |")
    pw = [(x[0] - t0, x[1], x[2]) for x in phc if x[0] - t0 >= t_end - win]
    rms, mx, mean = wstats([x[1] for x in pw])
    brk = med([x[2] for x in pw])
    out(f"| slave PHC - grandmaster PHC (phcdiff.py) | | {fmt(rms)} | {fmt(mx, 0)} | {fmt(mean)} | "
        f"{len(pw)} | median read bracket {fmt(brk, 0)} ns |")
    out()
    headline.append(f"boundary clock chain (40 ppm, 20 ns jitter on each clock): slave PHC to "
                    f"grandmaster PHC RMS {fmt(rms)} ns (read bracket {fmt(brk, 0)} ns); per hop "
                    f"RMS {fmt(wstats([x[1] for x in hop1 if x[0] >= t_end - win])[0])} and "
                    f"{fmt(wstats([x[1] for x in hop2 if x[0] >= t_end - win])[0])} ns")
    with open(dat("sync-bc-phc.dat"), "w") as f:
        for x in phc:
            f.write(f"{x[0] - t0:.3f} {x[1]} {x[2]}\n")
    for name, samples in (("hop1", hop1), ("hop2", hop2)):
        with open(dat(f"sync-bc-{name}.dat"), "w") as f:
            for x in samples:
                f.write(f"{x[0]:.3f} {x[1]} {x[2]}\n")
    out("The PHC reading's mean is its bias as much as the chain's: a read of one")
    out("clock between two reads of the other is symmetric only on average, and")
    out("each hop's servo sees its own timestamps, not the end to end offset.")
    out()
    out(f"![boundary clock chain: offsets over time]({prefix}sync-bc.png)")
    out()
    out(f"![boundary clock chain: the window]({prefix}sync-bc-window.png)")
    out()
    series = [("sync-bc-phc.dat", "slave PHC - grandmaster PHC (read)"),
              ("sync-bc-hop1.dat", "ptp4l BC p0: offset to grandmaster"),
              ("sync-bc-hop2.dat", "ptp4l slave: offset to BC")]
    lines = ", \\\n     ".join(
        f"'{dat(n)}' using 1:(abs($2) > 0 ? abs($2) : 0.5) with lines title '{l}'" for n, l in series)
    gnuplot(TERM + f"""
set output '{png("sync-bc.png")}'
set title 'GM -> BC (2-port card) -> slave: |offset| over time ({kernel})'
set xlabel 'time since the run started (s)'
set ylabel '|offset| (ns, log)'
set logscale y
set grid
set key top right
plot {lines}
""")
    lines = ", \\\n     ".join(
        f"'{dat(n)}' using 1:($1 >= {t_end - win} ? $2 : 1/0) with linespoints pt 7 ps 0.4 title '{l}'"
        for n, l in series)
    gnuplot(TERM + f"""
set output '{png("sync-bc-window.png")}'
set title 'GM -> BC -> slave: offsets in the last {win:.0f} s'
set xrange [{t_end - win:.0f}:*]
set xlabel 'time since the run started (s)'
set ylabel 'offset (ns)'
set grid
set key top right
plot {lines}
""")

    out("### One-step against two-step Sync")
    out()
    out("A wired pair, master `sm0` (-40 ppm) and slave `ss0` (+40 ppm), ptp4l `-H` over")
    out("UDPv4; the master with `twoStepFlag 1` (Sync, then Follow_Up with the Sync's")
    out("TX stamp) or `twoStepFlag 0` (`HWTSTAMP_TX_ONESTEP_SYNC`: the engine writes the")
    out("departure time into the Sync as it leaves, no Follow_Up).  The slave's")
    out("configuration is the same in both.")
    out()
    out("| run | time to s2 (s) | ptp4l RMS (ns) | ptp4l max abs (ns) | ptp4l mean (ns) | mean path delay (ns) | samples | PHC read RMS (ns) | read bracket (ns) | master's one-step Syncs |")
    out("|---|---|---|---|---|---|---|---|---|---|")
    plots = []
    for name, label in (("twostep", "two-step (twoStepFlag 1)"), ("onestep", "one-step (twoStepFlag 0)")):
        d = os.path.join(syncdir, name)
        if not os.path.isdir(d):
            continue
        cfg = readkv(os.path.join(d, "config.txt"))
        win = float(cfg.get("win_s", "40"))
        phc = phc_samples(os.path.join(d, "phc.txt"))
        t0 = phc[0][0] if phc else 0.0
        t_end = phc[-1][0] - t0 if phc else 0.0
        sl = ptp4l_samples(os.path.join(d, "slave.log"), t0)
        w = [x for x in sl if x[0] >= t_end - win]
        rms, mx, mean = wstats([x[1] for x in w])
        mpd = sum(x[4] for x in w) / len(w) if w else float("nan")
        pw = [x for x in phc if x[0] - t0 >= t_end - win]
        prms = wstats([x[1] for x in pw])[0]
        brk = med([x[2] for x in pw])
        onestep = "?"
        for line in readlines(os.path.join(d, "ethtool-master.txt")):
            f = line.split()
            if len(f) == 2 and f[0] == "tx_hwtstamp_onestep:":
                onestep = f[1]
        s2 = first_s2(sl)
        allw = w and all(x[2] == 2 for x in w)
        out(f"| {label} | {fmt(s2, 1) if s2 is not None else 'never'} | {fmt(rms)} | {fmt(mx, 0)} | "
            f"{fmt(mean)} | {fmt(mpd, 0)} | {len(w)}{'' if allw else ' (not all s2)'} | {fmt(prms)} | "
            f"{fmt(brk, 0)} | {onestep} |")
        headline.append(f"{label} Sync (40 ppm, 20 ns jitter): s2 after "
                        f"{fmt(s2, 1) if s2 is not None else 'never'} s, ptp4l RMS {fmt(rms)} ns, "
                        f"max {fmt(mx, 0)} ns")
        with open(dat(f"sync-{name}.dat"), "w") as f:
            for x in sl:
                f.write(f"{x[0]:.3f} {x[1]} {x[2]}\n")
        with open(dat(f"sync-{name}-phc.dat"), "w") as f:
            for x in phc:
                f.write(f"{x[0] - t0:.3f} {x[1]} {x[2]}\n")
        plots.append((name, label, t_end - win))
    out()
    if plots:
        out(f"![one-step against two-step: |offset| over time]({prefix}sync-steps.png)")
        out()
        out(f"![one-step against two-step: the window]({prefix}sync-steps-window.png)")
        out()
        lines = ", \\\n     ".join(
            f"'{dat(f'sync-{n}.dat')}' using 1:(abs($2) > 0 ? abs($2) : 0.5) with lines title 'ptp4l slave, {l}'"
            for n, l, _ in plots)
        gnuplot(TERM + f"""
set output '{png("sync-steps.png")}'
set title 'ptp4l slave: |master offset| over time, one-step and two-step master ({kernel})'
set xlabel 'time since the run started (s)'
set ylabel '|offset| (ns, log)'
set logscale y
set grid
set key top right
plot {lines}
""")
        lines = ", \\\n     ".join(
            f"'{dat(f'sync-{n}.dat')}' using 1:($1 >= {ws} ? $2 : 1/0) with linespoints pt 7 ps 0.4 title '{l}'"
            for n, l, ws in plots)
        gnuplot(TERM + f"""
set output '{png("sync-steps-window.png")}'
set title 'ptp4l slave offset in the window: one-step and two-step master'
set xrange [{min(ws for _, _, ws in plots):.0f}:*]
set xlabel 'time since the run started (s)'
set ylabel 'offset (ns)'
set grid
set key top right
plot {lines}
""")

# ---------------------------------------------------------------------------
# 8. TSN offloads
# ---------------------------------------------------------------------------
def tsn_rows(path):
    """LAUNCH STAMP rows of selftests/tsn.py (STAMP "x": dropped by the
    qdisc, "-": no stamp came)."""
    rows = []
    for line in readlines(path):
        f = line.split()
        if len(f) == 2:
            rows.append((int(f[0]), None if f[1] in ("x", "i", "-") else int(f[1]), f[1]))
    return rows


def tsn_etf():
    d = os.path.join(data, "tsn", "etf")
    cfg = readkv(os.path.join(d, "config.txt"))
    runs = [("tsnic", "tsnic, ETF offload (hardware TX stamp)")] + [
        (f"veth-{x}", f"veth, software ETF delta {int(x) // 1000} us (software TX stamp)")
        for x in cfg.get("sw_deltas", "").split()]
    out("### Launch time error")
    out()
    out(f"Frames of {cfg.get('size', '?')} bytes queued at once, SO_TXTIME launch times "
        f"{int(cfg.get('gap_ns', '0')) // 1000} us apart on CLOCK_TAI: the error is the TX stamp "
        f"minus the launch time.  tsnic's ETF offload ({cfg.get('hw_n', '?')} frames, the first "
        f"launch {cfg.get('hw_lead_ms', '?')} ms ahead) stamps the frame's last bit on the PHC, "
        f"kept on TAI: one wire time ({cfg.get('rate', '?')}) after the launch time.  Its delta "
        f"is {int(cfg.get('offload_delta_ns', '0')) // 1000000} ms, so that the qdisc hands "
        "every frame to the device when it is queued and the engine holds it: with a delta of "
        "milliseconds, the qdisc's own timer decides when frames reach the device, and on a "
        "host shared with other TCG guests it fires late often enough to drop them before the "
        "offload sees them (the figure the software runs below measure).  Software "
        "ETF on veth dequeues each frame delta before its launch time, when its hrtimer "
        "fires, and drops it if that is already past the launch time (*dropped late*); veth "
        "stamps it in `ndo_start_xmit` on CLOCK_REALTIME (moved to TAI).  *Refused at "
        "enqueue*: frames whose launch time had passed when the sender queued them (the "
        f"launch times start {cfg.get('lead_ms', '?')} ms after the sender read the clock).")
    out()
    out("| run | frames | stamped | dropped late | refused at enqueue | min error (us) | median (us) | p99 (us) | max (us) |")
    out("|---|---|---|---|---|---|---|---|---|")
    plots = []
    for name, label in runs:
        rows = tsn_rows(os.path.join(d, name + ".txt"))
        if not rows:
            continue
        err = [(st - ln) / 1000.0 for ln, st, _ in rows if st is not None]
        drops = sum(1 for r in rows if r[2] == "x")
        refused = sum(1 for r in rows if r[2] == "i")
        out(f"| {label} | {len(rows)} | {len(err)} | {drops} | {refused} | {fmt(min(err) if err else None, 2)} | "
            f"{fmt(med(err), 2)} | {fmt(pct(err, 99), 2)} | {fmt(max(err) if err else None, 2)} |")
        with open(dat(f"tsn-etf-{name}.dat"), "w") as f:
            for e in err:
                f.write(f"{e:.3f}\n")
        if err:
            plots.append((name, label))
            if name == "tsnic":
                headline.append(f"ETF offload on tsnic: launch time error {fmt(min(err), 2)} to "
                                f"{fmt(max(err), 2)} us (one wire time) over {len(err)} frames")
            else:
                headline.append(f"{label}: error median {fmt(med(err), 1)} us, p99 "
                                f"{fmt(pct(err, 99), 1)} us, {drops} of {len(rows)} dropped")
    counters = readlines(os.path.join(d, "tsnic-counters.txt"))
    if counters:
        out()
        out("tsnic's counters after its run: " +
            ", ".join(f"`{c.split()[0].rstrip(':')}` {c.split()[1]}" for c in counters) + ".")
    out()
    if not plots:
        return
    out(f"![launch time error]({prefix}tsn-etf.png)")
    out()
    # 10 us bins over the whole range, counts on a log scale
    lines = ", \\\n     ".join(
        f"'{dat(f'tsn-etf-{n}.dat')}' using (10 * floor($1 / 10) + 5):(1) smooth frequency "
        f"with boxes fs transparent solid 0.5 title '{l}'" for n, l in plots)
    gnuplot(TERM + f"""
set output '{png("tsn-etf.png")}'
set title 'TX stamp - SO_TXTIME launch time ({kernel})' noenhanced
set xlabel 'error (us, 10 us bins)'
set ylabel 'frames (log)'
set logscale y
set yrange [0.8:*]
set boxwidth 10
set grid
set key top left noenhanced
plot {lines}
""")


def tsn_taprio():
    d = os.path.join(data, "tsn", "taprio")
    cfg = readkv(os.path.join(d, "config.txt"))
    rows = []
    for line in readlines(os.path.join(d, "stamps.txt")):
        f = line.split()
        if len(f) == 2:
            rows.append((int(f[0]), None if f[1] == "-" else int(f[1])))
    if not rows:
        return
    cycle = int(cfg.get("cycle_ns", "1000000"))
    wire = int(cfg.get("wire_ns", "0"))
    win = {}
    for w in cfg.get("windows", "").split():
        c, _, r = w.partition(":")
        a, _, b = r.partition("-")
        win[int(c)] = (int(a), int(b))
    first = min(st - wire for _, st in rows if st is not None) // cycle
    last = max(st - wire for _, st in rows if st is not None) // cycle - first
    inside = {c: [0, 0] for c in win}
    with open(dat("tsn-taprio.dat"), "w") as f:
        for c, st in rows:
            if st is None:
                continue
            start = st - wire
            n, p = start // cycle - first, start % cycle
            a, b = win.get(c, (0, cycle))
            inside.setdefault(c, [0, 0])[0] += 1
            inside[c][1] += a <= p and p + wire <= b
            # the frame on the wire: from its first bit to its last
            f.write(f"{c} {n} {p / 1000.0:.3f} {(p + wire) / 1000.0:.3f}\n")
    out("### Gate schedule")
    out()
    out(f"taprio full offload (flags 0x2), three classes, each a queue, cycle {cycle // 1000} us: "
        + ", ".join(f"class {c} open {a // 1000}-{b // 1000} us" for c, (a, b) in sorted(win.items())) +
        f"; at {cfg.get('rate', '?')} a frame of {cfg.get('size', '?')} bytes is on the wire "
        f"{wire / 1000.0:.1f} us, so two fit in a window of 300 us, a third would overrun the "
        "gate's close (guard band) and waits for the next cycle.  Every class gets its frames "
        "queued at once; each departure is drawn from its first bit (hardware TX stamp minus "
        "one wire time) to its last, at its place in its cycle.")
    out()
    out("| class | frames | departures inside the class's window |")
    out("|---|---|---|")
    for c in sorted(inside):
        out(f"| {c} | {inside[c][0]} | {inside[c][1]} |")
    tot = sum(v[0] for v in inside.values())
    ok = sum(v[1] for v in inside.values())
    headline.append(f"taprio full offload: {ok} of {tot} departures inside their gate windows")
    counters = readlines(os.path.join(d, "counters.txt"))
    if counters:
        out()
        out("Counters after the run: " +
            ", ".join(f"`{c.split()[0].rstrip(':')}` {c.split()[1]}" for c in counters) + ".")
    out()
    out(f"![gate schedule timeline]({prefix}tsn-taprio.png)")
    out()
    colours = ["#1f77b4", "#ff7f0e", "#2ca02c"]
    rects = "\n".join(
        f"set object {i + 1} rect from {a / 1000.0},graph 0 to {b / 1000.0},graph 1 "
        f"fc rgb '{colours[c % 3]}' fs transparent solid 0.12 noborder behind"
        for i, (c, (a, b)) in enumerate(sorted(win.items())))
    plots = ", \\\n     ".join(
        f"'{dat('tsn-taprio.dat')}' using ($1 == {c} ? $3 : NaN):2:($4 - $3):(0) "
        f"with vectors nohead lw 6 lc rgb '{colours[c % 3]}' title 'class {c} (window "
        f"{a // 1000}-{b // 1000} us)'" for c, (a, b) in sorted(win.items()))
    gnuplot(TERM + f"""
set output '{png("tsn-taprio.png")}'
set title 'taprio flags 0x2: departures in the cycle, by class ({kernel})'
set xlabel 'time into the cycle (us; shaded: the class gate open)'
set ylabel 'cycle'
set xrange [0:{cycle / 1000.0}]
set yrange [-0.5:{last + 0.5}] reverse
set ytics 1
set xtics 100
set grid
set key outside bottom center horizontal
{rects}
plot {plots}
""")


def tsn_cbs():
    d = os.path.join(data, "tsn", "cbs")
    cfg = readkv(os.path.join(d, "config.txt"))
    bits = int(cfg.get("wire_bits", "0"))
    res = []
    prev = 0    # the counter runs on across the idleslopes
    for idle in cfg.get("idleslopes", "").split():
        f = (readlines(os.path.join(d, f"idle-{idle}.txt")) or [""])[0].split()
        if len(f) != 3 or not all(x.isdigit() for x in f):
            continue
        n, span = int(f[0]), int(f[2]) - int(f[1])
        rate = (n - 1) * bits * 1e6 / span     # kbit/s
        waits = (readlines(os.path.join(d, f"idle-{idle}-waits.txt")) or [""])[0]
        if waits.isdigit():
            waits, prev = int(waits) - prev, int(waits)
        else:
            waits = "?"
        res.append((int(idle), rate, n, span, waits))
    if not res:
        return
    out("### CBS")
    out()
    out(f"CBS offload on one queue of a {int(cfg.get('rate_kbit', '0'))} kbit/s link, "
        f"saturated for {cfg.get('saturation_ms', '?')} ms at each idleslope (frames of "
        f"{cfg.get('size', '?')} bytes, {bits} bits on the wire with preamble and gap, "
        "handed to the ring at once past the qdisc (`PACKET_QDISC_BYPASS`: the cbs qdisc "
        "only configures the offload, and its software path would refill the ring in "
        "softirqs a loaded host delays), only the first and the last asking for a hardware "
        "stamp): the "
        "rate is the bits of every frame after the first over the time from the first "
        "frame's hardware TX stamp to the last's.  *Held for credit* counts the frames the shaper made wait "
        "(`tx_queue_1_cbs_waits`): every frame but the first means the queue never ran dry.")
    out()
    out("| idleslope (kbit/s) | frames | first to last stamp (ms) | rate (kbit/s) | rate / idleslope | frames held for credit |")
    out("|---|---|---|---|---|---|")
    with open(dat("tsn-cbs.dat"), "w") as f:
        for idle, rate, n, span, waits in res:
            out(f"| {idle} | {n} | {fmt(span / 1e6, 1)} | {fmt(rate, 1)} | {rate / idle:.4f} | {waits} |")
            f.write(f"{idle} {rate:.3f}\n")
    worst = max(abs(r / i - 1) for i, r, *_ in res)
    headline.append(f"CBS offload: rate within {100 * worst:.3f} % of idleslope at "
                    f"{len(res)} idleslopes")
    out()
    out(f"![CBS rate against idleslope]({prefix}tsn-cbs.png)")
    out()
    gnuplot(TERM + f"""
set output '{png("tsn-cbs.png")}'
set title 'CBS offload: measured rate against idleslope ({kernel})'
set xlabel 'idleslope (kbit/s)'
set ylabel 'rate from hardware TX stamps (kbit/s)'
set xrange [0:{int(cfg.get('rate_kbit', '1000'))}]
set yrange [0:{int(cfg.get('rate_kbit', '1000'))}]
set grid
set key top left
plot x title 'idleslope' lc rgb '#999999', \\
     '{dat('tsn-cbs.dat')}' using 1:2 with linespoints pt 7 ps 1.2 title 'tsnic'
""")


if os.path.isdir(os.path.join(data, "tsn")):
    out("## 8. TSN offloads")
    out()
    out("The engine's TSN offloads seen through hardware TX stamps (`selftests/tsn.py`; "
        "the times are the PHC's, computed by the engine's model of the wire, so TCG does "
        "not move them; the software ETF run on veth is measured, and is as slow as the VM).")
    out()
    tsn_etf()
    tsn_taprio()
    tsn_cbs()

# ---------------------------------------------------------------------------
md.insert(md.index("## Setup"), "## Headlines\n\n" + "\n".join(f"- {h}" for h in headline) + "\n")
dm = [l for l in readlines(os.path.join(data, "dmesg.txt")) if re.search(r"WARNING|BUG|Oops", l)]
out("## Kernel log")
out()
out("No WARN, BUG or oops in the guest's kernel log." if not dm else
    "The guest's kernel log had problems:\n\n```\n" + "\n".join(dm) + "\n```")
out()
with open(os.path.join(outdir, prefix + "report.md"), "w") as f:
    f.write("\n".join(md) + "\n")
print(os.path.join(outdir, prefix + "report.md"))

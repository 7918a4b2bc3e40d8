#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A tsnic GNSS receiver's two outputs, read together, for tsnic_gnss.sh.

  gnss.py read GNSS PTP CHAN N PHC_TAI_NS OFFSET_NS [timeout=S]

GNSS is the receiver's /dev/gnssN, PTP the /dev/ptpN of its device, whose
pin the caller assigned to external timestamp channel CHAN.  Reads NMEA
sentences and CHAN's rising-edge events until N pulses came (or the
timeout), and prints

  sentence TYPE SECOND STATUS   a sentence with a valid checksum: its UTC
                                second (epoch), RMC's A or V (GGA: quality)
  badsum LINE                   a sentence whose checksum is wrong
  pulse SECOND RESIDUAL         a pulse: the UTC second it marks and how far
                                (ns) it is from that second's start, from
                                its PHC stamp less PHC_TAI_NS (the PHC's
                                offset from true TAI), OFFSET_NS (the
                                receiver's) and TAI - UTC (37 s)
  matched K                     pulses whose second an RMC with fix described
"""
import calendar
import os
import select
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pins  # noqa: E402

TAI_UTC = 37


def checksum_ok(line):
    body, star, cs = line[1:].partition("*")
    if not line.startswith("$") or not star:
        return False
    x = 0
    for c in body:
        x ^= ord(c)
    return cs[:2].upper() == f"{x:02X}"


def sentence(line):
    """(type, UTC second, status) of a GGA, RMC or ZDA sentence."""
    f = line[1:].split("*")[0].split(",")
    kind = f[0][2:]
    hh, mm, ss = int(f[1][0:2]), int(f[1][2:4]), int(f[1][4:6])
    if kind == "RMC":
        d = f[9]
        day, mon, year = int(d[0:2]), int(d[2:4]), 2000 + int(d[4:6])
        status = f[2]
    elif kind == "ZDA":
        day, mon, year = int(f[2]), int(f[3]), int(f[4])
        status = "-"
    else:
        return kind, None, f[6]
    sec = calendar.timegm((year, mon, day, hh, mm, ss, 0, 0, 0))
    return kind, sec, status


def main(argv):
    if len(argv) < 8 or argv[1] != "read":
        print(__doc__, file=sys.stderr)
        return 2
    argv = argv[1:]
    gnss, ptp, chan, n = argv[1], argv[2], int(argv[3]), int(argv[4])
    phc_tai, offset = int(argv[5]), int(argv[6])
    timeout = float(pins.kv(argv[7:]).get("timeout", "20"))

    gfd = os.open(gnss, os.O_RDONLY | os.O_NONBLOCK)
    pfd = os.open(ptp, os.O_RDWR)
    req = struct.pack("=II2I", chan,
                      pins.PTP_ENABLE_FEATURE | pins.PTP_RISING_EDGE, 0, 0)
    r = pins.ioctl(pfd, pins.PTP_EXTTS_REQUEST2, req)
    if r != "ok":
        print(r)
        return 0
    got, end, text, ev = 0, time.monotonic() + timeout, b"", b""
    pulses, fixed = [], set()
    def done():
        # N pulses, and the sentences describing the last one
        return got >= n and (not pulses or
                             (fixed and max(fixed) >= pulses[-1][0]))

    while time.monotonic() < end and not done():
        left = end - time.monotonic()
        ready = select.select([gfd, pfd], [], [], max(left, 0))[0]
        if gfd in ready:
            text += os.read(gfd, 4096)
            *lines, text = text.split(b"\n")
            for raw in lines:
                line = raw.decode(errors="replace").strip()
                if not checksum_ok(line):
                    print(f"badsum {line}")
                    continue
                kind, sec, status = sentence(line)
                print(f"sentence {kind} {sec} {status}")
                if kind == "RMC" and status == "A":
                    fixed.add(sec)
        if pfd in ready and got < n:
            ev += os.read(pfd, 32)
            while len(ev) >= 32:
                sec, nsec, _, index, _ = struct.unpack("=qIIII8x", ev[:32])[:5]
                ev = ev[32:]
                if index != chan:
                    continue
                t = sec * 10**9 + nsec - phc_tai - offset - TAI_UTC * 10**9
                s = (t + 5 * 10**8) // 10**9
                pulses.append((s, t - s * 10**9))
                print(f"pulse {s} {t - s * 10**9}")
                got += 1
    pins.ioctl(pfd, pins.PTP_EXTTS_REQUEST2, struct.pack("=II2I", chan, 0, 0, 0))
    print(f"matched {sum(1 for s, _ in pulses if s in fixed)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

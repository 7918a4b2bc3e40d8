#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Measure PHC frequencies against CLOCK_MONOTONIC_RAW.

phc_rate.py SECONDS /dev/ptpA [/dev/ptpB ...]

Prints one line per clock: "DEVICE PPB", the clock's rate relative to the
raw monotonic clock over SECONDS, in parts per billion.  Each reading is a
PHC read bracketed by two raw-clock reads, the tightest of 20 tries, so a
reader preempted under emulation costs nothing but a retry.
"""
import os
import sys
import time


def phc_clockid(fd):
    # FD_TO_CLOCKID() from the kernel's posix-timers: dynamic clocks
    return ((~fd) << 3) | 3


def offset(clk):
    best = None
    for _ in range(20):
        r1 = time.clock_gettime_ns(time.CLOCK_MONOTONIC_RAW)
        p = time.clock_gettime_ns(clk)
        r2 = time.clock_gettime_ns(time.CLOCK_MONOTONIC_RAW)
        if best is None or r2 - r1 < best[0]:
            best = (r2 - r1, p - (r1 + r2) // 2, (r1 + r2) // 2)
    return best[1], best[2]


def main():
    secs = float(sys.argv[1])
    devs = sys.argv[2:]
    clks = [phc_clockid(os.open(d, os.O_RDONLY)) for d in devs]
    start = [offset(c) for c in clks]
    time.sleep(secs)
    end = [offset(c) for c in clks]
    for d, (o0, r0), (o1, r1) in zip(devs, start, end):
        print("%s %d" % (d, round((o1 - o0) * 1e9 / (r1 - r0))))


if __name__ == "__main__":
    main()

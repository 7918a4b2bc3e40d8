#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Sample how far one PHC is from another, for bench/guest.sh section 7.

usage: phcdiff.py PHC_REF PHC PERIOD_S DURATION_S

Every PERIOD_S seconds, for DURATION_S seconds, prints one line
"T OFFSET BRACKET": T the CLOCK_MONOTONIC time in seconds (the clock of
ptp4l's log stamps), OFFSET = PHC - PHC_REF in ns, read between two reads
of PHC_REF (the best of 8 tries: the one with the shortest bracket), and
BRACKET the time between those two reads in ns (the reading's own
uncertainty, half of it each way).
"""
import os
import sys
import time


def phc_ns(fd):
    return time.clock_gettime_ns((~fd << 3) | 3)	# FD_TO_CLOCKID


def main(argv):
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    ref = os.open(argv[1], os.O_RDONLY)
    phc = os.open(argv[2], os.O_RDONLY)
    period, duration = float(argv[3]), float(argv[4])
    end = time.monotonic() + duration
    nxt = time.monotonic()
    while nxt < end:
        best = None
        for _ in range(8):
            r1 = phc_ns(ref)
            p = phc_ns(phc)
            r2 = phc_ns(ref)
            if best is None or r2 - r1 < best[1]:
                best = (p - (r1 + r2) // 2, r2 - r1)
        print(f"{time.monotonic():.3f} {best[0]} {best[1]}", flush=True)
        nxt += period
        time.sleep(max(0.0, nxt - time.monotonic()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Sample a TX queue's BQL state from sysfs at a fixed interval.

usage: bqlsample.py DEV SECONDS INTERVAL_MS [QUEUE]
Prints "t_s inflight_bytes limit_bytes" lines, t from the first sample.
Run it in the device's network namespace (ip netns exec remounts /sys).
"""
import sys
import time

dev, secs, step = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]) / 1000
q = sys.argv[4] if len(sys.argv) > 4 else "0"
base = f"/sys/class/net/{dev}/queues/tx-{q}/byte_queue_limits/"
fin = open(base + "inflight")
flim = open(base + "limit")
t0 = time.monotonic()
nxt = t0
while True:
    t = time.monotonic()
    if t - t0 > secs:
        break
    fin.seek(0)
    flim.seek(0)
    print(f"{t - t0:.3f} {fin.read().strip()} {flim.read().strip()}")
    nxt += step
    time.sleep(max(0.0, nxt - time.monotonic()))

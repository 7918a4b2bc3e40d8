#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send UDP datagrams as fast as the stack takes them, for a bounded time.

usage: udp_flood.py DST_ADDR SECONDS [SIZE] [PORT]
Prints the number of datagrams the kernel accepted.  Sends that the qdisc
refuses (ENOBUFS) are counted apart and retried after a short pause.
"""
import errno
import socket
import sys
import time

dst, secs = sys.argv[1], float(sys.argv[2])
size = int(sys.argv[3]) if len(sys.argv) > 3 else 1400
port = int(sys.argv[4]) if len(sys.argv) > 4 else 9
fam = socket.AF_INET6 if ":" in dst else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
payload = b"x" * size
sent = refused = 0
end = time.monotonic() + secs
# At least one send, whatever the clock says: a flood niced under a CPU
# hog (tsnic_stress) may get its next time slice only after its time is up.
# A route or link going away mid-flood (a stress loop downs the link) is
# a refused send, retried, like a full qdisc.
retry = (errno.ENOBUFS, errno.EAGAIN, errno.ECONNREFUSED, errno.ENETUNREACH,
         errno.EHOSTUNREACH, errno.ENETDOWN)
while True:
    try:
        s.sendto(payload, (dst, port))
        sent += 1
    except OSError as e:
        if e.errno not in retry:
            raise
        refused += 1
        time.sleep(0.001)
    if time.monotonic() >= end:
        break
print(sent, refused)

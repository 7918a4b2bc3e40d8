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
while time.monotonic() < end:
    try:
        s.sendto(payload, (dst, port))
        sent += 1
    except OSError as e:
        if e.errno not in (errno.ENOBUFS, errno.EAGAIN, errno.ECONNREFUSED):
            raise
        refused += 1
        time.sleep(0.001)
print(sent, refused)

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Receive pktgen's frames on a device and check that they came in order.

usage: pktgen_seq.py DEV COUNT TIMEOUT_S READY_FILE
Opens a packet socket on DEV, creates READY_FILE, then reads until COUNT
pktgen frames (IPv4/UDP, pktgen's magic after the UDP header) came or
TIMEOUT_S passed.  Prints "COUNT in order" when each sequence number is
the one before plus one, else "N out of order: ..." with the first
sequences seen; exits 0 only for COUNT frames in order.
"""
import socket
import struct
import sys
import time

PKTGEN_MAGIC = 0xBE9BE955
ETH_P_ALL = 3

dev, count, timeout, ready = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
s.bind((dev, 0))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
open(ready, "w").close()
seqs = []
end = time.monotonic() + timeout
while len(seqs) < count:
    left = end - time.monotonic()
    if left <= 0:
        break
    s.settimeout(left)
    try:
        data = s.recv(2048)
    except socket.timeout:
        break
    if len(data) < 42 or data[12:14] != b"\x08\x00" or data[23] != socket.IPPROTO_UDP:
        continue
    off = 14 + (data[14] & 0xF) * 4 + 8
    if len(data) < off + 8:
        continue
    magic, seq = struct.unpack("!II", data[off:off + 8])
    if magic == PKTGEN_MAGIC:
        seqs.append(seq)
bad = [i for i in range(1, len(seqs)) if seqs[i] != seqs[i - 1] + 1]
if len(seqs) == count and not bad:
    print(f"{count} in order")
    sys.exit(0)
print(f"{len(seqs)} of {count}, {len(bad)} out of order: first at {bad[:1]}, "
      f"sequences {seqs[:40]}")
sys.exit(1)

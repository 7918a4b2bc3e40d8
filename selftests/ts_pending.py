#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Leave hardware-timestamp requests pending on a tsnic device.

ts_pending.py DEV DST COUNT

Sends COUNT UDP datagrams out of DEV to DST, each asking for a software and
a hardware TX timestamp, then prints the socket's write-memory charge
(sk_wmem_alloc, from SO_MEMINFO): every skb the driver still holds, on its
ring or in a timestamp slot, is charged there.  It then waits for a line on
stdin (the test deletes the device or unloads the module meanwhile) and
prints the charge again once it has fallen to zero, or after 20 s: a
non-zero charge then is an skb the driver leaked.
"""
import socket
import struct
import sys
import time

SO_TIMESTAMPING = 37
SO_MEMINFO = 55
SK_MEMINFO_WMEM_ALLOC = 2
TX_HARDWARE = 1 << 0
TX_SOFTWARE = 1 << 1
SOFTWARE = 1 << 4
RAW_HARDWARE = 1 << 6
OPT_ID = 1 << 7
OPT_TSONLY = 1 << 11


def wmem(sock):
    raw = sock.getsockopt(socket.SOL_SOCKET, SO_MEMINFO, 4 * 9)
    return struct.unpack("9I", raw)[SK_MEMINFO_WMEM_ALLOC]


def main():
    dev, dst, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, dev.encode())
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 22)
    s.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPING,
                 TX_HARDWARE | TX_SOFTWARE | SOFTWARE | RAW_HARDWARE |
                 OPT_ID | OPT_TSONLY)
    payload = b"\x55" * 1000
    for _ in range(count):
        s.sendto(payload, (dst, 9))
    print("pending %d" % wmem(s), flush=True)
    sys.stdin.readline()
    deadline = time.monotonic() + 20
    while wmem(s) and time.monotonic() < deadline:
        time.sleep(0.1)
    print("after %d" % wmem(s), flush=True)


if __name__ == "__main__":
    main()

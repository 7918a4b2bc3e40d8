#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The PTP pin ioctls testptp does not make, for tsnic_pins.sh.

  pins.py setfunc DEV PIN FUNC CHAN      PTP_PIN_SETFUNC2
  pins.py perout DEV CHAN PERIOD [width=NS] [phase=NS] [start=S.NS|+S]
                 [oneshot] [raw_flags=N]
                                         PTP_PEROUT_REQUEST2 (PERIOD 0: off)
  pins.py extts DEV CHAN N rising|falling|both [timeout=S]
                                         PTP_EXTTS_REQUEST2, then N events
  pins.py extts-req DEV CHAN FLAGS       PTP_EXTTS_REQUEST2 with raw FLAGS
  pins.py pps DEV 0|1                    PTP_ENABLE_PPS2
  pins.py sysoff DEV N                   PTP_SYS_OFFSET_EXTENDED2, N samples:
                                         "width W offset O", the narrowest
                                         bracket and the median of PHC -
                                         bracket midpoint, in ns

Each request prints "ok" or the errno's name (EINVAL, ERANGE...) and exits
0 either way: the test compares.  extts prints one "CHAN SEC.NSEC" line per
event, then "ok", or "timeout" after the events it got.
"""
import errno
import fcntl
import os
import select
import struct
import sys
import time

PTP_ENABLE_FEATURE = 1 << 0
PTP_RISING_EDGE = 1 << 1
PTP_FALLING_EDGE = 1 << 2
PTP_PEROUT_ONE_SHOT = 1 << 0
PTP_PEROUT_DUTY_CYCLE = 1 << 1
PTP_PEROUT_PHASE = 1 << 2


def _iow(nr, size):
    return (1 << 30) | (size << 16) | (ord('=') << 8) | nr


PTP_EXTTS_REQUEST2 = _iow(11, 16)
PTP_PEROUT_REQUEST2 = _iow(12, 56)
PTP_ENABLE_PPS2 = _iow(13, 4)
PTP_PIN_SETFUNC2 = _iow(16, 96)
PTP_SYS_OFFSET_EXTENDED2 = (3 << 30) | (1216 << 16) | (ord('=') << 8) | 18


def ioctl(fd, req, buf):
    try:
        fcntl.ioctl(fd, req, buf)
        return "ok"
    except OSError as e:
        if e.errno == errno.EOPNOTSUPP:
            return "EOPNOTSUPP"	# not its alias ENOTSUP
        return errno.errorcode.get(e.errno, str(e.errno))


def ptime(ns):
    """A struct ptp_clock_time."""
    return struct.pack("=qII", ns // 10**9, ns % 10**9, 0)


def kv(args):
    out = {}
    for a in args:
        k, _, v = a.partition("=")
        out[k] = v
    return out


def phc_now(fd):
    # the dynamic POSIX clock of an open /dev/ptpN: ((~fd) << 3) | 3
    clk = ((~fd) << 3) | 3
    return time.clock_gettime_ns(clk)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    cmd, dev = argv[1], argv[2]
    fd = os.open(dev, os.O_RDWR)
    if cmd == "setfunc":
        pin, func, chan = (int(x) for x in argv[3:6])
        buf = struct.pack("=64sIII5I", b"", pin, func, chan, 0, 0, 0, 0, 0)
        print(ioctl(fd, PTP_PIN_SETFUNC2, buf))
    elif cmd == "perout":
        chan, period = int(argv[3]), int(argv[4])
        o = kv(argv[5:])
        flags, on, start = 0, 0, 0
        if "width" in o:
            flags |= PTP_PEROUT_DUTY_CYCLE
            on = int(o["width"])
        if "phase" in o:
            flags |= PTP_PEROUT_PHASE
            start = int(o["phase"])
        elif "start" in o:
            s = o["start"]
            if s.startswith("+"):
                # seconds from now, on a whole second
                start = (phc_now(fd) // 10**9 + int(s[1:])) * 10**9
            else:
                sec, _, ns = s.partition(".")
                start = int(sec) * 10**9 + int(ns or 0)
        else:
            start = (phc_now(fd) // 10**9 + 2) * 10**9
        if "oneshot" in o:
            flags |= PTP_PEROUT_ONE_SHOT
        if "raw_flags" in o:
            flags = int(o["raw_flags"], 0)
        buf = ptime(start) + ptime(period) + struct.pack("=II", chan, flags)
        buf += ptime(on) if flags & PTP_PEROUT_DUTY_CYCLE else bytes(16)
        print(ioctl(fd, PTP_PEROUT_REQUEST2, buf))
    elif cmd == "extts-req":
        chan, flags = int(argv[3]), int(argv[4], 0)
        print(ioctl(fd, PTP_EXTTS_REQUEST2, struct.pack("=II2I", chan, flags, 0, 0)))
    elif cmd == "extts":
        chan, n, edge = int(argv[3]), int(argv[4]), argv[5]
        timeout = float(kv(argv[6:]).get("timeout", "20"))
        edges = {"rising": PTP_RISING_EDGE, "falling": PTP_FALLING_EDGE,
                 "both": PTP_RISING_EDGE | PTP_FALLING_EDGE}[edge]
        req = struct.pack("=II2I", chan, PTP_ENABLE_FEATURE | edges, 0, 0)
        r = ioctl(fd, PTP_EXTTS_REQUEST2, req)
        if r != "ok":
            print(r)
            return 0
        got, end, pending = 0, time.monotonic() + timeout, b""
        while got < n:
            left = end - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                break
            pending += os.read(fd, 32 * (n - got))
            while len(pending) >= 32 and got < n:
                sec, nsec, _, index, _ = struct.unpack("=qIIII8x", pending[:32])[:5]
                pending = pending[32:]
                if index != chan:
                    continue
                print(f"{index} {sec}.{nsec:09d}")
                got += 1
        ioctl(fd, PTP_EXTTS_REQUEST2, struct.pack("=II2I", chan, 0, 0, 0))
        print("ok" if got == n else "timeout")
    elif cmd == "sysoff":
        n = int(argv[3])
        buf = bytearray(struct.pack("=I3I", n, 0, 0, 0) + bytes(25 * 3 * 16))
        r = ioctl(fd, PTP_SYS_OFFSET_EXTENDED2, buf)
        if r != "ok":
            print(r)
            return 0
        t = [struct.unpack_from("=qI", buf, 16 + 16 * i) for i in range(3 * n)]
        t = [sec * 10**9 + ns for sec, ns in t]
        width = min(t[3 * i + 2] - t[3 * i] for i in range(n))
        offs = sorted(t[3 * i + 1] - (t[3 * i] + t[3 * i + 2]) // 2 for i in range(n))
        print(f"width {width} offset {offs[n // 2]}")
    elif cmd == "pps":
        print(ioctl(fd, PTP_ENABLE_PPS2, struct.pack("=i", int(argv[3]))))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

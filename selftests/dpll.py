#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""tsnic's DPLL through the kernel's DPLL netlink family, for tsnic_gnss.sh.

  dpll.py YNL_DIR SPEC wait STATUS [timeout=S]
      poll device-get until tsnic's DPLL reports lock-status STATUS; print
      "status STATUS" and its input pin "pin LABEL TYPE STATE", or
      "timeout LAST" (LAST: the last status seen, or none)
  dpll.py YNL_DIR SPEC watch STATUS [timeout=S]
      subscribe to the monitor group first, print "subscribed", then wait for
      a device-change-ntf of tsnic's DPLL with lock-status STATUS: print
      "ntf STATUS", or "timeout"
  dpll.py YNL_DIR SPEC count
      print how many DPLL devices tsnic has registered

One tsnic DPLL at a time is expected (the test turns one receiver on).
"""
import os
import sys
import time

sys.path.insert(0, sys.argv[1])
from lib import YnlFamily  # noqa: E402


def kv(args):
    return dict(a.partition("=")[::2] for a in args)


def ours(ynl):
    return [d for d in ynl.dump("device-get", {}) if d.get("module-name") == "tsnic"]


def main(argv):
    ynl = YnlFamily(argv[2], "")
    cmd = argv[3]
    if cmd == "count":
        print(len(ours(ynl)))
        return 0
    want = argv[4]
    timeout = float(kv(argv[5:]).get("timeout", "10"))
    end = time.monotonic() + timeout
    if cmd == "watch":
        ynl.ntf_subscribe("monitor")
        print("subscribed", flush=True)
        while time.monotonic() < end:
            ynl.check_ntf()
            for m in ynl.async_msg_queue:
                a = m["msg"]
                if m["name"] == "device-change-ntf" and a.get("module-name") == "tsnic" \
                        and a.get("lock-status") == want:
                    print(f"ntf {want}")
                    return 0
            ynl.async_msg_queue.clear()
            time.sleep(0.1)
        print("timeout")
        return 0
    last = "none"
    while time.monotonic() < end:
        d = ours(ynl)
        if d:
            last = d[0].get("lock-status")
            if last == want:
                print(f"status {last}")
                for p in ynl.dump("pin-get", {}):
                    if p.get("module-name") != "tsnic":
                        continue
                    st = [x.get("state") for x in p.get("parent-device", [])
                          if x.get("parent-id") == d[0]["id"]]
                    print(f"pin {p.get('board-label')} {p.get('type')} {st[0] if st else '?'}")
                return 0
        time.sleep(0.2)
    print(f"timeout {last}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

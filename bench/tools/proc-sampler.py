#!/usr/bin/env python3
"""Once a second, appends one JSON line to OUT with the CPU ticks of every benchmark process (by role) and of each
thread of the bench JVM (broker), the load generator and the processor, the block device's write counters and the
machine's iowait: what BENCHMARKS.md "The latency ladder's own costs" was read from. Diagnostic only (Linux /proc).

    python3 bench/tools/proc-sampler.py OUT [DEVICE]     # DEVICE defaults to vda; stop it with kill
"""
import datetime
import json
import os
import re
import sys
import time

ROLES = [("LoadGenerator", "gen"), ("patchbay-bench.jar", "bench"), ("processor-0", "proc"), ("api-adapter", "adapter"),
         ("quarkus-run", "registry")]


def role(pid):
    try:
        cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="ignore")
        comm = open(f"/proc/{pid}/comm").read().strip()
    except OSError:
        return None
    for marker, name in ROLES:
        if marker in cmd:
            return name
    return "pg" if comm.startswith("postgres") else None


def ticks(stat_path):
    stat = open(stat_path).read()
    fields = stat[stat.rindex(")") + 2:].split()
    return int(fields[11]) + int(fields[12])


def sample(device):
    snap = {"t": datetime.datetime.utcnow().strftime("%H:%M:%S"), "p": {}, "th": {}}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        name = role(pid)
        if not name:
            continue
        try:
            snap["p"][pid] = [name, ticks(f"/proc/{pid}/stat")]
            if name in ("bench", "gen", "proc"):
                for tid in os.listdir(f"/proc/{pid}/task"):
                    thread = open(f"/proc/{pid}/task/{tid}/comm").read().strip()
                    snap["th"][f"{name}:{tid}"] = [re.sub(r"[-#]?\d+$", "", thread), ticks(f"/proc/{pid}/task/{tid}/stat")]
        except OSError:
            continue
    for line in open("/proc/diskstats"):
        f = line.split()
        if f[2] == device:
            snap["disk"] = [int(f[9]), int(f[12]), int(f[13]), int(f[11])]  # sectors written, ms busy, weighted ms, in flight
    cpu = open("/proc/stat").readline().split()
    snap["iowait"], snap["idle"] = int(cpu[5]), int(cpu[4])
    return snap


if __name__ == "__main__":
    device = sys.argv[2] if len(sys.argv) > 2 else "vda"
    with open(sys.argv[1], "w") as out:
        while True:
            out.write(json.dumps(sample(device)) + "\n")
            out.flush()
            time.sleep(1)

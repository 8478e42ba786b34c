#!/usr/bin/env python3
"""Where a JVM's CPU went between two /proc snapshots, per thread group (no agent, no sampling).

Usage: thread_cpu.py snapshot PID > FILE         one "<tid> <name> <utime+stime ticks>" line per thread
       thread_cpu.py processes > FILE             the same per process of the machine
       thread_cpu.py compare BEFORE AFTER SECONDS
       thread_cpu.py machine BEFORE AFTER SECONDS  CPU per process name (postgres, nginx, wrk, java, ...)
Prints each group's share of one core over the interval, busiest first, and the busiest single threads.
"""
import os
import re
import sys

TICKS = os.sysconf("SC_CLK_TCK")

GROUPS = [
    ("event loops", r"^vert\.x-eventloo"),
    ("workers", r"^vert\.x-worker|^vert\.x-internal"),
    ("JIT compiler", r"Compiler"),
    ("GC", r"^GC_|^G1_|^VM_Thread"),
    ("Hazelcast", r"^hz\.|^hazelcast"),
]


def load(path):
    ticks = {}
    for line in open(path):
        parts = line.split()
        if len(parts) == 3:
            ticks[(parts[0], parts[1])] = int(parts[2])
    return ticks


def group_of(name):
    for group, pattern in GROUPS:
        if re.search(pattern, name):
            return group
    return "other"


def ticks_of(stat_path, ident):
    try:
        with open(stat_path) as f:
            stat = f.read()
    except OSError:
        return  # it ended
    name = stat[stat.index("(") + 1:stat.rindex(")")].replace(" ", "_")
    fields = stat[stat.rindex(")") + 2:].split()
    print(ident, name, int(fields[11]) + int(fields[12]))  # utime, stime (fields 14, 15 of stat)


def snapshot(pid):
    for tid in os.listdir(f"/proc/{pid}/task"):
        ticks_of(f"/proc/{pid}/task/{tid}/stat", tid)


def processes():
    for pid in filter(str.isdigit, os.listdir("/proc")):
        ticks_of(f"/proc/{pid}/stat", pid)


def machine(before, after, seconds):
    used = {}
    for (pid, name), ticks in after.items():
        used[name] = used.get(name, 0) + ticks - before.get((pid, name), 0)
    print(f"machine CPU over {seconds:.0f} s, by process name:")
    for name, ticks in sorted(used.items(), key=lambda u: -u[1])[:8]:
        print(f"  {name:<20} {ticks / TICKS / seconds:5.2f} cores")


def main():
    if sys.argv[1] == "snapshot":
        snapshot(sys.argv[2])
        return
    if sys.argv[1] == "processes":
        processes()
        return
    if sys.argv[1] == "machine":
        machine(load(sys.argv[2]), load(sys.argv[3]), float(sys.argv[4]))
        return
    before, after = load(sys.argv[2]), load(sys.argv[3])
    seconds, per_second = float(sys.argv[4]), float(TICKS)
    used = {key: ticks - before.get(key, 0) for key, ticks in after.items()}
    groups = {}
    for (tid, name), ticks in used.items():
        groups[group_of(name)] = groups.get(group_of(name), 0) + ticks
    total = sum(used.values())
    print(f"\nnode CPU under load: {total / per_second / seconds:.2f} cores over {seconds:.0f} s")
    for group, ticks in sorted(groups.items(), key=lambda g: -g[1]):
        print(f"  {group:<13} {ticks / per_second / seconds:5.2f} cores  {100 * ticks / max(total, 1):5.1f} %")
    print("busiest threads:")
    for (tid, name), ticks in sorted(used.items(), key=lambda u: -u[1])[:5]:
        print(f"  {name:<20} tid {tid:<7} {ticks / per_second / seconds:5.2f} cores")


if __name__ == "__main__":
    main()

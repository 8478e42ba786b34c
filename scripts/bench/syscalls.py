#!/usr/bin/env python3
"""System calls per request of one proxy: wrk's output (requests served) and `strace -c -f` of the proxy's
process during that load. Usage: syscalls.py NAME WRK_OUTPUT STRACE_SUMMARY"""
import re
import sys

name, wrk_path, strace_path = sys.argv[1:4]
served = re.search(r"(\d+) requests in", open(wrk_path).read())
if not served:
    sys.exit(f"syscalls: no request count in {wrk_path}")
requests = int(served.group(1))
calls = {}
for line in open(strace_path):
    fields = line.split()
    # % time, seconds, usecs/call, calls, [errors], syscall
    if len(fields) >= 5 and fields[0][0].isdigit() and fields[3].isdigit() and fields[-1] != "total":
        calls[fields[-1]] = int(fields[3])
total = sum(calls.values())
print(f"{name}: {requests} requests, {total / max(requests, 1):.2f} system calls per request")
for call, count in sorted(calls.items(), key=lambda c: -c[1])[:8]:
    print(f"  {call:<16} {count / max(requests, 1):6.2f}")

#!/usr/bin/env python3
"""One line of figures from wrk's output (run with --latency): NAME CONNS RPS P50 P90 P99 ERRORS CPU_US_PER_REQUEST
(latencies in ms; the CPU figure is the proxy process's CPU time over the run divided by its requests, 0 if unknown)."""
import re
import sys

name, conns, cpu_ms = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = sys.stdin.read()


def millis(value):
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
requests = int(re.search(r"(\d+) requests in", text).group(1))
percentiles = {p: millis(v) for p, v in re.findall(r"^\s+(50|90|99)%\s+(\S+)", text, re.M)}
errors = 0
for match in re.finditer(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text):
    errors += sum(int(g) for g in match.groups())
match = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errors += int(match.group(1)) if match else 0
print(name, conns, f"{rps:.0f}", f"{percentiles['50']:.3f}", f"{percentiles['90']:.3f}", f"{percentiles['99']:.3f}",
      errors, f"{cpu_ms * 1000 / max(1, requests):.1f}")

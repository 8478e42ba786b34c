#!/usr/bin/env python3
"""The bench's table: best of the rounds per target and connection count, with ratios to nginx and direct."""
import sys
from collections import defaultdict

rows = defaultdict(list)
for line in sys.stdin:
    name, conns, rps, p50, p90, p99, errors, cpu = line.split()
    rows[(name, int(conns))].append((float(rps), float(p50), float(p90), float(p99), int(errors), float(cpu)))


def best(name, conns):
    runs = rows.get((name, conns))
    return max(runs) if runs else None


print()
print("target   conns      req/s   p50 ms   p90 ms   p99 ms  errors  proxy CPU/req   vs nginx (req/s, p99)")
for conns in sorted({c for _, c in rows}, reverse=True):
    nginx = best("nginx", conns)
    for name in ("direct", "nginx", "vertx", "vertx+web", "gantry"):
        figures = best(name, conns)
        if not figures:
            continue
        rps, p50, p90, p99, errors, cpu = figures
        ratio = f"{rps / nginx[0]:.2f}x, {p99 / nginx[3]:.2f}x" if nginx else ""
        print(f"{name:9} {conns:4} {rps:10.0f} {p50:8.3f} {p90:8.3f} {p99:8.3f} {errors:7} {cpu:10.1f} us   {ratio}")
one = {name: best(name, 1) for name in ("direct", "nginx", "vertx", "gantry")}
if one["direct"] and one["nginx"] and one["gantry"]:
    print()
    bare = f", bare vert.x {one['vertx'][1] - one['direct'][1]:.3f} ms" if one["vertx"] else ""
    print(f"added p50 at 1 connection: gantry {one['gantry'][1] - one['direct'][1]:.3f} ms, "
          f"nginx {one['nginx'][1] - one['direct'][1]:.3f} ms{bare} (over calling the engine directly)")
bare, gantry = best("vertx", 32), best("gantry", 32)
if bare and gantry:
    print(f"gantry against the bare vert.x proxy at 32 connections: {gantry[0] / bare[0]:.2f}x req/s, "
          f"{gantry[5] - bare[5]:.1f} us more CPU per request ({gantry[5] / max(bare[5], 0.1):.2f}x)")

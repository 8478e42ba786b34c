#!/usr/bin/env python3
"""After the load: the node still answers and metered the requests (usage is recorded off the request path)."""
import json
import sys
import urllib.request

port, key = int(sys.argv[1]), sys.argv[3]
try:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics", headers={"Authorization": "Bearer " + key})
    with urllib.request.urlopen(request, timeout=10) as answer:
        text = answer.read().decode()
    served = sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
                 if line.startswith("gantry_gateway_requests_total{") and 'status="200"' in line)
    print(f"gateway metered {served:.0f} answered requests (gantry_gateway_requests_total, status 200)")
except Exception as error:  # the figures above stand without it
    print(f"could not read the node's metrics: {error}")

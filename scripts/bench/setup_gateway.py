#!/usr/bin/env python3
"""Prepares a fresh bench node (scripts/bench-gateway.sh): signs in as admin, deploys the fixed-answer engine
as a `custom` model, puts a route over it and makes a governed API key (a rate limit that does not trip and a
token quota), and writes WORK_DIR/chat.lua, wrk's request through that key and route. Prints "KEY ENGINE_PORT". Usage: setup_gateway.py NODE_PORT ENGINE_SCRIPT WORK_DIR [NODE_PID]
(with NODE_PID, a node that exits while starting, e.g. on a JVM flag it refuses, ends the wait at once)"""
import http.cookiejar
import json
import os
import sys
import time
import urllib.error
import urllib.request

port, engine, work = int(sys.argv[1]), sys.argv[2], sys.argv[3]
node_pid = int(sys.argv[4]) if len(sys.argv) > 4 else None
base = f"http://127.0.0.1:{port}"
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
PASSWORD = "bench-Secret-42"


def call(method, path, body=None, key=None):
    headers = {"Content-Type": "application/json", "Origin": base}
    if key:
        headers["Authorization"] = "Bearer " + key
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method, headers=headers)
    try:
        with opener.open(request, timeout=30) as answer:
            text = answer.read()
            return answer.status, json.loads(text) if text else None
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def until(what, check, seconds):
    deadline = time.time() + seconds
    while True:
        try:
            result = check()
            if result:
                return result
        except OSError:
            pass
        if node_pid is not None and not alive(node_pid):
            with open(os.path.join(work, "node.log"), errors="replace") as log:
                tail = "".join(log.readlines()[-5:])
            sys.exit(f"bench setup: the node exited while starting; the end of {work}/node.log:\n{tail}")
        if time.time() > deadline:
            sys.exit(f"bench setup: {what} within {seconds} s; see {work}/node.log")
        time.sleep(0.5)


def alive(pid):
    """Running: not gone and not a zombie (the script that started it reaps it only after this returns)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def expect(status, answer, wanted, what):
    if status != wanted:
        sys.exit(f"bench setup: {what} answered {status}: {answer}")
    return answer


until("the node was not ready", lambda: call("GET", "/health/ready")[0] == 200, 180)
expect(*call("POST", "/auth/login", {"username": "admin", "password": PASSWORD}), 200, "sign-in")
key = expect(*call("POST", "/v2/api-keys", {"name": "bench", "scope": "*", "limits": {
    "requests_per_minute": 1_000_000_000, "tokens_per_minute": 1_000_000_000_000,
    "tokens_per_day": 1_000_000_000_000}}), 201, "creating the API key")["value"]
model_file = os.path.join(work, "bench.model")
with open(model_file, "w") as f:
    f.write("no weights\n")
expect(*call("POST", "/v2/models", {"name": "fixed", "backend": "custom", "run_command": engine + " {{port}}",
                                    "local_path": model_file, "estimate_override_bytes": 256 << 20}, key),
       201, "deploying the engine")
expect(*call("POST", "/v2/routes", {"name": "bench-route", "targets": [{"model": "fixed"}]}, key), 201,
       "creating the route")


def running():
    status, answer = call("GET", "/v2/model-instances?model_name=fixed", key=key)
    items = answer.get("items", []) if status == 200 else []
    return items[0]["port"] if items and items[0]["state"] == "running" else None


engine_port = until("the engine was not running", running, 120)
with open(os.path.join(work, "chat.lua"), "w") as f:
    f.write('wrk.method = "POST"\n'
            'wrk.headers["Content-Type"] = "application/json"\n'
            # as the OpenAI SDKs (httpx, fetch) ask on every call: a proxy that compressed answers would pay for it here
            'wrk.headers["Accept-Encoding"] = "gzip, deflate"\n'
            f'wrk.headers["Authorization"] = "Bearer {key}"\n'
            'wrk.body = \'{"model":"bench-route","messages":[{"role":"user","content":"Say hello in five words."}],'
            '"max_tokens":16}\'\n')
print(key, engine_port)

#!/bin/sh
# The benchmarks' engine (scripts/bench-gateway.sh, scripts/bench-gateway-ab.sh): nginx answering one fixed
# OpenAI chat completion, with usage, to any request on 127.0.0.1:$1, one worker, no access log. Gantry launches
# it as a `custom` backend (run_command "<this script> {{port}}"); BENCH_NGINX names the binary (default: from
# PATH; not NGINX, which nginx itself reads for inherited sockets).
set -e
port=$1
nginx=${BENCH_NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
dir=$(mktemp -d "${TMPDIR:-/tmp}/gantry-bench-engine-XXXXXX")  # the bench scripts make TMPDIR their work folder
mkdir -p "$dir/logs"
cat > "$dir/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $dir/body;
  keepalive_requests 10000000;
  server {
    listen 127.0.0.1:$port;
    location / {
      default_type application/json;
      return 200 '{"id":"chatcmpl-bench","object":"chat.completion","created":1,"model":"bench","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the bench engine."},"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":7,"total_tokens":16}}';
    }
  }
}
CONF
exec "$nginx" -p "$dir" -c "$dir/nginx.conf"

#!/usr/bin/env bash
# What Gantry can do on this machine's real GPU, step by step, failing soft: nvidia-smi facts, Gantry's own
# device detection, a llama.cpp CUDA build, llama-server with -ngl 99 on a generated test model (tokens/s).
# Each step prints "<step>: ok|skipped|failed - <why>" and the script goes on; it exits 0 unless the results
# folder cannot be written. No network: llama.cpp comes from LLAMA_CPP_SRC or the npm cache (offline).
#
# Usage:   bash scripts/gpu-check.sh            (results in $OUT, else ./gpu-check-results)
# Env:     GPU_CHECK_SKIP_BUILD=1  no llama.cpp build (nor the llama-server run unless LLAMA_SERVER_CUDA is set)
#          GPU_CHECK_FORCE_BUILD=1 build even where nvidia-smi finds no GPU
#          LLAMA_SERVER_CUDA=path  a CUDA llama-server to use instead of building one
#          LLAMA_CPP_SRC=dir       a llama.cpp checkout to build (else node-llama-cpp's bundle from the npm cache)
#          GANTRY_JAR=path         the jar for the detection step (default target/gantry.jar)
#          CUDA_ARCHS=...          CMAKE_CUDA_ARCHITECTURES (default native)
set -uo pipefail

readonly NODE_LLAMA_CPP_VERSION="3.21.1"
OUT_DIR="${OUT:-./gpu-check-results}"
mkdir -p "$OUT_DIR" || { echo "gpu-check: cannot create results folder $OUT_DIR" >&2; exit 1; }
OUT_DIR="$(cd "$OUT_DIR" && pwd)"
SUMMARY="$OUT_DIR/summary.txt"
: >"$SUMMARY" || { echo "gpu-check: cannot write $SUMMARY" >&2; exit 1; }
GANTRY_JAR="${GANTRY_JAR:-target/gantry.jar}"
CACHE_DIR="${GANTRY_CACHE:-$HOME/.cache/gantry}/llama-server-cuda/${NODE_LLAMA_CPP_VERSION}"
WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/gantry-gpu-check.XXXXXX")"
SERVER_PID=""
cleanup() {
    [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null
    rm -rf "$WORK_DIR"
}
trap cleanup EXIT

# report STEP STATUS WHY: one line on stdout and in summary.txt
report() {
    printf '%s: %s - %s\n' "$1" "$2" "$3" | tee -a "$SUMMARY"
}

# ---- 1. nvidia-smi facts --------------------------------------------------------------------------------
GPU_FOUND=0
if ! command -v nvidia-smi >/dev/null 2>&1; then
    report nvidia-smi skipped "nvidia-smi is not on PATH (no NVIDIA driver here)"
elif nvidia-smi --query-gpu=index,name,uuid,memory.total,memory.used,utilization.gpu,temperature.gpu,power.draw,driver_version,pci.bus_id,compute_cap,mig.mode.current \
        --format=csv >"$OUT_DIR/nvidia-smi-query.csv" 2>"$OUT_DIR/nvidia-smi.err"; then
    nvidia-smi >"$OUT_DIR/nvidia-smi.txt" 2>&1
    nvidia-smi -L >"$OUT_DIR/nvidia-smi-L.txt" 2>&1
    nvidia-smi -q -x >"$OUT_DIR/nvidia-smi-q-x.xml" 2>&1
    GPU_FOUND=1
    report nvidia-smi ok "$(($(wc -l <"$OUT_DIR/nvidia-smi-query.csv") - 1)) GPU(s); see nvidia-smi-query.csv"
    cat "$OUT_DIR/nvidia-smi-query.csv"
else
    rc=$?
    report nvidia-smi skipped "nvidia-smi exited $rc: $(head -n 1 "$OUT_DIR/nvidia-smi.err" "$OUT_DIR/nvidia-smi-query.csv" 2>/dev/null | grep -v '^==>' | grep -v '^$' | head -n 1)"
fi

# ---- 2. Gantry's own detection against the real tools ---------------------------------------------------
if [[ ! -f "$GANTRY_JAR" ]]; then
    report gantry-detection skipped "no $GANTRY_JAR (build it with: mvn -o -B -q package -DskipTests)"
elif ! command -v java >/dev/null 2>&1; then
    report gantry-detection skipped "java is not on PATH"
elif timeout 60 java -cp "$GANTRY_JAR" dev.gantry.node.device.DetectDevices "$OUT_DIR/gantry-devices.json" \
        >"$OUT_DIR/gantry-detection.log" 2>&1; then
    report gantry-detection ok "$(grep -c '"id"' "$OUT_DIR/gantry-devices.json") device(s); see gantry-devices.json"
    cat "$OUT_DIR/gantry-devices.json"
else
    report gantry-detection failed "DetectDevices exited $?; see gantry-detection.log"
fi

# ---- 3. llama.cpp with CUDA -----------------------------------------------------------------------------
NVCC="$(command -v nvcc || { [[ -x /usr/local/cuda/bin/nvcc ]] && echo /usr/local/cuda/bin/nvcc; })"
LLAMA_SERVER="${LLAMA_SERVER_CUDA:-}"
llama_source() {   # prints a llama.cpp source folder, or nothing
    if [[ -n "${LLAMA_CPP_SRC:-}" && -f "$LLAMA_CPP_SRC/CMakeLists.txt" ]]; then
        echo "$LLAMA_CPP_SRC"
        return
    fi
    command -v npm >/dev/null 2>&1 || return
    (cd "$WORK_DIR" && NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm install --offline --omit=optional --no-audit \
        --no-fund --ignore-scripts "node-llama-cpp@${NODE_LLAMA_CPP_VERSION}" >"$OUT_DIR/npm.log" 2>&1) || return
    local bundle="$WORK_DIR/node_modules/node-llama-cpp/llama/gitRelease.bundle"
    [[ -f "$bundle" ]] && git -c advice.detachedHead=false clone --quiet "$bundle" "$WORK_DIR/llama.cpp" \
        >>"$OUT_DIR/npm.log" 2>&1 && echo "$WORK_DIR/llama.cpp"
}
if [[ -n "$LLAMA_SERVER" ]]; then
    report llama-cuda-build skipped "LLAMA_SERVER_CUDA given: $LLAMA_SERVER"
elif [[ "${GPU_CHECK_SKIP_BUILD:-0}" == 1 ]]; then
    report llama-cuda-build skipped "GPU_CHECK_SKIP_BUILD=1"
elif [[ "$GPU_FOUND" != 1 && "${GPU_CHECK_FORCE_BUILD:-0}" != 1 ]]; then
    report llama-cuda-build skipped "no GPU found by nvidia-smi (GPU_CHECK_FORCE_BUILD=1 builds anyway)"
elif [[ -z "$NVCC" ]]; then
    report llama-cuda-build skipped "nvcc not found (install the CUDA toolkit)"
elif ! command -v cmake >/dev/null 2>&1; then
    report llama-cuda-build skipped "cmake not found"
elif [[ -x "$CACHE_DIR/bin/llama-server" ]]; then
    LLAMA_SERVER="$CACHE_DIR/bin/llama-server"
    report llama-cuda-build ok "cached $LLAMA_SERVER"
else
    SRC="$(llama_source)"
    if [[ -z "$SRC" ]]; then
        report llama-cuda-build skipped "no llama.cpp source: set LLAMA_CPP_SRC or have node-llama-cpp@${NODE_LLAMA_CPP_VERSION} in the npm cache"
    else
        start=$SECONDS
        if cmake -S "$SRC" -B "$WORK_DIR/build" -DCMAKE_BUILD_TYPE=Release -DGGML_CUDA=ON \
                -DCMAKE_CUDA_COMPILER="$NVCC" -DCMAKE_CUDA_ARCHITECTURES="${CUDA_ARCHS:-native}" \
                -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF \
                -DLLAMA_BUILD_EXAMPLES=OFF -DBUILD_SHARED_LIBS=OFF >"$OUT_DIR/llama-build.log" 2>&1 \
            && timeout "${GPU_CHECK_BUILD_TIMEOUT:-1800}" cmake --build "$WORK_DIR/build" --config Release \
                --target llama-server -j"$(nproc 2>/dev/null || echo 2)" >>"$OUT_DIR/llama-build.log" 2>&1 \
            && mkdir -p "$CACHE_DIR/bin" && cp "$WORK_DIR/build/bin/llama-server" "$CACHE_DIR/bin/llama-server"; then
            LLAMA_SERVER="$CACHE_DIR/bin/llama-server"
            report llama-cuda-build ok "built in $((SECONDS - start)) s: $LLAMA_SERVER"
        else
            report llama-cuda-build failed "see llama-build.log: $(grep -m1 -i 'error' "$OUT_DIR/llama-build.log")"
        fi
    fi
fi

# ---- 4. a test model and llama-server -ngl 99 -----------------------------------------------------------
MODEL="$WORK_DIR/random-test-model.gguf"   # ~480 MB (f32): not kept in the results
if [[ -z "$LLAMA_SERVER" ]]; then
    report llama-server-gpu skipped "no CUDA llama-server (see llama-cuda-build)"
elif [[ ! -d target/test-classes || ! -f "$GANTRY_JAR" ]]; then
    report llama-server-gpu skipped "no test model generator: run mvn -o -B -q package -DskipTests (needs target/test-classes)"
elif ! java -cp "$GANTRY_JAR:target/test-classes" dev.gantry.testmodels.TestModels random "$MODEL" 1024 8 8 2816 8000 \
        >"$OUT_DIR/test-model.log" 2>&1; then
    report llama-server-gpu failed "TestModels could not write the model; see test-model.log"
else
    PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18099)"
    "$LLAMA_SERVER" -m "$MODEL" -ngl 99 --host 127.0.0.1 --port "$PORT" -c 2048 >"$OUT_DIR/llama-server.log" 2>&1 &
    SERVER_PID=$!
    ready=0
    for _ in $(seq 1 120); do
        curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && { ready=1; break; }
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.5
    done
    if [[ "$ready" != 1 ]]; then
        report llama-server-gpu failed "llama-server not ready in 60 s; see llama-server.log"
    elif curl -fs "http://127.0.0.1:$PORT/completion" -H 'Content-Type: application/json' \
            -d '{"prompt": "Hello", "n_predict": 256, "ignore_eos": true}' >"$OUT_DIR/completion.json"; then
        tps="$(python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["timings"]; print("%.1f tokens/s generated, %.1f tokens/s prompt" % (t["predicted_per_second"], t["prompt_per_second"]))' "$OUT_DIR/completion.json" 2>/dev/null || echo "timings not read; see completion.json")"
        offload="$(grep -m1 -o 'offloaded [0-9]*/[0-9]* layers to GPU' "$OUT_DIR/llama-server.log")"
        report llama-server-gpu ok "$tps (${offload:-offload line not found in llama-server.log})"
    else
        report llama-server-gpu failed "the completion request failed; see llama-server.log"
    fi
    kill "$SERVER_PID" 2>/dev/null
    wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=""
fi

echo "results in $OUT_DIR (summary.txt)"
exit 0

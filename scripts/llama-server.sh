#!/usr/bin/env bash
# Obtain the upstream llama.cpp `llama-server` binary without internet access and cache it.
#
# The llama.cpp source comes from the npm package node-llama-cpp, which carries it as a git bundle
# (node_modules/node-llama-cpp/llama/gitRelease.bundle); only the npm registry and Debian apt are needed.
# The first run builds the binary (~5-6 min on 2 cores); later runs only check the cached binary (< 1 s).
#
# Usage:   LLAMA_SERVER="$(scripts/llama-server.sh)"
# Output:  the absolute path of the binary as the LAST line of stdout; all progress goes to stderr.
# Cache:   ${GANTRY_CACHE:-$HOME/.cache/gantry}/llama-server/<node-llama-cpp version>/bin/llama-server
set -euo pipefail

readonly NODE_LLAMA_CPP_VERSION="3.21.1"
readonly CACHE_DIR="${GANTRY_CACHE:-$HOME/.cache/gantry}/llama-server/${NODE_LLAMA_CPP_VERSION}"
readonly BIN="${CACHE_DIR}/bin/llama-server"

log() { printf '[llama-server.sh] %s\n' "$*" >&2; }
die() { printf '[llama-server.sh] ERROR: %s\n' "$*" >&2; exit 1; }

binary_works() {
    [[ -x "$BIN" ]] && "$BIN" --version >/dev/null 2>&1
}

# Fast path: cached binary exists and runs.
if binary_works; then
    printf '%s\n' "$BIN"
    exit 0
fi

mkdir -p "${CACHE_DIR}/bin" || die "cannot create cache directory ${CACHE_DIR}"

# Serialise builds: a second caller waits for the first one and then reuses its binary.
exec 9>"${CACHE_DIR}/.lock" || die "cannot open lock file ${CACHE_DIR}/.lock"
if ! flock -n 9; then
    log "another process is building llama-server (lock ${CACHE_DIR}/.lock); waiting..."
    flock 9 || die "cannot acquire lock ${CACHE_DIR}/.lock"
fi
if binary_works; then
    log "llama-server was built by another process"
    printf '%s\n' "$BIN"
    exit 0
fi
if [[ -e "$BIN" ]]; then
    log "cached ${BIN} does not run (--version failed); rebuilding"
fi

# ---------------------------------------------------------------------------------------------------
# Tools: cmake, a C++ compiler, make, git, npm. Installed through apt-get only when missing.
# ---------------------------------------------------------------------------------------------------
declare -A TOOL_PACKAGE=([cmake]=cmake [g++]=g++ [gcc]=gcc [make]=make [git]=git [npm]=npm)
missing_packages=()
for tool in cmake gcc g++ make git npm; do
    command -v "$tool" >/dev/null 2>&1 || missing_packages+=("${TOOL_PACKAGE[$tool]}")
done
if ((${#missing_packages[@]} > 0)); then
    log "installing missing tools with apt-get: ${missing_packages[*]}"
    command -v apt-get >/dev/null 2>&1 || die "missing tools (${missing_packages[*]}) and apt-get is not available"
    sudo_cmd=()
    if [[ "$(id -u)" -ne 0 ]]; then
        command -v sudo >/dev/null 2>&1 || die "missing tools (${missing_packages[*]}); run as root or install sudo"
        sudo_cmd=(sudo -n)
    fi
    "${sudo_cmd[@]}" apt-get update >&2 || die "apt-get update failed"
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        "${missing_packages[@]}" >&2 || die "apt-get install ${missing_packages[*]} failed"
fi

# ---------------------------------------------------------------------------------------------------
# Build in a temporary directory that is always removed.
# ---------------------------------------------------------------------------------------------------
WORK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/gantry-llama-server.XXXXXX")" || die "mktemp failed"
STAGED_BIN="${CACHE_DIR}/bin/.llama-server.tmp.$$"
cleanup() {
    rm -rf "$WORK_DIR"
    rm -f "$STAGED_BIN"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

start_s=$SECONDS
log "building llama-server from node-llama-cpp@${NODE_LLAMA_CPP_VERSION} in ${WORK_DIR} (takes ~5-6 min on 2 cores)"

# --omit=optional: do not pull the prebuilt (CUDA, Vulkan, ...) binaries, ~700 MB.
# --ignore-scripts: skip node-llama-cpp's postinstall, which would try to download or build its own addon.
log "npm install node-llama-cpp@${NODE_LLAMA_CPP_VERSION}"
(
    cd "$WORK_DIR"
    NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm_config_update_notifier=false \
        npm install --omit=optional --no-audit --no-fund --ignore-scripts \
        "node-llama-cpp@${NODE_LLAMA_CPP_VERSION}" >&2
) || die "npm install node-llama-cpp@${NODE_LLAMA_CPP_VERSION} failed (is the npm registry reachable?)"

BUNDLE="${WORK_DIR}/node_modules/node-llama-cpp/llama/gitRelease.bundle"
[[ -f "$BUNDLE" ]] || die "llama.cpp git bundle not found at ${BUNDLE}"

SRC_DIR="${WORK_DIR}/llama.cpp"
log "git clone ${BUNDLE}"
git -c advice.detachedHead=false clone --quiet "$BUNDLE" "$SRC_DIR" >&2 || die "git clone of ${BUNDLE} failed"

# LLAMA_USE_PREBUILT_UI=OFF: otherwise the UI is downloaded from Hugging Face at build time.
# LLAMA_OPENSSL=OFF: plain HTTP only (no libssl-dev needed).
# GGML_NATIVE=OFF: portable x86-64 build (SSE4.2/AVX/AVX2/FMA/F16C), not tuned to this CPU.
# LLAMA_CURL is not passed: this llama.cpp version has deprecated and ignores it (no libcurl is used).
BUILD_DIR="${WORK_DIR}/build"
log "cmake configure"
cmake -S "$SRC_DIR" -B "$BUILD_DIR" \
    -DCMAKE_BUILD_TYPE=Release \
    -DLLAMA_USE_PREBUILT_UI=OFF \
    -DLLAMA_BUILD_UI=OFF \
    -DLLAMA_OPENSSL=OFF \
    -DLLAMA_BUILD_TESTS=OFF \
    -DLLAMA_BUILD_EXAMPLES=OFF \
    -DBUILD_SHARED_LIBS=OFF \
    -DGGML_NATIVE=OFF >&2 || die "cmake configure failed"

jobs="$(nproc 2>/dev/null || echo 2)"
log "cmake build --target llama-server -j${jobs}"
cmake --build "$BUILD_DIR" --config Release --target llama-server -j"$jobs" >&2 || die "cmake build failed"

BUILT_BIN="${BUILD_DIR}/bin/llama-server"
[[ -x "$BUILT_BIN" ]] || die "build finished but ${BUILT_BIN} is missing"
"$BUILT_BIN" --version >/dev/null 2>&1 || die "built ${BUILT_BIN} does not run (--version failed)"

# Atomic install: copy next to the target (same file system), then rename.
cp "$BUILT_BIN" "$STAGED_BIN" || die "cannot copy the binary into ${CACHE_DIR}/bin"
chmod 0755 "$STAGED_BIN"
mv -f "$STAGED_BIN" "$BIN" || die "cannot move the binary to ${BIN}"

log "built ${BIN} in $((SECONDS - start_s)) s"
printf '%s\n' "$BIN"

#!/usr/bin/env bash
# Installs every Debian (bookworm) package Orchard needs to build, test, train and demo.
# Idempotent: when dpkg already reports every package installed it does nothing.
set -euo pipefail

PACKAGES=(
    # toolchain
    build-essential cmake ninja-build pkg-config git
    # Qt 6: Core, Network, Widgets, Concurrent, Test (all in qt6-base-dev)
    qt6-base-dev qt6-base-dev-tools libgl-dev
    # inference
    libopencv-dev libtorch-dev zlib1g-dev
    # the image-decode fuzz target counts libjpeg's own scans (tests/fuzz)
    libjpeg-dev
    # the protocol's base64 (OpenSSL's EVP_DecodeBlock: common/protocol/base64.cpp)
    libssl-dev
    # the JSON image form (simdjson: common/protocol/imagerequest.cpp)
    libsimdjson-dev
    # tests (openssl makes the TLS tests' throwaway certificates)
    catch2 openssl
    # hardening (scripts/fuzz.sh, scripts/test.sh --sanitize): clang with libFuzzer and
    # the ASan/UBSan/TSan runtimes it links (gcc's sanitizer runtimes come with gcc)
    clang libfuzzer-14-dev libclang-rt-14-dev
    # model training (Debian's own python3 and torch, not whatever is first on PATH)
    python3 python3-torch python3-torchvision python3-numpy python3-pil python3-opencv
    dataset-fashion-mnist
    # fonts for offscreen/Xvfb rendering; a virtual display and screenshots for the demo
    fonts-dejavu-core xvfb xauth imagemagick
    # scripts/bench.sh: the plot in docs/performance.png (matplotlib for Debian's python3)
    python3-matplotlib
    # profiling the server's per-request cost (docs/performance.md)
    linux-perf
    # the operator's server: health/metrics over HTTP, systemd's notify protocol,
    # promtool to check the metrics text (server/core/httpendpoint.cpp, tests/operations)
    qt6-httpserver-dev qt6-websockets-dev libsystemd-dev prometheus
    # packages: dpkg-shlibdeps (dpkg-dev), lintian, the desktop/AppStream validators, man pages
    dpkg-dev file lintian desktop-file-utils appstream help2man
    # scale-out: the balancer in front of several servers (resources/haproxy, scripts/cluster.sh)
    haproxy
    # the desktop client's and orchard-cli's diagnosis history (Qt SQL's SQLite driver plugin;
    # Qt6::Sql itself comes with qt6-base-dev): client/core/historystore.cpp
    libqt6sql6-sqlite
    # the windows' languages (common/i18n/uilanguage.h): lupdate/lrelease and their CMake
    # functions (qt6-tools-dev), Qt's own zh_CN catalog for its dialogs, and CJK glyphs so
    # screenshots and offscreen tests draw Chinese rather than boxes
    qt6-l10n-tools qt6-tools-dev qt6-translations-l10n fonts-noto-cjk
    # the window's SVG icon (Qt's SVG icon engine plugin)
    libqt6svg6
    # the access token in the system keychain (client/core/tokenstore.cpp)
    qtkeychain-qt6-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
    # Unknown packages print nothing, so compare the status word rather than the exit code.
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "setup: installing ${#missing[@]} missing package(s): ${missing[*]}"
install_cmd=(apt-get install -y --no-install-recommends "${missing[@]}")
if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
else
    echo "setup: not root and no sudo. Run this as root, then try again:" >&2
    echo "  apt-get update && ${install_cmd[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update
"${SUDO[@]}" "${install_cmd[@]}"

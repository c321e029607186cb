#!/usr/bin/env bash
# Builds the Debian packages orchard-server, orchard-client and orchard-cli (CPack, see
# cmake/OrchardPackaging.cmake and docs/operations.md, "Packages").
# Usage: scripts/package.sh [BUILD_DIR] [OUTPUT_DIR]   (default build/ and BUILD_DIR/packages)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${1:-"$root/build"}
build=$(mkdir -p "$build" && cd "$build" && pwd)
out=${2:-"$build/packages"}

for tool in cpack dpkg-shlibdeps dpkg-deb; do
    if ! command -v "$tool" >/dev/null; then
        echo "package.sh: $tool is missing; scripts/setup.sh installs it (dpkg-dev, cmake)." >&2
        exit 1
    fi
done

if [ ! -f "$build/CMakeCache.txt" ]; then
    "$root/scripts/build.sh" "$build"
fi
# The packages install under /usr with their configuration in /etc, which GNUInstallDirs
# gives only for the /usr prefix; a build tree configured with another one is switched
# (nothing is recompiled for it).
prefix=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
if [ "$prefix" != "/usr" ]; then
    echo "package.sh: $build has install prefix '$prefix'; configuring it with /usr for the packages." >&2
    cmake -S "$root" -B "$build" -DCMAKE_INSTALL_PREFIX=/usr >/dev/null
fi
cmake --build "$build" --target orchard_package_contents --parallel "$(nproc)"

mkdir -p "$out"
out=$(cd "$out" && pwd)
rm -f "$out"/orchard-*.deb
# CPack's staging tree goes to a temporary folder, not next to the packages.
staging=$(mktemp -d "${TMPDIR:-/tmp}/orchard-cpack.XXXXXX")
trap 'rm -rf "$staging"' EXIT
(cd "$build" && cpack --config "$build/CPackConfig.cmake" -B "$staging" >"$staging/cpack.log" 2>&1) || {
    cat "$staging/cpack.log" >&2
    echo "package.sh: cpack failed" >&2
    exit 1
}
mv "$staging"/orchard-*.deb "$out"/
ls -l "$out"/orchard-*.deb

#!/usr/bin/env bash
# Installs what is missing, builds build/ (Release) and runs every test.
# Exit status is ctest's.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh" "$root/build"
export QT_QPA_PLATFORM=offscreen
cd "$root/build"
set +e
ctest --output-on-failure --parallel "$(nproc)"
status=$?
exit $status

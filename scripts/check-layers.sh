#!/usr/bin/env bash
# Checks that Orchard's dependencies point one way (docs/architecture.md):
#   common/ stands on nothing of ours; client/ and server/ stand on common/, never on each
#   other. Both what the code includes and what the CMake targets link are checked.
#
# Usage: scripts/check-layers.sh            exit 0 when every arrow points the right way,
#                                           1 (and a line per wrong arrow) when one does not.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

status=0
complain() {
    echo "check-layers: $*" >&2
    status=1
}

# The libraries each top-level folder defines, read from its CMake files.
libraries_in() {
    grep -rhoE 'add_library\(\s*[A-Za-z0-9_]+' --include=CMakeLists.txt "$1" | sed -E 's/add_library\(\s*//' | sort -u
}

# 1. Includes: every project include names its folder from the root, so a wrong-way one
#    is visible as text. An include that names no layer (a bare "x.h") is refused too: it
#    would hide where the header lives.
check_includes() {
    local layer=$1
    shift
    local forbidden
    for forbidden in "$@"; do
        while IFS= read -r hit; do
            complain "$layer/ must not include $forbidden/: $hit"
        done < <(grep -rnE "^\s*#\s*include\s+\"$forbidden/" --include='*.h' --include='*.cpp' "$layer" || true)
    done
    while IFS= read -r hit; do
        complain "include without its folder (write \"common/…\", \"client/…\" or \"server/…\"): $hit"
    done < <(grep -rnE '^\s*#\s*include\s+"[^/"]+"' --include='*.h' --include='*.cpp' "$layer" || true)
}
check_includes common client server
check_includes client server
check_includes server client

# 2. Links: a target defined under one layer must not link a library defined under a
#    layer it may not stand on.
check_links() {
    local layer=$1
    shift
    local forbidden library
    for forbidden in "$@"; do
        for library in $(libraries_in "$forbidden"); do
            while IFS= read -r hit; do
                complain "$layer/ must not link $library (defined in $forbidden/): $hit"
            done < <(find "$layer" -name CMakeLists.txt -exec perl -0ne \
                'while (/target_link_libraries\(([^)]*)\)/g) { my $b = $1; $b =~ s/\s+/ /g;
                   print "$ARGV: target_link_libraries($b)\n" if $b =~ /\b\Q'"$library"'\E\b/ }' {} +)
        done
    done
}
check_links common client server
check_links client server
check_links server client

if [ $status -eq 0 ]; then
    echo "check-layers: client/ and server/ stand on common/ only; common/ on neither"
fi
exit $status

#!/usr/bin/env bash
# The Debian packages end to end, as a lab installs them:
#   1. scripts/package.sh builds orchard-server, orchard-client and orchard-cli;
#   2. lintian reports no error (E:) on them;
#   3. dpkg-deb -I: names, version, architecture, dependencies from dpkg-shlibdeps (the
#      desktop client's without LibTorch), every file under /etc a conffile;
#   4. orchard-server and orchard-cli, extracted with dpkg-deb -x into a temporary tree,
#      serve and answer a prediction of resources/samples with the *packaged* model;
#   5. the client's .desktop entry, AppStream metainfo and icons validate.
#
# Usage: tests/packaging/package_test.sh SOURCE_DIR BUILD_DIR   (ctest -L packaging)
set -euo pipefail

if [ $# -ne 2 ]; then
    echo "usage: $0 SOURCE_DIR BUILD_DIR" >&2
    exit 64
fi
source_dir=$(cd "$1" && pwd)
build=$(cd "$2" && pwd)

fail() {
    echo "FAIL: $*" >&2
    exit 1
}
step() { echo "== $*"; }

for tool in lintian dpkg-deb dpkg-shlibdeps desktop-file-validate appstreamcli readelf /usr/bin/python3 timeout; do
    command -v "$tool" >/dev/null || fail "$tool is missing (scripts/setup.sh installs it)"
done

work=$(mktemp -d "${TMPDIR:-/tmp}/orchard-package-test.XXXXXX")
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---- 1. build ---------------------------------------------------------------------------
step "scripts/package.sh $build $work/packages"
"$source_dir/scripts/package.sh" "$build" "$work/packages"
packages="$work/packages"
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build/CMakeCache.txt")
[ -n "$version" ] || fail "no CMAKE_PROJECT_VERSION in $build/CMakeCache.txt"
arch=$(dpkg --print-architecture)
for name in orchard-server orchard-client orchard-cli; do
    [ -f "$packages/${name}_${version}_${arch}.deb" ] || fail "no ${name}_${version}_${arch}.deb in: $(ls "$packages")"
done
deb() { echo "$packages/${1}_${version}_${arch}.deb"; }

# ---- 2. lintian -------------------------------------------------------------------------
step "lintian"
# lintian's own exit status also counts warnings' severity policy; what we require is no E:.
lintian --tag-display-limit 0 "$packages"/*.deb >"$work/lintian.txt" 2>&1 || true
cat "$work/lintian.txt"
if grep -q '^E: ' "$work/lintian.txt"; then
    fail "lintian reports errors (E: lines above)"
fi
grep -q '^[EW]: .*\(no-copyright-file\|binary-without-manpage\|unstripped-binary\)' "$work/lintian.txt" \
    && fail "lintian: a package lacks its copyright file, a man page, or is unstripped"

# ---- 3. control data --------------------------------------------------------------------
step "dpkg-deb -I"
for name in orchard-server orchard-client orchard-cli; do
    dpkg-deb -I "$(deb "$name")"
    [ "$(dpkg-deb -f "$(deb "$name")" Package)" = "$name" ] || fail "$name: wrong Package field"
    [ "$(dpkg-deb -f "$(deb "$name")" Version)" = "$version" ] || fail "$name: Version is not $version"
    [ "$(dpkg-deb -f "$(deb "$name")" Architecture)" = "$arch" ] || fail "$name: Architecture is not $arch"
    depends=$(dpkg-deb -f "$(deb "$name")" Depends)
    # dpkg-shlibdeps names Qt's and the C library's packages: nothing computed, nothing works.
    case $depends in *libqt6core6*) ;; *) fail "$name: Depends lacks Qt: '$depends'" ;; esac
    case $depends in *libc6*) ;; *) fail "$name: Depends lacks libc6: '$depends'" ;; esac
    dpkg-deb -f "$(deb "$name")" Maintainer Description Homepage Section | grep '^Homepage: ' >/dev/null \
        || fail "$name: no Homepage"
    # Every file under /etc must be a conffile, or an upgrade overwrites the admin's edits.
    dpkg-deb -c "$(deb "$name")" | awk '{ print $6 }' | sed -n 's|^\./etc/|/etc/|p' | grep -v '/$' \
        | sort >"$work/$name.etc" || true
    mkdir -p "$work/control/$name"
    dpkg-deb -e "$(deb "$name")" "$work/control/$name"
    sort "$work/control/$name/conffiles" 2>/dev/null >"$work/$name.conffiles" || : >"$work/$name.conffiles"
    diff -u "$work/$name.etc" "$work/$name.conffiles" || fail "$name: files under /etc and conffiles differ"
done
case $(dpkg-deb -f "$(deb orchard-server)" Depends) in *libtorch*) ;; *) fail "orchard-server does not depend on LibTorch" ;; esac
case $(dpkg-deb -f "$(deb orchard-cli)" Depends) in *libtorch*) ;; *) fail "orchard-cli does not depend on LibTorch" ;; esac
case $(dpkg-deb -f "$(deb orchard-client)" Depends) in *libtorch*) fail "orchard-client pulls LibTorch" ;; esac
# The history's SQLite driver is a Qt plugin, loaded at run time: dpkg-shlibdeps cannot see it.
for name in orchard-client orchard-cli; do
    case $(dpkg-deb -f "$(deb "$name")" Depends) in *libqt6sql6-sqlite*) ;; *) fail "$name does not depend on libqt6sql6-sqlite" ;; esac
done
case $(dpkg-deb -f "$(deb orchard-client)" Depends) in *libqt6svg6*) ;; *) fail "orchard-client does not depend on libqt6svg6 (its SVG icon)" ;; esac
grep -qx /etc/orchard/server.conf "$work/orchard-server.conffiles" \
    || echo "note: orchard-server ships no /etc/orchard/server.conf (server/dist/server.conf absent?)"

# ---- 4. an extracted server with its packaged model --------------------------------------
step "dpkg-deb -x orchard-server orchard-cli"
root="$work/root"
dpkg-deb -x "$(deb orchard-server)" "$root"
dpkg-deb -x "$(deb orchard-cli)" "$root"
# The shipped model repository (docs/models.md): version 1 of fashion-mnist, and of it only
# what a model folder is.
repository="$root/usr/share/orchard/models"
model="$repository/fashion-mnist/1"
packaged=$(cd "$repository" && find . -mindepth 1 | LC_ALL=C sort | tr '\n' ' ')
expected="./fashion-mnist ./fashion-mnist/1 ./fashion-mnist/1/README.md ./fashion-mnist/1/model.json ./fashion-mnist/1/model.pt "
[ "$packaged" = "$expected" ] || fail "usr/share/orchard/models holds '$packaged', expected '$expected'"
for file in model.pt model.json README.md; do
    cmp -s "$model/$file" "$source_dir/models/fashion-mnist/1/$file" || fail "packaged $file differs from models/fashion-mnist/1"
done
for program in orchard-server orchard-cli; do
    [ -x "$root/usr/bin/$program" ] || fail "usr/bin/$program is missing from its package"
    # Every library is a system one: a RUNPATH could only make the loader look elsewhere.
    if readelf -d "$root/usr/bin/$program" | grep -E '\((RPATH|RUNPATH)\)'; then
        fail "usr/bin/$program has an RPATH/RUNPATH"
    fi
done
# The build-tree programs fall back to the source tree's repository (ORCHARD_SOURCE_MODELS_DIR),
# which is still there. That the extracted server serves the repository beside its own binary
# (../share/orchard/models) shows in its banner, which names where its models come from.

step "extracted orchard-server --headless --host 127.0.0.1 --port 0 (no --model)"
cd "$work"
# `timeout`: should this script be killed outright, the server still ends. --foreground:
# otherwise timeout passes our SIGTERM on to its whole process group, this script included.
env -u DISPLAY -u WAYLAND_DISPLAY -u QT_QPA_PLATFORM -u ORCHARD_TOKEN \
    timeout --foreground -k 10 600 "$root/usr/bin/orchard-server" --headless --host 127.0.0.1 --port 0 --threads 2 \
    >"$work/server.out" 2>"$work/server.err" &
server_pid=$!
port=""
deadline=$((SECONDS + 120)) # loading LibTorch and the model on a busy machine
while [ -z "$port" ]; do
    # The banner, not the event log's "server listening on" line: it names the model.
    port=$(sed -n 's/^Orchard server .* listening on [^ ]* port \([0-9][0-9]*\) (model .*/\1/p' "$work/server.out" | head -n 1)
    [ -n "$port" ] && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
        cat "$work/server.out" "$work/server.err" >&2
        fail "the extracted server exited before listening"
    fi
    [ $SECONDS -lt $deadline ] || { cat "$work/server.err" >&2; fail "no 'Orchard server ... listening on ... port N' within 120 s"; }
    sleep 0.1
done
banner=$(grep -m 1 '^Orchard server .* listening on ' "$work/server.out")
echo "$banner"
case $banner in
*"(model fashion-mnist,"*) ;;
*) fail "the extracted server does not serve the default model: $banner" ;;
esac
grep -q "^orchard-server: models fashion-mnist 1 (default fashion-mnist) from $repository;" "$work/server.out" \
    || { cat "$work/server.out" >&2; fail "the extracted server did not serve its packaged repository ($repository)"; }

step "extracted orchard-cli predict --json resources/samples"
env -u ORCHARD_TOKEN ORCHARD_HISTORY="$work/history.sqlite" "$root/usr/bin/orchard-cli" predict --host 127.0.0.1 --port "$port" --json \
    "$source_dir"/resources/samples/*.png >"$work/predictions.jsonl" 2>"$work/predict.err" \
    || { predict_status=$?; cat "$work/predict.err" >&2; fail "orchard-cli predict exited $predict_status"; }
/usr/bin/python3 - "$work/predictions.jsonl" "$source_dir/resources/samples" <<'EOF' || fail "the predictions are wrong"
import json, os, re, sys
lines = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
samples = sorted(f for f in os.listdir(sys.argv[2]) if f.endswith(".png"))
def key(text):
    return re.sub(r"[^a-z]", "", text.lower())
assert len(lines) == len(samples), f"{len(lines)} answers for {len(samples)} samples"
errors = [line for line in lines if "error" in line]
assert not errors, f"errors: {errors}"
# Each sample is named after its class (sneaker_0.png: Sneaker); the model gets 18 of 20
# right (models/fashion-mnist/1/README.md), a broken pipeline about 2.
right = sum(key(os.path.basename(line["file"]).rsplit("_", 1)[0]) == key(line["label"]) for line in lines)
print(f"{right} of {len(lines)} samples diagnosed as the class they are named after")
assert right >= 16, "fewer than 16 of 20 right"
EOF

step "extracted orchard-cli history --json: the 20 answers were recorded"
ORCHARD_HISTORY="$work/history.sqlite" "$root/usr/bin/orchard-cli" history --json >"$work/history.jsonl" \
    || fail "orchard-cli history exited $?"
recorded=$(grep -c '"source":"cli"' "$work/history.jsonl" || true)
[ "$recorded" -eq 20 ] || fail "the history holds $recorded records of the 20 predictions"

step "SIGTERM: graceful stop"
kill -TERM "$server_pid"
server_status=0
wait "$server_pid" || server_status=$?
server_pid=""
[ "$server_status" -eq 0 ] || { cat "$work/server.err" >&2; fail "the extracted server exited $server_status on SIGTERM"; }

# ---- 5. desktop integration --------------------------------------------------------------
step "orchard-client: .desktop, AppStream, icons"
client_root="$work/client-root"
dpkg-deb -x "$(deb orchard-client)" "$client_root"
if readelf -d "$client_root/usr/bin/orchard-client" | grep -E 'NEEDED.*libtorch|\((RPATH|RUNPATH)\)'; then
    fail "orchard-client links LibTorch or has an RPATH/RUNPATH"
fi
desktop=$(find "$client_root/usr/share/applications" -name '*.desktop')
metainfo=$(find "$client_root/usr/share/metainfo" -name '*.metainfo.xml')
[ -n "$desktop" ] || fail "no .desktop file in orchard-client"
[ -n "$metainfo" ] || fail "no AppStream metainfo in orchard-client"
desktop-file-validate "$desktop" || fail "desktop-file-validate $desktop"
grep -qx 'Exec=orchard-client %F' "$desktop" || fail "$desktop: Exec is not 'orchard-client %F'"
grep -q '^MimeType=.*image/jpeg;' "$desktop" || fail "$desktop: does not open JPEG photos"
appstreamcli validate --no-net "$metainfo" || fail "appstreamcli validate --no-net $metainfo"
icon=$(sed -n 's/^Icon=//p' "$desktop")
for size in 16 22 24 32 48 64 128 256; do
    png="$client_root/usr/share/icons/hicolor/${size}x${size}/apps/$icon.png"
    [ -f "$png" ] || fail "no ${size}x${size} icon $icon.png"
    # PNG: width and height are the big-endian words at bytes 16 and 20.
    read -r w h < <(od -An -tu4 --endian=big -j16 -N8 "$png")
    [ "$w $h" = "$size $size" ] || fail "$png is ${w}x${h}, not ${size}x${size}"
done
[ -f "$client_root/usr/share/icons/hicolor/scalable/apps/$icon.svg" ] || fail "no scalable $icon.svg"

for name in orchard-server orchard-client orchard-cli; do
    dpkg-deb -c "$(deb "$name")" | grep " \./usr/share/man/man1/$name\.1\.gz$" || fail "$name has no man page"
done

echo "PASS: $(cd "$packages" && echo *.deb)"

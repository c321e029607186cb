#!/usr/bin/env python3
"""Ten minutes of mixed traffic against a 2-worker Orchard server, then the books.

Run by `scripts/bench.sh --soak` (never by the tests): it starts its own headless
`orchard-server --threads 2 --max-queued 8 --read-timeout 2` on 127.0.0.1 and drives, at
the same time and for --seconds:

* farmers: connect, wait their turn, send photos in all three body forms (binary, base64
  text, base64 JSON), a ping now and then, say goodbye, come back;
* QA floods: every 15 s, 30 connections at once, past the line (most hear BUSY);
* slow clients (a header byte per 0.5 s, into the read timeout) and vanishing ones (half a
  header or half a body, then gone, with FIN or RST);
* hostile images: a 30000 x 30000 PNG, a TIFF declaring one 23168 x 23168 tile, a
  progressive JPEG of thousands of empty scans, random bytes.

Every 10 s it samples the server's resident memory, open descriptors and CPU time. At the
end it checks the books: every request sent on a connection that got `welcome` was
answered (a prediction or an error), nothing that should have been served was lost, and
the server shut down on SIGTERM within its grace. Prints one JSON object; with --plot,
draws memory and descriptors over time.

Loopback only; every loop is bounded in count and time. Standard library (plus matplotlib
for --plot).
"""
import argparse
import base64
import json
import os
import random
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib

# The frame reader and process readings are the 500-waiting-clients probe's own.
from waiting_clients import cpu_seconds, read_frame, vm_rss_kib  # noqa: E402 (bench/ is the script's folder)

HEADER_LEN = 128


# --- the wire --------------------------------------------------------------------------

def header(fields):
    text = json.dumps(fields, separators=(",", ":"), sort_keys=True).encode()
    return text.rjust(HEADER_LEN)


def kind_of(frame):
    head, body = frame
    if head["msg_type"] == "SERVER_MESSAGE":
        return json.loads(body).get("kind", "")
    if head["msg_type"] == "SERVER_ERROR":
        return "error:" + json.loads(body).get("code", "")
    return head["msg_type"]


def connect(port, timeout=10.0):
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    sock.settimeout(timeout)
    return sock


def wait_for_welcome(sock, deadline):
    """'welcome', 'busy' or 'closed'; skips `queued`."""
    while time.monotonic() < deadline:
        try:
            frame = read_frame(sock)
        except socket.timeout:
            continue
        if frame is None:
            return "closed"
        kind = kind_of(frame)
        if kind == "welcome":
            return "welcome"
        if kind == "error:BUSY":
            return "busy"
    return "closed"


def image_request(image, form, msg_id):
    if form == "binary":
        return header({"msg_type": "CLIENT_IMAGE", "msg_len": len(image), "msg_id": msg_id,
                       "encoding": "binary"}) + image
    if form == "base64":
        body = base64.b64encode(image)
    else:
        body = json.dumps({"image": base64.b64encode(image).decode(), "name": "soak.png"}).encode()
    return header({"msg_type": "CLIENT_IMAGE", "msg_len": len(body), "msg_id": msg_id}) + body


# --- hostile images ---------------------------------------------------------------------

def png_bomb(side=30000):
    """A valid 1-bit gray PNG of side x side pixels, a few hundred KB."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    raw = zlib.compress(row * side, 9)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", raw) + chunk(b"IEND", b""))


def tiff_tile_bomb(tile=23168, data_bytes=65536):
    """A 1 x 1, 1-bit TIFF that declares one tile x tile tile (the decoder allocates the tile)."""
    entries = [(256, 3, 1, 1), (257, 3, 1, 1), (258, 3, 1, 1), (259, 3, 1, 1), (262, 3, 1, 1),
               (277, 3, 1, 1), (322, 4, 1, tile), (323, 4, 1, tile), (324, 4, 1, 0), (325, 4, 1, data_bytes)]
    ifd_size = 2 + 12 * len(entries) + 4
    data_offset = 8 + ifd_size
    entries[8] = (324, 4, 1, data_offset)
    ifd = struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        ifd += struct.pack("<HHII", tag, kind, count, value) if kind == 4 else \
            struct.pack("<HHIHH", tag, kind, count, value, 0)
    ifd += struct.pack("<I", 0)
    return b"II*\x00" + struct.pack("<I", 8) + ifd + b"\x00" * data_bytes


def jpeg_scan_bomb(scans=2500, side=6324):
    """A progressive JPEG of `scans` empty scans (each costs the decoder a pass over the image).

    The tables and frame header come from a real progressive encode of a black picture
    (Pillow, from Debian's python3-pil); the scans after it are the attack: before the scan
    limit, 10 000 of them (100 KB) held a worker for 24 s.
    """
    import io
    from PIL import Image
    encoded = io.BytesIO()
    Image.new("L", (side, side), 0).save(encoded, "JPEG", progressive=True, quality=75)
    data = encoded.getvalue()
    offset = 2
    while data[offset + 1] != 0xDA:  # walk the marker segments to the first scan
        offset += 2 + struct.unpack(">H", data[offset + 2:offset + 4])[0]
    scan = b"\xff\xda\x00\x08\x01\x01\x00\x00\x00\x00"
    return data[:offset] + scan * scans + b"\xff\xd9"


# --- the traffic --------------------------------------------------------------------------

class Books:
    """What was sent and what came back, by kind of client; thread-safe."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}

    def add(self, key, amount=1):
        with self.lock:
            self.counts[key] = self.counts.get(key, 0) + amount


def farmer(port, images, stop, books, rng):
    forms = ["binary", "base64", "json"]
    msg_id = 0
    while not stop.is_set():
        try:
            sock = connect(port)
        except OSError:
            books.add("farmer connect failed")
            time.sleep(0.2)
            continue
        with sock:
            outcome = wait_for_welcome(sock, time.monotonic() + 30)
            books.add("farmer " + outcome)
            if outcome != "welcome":
                time.sleep(0.1 + rng.random() * 0.3)  # refused while QA floods: try again soon
                continue
            for _ in range(rng.randint(5, 40)):
                if stop.is_set():
                    break
                msg_id += 1
                if rng.random() < 0.1:
                    body = b'{"action":"ping"}'
                    sock.sendall(header({"msg_type": "CLIENT_MESSAGE", "msg_len": len(body), "msg_id": msg_id}) + body)
                    books.add("ping sent")
                    reply = read_frame(sock)
                    books.add("ping answered" if reply and kind_of(reply) == "pong" else "ping lost")
                    continue
                form = forms[msg_id % 3]
                sock.sendall(image_request(rng.choice(images), form, msg_id))
                books.add("requests sent")
                books.add("requests sent " + form)
                reply = read_frame(sock)
                if reply is None:
                    books.add("requests lost")
                    break
                books.add("answered " + kind_of(reply))
            body = "farmer done".encode()
            try:
                sock.sendall(header({"msg_type": "CLIENT_MESSAGE", "msg_len": len(body)}) + body)
                reply = read_frame(sock)
                books.add("goodbyes answered" if reply and kind_of(reply) == "offline" else "goodbyes lost")
            except OSError:
                books.add("goodbyes lost")


def hostile(port, stop, books, rng):
    bombs = [("png 30000^2", png_bomb()), ("tiff tile", tiff_tile_bomb()),
             ("jpeg scans", jpeg_scan_bomb()), ("random", os.urandom(200_000))]
    while not stop.wait(2.0):
        name, image = rng.choice(bombs)
        try:
            with connect(port, timeout=60) as sock:
                if wait_for_welcome(sock, time.monotonic() + 30) != "welcome":
                    books.add("hostile refused")
                    continue
                started = time.monotonic()
                sock.sendall(image_request(image, "binary", 1))
                reply = read_frame(sock)
                books.add(f"hostile {name}: " + (kind_of(reply) if reply else "closed"))
                books.add(f"hostile {name}: ms", int((time.monotonic() - started) * 1000))
        except OSError:
            books.add(f"hostile {name}: connection error")


def qa_flood(port, stop, books):
    while not stop.wait(15.0):
        socks = []
        for _ in range(30):
            try:
                socks.append(connect(port))
            except OSError:
                books.add("flood connect failed")
        outcomes = {}
        for sock in socks:
            try:
                sock.settimeout(2.0)
                frame = read_frame(sock)
                kind = kind_of(frame) if frame else "closed"
            except (OSError, socket.timeout):
                kind = "silent"
            outcomes[kind] = outcomes.get(kind, 0) + 1
        for kind, count in outcomes.items():
            books.add("flood " + kind, count)
        time.sleep(2.0)
        for sock in socks:
            sock.close()


def slow_and_vanishing(port, stop, books, rng):
    while not stop.wait(1.0):
        choice = rng.random()
        try:
            sock = connect(port)
        except OSError:
            books.add("vanishing connect failed")
            continue
        if choice < 0.2:  # slow: a header byte every 0.5 s into the 2 s read timeout
            with sock:
                if wait_for_welcome(sock, time.monotonic() + 30) != "welcome":
                    continue
                head = header({"msg_type": "CLIENT_IMAGE", "msg_len": 10})
                reply = None
                for byte in head[:12]:
                    try:
                        sock.sendall(bytes([byte]))
                    except OSError:
                        break
                    time.sleep(0.5)
                try:
                    sock.settimeout(5)
                    reply = read_frame(sock)
                except (OSError, socket.timeout):
                    pass
                books.add("slow client: " + (kind_of(reply) if reply else "closed"))
            continue
        # vanishing: half a header or half a body, then gone (FIN or RST)
        part = header({"msg_type": "CLIENT_IMAGE", "msg_len": 1 << 20})
        part = part[:60] if choice < 0.6 else part + b"x" * 5000
        try:
            sock.sendall(part)
        except OSError:
            pass
        if rng.random() < 0.5:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
        books.add("vanished")


# --- the server and its samples ------------------------------------------------------------

def process_sample(pid, started):
    return {"t": round(time.monotonic() - started, 1), "rss_mib": round(vm_rss_kib(pid) / 1024, 1),
            "fds": len(os.listdir(f"/proc/{pid}/fd")), "cpu_s": round(cpu_seconds(pid), 1)}


BEGIN = "<!-- BEGIN SOAK generated by scripts/bench.sh --soak: do not edit by hand -->"
END = "<!-- END SOAK -->"


def render(result, args, plot_name):
    """The soak's results as the Markdown section docs/security.md shows."""
    counts = result["counts"]
    errors = {}
    for key, value in counts.items():
        if key.startswith(("answered error:", "flood error:")) or (key.startswith("hostile ") and "error:" in key):
            code = key.split("error:")[1]
            errors[code] = errors.get(code, 0) + value
    first, last = result["samples"][0], result["samples"][-1]
    lines = [BEGIN, "",
             f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, Orchard {args.commit}, "
             f"{result['seconds']:.0f} s, `orchard-server --threads 2 --max-queued 8 --read-timeout 2`, "
             f"{args.farmers} farmers, on this {os.cpu_count()}-core machine.", "",
             "| | |", "|---|---|",
             f"| farmers' requests sent / answered / lost | {result['requests_sent']:,} / "
             f"{result['requests_answered']:,} / {result['requests_lost']} |",
             "| by body form (binary, base64 text, base64 JSON) | "
             f"{counts.get('requests sent binary', 0):,} / {counts.get('requests sent base64', 0):,} / "
             f"{counts.get('requests sent json', 0):,} |",
             f"| pings sent / answered | {counts.get('ping sent', 0):,} / {counts.get('ping answered', 0):,} |",
             f"| farmers welcomed / refused BUSY while QA flooded | {counts.get('farmer welcome', 0):,} / "
             f"{counts.get('farmer busy', 0):,} |",
             f"| QA flood connections: `queued` / BUSY | {counts.get('flood queued', 0):,} / "
             f"{counts.get('flood error:BUSY', 0):,} |",
             f"| slow clients timed out / vanishing clients | {counts.get('slow client: error:TIMEOUT', 0)} / "
             f"{counts.get('vanished', 0)} |"]
    for name in ("png 30000^2", "tiff tile", "jpeg scans", "random"):
        answers = {k.split(": ", 1)[1]: v for k, v in counts.items()
                   if k.startswith(f"hostile {name}: ") and not k.endswith(": ms")}
        total = sum(answers.values())
        if total:
            ms = counts.get(f"hostile {name}: ms", 0) / total
            lines.append(f"| hostile image: {name} | {', '.join(f'{v} × {k}' for k, v in sorted(answers.items()))}; "
                         f"{ms:.0f} ms each on average |")
    lines += [f"| errors by code | {', '.join(f'{k} {v:,}' for k, v in sorted(errors.items()))} |",
              f"| resident memory: start, after the first minute (min–max), end | {first['rss_mib']} MiB, "
              f"{result['rss_mib_after_warmup'][0]}–{result['rss_mib_after_warmup'][1]} MiB, {last['rss_mib']} MiB |",
              f"| open descriptors: start, after the first minute (min–max), end | {first['fds']}, "
              f"{result['fds_after_warmup'][0]}–{result['fds_after_warmup'][1]}, {last['fds']} |",
              f"| server CPU | {last['cpu_s']:.0f} s in {last['t']:.0f} s |",
              f"| event log written (headless, stdout) | {result['log_bytes'] or 0:,} bytes; the monitor's "
              "model keeps the last 10,000 entries of at most 400 characters |",
              f"| SIGTERM to exit | {result['shutdown_s']} s, exit status {result['exit_code']} |", ""]
    if plot_name:
        lines += [f"![Server memory and descriptors during the soak]({plot_name})", ""]
    lines.append(END)
    return "\n".join(lines)


def write_section(path, section):
    with open(path, encoding="utf-8") as doc:
        text = doc.read()
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    with open(path, "w", encoding="utf-8") as doc:
        doc.write(text)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", required=True, help="the orchard-server executable")
    parser.add_argument("--images", required=True, help="a folder of photos the farmers send")
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--farmers", type=int, default=3)
    parser.add_argument("--log", default=os.devnull, help="where the server's event lines go")
    parser.add_argument("--plot", help="write memory and descriptors over time to this PNG")
    parser.add_argument("--doc", help="rewrite the generated soak section of this Markdown file")
    parser.add_argument("--commit", default="", help="what was measured, for --doc")
    args = parser.parse_args()

    images = [open(os.path.join(args.images, name), "rb").read()
              for name in sorted(os.listdir(args.images)) if name.lower().endswith((".png", ".jpg", ".jpeg"))]
    port = free_port()
    log = open(args.log, "wb")
    server = subprocess.Popen([args.server, "--headless", "--host", "127.0.0.1", "--port", str(port),
                               "--threads", "2", "--max-queued", "8", "--read-timeout", "2"],
                              stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with connect(port) as probe:
                if wait_for_welcome(probe, time.monotonic() + 10) == "welcome":
                    break
        except OSError:
            time.sleep(0.2)
    started = time.monotonic()
    samples = [process_sample(server.pid, started)]
    books = Books()
    stop = threading.Event()
    rng = random.Random(20261202)
    threads = [threading.Thread(target=farmer, args=(port, images, stop, books, random.Random(i)))
               for i in range(args.farmers)]
    threads += [threading.Thread(target=hostile, args=(port, stop, books, random.Random(100))),
                threading.Thread(target=qa_flood, args=(port, stop, books)),
                threading.Thread(target=slow_and_vanishing, args=(port, stop, books, rng))]
    for thread in threads:
        thread.start()
    while time.monotonic() - started < args.seconds:
        time.sleep(min(10.0, max(0.0, args.seconds - (time.monotonic() - started))))
        samples.append(process_sample(server.pid, started))
    stop.set()
    for thread in threads:
        thread.join(timeout=90)
    samples.append(process_sample(server.pid, started))

    shutdown_started = time.monotonic()
    server.send_signal(signal.SIGTERM)
    try:
        exit_code = server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        exit_code = "killed after 30 s"
    shutdown_s = round(time.monotonic() - shutdown_started, 2)
    log.close()

    counts = dict(sorted(books.counts.items()))
    answered = sum(v for k, v in counts.items() if k.startswith("answered "))
    warm = [s for s in samples if s["t"] >= 60] or samples
    result = {
        "seconds": args.seconds,
        "counts": counts,
        "requests_sent": counts.get("requests sent", 0),
        "requests_answered": answered,
        "requests_lost": counts.get("requests lost", 0),
        "rss_mib_after_warmup": [min(s["rss_mib"] for s in warm), max(s["rss_mib"] for s in warm)],
        "fds_after_warmup": [min(s["fds"] for s in warm), max(s["fds"] for s in warm)],
        "samples": samples,
        "shutdown_s": shutdown_s,
        "exit_code": exit_code,
        "log_bytes": os.path.getsize(args.log) if args.log != os.devnull else None,
    }
    json.dump(result, sys.stdout, indent=1)
    print()
    sys.stdout.flush()
    if args.doc:
        write_section(args.doc, render(result, args, os.path.basename(args.plot or "")))
    if args.plot:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        figure, memory = plt.subplots(figsize=(8, 3.2))
        times = [s["t"] / 60 for s in samples]
        memory.plot(times, [s["rss_mib"] for s in samples], color="tab:green", label="resident memory (MiB)")
        memory.set_xlabel("minutes")
        memory.set_ylabel("MiB")
        memory.set_ylim(bottom=0)
        descriptors = memory.twinx()
        descriptors.plot(times, [s["fds"] for s in samples], color="tab:blue", label="open descriptors")
        descriptors.set_ylabel("descriptors")
        descriptors.set_ylim(bottom=0)
        figure.legend(loc="lower right")
        memory.set_title("orchard-server under the soak (2 workers)")
        figure.tight_layout()
        figure.savefig(args.plot, dpi=100)
    return 0 if result["requests_lost"] == 0 and answered == result["requests_sent"] and exit_code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

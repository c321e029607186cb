#!/usr/bin/env python3
"""Clients written to the original protocol, as seed 000's client talks: the path the
people still using the original clients take.

Each client is its own process (as each farmer's PyQt client was): it connects, and for
every photo base64-encodes the file (`base64.b64encode`), sends a 128-byte header padded
with spaces on the left (`{"msg_type": "CLIENT_IMAGE", "msg_len": N}`) and the base64 text,
and waits for the reply before sending the next — one request at a time, no msg_id, no
binary bodies. At the end it says goodbye (a CLIENT_MESSAGE of text). It skips the
SERVER_MESSAGE frames an Orchard server adds (`queued`, `welcome`), which the original
server never sends.

Prints one JSON object: images answered, images/s over the busy window, latency
percentiles. Works against an Orchard server and against bench/reference/seed_server.py
alike. Loopback only; bounded by --requests per client. Standard library only.
"""
import argparse
import base64
import json
import multiprocessing
import os
import socket
import statistics
import sys
import time

HEADER_LEN = 128


def header(kind, length):
    return json.dumps({"msg_type": kind, "msg_len": length}).encode().rjust(HEADER_LEN)


def read_exactly(sock, count):
    chunks, received = [], 0
    while received < count:
        chunk = sock.recv(min(1 << 20, count - received))
        if not chunk:
            raise ConnectionError("the server closed the connection")
        chunks.append(chunk)
        received += len(chunk)
    return b"".join(chunks)


def read_reply(sock):
    """The next frame that is not a SERVER_MESSAGE (queued/welcome), as (type, body)."""
    while True:
        head = json.loads(read_exactly(sock, HEADER_LEN).strip())
        body = read_exactly(sock, head["msg_len"])
        if head["msg_type"] != "SERVER_MESSAGE":
            return head["msg_type"], body


def frame_for(photo, body):
    """The CLIENT_IMAGE frame for one photo in one body form (see docs/protocol.md)."""
    if body == "binary":
        head = json.dumps({"msg_type": "CLIENT_IMAGE", "msg_len": len(photo), "encoding": "binary"})
        return head.encode().rjust(HEADER_LEN) + photo
    text = base64.b64encode(photo)
    if body == "json":
        text = json.dumps({"image": text.decode(), "name": "photo.jpg", "top_k": 3}).encode()
    return header("CLIENT_IMAGE", len(text)) + text


def client(port, photos, requests, start_at, results, body="text", encode_once=False):
    with socket.create_connection(("127.0.0.1", port), timeout=120) as sock:
        latencies, errors = [], 0
        # --encode-once: the frames are made before the clock starts, so that the latency
        # is the server's and the wire's alone (comparing body forms, not Python's base64).
        frames = [frame_for(photo, body) for photo in photos] if encode_once else None
        while time.time() < start_at:
            time.sleep(0.001)
        began = time.monotonic()
        for i in range(requests):
            photo = photos[i % len(photos)]
            sent = time.monotonic()
            # Otherwise encoded per request, as the original client did.
            sock.sendall(frames[i % len(frames)] if frames else frame_for(photo, body))
            kind, _ = read_reply(sock)
            latencies.append((time.monotonic() - sent) * 1000)
            errors += kind != "SERVER_PREDICTION"
        ended = time.monotonic()
        goodbye = "客户机下线".encode()
        sock.sendall(header("CLIENT_MESSAGE", len(goodbye)) + goodbye)
        try:
            read_reply(sock)
        except (ConnectionError, OSError):
            pass
    results.put({"latencies": latencies, "errors": errors, "began": began, "ended": ended})


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--images", required=True, help="folder of photos (JPEG or PNG)")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--requests", type=int, default=50, help="per client")
    parser.add_argument("--body", choices=("text", "json", "binary"), default="text",
                        help="text: base64 text, as the original client (default); json: base64 inside "
                             '{"image": ...}; binary: raw bytes with "encoding": "binary" (Orchard only)')
    parser.add_argument("--encode-once", action="store_true",
                        help="encode each photo before the clock starts instead of per request")
    args = parser.parse_args()

    photos = [open(os.path.join(args.images, name), "rb").read() for name in sorted(os.listdir(args.images))
              if name.lower().endswith((".jpg", ".jpeg", ".png"))]
    results = multiprocessing.Queue()
    start_at = time.time() + 1.0  # every process connected and ready before the clock starts
    processes = [multiprocessing.Process(target=client, args=(args.port, photos, args.requests, start_at, results,
                                                                  args.body, args.encode_once))
                 for _ in range(args.clients)]
    for process in processes:
        process.start()
    gathered = [results.get(timeout=600) for _ in processes]
    for process in processes:
        process.join()
    latencies = sorted(l for g in gathered for l in g["latencies"])
    window = max(g["ended"] for g in gathered) - min(g["began"] for g in gathered)
    answered = len(latencies) - sum(g["errors"] for g in gathered)
    json.dump({
        "clients": args.clients, "body": args.body, "encode_once": args.encode_once,
        "requests": len(latencies), "answered": answered,
        "errors": sum(g["errors"] for g in gathered),
        "images_per_second": round(answered / window, 2) if window > 0 else 0,
        "p50_ms": round(statistics.median(latencies), 2),
        "p90_ms": round(latencies[int(0.9 * (len(latencies) - 1))], 2),
        "first_ms": round(gathered[0]["latencies"][0], 2) if gathered[0]["latencies"] else None,
        # What goes on the wire per photo in this body form: header and body.
        "bytes_per_photo": round(sum(len(frame_for(p, args.body)) for p in photos) / len(photos)),
    }, sys.stdout)
    print()
    return 0 if answered == len(latencies) else 1


if __name__ == "__main__":
    sys.exit(main())

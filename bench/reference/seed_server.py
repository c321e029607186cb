#!/usr/bin/env python3
"""The original design, in Python, as the reference Orchard is benchmarked against.

This is the server of the teaching project Orchard rebuilds (seed article "Python实现线程池
工作模式", sections 02-04 and 09-10): a `socket` accept loop hands every connection to
`ThreadPoolExecutor(max_workers=N).submit(handle_client, sock, addr, model)`, and
`handle_client` loops over 128-byte JSON headers until the client goes offline:

* CLIENT_IMAGE: receive `msg_len` bytes in a loop, base64-decode, `cv2.imdecode`, change
  the colour mode, resize, normalise, run the model (`torch.jit.load` of the same
  model.pt), send a header and a JSON body;
* CLIENT_MESSAGE: the client goes offline: reply with its text and a timestamp, close.

A connection that finds every worker busy waits, silently, in the executor's queue: the
original says nothing to it (no `queued`, no `welcome`), and it has no binary bodies. It
holds its worker for as long as it stays connected, as Orchard's sessions do.

Where this file departs from the seed, it is so the benchmark measures the design and not
an accident, and each departure favours the seed, never Orchard:

* the reply body has Orchard's JSON shape (label, index, confidence, top_k, ...), and the
  offline reply is Orchard's {"kind": "offline", ...}, so one bench client counts both;
* headers and bodies are received until complete (the seed's single recv(128) for a
  header breaks when TCP splits it), into a list joined once, not `data += chunk`;
* preprocessing follows the model folder's model.json contract (docs/models.md), so it
  serves any Orchard model folder with the same pixels as training;
* torch runs with one intra-op thread (--intra-op-threads), the same budget as Orchard's
  workers, so neither oversubscribes the cores (OpenCV keeps its default threads, as in
  Orchard); inference runs under torch.no_grad();
* a reply's header and body leave in one sendall() on a TCP_NODELAY socket (two sends,
  as in the seed, can meet Nagle's algorithm and delayed ACKs: up to 40 ms per reply);
* a bad image gets a SERVER_ERROR instead of ending the session;
* --port 0 picks a free port, printed as "seed server listening on HOST port N".

For timing only; not part of Orchard. Run with Debian's python3 (it has torch and cv2):

    /usr/bin/python3 bench/reference/seed_server.py --port 0 --workers 2 --model models/fashion-mnist/1
"""
import argparse
import base64
import json
import signal
import socket
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cv2
import numpy as np
import torch

MSG_HEADER_LEN = 128


def recv_exactly(sock, length):
    chunks, received = [], 0
    while received < length:
        chunk = sock.recv(min(length - received, 1 << 16))
        if not chunk:
            return None
        chunks.append(chunk)
        received += len(chunk)
    return b"".join(chunks)


def send_message(sock, msg_type, body, msg_id=None):
    header = {"msg_type": msg_type, "msg_len": len(body)}
    if msg_id is not None:
        header["msg_id"] = msg_id
    header_bytes = json.dumps(header).encode("utf-8")
    sock.sendall(header_bytes.rjust(MSG_HEADER_LEN, b" ") + body)


class Model:
    """model.pt and the model.json preprocessing contract, loaded once and shared."""

    def __init__(self, folder):
        folder = Path(folder)
        self.manifest = json.loads((folder / "model.json").read_text(encoding="utf-8"))
        spec = self.manifest["input"]
        self.name = self.manifest["name"]
        self.labels = self.manifest["labels"]
        self.descriptions = self.manifest.get("descriptions", {})
        self.channels = spec["channels"]
        self.width, self.height = spec["width"], spec["height"]
        self.color = spec["color"]
        self.resize = spec["resize"]
        self.scale = np.float32(spec.get("scale", 1 / 255))
        self.mean = np.array(spec["mean"], np.float32)
        self.std = np.array(spec["std"], np.float32)
        self.module = torch.jit.load(str(folder / "model.pt"))
        self.module.eval()

    def preprocess(self, data):
        flags = cv2.IMREAD_GRAYSCALE if self.channels == 1 else cv2.IMREAD_COLOR
        image = cv2.imdecode(np.frombuffer(data, np.uint8), flags)
        if image is None:
            raise ValueError("the data is not an image OpenCV can decode")
        height, width = image.shape[:2]
        if self.color == "rgb":
            image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        if self.resize == "letterbox":
            s = min(self.width / width, self.height / height)
            nw = min(max(round(width * s), 1), self.width)
            nh = min(max(round(height * s), 1), self.height)
            resized = cv2.resize(image, (nw, nh), interpolation=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR)
            canvas = np.zeros((self.height, self.width) + image.shape[2:], np.uint8)
            top, left = (self.height - nh) // 2, (self.width - nw) // 2
            canvas[top:top + nh, left:left + nw] = resized
            image = canvas
        else:
            interpolation = cv2.INTER_AREA if self.resize == "area" else cv2.INTER_LINEAR
            image = cv2.resize(image, (self.width, self.height), interpolation=interpolation)
        x = image.astype(np.float32) * self.scale
        if x.ndim == 2:
            x = x[:, :, None]
        x = (x - self.mean) / self.std
        tensor = torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)))[None]
        return tensor, width, height

    def predict(self, data, name, top_k):
        start = time.perf_counter()
        tensor, width, height = self.preprocess(data)
        prepared = time.perf_counter()
        with torch.no_grad():
            logits = self.module(tensor)
        inferred = time.perf_counter()
        probabilities = torch.softmax(logits[0], dim=0)
        k = max(1, min(top_k, len(self.labels)))
        scores, indexes = torch.topk(probabilities, k)
        top = [{"label": self.labels[int(i)], "index": int(i), "score": float(s)}
               for s, i in zip(scores.tolist(), indexes.tolist())]
        reply = {"name": name, "model": self.name, "label": top[0]["label"], "index": top[0]["index"],
                 "confidence": top[0]["score"], "top_k": top,
                 "image": {"width": width, "height": height},
                 "timing_ms": {"wait": 0.0, "decode": 0.0,
                               "preprocess": (prepared - start) * 1e3,
                               "infer": (inferred - prepared) * 1e3,
                               "total": (time.perf_counter() - start) * 1e3}}
        advice = self.descriptions.get(reply["label"])
        if advice:
            reply["advice"] = advice
        return reply


def handle_client(client_socket, client_addr, model):
    """The seed's session loop: one connection, one worker, until the client goes offline."""
    print(f"client {client_addr} served", flush=True)
    try:
        while True:
            header_bytes = recv_exactly(client_socket, MSG_HEADER_LEN)
            if header_bytes is None:
                break  # the client went away
            header = json.loads(header_bytes.strip())
            msg_type, msg_len = header["msg_type"], int(header["msg_len"])
            msg_id = header.get("msg_id")
            body = recv_exactly(client_socket, msg_len)
            if body is None:
                break
            if msg_type == "CLIENT_IMAGE":
                try:
                    reply = model.predict(base64.b64decode(body), "", 3)
                    if msg_id is not None:
                        reply["msg_id"] = msg_id
                    send_message(client_socket, "SERVER_PREDICTION",
                                 json.dumps(reply).encode("utf-8"), msg_id)
                except Exception as error:  # a bad image must not end the worker
                    send_message(client_socket, "SERVER_ERROR",
                                 json.dumps({"code": "BAD_IMAGE", "message": str(error)}).encode("utf-8"),
                                 msg_id)
            elif msg_type == "CLIENT_MESSAGE":
                text = body.decode("utf-8", "replace")
                try:
                    parsed = json.loads(text)
                    if isinstance(parsed, dict):
                        text = str(parsed.get("text", ""))
                except ValueError:
                    pass
                stamp = time.strftime("%Y-%m-%d %H:%M:%S")
                reply = {"kind": "offline", "text": f"{text} {stamp}" if text else stamp}
                send_message(client_socket, "SERVER_MESSAGE", json.dumps(reply).encode("utf-8"))
                break
    except (OSError, ValueError, KeyError) as error:
        print(f"client {client_addr}: {error}", flush=True)
    finally:
        client_socket.close()
        print(f"client {client_addr} offline", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description="The original Python thread-pool server (timing reference).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5050)
    parser.add_argument("--workers", type=int, default=5, help="ThreadPoolExecutor max_workers (the seed: 5, the demo: 2)")
    parser.add_argument("--intra-op-threads", type=int, default=1)
    parser.add_argument("--model", required=True, help="an Orchard model folder (model.pt + model.json)")
    args = parser.parse_args(argv)

    torch.set_num_threads(args.intra_op_threads)
    torch.set_num_interop_threads(1)
    model = Model(args.model)

    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind((args.host, args.port))
    server.listen(128)
    host, port = server.getsockname()
    print(f"seed server listening on {host} port {port} (model {model.name}, {args.workers} workers)", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))

    pool = ThreadPoolExecutor(max_workers=args.workers)
    try:
        while True:
            new_socket, new_addr = server.accept()
            new_socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            pool.submit(handle_client, new_socket, new_addr, model)
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.close()
        pool.shutdown(wait=False, cancel_futures=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

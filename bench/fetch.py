"""Fetch benchmark: 1,000 pages from a loopback server answering on several host names
(127.0.0.2, 127.0.0.3, 127.0.0.4: all loopback on Linux), fetched by tasks.fetch in
batches as the flows do, against a naive sequential httpx loop measured in the same run.

The server runs in its own process and logs every request (host, start, end, in-flight
count); its log, not the client's, is the proof that the per-host concurrency limit and
the politeness delay held.

    .venv/bin/python bench/fetch.py [--pages 1000] [--per-host 4] [--delay 0.01] [--latency 0.01]
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import socket
import struct
import threading
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HOSTS = ["127.0.0.2", "127.0.0.3", "127.0.0.4"]
PAGE = ("<html><head><meta charset='utf-8'><title>新闻</title></head><body>"
        + "<p>全国春季农业生产工作会议在京召开，会议部署了今年的春耕备耕工作。</p>" * 200
        + "</body></html>").encode("utf-8")


SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)  # Linux


def serve(ready, stop, log_path: str, latency: float) -> None:
    """Child process: an HTTP/1.1 keep-alive server on each host name, a thread per
    connection. A request's start is the kernel's receive timestamp of its bytes
    (SO_TIMESTAMPNS), so the log shows when requests reached the host, not when a busy
    process got round to reading them."""
    log: list[tuple[str, float, float, int]] = []  # host, start, end, in flight at start
    in_flight: dict[str, int] = defaultdict(int)
    lock = threading.Lock()

    def connection(conn: socket.socket, host: str) -> None:
        buffered = b""
        with conn:
            while True:
                try:
                    data, ancillary, _, _ = conn.recvmsg(65536, socket.CMSG_SPACE(16))
                except OSError:
                    return
                if not data:
                    return
                arrived = time.time()
                for level, kind, payload in ancillary:
                    if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS:
                        seconds, nanoseconds = struct.unpack("qq", payload[:16])
                        arrived = seconds + nanoseconds / 1e9
                buffered += data
                while b"\r\n\r\n" in buffered:
                    head, buffered = buffered.split(b"\r\n\r\n", 1)
                    with lock:
                        in_flight[host] += 1
                        concurrent = in_flight[host]
                    path = head.split(b" ", 2)[1]
                    if path == b"/robots.txt":
                        body, kind = b"User-agent: *\nAllow: /\n", b"text/plain"
                    else:
                        time.sleep(latency)  # the server's think time: what concurrency overlaps
                        body, kind = PAGE, b"text/html; charset=utf-8"
                    try:
                        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: " + kind + b"\r\nContent-Length: "
                                     + str(len(body)).encode() + b"\r\n\r\n" + body)
                    finally:
                        with lock:
                            in_flight[host] -= 1
                            log.append((host, arrived, time.time(), concurrent))

    def accept(listener: socket.socket, host: str) -> None:
        while True:
            conn, _ = listener.accept()
            conn.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
            threading.Thread(target=connection, args=(conn, host), daemon=True).start()

    bases = []
    for host in HOSTS:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)  # inherited by accepted sockets
        listener.bind((host, 0))
        listener.listen(256)
        threading.Thread(target=accept, args=(listener, host), daemon=True).start()
        bases.append(f"http://{host}:{listener.getsockname()[1]}")
    ready.send(bases)
    stop.recv()
    with lock:
        Path(log_path).write_text(json.dumps(log))
    ready.send("logged")
    stop.recv()


class Server:
    def __init__(self, latency: float, log_path: Path):
        self.parent_ready, child_ready = multiprocessing.Pipe()
        self.parent_stop, child_stop = multiprocessing.Pipe()
        self.log_path = log_path
        self.process = multiprocessing.Process(target=serve, args=(child_ready, child_stop, str(log_path), latency),
                                               daemon=True)
        self.process.start()
        self.bases = self.parent_ready.recv()

    def log_since(self, since: float) -> list[tuple[str, float, float, int]]:
        self.parent_stop.send("log")
        self.parent_ready.recv()
        return [row for row in json.loads(self.log_path.read_text()) if row[1] >= since]

    def close(self) -> None:
        self.parent_stop.send("stop")
        self.process.join(timeout=10)


def per_host_proof(log: list) -> dict[str, dict]:
    by_host: dict[str, list] = defaultdict(list)
    for host, start, end, concurrent in log:
        by_host[host].append((start, end, concurrent))
    proof = {}
    for host, rows in sorted(by_host.items()):
        starts = sorted(r[0] for r in rows)
        gaps = [b - a for a, b in zip(starts, starts[1:])]
        proof[host] = {"requests": len(rows), "max_concurrent": max(r[2] for r in rows),
                       "min_gap_ms": min(gaps) * 1000 if gaps else None,
                       "median_gap_ms": sorted(gaps)[len(gaps) // 2] * 1000 if gaps else None}
    return proof


def naive_sequential(urls: list[str]) -> tuple[float, float]:
    import httpx

    started, cpu = time.perf_counter(), time.process_time()
    with httpx.Client(timeout=30) as client:
        for url in urls:
            client.get(url).raise_for_status()
    return time.perf_counter() - started, time.process_time() - cpu


def zhnews_fetch(urls: list[str], settings, batch_size: int) -> tuple[float, float, int]:
    from tasks.fetch import FetchSession, fetch_urls

    fetched = 0
    started, cpu = time.perf_counter(), time.process_time()
    with FetchSession(settings) as session:  # one per run, as the flows keep it across batches
        for i in range(0, len(urls), batch_size):
            result = fetch_urls(urls[i:i + batch_size], settings, session=session)
            assert not result.rejections, result.rejections[:3]
            fetched += len(result.items)
    return time.perf_counter() - started, time.process_time() - cpu, fetched


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--per-host", type=int, default=4)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--delay", type=float, default=0.01, help="politeness delay, seconds")
    parser.add_argument("--latency", type=float, default=0.01, help="server think time per page, seconds")
    parser.add_argument("--batch-size", type=int, default=100)
    args = parser.parse_args()

    from tasks.settings import Settings

    import tempfile

    log_path = Path(tempfile.mkdtemp(prefix="zhnews-bench-fetch-")) / "server-log.json"
    server = Server(args.latency, log_path)
    try:
        urls = [f"{server.bases[i % len(server.bases)]}/article/{i}.html" for i in range(args.pages)]
        settings = Settings().with_overrides(
            allow_private_hosts=True, fetch_per_host=args.per_host, fetch_concurrency=args.concurrency,
            fetch_delay=args.delay, fetch_timeout=30.0, fetch_retries=0)

        mark = time.time()
        baseline, baseline_cpu = naive_sequential(urls)
        mark_zh = time.time()
        seconds, cpu, fetched = zhnews_fetch(urls, settings, args.batch_size)
        log = server.log_since(mark)
    finally:
        server.close()

    zh_log = [row for row in log if row[1] >= mark_zh]
    base_log = [row for row in log if row[1] < mark_zh]
    print(f"fetch benchmark: {args.pages} pages of {len(PAGE)} bytes from {len(HOSTS)} loopback host names, "
          f"server think time {args.latency * 1000:.0f} ms")
    print(f"settings: fetch_per_host={args.per_host} fetch_concurrency={args.concurrency} "
          f"fetch_delay={args.delay * 1000:.0f} ms batch_size={args.batch_size}")
    print(f"  naive sequential httpx loop : {baseline:6.2f} s  {args.pages / baseline:7.1f} pages/s "
          f"({len(base_log)} requests logged, client CPU {baseline_cpu / args.pages * 1000:.1f} ms/page)")
    print(f"  zhnews fetch_urls           : {seconds:6.2f} s  {fetched / seconds:7.1f} pages/s "
          f"({len(zh_log)} requests logged with robots.txt, client CPU {cpu / fetched * 1000:.1f} ms/page)")
    print(f"  speed-up vs baseline        : {baseline / seconds:6.2f}x  (ceiling set by the delay: "
          f"{len(HOSTS) / args.delay:.0f} pages/s)" if args.delay else
          f"  speed-up vs baseline        : {baseline / seconds:6.2f}x")
    print("  from the server's log (zhnews run):")
    ok = True
    for host, proof in per_host_proof(zh_log).items():
        held = proof["max_concurrent"] <= args.per_host
        # Gaps between the kernel's receive timestamps of requests to one host: strict.
        gap_held = proof["min_gap_ms"] is None or proof["min_gap_ms"] >= args.delay * 1000
        ok = ok and held and gap_held
        print(f"    {host}: {proof['requests']:4d} requests, max concurrent {proof['max_concurrent']} "
              f"(limit {args.per_host}) {'held' if held else 'BROKEN'}, min gap between starts "
              f"{proof['min_gap_ms']:.1f} ms (delay {args.delay * 1000:.0f} ms) {'held' if gap_held else 'BROKEN'}, "
              f"median gap {proof['median_gap_ms']:.1f} ms")
    base_proof = per_host_proof(base_log)
    print("  baseline for contrast: max concurrent per host "
          f"{max(p['max_concurrent'] for p in base_proof.values())}, min gap "
          f"{min(p['min_gap_ms'] for p in base_proof.values()):.1f} ms")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

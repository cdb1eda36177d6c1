"""A real HTTP server on 127.0.0.1 for the fetch tests: routes are functions that write a
response, and every request is logged (path, headers, start time) for assertions."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

Route = Callable[["Handler"], None]


@dataclass
class LoggedRequest:
    path: str
    headers: dict[str, str]
    started: float  # time.monotonic()
    client_port: int = 0  # one per connection: how many connections the client opened
    sent_bytes: int = 0  # body bytes the route managed to write


@dataclass
class Site:
    server: ThreadingHTTPServer
    routes: dict[str, Route]
    log: list[LoggedRequest] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def base(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def requests_to(self, path: str) -> list[LoggedRequest]:
        with self.lock:
            return [r for r in self.log if r.path == path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: Site

    def log_message(self, *args) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        entry = LoggedRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic(),
                              self.client_address[1])
        with self.site.lock:
            self.site.log.append(entry)
        self.entry = entry
        route = self.site.routes.get(self.path.split("?")[0])
        if route is None:
            self.send("404 here", status=404, content_type="text/plain")
            return
        try:
            route(self)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def send(self, body: bytes | str, status: int = 200, content_type: str = "text/html",
             headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.entry.sent_bytes += len(data)


def serve(routes: dict[str, Route], host: str = "127.0.0.1") -> Site:
    handler = type("SiteHandler", (Handler,), {})
    server = ThreadingHTTPServer((host, 0), handler)
    server.daemon_threads = True
    site = Site(server, routes)
    handler.site = site
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return site

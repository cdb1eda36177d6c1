"""Stage 0, fetch: URLs to raw pages over HTTP, politely, without losing a URL quietly.

One async httpx client per batch (connections reused), a global and a per-host limit on
requests in flight, a delay between request starts to one host, robots.txt for our user
agent, retries with exponential backoff and jitter on connection errors, timeouts, 5xx and
429 (honouring Retry-After), redirects followed here (at most settings.max_redirects, loops
detected) so every hop's host is checked against private addresses and robots.txt, bodies
streamed and cut at settings.max_body_bytes, a content-type check, and conditional requests
(ETag / Last-Modified) for URLs fetched before. Every URL ends as a RawPage, a Rejection
whose reason names the failure, or a 304 (unchanged).
"""
from __future__ import annotations

import asyncio
import functools
import gzip
import io
import ipaddress
import re
import logging
import random
import socket
import ssl
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Literal

import httpcore
import httpx
from protego import Protego

from tasks.decode import parse_content_type, sniff_binary
from tasks.errors import ZhnewsError
from tasks.models import FetchResult, RawPage, Rejection, StageResult, Validators
from tasks.read import body_hash
from tasks.settings import Settings

STAGE = "fetch"
log = logging.getLogger("zhnews.fetch")

HTML_TYPES = {"text/html", "application/xhtml+xml"}
REDIRECTS = {301, 302, 303, 307, 308}
GONE = {404, 410}  # the page was taken down
RETRY_STATUSES = {429, 500, 502, 503, 504, 520, 521, 522, 523, 524}
ERROR_BODY_BYTES = 65536  # read (and drop) this much of an error body so the connection is reused
ROBOTS_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB
# robots.txt answers that mean "no rules here": 4xx except 429, a redirect nowhere, a
# private host (the page's own check then refuses the page with that reason), an empty body.
ALLOWS_ALL = re.compile(r"HTTP 4(?!29)\d\d|redirect loop|too many redirects|private host|empty body|"
                        r"HTTP 304")
# What a fetch is for: an article page (HTML only), or a sitemap, feed or robots.txt.
Purpose = Literal["page", "document"]


@dataclass
class RobotsRules:
    """An origin's robots.txt as it applies to us, read by protego (Scrapy's parser: it
    honours `*` and `$` in paths, which the standard library's robotparser ignores)."""

    parser: Protego | None  # None: everything allowed (no robots.txt)
    unavailable: str | None = None  # why robots.txt could not be read: all is disallowed

    @property
    def sitemaps(self) -> list[str]:
        return list(self.parser.sitemaps) if self.parser is not None else []

    def refusal(self, url: str, user_agent: str) -> str | None:
        if self.unavailable:
            return f"robots: {self.unavailable}, so the site is treated as disallowing all (RFC 9309)"
        token = agent_token(user_agent)
        if self.parser is not None and not self.parser.can_fetch(url, token):
            return f"robots: robots.txt disallows this URL for user agent {token!r}"
        return None

    def crawl_delay(self, user_agent: str) -> float | None:
        """Our group's Crawl-delay, else the * group's: a site that asks everyone to slow
        down means us too, even where it wrote a group for us without a delay."""
        if self.parser is None:
            return None
        delay = self.parser.crawl_delay(agent_token(user_agent))
        return delay if delay is not None else self.parser.crawl_delay("*")


@dataclass
class HostState:
    """What a run learns about hosts: when each may next be asked, its robots.txt rules
    and whether its addresses are private."""

    next_start: dict[str, float] = field(default_factory=dict)  # host -> held until (Retry-After)
    last_sent: dict[str, float] = field(default_factory=dict)  # host -> when a request last went out
    robots: dict[str, RobotsRules] = field(default_factory=dict)  # origin -> rules
    address_refusals: dict[str, str | None] = field(default_factory=dict)  # host -> reason or None
    unanswered: dict[str, float] = field(default_factory=dict)  # host -> seconds lost to no answer
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def sitemaps(self, origin: str) -> list[str]:
        rules = self.robots.get(origin)
        return list(rules.sitemaps) if rules else []


@dataclass
class Hop:
    """One HTTP response (or the failure to get one) for one URL of a redirect chain."""

    url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    failure: str | None = None  # a reason: the URL ends as a rejection
    retryable: bool = False
    retry_after: float | None = None


def agent_token(user_agent: str) -> str:
    """robots.txt matches the product token: "zhnews" of "zhnews/0.1 (+url)"."""
    return user_agent.split("/")[0].split()[0] if user_agent.strip() else "*"


def origin_of(url: httpx.URL) -> str:
    port = f":{url.port}" if url.port else ""
    return f"{url.scheme}://{url.host}{port}"


def address_kind(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
    """Why an address is not a public internet host, or None if it is."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    for kind in ("loopback", "link_local", "unspecified", "multicast", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    if not ip.is_global:
        return "not globally routable"
    return None


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def backoff_seconds(attempt: int, base: float) -> float:
    """Exponential backoff with jitter: base·2^attempt, half fixed and half random, so
    clients that failed together do not retry together."""
    wait = base * (2 ** attempt)
    return wait / 2 + random.uniform(0, wait / 2)


def content_type_of(headers: dict[str, str]) -> tuple[str, str | None]:
    return parse_content_type(headers.get("content-type"))


def describe_error(exc: BaseException, settings: Settings) -> str:
    if isinstance(exc, (httpx.TimeoutException, TimeoutError)):
        return f"timeout: no complete response within {settings.fetch_timeout:g} s"
    if isinstance(exc, httpx.ConnectError):
        return f"connection failed: {str(exc) or type(exc).__name__}"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def url_problem(url: str) -> str | None:
    """Why url cannot be fetched (checked at the door, for listed URLs, crawled links and
    every redirect target), or None. httpx accepts ports like 99999 or -1 and fails only
    when connecting, outside any URL's error handling."""
    odd = next((c for c in url if unicodedata.category(c)[0] in "CZ" and c != " "), None)
    if odd is not None or " " in url.strip():
        char = odd or " "
        return f"the URL contains U+{ord(char):04X} ({unicodedata.name(char, 'a control character')})"
    try:
        parsed = httpx.URL(url)
        port = parsed.port
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        return f"bad URL: {exc}"
    if parsed.scheme not in ("http", "https") or not parsed.host:
        return f"not an http(s) URL (scheme {parsed.scheme or 'none'!r})"
    if port is not None and not 1 <= port <= 65535:
        return f"bad URL: port {port} is outside 1-65535"
    return None


class UnfollowableRedirect(Exception):
    """A redirect whose Location is not an http(s) URL (javascript:, mailto:, data:,
    about:): raised from a response hook, before httpx builds the next request from it
    (which raises httpx.InvalidURL, not an httpx.HTTPError)."""

    def __init__(self, status: int, location: str, problem: str):
        self.status, self.location, self.problem = status, location, problem
        super().__init__(f"HTTP {status} redirect to {location[:200]!r}: {problem}")


async def check_redirect_location(response: httpx.Response) -> None:
    if response.status_code in REDIRECTS and "location" in response.headers:
        location = response.headers["location"].strip()
        try:
            target = str(response.request.url.join(location))
        except (httpx.InvalidURL, ValueError, TypeError) as exc:
            raise UnfollowableRedirect(response.status_code, location, f"bad URL: {exc}") from None
        problem = url_problem(target)
        if problem:
            raise UnfollowableRedirect(response.status_code, location, problem)


def merged_headers(response: httpx.Response) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in response.headers.multi_items():
        name = name.lower()
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


class PrivateAddressError(Exception):
    """A connection reached a private address although the host's name check passed."""


class CheckedNetwork(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, plus a check of the address each connection really
    reached: a host whose name resolved to a public address for the check and to a
    private one at connect time (DNS rebinding) is still refused."""

    def __init__(self, inner: httpcore.AsyncNetworkBackend, allowed_hosts: list[str]):
        self.inner, self.allowed_hosts = inner, set(allowed_hosts)

    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        stream = await self.inner.connect_tcp(host, port, timeout=timeout, local_address=local_address,
                                              socket_options=socket_options)
        peer = stream.get_extra_info("server_addr")
        if host not in self.allowed_hosts and peer:
            kind = address_kind(ipaddress.ip_address(str(peer[0]).split("%")[0]))
            if kind:
                await stream.aclose()
                raise PrivateAddressError(f"private host: {host} connected to {peer[0]} ({kind}); "
                                          "pass --allow-private-hosts to fetch it")
        return stream

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        return await self.inner.connect_unix_socket(path, timeout=timeout, socket_options=socket_options)

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


class SendSpacer:
    """An httpcore trace hook that spaces the requests to one host by `delay`, measured
    where the host sees them: a request's headers go out only `delay` after the previous
    request's headers were handed to the kernel (the host's lock is held from one to the
    other). Spacing the writes, not the attempts, keeps connection set-up and a busy event
    loop from bunching requests. The wait is politeness, not slowness: it moves the
    request's deadline along."""

    def __init__(self, lock: asyncio.Lock, state: HostState, host: str, delay: float,
                 deadline: asyncio.Timeout):
        self.lock, self.state, self.host, self.delay, self.deadline = lock, state, host, delay, deadline
        self.held = False

    async def __call__(self, event: str, info: dict) -> None:
        if event.endswith("send_request_headers.started"):
            await self.lock.acquire()
            self.held = True
            waited = 0.0
            while (wait := self.state.last_sent.get(self.host, 0.0) + self.delay - time.monotonic()) > 0:
                await asyncio.sleep(wait)
                waited += wait
            when = self.deadline.when()
            if waited and when is not None:
                self.deadline.reschedule(when + waited)
        elif event.endswith(("send_request_headers.complete", "send_request_headers.failed")):
            self.release()

    def release(self) -> None:
        if self.held:
            self.held = False
            self.state.last_sent[self.host] = time.monotonic()
            self.lock.release()


class Fetcher:
    """The fetching machinery for one batch, on one event loop and one httpx client."""

    def __init__(self, client: httpx.AsyncClient, settings: Settings, state: HostState):
        self.client, self.settings, self.state = client, settings, state
        self.in_flight = asyncio.Semaphore(max(1, settings.fetch_concurrency))
        self.host_slots: dict[str, asyncio.Semaphore] = {}
        self.send_locks: dict[str, asyncio.Lock] = {}
        self.robots_loading: dict[str, asyncio.Future] = {}

    # -- limits -------------------------------------------------------------------------

    def _delay_for(self, host: str, origin: str) -> float:
        rules = self.state.robots.get(origin)
        crawl_delay = rules.crawl_delay(self.settings.user_agent) if rules else None
        # Crawl-delay is honoured up to the retry-after cap: beyond it a crawl would stall.
        return max(self.settings.fetch_delay, min(crawl_delay or 0.0, self.settings.fetch_retry_after_max))

    async def _wait_hold(self, host: str) -> None:
        """Sleep while the host asked us to hold off (a Retry-After)."""
        while (wait := self.state.next_start.get(host, 0.0) - time.monotonic()) > 0:
            await asyncio.sleep(wait)

    def _charge_unanswered(self, host: str, started: float) -> None:
        """Count an attempt that got no answer (timeout, connection error) against the
        host's budget: a host that never answers would otherwise cost every one of its
        URLs the full timeout times the attempts."""
        with self.state.lock:
            self.state.unanswered[host] = self.state.unanswered.get(host, 0.0) + time.monotonic() - started

    def budget_refusal(self, host: str) -> str | None:
        """A reason once the host has used up settings.fetch_host_budget seconds without
        answering: its remaining URLs are rejected at once instead of timing out one by one."""
        spent, budget = self.state.unanswered.get(host, 0.0), self.settings.fetch_host_budget
        if spent < budget:
            return None
        return (f"host budget spent: {host} gave no answer for {spent:.0f} s in all (timeouts, connection "
                f"errors), over the {budget:g} s budget (ZHNEWS_FETCH_HOST_BUDGET); not tried")

    def _hold_host(self, host: str, seconds: float) -> None:
        """After a 429/503 with Retry-After, nobody asks this host before it said."""
        with self.state.lock:
            until = time.monotonic() + seconds
            self.state.next_start[host] = max(self.state.next_start.get(host, 0.0), until)

    # -- checks before a request ----------------------------------------------------------

    async def address_refusal(self, host: str) -> str | None:
        settings = self.settings
        if settings.allow_private_hosts or host in settings.private_hosts_allowed:
            return None
        if host in self.state.address_refusals:
            return self.state.address_refusals[host]
        try:
            addresses = {ipaddress.ip_address(host.strip("[]"))}
        except ValueError:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
            except (socket.gaierror, UnicodeError):
                return None  # unresolvable: the request fails with a connection error, retried
            addresses = {ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos}
        refusal = None
        for ip in sorted(addresses, key=str):
            kind = address_kind(ip)
            if kind:
                refusal = (f"private host: {host} resolves to {ip} ({kind}); "
                           "pass --allow-private-hosts to fetch it")
                break
        self.state.address_refusals[host] = refusal
        return refusal

    async def robots_refusal(self, url: httpx.URL) -> str | None:
        origin = origin_of(url)
        rules = self.state.robots.get(origin)
        if rules is None:
            if origin not in self.robots_loading:
                self.robots_loading[origin] = asyncio.ensure_future(self._load_robots(origin))
            rules = await asyncio.shield(self.robots_loading[origin])
        return rules.refusal(str(url), self.settings.user_agent)

    async def _load_robots(self, origin: str) -> RobotsRules:
        """RFC 9309: a 4xx (no robots.txt) allows everything; an unreachable one (5xx,
        429, timeouts, connection errors) disallows everything."""
        try:
            final = await self.fetch(f"{origin}/robots.txt", "document", check_robots=False)
        except Exception as exc:  # noqa: BLE001 - one origin's robots.txt must not fail its URLs' batch
            log.exception("reading %s/robots.txt failed unexpectedly", origin)
            final = Rejection(f"{origin}/robots.txt", STAGE, f"unexpected error: {type(exc).__name__}: {exc}")
        if isinstance(final, Hop):
            rules = RobotsRules(Protego.parse(final.body[:ROBOTS_BYTES].decode("utf-8", "replace")))
        elif ALLOWS_ALL.match(final.reason):
            rules = RobotsRules(None)
        else:
            rules = RobotsRules(None, unavailable=f"robots.txt unavailable ({final.reason})")
        self.state.robots[origin] = rules
        return rules

    # -- one request, with retries ------------------------------------------------------

    async def request(self, url: str, purpose: Purpose, known: Validators | None = None) -> Hop:
        parsed = httpx.URL(url)
        host = parsed.host
        headers = {}
        if known and purpose == "page":
            if known.etag:
                headers["If-None-Match"] = known.etag
            if known.last_modified:
                headers["If-Modified-Since"] = known.last_modified
        slot = self.host_slots.setdefault(host, asyncio.Semaphore(max(1, self.settings.fetch_per_host)))
        delay = self._delay_for(host, origin_of(parsed))
        attempts = self.settings.fetch_retries + 1
        hop = Hop(url)
        for attempt in range(attempts):
            async with slot, self.in_flight:
                refusal = self.budget_refusal(host)
                if refusal:
                    if hop.failure:  # what the earlier attempts got, then why they stopped
                        refusal = f"{hop.failure}; then {refusal}"
                    return Hop(url, failure=refusal)
                await self._wait_hold(host)
                hop = await self._attempt(url, headers, purpose, host, delay)
            if not hop.retryable or attempt == attempts - 1:
                break
            wait = backoff_seconds(attempt, self.settings.fetch_backoff)
            if hop.retry_after is not None:
                if hop.retry_after > self.settings.fetch_retry_after_max:
                    hop.failure = (f"{hop.failure} (Retry-After {hop.retry_after:.0f} s is longer than "
                                   f"the {self.settings.fetch_retry_after_max:g} s limit)")
                    return hop
                wait = max(wait, hop.retry_after)
                self._hold_host(host, hop.retry_after)
            log.info("retrying %s in %.2f s: %s", url, wait, hop.failure)
            await asyncio.sleep(wait)
        if hop.retryable and hop.failure and attempts > 1:
            hop.failure = f"{hop.failure} (after {attempts} attempts)"
        return hop

    async def _attempt(self, url: str, headers: dict[str, str], purpose: Purpose, host: str,
                       delay: float) -> Hop:
        settings = self.settings
        started = time.monotonic()
        try:
            async with asyncio.timeout(settings.fetch_timeout) as deadline:
                spacer = SendSpacer(self.send_locks.setdefault(host, asyncio.Lock()), self.state, host,
                                    delay, deadline)
                try:
                    async with self.client.stream("GET", url, headers=headers,
                                                  extensions={"trace": spacer}) as response:
                        return await self._read(url, response, purpose)
                finally:
                    spacer.release()
        except PrivateAddressError as exc:
            return Hop(url, failure=str(exc))
        except UnfollowableRedirect as exc:
            return Hop(url, status=exc.status, failure=f"bad redirect: {exc}")
        except (httpx.TimeoutException, TimeoutError) as exc:
            self._charge_unanswered(host, started)
            return Hop(url, failure=describe_error(exc, settings), retryable=True)
        except httpx.TransportError as exc:
            self._charge_unanswered(host, started)
            return Hop(url, failure=describe_error(exc, settings), retryable=True)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:  # a malformed response or URL: not worth retrying
            return Hop(url, failure=f"bad response: {describe_error(exc, settings)}")

    async def _read(self, url: str, response: httpx.Response, purpose: Purpose) -> Hop:
        status = response.status_code
        hop = Hop(url, status=status, headers=merged_headers(response))
        if status in REDIRECTS or status == 304 or status >= 400 or status < 200:
            await self._read_capped(response, ERROR_BODY_BYTES)
            if status >= 400:
                phrase = response.reason_phrase or ""
                hop.failure = f"HTTP {status} {phrase}".strip()
                hop.retryable = status in RETRY_STATUSES or status >= 500
                hop.retry_after = parse_retry_after(hop.headers.get("retry-after"))
            return hop
        media_type, _ = content_type_of(hop.headers)
        if purpose == "page" and media_type and media_type not in HTML_TYPES:
            hop.failure = f"not HTML: content-type {media_type}"
            return hop
        cap = self.settings.max_body_bytes
        length = hop.headers.get("content-length", "")
        if length.isdigit() and int(length) > cap:
            hop.failure = f"too large: Content-Length {int(length)} bytes is over the {cap} byte limit"
            return hop
        body = await self._read_capped(response, cap)
        if body is None:
            hop.failure = f"too large: the body passed the {cap} byte limit and was cut there"
            return hop
        if purpose == "document" and body.startswith(b"\x1f\x8b"):
            body = _gunzip_capped(body, cap)  # sitemap.xml.gz
            if body is None:
                hop.failure = f"too large: the gzip body unpacks to more than {cap} bytes"
                return hop
        if purpose == "page":
            binary = sniff_binary(body)
            if binary:
                hop.failure = f"not HTML: {binary.removeprefix('binary content: ').split(',')[0]} " \
                              f"served as {media_type or 'no content-type'}"
                return hop
        hop.body = body
        return hop

    @staticmethod
    async def _read_capped(response: httpx.Response, cap: int) -> bytes | None:
        """The body, or None once it passes cap bytes (the rest is never downloaded)."""
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > cap:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    # -- one URL, following redirects ---------------------------------------------------

    async def fetch(self, url: str, purpose: Purpose, check_robots: bool = True,
                    known: Validators | None = None) -> Hop | Rejection:
        """The final response for url (redirects followed and checked), or a Rejection."""
        chain = [url]
        current = url
        while True:
            problem = url_problem(current)
            if problem:
                where = f"redirected to {current!r}: " if current != url else ""
                return Rejection(url, STAGE, f"{where}{problem}")
            parsed = httpx.URL(current)
            refusal = await self.address_refusal(parsed.host)
            if refusal is None and check_robots:
                refusal = await self.robots_refusal(parsed)
            if refusal:
                where = f" (redirected to {current})" if current != url else ""
                return Rejection(url, STAGE, f"{refusal}{where}")
            hop = await self.request(current, purpose, known)
            if hop.failure:
                # Only the URL itself answering 404/410 says the page is gone (a redirect's
                # target may be a moved site's error page): that retires a stored article.
                return Rejection(url, STAGE, hop.failure, retires=hop.status in GONE and current == url)
            if hop.status not in REDIRECTS:
                return hop
            location = hop.headers.get("location")
            if not location:
                return Rejection(url, STAGE, f"HTTP {hop.status} redirect without a Location header")
            try:
                target = str(parsed.join(location.strip()).copy_with(fragment=None))
            except (httpx.InvalidURL, ValueError) as exc:
                return Rejection(url, STAGE, f"bad redirect Location {location!r}: {exc}")
            if target in chain:
                loop = " → ".join([*chain[chain.index(target):], target])
                return Rejection(url, STAGE, f"redirect loop: {loop}")
            if len(chain) > self.settings.max_redirects:
                return Rejection(url, STAGE,
                                 f"too many redirects: more than {self.settings.max_redirects} ({url} → … → {target})")
            chain.append(target)
            current = target

    async def fetch_page(self, url: str, purpose: Purpose, known: Validators | None = None) -> RawPage | Rejection | str:
        """A RawPage, a Rejection, or url itself when the server said 304 Not Modified to
        a request made conditional by `known`."""
        final = await self.fetch(url, purpose, known=known)
        if isinstance(final, Rejection):
            return final
        if final.status == 304:
            if known is not None:
                return url
            return Rejection(url, STAGE, "HTTP 304 Not Modified to a request that was not conditional")
        if not final.body.strip():
            return Rejection(url, STAGE, f"empty body (HTTP {final.status})")
        _, charset = content_type_of(final.headers)
        return RawPage(url=url, body=final.body, kind="html", input_hash=body_hash(final.body),
                       declared_charset=charset, final_url=final.url,
                       fetched_at=datetime.now(timezone.utc).isoformat(), origin="http",
                       status=final.status, headers=final.headers)


async def fetch_one(fetcher: Fetcher, url: str, purpose: Purpose,
                    known: Validators | None) -> RawPage | Rejection | str:
    """One URL's fetch, with the URL's own boundary: whatever goes wrong (a library raising
    something unforeseen for a hostile server or URL) ends this URL as a rejection naming
    the exception, logged with its traceback, and the batch goes on."""
    try:
        return await fetcher.fetch_page(url, purpose, known)
    except Exception as exc:  # noqa: BLE001 - the per-URL boundary; the traceback is logged
        log.exception("fetching %s failed unexpectedly", url)
        return Rejection(url, STAGE, f"unexpected error: {type(exc).__name__}: {exc}")


def _gunzip_capped(body: bytes, cap: int) -> bytes | None:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            data = stream.read(cap + 1)
    except (OSError, EOFError):
        return body  # not really gzip: let the parser judge the bytes
    return None if len(data) > cap else data


@functools.lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """Loading the CA bundle costs ~0.1 s: once per process, shared by every batch's client."""
    return httpx.create_ssl_context()


def client_for(settings: Settings) -> httpx.AsyncClient:
    """The one client of a batch: connections reused, redirects followed by Fetcher."""
    limits = httpx.Limits(max_connections=max(1, settings.fetch_concurrency),
                          max_keepalive_connections=max(1, settings.fetch_concurrency))
    transport = httpx.AsyncHTTPTransport(verify=tls_context(), limits=limits)
    if not settings.allow_private_hosts:  # httpx has no parameter for the backend: set on its pool
        pool = transport._pool
        pool._network_backend = CheckedNetwork(pool._network_backend, settings.private_hosts_allowed)
    return httpx.AsyncClient(
        headers={"User-Agent": settings.user_agent,
                 "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
                 "Accept-Language": "zh-CN,zh;q=0.9,zh-TW;q=0.8,en;q=0.5"},
        timeout=httpx.Timeout(settings.fetch_timeout), transport=transport, follow_redirects=False,
        event_hooks={"response": [check_redirect_location]},
        trust_env=False)  # never route through a proxy from the environment: the host check is ours


class FetchSession:
    """One run's fetching: one event loop (on its own thread) and one httpx client for all
    of the run's batches, so connections are reused and the per-host limits, timing and
    robots.txt carry from batch to batch. Close it when the run ends (a context manager)."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.state = HostState()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._fetcher: Fetcher | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> "FetchSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _run(self, coroutine):
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                self._thread = threading.Thread(target=self._loop.run_forever, name="zhnews-fetch", daemon=True)
                self._thread.start()
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()

    def fetch(self, urls: list[str], validators: dict[str, Validators] | None = None,
              purpose: Purpose = "page") -> FetchResult:
        return self._run(self._fetch_all(list(dict.fromkeys(urls)), validators or {}, purpose))

    async def _fetch_all(self, urls: list[str], validators: dict[str, Validators], purpose: Purpose) -> FetchResult:
        if self._fetcher is None:  # created on the session's loop: the client is bound to it
            self._fetcher = Fetcher(client_for(self.settings), self.settings, self.state)
        fetcher = self._fetcher
        outcomes = await asyncio.gather(*(fetch_one(fetcher, url, purpose, validators.get(url)) for url in urls))
        result = FetchResult()
        for outcome in outcomes:
            if isinstance(outcome, RawPage):
                result.items.append(outcome)
            elif isinstance(outcome, Rejection):
                result.rejections.append(outcome)
            else:
                result.not_modified.append(outcome)
        return result

    def close(self) -> None:
        with self._lock:
            loop, thread, fetcher = self._loop, self._thread, self._fetcher
            self._loop = self._thread = self._fetcher = None
        if loop is None:
            return
        if fetcher is not None:
            asyncio.run_coroutine_threadsafe(fetcher.client.aclose(), loop).result()
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


def fetch_urls(urls: list[str], settings: Settings, validators: dict[str, Validators] | None = None,
               session: FetchSession | None = None, purpose: Purpose = "page") -> FetchResult:
    """Fetch a batch of URLs concurrently within the limits. validators (from raw_pages)
    make re-fetches conditional; a session (with its own settings) carries connections,
    per-host timing and robots.txt across a run's batches. purpose "document" takes any
    non-binary type (sitemaps, feeds)."""
    if session is not None:
        return session.fetch(urls, validators, purpose)
    with FetchSession(settings) as once:
        return once.fetch(urls, validators, purpose)


def read_url_list(path: Path) -> StageResult[str]:
    """URLs from a file, one a line; blank lines and # comments skipped, duplicates once.
    A line that is not an http(s) URL is rejected, naming the line. Lines end at \n only:
    str.splitlines() would also split at U+2028, U+0085 or a form feed inside a line."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig", errors="replace").split("\n")
    except OSError as exc:
        raise ZhnewsError(f"cannot read the URL list {path}: {exc.strerror}", stage=STAGE) from None
    result: StageResult[str] = StageResult()
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        text = line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not text or text in seen:
            continue
        seen.add(text)
        problem = url_problem(text)
        if problem is None:
            result.items.append(text)
        elif text.lower().startswith("file:"):
            # A file: URI is a local file's identity (its articles and rejections are keyed by
            # it): this line's rejection is keyed by the line, so it never touches that file's row.
            result.rejections.append(Rejection(
                f"{Path(path).resolve().as_uri()}#line={number}", STAGE,
                f"not an http(s) URL (line {number} of {Path(path).name}: {text})"))
        elif problem.startswith("not an http(s) URL"):
            result.rejections.append(Rejection(text, STAGE, f"not an http(s) URL (line {number} of {Path(path).name})"))
        else:
            result.rejections.append(Rejection(
                text, STAGE, f"not an http(s) URL (line {number} of {Path(path).name}): {problem}"))
    return result

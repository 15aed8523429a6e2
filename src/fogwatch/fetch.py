"""Fetching reports and feeds over HTTP(S) without becoming a way into the network behind us.

Reports are untrusted and so are their addresses. By default a fetch refuses
any address that resolves to a private, loopback, link-local, multicast or
otherwise reserved IP (the classic server-side request forgery targets), and it
connects to the very IP it checked, so a second DNS answer cannot swap it.
Redirects are followed by hand, each target checked again. Size, time and
decompressed size are capped (a gzip bomb stops at the cap), and only text
content types that fogwatch can read are accepted.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from .errors import Errors, InputError

# A news page with inline assets is rarely over 2 MB; 10 MB leaves room for
# long feeds while keeping one fetch from filling memory.
MAX_FETCH_BYTES = 10_000_000
# Wall-clock budget for one fetch, redirects included.
FETCH_SECONDS = 20.0
MAX_REDIRECTS = 5
ALLOWED_TYPES = (
    "text/html", "application/xhtml+xml", "text/plain", "application/rss+xml", "application/atom+xml",
    "application/xml", "text/xml", "application/x-ndjson", "application/jsonl",
)
USER_AGENT = "fogwatch (+conflict report reader)"


@dataclass(frozen=True)
class FetchPolicy:
    """What a fetch may reach. ``allow_private`` is for tests and closed networks only."""

    allow_private: bool = False
    max_bytes: int = MAX_FETCH_BYTES
    seconds: float = FETCH_SECONDS


@dataclass
class Fetched:
    url: str
    content_type: str
    body: bytes


def is_url(value: str) -> bool:
    """Whether ``value`` is an http(s) address; the scheme is matched in any case ('HTTP://')."""
    return value[:8].lower().startswith(("http://", "https://"))


def _refuse(url: str, reason: str) -> InputError:
    return InputError(Errors.E018, url=url, reason=reason)


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int, policy: FetchPolicy, url: str) -> str:
    """The first address of ``host`` that the policy allows (all of them must be allowed)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as err:
        raise _refuse(url, f"the host cannot be resolved ({err.strerror})") from None
    addresses = [info[4][0] for info in infos]
    if not policy.allow_private:
        blocked = [a for a in addresses if not _public(a)]
        if blocked:
            raise _refuse(url, f"it resolves to a non-public address ({blocked[0]})")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Talks to the address that was checked, whatever the host name resolves to by now."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """As above, with the certificate checked against the host name."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        self.tls = ssl.create_default_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(sock, server_hostname=self.host)


def _read_capped(response: http.client.HTTPResponse, policy: FetchPolicy, url: str) -> bytes:
    encoding = (response.getheader("Content-Encoding") or "identity").lower()
    decoder = zlib.decompressobj(zlib.MAX_WBITS | 32) if encoding in ("gzip", "deflate", "x-gzip") else None
    chunks, size = [], 0
    while True:
        raw = response.read(65536)
        if not raw:
            break
        data = decoder.decompress(raw, policy.max_bytes + 1 - size) if decoder else raw
        size += len(data)
        if size > policy.max_bytes or (decoder is not None and decoder.unconsumed_tail):
            raise _refuse(url, f"the body is larger than {policy.max_bytes} bytes (after decompression)")
        chunks.append(data)
    return b"".join(chunks)


def fetch(url: str, policy: FetchPolicy | None = None) -> Fetched:
    """GET ``url`` under the policy, following checked redirects; raises InputError (E018) on refusal."""
    policy = policy or FetchPolicy()
    deadline = time.monotonic() + policy.seconds
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        parts = urlsplit(current)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise _refuse(current, "only http and https addresses are fetched")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        address = resolve(parts.hostname, port, policy, current)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _refuse(url, f"it took longer than {policy.seconds:.0f} s")
        kind = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
        conn = kind(parts.hostname, address, port, remaining)
        try:
            path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            conn.request("GET", path, headers={"User-Agent": USER_AGENT, "Accept-Encoding": "gzip",
                                               "Accept": ", ".join(ALLOWED_TYPES)})
            response = conn.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise _refuse(current, f"redirect {response.status} without a Location")
                current = urljoin(current, location)
                continue
            if response.status != 200:
                raise _refuse(current, f"the server answered {response.status} {response.reason}")
            content_type = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
            if content_type not in ALLOWED_TYPES:
                raise _refuse(current, f"its content type {content_type or 'is missing'} is not one fogwatch reads")
            length = response.getheader("Content-Length")
            if length and length.isdigit() and int(length) > policy.max_bytes:
                raise _refuse(current, f"the body is larger than {policy.max_bytes} bytes")
            return Fetched(current, content_type, _read_capped(response, policy, current))
        except (OSError, http.client.HTTPException) as err:
            raise _refuse(current, f"the connection failed ({err})") from None
        finally:
            conn.close()
    raise _refuse(url, f"more than {MAX_REDIRECTS} redirects")

"""Fetches one article over http(s) within time, size and address limits; reads a URL, produces a ``RawDocument``.

Redirects are followed by hand so every hop is checked. With
``allow_private=False`` each hop's host is resolved once, refused if any
address is not public, and the connection is pinned to the checked address
(TLS still verifies the real host name), so DNS cannot swap in a private
address between the check and the request.
"""

from __future__ import annotations

import contextlib
import ipaddress
import re
import socket
import time
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from readouts.errors import FetchError, UnsafeURLError
from readouts.model import RawDocument
from readouts.ingest.decode import decode_bytes
from readouts.ingest.files import too_large
from readouts.ingest.limits import Limits

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/x-markdown"})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "readouts/0.1 (news attribution ledger)"
FETCH_FIX = "check the URL, or save the page and give the file instead"
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.IGNORECASE)


def fetch_url(url: str, *, limits: Limits | None = None) -> RawDocument:
    """The page at ``url`` as a document whose id and source are ``url``; raises FetchError/UnsafeURLError."""
    limits = limits or Limits()
    return _follow(url, limits, lambda response, final, deadline: _document(response, url, final, limits, deadline))


def fetch_bytes(url: str, *, limits: Limits | None = None) -> tuple[bytes, str, str]:
    """The raw body, content type and final URL of ``url`` (a feed, say), with the same address,
    redirect, time and size checks as :func:`fetch_url`."""
    limits = limits or Limits()

    def read(response: httpx.Response, final: str, deadline: float) -> tuple[bytes, str, str]:
        if response.status_code >= 400:
            raise FetchError(url, f"HTTP {response.status_code} {response.reason_phrase}", FETCH_FIX)
        return _read_capped(response, url, limits, deadline), response.headers.get("content-type", ""), final

    return _follow(url, limits, read)


def _follow(url: str, limits: Limits, read):
    """Follows redirects one checked hop at a time, then hands the final response to ``read``."""
    deadline = time.monotonic() + limits.timeout
    current = url
    with httpx.Client(timeout=httpx.Timeout(limits.timeout), follow_redirects=False, trust_env=False) as client:
        for _ in range(limits.max_redirects + 1):
            with contextlib.closing(_open(client, current, url, limits)) as response:
                location = response.headers.get("location")
                if response.status_code in REDIRECTS and location:
                    current = urljoin(current, location)
                    continue
                return read(response, current, deadline)
    raise FetchError(url, f"more than {limits.max_redirects} redirects", FETCH_FIX)


def check_url(url: str, source: str) -> tuple[str, int]:
    """The host and port of an http(s) URL; raises UnsafeURLError for any other scheme."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        raise UnsafeURLError(
            source,
            f"the {parts.scheme or 'missing'} scheme is refused; only http and https URLs are fetched",
            "give an http(s) URL, or a local path without file://",
        )
    if not parts.hostname:
        raise UnsafeURLError(source, "the URL names no host", "give a full http(s) URL")
    try:
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    except ValueError as exc:
        raise UnsafeURLError(source, f"the URL's port is invalid ({exc})", "give a full http(s) URL") from exc
    return parts.hostname, port


def _open(client: httpx.Client, current: str, original: str, limits: Limits):
    host, port = check_url(current, original if current == original else f"{original} (redirected to {current})")
    addresses = _resolve(host, port, original)
    request_url, headers, extensions = current, {"User-Agent": USER_AGENT}, {}
    if not limits.allow_private:
        _refuse_private(host, addresses, original)
        request_url, headers, extensions = _pinned(current, host, addresses[0], headers)
    request = client.build_request("GET", request_url, headers=headers, extensions=extensions)
    try:
        return client.send(request, stream=True)
    except httpx.TimeoutException as exc:
        raise FetchError(original, f"timed out after {limits.timeout:g} s", FETCH_FIX) from exc
    except httpx.ConnectError as exc:
        raise FetchError(original, _connect_reason(exc, host, port), FETCH_FIX) from exc
    except httpx.HTTPError as exc:
        raise FetchError(original, f"network error ({exc})", FETCH_FIX) from exc


def _resolve(host: str, port: int, source: str) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(source, f"DNS lookup for {host} failed ({exc})", FETCH_FIX) from exc
    return list(dict.fromkeys(info[4][0] for info in infos))


def _refuse_private(host: str, addresses: list[str], source: str) -> None:
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global or ip.is_multicast:
            raise UnsafeURLError(
                source,
                f"{host} resolves to {address}, a private or local address, which is refused here",
                "give a public http(s) URL",
            )


def _pinned(url: str, host: str, address: str, headers: dict[str, str]):
    parts = urlsplit(url)
    literal = f"[{address}]" if ":" in address else address
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    pinned = urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    host_header = f"{host}:{parts.port}" if parts.port else host
    return pinned, {**headers, "Host": host_header}, {"sni_hostname": host}


def _connect_reason(exc: httpx.ConnectError, host: str, port: int) -> str:
    cause = exc.__cause__ or exc.__context__
    while cause is not None and not isinstance(cause, OSError):
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, ConnectionRefusedError) or "refused" in str(exc).lower():
        return f"connection to {host}:{port} refused"
    return f"could not connect to {host}:{port} ({exc})"


def _document(response: httpx.Response, url: str, final: str, limits: Limits, deadline: float) -> RawDocument:
    if response.status_code >= 400:
        raise FetchError(url, f"HTTP {response.status_code} {response.reason_phrase}", FETCH_FIX)
    kind = _content_kind(response, url)
    data = _read_capped(response, url, limits, deadline)
    text, warning = _decode(data, response, url)
    warnings = (warning,) if warning else ()
    if kind == "html":
        return RawDocument(id=url, source=url, html=text, url=final, warnings=warnings)
    return RawDocument(id=url, source=url, text=text, url=final, warnings=warnings)


def _content_kind(response: httpx.Response, url: str) -> str:
    media = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if media in HTML_TYPES or not media:
        return "html"
    if media in TEXT_TYPES:
        return "text"
    raise FetchError(url, f"the server sent {media}, not HTML or text", "give the URL of an article page")


def _read_capped(response: httpx.Response, url: str, limits: Limits, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise too_large(url, int(declared), limits)
    chunks, total = [], 0
    try:
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > limits.max_bytes:
                raise too_large(url, None, limits)
            if time.monotonic() > deadline:  # a server dripping bytes never trips the read timeout
                raise FetchError(url, f"the download took longer than {limits.timeout:g} s", FETCH_FIX)
            chunks.append(chunk)
    except httpx.TimeoutException as exc:
        raise FetchError(url, f"timed out after {limits.timeout:g} s while reading", FETCH_FIX) from exc
    except httpx.HTTPError as exc:
        raise FetchError(url, f"the connection broke while reading ({exc})", FETCH_FIX) from exc
    return b"".join(chunks)


def _decode(data: bytes, response: httpx.Response, url: str) -> tuple[str, str | None]:
    declared = response.charset_encoding or _meta_charset(data)
    if declared:
        try:
            return data.decode(declared), None
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common; fall back to detection
    decoded = decode_bytes(data, url)
    return decoded.text, decoded.warning


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii") if match else None

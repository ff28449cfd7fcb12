"""The address trainees type on their own laptops, and its QR code.

A trainer who opens the portal on the classroom's server as http://127.0.0.1:8000/ must not hand
out that address: on a trainee's laptop it points at the laptop itself. So the address is
``settings.CLASSROOM_URL`` when it is set (``make classroom`` sets it), else the address the trainer's
browser used, unless that is a loopback one, in which case this machine's address on the local
network with the same port.
"""

import ipaddress
import socket

import segno
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe

# Any address outside this machine: connecting a UDP socket to it only looks up the route (the
# network interface the machine would use) and sends nothing. 192.0.2.1 is TEST-NET-1 (RFC 5737).
ROUTE_PROBE = ("192.0.2.1", 9)
DEFAULT_PORTS = {"http": "80", "https": "443"}


def lan_address() -> str | None:
    """This machine's IPv4 address on the local network, or None when it has none."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(ROUTE_PROBE)
            address = probe.getsockname()[0]
    except OSError:
        return None
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return None
    return None if parsed.is_loopback or parsed.is_unspecified else address


def _split_host(host: str) -> tuple[str, str]:
    """("192.168.1.20", "8000") from "192.168.1.20:8000"; IPv6 in brackets: ("::1", "8000")."""
    if host.startswith("["):
        name, _bracket, rest = host[1:].partition("]")
        return name, rest.removeprefix(":")
    name, _colon, port = host.partition(":")
    return name, port


def _is_loopback(name: str) -> bool:
    if name.lower() in ("localhost", "localhost.localdomain") or name.lower().endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def classroom_address(request) -> str:
    """The address trainees type, ending in "/": ``settings.CLASSROOM_URL``; else the request's own
    scheme, host and port; for a loopback host, this machine's LAN address with the request's port."""
    configured = (settings.CLASSROOM_URL or "").strip()
    if configured:
        return configured if configured.endswith("/") else configured + "/"
    name, port = _split_host(request.get_host())
    port = port or str(request.get_port())
    if _is_loopback(name):
        name = lan_address() or name
    if ":" in name:  # an IPv6 address
        name = f"[{name}]"
    scheme = request.scheme
    netloc = name if DEFAULT_PORTS.get(scheme) == port else f"{name}:{port}"
    return f"{scheme}://{netloc}/"


def qr_svg(text: str, *, title: str) -> SafeString:
    """The QR code of ``text`` as inline SVG (no script, no style attribute: the strict CSP holds),
    scaled by CSS (``svg.qr``)."""
    code = segno.make(text, error="m")
    # segno escapes the title and the text is encoded as a path: nothing of ours reaches the markup raw.
    svg = code.svg_inline(scale=1, border=2, omitsize=True, svgclass="qr", lineclass=None, title=title)
    return mark_safe(svg)  # noqa: S308

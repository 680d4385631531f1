"""Security headers on every response, and the warning about a default secret key.

The Content-Security-Policy allows scripts only from the site itself (``script-src 'self'``):
no inline ``<script>`` code, no ``on…=`` attributes, no ``javascript:`` links; page behaviour
lives in ``/static/app.js`` (``data-autosubmit``, ``data-check-all``, ``data-back``). Styles
allow ``'unsafe-inline'``: templates use ``style=`` attributes and small ``<style>`` blocks, and
htmx injects its indicator style; inline CSS cannot run code, and every value in a template is
autoescaped, so the remaining risk (CSS used to restyle a page) is small next to the cost of
moving every style attribute. The API documentation pages (``/docs``, ``/redoc``) load
FastAPI's Swagger UI and ReDoc from their CDN with an inline start-up script, so they get a
policy of their own that allows exactly that.
"""

from __future__ import annotations

import logging

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from longcheng.core.config import DEV_SECRET, Settings

log = logging.getLogger("longcheng")

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
DOCS_CDN = "https://cdn.jsdelivr.net"
DOCS_CSP = "; ".join(
    [
        "default-src 'self'",
        f"script-src 'self' 'unsafe-inline' {DOCS_CDN}",
        f"style-src 'self' 'unsafe-inline' {DOCS_CDN}",
        f"img-src 'self' data: {DOCS_CDN} https://fastapi.tiangolo.com",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    ]
)
DOCS_PATHS = ("/docs", "/redoc")
HSTS = "max-age=31536000; includeSubDomains"


def security_headers(path: str, *, https_only: bool) -> dict[str, str]:
    """The headers every response carries (HSTS only when cookies are sent over HTTPS only)."""
    headers = {
        "Content-Security-Policy": DOCS_CSP if path.startswith(DOCS_PATHS) else CSP,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }
    if https_only:
        headers["Strict-Transport-Security"] = HSTS
    return headers


class SecurityHeaders:
    """ASGI middleware: adds :func:`security_headers` to every HTTP response, errors included."""

    def __init__(self, app: ASGIApp, *, https_only: bool) -> None:
        self.app, self.https_only = app, https_only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(scope["path"], https_only=self.https_only)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def warn_about_default_secret(settings: Settings) -> bool:
    """Log a loud warning when the built-in secret key signs cookies outside the demo; True if so."""
    if settings.secret_key != DEV_SECRET or settings.demo_site:
        return False
    banner = "!" * 72
    log.warning(
        "\n%s\n警告：LONGCHENG_SECRET_KEY 仍是内置的默认值，任何人都能伪造登录 Cookie。\n"
        "请在启动前设置一个随机的长密钥，例如：export LONGCHENG_SECRET_KEY=$(openssl rand -hex 32)\n%s",
        banner,
        banner,
    )
    return True

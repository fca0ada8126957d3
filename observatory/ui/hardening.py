"""What Streamlit does not refuse or say in French by itself: its metrics endpoint answers only
on the machine itself, an address of several segments is not served as a blank page, and an
unknown page opens the default page with a French notice instead of Streamlit's English "Page
not found" dialog. Installed explicitly (serve.py, dashboard.py), never on import."""

from __future__ import annotations

import threading
from typing import Any

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
# Headers a reverse proxy adds: a request that went through one did not come from this machine.
FORWARDED = ("x-forwarded-for", "forwarded", "x-real-ip")

_not_found = threading.local()


def is_local(client: str, headers: Any) -> bool:
    """Whether a request comes from this machine and through no reverse proxy."""
    return client in LOOPBACK and not any(header in headers for header in FORWARDED)


# First segments of the paths Streamlit serves itself (its API, assets, media, components, auth).
STREAMLIT_PATHS = frozenset({"_stcore", "static", "media", "component", "app", "auth", "oauth2callback"})


class Guard:
    """ASGI middleware before Streamlit's routes: `/_stcore/metrics` answers 404 to any client but
    this machine; an address of several segments naming none of Streamlit's routes (`/a/b`) is
    sent to its first segment, a page name or not (Streamlit would serve its page at that depth,
    whose relative assets then fail to load: a blank page)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            from starlette.requests import Request
            from starlette.responses import PlainTextResponse, RedirectResponse

            segments = [part for part in scope.get("path", "").split("/") if part]
            if segments[:2] == ["_stcore", "metrics"]:
                request = Request(scope)
                if not is_local(request.client.host if request.client else "", request.headers):
                    await PlainTextResponse("Introuvable", status_code=404)(scope, receive, send)
                    return
            # Only a page's address: the browser also probes `/<page>/_stcore/health` for its base.
            page_like = not STREAMLIT_PATHS.intersection(segments)
            if len(segments) >= 2 and page_like and scope.get("method") in ("GET", "HEAD"):
                query = scope.get("query_string", b"").decode("latin-1")
                target = "/" + segments[0] + (f"?{query}" if query else "")
                await RedirectResponse(target, status_code=307)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def install_guard() -> None:
    """Put `Guard` in front of Streamlit's own middleware (call before the server starts)."""
    from starlette.middleware import Middleware
    from streamlit.web.server.starlette import starlette_app

    create = starlette_app.create_streamlit_middleware
    if getattr(create, "observatory_guard", False):
        return

    def middleware() -> list:
        return [Middleware(Guard), *create()]
    middleware.observatory_guard = True  # type: ignore[attr-defined]
    starlette_app.create_streamlit_middleware = middleware


def french_page_not_found() -> None:
    """Streamlit runs the default page for an unknown address and tells the browser to show an
    English dialog: the dialog is not sent, and `unknown_page_requested` says it happened."""
    from streamlit.commands import navigation

    if getattr(navigation.send_page_not_found, "observatory_french", False):
        return

    def record(_ctx: Any) -> None:
        _not_found.requested = True
    record.observatory_french = True  # type: ignore[attr-defined]
    navigation.send_page_not_found = record


def unknown_page_requested() -> bool:
    """Whether this run's address named no page (reset once read)."""
    requested = getattr(_not_found, "requested", False)
    _not_found.requested = False
    return requested

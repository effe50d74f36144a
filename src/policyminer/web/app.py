"""The Starlette application: access control, security headers, error pages, the routes."""

from __future__ import annotations

import ipaddress
import logging
import secrets
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from policyminer.errors import PolicyminerError
from policyminer.web.rendering import HERE, error_response
from policyminer.web.routes import ROUTES
from policyminer.web.state import WebState

DEFAULT_MAX_UPLOAD_MB = 50
TOKEN_COOKIE = "policyminer_token"
LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)

log = logging.getLogger("policyminer.web")


def is_loopback(host: str) -> bool:
    """Whether a bind address only accepts connections from this machine."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    """A fresh access token for a server reachable from other machines."""
    return secrets.token_urlsafe(18)


class Guard(BaseHTTPMiddleware):
    """Access token (when set), Host and Origin checks, and security headers on every response."""

    async def dispatch(self, request: Request, call_next) -> Response:
        state: WebState = request.app.state.web
        refused = self._refused(request, state)
        if refused is not None:
            return refused
        given = request.query_params.get("token")
        if state.token and given and request.method == "GET" and _matches(given, state.token):
            # Trade the token in the URL for a cookie, so it leaves the address bar and history.
            rest = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
            target = request.url.path + ("?" + urlencode(rest) if rest else "")
            response: Response = RedirectResponse(target, status_code=303)
            response.set_cookie(TOKEN_COOKIE, state.token, httponly=True, samesite="strict")
        else:
            response = await call_next(request)
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        return response

    def _refused(self, request: Request, state: WebState) -> Response | None:
        if state.token:
            if not _matches(_presented_token(request), state.token):
                return error_response(
                    request,
                    401,
                    "this server needs its access token: open the address with ?token= that "
                    "`policyminer serve` printed",
                )
        elif request.url.hostname not in LOOPBACK_NAMES:
            # Without a token only this machine may talk to us; a foreign Host is DNS rebinding.
            return error_response(request, 403, f"unexpected host {request.url.hostname!r}")
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            origin = request.headers.get("origin")
            if origin and urlsplit(origin).netloc != request.headers.get("host"):
                return error_response(request, 403, "cross-site request refused")
        return None


def _presented_token(request: Request) -> str:
    auth = request.headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    return request.query_params.get("token") or request.cookies.get(TOKEN_COOKIE) or ""


def _matches(given: str, token: str) -> bool:
    return secrets.compare_digest(given.encode(), token.encode())


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    messages = {404: "not found", 405: "method not allowed"}
    detail = exc.detail if exc.detail and exc.detail not in ("Not Found",) else ""
    return error_response(request, exc.status_code, detail or messages.get(exc.status_code, ""))


async def _library_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, PolicyminerError)
    status = 404 if type(exc).__name__ in ("UnknownDocumentError", "NoIndexError") else 400
    return error_response(request, status, str(exc))


async def _unexpected(request: Request, exc: Exception) -> Response:
    log.exception("unexpected error on %s", request.url.path)
    first = str(exc).splitlines()[0] if str(exc) else ""
    return error_response(request, 500, f"internal error: {type(exc).__name__}: {first}".strip())


def create_app(
    index_dir: Path | str,
    token: str | None = None,
    max_upload_mb: int = DEFAULT_MAX_UPLOAD_MB,
    warm: bool = True,
) -> Starlette:
    """The web app over one index directory; with `token`, every request must present it."""
    state = WebState(Path(index_dir), token, max_upload_mb)
    routes = [*ROUTES, Mount("/static", StaticFiles(directory=HERE / "static"), name="static")]

    @asynccontextmanager
    async def lifespan(app: Starlette):
        if warm:
            state.start_warming()
        yield
        state.close()

    app = Starlette(
        routes=routes,
        middleware=[Middleware(Guard)],
        exception_handlers={
            HTTPException: _http_error,
            PolicyminerError: _library_error,
            Exception: _unexpected,
        },
        lifespan=lifespan,
    )
    app.state.web = state
    return app

"""Templates in the request's language, and one-line error responses."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.templating import Jinja2Templates

from policyminer.records import section_mark
from policyminer.web import i18n

HERE = Path(__file__).parent
LANG_COOKIE = "policyminer_lang"


def lang_of(request: Request) -> str:
    """The page language of a request."""
    return i18n.pick_lang(
        request.query_params.get("lang"),
        request.cookies.get(LANG_COOKIE),
        request.headers.get("accept-language"),
    )


def switch_query(request: Request, lang: str) -> str:
    """The current query string with the language set to `lang` (for the language switch)."""
    pairs = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    return urlencode([*pairs, ("lang", lang)])


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,  # document text is untrusted: every {{ }} is escaped, always
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["urlencode_pairs"] = urlencode
    env.filters["section_mark"] = section_mark
    env.globals["switch_query"] = switch_query
    return Jinja2Templates(env=env)


TEMPLATES = _templates()


def render(request: Request, name: str, status: int = 200, **context: object) -> HTMLResponse:
    """A page in the request's language."""
    lang = lang_of(request)
    context.update(request=request, lang=lang, t=i18n.translator(lang))
    response = TEMPLATES.TemplateResponse(request, name, context, status_code=status)
    if request.query_params.get("lang") in i18n.LANGS:
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="strict")
    return response


def error_response(request: Request, status: int, message: str) -> Response:
    """One clear line: JSON for the API, a small page for people."""
    message = " ".join(str(message).split()) or "error"
    if request.url.path.startswith("/api/") or request.url.path.endswith(".png"):
        return JSONResponse({"error": message}, status_code=status)
    return render(request, "error.html", status=status, message=message, status_code=status)

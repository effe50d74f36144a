"""The pages and the JSON API, each a thin layer over `policyminer.Library`."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from policyminer.answer.citations import TOLD_REASONS
from policyminer.errors import NoIndexError, PolicyminerError, UsageError
from policyminer.index.chunking import TABLE_CELL_SEP
from policyminer.ingest import supported_suffixes
from policyminer.web import exports, i18n
from policyminer.web.jobs import Job, JobProgress
from policyminer.web.pages import PageError
from policyminer.web.rendering import lang_of, render
from policyminer.web.state import WebState

MODES = ("hybrid", "dense", "lexical")
JOB_STATES = ("queued", "running", "done", "failed")
UPLOAD_CHUNK = 1024 * 1024
MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
}


def _state(request: Request) -> WebState:
    return request.app.state.web


# -- reading the query string -------------------------------------------------------------------


def _int(request: Request, name: str, default: int | None = None, low: int = 1) -> int | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise UsageError(f"{name} must be a whole number, not {raw!r}") from None
    if value < low:
        raise UsageError(f"{name} must be at least {low}")
    return value


def _text(request: Request, name: str) -> str | None:
    return request.query_params.get(name, "").strip() or None


def _filters(request: Request) -> dict[str, Any]:
    """The document/year/publisher/area filters of a search, as the Library takes them."""
    return {
        "docs": [d for d in request.query_params.getlist("doc") if d.strip()],
        "year": _int(request, "year", low=0),
        "publisher": _text(request, "publisher"),
        "area": _text(request, "area"),
    }


def _mode(request: Request) -> str:
    mode = request.query_params.get("mode") or "hybrid"
    if mode not in MODES:
        raise UsageError(f"unknown mode {mode!r} (choose from {', '.join(MODES)})")
    return mode


async def _read(state: WebState, work):
    """Run a read on the shared Library, on the reader thread."""
    return await state.read(work)


async def _documents(state: WebState) -> list:
    """The catalogued documents, or none when there is no index yet."""
    try:
        return await _read(state, lambda lib: lib.documents())
    except NoIndexError:
        return []


async def _area_choices(state: WebState, lang: str) -> list[tuple[str, str]]:
    """The areas as (id, name), named in the page's language where the taxonomy words them so."""
    return await _read(
        state, lambda lib: [(a.id, a.wording(lang).name) for a in lib.taxonomy().areas]
    )


# -- ask and search -----------------------------------------------------------------------------


async def ask_page(request: Request) -> Response:
    """One box: an answer quoted from the documents, or the passages that match."""
    state = _state(request)
    question = (request.query_params.get("q") or "").strip()
    kind = "search" if request.query_params.get("kind") == "search" else "ask"
    documents = await _documents(state)
    context: dict[str, Any] = {
        "q": question,
        "kind": kind,
        "documents": documents,
        # only a PDF opens at a page in the browser; other files are offered whole
        "pdfs": frozenset(d.id for d in documents if d.format == "pdf"),
        "areas": await _area_choices(state, lang_of(request)),
        "years": sorted({d.year for d in documents if d.year}, reverse=True),
        "chosen": {
            "doc": request.query_params.getlist("doc"),
            "year": request.query_params.get("year", ""),
            "publisher": request.query_params.get("publisher", ""),
            "area": request.query_params.get("area", ""),
            "mode": request.query_params.get("mode", "hybrid"),
        },
        "answer": None,
        "results": None,
    }
    if question and documents:
        filters = _filters(request)
        if kind == "ask":
            # The answerer filters by document and area; year and publisher narrow the documents.
            docs = _narrow(documents, filters)
            floor = _confidence(request)  # as the API takes it: a link may carry it
            answer = await _read(
                state,
                lambda lib: lib.ask(
                    question, docs=docs, area=filters["area"], min_confidence=floor
                ),
            )
            context["answer"] = answer.as_dict()
            context["reason"] = answer.reason if answer.reason in TOLD_REASONS else ""
        else:
            k = _int(request, "k", 10)
            mode = _mode(request)
            found = await _read(state, lambda lib: lib.search(question, k=k, mode=mode, **filters))
            context["results"] = found.to_dict()["results"]
    return render(request, "ask.html", **context)


def _narrow(documents: list, filters: dict[str, Any]) -> list[str]:
    """Document ids for the answerer: the chosen ones, cut down by year and publisher."""
    docs = list(filters["docs"])
    if filters["year"] is None and not filters["publisher"]:
        return docs
    publisher = (filters["publisher"] or "").casefold()
    keep = [
        d.id
        for d in documents
        if (filters["year"] is None or d.year == filters["year"])
        and (not publisher or publisher in (d.publisher or "").casefold())
        and (not docs or d.id in docs)
    ]
    if not keep:
        raise UsageError("no document matches the year and publisher filters")
    return keep


async def api_search(request: Request) -> Response:
    """`search --json`: {"query", "results": [...]}."""
    query = _required(request, "q")
    k = _int(request, "k", 10)
    mode = _mode(request)
    filters = _filters(request)
    found = await _read(_state(request), lambda lib: lib.search(query, k=k, mode=mode, **filters))
    return JSONResponse(found.to_dict())


async def api_ask(request: Request) -> Response:
    """`ask --json`: {"question", "answer", "abstained", "citations", "leads", ...}."""
    question = _required(request, "q")
    k = _int(request, "k")
    docs = [d for d in request.query_params.getlist("doc") if d.strip()]
    area = _text(request, "area")
    floor = _confidence(request)
    answer = await _read(
        _state(request),
        lambda lib: lib.ask(question, k=k, docs=docs, area=area, min_confidence=floor),
    )
    return JSONResponse(answer.as_dict())


def _confidence(request: Request) -> float | None:
    """`?min_confidence=` (0–1) as `ask --min-confidence` takes it."""
    raw = request.query_params.get("min_confidence", "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise UsageError(f"min_confidence must be a number from 0 to 1, not {raw!r}") from None


def _required(request: Request, name: str) -> str:
    value = (request.query_params.get(name) or "").strip()
    if not value:
        raise UsageError(f"give ?{name}= (it is empty)")
    return value


# -- a cited page -------------------------------------------------------------------------------


async def _catalogued(state: WebState, doc_id: str):
    """The catalogued document with this exact id (never a path from the request)."""
    documents = await _documents(state)
    for doc in documents:
        if doc.id == doc_id:
            return doc
    raise HTTPException(404, f"{doc_id}: no such document")


async def view_page(request: Request) -> Response:
    """The cited page: the PDF page as an image with the quote marked, or the text page."""
    state = _state(request)
    doc = await _catalogued(state, request.path_params["doc_id"])
    page = request.path_params["page"]
    if not 1 <= page <= max(doc.pages, 1):
        raise HTTPException(404, f"{doc.id}: no page {page} (the document has {doc.pages})")
    quote = request.query_params.get("quote", "")
    term = request.query_params.get("term", "")
    context: dict[str, Any] = {"doc": doc, "page": page, "quote": quote, "term": term}
    if Path(doc.path).suffix.lower() == ".pdf":
        rendered = await _render(state, doc, page, quote, term)
        context.update(image=True, located=rendered.located, boxes=len(rendered.boxes))
    else:
        shown = await _read(state, lambda lib: lib.show(doc.id))
        blocks = [_text_block(p, quote, term) for p in shown.paragraphs if p.page == page]
        marks = sum(b.marks for b in blocks)
        context.update(image=False, blocks=blocks, located=marks > 0, boxes=marks)
    return render(request, "view.html", **context)


@dataclass(frozen=True)
class TextBlock:
    """A paragraph of a page without an image, as the view shows it: its kind, its text in
    [plain, marked, plain, …] pieces, or a table's rows of cells, each row marked or not."""

    kind: str
    pieces: list[str]
    rows: list[tuple[list[str], bool]]
    marks: int


def _text_block(paragraph, quote: str, term: str) -> TextBlock:
    if paragraph.kind != "table":
        pieces = _mark(paragraph.text, quote, term)
        return TextBlock(paragraph.kind, pieces, [], len(pieces) // 2)
    rows = []
    for line in paragraph.text.split("\n"):
        marked = len(_mark(line, quote, term)) > 1  # a quoted row is marked whole
        rows.append(([cell.strip() for cell in line.split(TABLE_CELL_SEP)], marked))
    return TextBlock("table", [], rows, sum(marked for _, marked in rows))


def _mark(text: str, quote: str, term: str) -> list[str]:
    """Text split as [plain, marked, plain, …]; the template escapes every piece."""
    needle = quote.strip() or term.strip()
    if not needle:
        return [text]
    pattern = re.compile(r"\s+".join(re.escape(w) for w in needle.split()), re.IGNORECASE)
    pieces: list[str] = []
    last = 0
    for m in pattern.finditer(text):
        pieces += [text[last : m.start()], m.group(0)]
        last = m.end()
    return [*pieces, text[last:]]


async def _render(state: WebState, doc, page: int, quote: str, term: str):
    path = Path(doc.path)
    if not path.is_file():
        raise HTTPException(404, f"{doc.id}: the file is missing on disk ({path.name})")
    try:
        return await run_in_threadpool(state.pages.get, path, f"{doc.sha256}", page, quote, term)
    except PageError as err:
        raise HTTPException(404, str(err)) from None


async def page_png(request: Request) -> Response:
    """A catalogued PDF page as PNG; ?quote= highlights the sentence where it is found."""
    state = _state(request)
    doc = await _catalogued(state, request.path_params["doc_id"])
    if Path(doc.path).suffix.lower() != ".pdf":
        raise HTTPException(404, f"{doc.id}: not a PDF (no page images)")
    quote = request.query_params.get("quote", "")
    term = request.query_params.get("term", "")
    rendered = await _render(state, doc, request.path_params["page"], quote, term)
    headers = {
        "X-Highlight-Boxes": str(len(rendered.boxes)),
        "Cache-Control": "private, max-age=3600",
    }
    return Response(rendered.png, media_type="image/png", headers=headers)


async def document_file(request: Request) -> Response:
    """The document file itself (opens at a page with #page=N); only catalogued documents."""
    state = _state(request)
    doc = await _catalogued(state, request.path_params["doc_id"])
    path = Path(doc.path)
    if not path.is_file():
        raise HTTPException(404, f"{doc.id}: the file is missing on disk ({path.name})")
    media = MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")
    return FileResponse(
        path,
        media_type=media,
        content_disposition_type="inline",
        filename=f"{doc.id}{path.suffix.lower()}",
    )


# -- documents ----------------------------------------------------------------------------------


async def documents_page(request: Request) -> Response:
    """The documents with pages, chunks and status; upload, add a folder, remove."""
    state = _state(request)
    documents = await _documents(state)
    stale: dict[str, str] = {}
    if documents:
        status = await _read(state, lambda lib: lib.status())
        stale = {s.id: s.state for s in status.stale}
    return render(
        request,
        "documents.html",
        documents=documents,
        stale=stale,
        jobs=[j.as_dict() for j in state.writer.jobs()],
        job_labels={s: i18n.translator(lang_of(request))(f"job.{s}") for s in JOB_STATES},
        max_mb=state.max_upload_mb,
        accept=",".join(sorted(_suffixes())),
    )


def _suffixes() -> set[str]:
    """The file types the ingest reads (what an upload may be)."""
    return supported_suffixes()


async def api_documents(request: Request) -> Response:
    """`docs --json`: one object per document."""
    documents = await _documents(_state(request))
    return JSONResponse([d.to_dict() for d in documents])


async def api_jobs(request: Request) -> Response:
    """The writer's queued, running and recent jobs, for the progress display."""
    state = _state(request)
    return JSONResponse({"jobs": [j.as_dict() for j in state.writer.jobs()]})


async def upload(request: Request) -> Response:
    """Store uploaded files under the index with generated names, then ingest them in the writer."""
    state = _state(request)
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        raise HTTPException(411, "uploads need a Content-Length")
    files_allowed = 20
    if int(length) > state.max_upload * files_allowed + UPLOAD_CHUNK:
        raise HTTPException(413, f"upload too large (at most {state.max_upload_mb} MB per file)")
    form = await request.form(max_files=files_allowed, max_fields=10)
    uploads = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not uploads:
        raise UsageError("choose at least one file to upload")
    stored: list[Path] = []
    try:
        for item in uploads:
            stored.append(await _store_upload(state, item))
    except PolicyminerError:
        for path in stored:
            path.unlink(missing_ok=True)
        raise
    finally:
        await form.close()
    names = ", ".join(_display_name(u.filename or "") for u in uploads)
    _submit_ingest(state, stored, names, uploaded=True)
    return RedirectResponse("/documents#jobs", status_code=303)


def _display_name(name: str) -> str:
    return Path(name.replace("\\", "/")).name[:120]


async def _store_upload(state: WebState, item: UploadFile) -> Path:
    """Copy one upload to uploads/<slug>-<random><suffix>, checking type and size as it goes."""
    original = _display_name(item.filename or "")
    suffix = Path(original).suffix.lower()
    allowed = _suffixes()
    if suffix not in allowed:
        raise UsageError(
            f"{original}: unsupported file type '{suffix or '(none)'}' "
            f"(use {', '.join(sorted(allowed))})"
        )
    stem = re.sub(r"[^a-z0-9]+", "-", Path(original).stem.lower()).strip("-")[:60] or "upload"
    state.upload_dir.mkdir(parents=True, exist_ok=True)
    target = state.upload_dir / f"{stem}-{secrets.token_hex(4)}{suffix}"
    size = 0
    head = b""
    with target.open("xb") as out:
        while chunk := await item.read(UPLOAD_CHUNK):
            if not head:
                head = chunk[:8]
            size += len(chunk)
            if size > state.max_upload:
                out.close()
                target.unlink(missing_ok=True)
                raise UsageError(f"{original}: larger than {state.max_upload_mb} MB")
            out.write(chunk)
    if suffix == ".pdf" and not head.startswith(b"%PDF-"):
        target.unlink(missing_ok=True)
        raise UsageError(f"{original}: not a PDF (no %PDF- header)")
    if size == 0:
        target.unlink(missing_ok=True)
        raise UsageError(f"{original}: empty file")
    return target


def _submit_ingest(state: WebState, paths: list[Path], label: str, uploaded: bool) -> Job:
    def work(job: Job, progress: JobProgress) -> None:
        with state.writing() as lib:
            report = lib.ingest(paths, progress=progress)
        if uploaded:
            # A file the ingest refused is of no use under the index: drop the stored copy.
            for result in report.results:
                if result.status in ("failed", "duplicate"):
                    Path(result.path).unlink(missing_ok=True)
        failed = report.count("failed")
        if failed and failed == len(report.results):
            raise UsageError("; ".join(f"{Path(r.path).name}: {r.reason}" for r in report.failed))

    return state.writer.submit("ingest", label, work)


async def add_folder(request: Request) -> Response:
    """Ingest a folder that is on the server's own disk."""
    state = _state(request)
    form = await request.form(max_files=0, max_fields=5)
    raw = str(form.get("folder") or "").strip()
    if not raw:
        raise UsageError("give a folder path")
    folder = Path(raw).expanduser()
    if not folder.is_absolute():
        raise UsageError(f"{raw}: give an absolute path on the server")
    if not folder.is_dir():
        raise UsageError(f"{raw}: no such folder on the server")
    _submit_ingest(state, [folder], str(folder), uploaded=False)
    return RedirectResponse("/documents#jobs", status_code=303)


async def remove(request: Request) -> Response:
    """Remove one document (and the stored upload it came from) in the writer."""
    state = _state(request)
    form = await request.form(max_files=0, max_fields=5)
    doc = await _catalogued(state, str(form.get("doc_id") or ""))

    def work(job: Job, progress: JobProgress) -> None:
        with state.writing() as lib:
            report = lib.remove([doc.id])
        job.lines += [f"{d}: removed" for d in report.removed]
        path = Path(doc.path)
        if report.removed and path.parent.resolve() == state.upload_dir.resolve():
            path.unlink(missing_ok=True)

    state.writer.submit("remove", doc.id, work)
    return RedirectResponse("/documents#jobs", status_code=303)


# -- actors -------------------------------------------------------------------------------------


def _actor_filters(request: Request) -> dict[str, Any]:
    return {
        "docs": [d for d in request.query_params.getlist("doc") if d.strip()],
        "label": _text(request, "label"),
        "org_type": _text(request, "type"),
        "min_mentions": _int(request, "min", 1),
        "area": _text(request, "area"),
    }


async def _actors(request: Request) -> list:
    filters = _actor_filters(request)
    found = await _read(_state(request), lambda lib: lib.actors(**filters))
    needle = (request.query_params.get("q") or "").strip().casefold()
    if needle:
        found = [
            a
            for a in found
            if needle in a.name.casefold() or any(needle in x.casefold() for x in a.aliases)
        ]
    return found


async def actors_page(request: Request) -> Response:
    """The merged actor list with filters, a name search, mentions with page links, downloads."""
    state = _state(request)
    documents = await _documents(state)
    found = await _actors(request) if documents else []
    query = request.url.query
    return render(
        request,
        "actors.html",
        actors=[a.as_dict() for a in found],
        documents=documents,
        titles={d.id: d.title for d in documents},
        areas=await _area_choices(state, lang_of(request)),
        labels=exports.ACTOR_LABELS,
        types=exports.ACTOR_TYPES,
        chosen={k: request.query_params.get(k, "") for k in ("label", "type", "min", "area", "q")}
        | {"doc": request.query_params.getlist("doc")},
        query=("?" + query) if query else "",
    )


async def actors_csv(request: Request) -> Response:
    found = await _actors(request)
    return _download(exports.actors_csv(found), "actors.csv", "text/csv; charset=utf-8")


async def actors_graphml(request: Request) -> Response:
    found = await _actors(request)
    return _download(exports.actors_graphml(found), "actors.graphml", "application/xml")


async def api_actors(request: Request) -> Response:
    """`actors --format json`: one object per actor."""
    found = await _actors(request)
    return JSONResponse([a.as_dict() for a in found])


def _download(text: str, name: str, media: str) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(text.encode("utf-8"), media_type=media, headers=headers)


# -- areas --------------------------------------------------------------------------------------


async def _area_report(request: Request):
    area = _text(request, "area")
    top = _int(request, "top", 5)
    return await _read(_state(request), lambda lib: lib.areas(area=area, top=top))


async def areas_page(request: Request) -> Response:
    """Per area: passages per document, top passages with page links, top actors."""
    state = _state(request)
    documents = await _documents(state)
    found = await _area_report(request) if documents else None
    report = found.as_dict() if found is not None else None
    if found is not None:
        for summary, shown in zip(found.areas, report["areas"], strict=True):
            wording = summary.area.wording(lang_of(request))  # the page's language
            shown["name"], shown["description"] = wording.name, wording.description
    query = request.url.query
    return render(
        request,
        "areas.html",
        report=report,
        areas=await _area_choices(state, lang_of(request)),
        chosen=request.query_params.get("area", ""),
        query=("?" + query) if query else "",
    )


async def areas_markdown(request: Request) -> Response:
    report = await _area_report(request)
    return _download(exports.areas_markdown(report), "areas.md", "text/markdown; charset=utf-8")


async def api_areas(request: Request) -> Response:
    """`areas --format json`."""
    report = await _area_report(request)
    return JSONResponse(report.as_dict())


async def api_status(request: Request) -> Response:
    """`status --json`."""
    state = _state(request)
    status = await _read(state, lambda lib: lib.status())
    return JSONResponse({**status.to_dict(), "index": str(state.index_dir.absolute())})


ROUTES = [
    Route("/", ask_page),
    Route("/view/{doc_id}/{page:int}", view_page),
    Route("/page/{doc_id}/{page:int}.png", page_png),
    Route("/file/{doc_id}", document_file),
    Route("/documents", documents_page),
    Route("/documents/upload", upload, methods=["POST"]),
    Route("/documents/folder", add_folder, methods=["POST"]),
    Route("/documents/remove", remove, methods=["POST"]),
    Route("/actors", actors_page),
    Route("/actors.csv", actors_csv),
    Route("/actors.graphml", actors_graphml),
    Route("/areas", areas_page),
    Route("/areas.md", areas_markdown),
    Route("/api/search", api_search),
    Route("/api/ask", api_ask),
    Route("/api/actors", api_actors),
    Route("/api/areas", api_areas),
    Route("/api/documents", api_documents),
    Route("/api/status", api_status),
    Route("/api/jobs", api_jobs),
]

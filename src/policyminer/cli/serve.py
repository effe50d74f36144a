"""`policyminer serve`: the local web app for people who work in a browser."""

from __future__ import annotations

from typing import Annotated

import typer

from policyminer.cli.app import DEFAULT_INDEX, IndexOption, app, err_console, fail
from policyminer.library import resolve_index_dir
from policyminer.store.paths import is_server_url

DEFAULT_MAX_UPLOAD_MB = 50  # the web app's default too (web.app.DEFAULT_MAX_UPLOAD_MB)


@app.command()
def serve(
    index: IndexOption = DEFAULT_INDEX,
    host: Annotated[
        str, typer.Option(help="Address to listen on; anything but loopback needs a token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8765,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="POLICYMINER_TOKEN",
            help="Access token every request must carry (generated when binding beyond loopback).",
        ),
    ] = None,
    max_upload_mb: Annotated[
        int, typer.Option("--max-upload-mb", min=1, help="Largest file accepted for upload.")
    ] = DEFAULT_MAX_UPLOAD_MB,
) -> None:
    """Start the web app: ask with citations that open the highlighted page, documents, actors."""
    # The web stack (uvicorn, Starlette, Jinja2) loads only for `serve`, not for every command.
    import uvicorn

    from policyminer.web.app import create_app, is_loopback, new_token

    if is_server_url(index or ""):
        raise fail("the web app serves an index directory; use the CLI with a database", 2)
    index = resolve_index_dir(index)
    if token is not None and len(token) < 8:
        raise fail("--token must be at least 8 characters", 2)
    if not is_loopback(host) and not token:
        # Reachable from other machines: never without a token; make one and say it once.
        token = new_token()
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{port}/" + (f"?token={token}" if token else "")
    if not (index / "catalog.sqlite").exists():
        err_console.print(f"{index}: no index yet; add documents on the Documents page")
    err_console.print(f"policyminer web app on {url}  (index {index}; Ctrl+C stops)")
    if token:
        print(f"token: {token}", flush=True)
    uvicorn.run(
        create_app(index, token=token, max_upload_mb=max_upload_mb),
        host=host,
        port=port,
        log_level="warning",
        server_header=False,
    )

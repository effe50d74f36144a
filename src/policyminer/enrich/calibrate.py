"""Calibration: fit a taxonomy's thresholds on labelled passages and write them into the file.

The procedure behind every shipped threshold, and the one a user reruns on their own passages:
embed the passages as ingest does, score them against the taxonomy, pick the raw-score threshold
that maximises micro-F1 over all areas, then each area's own F1-best threshold shrunk towards it
by a number of pseudo-passages chosen by cross-validation on the same passages
(`areas.fit_thresholds` with `prior=None`). A k-fold figure is reported beside the in-sample
one so the gap shows.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from policyminer.enrich.areas import (
    AreaError,
    Calibration,
    Taxonomy,
    fit_thresholds,
    load_taxonomy,
    passage_embedder,
    query_embedder,
    tagger_for,
)

FOLDS = 5


@dataclass(frozen=True)
class LabelledPassage:
    """A passage with the ids of the areas a person gave it (possibly none)."""

    text: str
    areas: tuple[str, ...]


@dataclass(frozen=True)
class CalibrationResult:
    """Fitted thresholds with how well they tag the passages, in-sample and cross-validated."""

    calibration: Calibration
    area_ids: tuple[str, ...]
    passages: int
    positives: tuple[int, ...]  # labelled passages per area
    micro_f1: float  # thresholds fitted and scored on all passages
    micro_f1_cv: float | None  # k-fold: fitted on the other folds; None with too few passages
    written: Path | None = None

    def as_dict(self) -> dict:
        return {
            "threshold": round(self.calibration.threshold, 4),
            "prior": self.calibration.prior,
            "areas": [
                {"id": a, "threshold": round(t, 4), "passages": n}
                for a, t, n in zip(
                    self.area_ids, self.calibration.per_area, self.positives, strict=True
                )
            ],
            "passages": self.passages,
            "micro_f1_in_sample": round(self.micro_f1, 4),
            "micro_f1_cross_validated": None
            if self.micro_f1_cv is None
            else round(self.micro_f1_cv, 4),
            "written": str(self.written) if self.written else None,
        }


def read_labelled(path: Path, taxonomy: Taxonomy) -> list[LabelledPassage]:
    """Labelled passages from JSON (a list, or an object of lists) or JSONL: text + area ids."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        reason = getattr(err, "strerror", None) or "not UTF-8 text"
        raise AreaError(f"{path}: cannot read labelled passages ({reason})") from err
    items = _items(path, raw)
    known = {a.lower(): a for a in taxonomy.ids}
    out = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise AreaError(f"{path}: passage {n} has no 'text' string")
        text = " ".join(item["text"].split())
        if not text:
            raise AreaError(f"{path}: passage {n} has an empty 'text'")
        ids = item.get("areas", item.get("labels", []))
        if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
            raise AreaError(f"{path}: passage {n}: 'areas' must be a list of area ids")
        unknown = [i for i in ids if i.strip().lower() not in known]
        if unknown:
            raise AreaError(
                f"{path}: passage {n}: unknown area '{unknown[0]}' "
                f"(the taxonomy has {', '.join(taxonomy.ids)})"
            )
        out.append(LabelledPassage(text, tuple(known[i.strip().lower()] for i in ids)))
    if not out:
        raise AreaError(f"{path}: no labelled passages")
    if not any(p.areas for p in out):
        raise AreaError(f"{path}: no passage is labelled with an area")
    return out


def _items(path: Path, raw: str) -> list:
    """The passage objects of a JSON or JSONL file."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        data = None
        lines = [line for line in raw.splitlines() if line.strip()]
        try:
            return [json.loads(line) for line in lines]
        except json.JSONDecodeError as err:
            raise AreaError(
                f"{path}: not JSON or JSON Lines (line {err.lineno}: {err.msg})"
            ) from None
    if isinstance(data, dict):
        # an object of passage lists, e.g. {"structure": [...], "judged": [...]}
        lists = [v for v in data.values() if isinstance(v, list) and v and _passages(v)]
        if not lists:
            raise AreaError(f"{path}: no list of passages (objects with 'text') in the file")
        return [item for value in lists for item in value]
    if isinstance(data, list):
        return data
    raise AreaError(f"{path}: expected a list of passages with 'text' and 'areas'")


def _passages(value: list) -> bool:
    return all(isinstance(v, dict) and "text" in v for v in value)


def raw_scores(taxonomy: Taxonomy, texts: list[str], model: str | None = None) -> np.ndarray:
    """(n, n_areas) raw scores of the passages, embedded as ingest embeds them."""
    queries = query_embedder(model)
    passages = queries if hasattr(queries, "embed_passages") else passage_embedder(model)
    vectors = passages.embed_passages(texts)
    return tagger_for(taxonomy, queries).raw_scores(texts, vectors)


def micro_f1(predicted: np.ndarray, truth: np.ndarray) -> float:
    """Micro-averaged F1 of (passage, area) tags."""
    tp = int((predicted & truth).sum())
    return 2 * tp / max(int(predicted.sum()) + int(truth.sum()), 1)


def cross_validated_f1(raw: np.ndarray, labels: np.ndarray, folds: int = FOLDS) -> float | None:
    """Micro-F1 with thresholds fitted on the other folds (one fixed shuffle); None if too few."""
    if len(raw) < 2 * folds:
        return None
    order = np.random.default_rng(0).permutation(len(raw))
    predicted = np.zeros_like(labels)
    for fold in range(folds):
        test = order[fold::folds]
        train = np.setdiff1d(order, test)
        cal = fit_thresholds(raw[train], labels[train], prior=None)
        predicted[test] = raw[test] >= np.array(cal.per_area)
    return micro_f1(predicted, labels)


def calibrate(
    taxonomy: Taxonomy,
    passages: list[LabelledPassage],
    output: Path | None = None,
    model: str | None = None,
) -> CalibrationResult:
    """Fit thresholds on the passages; write them into `output` (a taxonomy file) if given."""
    ids = taxonomy.ids
    labels = np.array([[a in p.areas for a in ids] for p in passages], dtype=bool)
    raw = raw_scores(taxonomy, [p.text for p in passages], model)
    cal = fit_thresholds(raw, labels, prior=None)
    in_sample = micro_f1(raw >= np.array(cal.per_area), labels)
    written = None
    if output is not None:
        write_thresholds(taxonomy, cal, Path(output))
        written = Path(output)
    return CalibrationResult(
        cal,
        tuple(ids),
        len(passages),
        tuple(int(n) for n in labels.sum(axis=0)),
        in_sample,
        cross_validated_f1(raw, labels),
        written,
    )


def write_thresholds(taxonomy: Taxonomy, calibration: Calibration, dest: Path) -> None:
    """Write the thresholds into a copy of the taxonomy's file at `dest` (may be the file itself).

    TOML is edited line by line so comments and layout stay; YAML is rewritten. The result is
    loaded again and checked before it replaces `dest`, so a failure leaves `dest` as it was.
    """
    if taxonomy.path is None:
        raise AreaError("the taxonomy has no file to copy")
    source = taxonomy.path.read_text(encoding="utf-8")
    if _is_yaml(taxonomy.path):
        text = _yaml_with(source, taxonomy, calibration)
    else:
        text = _toml_with(source, taxonomy, calibration)
    dest = Path(dest)
    if _is_yaml(dest) != _is_yaml(taxonomy.path):
        kind = "YAML (.yaml)" if _is_yaml(taxonomy.path) else "TOML (.toml)"
        raise AreaError(f"{dest}: the taxonomy is {kind}; give the output file that suffix")
    # a hidden sibling with the same suffix, so it loads in the format it will have
    tmp = dest.with_name(f".{dest.stem}.calibrating{dest.suffix}")
    try:
        tmp.write_text(text, encoding="utf-8")
        loaded = load_taxonomy(tmp)
        want = np.array(calibration.per_area)
        if loaded.ids != taxonomy.ids or not np.allclose(loaded.thresholds(), want, atol=1e-4):
            raise AreaError(f"{dest}: thresholds could not be written (file left unchanged)")
        tmp.replace(dest)
    except OSError as err:
        raise AreaError(f"{dest}: cannot write taxonomy ({err.strerror or err})") from err
    finally:
        tmp.unlink(missing_ok=True)


def _is_yaml(path: Path) -> bool:
    return path.suffix.lower() in {".yaml", ".yml"}


def _toml_with(text: str, taxonomy: Taxonomy, calibration: Calibration) -> str:
    """The TOML text with its top-level and per-area `threshold = …` lines set."""
    first_table = re.search(r"(?m)^\s*\[", text)
    head_end = first_table.start() if first_table else len(text)
    shared = f"threshold = {calibration.threshold:.4f}"
    top = re.compile(r"(?m)^threshold\s*=.*$")
    match = top.search(text, 0, head_end)
    if match:
        text = text[: match.start()] + shared + text[match.end() :]
    else:
        text = text[:head_end] + shared + "\n\n" + text[head_end:]
    for area_id, value in zip(taxonomy.ids, calibration.per_area, strict=True):
        text = _set_area_threshold(text, area_id, value, taxonomy.path)
    return text


def _set_area_threshold(text: str, area_id: str, value: float, path: Path | None) -> str:
    """Put `threshold = value` right after the area's id line, dropping any old one."""
    headers = [m.start() for m in re.finditer(r"(?m)^\s*\[\[\s*areas?\s*\]\]", text)]
    id_line = re.compile(rf"""(?m)^[ \t]*id\s*=\s*["']{re.escape(area_id)}["'][ \t]*(?:#.*)?$""")
    for n, start in enumerate(headers):
        end = headers[n + 1] if n + 1 < len(headers) else len(text)
        block = text[start:end]
        found = id_line.search(block)
        if not found:
            continue
        block = re.sub(r"(?m)^[ \t]*threshold\s*=.*\n?", "", block)
        found = id_line.search(block)
        block = block[: found.end()] + f"\nthreshold = {value:.4f}" + block[found.end() :]
        return text[:start] + block + text[end:]
    raise AreaError(
        f'{path}: cannot find the line id = "{area_id}" to write its threshold '
        "(add `threshold = …` to that area by hand)"
    )


def _yaml_with(text: str, taxonomy: Taxonomy, calibration: Calibration) -> str:
    """The YAML document with thresholds set (comments are not kept by the YAML writer)."""
    import yaml

    data = yaml.safe_load(text)
    data["threshold"] = round(calibration.threshold, 4)
    entries = data.get("area", data.get("areas"))
    for entry, value in zip(entries, calibration.per_area, strict=True):
        entry["threshold"] = round(value, 4)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)

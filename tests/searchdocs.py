"""Small Norwegian policy documents, and a real index built from them (real chunking and model).

Documents go into the catalog the way ingest puts them there (parse → chunk → embed →
put_document → sync_indexes), from Markdown with headings and form feeds as page breaks.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from policyminer.index.chunking import body_text, make_chunks, sentence_spans
from policyminer.index.sync import sync_indexes
from policyminer.ingest import sentence_writer
from policyminer.models.embedding import load_passage_embedder
from policyminer.records import Paragraph, ParsedDocument
from policyminer.store.catalog import Catalog


@dataclass(frozen=True)
class Doc:
    name: str
    title: str
    publisher: str
    year: int
    markdown: str


HELSE = Doc(
    "helse-trondheim.md",
    "Veikart for helse i Trondheim",
    "SINTEF",
    2021,
    """# Veikart for helse i Trondheim

## 1 Bakgrunn

Trondheim kommune vil styrke helse- og omsorgstjenestene gjennom velferdsteknologi.
Kommunen samarbeider med St. Olavs hospital og NTNU om digital hjemmeoppfølging av eldre.
\f
## 2 Helsenæringen i regionen

Helsenæringen i Trondheimsregionen omsatte for 4,2 milliarder kroner i 2019.
Over halvparten av bedriftene er etablert med utgangspunkt i kunnskapsmiljøene ved NTNU.

## 3 Økonomi

Den offentlige helsetjenesten kostet cirka 332 milliarder kroner i 2020, fordelt omtrent likt
mellom kommunene og sykehusene.
""",
)

ENERGI = Doc(
    "energi-drammen.md",
    "Klimaplan for Drammen",
    "Menon Economics",
    2023,
    """# Klimaplan for Drammen

## 1 Mål

Kommunen skal redusere klimagassutslippene med 80 prosent innen 2030 sammenlignet med 2009.

## 2 Solenergi

Solceller på kommunale bygg er et viktig tiltak. Kommunen setter av 15 millioner kroner til
solcellepaneler på skoler og sykehjem i perioden 2024 til 2027.
\f
## 3 Næring

Regional næring og lokale bedrifter skal få hjelp til å kutte utslipp fra transport.
""",
)

SKOLE = Doc(
    "skole-bergen.md",
    "Skolebruksplan for Bergen",
    "Bergen kommune",
    2023,
    """# Skolebruksplan for Bergen

## 1 Elevtall

Bergen venter 2 000 flere elever i grunnskolen fram mot 2035, mest i Arna og Fana.

## 2 Nye skoler

Bystyret har vedtatt å bygge tre nye barneskoler og rehabilitere fem ungdomsskoler.
""",
)

DOCS = (HELSE, ENERGI, SKOLE)


def parse_markdown(path: Path, doc: Doc) -> ParsedDocument:
    """Headings (#, ##) become sections, blank lines end paragraphs, form feeds end pages."""
    paragraphs: list[Paragraph] = []
    headings: list[str] = []
    page = 1
    lines: list[str] = []

    def flush() -> None:
        if lines:
            section = headings[-1] if headings else ""
            text = " ".join(lines)
            paragraphs.append(Paragraph(page, text, section, tuple(headings)))
            lines.clear()

    for raw in doc.markdown.split("\n"):
        line = raw.strip()
        if line == "\f" or raw.startswith("\f"):
            flush()
            page += 1
            line = raw.lstrip("\f").strip()
        if line.startswith("#"):
            flush()
            level = len(line) - len(line.lstrip("#"))
            title = line.lstrip("#").strip()
            headings[:] = [*headings[: level - 1], title]
            paragraphs.append(Paragraph(page, title, title, tuple(headings), kind="heading"))
        elif line:
            lines.append(line)
        else:
            flush()
    flush()
    digest = hashlib.sha256(doc.markdown.encode()).hexdigest()
    return ParsedDocument(path, digest, doc.title, doc.publisher, doc.year, page, paragraphs, "md")


def add_document(catalog: Catalog, folder: Path, doc: Doc, sync: bool = True) -> str:
    """Parse, chunk, embed and store one document as ingest does; returns its id."""
    path = folder / doc.name
    path.write_text(doc.markdown, encoding="utf-8")
    parsed = parse_markdown(path, doc)
    body = body_text(parsed.paragraphs)
    chunks = make_chunks(parsed.paragraphs, body)
    embedder = load_passage_embedder()
    texts = [c.text for c in chunks]
    spans = [sentence_spans(t) for t in texts]
    vectors, sentences = embedder.embed_passages_with_spans(texts, spans)
    meta = {"embedding_model": embedder.name, "embedding_dim": str(embedder.dim)}
    derived = [sentence_writer(spans, sentences)]
    doc_id, _ = catalog.put_document(parsed, body.offsets, chunks, vectors, meta, derived)
    if sync:
        sync_indexes(catalog)
    return doc_id


def build_index(folder: Path, docs: tuple[Doc, ...] = DOCS) -> Path:
    """An index directory holding the given documents; returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    index = folder / "index"
    with Catalog(index) as catalog:
        for doc in docs:
            add_document(catalog, folder, doc, sync=False)
        sync_indexes(catalog)
    return index

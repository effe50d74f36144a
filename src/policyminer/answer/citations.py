"""What an answer is (quotes with their citations) and the check that each quote stands on its
cited page."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from policyminer.records import NoteRef, page_mark, section_mark
from policyminer.store.catalog import Catalog, StoredParagraph

# abstentions whose cause the user is told in words (a low confidence shows as its number)
TOLD_REASONS = (
    "no_value_in_unit",
    "no_number",
    "names_no_maker",
    "names_other_code",
    "restates_question",
)


@dataclass(frozen=True)
class Citation:
    """A quoted sentence and where it stands: document, page, section."""

    doc_id: str
    title: str
    page: int
    section: str
    quote: str
    score: float
    chunk_id: int = 0
    ocr: bool = False  # the cited page was read by OCR: the quote may hold recognition errors
    confidence: float = 0.0  # calibrated probability that this sentence answers (0–1)
    columns: str = ""  # a quoted table row's column headers ("A | B | C"), when its table has them
    # footnotes the quote calls: offsets are into the quote, where each raised mark stood
    footnotes: tuple[NoteRef, ...] = ()
    # the page number printed on the cited page ("12" on the PDF's page 14), where it prints one
    printed_page: str = ""
    # what `page` counts: "page", "slide" (a deck's; still paged) or "part" (a Word file's or a
    # web page's: `page` is then the number of its section)
    unit: str = "page"

    @property
    def paged(self) -> bool:
        return self.unit != "part"

    def label(self) -> str:
        """`[title, p. N, §section]` as shown to the user ("slide N" in a deck); a document
        without pages is cited by its section alone."""
        page = page_mark(self.page, self.unit, self.section, self.printed_page)
        section = section_mark(self.section) if self.section else ""
        return f"[{', '.join(part for part in (self.title, page, section) if part)}]"

    def as_dict(self) -> dict[str, object]:
        out = asdict(self)
        out["paged"] = self.paged
        out["score"] = round(self.score, 4)
        out["confidence"] = round(self.confidence, 4)
        out["footnotes"] = [note.to_dict() for note in self.footnotes]
        return out

    def to_dict(self) -> dict[str, object]:
        """The CLI's JSON shape (same as as_dict)."""
        return self.as_dict()


@dataclass
class Answer:
    """The answer to one question: cited sentences, or an abstention with leads."""

    question: str
    lang: str
    answer: str
    abstained: bool
    citations: list[Citation] = field(default_factory=list)
    leads: list[Citation] = field(default_factory=list)
    confidence: float = 0.0  # calibrated probability that the best sentence answers (0–1)
    list_question: bool = False
    dropped: int = 0  # citations dropped because their quote was not found in the catalog
    # why it abstained: "low_confidence", "no_value_in_unit" (the question asks a value in a
    # unit no quote states), "no_number" (it asks how many or how large and its first quote
    # states no number it does not give itself), "names_no_maker" (who made it: no sentence
    # names anyone), "names_other_code" (the question names a code no quoted passage names),
    # "restates_question" (it asks for something, and every close sentence only says again
    # what the question says),
    # "no_candidates", "unverified" (no quote found on its page); "" for an answer
    reason: str = ""
    # the documents the question names ("i Nordvika-planen"), the only ones read; () for all
    named_documents: tuple[str, ...] = ()
    named_titles: tuple[str, ...] = ()  # their titles, in the same order
    # what chose the quotes, and so what `confidence` is: "scorer" (the answer scorer's
    # calibrated probability), or a rule at its own level: "front_matter" (who made it),
    # "section" (a section asked by its number), "topic_sections" (the sections a topic
    # heads), "table_lookup" (a table's row and column named), "definition" (what X is)
    method: str = "scorer"
    # the headings of the sections a rule quoted from (a section asked by its number, the
    # sections a topic heads); () otherwise
    from_sections: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """The `--json` shape (question, answer, abstained, citations) plus leads and confidence."""
        return {
            "question": self.question,
            "answer": self.answer,
            "abstained": self.abstained,
            "citations": [c.as_dict() for c in self.citations],
            "leads": [c.as_dict() for c in self.leads],
            "lang": self.lang,
            "confidence": round(self.confidence, 4),
            "reason": self.reason,
            "named_documents": list(self.named_documents),
            "named_titles": list(self.named_titles),
            "method": self.method,
            "from_sections": list(self.from_sections),
        }

    def to_dict(self) -> dict[str, object]:
        """The CLI's JSON shape (same as as_dict)."""
        return self.as_dict()


def normalise(text: str) -> str:
    """Collapse runs of whitespace, so that line breaks and double spaces never fail a match."""
    return " ".join(text.split())


# -- citation checking ------------------------------------------------------------------------


class CitationChecker:
    """Checks that a quote occurs on its cited page, in the catalog's own paragraph text."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self._pages: dict[str, dict[int, str]] = {}
        self._layouts: dict[str, dict[int, str]] = {}
        self._noted: dict[str, dict[int, list[StoredParagraph]]] = {}

    def is_ocr(self, doc_id: str, page: int) -> bool:
        """Whether the page was read by OCR (the catalog records how each page was read)."""
        if doc_id not in self._layouts:
            self._layouts[doc_id] = self.catalog.page_layouts(doc_id)
        return self._layouts[doc_id].get(page) == "ocr"

    def pages(self, doc_id: str) -> dict[int, str]:
        """Each page's paragraphs, joined and whitespace-normalised."""
        if doc_id not in self._pages:
            by_page: dict[int, list[str]] = {}
            noted: dict[int, list[StoredParagraph]] = {}
            for para in self.catalog.paragraphs(doc_id):
                by_page.setdefault(para.page, []).append(para.text)
                if para.notes:
                    noted.setdefault(para.page, []).append(para)
            self._pages[doc_id] = {p: normalise(" ".join(t)) for p, t in by_page.items()}
            self._noted[doc_id] = noted
        return self._pages[doc_id]

    def footnotes(self, citation: Citation) -> tuple[NoteRef, ...]:
        """The footnotes whose marks stand in the quote, offsets moved into the quote."""
        self.pages(citation.doc_id)
        found: list[NoteRef] = []
        for para in self._noted[citation.doc_id].get(citation.page, []):
            inside = para.notes_of(citation.quote)
            if inside is not None:
                found += inside
            elif len(para.text) > 20:  # a quote made of several paragraphs (a list, its items)
                found += para.notes_in(citation.quote)
        return tuple(found)

    def verify(self, citation: Citation) -> bool:
        """Whether the quote occurs on the cited page of the cited document."""
        quote = normalise(citation.quote)
        return bool(quote) and quote in self.pages(citation.doc_id).get(citation.page, "")

    def repair(self, citation: Citation) -> Citation | None:
        """The citation if it verifies; re-cited to the nearest page holding the quote; or None."""
        if self.verify(citation):
            return citation
        quote = normalise(citation.quote)
        found = [p for p, text in self.pages(citation.doc_id).items() if quote and quote in text]
        if not found:
            return None
        return replace(citation, page=min(found, key=lambda p: abs(p - citation.page)))

"""Questions about a document itself ("who wrote this report?"), answered from its front matter.

Authorship is stated on the title page, in the foreword or in the colophon, in lines that are
headings or boxes rather than sentences, and that share few words with the question; passage
retrieval and the sentence scorer look past them. So for such a question the first pages and the
last page of the documents at hand are read directly: lines naming the publisher the parser
recorded, or carrying an authorship cue ("utarbeidet av", "på oppdrag fra", "prepared by").

When a document was made (sent, published, adopted) is stated there too, in a dated line ("Oslo,
12. mars 2025", "Publisert: mars 2025", an e-mail's "E-post fra …, sendt 2. mars 2026."): such a
question is answered from the dated lines of the same pages.

Who commissioned a report is another role than who wrote it: the publisher is usually the
consultant, not the client. A question for the commissioner is answered only by sentences that
say who gave the commission ("på oppdrag fra", "oppdragsgiver", "commissioned by"), read in the
first pages where forewords and introductions state it; without one, the ordinary answer runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from policyminer.enrich.orgtypes import has_org_head
from policyminer.index.chunking import split_sentences
from policyminer.index.lexical import STOPWORDS
from policyminer.retrieve.naming import same_word
from policyminer.store.catalog import Catalog, StoredParagraph

# What an organisation is called in a question for one ("Hvilket konsulentselskap …", "Which
# firm …"): the maker asked for is an organisation
_ORG_NOUNS = (
    r"\w*(?:selskap|firma|konsulent|organisasjon|institusjon|virksomhet|verksemd|etat|institutt|byrå"
    r"|miljø)\w*"
)
_ORG_NOUNS_EN = (
    r"(?:company|firm|consultancy|consultants?|organi[sz]ation|agency|institute|institution)"
)
# Nynorsk beside Bokmål: "kven har skrive …", "kven er forfattaren", "kva for konsulentar …"
_AUTHORSHIP = re.compile(
    r"\b(?:hvem|kven)\s+(har\s+|som\s+)?(skrevet|skrev|utarbeidet|utarbeidde|laget|lagde"
    r"|forfattet|utgitt|ga\s+ut|gitt\s+ut|bestilt|bestilte|står\s+bak|skrive|skreiv|utarbeidd"
    r"|laga|utgjeve|gav\s+ut|gjeve\s+ut|tinga|sendt|sendte|sende)\b"
    r"|\b(?:hvem|kven)\s+er\s+(forfatt[ae]r\w*|oppdragsg(?:iv|jev)\w*|utg(?:iv|jev)\w*)"
    r"|\b(?:hvilke[nt]?|kva\s+for)\s+(?:(?:ein|ei|eit|nokre)\s+)?(forfatt[ae]r\w*|oppdragsg(?:iv|jev)\w*"
    r"|utg(?:iv|jev)\w*|konsulent\w*)"
    r"|\bwho\s+(wrote|authored|prepared|produced|published|commissioned|is\s+behind|sent)\b"
    r"|\bwho\s+(is|are|was|were)\s+the\s+(authors?|publishers?)\b"
    r"|\bauthors?\s+of\b"
    # "Hvilket firma har utarbeidet planen?", "Which consultancy prepared the report?"
    rf"|\b(?:hvilke[nt]?|kva\s+for)\s+(?:(?:ein|ei|eit)\s+)?{_ORG_NOUNS}\s+(?:har\s+|som\s+)?"
    r"(?:skrevet|skrev|utarbeidet|utarbeidde|laget|lagde|utgitt|gitt\s+ut|står\s+bak|skrive"
    r"|skreiv|utarbeidd|laga|utgjeve|gjeve\s+ut)\b"
    rf"|\bwhich\s+(?:\w+\s+)?{_ORG_NOUNS_EN}\s+(?:wrote|authored|prepared|produced|published"
    r"|is\s+behind)\b",
    re.IGNORECASE,
)
_CUE = re.compile(
    r"\b(utarbeidet|skrevet|forfatter\w*|oppdragsgiver\w*|på\s+oppdrag|prosjektleder|utgitt|"
    r"utgiver|publikasjon|rapport\s*nr|prepared\s+by|written\s+by|authors?\b|published\s+by|"
    r"commissioned\s+by|utarbeidd|skrive\s+av|forfattar\w*|oppdragsgjevar\w*|prosjektleiar"
    r"|utgjeve|utgjevar)",
    re.IGNORECASE,
)
# A colophon's or a plan form's role labels for who made the document ("Fagansvarlig
# planprogram: N.N., Firma AS", "Oppdragsleder: …"): a role counts only as a label, followed by
# a colon within a few words, since the same words occur in running text ("saksbehandler kan …").
_ROLE_LABEL = re.compile(
    r"\b(?:fagansvarlig|oppdragsleder|oppdragsansvarlig|saksbehandler|utført\s+av|"
    r"project\s+manager)\b(?:\s+[\w-]+){0,3}\s*:",
    re.IGNORECASE,
)
_LABEL_ONLY = re.compile(r"[^:]{1,40}:")  # a label alone on its line, its value on the next
# Questions for the client of a report, and the phrases that name one
_COMMISSION_QUESTION = re.compile(
    r"\b(?:hvem|kven)\s+(har\s+|som\s+)?(bestilt|bestilte|finansiert|finansierte|tinga)\b"
    r"|\b(?:hvem|kven)\s+(er|var)\s+oppdragsg(?:iv|jev)\w*"
    r"|\b(?:hvilke[nt]?|kva\s+for)\s+(?:(?:ein|ei|eit)\s+)?oppdragsg(?:iv|jev)\w*"
    r"|\bpå\s+oppdrag\s+(fra|frå|for|av)\s+(?:hvem|kven)\b|\b(?:hvem|kven)\s+(?:ga|gav)\s+oppdrag\w*"
    r"|\bwho\s+(commissioned|funded|ordered)\b|\bon\s+whose\s+behalf\b"
    r"|\bwho\s+(is|was)\s+the\s+(client|commissioner)\b",
    re.IGNORECASE,
)
# A sentence that names a report's client: the name right after the cue ("på oppdrag fra X",
# "Oppdragsgiver: X", "commissioned by X") or right before it ("X er oppdragsgiver"); a name
# is a capitalised word, up to two lower-case words ("kommunene X") before it.
_NAME = r"(?:[a-zæøå]+\s+){0,2}[A-ZÆØÅ]"
# a colophon's labels for the client ("Prosjekteier:"), the name beside or below them
_CLIENT_LABELS = (
    r"(?:oppdragsgiver|oppdragsgjevar|prosjekteier|prosjekteigar|bestiller|bestillar|tingar|kunde"
    r"|client|commissioned\s+by)"
)
_CLIENT_LABEL_LINE = re.compile(rf"\s*(?i:{_CLIENT_LABELS})\s*:\s*")
_CLIENT_NAMED = re.compile(
    rf"\b(?i:på\s+oppdrag\s+(?:fra|frå|for|av)|oppdragsg(?:iv|jev)(?:e|a)?re?n?\s*"
    rf"(?:er|var|:|,|–|-)?|bestilt\s+av|tinga\s+av|(?:fått|fikk|fekk)\s+(?:\w+\s+)?i\s+oppdrag"
    rf"\s+(?:fra|frå|av)|"
    rf"commissioned\s+by|on\s+behalf\s+of|{_CLIENT_LABELS}\s*:)\s+{_NAME}"
    r"|[A-ZÆØÅ][\w-]*(?:\s+[\w-]+){0,3}\s+(?i:er|var)\s+(?i:oppdragsgiver|oppdragsgjevar)",
)
# "… har fått i oppdrag å …": the client is named elsewhere in the sentence, if at all
_COMMISSIONED = re.compile(r"\b(?:fått|fikk|fekk)\s+(?:\w+\s+)?i\s+oppdrag\b", re.IGNORECASE)
_CAPITALISED = re.compile(r"(?<=\s)[A-ZÆØÅ][\w-]*")
_URL = re.compile(r"https?://|www\.")  # a link names a site, not who wrote the document
FRONT_PAGES = 3  # the title page, its back and the foreword's first page
INTRO_PAGES = 10  # forewords and introductions, where a report says who commissioned it
LINES = 3  # lines quoted per document
MAX_LINE_WORDS = 60  # longer paragraphs are running text, not front matter


def is_authorship_question(question: str) -> bool:
    """Whether the question asks who wrote, published or commissioned a document."""
    return bool(_AUTHORSHIP.search(question) or _COMMISSION_QUESTION.search(question))


# What a document at hand is called in a question about who made it ("rapporten", "veikartet",
# "the strategy"); a compound ends or starts with one ("temarapporten", "planforslaget")
_DOCUMENT_NOUN = re.compile(
    r"rapport|dokument|utredning|utgreiing|plan|veikart|strategi|melding|notat|publikasjon"
    r"|analyse|studie|evaluering|kartlegging|program(?!vare)|report|document|study|analysis"
    r"|strategy|roadmap|paper|review|publication|survey|evaluation"
    # what reaches a municipality as correspondence: a consultation response, a letter, an e-mail
    r"|innspill|uttalelse|uttale|brev|svar|e-?post|letter|e-?mail|submission|response",
    re.IGNORECASE,
)
# the document itself, by a pronoun or nothing at all ("Hvem har skrevet dette?", "Who wrote it?")
_ITSELF = frozenset(("dette", "denne", "det", "den", "dei", "desse", "this", "it", "these", "them"))
_OBJECT_WORDS = 5  # the words after the verb that name what was made


def asks_about_the_document(question: str, titles: Iterable[str] = ()) -> bool:
    """Whether an authorship question's object is the document at hand, not something the
    document tells of: "Hvem står bak rapporten?", not "Hvem står bak modellen de bruker?".

    `titles`: names by which the question names a document ("Trusselbildet 2024"); the object
    may be one of them. Named elsewhere in the question, a title says what the object is
    about ("Hvem står bak initiativet til å kartlegge X?"), not that it is the document."""
    match = _AUTHORSHIP.search(question) or _COMMISSION_QUESTION.search(question)
    if match is None:
        return False
    named = re.findall(r"[^\W\d_][\w-]*", question[match.end() :])[:_OBJECT_WORDS]
    if not named or named[0].lower() in _ITSELF:
        return True
    title_words = _title_words(titles)
    return any(_names_one_document(word) or word.lower() in title_words for word in named)


def _title_words(titles: Iterable[str]) -> set[str]:
    """The content words of the titles a question names documents by (lower-cased)."""
    return {w.lower() for title in titles for w in re.findall(r"[^\W\d_][\w-]*", title)} - (
        STOPWORDS
    )


# a document noun in the indefinite plural ("planer", "rapporter", "utgreiingar") names documents
# in general: "Hvilke kommuner har laget planer for havna?" asks about the world
_INDEFINITE_PLURAL = frozenset(("er", "ar", "r", "mer", "s"))


def _names_one_document(word: str) -> bool:
    found = _DOCUMENT_NOUN.search(word)
    return found is not None and word[found.end() :].lower() not in _INDEFINITE_PLURAL


_ASKS_ORGANISATION = re.compile(
    rf"\b(?:hvilke[nt]?|kva\s+for)\s+(?:(?:ein|ei|eit|nokre)\s+)?{_ORG_NOUNS}"
    rf"|\bwhich\s+(?:\w+\s+)?{_ORG_NOUNS_EN}\b",
    re.IGNORECASE,
)
# a company's legal form after its name ("Nordplan AS", "Analyse Group Ltd")
_LEGAL_FORM = re.compile(
    r"(?<=\w)\s+(?:AS|ASA|SA|BA|DA|ANS|HF|KF|IKS|SF|Ltd|Inc|LLC|GmbH|AB|Oy|plc)\b"
)
_NAME_WORDS = re.compile(r"[A-ZÆØÅ][\w-]*(?:\s+[A-ZÆØÅ][\w-]*)*")


def asks_organisation(question: str) -> bool:
    """Whether the question asks which organisation made the document ("Hvilket firma …")."""
    return bool(_ASKS_ORGANISATION.search(question))


def names_organisation(text: str) -> bool:
    """Whether a line names an organisation: a legal form, or a name headed by an
    organisation noun ("Vegdirektoratet", "Senter for Kystforskning")."""
    if _LEGAL_FORM.search(text):
        return True
    return any(has_org_head(name) for name in _NAME_WORDS.findall(text))


def asks_commissioner(question: str) -> bool:
    """Whether the question asks who commissioned (ordered, funded) a document."""
    return bool(_COMMISSION_QUESTION.search(question))


_TITLE_WORD = re.compile(r"[^\W\d_]{4,}")


def title_words_named(question: str, title: str) -> int:
    """How many words of a document's title the question uses (inflected forms count)."""
    asked = {w.lower() for w in _TITLE_WORD.findall(question)}
    return sum(
        any(same_word(a, t) for a in asked) for t in {w.lower() for w in _TITLE_WORD.findall(title)}
    )


@dataclass(frozen=True)
class FrontMatterLine:
    """A line of a document's front matter that says who made it."""

    paragraph: StoredParagraph
    names_publisher: bool  # the line holds the publisher the parser recorded for the document
    text: str = ""  # the quoted words: the paragraph's, or one of its sentences
    labelled: bool = False  # the value under a role label ("Utført av:"), quoted for that role

    @property
    def quote(self) -> str:
        return self.text or self.paragraph.text


def authorship_lines(catalog: Catalog, doc_id: str) -> list[FrontMatterLine]:
    """The document's lines that say who made it, title page first (at most LINES)."""
    doc = catalog.document(doc_id)
    if doc is None:
        return []
    publisher = (doc.publisher or "").strip().lower()
    found: list[FrontMatterLine] = []
    seen: set[str] = set()
    paragraphs = _front_and_back(catalog.paragraphs(doc_id), doc.pages)
    for before, para, after in _with_neighbours(paragraphs):
        source: StoredParagraph | None = para
        if _is_label(para) and _says_who(para.text):
            source = _value_below(before, para, after)  # "Utført av:" over the name
            if source is None:
                continue
        text = " ".join(source.text.split())
        key = text.lower()
        if key in seen or not text or len(text.split()) > MAX_LINE_WORDS or _URL.search(text):
            continue
        names = bool(publisher) and len(publisher) >= 3 and publisher in key
        if names or source is not para or _says_who(text):
            seen.add(key)
            found.append(FrontMatterLine(source, names, labelled=source is not para))
    found.sort(key=lambda line: (not line.names_publisher, line.paragraph.ordinal))
    return [line for line in found if not _said_in_more_words(line, found)][:LINES]


_MONTH = (
    r"(?:januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember"
    r"|january|february|march|may|june|july|october|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|oct|nov|des|dec)\.?"
)
# a date as documents print one: "12. mars 2025", "12.03.2025", "2025-03-12", "mars 2025",
# "March 12, 2025", "12 March 2025"
_DATE = re.compile(
    rf"\b\d{{1,2}}\.?\s*{_MONTH}\s+\d{{4}}\b|\b\d{{1,2}}\.\d{{1,2}}\.(?:\d{{4}}|\d{{2}})\b"
    rf"|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b{_MONTH}\s+(?:\d{{1,2}},\s+)?\d{{4}}\b",
    re.IGNORECASE,
)
# a line that says what its date is the date of
_DATE_CUE = re.compile(
    r"\b(?:dato|datert|publisert|utgitt|utgjeve|vedtatt|vedteke|sendt|levert|ferdigstilt"
    r"|date[ds]?|published|issued|adopted|sent|submitted|released)\b",
    re.IGNORECASE,
)
# "Når ble rapporten publisert?", "Når sendte Kystlaget innspillet?", "When was the letter
# sent?": the verb says what was done with the document
_WHEN_MADE = re.compile(
    r"^\W*(?:når|kva\s+tid|when)\b(?P<before>.{0,80}?)\b(?:sendt|sendte|sende|skrevet|skrev"
    r"|skrive|skreiv|publisert|publiserte|utgitt|vedtatt|vedtok|vedteke|datert|laget|lagde|laga"
    r"|utarbeidet|utarbeidde|utarbeidd|levert|leverte|ferdigstilt|sent|written|wrote|published"
    r"|issued|adopted|dated|released|submitted|prepared)\b(?P<after>.*)",
    re.IGNORECASE,
)
_DATE_OF = re.compile(
    r"\b(?:hvilken|kva\s+for\s+ein|which|what)\s+(?:is\s+the\s+)?dat[oe]\s+(?:har|er|står"
    r"|of|on|is)\b(?P<after>.*)",
    re.IGNORECASE,
)


_ARTICLES = frozenset(("en", "ei", "et", "eit", "ein", "a", "an"))


def asks_when_made(question: str, titles: Iterable[str] = ()) -> bool:
    """Whether the question asks when the document at hand was sent, published or adopted:
    its object a document noun, a pronoun or a title the question names ("Når ble
    innspillet sendt?", not "Når ble brua åpnet?" nor "Når ble loven vedtatt?")."""
    match = _WHEN_MADE.search(question) or _DATE_OF.search(question)
    if match is None:
        return False
    # the object stands before the verb ("Når ble rapporten sendt?") or after it ("Når sendte
    # Kystlaget innspillet?"); a pronoun or no object at all is the document itself
    before = re.findall(r"[^\W\d_][\w-]*", match.groupdict().get("before") or "")
    after = re.findall(r"[^\W\d_][\w-]*", match.group("after"))[:_OBJECT_WORDS]
    if any(w.lower() in _ITSELF for w in before):
        # "Når ble det sendt?"; not a formal subject: "Når ble det vedtatt en ny lov?"
        return not (after and after[0].lower() in _ARTICLES)
    if not before + after or (after and after[0].lower() in _ITSELF):
        return True
    title_words = _title_words(titles)
    return any(_names_one_document(w) or w.lower() in title_words for w in before + after)


def dating_lines(catalog: Catalog, doc_id: str) -> list[FrontMatterLine]:
    """The document's dated lines on its first and last pages (at most LINES): those that say
    what the date is of ("Publisert", "sendt") first, then in reading order."""
    doc = catalog.document(doc_id)
    if doc is None:
        return []
    found: list[tuple[bool, FrontMatterLine]] = []
    seen: set[str] = set()
    for para in _front_and_back(catalog.paragraphs(doc_id), doc.pages):
        text = " ".join(para.text.split())
        key = text.lower()
        if key in seen or len(text.split()) > MAX_LINE_WORDS or not _DATE.search(text):
            continue
        seen.add(key)
        found.append((bool(_DATE_CUE.search(text)), FrontMatterLine(para, False)))
    found.sort(key=lambda item: (not item[0], item[1].paragraph.ordinal))
    return [line for _, line in found][:LINES]


def _said_in_more_words(line: FrontMatterLine, lines: list[FrontMatterLine]) -> bool:
    """Whether another line holds all of this line's words and more (a logo's name beside the
    line that credits it: "Nordplan AS" and "Utarbeidet av Nordplan AS"); a role label's value
    says what its label says, and stays."""
    if line.labelled:
        return False
    words = f" {' '.join(line.quote.lower().split())} "
    return any(
        len(other.quote) > len(line.quote) and words in f" {' '.join(other.quote.lower().split())} "
        for other in lines
    )


def commissioner_lines(catalog: Catalog, doc_id: str) -> list[FrontMatterLine]:
    """The sentences of the document's first pages that name who commissioned it (at most LINES)."""
    doc = catalog.document(doc_id)
    if doc is None:
        return []
    publisher = (doc.publisher or "").lower()
    found: list[FrontMatterLine] = []
    seen: set[str] = set()
    paragraphs = _front_and_back(catalog.paragraphs(doc_id), doc.pages, INTRO_PAGES)
    for before, para, after in _with_neighbours(paragraphs):
        if _CLIENT_LABEL_LINE.fullmatch(para.text):
            # a colophon's label alone on its line: the client is the line below it
            if value := _value_below(before, para, after):
                quotes = [(value, value.text)]
            else:
                continue
        else:
            quotes = [
                (para, para.text[start:end])
                for start, end in split_sentences(para.text)
                if not _URL.search(para.text[start:end])
                and _names_client(para.text[start:end], publisher)
            ]
        for source, quote in quotes:
            key = " ".join(quote.split()).lower()
            if key not in seen:  # a colophon repeated on the back page is quoted once
                seen.add(key)
                found.append(FrontMatterLine(source, False, quote))
    return found[:LINES]


def _says_who(text: str) -> bool:
    """Whether a line carries an authorship cue or a maker's role label."""
    return bool(_CUE.search(text) or _ROLE_LABEL.search(text))


def _with_neighbours(
    paragraphs: Sequence[StoredParagraph],
) -> Iterator[tuple[StoredParagraph | None, StoredParagraph, StoredParagraph | None]]:
    """Each paragraph with the one before and the one after it (None at the ends)."""
    return zip([None, *paragraphs[:-1]], paragraphs, [*paragraphs[1:], None], strict=True)


def _is_label(para: StoredParagraph) -> bool:
    """A colophon's or a form's label alone on its line ("Utført av:")."""
    return bool(_LABEL_ONLY.fullmatch(" ".join(para.text.split())))


def _value_below(
    before: StoredParagraph | None, label: StoredParagraph, after: StoredParagraph | None
) -> StoredParagraph | None:
    """The line under a label alone on its line: its value, if it is one.

    Not when the label stands in a column of labels: a two-column colophon lists its labels
    first and their values after them, so the line below a label is not its value.
    """
    if after is None or not _is_name_line(after, label.page) or _is_label(after):
        return None
    if before is not None and before.page == label.page and _is_label(before):
        return None
    return after


def _is_name_line(para: StoredParagraph, page: int) -> bool:
    """A short line on the same page that starts with a capital: a name, not running text."""
    words = para.text.split()
    return para.page == page and 0 < len(words) <= 12 and para.text.lstrip()[:1].isupper()


def _names_client(sentence: str, publisher: str) -> bool:
    """Whether a sentence names who commissioned the work (the publisher is not the client)."""
    if _CLIENT_NAMED.search(sentence):
        return True
    if not _COMMISSIONED.search(sentence):
        return False
    names = [w.lower() for w in _CAPITALISED.findall(sentence)]
    return any(not publisher or name not in publisher for name in names)


def _front_and_back(
    paragraphs: Sequence[StoredParagraph], pages: int, front: int = FRONT_PAGES
) -> list[StoredParagraph]:
    return [
        p
        for p in paragraphs
        if p.kind not in ("toc", "references", "footnote") and (p.page <= front or p.page >= pages)
    ]

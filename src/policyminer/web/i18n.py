"""The web app's words in Bokmål, Nynorsk and English, and the choice between them."""

from __future__ import annotations

from policyminer.lang import EN, NB, NN
from policyminer.lang import MESSAGES as ANSWER_WORDS

LANGS = ("nb", "en", "nn")
DEFAULT_LANG = "nb"
# "no" (Norwegian, no standard named) reads Bokmål; everything else not listed gets English.
_ALIASES = {"nb": "nb", "no": "nb", "nn": "nn", "en": "en"}

MESSAGES: dict[str, tuple[str, str]] = {
    # key: (bokmål, English)
    "app": ("policyminer", "policyminer"),
    "nav.ask": ("Spør", "Ask"),
    "nav.documents": ("Dokumenter", "Documents"),
    "nav.actors": ("Aktører", "Actors"),
    "nav.areas": ("Områder", "Areas"),
    "lang.switch": ("English", "Norsk"),
    "lang.standard": ("Nynorsk", "Nynorsk"),
    "ask.title": ("Spør dokumentene", "Ask the documents"),
    "ask.placeholder": (
        "Still et spørsmål eller søk etter ord …",
        "Ask a question or search for words …",
    ),
    "ask.submit": ("Spør", "Ask"),
    "ask.mode.ask": ("Svar med sitater", "Answer with quotes"),
    "ask.mode.search": ("Finn avsnitt", "Find passages"),
    "ask.answer": ("Svar", "Answer"),
    "ask.abstained": (
        "Fant ikke noe svar i dokumentene.",
        "No answer found in the documents.",
    ),
    "ask.reason.no_value_in_unit": (
        "Ingen av de nærmeste setningene oppgir en verdi i enheten spørsmålet ber om.",
        "None of the closest sentences states a value in the unit asked for.",
    ),
    "ask.reason.no_number": (
        "De nærmeste setningene oppgir ikke tallet spørsmålet ber om.",
        "The closest sentences do not state the figure asked for.",
    ),
    "ask.reason.names_no_maker": (
        "Dokumentene navngir ingen som har laget dem.",
        "The documents name no one who made them.",
    ),
    "ask.reason.names_other_code": (
        "De nærmeste avsnittene handler om noe annet enn det spørsmålet navngir med kode.",
        "The closest passages are about other things than the one the question names by its code.",
    ),
    "ask.reason.restates_question": (
        "De nærmeste setningene sier bare det spørsmålet selv sier.",
        "The closest sentences only say what the question itself says.",
    ),
    "ask.leads": ("Nærmeste avsnitt", "Closest passages"),
    "ask.named_documents": (
        "Leste bare dokumentene spørsmålet nevner",
        "Read only the documents the question names",
    ),
    "ask.results": ("Avsnitt", "Passages"),
    "ask.none": ("Ingen avsnitt passer.", "No passages match."),
    "ask.page": ("s.", "p."),
    "ask.slide": ("lysbilde", "slide"),  # a deck's page, as PowerPoint names it
    "ask.printed": ("trykt side", "printed"),
    "ask.open_page": ("Vis siden", "Show the page"),
    "ask.open_pdf": ("Åpne PDF", "Open PDF"),
    "ask.columns": ("Kolonner", "Columns"),
    "ask.footnote": ("Fotnote", "Note"),
    "ask.open_file": ("Åpne filen", "Open the file"),
    "ask.score": ("skår", "score"),
    "ask.empty": (
        "Ingen dokumenter ennå. Legg til noen under Dokumenter.",
        "No documents yet. Add some under Documents.",
    ),
    "filter.doc": ("Dokument", "Document"),
    "filter.year": ("År", "Year"),
    "filter.publisher": ("Utgiver", "Publisher"),
    "filter.area": ("Område", "Area"),
    "filter.mode": ("Rangering (avsnittsøk)", "Ranking (passage search)"),
    "mode.hybrid": ("hybrid", "hybrid"),
    "mode.dense": ("betydning", "meaning (dense)"),
    "mode.lexical": ("ord", "words (lexical)"),
    "filter.any": ("alle", "any"),
    "filter.apply": ("Filtrer", "Filter"),
    "filter.label": ("Type navn", "Kind of name"),
    "filter.type": ("Organisasjonstype", "Organisation type"),
    "filter.min": ("Minst omtaler", "Min mentions"),
    "filter.search": ("Søk i navn", "Search names"),
    "view.title": ("Side", "Page"),
    "view.section": ("Del", "Part"),
    "view.located": ("Sitatet er markert på siden.", "The quote is highlighted on the page."),
    "view.not_located": (
        "Sitatet ble ikke funnet på siden; siden vises uten markering.",
        "The quote was not found on the page; the page is shown unmarked.",
    ),
    "view.quote": ("Sitat", "Quote"),
    "view.prev": ("Forrige side", "Previous page"),
    "view.next": ("Neste side", "Next page"),
    "view.prev_part": ("Forrige del", "Previous part"),
    "view.next_part": ("Neste del", "Next part"),
    "view.slide": ("Lysbilde", "Slide"),
    "view.prev_slide": ("Forrige lysbilde", "Previous slide"),
    "view.next_slide": ("Neste lysbilde", "Next slide"),
    "view.of": ("av", "of"),
    "docs.title": ("Dokumenter", "Documents"),
    "docs.id": ("Id", "Id"),
    "docs.doc_title": ("Tittel", "Title"),
    "docs.pages": ("Sider", "Pages"),
    "docs.chunks": ("Avsnitt", "Chunks"),
    "docs.status": ("Status", "Status"),
    "docs.ok": ("ok", "ok"),
    "docs.changed": ("endret på disk", "changed on disk"),
    "docs.missing": ("mangler på disk", "missing on disk"),
    "docs.remove": ("Fjern", "Remove"),
    "docs.confirm_remove": ("Fjerne dokumentet?", "Remove this document?"),
    "docs.upload": ("Last opp filer", "Upload files"),
    "docs.upload_help": (
        "PDF, tekst eller Markdown; høyst {mb} MB per fil.",
        "PDF, text or Markdown; at most {mb} MB per file.",
    ),
    "docs.folder": ("Legg til mappe på serveren", "Add a folder on the server"),
    "docs.folder_placeholder": ("/sti/til/mappe", "/path/to/folder"),
    "docs.add": ("Legg til", "Add"),
    "docs.none": ("Ingen dokumenter ennå.", "No documents yet."),
    "docs.jobs": ("Arbeid", "Work"),
    "docs.writer_note": (
        "Én jobb skriver om gangen; de andre venter i kø.",
        "One job writes at a time; the others wait in line.",
    ),
    "job.queued": ("i kø", "queued"),
    "job.running": ("pågår", "running"),
    "job.done": ("ferdig", "done"),
    "job.failed": ("feilet", "failed"),
    "actors.title": ("Aktører og initiativ", "Actors and initiatives"),
    "actors.name": ("Navn", "Name"),
    "actors.label": ("Type", "Kind"),
    "actors.type": ("Org.-type", "Org. type"),
    "actors.mentions": ("Omtaler", "Mentions"),
    "actors.documents": ("Dokumenter", "Documents"),
    "actors.aliases": ("Andre navn", "Aliases"),
    "actors.pages": ("Sider", "Pages"),
    "actors.example": ("Eksempel", "Example"),
    "actors.none": ("Ingen aktører passer.", "No actors match."),
    "actors.csv": ("Last ned CSV", "Download CSV"),
    "actors.graphml": ("Last ned GraphML", "Download GraphML"),
    "actors.count": ("{n} aktører", "{n} actors"),
    "areas.title": ("Mulighetsområder", "Opportunity areas"),
    "areas.passages": ("avsnitt", "passages"),
    "areas.untagged": ("uten område", "without an area"),
    "areas.documents": ("Avsnitt per dokument", "Passages per document"),
    "areas.top": ("Beste avsnitt", "Top passages"),
    "areas.actors": ("Aktører", "Actors"),
    "areas.markdown": ("Last ned rapport (Markdown)", "Download report (Markdown)"),
    "areas.none": ("Ingen avsnitt er merket med dette området.", "No passage has this area."),
    "error.title": ("Feil", "Error"),
    "error.back": ("Tilbake til forsiden", "Back to the start page"),
}
# the answer's own words, as the CLI prints them: the sections a rule quoted from, and what chose
# the quotes when a rule did (`Answer.method`; the scorer's probability says none)
MESSAGES["ask.confidence"] = (
    ANSWER_WORDS[NB]["confidence"].capitalize(),
    ANSWER_WORDS[EN]["confidence"].capitalize(),
)
MESSAGES["ask.from_sections"] = (
    ANSWER_WORDS[NB]["from_sections"],
    ANSWER_WORDS[EN]["from_sections"],
)
MESSAGES.update(
    (f"ask.method.{key.removeprefix('method_')}", (ANSWER_WORDS[NB][key], ANSWER_WORDS[EN][key]))
    for key in ANSWER_WORDS[EN]
    if key.startswith("method_")
)


# Nynorsk: the pages in the other written standard of Norwegian (a key missing here would show
# its Bokmål text; a test keeps the two tables whole)
NYNORSK: dict[str, str] = {
    "app": "policyminer",
    "nav.ask": "Spør",
    "nav.documents": "Dokument",
    "nav.actors": "Aktørar",
    "nav.areas": "Område",
    "lang.switch": "English",
    "lang.standard": "Bokmål",
    "ask.title": "Spør dokumenta",
    "ask.placeholder": "Still eit spørsmål eller søk etter ord …",
    "ask.submit": "Spør",
    "ask.mode.ask": "Svar med sitat",
    "ask.mode.search": "Finn avsnitt",
    "ask.answer": "Svar",
    "ask.abstained": "Fann ikkje noko svar i dokumenta.",
    "ask.reason.no_value_in_unit": (
        "Ingen av dei næraste setningane oppgir ein verdi i eininga spørsmålet ber om."
    ),
    "ask.reason.no_number": "Dei næraste setningane oppgir ikkje talet spørsmålet ber om.",
    "ask.reason.names_no_maker": "Dokumenta namngir ingen som har laga dei.",
    "ask.reason.names_other_code": (
        "Dei næraste avsnitta handlar om noko anna enn det spørsmålet namngir med kode."
    ),
    "ask.reason.restates_question": (
        "Dei næraste setningane seier berre det spørsmålet sjølv seier."
    ),
    "ask.leads": "Næraste avsnitt",
    "ask.named_documents": "Las berre dokumenta spørsmålet nemner",
    "ask.results": "Avsnitt",
    "ask.none": "Ingen avsnitt passar.",
    "ask.page": "s.",
    "ask.slide": "lysbilete",
    "ask.printed": "trykt side",
    "ask.open_page": "Vis sida",
    "ask.open_pdf": "Opne PDF",
    "ask.columns": "Kolonnar",
    "ask.footnote": "Fotnote",
    "ask.open_file": "Opne fila",
    "ask.score": "skår",
    "ask.empty": "Ingen dokument enno. Legg til nokre under Dokument.",
    "filter.doc": "Dokument",
    "filter.year": "År",
    "filter.publisher": "Utgjevar",
    "filter.area": "Område",
    "filter.mode": "Rangering (avsnittsøk)",
    "mode.hybrid": "hybrid",
    "mode.dense": "tyding",
    "mode.lexical": "ord",
    "filter.any": "alle",
    "filter.apply": "Filtrer",
    "filter.label": "Type namn",
    "filter.type": "Organisasjonstype",
    "filter.min": "Minst omtalar",
    "filter.search": "Søk i namn",
    "view.title": "Side",
    "view.section": "Del",
    "view.located": "Sitatet er markert på sida.",
    "view.not_located": "Sitatet vart ikkje funne på sida; sida blir vist utan markering.",
    "view.quote": "Sitat",
    "view.prev": "Førre side",
    "view.next": "Neste side",
    "view.prev_part": "Førre del",
    "view.next_part": "Neste del",
    "view.slide": "Lysbilete",
    "view.prev_slide": "Førre lysbilete",
    "view.next_slide": "Neste lysbilete",
    "view.of": "av",
    "docs.title": "Dokument",
    "docs.id": "Id",
    "docs.doc_title": "Tittel",
    "docs.pages": "Sider",
    "docs.chunks": "Avsnitt",
    "docs.status": "Status",
    "docs.ok": "ok",
    "docs.changed": "endra på disk",
    "docs.missing": "manglar på disk",
    "docs.remove": "Fjern",
    "docs.confirm_remove": "Fjerne dokumentet?",
    "docs.upload": "Last opp filer",
    "docs.upload_help": "PDF, tekst eller Markdown; høgst {mb} MB per fil.",
    "docs.folder": "Legg til mappe på tenaren",
    "docs.folder_placeholder": "/sti/til/mappe",
    "docs.add": "Legg til",
    "docs.none": "Ingen dokument enno.",
    "docs.jobs": "Arbeid",
    "docs.writer_note": "Éin jobb skriv om gongen; dei andre ventar i kø.",
    "job.queued": "i kø",
    "job.running": "går føre seg",
    "job.done": "ferdig",
    "job.failed": "feila",
    "actors.title": "Aktørar og initiativ",
    "actors.name": "Namn",
    "actors.label": "Type",
    "actors.type": "Org.-type",
    "actors.mentions": "Omtalar",
    "actors.documents": "Dokument",
    "actors.aliases": "Andre namn",
    "actors.pages": "Sider",
    "actors.example": "Døme",
    "actors.none": "Ingen aktørar passar.",
    "actors.csv": "Last ned CSV",
    "actors.graphml": "Last ned GraphML",
    "actors.count": "{n} aktørar",
    "areas.title": "Moglegheitsområde",
    "areas.passages": "avsnitt",
    "areas.untagged": "utan område",
    "areas.documents": "Avsnitt per dokument",
    "areas.top": "Beste avsnitt",
    "areas.actors": "Aktørar",
    "areas.markdown": "Last ned rapport (Markdown)",
    "areas.none": "Ingen avsnitt er merkte med dette området.",
    "error.title": "Feil",
    "error.back": "Tilbake til framsida",
    "ask.confidence": ANSWER_WORDS[NN]["confidence"].capitalize(),
    "ask.from_sections": ANSWER_WORDS[NN]["from_sections"],
}
NYNORSK.update(
    (f"ask.method.{key.removeprefix('method_')}", ANSWER_WORDS[NN][key])
    for key in ANSWER_WORDS[NN]
    if key.startswith("method_")
)


def pick_lang(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The page language: an explicit ?lang= wins, then the cookie, then the browser's list."""
    for choice in (query, cookie):
        if choice in LANGS:
            return choice
    return from_accept_language(accept_language or "")


def from_accept_language(header: str) -> str:
    """The first supported language of an Accept-Language header, by its q weights."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in _ALIASES and weight > 0:
            ranked.append((-weight, position, _ALIASES[primary]))
    return min(ranked)[2] if ranked else DEFAULT_LANG


def translator(lang: str):
    """A `t(key, **values)` function for templates in one language."""
    column = 1 if lang == EN else 0

    def t(key: str, **values: object) -> str:
        pair = MESSAGES.get(key)
        text = pair[column] if pair else key
        if lang == NN:
            text = NYNORSK.get(key, text)
        return text.format(**values) if values else text

    return t

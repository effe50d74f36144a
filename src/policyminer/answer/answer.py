"""Cited answers: retrieve passages, pick the sentences that answer, verify every quote, or abstain.

An answer is extractive: 1–5 sentences quoted exactly as the catalog holds them, each with its
document, page and section. Each candidate sentence of the retrieved passages is described by a
few features (its similarity to the question from the sentence vectors stored at ingest, term
overlap, its passage's rank, …) that a learned scorer (answer.scorer, trained on NorQuAD) turns
into the probability that it answers; the scorer's order model, when it has one, ranks them
instead (the probability still decides abstention). List questions ("hvilke …", "which …")
gather items across passages, lift the items that follow an introducing sentence ("… omfatter 5
elementer:") and drop near-duplicates. When the calibrated confidence of the best sentence is
below the scorer's threshold (or the user's `min_confidence`), the answer abstains and offers
the closest passages as leads. A question that asks for a value in a unit ("hvor mange
kvadratmeter …", "… per square metre") quotes first the close sentences that state a value in
that unit, and abstains when none does (answer.units).
Every quote is checked against the text of its cited page before it is shown; a quote found on
another page of the same document is re-cited there, and one found nowhere is dropped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from policyminer.answer.actors import actor_labels, asks_for_actor, lift_naming
from policyminer.answer.candidates import (
    ANNOUNCES,
    MIN_WORDS,
    Sentence,
    Terms,
    candidate_sentences,
    enumeration,
    feature_rows,
    is_intro,
    lists_inline,
    measure_overlap,
    passage_sentences,
    sentence_before,
    word_count,
)
from policyminer.answer.causes import asks_cause, concludes, states_cause
from policyminer.answer.citations import (
    Answer,
    Citation,
    CitationChecker,
    normalise,
)
from policyminer.answer.definitions import defined_term, defines
from policyminer.answer.durations import asks_duration, states_duration
from policyminer.answer.echoes import asks_open, says_nothing_new
from policyminer.answer.frontmatter import (
    asks_about_the_document,
    asks_commissioner,
    asks_organisation,
    asks_when_made,
    authorship_lines,
    commissioner_lines,
    dating_lines,
    is_authorship_question,
    names_organisation,
    title_words_named,
)
from policyminer.answer.labels import asked_things, labels_asked
from policyminer.answer.references import asked_parts, names_part
from policyminer.answer.scorer import FEATURES, AnswerScorer, shipped_scorer
from policyminer.answer.sections import find_section, has_section, section_quotes
from policyminer.answer.spelling import in_standard, spelling_alternatives
from policyminer.answer.tables import (
    codes_around,
    named_by_code,
    prefer_rows_naming,
    table_lookup,
)
from policyminer.answer.topics import SECTION_SENTENCES, asked_topic, topic_sections
from policyminer.answer.units import (
    asked_units,
    asks_quantity,
    counted_noun,
    counts_in_column,
    measured_units,
    states_count_of,
    states_new_number,
    states_value_in,
)
from policyminer.errors import AnswerError
from policyminer.index.chunking import (
    PARAGRAPH_SEP,
)
from policyminer.index.glossary import english_alternatives, norwegian_alternatives
from policyminer.lang import (
    EN,
    NB,
    NN,
    asked_dimensions,
    asks_twice,
    detect_language,
    evidence_language,
    is_list_question,
    message,
    passage_language,
    passage_standard,
    second_ask,
    with_dimension_nouns,
    without_source,
)
from policyminer.parse.textclean import runs_on
from policyminer.retrieve.naming import NamedDocument, asked_names, without_names
from policyminer.retrieve.search import Filters, Searcher, SearchError
from policyminer.retrieve.sections import asked_section
from policyminer.store.enrichment import mention_rows

PASSAGES = 10  # passages read per question
FRONT_MATTER_DOCS = 2  # documents whose front matter answers "who wrote …" (best retrieved first)
MAX_LOOKUP = 3  # evidence sentences for a plain question
MAX_LIST = 5  # … and for a list question
MAX_LIST_ITEMS = 15  # items quoted after a list intro ("… seven areas:"), when a list is asked for
# Further sentences must score within this many logits of the best (odds within e^margin).
LOOKUP_MARGIN = 2.0
LIST_MARGIN = 3.0
CONFIDENCE_MARGIN = 2.5  # a cause lift's sentence: its confidence logit at most this below the best
DUPLICATE_JACCARD = 0.7
# A question in another language than its passages: its best candidates (by the first reading)
# are embedded again one sentence at a time (session 27, chosen among 8/12/16/24/all on English
# NorQuAD training questions; each takes ~25 ms on two cores)
READ_ALONE = 12
# A table lookup (the question names a row's code and another of its columns) is a rule, not
# the scorer, which learnt on prose and rates a short row low: its answer is at least this sure.
LOOKUP_CONFIDENCE = 0.5
# A close sentence that says what the asked term is ("FKV står for …") answers "Hva er FKV?" as
# surely: on NorQuAD such a first quote holds the answer for 17 of 23 questions asked over their
# own paragraphs, and turns up for 2 of 48 asked over paragraphs that do not hold it
# (`benchmarks/bench_kinds.py`).
DEFINITION_CONFIDENCE = 0.5
# an answer quoting the sections whose headings name the topic asked about ("Hva sier planen om
# parkering?"): a rule's level, as for a definition, not the scorer's probability
TOPIC_CONFIDENCE = 0.5
LEADS = 3
NAMING_LABELS = ("ORG", "PER")  # who made a document: an organisation or a person

# -- the answerer -----------------------------------------------------------------------------


class Answerer:
    """Answers questions from a Searcher's evidence base with verified citations."""

    def __init__(
        self,
        searcher,  # policyminer.search.Searcher
        min_confidence: float | None = None,
        passages: int = PASSAGES,
        scorer: AnswerScorer | None = None,
    ):
        self.searcher = searcher
        self.scorer = scorer or shipped_scorer()
        # answer only when the calibrated confidence reaches this (default: the scorer's own)
        self.min_confidence = self.scorer.threshold if min_confidence is None else min_confidence
        self.passages = passages
        self.checker = CitationChecker(searcher.catalog)
        self._heading_cache: dict[str, set[str]] = {}
        # the last question's mean cosine with the scorer's unrelated passages (a feature)
        self.background = 0.0
        self.recited = 0  # citations re-cited to another page by the check, over this answerer

    def close(self) -> None:
        """Nothing to release: kept so callers may close an answerer like other resources."""

    def answer(
        self, question: str, k: int | None = None, filters=None, min_confidence: float | None = None
    ) -> Answer:
        """Answer one question from the top-k passages (k defaults to PASSAGES).

        A question that names documents by their titles ("i Nordvika-planen", "ifølge
        Trusselbildet 2024") is answered from those alone when its best passage is from one of
        them, or when no other document uses those names: a name in passing ("… i Norge") names
        no document, and there the best passage is elsewhere and other documents write the name
        too. The caller's choice of documents stands.
        """
        hits, named = self.read_passages(question, k, filters)
        scope = self._scope_names(question, named)
        made = self._answer(question, hits, min_confidence, scope)
        return replace(made, named_documents=named, named_titles=self._titles(named))

    def _titles(self, doc_ids: Sequence[str]) -> tuple[str, ...]:
        """The documents' titles (the id where a document has none)."""
        documents = [self.searcher.catalog.document(d) for d in doc_ids]
        return tuple(
            (d.title if d and d.title else doc_id)
            for d, doc_id in zip(documents, doc_ids, strict=True)
        )

    def read_passages(
        self, question: str, k: int | None = None, filters=None
    ) -> tuple[list, tuple[str, ...]]:
        """The top-k passages a question is answered from, and the documents it names when it
        is answered from those alone (see `answer`)."""
        k = k or self.passages
        hits = self.searcher.search(question, k=k, mode="hybrid", filters=filters)
        named = (
            ()
            if filters is not None and filters.doc_ids
            else self.searcher.named_documents(question)
        )
        if named and hits and (hits[0].chunk.doc_id in named or self._named_alone(question, named)):
            filters = replace(
                filters or Filters(), doc_ids=named, chosen_by=self._scope_names(question, named)
            )
            return self.searcher.search(question, k=k, mode="hybrid", filters=filters), named
        return hits, ()

    def _named_alone(self, question: str, named: Sequence[str]) -> bool:
        """Whether no other document uses the names the question gives these documents."""
        documents = [NamedDocument(d, self.searcher.title(d)) for d in named]
        return self.searcher.names_only_there(question, documents)

    def _scope_names(self, question: str, named: Sequence[str]) -> frozenset[str]:
        """The names by which the question named the documents it is answered from: they tell
        those documents from others, not one of their sentences from another."""
        return frozenset(
            name for d in named for name in asked_names(question, self.searcher.title(d))
        )

    def _answer(
        self,
        question: str,
        hits: Sequence,
        min_confidence: float | None,
        scope: frozenset[str] = frozenset(),
    ) -> Answer:
        lang = passage_language(question)  # its messages in its language, Nynorsk too
        listing = is_list_question(question)
        floor = self.min_confidence if min_confidence is None else min_confidence
        # who made the documents at hand, not who made something they tell of ("Hvem står bak
        # modellen som …?"): its object is a document or the title the question names one by
        authorship = is_authorship_question(question) and asks_about_the_document(question, scope)
        if authorship or asks_when_made(question, scope):
            made = self._from_front_matter(question, lang, hits, floor)
            if made is not None:
                return made
        number = asked_section(question)
        if number is not None:
            made = self._from_section(question, lang, hits, number, floor)
            if made is not None:
                return made
        topic = asked_topic(without_names(question, scope))
        if topic is not None:
            made = self._from_topic(question, lang, hits, topic, floor)
            if made is not None:
                return made
        # a question about a topic no heading names is answered by sentences about the topic:
        # the words that frame it ("Hva sier tiltaksplanen om …") ask for no sentence
        sentences = self.score(question, hits, listing, scope, topic or "")
        if sentences and authorship:
            # the front matter named no maker: an answer to "who" must name someone
            naming = self._naming_someone(sentences)
            if not naming:
                return self._abstain(question, lang, listing, sentences, 0.0, "names_no_maker")
            sentences = naming
        if any(s.restates for s in sentences):
            # a sentence that says only what an open question says is its premise, not its answer
            saying = [s for s in sentences if not s.restates]
            if not saying:
                return self._abstain(question, lang, listing, sentences, 0.0, "restates_question")
            sentences = saying
        if not sentences:
            return self._abstain(question, lang, listing, [], 0.0, "no_candidates")
        # the confidence model's best, whatever model ordered them (the list lift never exceeds it)
        confidence = self.scorer.confidence(max(s.answer_logit for s in sentences))
        method = "scorer"
        lookup = None if listing else table_lookup(question, sentences)
        if lookup is not None:
            lookup.probability = max(lookup.probability, LOOKUP_CONFIDENCE)
            lookup.score = sentences[0].score + 0.01
            sentences = [lookup, *(s for s in sentences if s is not lookup)]
            if confidence < LOOKUP_CONFIDENCE:
                confidence, method = LOOKUP_CONFIDENCE, "table_lookup"
        units = asked_units(question)
        # a measure asked by its noun ("Hvilken høyde …?") puts close values in its unit first,
        # but a quote in other terms ("tre etasjer") may answer it: no abstention on the unit
        lifted = units or measured_units(question)
        margin = LIST_MARGIN if listing else LOOKUP_MARGIN
        if lifted:
            sentences = _first_stating(lambda s: _states_value(lifted, s), sentences, margin)
        elif parts := asked_parts(question):
            # "Hva viser kolonne 4?": a close sentence that names column 4 ("Kol. 4 gir …")
            sentences = _first_stating(lambda s: names_part(parts, s.text), sentences, margin)
        elif (noun := counted_noun(question)) is not None:
            # "Hvor mange elever …?": a close sentence that counts them ("120 elever") first
            sentences = _first_stating(lambda s: _counts(noun, s), sentences, margin)
        elif (term := defined_term(without_names(question, scope))) is not None:
            # "Hva er X?": a close sentence that says what X is ("X er …") first, and it answers
            sentences = _first_stating(lambda s: defines(term, s.text), sentences, margin)
            if defines(term, sentences[0].text):
                sentences[0].probability = max(sentences[0].probability, DEFINITION_CONFIDENCE)
                if confidence < DEFINITION_CONFIDENCE:
                    confidence, method = DEFINITION_CONFIDENCE, "definition"
        elif asks_duration(question):
            # "Hvor lenge …?": a close sentence that says how long ("i tre år", "til 2026") first
            sentences = _first_stating(lambda s: states_duration(s.text), sentences, margin)
        elif asked_things(question):
            # "Hvilke lokale aktører …?": a close line that a label opens with what is asked
            # for ("Lokale aktører: …") first
            sentences = _first_stating(lambda s: labels_asked(question, s.text), sentences, margin)
        elif asks_cause(question) and not self._cross_language(question, hits):
            # "Hvorfor …?": a close sentence that gives a cause ("fordi …", "for å …") first.
            # Not across languages: there the scorer's logits lie closer together (no term
            # overlap: a median 25 candidates within the margin against 14 on the real PDFs'
            # questions), and the lift reached purpose clauses about other things.
            # A connective is weak evidence ("et verktøy for å …" names no cause), so the lift
            # never passes a sentence the confidence model holds far likelier, nor lifts one
            # that shares no term with the question (a purpose of something else).
            sentences = _first_stating(
                lambda s: s.lexical > 0 and states_cause(s.text),
                sentences,
                margin,
                CONFIDENCE_MARGIN,
            )
        if confidence < floor:
            return self._abstain(question, lang, listing, sentences, confidence, "low_confidence")
        why = asks_cause(question) or asks_cause(second_ask(question) or "")
        chosen = self.select(sentences, listing, why)
        if units and not any(_states_value(units, s) for s in chosen):
            # on topic, yet no close sentence gives the value in the unit asked: a detail the
            # documents do not hold
            return self._abstain(question, lang, listing, sentences, 0.0, "no_value_in_unit")
        if (
            not units
            and asks_quantity(question)
            and not any(states_new_number(question, s.text) for s in _answering(question, chosen))
        ):
            # "how many …?" answered by a first quote whose one number is the question's own
            # ("in 2030") or that has none: the figure asked for is not written there. Close
            # sentences with a number are not lifted as for units: any number would pass.
            return self._abstain(question, lang, listing, sentences, 0.0, "no_number")
        codes = named_by_code(question)
        if codes and not any(codes & codes_around(s) for s in chosen):
            # the question names its subject by a code ("field BK12"), and the quotes come
            # from passages about other things: what it asks of that one is not written
            return self._abstain(question, lang, listing, sentences, 0.0, "names_other_code")
        citations, dropped = self._verified(s.citation() for s in chosen)
        if not citations:
            return self._abstain(
                question, lang, listing, sentences, confidence, "unverified", dropped
            )
        text = " ".join(f"{c.quote} [{i}]" for i, c in enumerate(citations, 1))
        return Answer(
            question, lang, normalise(text), False, citations, [], confidence, listing, dropped,
            method=method,
        )  # fmt: skip

    def _from_front_matter(
        self, question: str, lang: str, hits: Sequence, floor: float
    ) -> Answer | None:
        """Who made the documents at hand, or when, quoted from their title pages and colophons.

        A rule, not the scorer: confidence 1.0 when a quoted line names the author recorded in
        the PDF's metadata (two sources agree), 0.5 when only an authorship cue matched; a question
        for the commissioner is answered by commissioning sentences only, at 0.5; one for when it
        was sent, published or adopted by dated lines, at 0.5. None when no such line exists (the
        ordinary answer path then runs).
        """
        docs = self._documents_asked_about(question, hits)
        if not is_authorship_question(question):
            lines_of = dating_lines  # when it was sent, published or adopted
        elif asks_commissioner(question):
            lines_of = commissioner_lines
        else:
            lines_of = authorship_lines
        citations: list[Citation] = []
        for doc_id in docs:
            title = self.searcher.title(doc_id)
            for line in lines_of(self.searcher.catalog, doc_id):
                p = line.paragraph
                sure = 1.0 if line.names_publisher else 0.5
                citations.append(
                    Citation(doc_id, title, p.page, p.section, line.quote, sure, 0, False, sure)
                )
        if asks_organisation(question):
            # "Hvilket firma …?": the lines naming one first ("N.N., Nordplan AS"), not the people
            citations.sort(key=lambda c: not names_organisation(c.quote))
        return self._by_rule(question, lang, citations, floor, "front_matter")

    def _from_section(
        self, question: str, lang: str, hits: Sequence, number: str, floor: float
    ) -> Answer | None:
        """What a numbered section says, quoted from its start (None: no such section found).

        A rule, not the scorer: confidence 1.0 when one document among the passages has a
        section so numbered, 0.5 when several do (the best-ranked one is quoted).
        """
        catalog = self.searcher.catalog
        found = find_section(catalog, hits, number)
        if found is None:
            return None
        doc_id, heading = found
        quotes = section_quotes(catalog, doc_id, heading)
        # another document at hand with a section so numbered makes the choice a guess
        others = {h.chunk.doc_id for h in hits} - {doc_id}
        sure = 0.5 if any(has_section(catalog, d, number) for d in others) else 1.0
        title = self.searcher.title(doc_id)
        citations = [Citation(doc_id, title, q.page, q.section, q.quote, sure, 0, False, sure)
                     for q in quotes]  # fmt: skip
        return self._by_rule(question, lang, citations, floor, "section", (heading,))

    def _from_topic(
        self, question: str, lang: str, hits: Sequence, topic: str, floor: float
    ) -> Answer | None:
        """What the documents say about a topic, quoted from the start of the sections whose
        headings name it (None: no heading does)."""
        catalog = self.searcher.catalog
        citations = []
        headings: list[str] = []
        for section, count in zip(
            topic_sections(catalog, hits, topic), SECTION_SENTENCES, strict=False
        ):
            title = self.searcher.title(section.doc_id)
            quotes = section_quotes(catalog, section.doc_id, section.heading)[:count]
            headings += [section.heading] if quotes else []
            citations += [
                Citation(section.doc_id, title, q.page, q.section, q.quote, TOPIC_CONFIDENCE,
                         0, False, TOPIC_CONFIDENCE)
                for q in quotes
            ]  # fmt: skip
        if not citations:
            return None
        return self._by_rule(question, lang, citations, floor, "topic_sections", tuple(headings))

    def _by_rule(
        self,
        question: str,
        lang: str,
        citations: list[Citation],
        floor: float,
        method: str,
        headings: tuple[str, ...] = (),
    ) -> Answer | None:
        """An answer of quotes a rule chose, at their best confidence; below the floor, leads.
        None when no quote is verified on its page (the ordinary answer path then runs)."""
        verified, dropped = self._verified(citations)
        if not verified:
            return None
        confidence = max(c.confidence for c in verified)
        if confidence < floor:
            return Answer(
                question, lang, message("no_answer", lang), True, [], verified, confidence,
                False, dropped, "low_confidence", method=method, from_sections=headings,
            )  # fmt: skip
        text = " ".join(f"{c.quote} [{i}]" for i, c in enumerate(verified, 1))
        return Answer(
            question, lang, normalise(text), False, verified, [], confidence, False, dropped,
            method=method, from_sections=headings,
        )  # fmt: skip

    def _naming_someone(
        self,
        sentences: Sequence[Sentence],
        labels: Sequence[str] = NAMING_LABELS,
        besides: str = "",
    ) -> list[Sentence]:
        """The sentences in which the tagger found a name of these kinds (by default an
        organisation or a person), other than a name `besides` (the question) writes."""
        docs = list(dict.fromkeys(s.chunk.doc_id for s in sentences))
        names: dict[int, list[tuple[int, int]]] = {}
        written = besides.casefold()
        rows = mention_rows(self.searcher.catalog, docs)
        for chunk_id, _, _, _, label, text, start, end, _ in rows:
            if label in labels and not (written and text.casefold() in written):
                names.setdefault(chunk_id, []).append((start, end))
        return [
            s
            for s in sentences
            if any(a < s.end and s.start < b for a, b in names.get(s.chunk.id, ()))
        ]

    def _documents_asked_about(self, question: str, hits: Sequence) -> list[str]:
        """The retrieved documents whose titles the question names most, best retrieved first.

        "Who wrote the report on X?" is about the document titled X even when another one's
        passages also come up; without a title word in the question, the best retrieved.
        """
        docs = list(dict.fromkeys(h.chunk.doc_id for h in hits))
        named = {doc: title_words_named(question, self.searcher.title(doc)) for doc in docs}
        most = max(named.values(), default=0)
        return [doc for doc in docs if named[doc] == most][:FRONT_MATTER_DOCS]

    def candidates(
        self,
        question: str,
        hits: Sequence,
        listing: bool,
        scope: frozenset[str] = frozenset(),
        focus: str = "",
        across: bool | None = None,
    ) -> list[Sentence]:
        """Candidate sentences of the hits with every feature measured, in passage order.

        `scope`: the names by which the question chose the documents read ("Nordvika"); every
        passage is theirs, so those words are left out of the question's terms. `focus`: the
        words the question asks about, when only they should be the question's terms (the
        topic of "Hva sier rapporten om X?"). `across`: whether the question is in another
        language than most passages (found out here when not given).
        """
        terms = Terms([with_dimension_nouns(question), *(h.chunk.text for h in hits)])
        sentences = candidate_sentences(hits, terms, self._headings)
        if not sentences:
            return []
        # "Hvor høye …?" is answered by "Mønehøyde …": the noun stands for the adjective
        alternatives = {
            t: terms(noun) for word, noun in asked_dimensions(question).items() for t in terms(word)
        }
        # who says it ("ifølge kommunen") chose the documents; the answer need not name it
        asked = terms(focus or without_source(without_names(question, scope)))
        standards = passage_language(question), passage_standard(h.chunk.text for h in hits)
        if NN in standards:
            # "meiner" meets "mener": one word in either written standard
            vocabulary = set().union(*(s.terms for s in sentences))
            for term, others in spelling_alternatives(asked, vocabulary).items():
                alternatives.setdefault(term, set()).update(others)
        if across is None:
            across = self._cross_language(question, hits)
        if across:
            # "permission" meets "tillatelse" (and the other way): a word in its translations
            english = detect_language(question) == EN
            translated = english_alternatives if english else norwegian_alternatives
            for term, others in translated(question, terms).items():
                alternatives.setdefault(term, set()).update(others)
        measure_overlap(asked, hits, sentences, terms, alternatives)
        for s in sentences:
            s.enumeration = enumeration(s.text)
        if asks_open(question) and not across:
            given = terms(question).union(*alternatives.values())
            for s in sentences:
                # a line that announces a list ("Søknaden skal inneholde:") is followed by its
                # answer; across languages no word is the question's own
                s.restates = not is_intro(s.text) and says_nothing_new(
                    given, terms.per_word(s.text)
                )
        # a question in the other written standard than the passages' is read in theirs
        self._measure_dense(
            question, sentences, standards[1] if set(standards) == {NB, NN} else None
        )
        return sentences

    def _measure_dense(
        self, question: str, sentences: list[Sentence], read_in: str | None = None
    ) -> None:
        """Cosines of the question with each sentence and its passage, from stored vectors.

        `read_in`: the written standard to read the question in first, as the passages would
        write it ("Kor mykje kostar …" over Bokmål: "Hvor mye koster …")."""
        texts = list({s.chunk.id: s.chunk.text for s in sentences}.values())
        if read_in is not None:
            question = in_standard(question, texts, read_in)
        query = np.asarray(self.searcher.embed_query(question), dtype=np.float32).ravel()
        evidence = evidence_language(texts)
        self.background = self.scorer.background_mean(query, detect_language(question), evidence)
        catalog = self.searcher.catalog
        ids = list(dict.fromkeys(s.chunk.id for s in sentences))
        stored = catalog.sentence_vectors(ids)
        chunk_ids, matrix = catalog.vectors(ids)
        passage = dict(zip(chunk_ids.tolist(), (matrix @ query).tolist(), strict=True))
        for s in sentences:
            s.passage_dense = passage.get(s.chunk.id, 0.0)
            vector = stored.get(s.chunk.id, {}).get((s.start, s.end))
            # an index made before sentence vectors were stored: the passage stands in
            # (`policyminer reindex` adds them)
            s.dense = float(vector @ query) if vector is not None else s.passage_dense

    @staticmethod
    def _cross_language(question: str, hits: Sequence) -> bool:
        """Whether the question is in another language than most of the retrieved passages."""
        evidence = evidence_language(h.chunk.text for h in hits)
        return evidence is not None and evidence != detect_language(question)

    def measured(
        self,
        question: str,
        hits: Sequence,
        listing: bool,
        scope: frozenset[str] = frozenset(),
        focus: str = "",
    ) -> tuple[list[Sentence], np.ndarray]:
        """Candidate sentences of the hits and the confidence model's feature rows for them.

        A question in another language than most passages keeps its READ_ALONE best candidates
        (order model, first reading), each also embedded on its own: pooled token vectors carry
        the passage's language, a sentence's own embedding meets the question across languages.
        """
        across = self._cross_language(question, hits)
        sentences = self.candidates(question, hits, listing, scope, focus, across)
        if not sentences:
            return [], np.zeros((0, len(FEATURES)))
        floor = self.scorer.cross_language_lexical if across else 0.0
        rows = feature_rows(question, sentences, listing, self.background, floor)
        if across:
            best = np.argsort(-self.scorer.order_logits(rows), kind="stable")[:READ_ALONE]
            sentences = [sentences[i] for i in sorted(best)]
            self._read_alone(question, sentences)
            rows = feature_rows(question, sentences, listing, self.background, floor)
        return sentences, rows

    def _read_alone(self, question: str, sentences: Sequence[Sentence]) -> None:
        """Cosines of the question with each sentence embedded on its own."""
        query = np.asarray(self.searcher.embed_query(question), dtype=np.float32).ravel()
        vectors = self.searcher.query_embedder.embed_passages([s.read for s in sentences])
        for s, cosine in zip(sentences, (vectors @ query).tolist(), strict=True):
            s.alone = float(cosine)

    def score(
        self,
        question: str,
        hits: Sequence,
        listing: bool,
        scope: frozenset[str] = frozenset(),
        focus: str = "",
    ) -> list[Sentence]:
        """Candidate sentences of the hits, scored by the answer scorer, best first."""
        sentences, rows = self.measured(question, hits, listing, scope, focus)
        if not sentences:
            return []
        if any(s.alone is not None for s in sentences):  # only across languages: see measured
            floor = self.scorer.cross_language_lexical
            order_rows = feature_rows(question, sentences, listing, self.background, floor, True)
        else:
            order_rows = rows
        answer_logits = self.scorer.logits(rows)
        order_logits = self.scorer.order_logits(order_rows)
        for s, value, order in zip(sentences, answer_logits, order_logits, strict=True):
            s.answer_logit, s.score = float(value), float(order)
        if listing:
            self._lift_list_items(sentences)
        prefer_rows_naming(question, sentences)
        if asks_for_actor(question):
            labels = actor_labels(question)
            lift_naming(sentences, self._naming_someone(sentences, labels, besides=question))
        for s in sentences:
            # calibrated as the answer's confidence is: a citation's number means the same
            s.probability = self.scorer.confidence(s.answer_logit)
        return sorted(sentences, key=lambda s: -s.score)

    def _headings(self, doc_id: str) -> set[str]:
        """A document's headings (lower-cased): titles, not statements, so never evidence."""
        if doc_id not in self._heading_cache:
            self._heading_cache[doc_id] = {
                normalise(p.text).lower()
                for p in self.searcher.catalog.paragraphs(doc_id)
                if p.kind == "heading"
            }
        return self._heading_cache[doc_id]

    @staticmethod
    def _lift_list_items(sentences: list[Sentence]) -> None:
        """Items right after a well-matching list intro inherit most of the intro's score."""
        carry = None
        for s in sorted(sentences, key=lambda s: (s.chunk.id, s.start)):
            if s.follows_intro and carry is not None and carry.chunk.id == s.chunk.id:
                s.score = max(s.score, carry.score - 0.1)
                s.answer_logit = max(s.answer_logit, carry.answer_logit - 0.1)
            else:
                carry = None
            if is_intro(s.text):
                carry = s

    @staticmethod
    def select(sentences: list[Sentence], listing: bool, why: bool = False) -> list[Sentence]:
        """The best sentences within a margin of the best, near-duplicates removed.

        A list question whose best sentences include a list intro ("… seven areas:") gets the
        whole list: the intro and every item after it, however many. For a question that asks
        why, a first quote that draws a conclusion ("Derfor …") comes after its premise.
        """
        limit, margin = (MAX_LIST, LIST_MARGIN) if listing else (MAX_LOOKUP, LOOKUP_MARGIN)
        best = sentences[0].score
        if listing:
            for s in sentences[:limit]:
                if s.score < best - margin:
                    break
                whole = _whole_list(sentences, s)
                if len(whole) > 2:
                    return whole
                if lists_inline(s.text):
                    break  # it gives the list itself ("fire modeller: a, b, c og d"): no intro
                    # ranked below it brings its items instead
        chosen: list[Sentence] = []
        for s in sentences:
            if len(chosen) == limit or s.score < best - margin:
                break
            if any(_near_duplicate(s, c) for c in chosen):
                continue
            chosen.append(s)
        return _completed(sentences, chosen, why)

    def _verified(self, citations: Iterable[Citation]) -> tuple[list[Citation], int]:
        out, dropped = [], 0
        for citation in citations:
            fixed = self.checker.repair(citation)
            if fixed is None:
                dropped += 1
            else:
                self.recited += fixed.page != citation.page
                out.append(
                    replace(
                        fixed,
                        ocr=self.checker.is_ocr(fixed.doc_id, fixed.page),
                        footnotes=self.checker.footnotes(fixed),
                        unit=self.searcher.unit(fixed.doc_id),
                        printed_page=self.searcher.printed_page(fixed.doc_id, fixed.page),
                    )
                )
        return out, dropped

    def _abstain(
        self,
        question: str,
        lang: str,
        listing: bool,
        sentences: Sequence[Sentence],
        confidence: float,
        reason: str,
        dropped: int = 0,
    ) -> Answer:
        """No answer, with the closest sentences as leads: the best three, as an answer would
        quote them (on NorQuAD's abstained answerable questions they hold the answer more often
        than the best sentence of each of three passages: 107 against 89 of 162)."""
        leads: list[Sentence] = []
        for s in sentences:
            if len(leads) == LEADS:
                break
            if not any(_near_duplicate(s, lead) for lead in leads):
                leads.append(s)
        verified, more = self._verified(s.citation() for s in leads)
        return Answer(
            question,
            lang,
            message("no_answer", lang),
            True,
            [],
            verified,
            confidence,
            listing,
            dropped + more,
            reason,
        )


def _states_value(units: Iterable[str], sentence: Sentence) -> bool:
    return any(states_value_in(unit, sentence.text, sentence.header) for unit in units)


def _counts(noun: str, sentence: Sentence) -> bool:
    """Whether the sentence counts the noun: "120 elever", or a table row's figure under a
    column header that names it."""
    return states_count_of(noun, sentence.text) or (
        bool(sentence.header) and counts_in_column(noun, sentence.header, sentence.text)
    )


def _answering(question: str, chosen: Sequence[Sentence]) -> Sequence[Sentence]:
    """The quotes that should give what the question asks: the first, or any of them when the
    question asks two things (the first quote may answer the other ask)."""
    return chosen if asks_twice(question) else chosen[:1]


def _first_stating(
    states: Callable[[Sentence], bool],
    sentences: list[Sentence],
    margin: float,
    confidence_margin: float = math.inf,
) -> list[Sentence]:
    """Sentences within the margin of the best that state what is asked (a value in its unit,
    a count of its noun), first; `confidence_margin` also keeps them within that many of the
    confidence model's best logit."""
    best = sentences[0].score
    likeliest = max(s.answer_logit for s in sentences)
    close = [
        s
        for s in sentences
        if s.score >= best - margin and s.answer_logit >= likeliest - confidence_margin
    ]
    stating = [s for s in close if states(s)]
    if stating:
        lift = best - stating[0].score + 0.01  # above the rest, in their own order
        for s in stating:
            s.score += lift
    return sorted(sentences, key=lambda s: -s.score)


def _whole_list(sentences: Sequence[Sentence], intro: Sentence) -> list[Sentence]:
    """A list intro and the run of items right after it in its passage (just the intro if none).

    Only an intro that ends in a colon announces items to come; "In the following we describe
    three dimensions: a, b and c." already holds its list.
    """
    if not ANNOUNCES.search(intro.text):
        return [intro]
    after = sorted(
        (s for s in sentences if s.chunk.id == intro.chunk.id and s.start > intro.start),
        key=lambda s: s.start,
    )
    items: list[Sentence] = []
    for s in after:
        if not s.follows_intro or len(items) == MAX_LIST_ITEMS or is_intro(s.text):
            break
        items.append(s)
    return [intro, *items]


def _completed(
    sentences: Sequence[Sentence], chosen: Sequence[Sentence], why: bool = False
) -> list[Sentence]:
    """Each chosen sentence with what completes it, each part a quote cited on its own page.

    Before it, the head a page break cut off; after it, the rest on the next page, and the
    first item it announces when it ends in a colon ("… med disse tre tiltakene:" quoted alone
    leaves the reader with the colon). With `why`, a first quote that draws a conclusion
    ("Derfor …") comes after the sentence it draws it from: that one says why.
    """
    out: list[Sentence] = []

    def add(sentence: Sentence | None) -> None:
        if sentence is not None and not any(_same(sentence, o) for o in out):
            out.append(sentence)

    for s in chosen:
        if any(_same(s, o) for o in out):
            continue
        if why and not out and concludes(s.text):
            add(_sentence_before(s))
        add(_head_before_page_break(s))
        add(s)
        add(_rest_after_page_break(s))
        for item in _whole_list(sentences, s)[1:2]:
            add(item)
    return out


def _same(a: Sentence, b: Sentence) -> bool:
    return a.chunk.id == b.chunk.id and a.start == b.start


def _rest_after_page_break(s: Sentence) -> Sentence | None:
    """The first sentence of the next page's first paragraph, when it goes on with `s`."""
    text = s.chunk.text
    start = s.end + len(PARAGRAPH_SEP)
    if not text.startswith(PARAGRAPH_SEP, s.end) or start >= len(text):
        return None  # `s` does not end its paragraph, or ends the passage
    if s.chunk.page_at(start) != s.chunk.page_at(s.start) + 1 or not runs_on(s.text, text[start:]):
        return None
    span = next((span for span in passage_sentences(s.chunk) if span[0] == start), None)
    return replace(s, start=span[0], end=span[1], follows_intro=False) if span else None


def _sentence_before(s: Sentence) -> Sentence | None:
    """The sentence before `s` in its paragraph, when it is a sentence (not a label)."""
    span = sentence_before(s.chunk.text, passage_sentences(s.chunk), s.start)
    if span is None or word_count(s.chunk.text[span[0] : span[1]]) < MIN_WORDS:
        return None
    return replace(s, start=span[0], end=span[1], follows_intro=False)


def _head_before_page_break(s: Sentence) -> Sentence | None:
    """The last sentence of the previous page's last paragraph, when `s` goes on with it."""
    text = s.chunk.text
    end = s.start - len(PARAGRAPH_SEP)
    if end <= 0 or not text.startswith(PARAGRAPH_SEP, end):
        return None  # `s` does not open its paragraph, or opens the passage
    if s.chunk.page_at(end - 1) != s.chunk.page_at(s.start) - 1:
        return None
    span = next((span for span in passage_sentences(s.chunk) if span[1] == end), None)
    if span is None:
        return None
    head = text[span[0] : span[1]]
    # a short line ending a page is a label or furniture ("Fjordvik kommune"), not a sentence
    if word_count(head) < MIN_WORDS or not runs_on(head, s.text):
        return None
    return replace(s, start=span[0], end=span[1], follows_intro=False)


def _near_duplicate(a: Sentence, b: Sentence) -> bool:
    ta, tb = normalise(a.text).lower(), normalise(b.text).lower()
    if ta in tb or tb in ta:
        return True
    union = a.terms | b.terms
    return bool(union) and len(a.terms & b.terms) / len(union) >= DUPLICATE_JACCARD


def answer_questions(
    index_dir: Path,
    questions: Iterable[str],
    k: int | None = None,
    docs: Sequence[str] = (),
    area: str | None = None,
    filters=None,
    model: str | None = None,
    min_confidence: float | None = None,
) -> Iterator[Answer]:
    """Answers for many questions with one loaded index and model.

    `docs` (ids, paths or id prefixes) and `area` (an opportunity-area id) restrict the passages,
    as in search; `filters` (a search.Filters) is used as given when neither is set.
    Problems with the index or the filters raise AnswerError.
    """
    try:
        with Searcher(index_dir, model=model) as searcher:
            if docs or area:
                filters = searcher.make_filters(tuple(docs), area=area)
            answerer = Answerer(searcher, min_confidence=min_confidence)
            try:
                for question in questions:
                    if not question.strip():
                        raise AnswerError("empty question", 2)
                    yield answerer.answer(question, k=k, filters=filters)
            finally:
                answerer.close()
    except SearchError as err:
        raise AnswerError(str(err)) from None


def answer_question(
    index_dir: Path,
    question: str,
    k: int | None = None,
    docs: Sequence[str] = (),
    area: str | None = None,
    filters=None,
    model: str | None = None,
    min_confidence: float | None = None,
) -> Answer:
    """Answer one question from the evidence base in index_dir."""
    answers = answer_questions(index_dir, [question], k, docs, area, filters, model, min_confidence)
    return next(iter(answers))

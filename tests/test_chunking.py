"""Chunks respect sections, fit the encoder, overlap a little and point back at pages."""

from __future__ import annotations

import itertools

from policyminer.index.chunking import (
    ITEM_WORDS,
    MAX_TOKENS,
    body_text,
    column_headers,
    count_tokens,
    make_chunks,
    sentence_spans,
    split_sentences,
)
from policyminer.records import Paragraph


def section(number: str, title: str, page: int, sentences: int, parent: tuple[str, ...] = ()):
    heading = f"{number} {title}"
    path = (*parent, heading)
    paras = [Paragraph(page, heading, heading, path, "heading")]
    for i in range(sentences):
        text = (
            f"Avsnitt {i} i {title.lower()} beskriver hvordan kommunen kan bruke helsedata "
            "til å planlegge tjenester for innbyggerne. Det krever samarbeid mellom mange aktører."
        )
        paras.append(Paragraph(page + i // 4, text, heading, path))
    return paras


def test_chunks_never_cross_a_section_boundary() -> None:
    paras = section("4.3.1", "Foregangskommune", 10, 12) + section(
        "4.3.2", "Hjemmetjenester", 14, 12
    )
    body = body_text(paras)
    chunks = make_chunks(paras, body)
    assert {c.section for c in chunks} == {"4.3.1 Foregangskommune", "4.3.2 Hjemmetjenester"}
    for chunk in chunks:
        own = chunk.section.split()[-1].lower()
        other = ({"foregangskommune", "hjemmetjenester"} - {own}).pop()
        assert own in chunk.text.lower()
        assert other not in chunk.text.lower()


def test_chunks_fit_the_encoder_and_overlap_within_a_section() -> None:
    paras = section("2", "Drivere", 3, 30)
    chunks = make_chunks(paras, body_text(paras))
    assert len(chunks) > 2
    # packed to MAX_TOKENS; a later chunk restates the section heading on top
    heading = count_tokens("2 Drivere\n\n")
    assert all(count_tokens(c.text) <= MAX_TOKENS + heading + 5 for c in chunks)
    assert all(count_tokens(c.text) <= 512 for c in chunks)
    assert all(count_tokens(c.text) >= 150 for c in chunks[:-1])
    # the next chunk restates the section heading, then the closing sentence of the previous one
    for prev, nxt in itertools.pairwise(chunks):
        heading, _, text = nxt.text.partition("\n\n")
        assert heading == "2 Drivere"
        first_sentence = text.split(". ")[0]
        assert first_sentence in prev.text
        assert nxt.char_start < prev.char_end


def test_offsets_and_pages_point_back_into_the_body_text() -> None:
    paras = section("3", "Helsedata", 7, 10)
    body = body_text(paras)
    for n, chunk in enumerate(make_chunks(paras, body)):
        # a later chunk of the section opens with its heading restated, then its own text
        text = chunk.text if n == 0 else chunk.text.removeprefix("3 Helsedata\n\n")
        assert n == 0 or text != chunk.text
        first_para = text.split("\n\n")[0]
        assert body.text[chunk.char_start :].startswith(first_para)
        assert chunk.page_start == body.page_at(chunk.char_start)
        last_para = chunk.text.split("\n\n")[-1]
        assert chunk.page_at(len(chunk.text) - 1) == body.page_at(
            body.text.index(last_para, chunk.char_start)
        )


def test_an_over_long_paragraph_is_split_at_sentences() -> None:
    long = " ".join(f"Setning nummer {i} om samhandling i helsetjenesten." for i in range(120))
    paras = [
        Paragraph(1, "1 Tittel", "1 Tittel", ("1 Tittel",), "heading"),
        Paragraph(1, long, "1 Tittel", ("1 Tittel",)),
    ]
    chunks = make_chunks(paras, body_text(paras))
    assert len(chunks) >= 3
    assert all(c.text.rstrip().endswith(".") for c in chunks)


def test_footnotes_and_heading_only_sections_make_no_chunks() -> None:
    paras = [
        Paragraph(
            1, "4 Mulighetsområder", "4 Mulighetsområder", ("4 Mulighetsområder",), "heading"
        ),
        Paragraph(1, "4.1 Første", "4.1 Første", ("4 Mulighetsområder", "4.1 Første"), "heading"),
        Paragraph(
            1, "Innhold i første område.", "4.1 Første", ("4 Mulighetsområder", "4.1 Første")
        ),
        Paragraph(
            1,
            "12 https://example.org/rapport.pdf",
            "4.1 Første",
            ("4 Mulighetsområder", "4.1 Første"),
            "footnote",
        ),
    ]
    chunks = make_chunks(paras, body_text(paras))
    assert len(chunks) == 1
    assert "example.org" not in chunks[0].text


def test_a_footnote_that_states_something_is_chunked_after_the_text() -> None:
    path = ("2 Ferjer",)
    paras = [
        Paragraph(1, "2 Ferjer", "2 Ferjer", path, "heading"),
        Paragraph(1, "Sambanda i Nordbukta er dei same som i fjor.2", "2 Ferjer", path),
        Paragraph(
            1,
            "2 Nordbukta-sambandet har eigen takst frå 2024, sjølv om det går i same rute som "
            "Fjordvik-sambandet.",
            "2 Ferjer",
            path,
            "footnote",
        ),
        Paragraph(1, "3 Rapport 2021/14, Fjordvik kommune", "2 Ferjer", path, "footnote"),
        Paragraph(2, "Trafikken auka med fem prosent frå året før.", "2 Ferjer", path),
    ]
    chunks = make_chunks(paras, body_text(paras))
    # the text runs on past the foot of page 1; the note that states something is a chunk of
    # its own after it, the one that cites a source is not chunked
    assert [c.kind for c in chunks] == ["body", "note"]
    assert "Trafikken auka" in chunks[0].text and "eigen takst" not in chunks[0].text
    assert chunks[1].text.startswith("2 Nordbukta-sambandet") and chunks[1].page_start == 1
    assert not any("Rapport 2021/14" in c.text for c in chunks)


def test_sentence_splitting_knows_norwegian_abbreviations() -> None:
    text = (
        "Tiltaket koster ca. 3,1 mrd. kr. Det gjelder bl.a. Trondheim, f.eks. Heimdal. "
        "Fra 1. januar 2025 gjelder nye regler. Se kap. 4. Ferdig! Tallene står i kol. 5 og "
        "pkt. 3 i skjemaet. Møtet starter kl. 10 i morgen."
    )
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences == [
        "Tiltaket koster ca. 3,1 mrd. kr.",
        "Det gjelder bl.a. Trondheim, f.eks. Heimdal.",
        "Fra 1. januar 2025 gjelder nye regler.",
        "Se kap. 4.",
        "Ferdig!",
        "Tallene står i kol. 5 og pkt. 3 i skjemaet.",
        "Møtet starter kl. 10 i morgen.",
    ]


def test_road_and_property_numbers_and_abbreviated_prepositions_end_no_sentence() -> None:
    text = (
        "Krysset med fv. 204 skal bygges om. Tomten gnr. 12 bnr. 34 blir friområde. "
        "Arbeidet ble utsatt pga. Covid-19 og starter iflg. Statens vegvesen i 2026. "
        "Regjeringen la fram Prop. 1 S i oktober."
    )
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Krysset med fv. 204 skal bygges om.",
        "Tomten gnr. 12 bnr. 34 blir friområde.",
        "Arbeidet ble utsatt pga. Covid-19 og starter iflg. Statens vegvesen i 2026.",
        "Regjeringen la fram Prop. 1 S i oktober.",
    ]


def test_a_numbered_line_is_one_sentence_with_its_label() -> None:
    zones = "Planen deler kommunen i tre soner:\n1. «Sentrum\n2. Boligområdene i nord\n3. Havna»"
    assert [zones[s:e] for s, e in split_sentences(zones)] == [
        "Planen deler kommunen i tre soner:",
        "1. «Sentrum",
        "2. Boligområdene i nord",
        "3. Havna»",
    ]
    steps = "Tiltak:\na) Bygge ny bro.\nb) Rive den gamle. Arbeidet starter 1. mars."
    assert [steps[s:e] for s, e in split_sentences(steps)] == [
        "Tiltak:",
        "a) Bygge ny bro.",
        "b) Rive den gamle.",
        "Arbeidet starter 1. mars.",
    ]


def test_a_short_labelled_item_is_quoted_whole_and_a_long_one_by_its_sentences() -> None:
    # a provision's later sentences speak of its first one's subject without naming it
    long_item = "c) Uthus kan plasseres fritt på tomta. " + " ".join(
        f"Regel {n} gjelder for uthus som ligger nærmere enn {n} meter fra veien."
        for n in (4, 5, 6, 7, 8)
    )
    text = (
        "Bestemmelsene gjelder hele Fjordvik. De ble vedtatt i 2024.\n\n"
        "b) Garasjer skal ha saltak. Mønehøyden skal ikke overstige 5 meter.\n\n" + long_item
    )
    assert len(long_item.split()) > ITEM_WORDS
    units = [text[s:e] for s, e in sentence_spans(text)]
    assert units[:3] == [
        "Bestemmelsene gjelder hele Fjordvik.",
        "De ble vedtatt i 2024.",
        "b) Garasjer skal ha saltak. Mønehøyden skal ikke overstige 5 meter.",
    ]
    assert units[3] == "c) Uthus kan plasseres fritt på tomta." and len(units) == 9
    # a line that opens with a date is no item
    dated = "14. mai ble planen vedtatt. Den gjelder fra juni."
    assert [dated[s:e] for s, e in sentence_spans(dated)] == [
        "14. mai ble planen vedtatt.",
        "Den gjelder fra juni.",
    ]
    # the actor pass reads prose by its sentences still
    plain = [text[s:e] for s, e in sentence_spans(text, items=False)]
    assert "Mønehøyden skal ikke overstige 5 meter." in plain


def test_a_comment_tables_rows_are_quoted_a_sentence_at_a_time_and_data_rows_whole() -> None:
    table = (
        "Tema | Hva er gjort | Kommentar\n"
        "Gangvei | Kravet om tre meter er tatt inn. Snuplassen er flyttet slik at bussen kan "
        "vende. | Bredden er sikret, men kostnaden er uavklart. Det må avklares før høring.\n"
        "Sum alle fylker | 5 020 | 3,2 %\n"
        "Energi | Tre løsninger er vurdert. Disse utredes videre: 1. Fjernvarme 2. Varmepumpe "
        "med brønner 3. Solfangere på taket"
    )
    quoted = [table[s:e] for s, e in sentence_spans(table)]
    assert quoted == [
        "Tema | Hva er gjort | Kommentar",
        # the row's label cell stays with the first sentence after it
        "Gangvei | Kravet om tre meter er tatt inn.",
        "Snuplassen er flyttet slik at bussen kan vende.",
        "Bredden er sikret, men kostnaden er uavklart.",
        "Det må avklares før høring.",
        "Sum alle fylker | 5 020 | 3,2 %",
        "Energi | Tre løsninger er vurdert.",
        # an inline numbered list is one quote, not cut at each "n."
        "Disse utredes videre: 1. Fjernvarme 2. Varmepumpe med brønner 3. Solfangere på taket",
    ]


def test_a_list_announced_in_a_table_cell_is_one_quote_with_its_items() -> None:
    table = (
        "Tiltak | Tre tiltak følger planen:\n• Ny gangvei\n• Ny busslomme\n"
        "Energi | Løsningene er utredet.\nTo konsepter går videre:\n1. Fjernvarme\n2. Varmepumpe\n"
        "Sum | 3 | 4"
    )
    quoted = [table[s:e] for s, e in sentence_spans(table)]
    assert quoted == [
        "Tiltak | Tre tiltak følger planen:\n• Ny gangvei\n• Ny busslomme",
        "Energi | Løsningene er utredet.",
        "To konsepter går videre:\n1. Fjernvarme\n2. Varmepumpe",
        "Sum | 3 | 4",
    ]


def test_a_table_row_is_read_under_the_header_that_names_its_figures() -> None:
    text = (
        "Bruer i planområdet er vist under.\n\n"
        "Bru | Lengde | Eier\nB 1 | 40 m | Staten\nB 2 | 12 m | Fylket\n\n"
        "B 3 | 25 m | Kommunen\nB 4 | 8 m | Privat\n\n"  # the table goes on over the page
        "Tema | Vurdering\nSkole | God kapasitet\nIdrett | Ny hall trengs\n\n"
        "Sum | 85 | 4\n\nDen siste brua er ny.\n\nB 5 | 6 m | Privat\nB 6 | 7 m | Privat"
    )
    spans = sentence_spans(text)
    headers = column_headers(text, [s for s, _ in spans])
    read = {text[s:e]: header for (s, e), header in zip(spans, headers, strict=True)}
    assert read["B 2 | 12 m | Fylket"] == "Bru | Lengde | Eier"
    assert read["B 4 | 8 m | Privat"] == "Bru | Lengde | Eier"  # continued on the next page
    assert read["Bru | Lengde | Eier"] == ""  # the header itself
    assert read["Bruer i planområdet er vist under."] == ""
    # a first row that names no column of figures is data like the rest
    assert read["Skole | God kapasitet"] == ""
    # a table of another width, and one after running text, start afresh
    assert read["Sum | 85 | 4"] == "" and read["B 6 | 7 m | Privat"] == ""


def test_years_over_figures_head_a_time_series_but_a_first_row_of_figures_is_data() -> None:
    text = (
        "Sektor | 2020 | 2030\nTransport | 120,5 | 60\nBygg | 80 | 40\n\n"
        "Utslipp etter år er vist under.\n\n"
        "2019 | 45\n2020 | 50\n2021 | 52\n\n"  # years down the first column: no header
        "Skole | 2018 | 300\nHall | 2021 | 120\nBad | 2023 | 90"  # a year in the data
    )
    spans = sentence_spans(text)
    headers = column_headers(text, [s for s, _ in spans])
    read = {text[s:e]: header for (s, e), header in zip(spans, headers, strict=True)}
    assert read["Transport | 120,5 | 60"] == "Sektor | 2020 | 2030"
    assert read["2020 | 50"] == ""
    assert read["Hall | 2021 | 120"] == ""


def test_bullets_run_into_one_line_are_quoted_an_item_at_a_time() -> None:
    text = (
        "Mål: • Skolen får solceller på taket (s. 12) • Bussene går på strøm fra 2027 "
        "(s. 14) • Matavfallet blir til biogass (s. 20)\n\n"
        "Rutene Oslo • Bergen går hver time. Billettene kjøpes i appen."
    )
    quoted = [text[s:e] for s, e in sentence_spans(text)]
    assert "• Bussene går på strøm fra 2027 (s. 14)" in quoted
    assert "• Matavfallet blir til biogass (s. 20)" in quoted
    # one bullet alone separates names; it starts no item
    assert "Rutene Oslo • Bergen går hver time." in quoted
    # what the chunks hold is unchanged: only the quote units are cut
    assert split_sentences(text.split("\n\n")[0]) == [(0, len(text.split("\n\n")[0]))]

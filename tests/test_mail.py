"""E-mails saved as .eml: the message's own text, who sent it and when; made with the stdlib."""

from __future__ import annotations

from email.message import EmailMessage
from pathlib import Path

import pytest
from officetools import old_office_file

from policyminer.answer.answer import answer_question
from policyminer.ingest import ingest_paths
from policyminer.parse.mail import parse_eml
from policyminer.parse.pdf import ParseError
from policyminer.store.catalog import Catalog

SUBJECT = "Høringsinnspill til kommunedelplan for Nordvika havn"
OPINION = (
    "Kystlaget mener at småbåthavna bør flyttes til Sørbukta, fordi bølgene i Nordvika er for "
    "store om vinteren."
)


def make_mail(path: Path, html: bool = False, attachment: bool = True) -> Path:
    """A consultation response: hard-wrapped plain text (or HTML), the quoted message it answers
    below an Outlook history header, and a PDF attached."""
    message = EmailMessage()
    message["From"] = "Kari Nordmann <kari@kystlaget.example>"
    message["To"] = "Nordvika kommune <postmottak@nordvika.example>"
    message["Subject"] = SUBJECT
    message["Date"] = "Mon, 02 Mar 2026 09:15:00 +0100"
    wrapped = OPINION.replace(" fordi ", "\nfordi ")  # as a mail program wraps a long line
    text = (
        f"Hei!\n\n{wrapped}\n\nVennlig hilsen\nKari Nordmann\n\n"
        "Fra: Postmottak Nordvika kommune\nSendt: 1. februar 2026 10:00\n"
        "Emne: Høring\n\nKommunen ber om innspill innen 1. mars.\n"
        "> Eldre sitat som ingen skal lese.\n"
    )
    message.set_content(text)
    if html:  # as most mail programs send it: the same text as HTML beside it
        body = OPINION.replace(" fordi ", " <b>fordi</b> ")
        message.add_alternative(f"<html><body><p>Hei!</p><p>{body}</p></body></html>", "html")
    if attachment:
        message.add_attachment(
            b"%PDF-1.4 ...", maintype="application", subtype="pdf", filename="kart.pdf"
        )
    path.write_bytes(bytes(message))
    return path


def test_a_mail_is_its_own_text_under_its_subject_with_who_sent_it(tmp_path: Path) -> None:
    doc = parse_eml(make_mail(tmp_path / "innspill.eml"))
    assert doc.format == "eml" and doc.title == SUBJECT
    assert doc.publisher == "Kari Nordmann" and doc.year == 2026
    texts = [p.text for p in doc.paragraphs]
    assert texts[:3] == [
        SUBJECT,
        "E-post fra Kari Nordmann til Nordvika kommune, sendt 2. mars 2026.",
        "Hei!",
    ]
    assert OPINION in texts  # the wrapped lines joined
    # the message it answers is another message, quoted below: left out
    assert not any("innspill innen" in t or "Eldre sitat" in t for t in texts)
    assert doc.warnings == ["attachments not read: kart.pdf (save them to add them as documents)"]


def test_a_mail_with_a_plain_and_an_html_part_is_read_once(tmp_path: Path) -> None:
    doc = parse_eml(make_mail(tmp_path / "innspill.eml", html=True, attachment=False))
    assert [p.text for p in doc.paragraphs].count(OPINION) == 1 and not doc.warnings


def test_a_mail_sent_as_html_only_is_read_from_its_html(tmp_path: Path) -> None:
    message = EmailMessage()
    message["From"] = "Kari Nordmann <kari@kystlaget.example>"
    message["Subject"] = SUBJECT
    body = OPINION.replace(" fordi ", " <b>fordi</b> ")
    message.set_content(
        f"<html><head><style>p {{color: red}}</style></head><body><p>{body}</p>"
        "<div class='signature'><p>Sendt fra min mobil</p></div></body></html>",
        subtype="html",
    )
    path = tmp_path / "innspill.eml"
    path.write_bytes(bytes(message))
    texts = [p.text for p in parse_eml(path).paragraphs]
    assert OPINION in texts and not any("color" in t for t in texts)


def test_a_file_that_is_no_mail_is_one_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notat.eml"
    path.write_text("Bare litt tekst uten hoder.\n", encoding="utf-8")
    with pytest.raises(ParseError, match="not an e-mail"):
        parse_eml(path)


def test_a_mail_is_ingested_and_an_answer_cites_it(tmp_path: Path) -> None:
    make_mail(tmp_path / "innspill.eml")
    old_office_file(tmp_path / "svar.msg")  # Outlook's own format, no message in it
    index = tmp_path / "index"
    report = ingest_paths([tmp_path], index)
    assert report.count("added") == 1
    assert [r.path.name for r in report.failed] == ["svar.msg"]  # read now: tests/test_outlook.py
    (result,) = [r for r in report.results if r.status == "added"]
    assert result.warnings == (
        "attachments not read: kart.pdf (save them to add them as documents)",
    )
    with Catalog(index) as catalog:
        (doc,) = catalog.documents()
    answer = answer_question(index, "Hvor vil Kystlaget flytte småbåthavna?", docs=[doc.id])
    assert not answer.abstained and answer.citations[0].quote == OPINION
    assert answer.citations[0].section == SUBJECT and answer.citations[0].paged is False
    # who wrote or sent a letter is a question about the document, answered from its opening
    for question in ("Hvem sendte høringsinnspillet?", "Who wrote the e-mail?"):
        answer = answer_question(index, question, docs=[doc.id])
        assert answer.citations[0].quote.startswith("E-post fra Kari Nordmann til Nordvika")
    # and so is when it was sent: the opening sentence's date
    for question in ("Når ble innspillet sendt?", "When was the e-mail sent?"):
        answer = answer_question(index, question, docs=[doc.id])
        assert not answer.abstained
        assert answer.citations[0].quote.endswith("sendt 2. mars 2026.")


@pytest.mark.parametrize(
    "opening",
    [
        "On Mon, Mar 2, 2026 at 9:15 AM Postmottak <postmottak@nordvika.example> wrote:",
        "man. 2. mar. 2026 kl. 09:15 skrev Postmottak <postmottak@nordvika.example>:",
        "-----Opprinnelig melding-----",
        "---------- Forwarded message ---------",
    ],
)
def test_the_history_a_reply_quotes_is_left_out_however_it_opens(
    opening: str, tmp_path: Path
) -> None:
    message = EmailMessage()
    message["From"] = "Kari Nordmann <kari@kystlaget.example>"
    message["Subject"] = SUBJECT
    message.set_content(
        f"{OPINION}\n\nDette skrev kommunen i brevet:\n{opening}\nKommunen ber om innspill.\n"
    )
    path = tmp_path / "svar.eml"
    path.write_bytes(bytes(message))
    texts = [p.text for p in parse_eml(path).paragraphs]
    assert OPINION in texts and "Dette skrev kommunen i brevet:" in texts  # no date: own text
    assert not any("ber om innspill" in t for t in texts)


def test_an_english_mail_says_who_sent_it_in_english(tmp_path: Path) -> None:
    message = EmailMessage()
    message["From"] = "Jane Smith <jane@example.org>"
    message["Subject"] = "Comments on the harbour plan"
    message["Date"] = "Tue, 03 Mar 2026 14:00:00 +0000"
    message.set_content("We think the small-boat harbour should be moved to the south bay.")
    path = tmp_path / "comments.eml"
    path.write_bytes(bytes(message))
    assert parse_eml(path).paragraphs[1].text == "E-mail from Jane Smith, sent 3 March 2026."


@pytest.mark.parametrize(
    "history",
    [
        '<div class="gmail_quote"><div>man. 2. mar. 2026 skrev Postmottak:</div>'
        "<blockquote><p>Kommunen ber om innspill.</p></blockquote></div>",
        '<blockquote type="cite"><p>Kommunen ber om innspill.</p></blockquote>',
        '<div id="appendonsend"></div><hr><p><b>Fra:</b> Postmottak<br><b>Sendt:</b> 1. februar '
        "2026<br><b>Emne:</b> Høring</p><p>Kommunen ber om innspill.</p>",
        "<p>-----Original Message-----</p><p>Kommunen ber om innspill.</p>",
    ],
)
def test_the_history_an_html_reply_quotes_is_left_out(history: str, tmp_path: Path) -> None:
    message = EmailMessage()
    message["From"] = "Kari Nordmann <kari@kystlaget.example>"
    message["Subject"] = SUBJECT
    message.set_content(f"<html><body><p>{OPINION}</p>{history}</body></html>", subtype="html")
    path = tmp_path / "svar.eml"
    path.write_bytes(bytes(message))
    texts = [p.text for p in parse_eml(path).paragraphs]
    assert OPINION in texts and not any("ber om innspill" in t for t in texts)

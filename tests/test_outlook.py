"""Outlook messages saved as .msg: read as a saved e-mail is; written with aspose-email-foss."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from aspose.email_foss import msg
from officetools import old_office_file
from typer.testing import CliRunner

from policyminer.answer.answer import answer_question
from policyminer.cli import app
from policyminer.ingest import ingest_paths, supported_suffixes
from policyminer.parse.outlook import parse_msg
from policyminer.parse.pdf import ParseError
from policyminer.store.catalog import Catalog

runner = CliRunner()

SUBJECT = "Høringsinnspill om småbåthavn i Sørbukta"
OPINION = (
    "Kystlaget Sørbukta mener at småbåthavna bør bygges innenfor moloen i Sørbukta, fordi "
    "sjøen der ligger rolig også når det blåser fra nordvest."
)
HISTORY = "Kommunen ønsker innspill om plasseringen av småbåthavna før 1. mars."
OPENING = "E-post fra Kystlaget Sørbukta til Nordvika kommune, sendt 2. mars 2026."
WARNING = "attachments not read: situasjonskart.pdf (save them to add them as documents)"
# Outlook's own property ids (MS-OXPROPS) the package has no name for
CLIENT_SUBMIT_TIME, RTF_COMPRESSED, MESSAGE_CODEPAGE, ATTACHMENT_HIDDEN = (
    0x0039,
    0x1009,
    0x3FFD,
    0x7FFE,
)


def utc(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=dt.UTC)


def response(body: str = "", subject: str = SUBJECT, **kwargs: bool) -> msg.MapiMessage:
    """A message from the coastal society to the municipality, delivered 2 March 09:15."""
    message = msg.MapiMessage.create(subject, body, **kwargs)
    message.set_property(msg.PropertyId.SENDER_NAME, "Kystlaget Sørbukta")
    message.set_property(msg.PropertyId.SENDER_EMAIL_ADDRESS, "post@kystlaget-sorbukta.example")
    message.set_property(msg.PropertyId.MESSAGE_DELIVERY_TIME, utc(2, 8, 15))
    message.add_recipient("postmottak@nordvika.example", display_name="Nordvika kommune")
    return message


def make_msg(path: Path) -> Path:
    """A consultation response as Outlook saves a reply: plain text, the message it answers
    below Outlook's "Fra:"/"Sendt:" header, and a map attached."""
    body = (
        f"Hei!\r\n\r\n{OPINION}\r\n\r\nMed vennlig hilsen\r\nKystlaget Sørbukta\r\n\r\n"
        "Fra: Postmottak Nordvika kommune\r\nSendt: 2. februar 2026 10:00\r\n"
        f"Til: Kystlaget Sørbukta\r\nEmne: Høring\r\n\r\n{HISTORY}\r\n"
    )
    message = response(body)
    message.add_attachment("situasjonskart.pdf", b"%PDF-1.7 ...", mime_type="application/pdf")
    message.save(path)
    return path


def texts(path: Path) -> list[str]:
    return [p.text for p in parse_msg(path).paragraphs]


def test_a_message_is_its_own_text_under_its_subject_with_who_sent_it(tmp_path: Path) -> None:
    doc = parse_msg(make_msg(tmp_path / "innspill.msg"))
    assert doc.format == "msg" and doc.title == SUBJECT
    assert doc.publisher == "Kystlaget Sørbukta" and doc.year == 2026
    assert [p.text for p in doc.paragraphs][:4] == [SUBJECT, OPENING, "Hei!", OPINION]
    assert not any(HISTORY in p.text for p in doc.paragraphs)  # the message it answers
    assert doc.warnings == [WARNING]


def test_a_message_is_ingested_and_answers_cite_it_by_its_subject(tmp_path: Path) -> None:
    folder = tmp_path / "post"
    folder.mkdir()
    make_msg(folder / "innspill.msg")
    index = tmp_path / "index"
    report = ingest_paths([folder], index)
    (result,) = report.results
    assert result.status == "added" and result.warnings == (WARNING,)
    assert not report.skipped
    with Catalog(index) as catalog:
        (doc,) = catalog.documents()
        assert not any(HISTORY in c.text for c in catalog.chunks(doc.id))
    answer = answer_question(index, "Hvor bør småbåthavna bygges?", docs=[doc.id])
    assert not answer.abstained and answer.citations[0].quote == OPINION
    assert answer.citations[0].section == SUBJECT and answer.citations[0].paged is False
    answer = answer_question(index, "Hvem sendte høringsinnspillet?", docs=[doc.id])
    assert answer.citations[0].quote == OPENING


def test_an_english_message_in_a_western_code_page_says_who_sent_it_in_english(
    tmp_path: Path,
) -> None:
    # an older Outlook's file: 8-bit strings in the message's code page, not Unicode
    message = msg.MapiMessage.create(
        "Comments on the harbour in Sørbukta",
        "We think the small-boat harbour should be built behind the breakwater in Sørbukta.",
        unicode_strings=False,
    )
    message.set_property(MESSAGE_CODEPAGE, msg.PropertyTypeCode.PTYP_INTEGER32, 1252)
    message.set_property(msg.PropertyId.SENDER_NAME, "Jane Smith")
    message.set_property(msg.PropertyId.SENDER_EMAIL_ADDRESS, "jane@example.org")
    message.add_recipient("postmottak@nordvika.example", display_name="Nordvika kommune")
    message.add_recipient("plan@nordvika.example", display_name="Plan og bygg")
    # sent on 3 March, delivered the next morning: the day it was sent is the one a reader wants
    message.set_property(CLIENT_SUBMIT_TIME, msg.PropertyTypeCode.PTYP_TIME, utc(3, 14))
    message.set_property(msg.PropertyId.MESSAGE_DELIVERY_TIME, utc(4, 7))
    message.save(tmp_path / "comments.msg")
    doc = parse_msg(tmp_path / "comments.msg")
    assert doc.title == "Comments on the harbour in Sørbukta"
    assert doc.paragraphs[1].text == (
        "E-mail from Jane Smith to Nordvika kommune, Plan og bygg, sent 3 March 2026."
    )


def test_a_message_sent_just_after_midnight_is_dated_the_day_it_was_in_norway(
    tmp_path: Path,
) -> None:
    message = response(OPINION)
    message.set_property(CLIENT_SUBMIT_TIME, msg.PropertyTypeCode.PTYP_TIME, utc(1, 23, 30))
    message.save(tmp_path / "sent.msg")
    assert texts(tmp_path / "sent.msg")[1] == OPENING  # 00:30 on 2 March in Nordvika


def test_a_message_in_html_is_read_without_the_history_and_inline_images(
    tmp_path: Path,
) -> None:
    message = response()
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'
        f"</head><body><p>Hei!</p><p>{OPINION.replace(' fordi ', ' <b>fordi</b> ')}</p>"
        '<p><img src="cid:logo"></p><div id="appendonsend"></div><hr>'
        "<p><b>Fra:</b> Postmottak Nordvika kommune<br><b>Sendt:</b> 2. februar 2026<br>"
        f"<b>Emne:</b> Høring</p><p>{HISTORY}</p></body></html>"
    )
    # as Outlook saves it: the bytes in the code page its meta tag names, not UTF-8
    message.set_property(msg.PropertyId.BODY_HTML, html.encode("cp1252"))
    logo = message.add_attachment("image001.png", b"\x89PNG", content_id="logo")
    logo.set_property(ATTACHMENT_HIDDEN, msg.PropertyTypeCode.PTYP_BOOLEAN, True)
    message.save(tmp_path / "svar.msg")
    doc = parse_msg(tmp_path / "svar.msg")
    assert [p.text for p in doc.paragraphs][1:4] == [OPENING, "Hei!", OPINION]
    assert not any(HISTORY in p.text or "Postmottak" in p.text for p in doc.paragraphs)
    assert not doc.warnings  # the logo in the text is no attachment to add


def test_a_message_with_only_an_rtf_body_says_how_to_save_it(tmp_path: Path) -> None:
    message = response()
    message.set_property(RTF_COMPRESSED, msg.PropertyTypeCode.PTYP_BINARY, b"\x2d\x00" * 16)
    message.save(tmp_path / "rtf.msg")
    with pytest.raises(ParseError, match=r"^only an RTF body: save it as HTML or PDF$"):
        parse_msg(tmp_path / "rtf.msg")


def no_message(path: Path) -> Path:
    """An OLE file, as Word's and Excel's old files are, that holds no message."""
    stream = msg.MsgStream("WordDocument", bytes(5000))
    msg.MsgWriter.write_file(
        msg.MsgDocument(root=msg.MsgStorage("Root Entry", streams=[stream])), path
    )
    return path


def test_a_file_that_is_no_outlook_message_is_one_clear_error_and_the_index_keeps_its_own(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "post"
    folder.mkdir()
    make_msg(folder / "innspill.msg")
    index = tmp_path / "index"
    ingest_paths([folder], index)
    with Catalog(index) as catalog:
        before = catalog.counts()
    (folder / "notat.msg").write_text("Bare tekst.\n", encoding="utf-8")
    old_office_file(folder / "skadet.msg")  # the header of one, and nothing more
    no_message(folder / "regneark.msg")
    (folder / "innspill.msg").write_bytes(make_msg(tmp_path / "hel.msg").read_bytes()[:3000])
    result = runner.invoke(app, ["ingest", str(folder), "--index", str(index), "-q"])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    reasons = {
        "innspill.msg": "not an Outlook message (a damaged OLE file",  # cut off while copied
        "notat.msg": "not an Outlook message (not an OLE compound file)",
        "regneark.msg": "not an Outlook message (an OLE file without message properties)",
        "skadet.msg": "not an Outlook message (a damaged OLE file",
    }
    assert len(errors) == len(reasons)
    for name, reason in reasons.items():
        assert any(f"{name}: {reason}" in line for line in errors), name
    with Catalog(index) as catalog:
        assert catalog.counts() == before
        (doc,) = catalog.documents()
        assert any(OPINION in c.text for c in catalog.chunks(doc.id))


def test_ingest_lists_outlook_messages_among_the_types_it_reads(tmp_path: Path) -> None:
    assert ".msg" in supported_suffixes()
    folder = tmp_path / "tom"
    folder.mkdir()
    result = runner.invoke(app, ["ingest", str(folder), "--index", str(tmp_path / "index")])
    assert result.exit_code == 2
    assert ".msg" in " ".join(result.stderr.split()).split("no supported files (")[1]

"""E-mails saved as files (.eml) → ParsedDocument: the subject is the title and the section.

Consultation responses and letters reach a municipality by e-mail. The message's own text is
read (its plain-text part, else the main text of its HTML part); a sentence saying who sent it
to whom and when opens it, so a question for the sender or the date is answered from it. The
history a reply quotes (">" lines, and everything from an "Original message" or "On … wrote:"
line on) is another message, and is left out. Attachments are not read: a warning names them,
to be saved and added as files of their own. `parse.outlook` reads Outlook's .msg files into
the same `Mail` and shares all of this.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from policyminer.lang import EN, NB, detect_language
from policyminer.parse.pdf import ParseError
from policyminer.parse.sections import SectionBuilder
from policyminer.parse.textclean import join_lines, normalize_text
from policyminer.parse.webpage import read_html
from policyminer.records import Paragraph, ParsedDocument

__all__ = ["Mail", "mail_document", "parse_eml"]

# where a reply's quoted history starts, as mail programs write it in Norwegian and English
HISTORY = re.compile(
    r"^\s*(?:-{2,}\s*(?:original message|opprinnelig melding|videresendt melding|forwarded "
    r"message)\s*-{2,}|_{20,})\s*$",
    re.IGNORECASE,
)
# "On Mon, 2 Mar 2026 at 09:15, Kari <kari@…> wrote:", "2. mar. 2026 kl. 09:15 skrev Kari …:":
# a line that says who wrote what follows, with a date in it
WROTE = re.compile(r"^(?=.*\d).{0,200}\b(?:wrote|skrev|skreiv)\b.{0,120}:\s*$", re.IGNORECASE)
# Outlook's history header: "Fra: …" then "Sendt: …" (or "From: …", "Sent: …") on the next line
OUTLOOK_FROM = re.compile(r"^\s*(?:fra|from)\s*:\s*\S", re.IGNORECASE)
OUTLOOK_SENT = re.compile(r"^\s*(?:sendt|sent|dato|date)\s*:\s*\S", re.IGNORECASE)


@dataclass(frozen=True)
class Mail:
    """What a saved e-mail says, whatever program saved it."""

    subject: str
    sender: str  # names where the message gives them, else addresses
    recipients: str
    sent: str  # ISO date and time, "" when unknown
    body: str  # the message's text, "" when it has none
    html: bool  # whether `body` is HTML
    attachments: Sequence[str] = ()


def parse_eml(path: Path, sha256: str | None = None) -> ParsedDocument:
    """A saved e-mail: a sentence saying who sent it to whom and when, then its own text;
    attachments named in a warning."""
    path = Path(path)
    try:
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    except OSError as err:
        raise ParseError(f"cannot read: {err.strerror or err}") from err
    if not isinstance(message, EmailMessage) or not (message["from"] or message["subject"]):
        raise ParseError("not an e-mail (no From or Subject header)")
    body, html = _body(message)
    mail = Mail(
        subject=normalize_text(str(message["subject"] or "")) or path.stem,
        sender=_names(message["from"]),
        recipients=_names(message["to"]),
        sent=_date(message),
        body=body,
        html=html,
        attachments=[part.get_filename() or "(unnamed)" for part in message.iter_attachments()],
    )
    return mail_document(mail, path, sha256, "eml")


def mail_document(mail: Mail, path: Path, sha256: str | None, fmt: str) -> ParsedDocument:
    """The e-mail as a document: its subject the title and the section, a sentence saying who
    sent it to whom and when, then its own text; attachments named in a warning."""
    builder = SectionBuilder()
    builder.heading(1, mail.subject)
    if mail.html:
        add_html_body(mail.body, builder)
    else:
        add_plain_body(mail.body, builder)
    if len(builder.paragraphs) <= 1:  # the subject only
        raise ParseError("no text in the e-mail (attachments only?)")
    language = detect_language(" ".join(p.text for p in builder.paragraphs[1:]))
    opening = opening_sentence(mail.sender, mail.recipients, mail.sent, language)
    builder.paragraphs.insert(1, replace(builder.paragraphs[0], text=opening, kind="body"))
    parsed = builder.document(path, sha256, mail.subject, fmt, mail.sender, mail.sent)
    if mail.attachments:
        parsed.warnings.append(attachments_warning(mail.attachments))
    return parsed


def attachments_warning(names: Sequence[str]) -> str:
    """The warning that names the attachments, which are not read."""
    return f"attachments not read: {', '.join(names)} (save them to add them as documents)"


MONTHS = {
    NB: "januar februar mars april mai juni juli august september oktober november desember",
    EN: "January February March April May June July August September October November December",
}


def opening_sentence(sender: str, recipients: str, sent: str, language: str) -> str:
    """Who sent the message to whom, and when (`sent`: an ISO date), as a sentence in the
    message's language ("E-post fra Kari Nordmann til Nordvika kommune, sendt 2. mars 2026."):
    a question for the sender or the date meets it as it meets the text."""
    english = language == EN
    line = f"{'E-mail from' if english else 'E-post fra'} {sender}"
    if recipients:
        line += f" {'to' if english else 'til'} {recipients}"
    if sent:
        day = dt.date.fromisoformat(sent[:10])
        month = MONTHS[EN if english else NB].split()[day.month - 1]
        when = f"{day.day} {month} {day.year}" if english else f"{day.day}. {month} {day.year}"
        line += f", {'sent' if english else 'sendt'} {when}"
    return f"{line}."


def _names(header: object) -> str:
    """The people or addresses a header names, by name where it gives one."""
    found = getaddresses([str(header or "")])
    return ", ".join(normalize_text(name) or address for name, address in found if name or address)


def _date(message: EmailMessage) -> str:
    try:
        return parsedate_to_datetime(str(message["date"])).isoformat() if message["date"] else ""
    except (TypeError, ValueError):  # a date header no one can read
        return ""


def _body(message: EmailMessage) -> tuple[str, bool]:
    """The message's own text, and whether it is HTML: its plain-text part, else its HTML
    part ("" when it has neither)."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return "", False
    try:
        content = part.get_content()
    except (LookupError, ValueError):  # an unknown charset: read it as Latin-1
        content = part.get_payload(decode=True).decode("latin-1", errors="replace")
    return content, part.get_content_subtype() == "html"


def add_plain_body(text: str, builder: SectionBuilder) -> None:
    """A plain-text body's own paragraphs, before the history a reply quotes."""
    for paragraph in _own_paragraphs(text):
        builder.add("body", paragraph)


def add_html_body(html: str, builder: SectionBuilder) -> None:
    """An HTML body's main text, without the blocks and the history a reply quotes."""
    own = SectionBuilder(page=builder.page, path=list(builder.path))
    read_html(_without_quoted_html(html), own)
    builder.paragraphs += _before_history(own.paragraphs)
    builder.page = own.page


# where mail programs put the message a reply quotes in HTML: Apple Mail and Thunderbird's cited
# blockquote, Gmail's quote block, Outlook's reply header and what it appends after it
QUOTED_HTML = "blockquote[type=cite], .gmail_quote, #divRplyFwdMsg, #appendonsend"


def _without_quoted_html(html: str) -> str:
    from selectolax.lexbor import LexborHTMLParser  # as the web page reader does

    tree = LexborHTMLParser(html)
    appended = tree.css_first("#appendonsend")
    if appended is not None:  # Outlook writes the history after this marker, not inside it
        for later in list(_following(appended)):
            later.decompose()
    for node in tree.css(QUOTED_HTML):
        node.decompose()
    return tree.html or html


def _following(node) -> Iterator:
    """The nodes after `node` in its parent, and after each of its ancestors in theirs."""
    while node is not None:
        sibling = node.next
        while sibling is not None:
            yield sibling
            sibling = sibling.next
        node = node.parent


def _opens_history(line: str) -> bool:
    """Whether a reply's history starts at this line ("-----Original Message-----", "… wrote:")."""
    return bool(HISTORY.match(line) or WROTE.match(line))


def _before_history(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """The paragraphs before the first that opens a reply's history (see `_opens_history`; an
    HTML message's paragraph holds Outlook's header whole: "Fra: … Sendt: … Til: …")."""
    for i, paragraph in enumerate(paragraphs):
        if _opens_history(paragraph.text.split("\n", 1)[0]) or _outlook_header(paragraph.text):
            return paragraphs[:i]
    return paragraphs


def _outlook_header(text: str) -> bool:
    """Outlook's history header read as one paragraph: "Fra: … Sendt: … Til: … Emne: …"."""
    return bool(OUTLOOK_FROM.match(text)) and bool(
        re.search(r"\b(?:sendt|sent)\s*:", text, re.IGNORECASE)
    )


def _own_paragraphs(text: str) -> list[str]:
    """Paragraphs (parted by blank lines, hard-wrapped lines joined) of the message's own text,
    before the history a reply quotes."""
    lines = text.replace("\r\n", "\n").split("\n")
    own: list[str] = []
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if _opens_history(line) or (OUTLOOK_FROM.match(line) and OUTLOOK_SENT.match(following)):
            break
        if not line.lstrip().startswith(">"):
            own.append(line)
    blocks = re.split(r"\n\s*\n", "\n".join(own))
    return [join_lines(block.split("\n")) for block in blocks if block.strip()]

"""Outlook messages saved as files (.msg) → ParsedDocument, read as `parse.mail` reads an .eml.

Staff save e-mails from Outlook by drag-and-drop. Such a file is an OLE compound file
(MS-OXMSG) holding the message's MAPI properties (MS-OXPROPS): one stream
`__substg1.0_PPPPTTTT` for each variable-size property (id PPPP, type TTTT), and one 16-byte
entry of the `__properties_version1.0` stream for each fixed-size one (times, numbers); each
attachment is a storage of its own. The subject, the sender, the recipients, the time it was
sent, the plain-text or HTML body and the attachments' names make a `Mail`; `parse.mail`
does the rest.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
import struct
from collections.abc import Iterable
from email.utils import getaddresses
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import olefile

from policyminer.parse.mail import Mail, mail_document
from policyminer.parse.pdf import ParseError
from policyminer.parse.textclean import normalize_text
from policyminer.records import ParsedDocument

__all__ = ["parse_msg"]

# property ids (MS-OXPROPS)
SUBJECT = 0x0037  # PidTagSubject
CLIENT_SUBMIT_TIME = 0x0039  # PidTagClientSubmitTime: when the sender sent it
SENDER_NAME = 0x0C1A  # PidTagSenderName
SENDER_EMAIL = 0x0C1F  # PidTagSenderEmailAddress: SMTP, or Exchange's "/O=…" address
SENDER_SMTP = 0x5D01  # PidTagSenderSmtpAddress
DISPLAY_CC = 0x0E03  # PidTagDisplayCc
DISPLAY_TO = 0x0E04  # PidTagDisplayTo: the names, parted by ";"
DELIVERY_TIME = 0x0E06  # PidTagMessageDeliveryTime: when it arrived
BODY = 0x1000  # PidTagBody
RTF_COMPRESSED = 0x1009  # PidTagRtfCompressed
HTML = 0x1013  # PidTagHtml (binary) or PidTagBodyHtml (string)
DISPLAY_NAME = 0x3001  # PidTagDisplayName: an attached message's subject
ATTACH_FILENAME = 0x3704  # PidTagAttachFilename (8.3)
ATTACH_LONG_FILENAME = 0x3707  # PidTagAttachLongFilename
INTERNET_CPID = 0x3FDE  # PidTagInternetCodepage: the body's code page
MESSAGE_CODEPAGE = 0x3FFD  # PidTagMessageCodepage: the 8-bit strings' code page
ATTACHMENT_HIDDEN = 0x7FFE  # PidTagAttachmentHidden: an HTML body's inline image

# property types
UNICODE, STRING8, BINARY, TIME, INTEGER32, BOOLEAN = 0x001F, 0x001E, 0x0102, 0x0040, 0x0003, 0x000B

PROPERTIES = "__properties_version1.0"
ATTACHMENT = "__attach_version1.0_#"
# the properties stream's header: 32 bytes on the message, 8 on an attachment (MS-OXMSG 2.4)
MESSAGE_HEADER, ATTACHMENT_HEADER = 32, 8
FILETIME_EPOCH = dt.datetime(1601, 1, 1, tzinfo=dt.UTC)
META_CHARSET = re.compile(rb"<meta[^>]{0,200}?charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)


def parse_msg(path: Path, sha256: str | None = None) -> ParsedDocument:
    """A saved Outlook message: a sentence saying who sent it to whom and when, then its own
    text; attachments named in a warning."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            ole_file = file.read(len(olefile.MAGIC)) == olefile.MAGIC
    except OSError as err:
        raise ParseError(f"cannot read: {err.strerror or err}") from err
    if not ole_file:
        raise ParseError("not an Outlook message (not an OLE compound file)")
    try:
        with olefile.OleFileIO(str(path)) as ole:
            mail = _read(ole, path)
    except (OSError, ValueError, IndexError, struct.error) as err:  # olefile on a damaged file
        raise ParseError(f"not an Outlook message (a damaged OLE file: {err})") from err
    return mail_document(mail, path, sha256, "msg")


def _read(ole: olefile.OleFileIO, path: Path) -> Mail:
    """The message's subject, people, time, body and attachments."""
    if not _is_stream(ole, PROPERTIES):  # a Word or Excel file renamed, say
        raise ParseError("not an Outlook message (an OLE file without message properties)")
    fixed = _fixed(ole, PROPERTIES, MESSAGE_HEADER)
    codepage = _codec(_integer(fixed, MESSAGE_CODEPAGE) or _integer(fixed, INTERNET_CPID))

    def string(prop: int) -> str:
        return _string(ole, prop, codepage)

    body, html = string(BODY), False
    if not body.strip():
        body, html = _html(ole, fixed, codepage), True
    if not body.strip() and _is_stream(ole, _stream_name(RTF_COMPRESSED, BINARY)):
        raise ParseError("only an RTF body: save it as HTML or PDF")
    address = string(SENDER_SMTP) or string(SENDER_EMAIL)
    if "@" not in address:  # an Exchange address ("/O=…/CN=…") names no one a reader knows
        address = ""
    return Mail(
        subject=normalize_text(string(SUBJECT)) or path.stem,
        sender=normalize_text(string(SENDER_NAME)) or address,
        recipients=_display_names(string(DISPLAY_TO) or string(DISPLAY_CC)),
        sent=_time(fixed, CLIENT_SUBMIT_TIME) or _time(fixed, DELIVERY_TIME),
        body=body,
        html=html,
        attachments=_attachments(ole, codepage),
    )


def _string(ole: olefile.OleFileIO, prop: int, codepage: str | None, prefix: str = "") -> str:
    """A string property of the message (or of the attachment under `prefix`), stored as
    Unicode or as 8-bit text in the message's code page; "" when it has none."""
    raw = _read_stream(ole, prefix + _stream_name(prop, UNICODE))
    if raw is not None:
        return raw.decode("utf-16-le", errors="replace").split("\x00", 1)[0]
    raw = _read_stream(ole, prefix + _stream_name(prop, STRING8))
    return "" if raw is None else _decode(raw.split(b"\x00", 1)[0], [codepage])


def _html(ole: olefile.OleFileIO, fixed: dict[int, tuple[int, bytes]], codepage: str | None) -> str:
    """The HTML body: binary in the charset its meta tag or the message names, or a string."""
    raw = _read_stream(ole, _stream_name(HTML, BINARY))
    if raw is None:
        return _string(ole, HTML, codepage)
    meta = META_CHARSET.search(raw[:4096])
    named = meta.group(1).decode("ascii", errors="replace") if meta else None
    return _decode(raw.rstrip(b"\x00"), [named, _codec(_integer(fixed, INTERNET_CPID)), "utf-8"])


def _attachments(ole: olefile.OleFileIO, codepage: str | None) -> list[str]:
    """The attachments' file names (an attached message by its subject), inline images left
    out: they are a signature's logo or a picture the text shows, not documents."""
    storages = sorted(
        entry[0]
        for entry in ole.listdir(streams=False, storages=True)
        if len(entry) == 1 and entry[0].startswith(ATTACHMENT)
    )
    names = []
    for storage in storages:
        if _boolean(_fixed(ole, f"{storage}/{PROPERTIES}", ATTACHMENT_HEADER), ATTACHMENT_HIDDEN):
            continue
        props = (ATTACH_LONG_FILENAME, ATTACH_FILENAME, DISPLAY_NAME)
        found = (_string(ole, prop, codepage, f"{storage}/").strip() for prop in props)
        names.append(next((name for name in found if name), "(unnamed)"))
    return names


def _stream_name(prop: int, kind: int) -> str:
    return f"__substg1.0_{prop:04X}{kind:04X}"


def _is_stream(ole: olefile.OleFileIO, name: str) -> bool:
    return ole.exists(name) and ole.get_type(name) == olefile.STGTY_STREAM


def _read_stream(ole: olefile.OleFileIO, name: str) -> bytes | None:
    """The stream's bytes, None when the message lacks it (most properties are optional)."""
    return ole.openstream(name).read() if _is_stream(ole, name) else None


def _fixed(ole: olefile.OleFileIO, name: str, header: int) -> dict[int, tuple[int, bytes]]:
    """The fixed-size properties of a properties stream: id → (type, 8-byte value)."""
    data = _read_stream(ole, name) or b""
    found: dict[int, tuple[int, bytes]] = {}
    for offset in range(header, len(data) - 15, 16):
        tag, _flags, value = struct.unpack_from("<II8s", data, offset)
        found[tag >> 16] = (tag & 0xFFFF, value)
    return found


def _integer(fixed: dict[int, tuple[int, bytes]], prop: int) -> int | None:
    kind, value = fixed.get(prop, (0, b""))
    return int.from_bytes(value[:4], "little") if kind == INTEGER32 else None


def _boolean(fixed: dict[int, tuple[int, bytes]], prop: int) -> bool:
    kind, value = fixed.get(prop, (0, b"\x00"))
    return kind == BOOLEAN and value[0] != 0


def _time(fixed: dict[int, tuple[int, bytes]], prop: int) -> str:
    """A FILETIME property as an ISO date and time in Norway's time zone ("" when none): the
    file holds UTC, and a reply sent at 00:30 on 2 March was sent on 2 March where it was
    written, not 1 March (a consultation's deadline may turn on it)."""
    kind, value = fixed.get(prop, (0, b""))
    ticks = int.from_bytes(value, "little") if kind == TIME else 0
    if not ticks:
        return ""
    try:
        when = FILETIME_EPOCH + dt.timedelta(microseconds=ticks // 10)
    except OverflowError:  # no date anyone could have sent it on
        return ""
    try:
        return when.astimezone(ZoneInfo("Europe/Oslo")).isoformat()
    except ZoneInfoNotFoundError:  # no time zone data here (Windows without tzdata): UTC
        return when.isoformat()


def _codec(codepage: int | None) -> str | None:
    """Python's name for a Windows code page number (65001 UTF-8, 1252 Western, …), if known."""
    if not codepage:
        return None
    named = {65001: "utf-8", 1200: "utf-16-le", 20127: "ascii"}
    name = named.get(codepage) or (
        f"iso8859_{codepage - 28590}" if 28591 <= codepage <= 28605 else f"cp{codepage}"
    )
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode(raw: bytes, encodings: Iterable[str | None]) -> str:
    """The text in the first of `encodings` that decodes it, else in Windows' Western one."""
    for encoding in encodings:
        if encoding:
            try:
                return raw.decode(encoding)
            except (LookupError, UnicodeDecodeError):  # a wrong or unknown charset named
                continue
    return raw.decode("cp1252", errors="replace")


def _display_names(display: str) -> str:
    """The names in a display list, parted by commas: Outlook parts names by ";" ("Nordmann,
    Kari; Nordvika kommune"), other programs write addresses ("Kari <kari@…>, …")."""
    names = []
    for part in display.split(";"):
        found = getaddresses([part]) if "<" in part else [(part, "")]
        names += [normalize_text(name) or address for name, address in found if name or address]
    return ", ".join(name for name in names if name)

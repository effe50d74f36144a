"""PowerPoint decks (.pptx, shows and templates too) → ParsedDocument: a slide is a page, its
title the section.

Reads each slide's title, text placeholders and text boxes in reading order (rows top to
bottom, left to right within a row), grouped shapes, tables as rows, charts' titles and data (a
row per category) and SmartArt's text; the speaker notes come after the slide's own text as
kind "box" (what the presenter says about the slide, kept apart from what it shows). Where the
deck is divided into PowerPoint sections, a slide's section path is its section's name, then
its title. Slides are numbered as PowerPoint numbers them, hidden ones included, so a
citation's page is the slide a reader turns to. Date, footer and slide-number placeholders, and
a short line typed on most slides (an organisation's name in a corner), are furniture and left
out.

Pictures (also in groups and picture placeholders) that cover at least a tenth of their slide,
a screenshot of a table, a scanned letter, an infographic, are read by OCR (Tesseract, as a
scanned PDF page is) unless ParseOptions.ocr is off: their paragraphs stand where the picture
stands, as kind "body", and the slide counts as read by OCR. A low-resolution picture is scaled
up to read as if scanned at 300 dpi at the size the slide shows it. Logos and icons, pictures
too small to hold text, a picture pasted on most slides (furniture), and photos (mostly dark or
mid-tone pictures, as a PDF's photo pages are) are not read. Each image is read once, however
many slides show it, at about a second a picture, side by side on the machine's cores.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from policyminer.parse.pdf import ParseError
from policyminer.parse.pictures import (
    EMU_PER_INCH,
    Picture,
    PictureReading,
    covers_enough,
    enough_pixels,
    read_pictures,
    short_reason,
)
from policyminer.parse.sections import SectionBuilder, table_text
from policyminer.parse.textclean import normalize_text
from policyminer.parse.word import chosen_title, unreadable_package
from policyminer.records import ParsedDocument, ParseOptions, page_ranges

__all__ = ["PPTX_SUFFIXES", "parse_pptx", "section_title"]

# what python-pptx reads: presentations, macro-enabled ones, and shows (opened as presentations)
PPTX_SUFFIXES = frozenset({".pptx", ".pptm", ".ppsx"})

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
DGM = "{http://schemas.openxmlformats.org/drawingml/2006/diagram}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
DIAGRAM_URI = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
P14 = "{http://schemas.microsoft.com/office/powerpoint/2010/main}"

CONTENT_TYPES = "[Content_Types].xml"
PRESENTATION_MAIN_TYPE = (
    b"application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
)
# the main parts of a show (.ppsx), a template (.potx) and their macro-enabled kin, which hold
# slides as a presentation's does
OTHER_MAIN_TYPES = (
    b"application/vnd.openxmlformats-officedocument.presentationml.slideshow.main+xml",
    b"application/vnd.openxmlformats-officedocument.presentationml.template.main+xml",
    b"application/vnd.ms-powerpoint.slideshow.macroEnabled.main+xml",
    b"application/vnd.ms-powerpoint.template.macroEnabled.main+xml",
)

# shapes whose tops lie within this share of the slide's height read as one row, left to right
ROW_BAND = 0.05
# a line of up to this many words typed on most slides (at least FURNITURE_SLIDES of them) is
# the deck's furniture, as a running footer is a report's
FURNITURE_WORDS = 12
FURNITURE_SLIDES = 3
FRONT_SLIDES = 2  # where a deck prints its title

DEFAULT_SLIDE = (9_144_000, 6_858_000)  # a 4:3 slide, in EMU, where a deck states no size
PICTURE = "picture"  # a picture's place among its slide's paragraphs, its image's sha1 the text


def parse_pptx(
    path: Path, sha256: str | None = None, options: ParseOptions | None = None
) -> ParsedDocument:
    """A slide deck: a page per slide, titled by the slide's title; notes as kind "box";
    pictures of text read by OCR unless `options.ocr` is off."""
    from pptx import Presentation  # python-pptx; imported here since only decks need it

    path = Path(path)
    try:
        deck = Presentation(_as_presentation(path))
    except Exception as err:  # a zip that is no deck, or a damaged one
        problem = unreadable_package(path, err, "PowerPoint", ".pptx", "presentation")
        raise ParseError(f"not a readable PowerPoint file: {problem}") from err
    builder, warnings, pictures = _read_slides(deck, options or ParseOptions())
    if not builder.paragraphs:
        raise ParseError(pictures.no_text_reason("no text found in the slides"))
    properties = deck.core_properties
    first_title = next((p.text for p in builder.paragraphs if p.kind == "heading"), "")
    front = [p.text for p in builder.paragraphs if p.page <= FRONT_SLIDES]
    title = chosen_title((properties.title or "").strip(), first_title, front, path)
    created = properties.created.isoformat() if properties.created else ""
    fmt = path.suffix.lower().lstrip(".") or "pptx"
    parsed = builder.document(path, sha256, title, fmt, properties.author or "", created)
    parsed.warnings.extend(warnings)
    parsed.page_layouts.update(dict.fromkeys(pictures.read_on, "ocr"))
    return parsed


def _as_presentation(path: Path) -> str | io.BytesIO:
    """The deck as python-pptx opens it: a show (.ppsx) or a template (.potx) is a presentation
    whose main part is declared otherwise, which python-pptx refuses; a copy in memory declares
    it a presentation."""
    try:
        with zipfile.ZipFile(path) as package:
            types = package.read(CONTENT_TYPES)
            if not any(kind in types for kind in OTHER_MAIN_TYPES):
                return str(path)
            copy = io.BytesIO()
            with zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as out:
                for item in package.infolist():
                    data = package.read(item.filename)
                    if item.filename == CONTENT_TYPES:
                        for kind in OTHER_MAIN_TYPES:
                            data = data.replace(kind, PRESENTATION_MAIN_TYPE)
                    out.writestr(item, data)
    except (zipfile.BadZipFile, KeyError):  # python-pptx says what is wrong
        return str(path)
    copy.seek(0)
    return copy


def _read_slides(deck, options: ParseOptions) -> tuple[SectionBuilder, list[str], PictureReading]:
    """Every slide's paragraphs on its page, under its section's name and its title, what OCR
    read in its pictures where they stand; the deck's furniture left out. A slide that cannot
    be read is left empty and named in a warning: one slide's fault never loses the deck."""
    slides: list[list[tuple[str, str]]] = []
    warnings = []
    width, height = deck.slide_width or DEFAULT_SLIDE[0], deck.slide_height or DEFAULT_SLIDE[1]
    found = _Pictures(width * height)
    for number, slide in enumerate(deck.slides, 1):
        try:
            slides.append(list(_slide_paragraphs(slide, height, found)))
        except Exception as err:  # a damaged shape: python-pptx raises what its XML gives
            slides.append([])
            warnings.append(f"slide {number}: could not be read, left out ({short_reason(err)})")
    pictures, said = _read_pictures(slides, found.found, options)
    warnings += said
    furniture = _furniture(slides)
    parts = _deck_sections(deck)
    builder = SectionBuilder()
    previous: str | None = None
    for number, (slide, paragraphs) in enumerate(zip(deck.slides, slides, strict=True), 1):
        builder.page = number
        part = parts.get(slide.slide_id, "")
        if part != previous:  # an untitled slide goes on under the title before it, but a
            builder.path = [(1, part)] if part else []  # new section starts afresh
            previous = part
        for kind, text in paragraphs:
            if kind == "heading":
                title = section_title(text)
                builder.path = [*([(1, part)] if part else []), (2, title)]
            if kind == PICTURE:
                pictures.place(builder, text)
            elif (kind, text) not in furniture:
                builder.add(kind, text)
    builder.page = max(len(slides), 1)
    return builder, warnings, pictures


# a slide that goes on from the one before says so after its title: "Tiltak (forts.)",
# "Tiltak – fortsettelse", "Measures (cont.)", "Tiltak (2/3)", "Tiltak, 2 av 3"
_MARK = r"(?:forts(?:\.|ettelse|etjing)?|cont(?:\.|inued)?|\d{1,2}\s*(?:/|av|of)\s*\d{1,2})"
_CONTINUED = re.compile(
    rf"\s*(?:[(\[]\s*{_MARK}\s*[)\]]|[,–—-]?\s*(?<!\w){_MARK})\s*$", re.IGNORECASE
)


def section_title(title: str) -> str:
    """A slide title as the section it names: a continuation's mark left off, so the slides of
    one topic share their section ("Tiltak (forts.)" is in "Tiltak")."""
    title = normalize_text(title)
    return _CONTINUED.sub("", title).strip() or title


def _deck_sections(deck) -> dict[int, str]:
    """Slide id → the name of the PowerPoint section it stands in (none where the deck has no
    sections); the sections are written in an extension of the presentation's XML."""
    found: dict[int, str] = {}
    for section in deck.part._element.iter(f"{P14}section"):
        name = normalize_text(section.get("name") or "")
        for slide in section.iter(f"{P14}sldId"):
            if name and (slide.get("id") or "").isdigit():
                found[int(slide.get("id"))] = name
    return found


def _slide_paragraphs(slide, height: int, pictures: _Pictures) -> Iterator[tuple[str, str]]:
    """(kind, text) of one slide: its title as "heading", then its shapes in reading order (a
    picture worth OCR as PICTURE and its image's sha1), then its speaker notes as "box"."""
    title = slide.shapes.title
    if title is not None and title.has_text_frame:
        text = _text(title.text_frame.text)
        if text:
            yield "heading", text
    # python-pptx makes a new proxy at each access: the title is told by its XML element
    element = title._element if title is not None else None
    others = [s for s in slide.shapes if s._element is not element]
    for shape in _in_reading_order(others, height):
        yield from _shape_paragraphs(shape, slide.part, height, pictures)
    if slide.has_notes_slide:
        frame = slide.notes_slide.notes_text_frame
        if frame is not None:
            for paragraph in frame.paragraphs:
                yield "box", _text(paragraph.text)


def _in_reading_order(shapes: list, height: int) -> list:
    """Shapes by rows (tops within ROW_BAND of the slide's height), left to right in a row;
    a shape without a position keeps its place after those with one."""
    band = max(1, int(height * ROW_BAND))
    placed = [s for s in shapes if s.top is not None and s.left is not None]
    unplaced = [s for s in shapes if s.top is None or s.left is None]
    return sorted(placed, key=lambda s: (s.top // band, s.left)) + unplaced


def _shape_paragraphs(shape, part, height: int, pictures: _Pictures) -> Iterator[tuple[str, str]]:
    """(kind, text) of one shape: a group's shapes in reading order, a picture worth OCR, a
    table, a chart, a text frame's paragraphs or a SmartArt graphic's nodes."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
        inside = pictures.inside(shape)
        for inner in _in_reading_order(list(shape.shapes), height):
            yield from _shape_paragraphs(inner, part, height, inside)
    elif (image := pictures.worth_ocr(shape)) is not None:
        yield PICTURE, image
    elif getattr(shape, "has_table", False):  # graphic frames only have these two
        yield "table", _table(shape.table)
    elif getattr(shape, "has_chart", False):
        yield from _chart_paragraphs(shape.chart)
    elif shape.has_text_frame and not _furniture_placeholder(shape):
        bulleted = _bulleted_placeholder(shape)
        for paragraph in shape.text_frame.paragraphs:
            yield _paragraph_kind(paragraph, bulleted), _text(paragraph.text)
    elif _diagram_rel(shape) is not None:
        for text in _diagram_texts(shape, part):
            yield "list", text


def _text(text: str) -> str:
    # python-pptx writes a line break inside a paragraph as a vertical tab
    return normalize_text(text.replace("\v", " "))


def _furniture_placeholder(shape) -> bool:
    """A date, footer or slide-number placeholder: the master's furniture, copied on a slide."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    if not shape.is_placeholder:
        return False
    kind = shape.placeholder_format.type
    return kind in (PP_PLACEHOLDER.DATE, PP_PLACEHOLDER.FOOTER, PP_PLACEHOLDER.SLIDE_NUMBER)


def _bulleted_placeholder(shape) -> bool:
    """A body or content placeholder: its paragraphs are bullets unless they say otherwise
    (the master sets the bullets, which the slide's own XML does not repeat)."""
    from pptx.enum.shapes import PP_PLACEHOLDER

    if not shape.is_placeholder:
        return False
    return shape.placeholder_format.type in (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)


def _paragraph_kind(paragraph, bulleted: bool) -> str:
    """ "list" for a bullet or numbered item, else "body"."""
    properties = paragraph._p.pPr
    if properties is not None:
        if properties.find(f"{A}buNone") is not None:
            return "body"
        if (
            properties.find(f"{A}buChar") is not None
            or properties.find(f"{A}buAutoNum") is not None
        ):
            return "list"
    return "list" if bulleted or paragraph.level > 0 else "body"


def _table(table) -> str:
    """A table's rows, each merged cell once."""
    rows = []
    for row in table.rows:
        rows.append([cell.text.replace("\v", " ") for cell in row.cells if not cell.is_spanned])
    return table_text(rows)


def _chart_paragraphs(chart) -> Iterator[tuple[str, str]]:
    """A chart's title, and its data as a table: a row per category, a column per series (what
    a reader sees in the bars and lines, and what a question about a figure asks for)."""
    title = ""
    if chart.has_title and chart.chart_title.has_text_frame:
        title = _text(chart.chart_title.text_frame.text)
        yield "body", title
    # the category column is headed by its axis title, else by the chart's; without either,
    # each value is named by its series in its cell ("Fornybar | Andel 0.7"): a header with
    # its first cell empty would put the series' names over the wrong columns
    corner = _axis_title(chart) or title
    for plot in chart.plots:
        try:
            categories = [str(c) for c in plot.categories]
            series = [(s.name or "", list(s.values)) for s in plot.series]
        except (AttributeError, KeyError, TypeError, ValueError):  # a chart kind without them
            continue
        if not categories or not series:
            continue
        rows = [[corner, *(name for name, _ in series)]] if corner else []
        for i, category in enumerate(categories):
            values = [(name, _number(numbers, i)) for name, numbers in series]
            if corner:  # a missing value keeps its place under its series
                rows.append([category, *(v for _, v in values)])
            else:
                rows.append([category, *(f"{name} {v}".strip() for name, v in values if v)])
        yield "table", table_text(rows)


def _axis_title(chart) -> str:
    """The category axis's title, "" where it has none (or the chart has no such axis)."""
    try:
        axis = chart.category_axis
        if axis.has_title and axis.axis_title.has_text_frame:
            return _text(axis.axis_title.text_frame.text)
    except (AttributeError, ValueError):  # a pie chart has no axes
        pass
    return ""


def _number(values: list, i: int) -> str:
    """A chart value as a reader would write it ("120", "12.5"); "" where the series has none."""
    value = values[i] if i < len(values) else None
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _diagram_rel(shape) -> str | None:
    """The relationship id of a SmartArt graphic's data, None for other shapes."""
    element = shape._element
    data = element.find(f".//{A}graphicData")
    if data is None or data.get("uri") != DIAGRAM_URI:
        return None
    ids = data.find(f"{DGM}relIds")
    return ids.get(f"{R}dm") if ids is not None else None


def _diagram_texts(shape, part) -> list[str]:
    """The text of a SmartArt graphic's nodes, in the order its data lists them."""
    from lxml import etree  # python-pptx's own XML library

    try:
        data = part.related_part(_diagram_rel(shape))
        root = etree.fromstring(data.blob)
    except (KeyError, etree.XMLSyntaxError):
        return []
    texts = []
    for point in root.iter(f"{DGM}pt"):
        if point.get("type", "node") != "node":
            continue
        body = point.find(f"{DGM}t")
        if body is None:
            continue
        for paragraph in body.iter(f"{A}p"):
            text = normalize_text("".join(t.text or "" for t in paragraph.iter(f"{A}t")))
            if text:
                texts.append(text)
    return texts


def _furniture(slides: list[list[tuple[str, str]]]) -> set[tuple[str, str]]:
    """Short body lines typed on at least half of the slides (and FURNITURE_SLIDES of them)."""
    found = Counter(
        item
        for paragraphs in slides
        for item in set(paragraphs)
        if item[0] == "body" and 0 < len(item[1].split()) <= FURNITURE_WORDS
    )
    return {item for item, count in found.items() if _on_most_slides(count, len(slides))}


def _on_most_slides(count: int, slides: int) -> bool:
    """Whether a thing seen on `count` of a deck's slides is its furniture: on half of them or
    more, and on FURNITURE_SLIDES at least."""
    return count >= max(FURNITURE_SLIDES, slides / 2)


@dataclass(frozen=True)
class _Pictures:
    """The pictures worth OCR found on a deck's slides, by their image's sha1; the area of a
    slide and the scale of the group being read (a group lays its shapes out in its own
    coordinates, which it may show smaller or larger)."""

    slide_area: float
    found: dict[str, Picture] = field(default_factory=dict)
    scale: tuple[float, float] = (1.0, 1.0)

    def inside(self, group) -> _Pictures:
        across, down = _group_scale(group)
        return replace(self, scale=(self.scale[0] * across, self.scale[1] * down))

    def worth_ocr(self, shape) -> str | None:
        """The sha1 of a picture's image, noted, where it is large enough to hold text; else
        None."""
        # a picture placeholder's picture is one too
        from pptx.shapes.picture import Picture as SlidePicture

        if not isinstance(shape, SlidePicture) or shape.width is None or shape.height is None:
            return None
        width, height = shape.width * self.scale[0], shape.height * self.scale[1]
        if not covers_enough(width * height, self.slide_area):
            return None
        try:
            image = shape.image
            pixels = image.size
        except Exception:  # a linked picture has no image in the deck, a damaged one no size
            return None
        if not enough_pixels(pixels):
            return None
        shown = (width / EMU_PER_INCH, height / EMU_PER_INCH)
        self.found.setdefault(image.sha1, Picture(image.blob, shown, _crop(shape)))
        return image.sha1


def _group_scale(group) -> tuple[float, float]:
    """How much larger a group shows its shapes than they are sized: its extent over its
    children's, across and down (1 where it does not say)."""
    transform = f"{P}grpSpPr/{A}xfrm/{A}"
    shown, laid_out = (group._element.find(transform + name) for name in ("ext", "chExt"))
    if shown is None or laid_out is None:
        return 1.0, 1.0
    return _ratio(shown, laid_out, "cx"), _ratio(shown, laid_out, "cy")


def _ratio(shown, laid_out, side: str) -> float:
    size = int(laid_out.get(side) or 0)
    return int(shown.get(side) or 0) / size if size > 0 else 1.0


def _crop(shape) -> tuple[float, float, float, float]:
    """The shares of a picture's image cropped off, each side."""
    return shape.crop_left, shape.crop_top, shape.crop_right, shape.crop_bottom


def _read_pictures(
    slides: list[list[tuple[str, str]]], found: dict[str, Picture], options: ParseOptions
) -> tuple[PictureReading, list[str]]:
    """What OCR reads in the pictures worth it, each image once, and warnings; a picture on
    most slides (and FURNITURE_SLIDES of them) is furniture, as a repeated short line is, and
    not read."""
    where: dict[str, list[int]] = {}
    for number, paragraphs in enumerate(slides, 1):
        for image in dict.fromkeys(t for k, t in paragraphs if k == PICTURE):
            where.setdefault(image, []).append(number)
    wanted = {
        image: found[image]
        for image, numbers in where.items()
        if not _on_most_slides(len(numbers), len(slides))
    }
    reading = read_pictures(wanted, options, sum(len(where[image]) for image in wanted))
    numbers = [n for image in wanted for n in where[image]]
    warnings = reading.skipped_warnings(f"on {_slide_list(numbers)}")
    warnings += [
        f"slide {where[image][0]}: a picture not read by OCR ({why})"
        for image, why in reading.failures.items()
    ]
    return reading, warnings


def _slide_list(numbers: list[int]) -> str:
    """ "slide 4", "slides 1–3, 7"."""
    return ("slide " if len(set(numbers)) == 1 else "slides ") + page_ranges(numbers)

"""Real PDFs for the parser tests: a small report laid out like policy PDFs, and broken files.

The report is drawn line by line with reportlab's canvas so that every layout feature the parser
must handle is where the tests expect it: a title page, running header and footer with a varying
page number, numbered headings at three levels, hyphenated line ends next to real hyphens, a
bulleted list, footnotes, a two-column page, a ruled table, ligatures, soft hyphens and odd spaces.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

WIDTH, HEIGHT = A4
LEFT, RIGHT = 72.0, WIDTH - 72.0
HEADER = "Veikart for digital helse – Testkommune"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")

INTRO = (
    "Denne rapporten beskriver hvordan kommunen kan bruke digitale verktøy for å gi bedre "
    "tjenester til innbyggerne. Arbeidet bygger på intervjuer med ansatte, brukere og "
    "pårørende, og på erfaringer fra andre kommuner i regionen."
)
BACKGROUND = (
    "Andelen eldre i befolkningen vil øke kraftig fram mot 2040. Det gir et større behov for "
    "tjenester i hjemmet og færre hender til å utføre dem. Kommunen må derfor prøve ut nye "
    "løsninger sammen med næringslivet og forskningsmiljøene."
)
CHAPTER2 = (
    "Kapittelet presenterer to mulighetsområder som kommunen bør prioritere de neste årene. "
    "Områdene er valgt ut fra behov, lokale fortrinn og potensial for verdiskaping."
)
LEFT_COLUMN = (
    "Digitale hjemmetjenester lar pasienter med kroniske sykdommer bo lenger hjemme. "
    "Sensorer og nettbrett gir hjemmesykepleien oversikt uten at noen må kjøre ut. "
    "Kommunen har testet løsningen i to bydeler med gode resultater for brukerne. "
    "Erfaringene viser at opplæring av ansatte er like viktig som selve teknologien."
)
RIGHT_COLUMN = (
    "Helsedata fra kommunale tjenester kan brukes i forskning når personvernet er ivaretatt. "
    "Universitetet ønsker et tettere samarbeid om registre og analyser av tjenestebruk. "
    "En felles plattform kan gjøre det enklere å dele data mellom sykehus og kommune. "
    "Slike prosjekter krever avklaringer om ansvar, tilgang og lagring av opplysninger."
)
SECONDARY = (
    "Sekundærbruk av helsedata betyr at opplysninger samlet inn for behandling også brukes til "
    "kvalitetsforbedring, planlegging og forskning. Tabellen under viser de viktigste tiltakene."
)
AFTER_TABLE = (
    "Tiltakene skal evalueres etter to år, og resultatene legges fram for bystyret sammen med "
    "forslag til videre finansiering."
)
FOLLOW_UP = (
    "Kommunedirektøren rapporterer på framdriften hvert halvår. Rapporteringen omfatter "
    "økonomi, gevinster for brukerne og erfaringer fra de ansatte som tar løsningene i bruk."
)
TABLE = [
    ["Tiltak", "Ansvar", "Budsjett (mill. kr)"],
    ["Digitalt tilsyn", "Helse og velferd", "12"],
    ["Felles dataplattform", "Kommunedirektøren", "8"],
    ["Opplæring av ansatte", "Personalavdelingen", "3"],
]
RULE_TABLE = [
    ["Gevinst", "Beskrivelse", "Innen"],
    ["Færre kjøreturer", "Hjemmesykepleien ser målinger uten å reise hjem til brukeren", "2025"],
    ["Tryggere brukere", "Varsler når noe er galt", "2026"],
]
LIST_ITEMS = [
    "Trygghetsalarmer med lokaliseringsteknologi for personer med demens",
    "Medisindispensere som varsler hjemmetjenesten når en dose ikke blir tatt, slik at "
    "ansatte kan følge opp samme dag",
    "Digital hjemmeoppfølging av pasienter med kols og hjertesvikt",
]
FOOTNOTE_1 = "1 Se Meld. St. 24 (2022–2023) Fellesskap og meistring – Bu trygt heime."
FOOTNOTE_2 = "2 Tallene er hentet fra kommunens økonomiplan for 2024–2027."


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Greedy word wrap at the given width, as a typesetter without hyphenation does it."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}".strip()
        if current and pdfmetrics.stringWidth(trial, font, size) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return lines


class Report:
    """A canvas with a cursor, running header and footer, and the drawing moves a report needs."""

    def __init__(self, path: Path, metadata: bool = True, header: bool = True):
        self.pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
        self.header = header
        if metadata:
            self.pdf.setTitle("Veikart for digital helse i Testkommune")
            self.pdf.setAuthor("Testforlaget AS")
            self.pdf.setSubject("Digital helse")
        self.page = 1
        self.chapter = ""
        self.y = HEIGHT - 90

    def running_header_and_footer(self) -> None:
        if not self.header:
            return
        self.pdf.setFont("Helvetica", 8)
        self.pdf.drawString(LEFT, HEIGHT - 40, HEADER)
        # the chapter's name and the printed page number, which runs two ahead of the physical
        self.pdf.drawRightString(RIGHT, HEIGHT - 40, f"{self.chapter}   {self.page + 2}")
        self.pdf.line(LEFT, HEIGHT - 46, RIGHT, HEIGHT - 46)
        self.pdf.drawCentredString(WIDTH / 2, 36, f"Side {self.page}")

    def new_page(self, chapter: str = "") -> None:
        self.chapter = chapter or self.chapter
        self.pdf.showPage()
        self.page += 1
        self.y = HEIGHT - 90
        self.running_header_and_footer()

    def heading(self, text: str, size: float, x: float = LEFT) -> None:
        self.y -= size * 0.8
        self.pdf.setFont("Helvetica-Bold", size)
        self.pdf.drawString(x, self.y, text)
        self.y -= size * 1.1

    def lines(
        self, lines: Sequence[str], x: float = LEFT, font: str = "Helvetica", size: float = 10
    ) -> None:
        self.pdf.setFont(font, size)
        for line in lines:
            self.pdf.drawString(x, self.y, line)
            self.y -= size * 1.4
        self.y -= size * 0.8

    def paragraph(
        self, text: str, x: float = LEFT, width: float = RIGHT - LEFT, font: str = "Helvetica"
    ) -> None:
        self.lines(wrap(text, font, 10, width), x=x, font=font)

    def chapters(self, chapters: Sequence[tuple[str, str]]) -> None:
        """Numbered chapters (title, text), one page each, after what is drawn so far."""
        for number, (title, text) in enumerate(chapters, start=1):
            self.new_page()
            self.heading(f"{number} {title}", 16)
            self.paragraph(text)

    def bullets(self, items: Sequence[str]) -> None:
        for item in items:
            wrapped = wrap(item, "Helvetica", 10, RIGHT - LEFT - 18)
            self.pdf.setFont("Helvetica", 10)
            self.pdf.drawString(LEFT + 4, self.y, "•")
            for line in wrapped:
                self.pdf.drawString(LEFT + 18, self.y, line)
                self.y -= 14
            self.y -= 3
        self.y -= 8

    def footnotes(self, notes: Sequence[str]) -> None:
        y = 60 + 11 * len(notes)
        self.pdf.line(LEFT, y + 10, LEFT + 120, y + 10)
        self.pdf.setFont("Helvetica", 7.5)
        for note in notes:
            self.pdf.drawString(LEFT, y, note)
            y -= 11

    def superscript(self, text: str, after: str, x: float, y: float, size: float = 10) -> None:
        """Draw a footnote marker raised after the given text."""
        self.pdf.setFont("Helvetica", 6)
        self.pdf.drawString(x + pdfmetrics.stringWidth(after, "Helvetica", size), y + 4, text)

    def table(self, rows: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
        row_height = 18
        top = self.y + 12
        xs = [LEFT]
        for w in widths:
            xs.append(xs[-1] + w)
        for r, row in enumerate(rows):
            font = "Helvetica-Bold" if r == 0 else "Helvetica"
            self.pdf.setFont(font, 9.5)
            baseline = top - row_height * r - 12.5
            for c, cell in enumerate(row):
                self.pdf.drawString(xs[c] + 4, baseline, cell)
        bottom = top - row_height * len(rows)
        for r in range(len(rows) + 1):
            self.pdf.line(xs[0], top - row_height * r, xs[-1], top - row_height * r)
        for x in xs:
            self.pdf.line(x, top, x, bottom)
        self.y = bottom - 24

    def rule_table(self, rows: Sequence[Sequence[str]], widths: Sequence[float]) -> None:
        """A table with horizontal rules only (top, under the header, bottom); cells may wrap."""
        xs = [LEFT]
        for w in widths:
            xs.append(xs[-1] + w)
        self.pdf.setLineWidth(0.8)
        self.pdf.line(LEFT, self.y + 12, xs[-1], self.y + 12)
        for r, row in enumerate(rows):
            font = "Helvetica-Bold" if r == 0 else "Helvetica"
            cells = [wrap(cell, font, 9, w - 8) for cell, w in zip(row, widths, strict=True)]
            for c, lines in enumerate(cells):
                self.pdf.setFont(font, 9)
                for k, line in enumerate(lines):
                    self.pdf.drawString(xs[c], self.y - 12 * k, line)
            self.y -= 12 * max(len(lines) for lines in cells) + 4
            if r == 0:
                self.pdf.setLineWidth(0.4)
                self.pdf.line(LEFT, self.y + 12, xs[-1], self.y + 12)
        self.pdf.setLineWidth(0.8)
        self.pdf.line(LEFT, self.y + 12, xs[-1], self.y + 12)
        self.pdf.setLineWidth(1)
        self.y -= 20

    def save(self) -> None:
        self.pdf.showPage()
        self.pdf.save()


def chapters_pdf(
    path: Path, title: str, subtitle: str, chapters: Sequence[tuple[str, str]]
) -> Path:
    """A short report without metadata or running header: its title, a line under it, then
    numbered chapters (title, text), one page each."""
    doc = Report(path, metadata=False, header=False)
    doc.heading(title, 20)
    doc.lines([subtitle])
    doc.chapters(chapters)
    doc.save()
    return path


def report_pdf(path: Path, metadata: bool = True) -> Path:
    """The six-page sample report (see the module docstring for what each page holds)."""
    doc = Report(path, metadata=metadata)
    # page 1: title page
    doc.pdf.setFont("Helvetica-Bold", 26)
    doc.pdf.drawString(LEFT, HEIGHT - 260, "Veikart for digital helse")
    doc.pdf.drawString(LEFT, HEIGHT - 292, "i Testkommune")
    doc.pdf.setFont("Helvetica", 13)
    doc.pdf.drawString(LEFT, HEIGHT - 340, "Rapport utarbeidet av Testforlaget AS")
    doc.pdf.drawString(LEFT, HEIGHT - 360, "Mars 2024")

    # page 2: chapter 1 with hyphenation, a footnote marker, a subsection and a list
    doc.new_page("Innledning")
    doc.heading("1 Innledning", 16)
    doc.paragraph(INTRO)
    hyphenated = [
        "Kommunen har i flere år arbeidet med å styrke helse- og omsorgstjenestene gjennom",
        "velferdsteknologi og nye arbeidsformer. Et godt samarbeid med helse-",
        "sektoren er avgjørende, og det samme gjelder dialogen med Helse-",
        "og omsorgsdepartementet om nye IKT-",
        "løsninger for hjemmetjenesten.",
    ]
    marker_y = doc.y - 14 * 4
    doc.lines(hyphenated)
    doc.superscript("1", hyphenated[-1], LEFT, marker_y)
    doc.heading("1.1 Bakgrunn", 12)
    doc.paragraph(BACKGROUND)
    doc.bullets(LIST_ITEMS)
    doc.footnotes([FOOTNOTE_1])

    # page 3: two columns under a full-width chapter heading
    doc.new_page("Mulighetsområder")
    doc.heading("2 Mulighetsområder", 16)
    doc.paragraph(CHAPTER2)
    column_width = (RIGHT - LEFT - 24) / 2
    right_x = LEFT + column_width + 24
    doc.y -= 12 * 0.8
    doc.pdf.setFont("Helvetica-Bold", 12)
    doc.pdf.drawString(LEFT, doc.y, "2.1 Digitale hjemmetjenester")
    doc.pdf.drawString(right_x, doc.y, "2.2 Helsedata og forskning")
    doc.y -= 12 * 1.1
    # the two columns are drawn line by line across the page, so only geometry gives the order
    left = wrap(LEFT_COLUMN, "Helvetica", 10, column_width)
    right = wrap(RIGHT_COLUMN, "Helvetica", 10, column_width)
    doc.pdf.setFont("Helvetica", 10)
    for i in range(max(len(left), len(right))):
        if i < len(left):
            doc.pdf.drawString(LEFT, doc.y, left[i])
        if i < len(right):
            doc.pdf.drawString(right_x, doc.y, right[i])
        doc.y -= 14

    # page 4: a third-level heading and a ruled table
    doc.new_page()
    doc.heading("2.2.1 Sekundærbruk av helsedata", 11)
    doc.paragraph(SECONDARY)
    doc.lines(["Tabell 1: Tiltak og ansvar"], size=9)
    doc.table(TABLE, [170, 150, 120])
    doc.paragraph(AFTER_TABLE)
    doc.lines(["Tabell 2: Forventede gevinster"], size=9)
    doc.rule_table(RULE_TABLE, [150, 200, 90])
    doc.pdf.saveState()  # a stamp set vertically in the margin, as drafts often carry
    doc.pdf.translate(40, 300)
    doc.pdf.rotate(90)
    doc.pdf.setFont("Helvetica", 9)
    doc.pdf.drawString(0, 0, "UTKAST – IKKE FOR DISTRIBUSJON")
    doc.pdf.restoreState()

    # page 5: ligatures, soft hyphens and non-breaking spaces
    doc.new_page("Tiltak og finansiering")
    doc.heading("3 Tiltak og finansiering", 16)
    if DEJAVU.exists():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(DEJAVU)))
        doc.lines(
            [
                "Kommunen vil ﬁnansiere ﬂere tiltak med 12\u00a0millioner kroner og",
                "styrke omsorgs\u00adtjenestene i alle bydeler gjennom velferds\u00ad",
                "teknologi og nye arbeidsformer.",
            ],
            font="DejaVuSans",
        )
    wrapped = wrap(AFTER_TABLE, "Helvetica", 10, RIGHT - LEFT)
    doc.lines(wrapped)
    doc.superscript("2", wrapped[-1], LEFT, doc.y + 8 + 14)  # drawn apart from its line
    doc.lines(["Kommunen skal følge med på hvordan behovet for hjemme-"])  # goes on overleaf
    doc.footnotes([FOOTNOTE_2])

    # page 6: the end of a paragraph from page 5, then a subsection that continues chapter 3
    doc.new_page()
    doc.lines(["tjenester utvikler seg i årene som kommer."])
    doc.heading("3.1 Oppfølging", 12)
    doc.paragraph(FOLLOW_UP)
    doc.save()
    return path


def plain_pdf(path: Path, pages: Sequence[Sequence[str]]) -> Path:
    """A PDF with one text line per item, no metadata."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for lines in pages:
        y = HEIGHT - 72
        for line in lines:
            pdf.setFont("Helvetica", 11)
            pdf.drawString(LEFT, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return path


def turned_pdf(path: Path) -> Path:
    """A landscape page made by turning a portrait page (/Rotate 90) with its content drawn
    turned back, so that it reads upright on screen, as some tools make wide tables."""
    pdf = canvas.Canvas(str(path), pagesize=(HEIGHT, WIDTH))  # reportlab swaps it under /Rotate
    pdf.setPageRotation(90)
    pdf.rotate(90)
    for i, line in enumerate(
        [
            "1 Bred tabell",
            "Denne siden er satt på tvers.",
            "Teksten leses likevel fra venstre mot høyre.",
        ]
    ):
        pdf.setFont("Helvetica-Bold" if i == 0 else "Helvetica", 16 if i == 0 else 11)
        pdf.drawString(72, -90 - 20 * i, line)
    pdf.showPage()
    pdf.save()
    return path


def encrypted_pdf(path: Path, password: str = "hemmelig") -> Path:
    """A PDF that needs a password to open."""
    from reportlab.lib.pdfencrypt import StandardEncryption

    encryption = StandardEncryption(password, ownerPassword="eier", strength=128)
    pdf = canvas.Canvas(str(path), pagesize=A4, encrypt=encryption)
    pdf.setFont("Helvetica", 11)
    pdf.drawString(LEFT, HEIGHT - 72, "Konfidensielt notat om budsjettet for 2025.")
    pdf.showPage()
    pdf.save()
    return path


def scanned_pdf(path: Path, pages: int = 3) -> Path:
    """Pages that are pictures of text, as a scanner makes them, with only a stamped page number
    as text (many scanning workflows add one)."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (800, 300), 255)
    ImageDraw.Draw(image).text((40, 120), "Skannet side uten tekstlag", fill=0)
    png = path.with_suffix(".png")
    image.save(png)
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for page in range(1, pages + 1):
        pdf.drawImage(str(png), 50, 400, width=500, height=190)
        pdf.setFont("Helvetica", 8)
        pdf.drawCentredString(WIDTH / 2, 30, f"Side {page}")
        pdf.showPage()
    pdf.save()
    png.unlink()
    return path


def truncated_pdf(path: Path, source: Path) -> Path:
    """The first third of a real PDF, as an interrupted download leaves it."""
    data = source.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path

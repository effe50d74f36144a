"""A Norwegian report as magazine layouts make it: running text, a framed fact box, an
infographic of big-type lines with nothing set under them, and a ruled table."""

from __future__ import annotations

from pathlib import Path

from messydocs import HEIGHT, _body, _font
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

RUNNING = [
    "Kommunen vil bygge ut digitale tjenester for innbyggerne i hele regionen. Arbeidet skjer i "
    "samarbeid med næringslivet og universitetet, og de første tjenestene lanseres neste år.",
    "Skolene i bydelen får nye lekeplasser og bedre belysning langs skoleveiene. Foreldrene har "
    "bedt om tryggere krysninger, og bydelsutvalget har prioritert tiltaket i budsjettet.",
    "Fylket har kartlagt ferjesambandene og trafikken over fjorden. Tallene viser at trafikken "
    "har økt jevnt de siste årene, særlig om sommeren når turistene kommer.",
    "Bystyret behandler planen i juni, og tiltakene starter høsten etter. Rådmannen rapporterer "
    "på framdriften hvert kvartal til formannskapet.",
]
FACT_BOX = [
    "Visste du at gamle oljefyrer i kjelleren",
    "sto for en firedel av klimautslippene fra",
    "kommunens bygninger før de ble fjernet?",
]
BIG_LINES = [
    "Direktoratet anbefaler tre grep mot løsepengevirus:",
    "Ta sikkerhetskopier hver natt.",
    "Oppdater programvaren straks.",
]
TABLE = [
    ("Tiltak", "Kostnad", "Ansvar"),
    ("Varmepumpe i svømmehallen", "4 mill.", "Eiendom"),
    ("Solceller på rådhuset", "2 mill.", "Eiendom"),
    ("Ladestasjoner for bysykler", "1 mill.", "Samferdsel"),
]


def magazine_pdf(path: Path) -> Path:
    """Four pages: text + fact box, big-type infographic + text, text + table, text."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    font = _font(pdf)
    # page 1: running text and a framed fact box below it
    _body(pdf, font, RUNNING[0])
    top, left, right = HEIGHT - 300, 72.0, 400.0
    bottom = top - 30 - 15 * len(FACT_BOX)
    pdf.setLineWidth(0.8)
    pdf.rect(left, bottom, right - left, top - bottom)
    pdf.setFont(font, 10)
    y = top - 30
    for line in FACT_BOX:
        pdf.drawString(left + 8, y, line)
        y -= 15
    pdf.showPage()
    # page 2: an infographic: lines set big, nothing under them, then running text
    pdf.setFont(font, 18)
    y = HEIGHT - 110
    for line in BIG_LINES:
        pdf.drawString(72, y, line)
        y -= 40
    _body(pdf, font, RUNNING[1], y=y - 40)
    pdf.showPage()
    # page 3: running text and a ruled table
    _body(pdf, font, RUNNING[2])
    widths, row_h = (200.0, 90.0, 110.0), 20.0
    top = HEIGHT - 250
    xs = [72.0]
    for w in widths:
        xs.append(xs[-1] + w)
    pdf.setLineWidth(0.5)
    for i in range(len(TABLE) + 1):
        pdf.line(xs[0], top - i * row_h, xs[-1], top - i * row_h)
    for x in xs:
        pdf.line(x, top, x, top - len(TABLE) * row_h)
    pdf.setFont(font, 10)
    for i, row in enumerate(TABLE):
        for x, cell in zip(xs, row, strict=False):
            pdf.drawString(x + 4, top - i * row_h - 14, cell)
    pdf.showPage()
    # page 4: running text
    _body(pdf, font, RUNNING[3])
    pdf.showPage()
    pdf.save()
    return path


SECTIONS = [
    ("Ferjetrafikk", RUNNING[2]),
    ("Skoleveier", RUNNING[1]),
    ("Digitale tjenester", RUNNING[0]),
    (
        "Eldreomsorg",
        "Hjemmetjenesten skal følge opp eldre pasienter med sensorer og nettbrett, slik at de "
        "kan bo lenger hjemme. Sykepleierne ser målingene fra kontoret hver morgen.",
    ),
    (
        "Vannforsyning",
        "Vannverket må skifte ut gamle rør i sentrum fordi lekkasjene er store. Hver tredje "
        "liter drikkevann forsvinner før den når kranen hos innbyggerne.",
    ),
]


def sections_pdf(path: Path, sections=SECTIONS) -> Path:
    """One numbered section per page: a heading set larger, then running text."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    font = _font(pdf)
    for n, (heading, text) in enumerate(sections, 1):
        pdf.setFont(font, 16)
        pdf.drawString(72, HEIGHT - 200, f"{n} {heading}")
        _body(pdf, font, text, y=HEIGHT - 240)
        pdf.showPage()
    pdf.save()
    return path

"""Reading a Viva Goals export: decoding, the delimiter, headers matched to Soihtu fields, and
the cell values (numbers, percentages, types, statuses, time periods). No database here.

See docs/viva-goals-import.md for the rules.
"""

from __future__ import annotations

import calendar
import csv
import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_COLUMNS = 200
VALUE_LIMIT = Decimal("999999999999")  # what a key result's DecimalField(16, 4) holds


class ImportFileError(Exception):
    """The file cannot be read at all: the message says why, in the user's language."""


class TooLargeError(ValueError):
    """A number beyond what a key result holds."""


class Field(models.TextChoices):
    """The Soihtu field a column of the export is read into."""

    IGNORE = "ignore", gettext_lazy("Do not import")
    TITLE = "title", gettext_lazy("Title")
    TYPE = "type", gettext_lazy("Type (objective or key result)")
    ID = "id", gettext_lazy("Viva Goals ID")
    PARENT = "parent", gettext_lazy("Parent (title or ID)")
    OWNER = "owner", gettext_lazy("Owner (e-mail)")
    TEAM = "team", gettext_lazy("Team")
    PERIOD = "period", gettext_lazy("Time period")
    START = "start", gettext_lazy("Start value")
    TARGET = "target", gettext_lazy("Target value")
    CURRENT = "current", gettext_lazy("Current value")
    PROGRESS = "progress", gettext_lazy("Progress")
    STATUS = "status", gettext_lazy("Status")
    UNIT_OF_MEASURE = "unit_of_measure", gettext_lazy("Unit of measure")
    DESCRIPTION = "description", gettext_lazy("Description")


# Normalized header (see normalize_header) -> field. English as Viva Goals wrote it, and the
# Finnish and Swedish words people use when they rename columns in Excel.
SYNONYMS: dict[Field, tuple[str, ...]] = {
    Field.TITLE: (
        "title", "name", "okr", "okr title", "okr name", "objective title", "item", "item title",
        "nimi", "otsikko", "titel", "namn", "rubrik",
    ),
    Field.TYPE: (
        "type", "object type", "entity type", "okr type", "item type", "kind",
        "tyyppi", "typ",
    ),
    Field.ID: ("id", "okr id", "object id", "entity id", "item id", "viva goals id", "tunniste"),
    Field.PARENT: (
        "parent", "parent title", "parent name", "parent id", "parent okr", "parent objective",
        "aligned to", "aligned with", "aligned under", "ylätavoite", "yläkohta",
        "överordnad", "överordnat", "kopplad till",
    ),
    Field.OWNER: (
        "owner", "owners", "owner email", "owner emails", "owner name", "owned by", "email",
        "omistaja", "omistajat", "vastuuhenkilö", "ägare", "ansvarsperson",
    ),
    Field.TEAM: ("team", "team name", "teams", "owning team", "tiimi", "tiimin nimi", "lag"),
    Field.PERIOD: (
        "time period", "period", "timeperiod", "time frame", "timeframe", "cycle",
        "aikajakso", "ajanjakso", "jakso", "tidsperiod",
    ),
    Field.START: (
        "start", "start value", "baseline", "baseline value", "initial value", "starting value",
        "lähtöarvo", "alkuarvo", "startvärde", "utgångsvärde",
    ),
    Field.TARGET: ("target", "target value", "goal value", "tavoitearvo", "målvärde"),
    Field.CURRENT: (
        "current", "current value", "actual", "actual value", "value",
        "nykyarvo", "nykyinen arvo", "toteuma", "nuvarande värde", "aktuellt värde", "utfall",
    ),
    Field.PROGRESS: (
        "progress", "progress %", "progress percent", "progress percentage", "score",
        "completion", "completion %", "edistyminen", "edistyminen %", "framsteg", "framsteg %",
    ),
    Field.STATUS: ("status", "state", "health", "tila", "tilanne", "läge"),
    Field.UNIT_OF_MEASURE: (
        "metric type", "metric", "unit", "metric unit", "unit of measure", "measure",
        "yksikkö", "mittayksikkö", "enhet", "måttenhet",
    ),
    Field.DESCRIPTION: (
        "description", "notes", "note", "details", "kuvaus", "muistiinpanot", "lisätiedot",
        "beskrivning", "anteckningar",
    ),
}  # fmt: skip
HEADER_FIELDS = {name: field for field, names in SYNONYMS.items() for name in names}


class RowKind(models.TextChoices):
    OBJECTIVE = "objective", gettext_lazy("objective")
    KEY_RESULT = "key_result", gettext_lazy("key result")
    INITIATIVE = "initiative", gettext_lazy("initiative")


KIND_WORDS = {
    RowKind.OBJECTIVE: {"objective", "obj", "o", "tavoite", "mål"},
    RowKind.KEY_RESULT: {
        "key result", "keyresult", "kr", "avaintulos", "nyckelresultat", "key results",
    },
    RowKind.INITIATIVE: {
        "initiative", "project", "task", "action", "projekti", "hanke", "toimenpide",
        "initiativ", "projekt", "åtgärd",
    },
}  # fmt: skip


class Status(models.TextChoices):
    """What a Viva Goals status means here: the objective's status and a check-in confidence."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    BEHIND = "behind"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    NEUTRAL = "neutral"  # not started, postponed, paused: no signal either way


STATUS_WORDS = {
    Status.ON_TRACK: {"on track", "ontrack", "aikataulussa", "enligt plan", "good", "green"},
    Status.AT_RISK: {"at risk", "atrisk", "vaarassa", "i fara", "yellow", "amber"},
    Status.BEHIND: {"behind", "off track", "offtrack", "jäljessä", "efter", "red", "late"},
    Status.COMPLETED: {
        "completed", "complete", "closed", "done", "achieved", "valmis", "suljettu",
        "slutfört", "klar", "avslutad",
    },
    Status.CANCELLED: {
        "cancelled", "canceled", "abandoned", "discarded", "dropped", "peruttu", "avbrutet",
    },
    Status.NEUTRAL: {
        "not started", "notstarted", "postponed", "paused", "on hold", "draft", "none",
        "no status", "ei aloitettu", "lykätty", "inte påbörjad", "uppskjuten",
    },
}  # fmt: skip
CONFIDENCE = {
    Status.ON_TRACK: 8,
    Status.AT_RISK: 5,
    Status.BEHIND: 2,
    Status.COMPLETED: 10,
    Status.CANCELLED: 5,
    Status.NEUTRAL: 5,
}
DEFAULT_CONFIDENCE = 5

MILESTONE_UNITS = {
    "milestone", "completion", "complete/incomplete", "done/not done", "yes/no", "boolean",
    "binary", "achieved/not achieved", "virstanpylväs", "milstolpe",
}  # fmt: skip
PERCENT_UNITS = {"%", "percent", "percentage", "prosentti", "procent"}
PLAIN_NUMBER_UNITS = {"number", "numeric", "count", "#", "luku", "lukumäärä", "antal", "tal"}


def _words(raw: str) -> str:
    return " ".join(raw.replace("_", " ").split()).casefold()


# -- The file -------------------------------------------------------------------------------


def decode(raw: bytes) -> str:
    """The text of an upload: UTF-8 with or without a byte order mark, or UTF-16 with one
    (Excel's "Unicode text"). Anything else is refused, since guessing an 8-bit encoding
    would silently garble names."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = raw.decode("utf-16")
        except UnicodeDecodeError:
            raise ImportFileError(_("The file is not valid UTF-16 text.")) from None
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFileError(
                _(
                    "The file is not UTF-8 text. In Excel, save it as “CSV UTF-8”; "
                    "Viva Goals' own export is UTF-8 already."
                )
            ) from None
    if "\x00" in text:
        raise ImportFileError(_("The file is not a CSV text file."))
    return text


def detect_delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever splits the header line into the most columns."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    best, most = ",", 1
    for delimiter in (",", ";", "\t"):
        count = len(next(csv.reader([first], delimiter=delimiter), []))
        if count > most:
            best, most = delimiter, count
    return best


@dataclass(frozen=True)
class Row:
    """One data row. `number` is the row as a spreadsheet shows it: the header is row 1."""

    number: int
    cells: tuple[str, ...]
    overflow: bool  # more cells than the header has columns


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[Row, ...]


def read_table(text: str, delimiter: str) -> Table:
    """The header and the non-empty data rows; ImportFileError when there is nothing to read
    or more than MAX_ROWS rows."""
    records = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = tuple(" ".join(h.split()) for h in next(records, []))
        if not any(headers):
            raise ImportFileError(_("The file is empty: the first row must name the columns."))
        if len(headers) > MAX_COLUMNS:
            raise ImportFileError(_("The file has more than %(n)s columns.") % {"n": MAX_COLUMNS})
        rows: list[Row] = []
        for number, cells in enumerate(records, start=2):
            if not any(c.strip() for c in cells):
                continue
            if len(rows) == MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(n)s rows. Export a smaller view.")
                    % {"n": number_format(MAX_ROWS, force_grouping=True)}
                )
            width = len(headers)
            padded = [c.strip() for c in cells[:width]] + [""] * (width - len(cells))
            rows.append(Row(number, tuple(padded), overflow=any(c.strip() for c in cells[width:])))
    except csv.Error as error:
        raise ImportFileError(
            _("The file is not valid CSV: %(error)s") % {"error": error}
        ) from None
    if not rows:
        raise ImportFileError(_("The file has a header row but no data rows."))
    return Table(headers=headers, rows=tuple(rows))


# -- Headers --------------------------------------------------------------------------------


def normalize_header(header: str) -> str:
    """Lower case, without punctuation but %: "Owner e-mail" and "owner_email" are alike."""
    text = header.casefold().replace("e-mail", "email").replace("-", " ").replace("_", " ")
    text = re.sub(r"[^\w%/ ]", " ", text)
    return " ".join(text.split())


def match_headers(headers: tuple[str, ...]) -> list[str]:
    """The field of each column by its header; the first column wins when two headers mean
    the same field, and the later one is left unmapped."""
    taken: set[str] = set()
    fields = []
    for header in headers:
        field = HEADER_FIELDS.get(normalize_header(header), Field.IGNORE)
        if field in taken:
            field = Field.IGNORE
        if field != Field.IGNORE:
            taken.add(field)
        fields.append(str(field))
    return fields


# -- Cells ----------------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
_THOUSANDS_COMMA = re.compile(r"[+-]?\d{1,3}(,\d{3})+")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


def parse_number(raw: str, delimiter: str = ",") -> Decimal | None:
    """A number as exports and spreadsheets write it, or None for an empty cell.

    Spaces, a currency sign and a % are dropped. Both . and , may be the decimal mark; in a
    comma-separated file "1,234" is a thousands separator (Viva Goals writes English numbers),
    in a semicolon- or tab-separated file it is a decimal comma (Finnish and Swedish Excel).
    Raises ValueError when the cell is not a number or does not fit a key result.
    """
    text = _SPACES.sub("", raw).replace("\u2212", "-").strip("%€$£")
    if not text:
        return None
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        thousands = delimiter == "," and _THOUSANDS_COMMA.fullmatch(text)
        text = text.replace(",", "" if thousands else ".")
    if not _NUMBER.fullmatch(text):
        raise ValueError(raw)
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None
    if abs(value) > VALUE_LIMIT:
        raise TooLargeError(raw)
    return value.quantize(Decimal("0.0001"))


def parse_percent(raw: str, delimiter: str = ",") -> Decimal | None:
    """Progress as a percentage 0–100: "45 %", "45" and "0.45" are all 45 %."""
    value = parse_number(raw, delimiter)
    if value is None:
        return None
    if "%" not in raw and 0 < value < 1:
        value *= 100
    return min(max(value, Decimal(0)), Decimal(100))


def row_kind(raw: str) -> RowKind | None:
    words = _words(raw).replace("-", " ")
    for kind, names in KIND_WORDS.items():
        if words in names:
            return kind
    return None


def status_of(raw: str) -> Status | None:
    """The meaning of a Viva Goals status, or None when the word is unknown."""
    words = _words(raw).replace("-", " ")
    for status, names in STATUS_WORDS.items():
        if words in names:
            return status
    return None


def unit_of_measure(raw: str) -> tuple[bool, str]:
    """(is a milestone, the unit to store) from a metric type or unit cell."""
    words = _words(raw)
    if words in MILESTONE_UNITS:
        return True, ""
    if words in PERCENT_UNITS:
        return False, "%"
    if words in PLAIN_NUMBER_UNITS:
        return False, ""
    currency = re.fullmatch(r"currency\s*\((.+)\)", words)
    if currency:
        return False, currency.group(1).upper()[:30]
    return False, raw.strip()[:30]


def split_owners(raw: str) -> list[str]:
    """Owners, separated by commas, semicolons or new lines."""
    return [part.strip() for part in re.split(r"[,;\n]", raw) if part.strip()]


# -- Time periods ---------------------------------------------------------------------------

ENGLISH_MONTHS = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
]  # fmt: skip
MONTHS = {
    **{name: i for i, name in enumerate(ENGLISH_MONTHS, start=1)},
    **{name[:3]: i for i, name in enumerate(ENGLISH_MONTHS, start=1)},
    "sept": 9,
    # Finnish (tammikuu, tammi) and Swedish (januari, maj, okt) month names.
    **{
        fi: i
        for i, fi in enumerate(
            [
                "tammi", "helmi", "maalis", "huhti", "touko", "kesä", "heinä", "elo", "syys",
                "loka", "marras", "joulu",
            ],
            start=1,
        )
    },
    "maj": 5, "okt": 10, "januari": 1, "februari": 2, "mars": 3, "juni": 6, "juli": 7,
    "augusti": 8,
}  # fmt: skip
_YEAR = re.compile(r"(?:\bfy\s*'?(\d{4}|\d{2})\b|\b(\d{4})\b)")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$|^(\d{1,2})[./](\d{1,2})[./](\d{4})$")
_RANGE_SPLIT = re.compile(r"\s+(?:-|–|—|to|until|asti|till)\s+|\s*[–—]\s*")


@dataclass(frozen=True)
class PeriodSpan:
    """The dates a Viva Goals time period covers; `year` is set for a whole year ("FY26")."""

    starts_on: datetime.date
    ends_on: datetime.date
    year: int | None = None


def _year_in(part: str) -> int | None:
    found = _YEAR.search(part)
    if found is None:
        return None
    digits = found.group(1) or found.group(2)
    return 2000 + int(digits) if len(digits) == 2 else int(digits)


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _date(part: str) -> datetime.date | None:
    found = _DATE.match(part)
    if found is None:
        return None
    if found.group(1):
        year, month, day = int(found.group(1)), int(found.group(2)), int(found.group(3))
    else:
        # d.m.yyyy is Finnish; a / with a first number above 12 cannot be m/d/yyyy either.
        first, second, year = int(found.group(4)), int(found.group(5)), int(found.group(6))
        us = "/" in part and first <= 12 and second > 12
        month, day = (first, second) if us else (second, first)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _span(part: str, year: int | None) -> tuple[datetime.date, datetime.date] | None:
    """The dates of one side of a range: a date, a quarter, half, tertial, month or year."""
    day = _date(part)
    if day is not None:
        return day, day
    year = _year_in(part) or year
    if year is None or not 1900 < year < 2200:
        return None
    if len(_YEAR.findall(part)) > 1:
        return None
    rest = _YEAR.sub(" ", part)
    piece = re.fullmatch(r"[\s/-]*([qht])\s*([1-4])[\s/-]*", rest)
    if piece:
        size = {"q": 3, "h": 6, "t": 4}[piece.group(1)]
        index = int(piece.group(2))
        if index * size > 12:
            return None
        first = (index - 1) * size + 1
        return datetime.date(year, first, 1), _month_end(year, first + size - 1)
    words = [w.removesuffix("kuu") for w in re.split(r"[\s/.,]+", rest) if w]
    if not words:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if len(words) == 1 and words[0] in MONTHS:
        month = MONTHS[words[0]]
        return datetime.date(year, month, 1), _month_end(year, month)
    return None


def _whole_year(starts_on: datetime.date, ends_on: datetime.date) -> int | None:
    same = starts_on.year == ends_on.year
    whole = (starts_on.month, starts_on.day, ends_on.month, ends_on.day) == (1, 1, 12, 31)
    return starts_on.year if same and whole else None


def parse_period(raw: str) -> PeriodSpan | None:
    """The dates of a time period as Viva Goals names them: "Q1 2026", "FY26", "H1 2026",
    "Jan 2026 - Apr 2026", "1.1.2026–30.4.2026"; None when it is not understood."""
    text = _words(raw)
    if not text:
        return None
    span = _span(text, None)
    if span is None:
        parts = [p.strip() for p in _RANGE_SPLIT.split(text, maxsplit=1) if p.strip()]
        if len(parts) == 1 and parts[0].count("-") == 1:
            parts = [p.strip() for p in parts[0].split("-")]
        if len(parts) != 2:
            return None
        last = _span(parts[1], None)
        first = _span(parts[0], _year_in(parts[1]))
        if first is None or last is None or last[1] < first[0]:
            return None
        span = first[0], last[1]
    return PeriodSpan(span[0], span[1], year=_whole_year(*span))

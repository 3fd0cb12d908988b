"""Sample files and uploads for the Viva Goals import tests."""

from __future__ import annotations

from pathlib import Path

from soihtu.conftest import World
from soihtu.cycles.models import Cycle
from soihtu.organization.models import Unit
from soihtu.vivagoals import parse, services
from soihtu.vivagoals.models import VivaUpload
from soihtu.vivagoals.parse import Field

FILES = Path(__file__).parent / "files"


def sample(name: str) -> bytes:
    return (FILES / name).read_bytes()


def an_upload(
    world: World,
    name: str = "full_export.csv",
    *,
    content: bytes | str | None = None,
    unit: Unit | None = None,
    cycle: Cycle | None = None,
    year_only: bool = False,
    remap: dict[str, str] | None = None,
) -> VivaUpload:
    """An upload by the admin, mapped as matched by header (adjusted by `remap`, header ->
    field), with unit_a and the active cycle (or its year) for unmatched rows."""
    raw = content if content is not None else sample(name)
    text = parse.decode(raw.encode() if isinstance(raw, str) else raw)
    upload = services.upload_create(
        actor=world.admin, filename=name, text=text, delimiter=parse.detect_delimiter(text)
    )
    headers = parse.read_table(upload.content, upload.delimiter).headers
    columns = [
        (remap or {}).get(header, column)
        for header, column in zip(headers, upload.columns, strict=True)
    ]
    chosen = cycle or world.cycle
    return services.upload_map(
        upload=upload,
        columns=columns,
        unit=unit or world.unit_a,
        year=chosen.year,
        cycle=None if year_only else chosen,
    )


def csv_text(*rows: str, header: str = "ID,Title,Type,Parent,Team,Time period,Start,Target") -> str:
    return "\n".join([header, *rows]) + "\n"


__all__ = ["FILES", "Field", "an_upload", "csv_text", "sample"]

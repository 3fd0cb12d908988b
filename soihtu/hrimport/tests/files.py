"""HR files for the tests: the `world` organization as HR would export it, and generated ones."""

from __future__ import annotations

import csv
import io

from soihtu.accounts.models import User
from soihtu.conftest import World
from soihtu.organization.models import Unit

HEADER = [
    "employee_id",
    "name",
    "email",
    "unit_code",
    "unit_name",
    "parent_unit_code",
    "supervisor",
]
Row = list[str]

# code, name, parent code — the `world` tree
WORLD_UNITS = [
    ("ORG", "Org", ""),
    ("D1", "Division 1", "ORG"),
    ("UA", "Unit A", "D1"),
    ("TA", "Team A", "UA"),
    ("TB", "Team B", "UA"),
    ("D2", "Division 2", "ORG"),
    ("TC", "Team C", "D2"),
]
# persona, employee id, unit code, supervisor
WORLD_PEOPLE = [
    ("supervisor", "E1", "TA", "1"),
    ("torchbearer", "E2", "TA", "0"),
    ("member", "E3", "TA", "0"),
    ("member_b", "E4", "TB", "0"),
    ("outsider", "E5", "TC", "0"),
    ("parent_supervisor", "E6", "UA", "1"),
]


def csv_bytes(
    rows: list[Row], *, header: Row = HEADER, delimiter: str = ",", bom: bool = False
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode()
    return b"\xef\xbb\xbf" + data if bom else data


def unit_rows(units: list[tuple[str, str, str]]) -> list[Row]:
    return [["", "", "", code, name, parent, ""] for code, name, parent in units]


def person_row(user: User, employee_id: str, unit: tuple[str, str, str], flag: str) -> Row:
    code, name, parent = unit
    full = f"{user.first_name} {user.last_name}"
    return [employee_id, full, user.email, code, name, parent, flag]


def world_rows(
    world: World,
    *,
    units: list[tuple[str, str, str]] | None = None,
    people: list[tuple[str, str, str, str]] | None = None,
) -> list[Row]:
    """The world as an HR file (optionally with other units or placements)."""
    units = units if units is not None else WORLD_UNITS
    by_code = {u[0]: u for u in units}
    people = people if people is not None else WORLD_PEOPLE
    rows = unit_rows(units)
    for persona, employee_id, code, flag in people:
        rows.append(person_row(world.persona(persona), employee_id, by_code[code], flag))
    return rows


def world_file(
    world: World,
    *,
    units: list[tuple[str, str, str]] | None = None,
    people: list[tuple[str, str, str, str]] | None = None,
) -> bytes:
    return csv_bytes(world_rows(world, units=units, people=people))


def code_the_world(world: World) -> None:
    """Give the world's units their HR codes and its people their employee ids, as if the
    world had been imported from `world_file` before."""
    units = [world.root, world.division, world.unit_a, world.team_a, world.team_b]
    units += [world.division_2, world.team_c]
    for unit, (code, _name, _parent) in zip(units, WORLD_UNITS, strict=True):
        Unit.objects.filter(pk=unit.pk).update(code=code)
        unit.code = code
    for persona, employee_id, _code, _flag in WORLD_PEOPLE:
        user = world.persona(persona)
        User.objects.filter(pk=user.pk).update(employee_id=employee_id)
        user.employee_id = employee_id


def generated_file(people: int, *, teams: int = 0, variant: int = 0) -> bytes:
    """An organization of `people` people in teams of about ten under two divisions.

    `variant` 1 is the same people a year later: every name, email and team changed, the
    teams renamed and moved to the other division.
    """
    teams = teams or max(1, people // 10)
    rows = unit_rows([("ORG", "Organisaatio", ""), ("D1", "Toimiala 1", "ORG")])
    rows += unit_rows([("D2", "Toimiala 2", "ORG")])
    for t in range(teams):
        division = ("D1", "D2")[(t + variant) % 2]
        rows += unit_rows([(f"T{t}", f"Tiimi {t}{' uusi' if variant else ''}", division)])
    for p in range(people):
        t = (p + variant) % teams
        division = ("D1", "D2")[(t + variant) % 2]
        name = f"Etu{p} Suku{p}{'nen' if variant else ''}"
        email = f"henkilo{p}{'.uusi' if variant else ''}@example.fi"
        flag = "1" if p % 10 == 0 else "0"
        rows.append(
            [
                f"{p:06d}",
                name,
                email,
                f"T{t}",
                f"Tiimi {t}{' uusi' if variant else ''}",
                division,
                flag,
            ]
        )
    return csv_bytes(rows)

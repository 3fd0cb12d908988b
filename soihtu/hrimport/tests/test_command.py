"""`manage.py hr_import FILE [--dry-run]`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from soihtu.accounts.models import User
from soihtu.conftest import World
from soihtu.hrimport.management.commands.hr_import import Command
from soihtu.hrimport.models import HrImport
from soihtu.hrimport.tests.files import WORLD_PEOPLE, code_the_world, world_file
from soihtu.hrimport.tests.helpers import db_state


@pytest.fixture
def leavers(world: World, tmp_path: Path) -> Path:
    code_the_world(world)
    path = tmp_path / "hr.csv"
    path.write_bytes(world_file(world, people=[p for p in WORLD_PEOPLE if p[0] != "member_b"]))
    return path


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("hr_import", *args, stdout=out)
    return out.getvalue()


def test_dry_run_prints_the_changes_and_changes_nothing(world: World, leavers: Path) -> None:
    before = db_state()

    output = run(str(leavers), "--dry-run", "-v2")

    assert "People deactivated (left): 1" in output
    assert "- person E4 Member B deactivated" in output
    assert "Dry run" in output
    assert db_state() == before


def test_apply_changes_and_records_the_import(world: World, leavers: Path) -> None:
    output = run(str(leavers))

    assert "Applied." in output
    assert "- person E4" not in output  # details only with -v2
    assert not User.objects.get(pk=world.member_b.pk).is_active
    record = HrImport.objects.get()
    assert record.source == HrImport.Source.COMMAND
    assert record.summary["people_deactivated"] == 1
    assert record.content == ""
    assert "Nothing to change." in run(str(leavers))
    assert HrImport.objects.count() == 1


def test_bad_file_fails_with_line_numbered_errors(world: World, tmp_path: Path) -> None:
    code_the_world(world)
    path = tmp_path / "bad.csv"
    path.write_bytes(world_file(world).replace(b"member_a@example.org", b"not-an-email"))
    before = db_state()

    with pytest.raises(CommandError) as error:
        run(str(path))

    assert "Line 11:" in str(error.value)
    assert db_state() == before


def test_missing_file_fails(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        run(str(tmp_path / "nope.csv"))


def test_bad_file_exits_non_zero(
    world: World,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(b"\xff\xfe garbage")
    # run_from_argv closes the connections afterwards, which the test's transaction still needs
    monkeypatch.setattr(connections, "close_all", lambda: None)

    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(["manage.py", "hr_import", str(path), "--skip-checks"])

    assert exit_info.value.code == 1
    assert "UTF-8" in capsys.readouterr().err

"""manage.py export_okrs and import_okrs."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from soihtu.audit.models import AuditEvent
from soihtu.conftest import World, make_user
from soihtu.exchange.export import export_document
from soihtu.exchange.tests.helpers import snapshot, wipe, without_time
from soihtu.okrs.models import Objective


def test_export_writes_the_document_to_a_file(world: World, tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    call_command("export_okrs", "--output", str(target), stderr=io.StringIO())
    document = json.loads(target.read_text(encoding="utf-8"))
    assert without_time(document) == without_time(export_document())


def test_export_writes_to_standard_output(world: World, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("export_okrs")
    assert json.loads(capsys.readouterr().out)["format"] == "soihtu-okr-export"


def test_import_reads_a_file_into_an_empty_installation(world: World, tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    call_command("export_okrs", "--output", str(target), stderr=io.StringIO())
    wipe()
    make_user("admin_okr", org_admin=True)
    out = io.StringIO()
    call_command("import_okrs", str(target), "--actor", "admin_okr", stdout=out)
    assert out.getvalue().startswith("Imported: people 7, themes 3, units 7")
    assert Objective.objects.count() == 4
    assert AuditEvent.objects.get().actor is not None


def test_import_refuses_with_errors_and_a_failing_exit(world: World, tmp_path: Path) -> None:
    target = tmp_path / "export.json"
    document = export_document()
    document["objectives"][0]["cycle"] = 17
    target.write_text(json.dumps(document), encoding="utf-8")
    wipe()
    before = snapshot()
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"Nothing was imported \(1 errors\)"):
        call_command("import_okrs", str(target), stderr=err)
    assert "objectives[0].cycle: unknown id 17 in cycles" in err.getvalue()
    assert snapshot() == before


def test_import_refuses_a_missing_file_and_a_non_admin_actor(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_okrs", str(tmp_path / "missing.json"))
    with pytest.raises(CommandError, match="member_a is not an org admin"):
        call_command("import_okrs", str(tmp_path / "missing.json"), "--actor", "member_a")

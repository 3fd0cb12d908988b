from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, no_translations

from soihtu.hrimport.diff import Diff, count_rows
from soihtu.hrimport.parse import MAX_BYTES, HrFileError, Problem, too_large_message
from soihtu.hrimport.services import hr_import_run


class Command(BaseCommand):
    help = (
        "Import units, people and memberships from an HR CSV file (see docs/hr-import.md). "
        "Prints the changes; applies them unless --dry-run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The HR file (CSV, UTF-8).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Only show the changes; change nothing."
        )

    @no_translations  # operators read one language: the command's own and the labels alike
    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        data = self._read(path)
        try:
            result = hr_import_run(data=data, file_name=path.name, dry_run=options["dry_run"])
        except HrFileError as error:
            raise CommandError(_problems(error)) from None
        diff = result.plan.diff
        self._summary(diff)
        if options["verbosity"] >= 2:  # Django's level for details
            self._details(diff)
        if diff.is_empty:
            self.stdout.write("Nothing to change.")
        elif result.applied:
            self.stdout.write(self.style.SUCCESS("Applied."))
        else:
            self.stdout.write("Dry run: nothing was changed.")

    def _read(self, path: Path) -> bytes:
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(too_large_message())
            return path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None

    def _summary(self, diff: Diff) -> None:
        for _key, label, count in count_rows(diff.counts()):
            self.stdout.write(f"{label}: {count}")
        if diff.root_code:
            self.stdout.write(f"The organization gets the unit code {diff.root_code}.")
        if diff.units_not_in_file:
            names = ", ".join(diff.units_not_in_file)
            self.stdout.write(f"Units from HR not in the file (left as they are): {names}")

    def _details(self, diff: Diff) -> None:
        out = self.stdout.write
        for u in diff.units_created:
            out(f"+ unit {u.code} {u.name} ({u.kind}) under {u.parent or '-'}")
        for r in diff.units_renamed:
            out(f"~ unit {r.code}: {r.old_name} -> {r.new_name}")
        for m in diff.units_moved:
            out(f"~ unit {m.code} {m.name}: under {m.old_parent} -> under {m.new_parent}")
        for t in diff.units_retyped:
            out(f"~ unit {t.code} {t.name}: {t.old_kind} -> {t.new_kind}")
        for p in diff.people_created:
            out(f"+ person {p.employee_id} {p.name} <{p.email}> in {p.unit} ({p.role})")
        for c in diff.people_updated:
            changes = "; ".join(f"{f.field}: {f.old} -> {f.new}" for f in c.changes)
            out(f"~ person {c.employee_id} {c.name}: {changes}")
        for v in diff.people_moved:
            before = ", ".join(v.from_units) or "-"
            out(f"~ person {v.employee_id} {v.name}: {before} -> {v.to_unit}")
        for g in diff.roles_changed:
            out(f"~ person {g.employee_id} {g.name} in {g.unit}: {g.old_role} -> {g.new_role}")
        for d in diff.people_deactivated:
            out(f"- person {d.employee_id} {d.name} deactivated")
        for a in diff.people_reactivated:
            out(f"+ person {a.employee_id} {a.name} reactivated")


def _problems(error: HrFileError) -> str:
    lines = [str(p) for p in error.listed]
    if error.not_listed:
        lines.append(str(Problem(None, f"... and {error.not_listed} more problems")))
    return "The file was not imported:\n" + "\n".join(lines)

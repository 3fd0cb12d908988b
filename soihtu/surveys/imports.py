"""Importing an earlier round's answers from CSV, all rows or none (see docs/survey.md)."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from soihtu.accounts.models import User
from soihtu.audit.models import AuditEvent
from soihtu.audit.services import audit_record
from soihtu.organization.models import PATH_STEP, Unit
from soihtu.surveys.models import Answer, Question, Response, SurveyRound

COLUMNS = ["response_id", "unit", "team_uses_okrs", "question_key", "value"]
TRUE = {"yes", "1", "true", "kyllä", "ja"}
FALSE = {"no", "0", "false", "ei", "nej"}
CANT_SAY = {"", "cant_say", "can't say", "eos"}
MAX_ROWS = 100_000


@dataclass
class _Pending:
    unit: Unit | None
    uses: bool
    answers: dict[int, dict[str, Any]] = field(default_factory=dict)


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    responses: int = 0


def _value(question: Question, raw: str) -> dict[str, Any]:
    raw = raw.strip()
    if question.kind == Question.Kind.LIKERT:
        if raw.lower() in CANT_SAY:
            return {"likert": None}
        if raw in {"1", "2", "3", "4", "5"}:
            return {"likert": int(raw)}
        raise ValueError(_("value must be 1–5 or empty for “can't say”"))
    if question.kind == Question.Kind.YES_NO:
        if raw.lower() in TRUE | FALSE:
            return {"yes_no": raw.lower() in TRUE}
        raise ValueError(_("value must be yes or no"))
    if len(raw) > 2000:
        raise ValueError(_("text is longer than 2000 characters"))
    return {"text": raw}


class _Parser:
    def __init__(self, survey: SurveyRound) -> None:
        self.survey = survey
        self.questions = {q.key: q for q in survey.questions.all()}
        units = list(Unit.objects.all())
        self.by_name: dict[str, list[Unit]] = {}
        for unit in units:
            self.by_name.setdefault(unit.name.strip().lower(), []).append(unit)
        self.by_path = {u.path: u for u in units}
        self.pending: dict[str, _Pending] = {}

    def unit(self, raw: str) -> Unit | None:
        if not raw.strip():
            return None
        found = self.by_name.get(raw.strip().lower(), [])
        if len(found) != 1:
            raise ValueError(_("unit “%(name)s” not found or not unique") % {"name": raw})
        level = PATH_STEP * (self.survey.breakdown_depth + 1)
        return self.by_path.get(found[0].path[:level]) if len(found[0].path) >= level else None

    def row(self, row: dict[str, str]) -> None:
        key = (row.get("response_id") or "").strip()
        if not key:
            raise ValueError(_("response_id is empty"))
        question = self.questions.get((row.get("question_key") or "").strip())
        if question is None:
            raise ValueError(_("unknown question_key"))
        flag = (row.get("team_uses_okrs") or "").strip().lower()
        if flag not in TRUE | FALSE:
            raise ValueError(_("team_uses_okrs must be yes or no"))
        unit = self.unit(row.get("unit") or "")
        pending = self.pending.setdefault(key, _Pending(unit=unit, uses=flag in TRUE))
        if pending.unit != unit or pending.uses != (flag in TRUE):
            raise ValueError(_("unit or team_uses_okrs differs from earlier rows of this response"))
        if question.pk in pending.answers:
            raise ValueError(_("the response answers this question twice"))
        pending.answers[question.pk] = _value(question, row.get("value") or "")


def answers_import(
    *, actor: User, survey: SurveyRound, content: str, submitted_on: datetime.date
) -> ImportResult:
    """Validate every row, then write all the responses in one transaction, or nothing.

    Errors name the file's line numbers (the header is line 1).
    """
    result = ImportResult()
    reader = csv.DictReader(io.StringIO(content))
    if reader.fieldnames is None or [f.strip() for f in reader.fieldnames] != COLUMNS:
        result.errors.append(_("Line 1: the columns must be: %(c)s") % {"c": ", ".join(COLUMNS)})
        return result
    parser = _Parser(survey)
    for row in reader:
        line = reader.line_num
        if line > MAX_ROWS or None in row:
            result.errors.append(_("Line %(line)s: wrong number of columns") % {"line": line})
            continue
        try:
            parser.row(row)
        except ValueError as error:
            result.errors.append(_("Line %(line)s: %(error)s") % {"line": line, "error": error})
    if not parser.pending and not result.errors:
        result.errors.append(_("The file has no answers."))
    if result.errors:
        return result
    with transaction.atomic():
        for pending in parser.pending.values():
            response = Response.objects.create(
                round=survey,
                breakdown_unit=pending.unit,
                team_uses_okrs=pending.uses,
                submitted_on=submitted_on,
            )
            Answer.objects.bulk_create(
                Answer(response=response, question_id=qid, **fields)
                for qid, fields in pending.answers.items()
            )
        # The import itself is audited (who imported how many), never the answers.
        audit_record(
            actor=actor,
            action=AuditEvent.Action.UPDATE,
            instance=survey,
            before=None,
            after={"imported_responses": len(parser.pending)},
        )
    result.responses = len(parser.pending)
    return result

"""The aggregated results as CSV rows: built from the already suppressed ResultsPage only."""

from __future__ import annotations

from soihtu.surveys.selectors import ResultsPage

HEADER = ["question_key", "question", "group_type", "group", "n", "agree_percent"]


def results_rows(page: ResultsPage) -> list[list[str]]:
    rows = [HEADER]
    if not page.shown:
        return rows
    for result in page.questions:
        q = result.question
        agree = "" if result.agree is None else str(result.agree)
        rows.append([q.key, q.text, "all", "", str(result.n), agree])
        for bar in result.bars:
            rows.append([q.key, q.text, "answer", bar.label, str(bar.count), str(bar.percent)])
        for group in result.by_unit:
            rows.append([q.key, q.text, "unit", group.label, str(group.n), _pct(group.agree)])
        for group in result.by_okrs:
            rows.append([q.key, q.text, "uses_okrs", group.label, str(group.n), _pct(group.agree)])
    return rows


def _pct(value: float | None) -> str:
    return "" if value is None else str(value)

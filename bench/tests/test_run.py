"""The parts of bench/run.py that need no server: reading its settings and locust's
statistics, judging the targets of issue 10, and writing docs/benchmarks.md below its head."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import run
from bench.run import MixRow, Single, SizeResult

STATS_CSV = """Type,Name,Request Count,Failure Count,Median Response Time,Average Response Time,\
Min Response Time,Max Response Time,Average Content Size,Requests/s,Failures/s,50%,66%,75%,80%,\
90%,95%,98%,99%,99.9%,99.99%,100%
GET,My OKRs,120,0,95,110.5,40,900,35000,2.0,0.0,95,110,120,130,200,250,300,400,900,900,900
POST,check-in POST,12,1,60,70.1,30,500,0,0.2,0.01,60,70,80,90,100,120,500,500,500,500,500
,Aggregated,132,1,90,100.0,30,900,31000,2.2,0.01,90,100,110,120,190,240,300,400,900,900,900
"""


@pytest.mark.parametrize(
    ("text", "seconds"), [("300", 300), ("5m", 300), ("30s", 30), ("1h30m", 5400), ("2m5s", 125)]
)
def test_durations_are_read_as_locust_writes_them(text: str, seconds: int) -> None:
    assert run.seconds_of(text) == seconds


@pytest.mark.parametrize("text", ["", "5 minutes", "m"])
def test_a_duration_it_cannot_read_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="BENCH_DURATION"):
        run.seconds_of(text)


def test_settings_from_the_environment_and_their_defaults() -> None:
    default = run.Config.from_env({})
    assert default.sizes == [1300, 10000]
    assert (default.users, default.duration, default.single_requests) == (200, 300, 20)
    assert default.database_url == "postgres://postgres@127.0.0.1:5432/postgres"
    assert default.output == run.DOC
    custom = run.Config.from_env(
        {
            "BENCH_SIZES": "1300",
            "BENCH_USERS": "20",
            "BENCH_DURATION": "30s",
            "BENCH_SINGLE_REQUESTS": "5",
            "DATABASE_URL": "postgres://u:p@db:5433/x?sslmode=require",
        }
    )
    assert (custom.sizes, custom.users, custom.duration, custom.single_requests) == (
        [1300],
        20,
        30,
        5,
    )
    assert (
        run.database_url(custom.database_url, "soihtu_bench_1300")
        == "postgres://u:p@db:5433/soihtu_bench_1300?sslmode=require"
    )


def test_percentiles_are_nearest_rank() -> None:
    values = [float(v) for v in range(1, 21)]
    assert run.percentile(values, 0.95) == 19
    assert run.percentile(values, 0.5) == 10
    assert run.percentile([7.0], 0.95) == 7


def test_locust_statistics_are_read_per_page(tmp_path: Path) -> None:
    stats = tmp_path / "stats.csv"
    stats.write_text(STATS_CSV, encoding="utf-8")
    rows = run.mix_rows(stats)
    assert rows["My OKRs"] == MixRow("My OKRs", 120, 0, 95, 250, 400, 2.0)
    assert rows["check-in POST"].failures == 1
    assert rows["Aggregated"].rps == 2.2


def _result(size: int, p95: float, median: float, kb: float, failures: int = 0) -> SizeResult:
    mix = {name: MixRow(name, 100, 0, p95 / 2, p95, p95 * 2, 1.0) for name in run.MIX}
    mix["check-in POST"] = MixRow("check-in POST", 10, failures, 50, p95, p95, 0.1)
    singles = [
        Single("team page", "person", median, median, kb, 200),
        Single("practice dashboard", "office", 2 * median, 2 * median, 20, 200),
    ]
    return SizeResult(size, {}, singles, mix, [], False, 1.0, 0.0)


def _marks(results: list[SizeResult]) -> dict[str, bool | None]:
    return {target.text.split(":")[0]: target.passed for target in run.targets(results)}


def test_targets_pass_when_every_figure_is_within_them() -> None:
    marks = _marks([_result(1300, 200, 80, 40), _result(10000, 250, 140, 120)])
    assert set(marks.values()) == {True, None}  # None: query counts, which tests pin


def test_targets_fail_on_the_figure_that_misses_them() -> None:
    slow = run.targets([_result(1300, 100, 80, 40), _result(10000, 350, 160, 151, failures=2)])
    failed = {target.text: target.detail for target in slow if target.passed is False}

    def detail(start: str) -> str:
        return next(text for name, text in failed.items() if name.startswith(start))

    assert detail("single request") == "over: team page 160 ms"
    assert detail("practice dashboard") == "over: practice dashboard 320 ms"
    assert detail("no page's HTML") == "over: team page 151 kB"
    assert detail("peak mix: p95").startswith("over: My OKRs 350 ms, team page 350 ms")
    assert detail("peak mix: no errors") == "2 errors"
    assert detail("growth 1,300 → 10,000 people").startswith("over: My OKRs 3.50×")


def test_results_replace_only_what_follows_the_marker(tmp_path: Path) -> None:
    doc = tmp_path / "benchmarks.md"
    doc.write_text(f"# Benchmarks\n\nHow to run.\n\n{run.MARKER}\n\nold tables\n", encoding="utf-8")
    run.write_doc(doc, "new tables\n")
    run.write_doc(doc, "newer tables\n")
    text = doc.read_text(encoding="utf-8")
    assert text == f"# Benchmarks\n\nHow to run.\n\n{run.MARKER}\n\nnewer tables\n"

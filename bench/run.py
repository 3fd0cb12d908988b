"""`make bench`: Soihtu at the peak of a whole organization, measured on this machine.

For each size (BENCH_SIZES, default 1300 and 10000 people), on the PostgreSQL server of
DATABASE_URL: create or reuse the database soihtu_bench_<size>, migrate it, generate the demo
organization if it has none, VACUUM ANALYZE; sign in BENCH_USERS people
(`manage.py bench_sessions`);
serve it with production settings and the repository's gunicorn.conf.py on a free port of
127.0.0.1; time BENCH_SINGLE_REQUESTS sequential requests of every page (after one warm-up);
then run the peak mix of issue 10 with locust (bench/locustfile.py) for BENCH_DURATION. The
tables are printed and written to docs/benchmarks.md below its hand-written head.

Everything it starts runs in its own process group and is stopped at the end, on an error and
on Ctrl-C; every step has a time limit.
"""

from __future__ import annotations

import csv
import http.client
import json
import math
import os
import platform
import re
import runpy
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
MARKER = "<!-- Results below are written by bench/run.py; edit above this line only. -->"
HOST = "127.0.0.1"
SPAWN_RATE = 20  # people started per second
MIX = ["My OKRs", "team page", "objective page", "strategy", "organization"]
MIX += ["organization search", "check-in form", "check-in POST", "API list"]
PROXY_HEADERS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": HOST}


# Targets of issue 10, at 10,000 people.
SINGLE_MEDIAN_MS = 150.0
DASHBOARD_MEDIAN_MS = 300.0
PAGE_MAX_KB = 150.0
MIX_P95_MS = 300.0
GROWTH_MAX = 1.3


def seconds_of(text: str) -> int:
    """A duration as locust writes it (`5m`, `90s`, `1h30m`) or plain seconds."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    parts = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?", text)
    if not text or parts is None:
        raise ValueError(f"BENCH_DURATION={text!r}: write e.g. 5m, 90s or 1h30m")
    hours, minutes, secs = (int(part or 0) for part in parts.groups())
    return hours * 3600 + minutes * 60 + secs


@dataclass(frozen=True)
class Config:
    sizes: list[int]
    users: int
    duration: int  # seconds
    single_requests: int
    database_url: str
    output: Path  # the Markdown file the results go to

    @classmethod
    def from_env(cls, env: dict[str, str]) -> Config:
        sizes = [int(size) for size in re.split(r"[,\s]+", env.get("BENCH_SIZES", "1300,10000"))]
        return cls(
            sizes=[size for size in sizes if size > 0],
            users=int(env.get("BENCH_USERS", "200")),
            duration=seconds_of(env.get("BENCH_DURATION", "5m")),
            single_requests=int(env.get("BENCH_SINGLE_REQUESTS", "20")),
            database_url=env.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
            output=Path(env.get("BENCH_OUTPUT", str(DOC))),
        )


def database_url(server_url: str, name: str) -> str:
    """The URL of database `name` on the server of `server_url`."""
    parts = urlsplit(server_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def percentile(values: Sequence[float], share: float) -> float:
    """The nearest-rank percentile (share 0.95 for p95)."""
    ordered = sorted(values)
    rank = math.ceil(round(share * len(ordered), 6))  # rounded: 0.95 × 20 is 19.000000000000004
    return ordered[max(1, min(len(ordered), rank)) - 1]


# Processes: each in its own process group, all stopped on the way out.


class StopRequestedError(Exception):
    """Ctrl-C or SIGTERM: stop what was started, then leave."""


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise StopRequestedError(signal.Signals(signum).name)


@contextmanager
def started(
    command: list[str], *, env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """Run `command` in its own process group while the block runs; then stop the group:
    SIGTERM, and SIGKILL if it has not ended within 40 seconds."""
    with log.open("ab") as out:
        process = subprocess.Popen(  # noqa: S603 - our own programs, no shell
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        yield process
    finally:
        stop(process)


def stop(process: subprocess.Popen[bytes], grace: float = 40.0) -> None:
    if process.poll() is not None:
        return
    for signum, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 10.0)):
        try:
            os.killpg(process.pid, signum)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def run(command: list[str], *, env: dict[str, str], timeout: float, log: Path) -> None:
    """Run a step to its end (bounded by `timeout`), its output appended to `log`."""
    with started(command, env=env, log=log) as process:
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise RuntimeError(
                f"{' '.join(command)} took over {timeout:.0f} s; see {log}"
            ) from None
    if code != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{' '.join(command)} failed ({code}):\n{tail}")


def manage(*args: str) -> list[str]:
    return [sys.executable, "manage.py", *args]


def tool(name: str) -> str:
    return str(Path(sys.executable).parent / name)


# The database.


def ensure_database(server_url: str, name: str) -> bool:
    """Create database `name` on the server unless it exists; True if it was created."""
    with psycopg.connect(server_url, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists is None:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return exists is None


def database_counts(url: str) -> dict[str, int]:
    tables = {
        "people": "accounts_user",
        "units": "organization_unit",
        "objectives": "okrs_objective",
        "key results": "okrs_keyresult",
        "check-ins": "checkins_checkin",
    }
    with psycopg.connect(url) as connection:
        counts = {}
        for label, table in tables.items():
            row = connection.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()
            counts[label] = int(row[0]) if row else 0
        return counts


def analyze(url: str) -> None:
    """VACUUM ANALYZE: planner statistics, and no dead rows left by an earlier run's check-ins
    and sessions (where autovacuum is off, as here, they would slow the pages being measured;
    a production server's autovacuum removes them)."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")


def server_facts(url: str) -> dict[str, str]:
    names = ["server_version", "shared_buffers", "work_mem", "effective_cache_size"]
    names += ["max_connections", "random_page_cost", "autovacuum"]
    with psycopg.connect(url) as connection:
        return {
            name: str(row[0]) if (row := connection.execute(f"SHOW {name}").fetchone()) else "?"
            for name in names
        }


# Environments of the steps.


def development_env(base: dict[str, str], url: str) -> dict[str, str]:
    env = {k: v for k, v in base.items() if k not in {"SOIHTU_ENV", "SECRET_KEY"}}
    return env | {"DATABASE_URL": url, "SOIHTU_DEMO": "1", "SOIHTU_ENV": "development"}


def production_env(base: dict[str, str], url: str, secret: str, static: Path) -> dict[str, str]:
    env = {k: v for k, v in base.items() if k not in {"SOIHTU_DEMO", "DEBUG"}}
    return env | {
        "SOIHTU_ENV": "production",
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": HOST,
        "SOIHTU_BASE_URL": f"https://{HOST}",
        "SECURE_SSL_REDIRECT": "0",  # the requests say https through X-Forwarded-Proto anyway
        "DEBUG": "0",
        "STATIC_ROOT": str(static),
        "DATABASE_URL": url,
        "LOG_LEVEL": base.get("LOG_LEVEL", "WARNING"),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


# Single requests.


@dataclass
class Single:
    name: str
    who: str
    median_ms: float
    p95_ms: float
    kb: float
    status: int


def fetch(
    connection: http.client.HTTPConnection, url: str, headers: dict[str, str]
) -> tuple[int, int]:
    """One GET on the kept-alive connection: (status, body bytes)."""
    connection.request("GET", url, headers=headers)
    response = connection.getresponse()
    body = response.read()
    if response.getheader("Connection", "").lower() == "close":
        connection.close()
    return response.status, len(body)


def time_page(
    port: int, url: str, headers: dict[str, str], count: int
) -> tuple[list[float], int, int]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        status, size = fetch(connection, url, headers)  # warm-up
        times = []
        for _ in range(count):
            started_at = time.perf_counter()
            status, size = fetch(connection, url, headers)
            times.append((time.perf_counter() - started_at) * 1000)
        return times, status, size
    finally:
        connection.close()


def headers_for(who: str, sessions: dict[str, Any]) -> dict[str, str] | None:
    """The headers of the person a page is asked for as; None if there is no such person."""
    person = next(p for p in sessions["people"] if p["username"] == sessions["torchbearer"])
    if who == "person":
        return PROXY_HEADERS | {"Cookie": person["cookie"]}
    if who == "office":
        office = sessions["office"]
        return PROXY_HEADERS | {"Cookie": office["cookie"]} if office else None
    if who == "token":
        return PROXY_HEADERS | {"Authorization": f"Bearer {person['api_token']}"}
    return dict(PROXY_HEADERS)


def single_requests(port: int, sessions: dict[str, Any], count: int) -> list[Single]:
    results = []
    for page in sessions["pages"]:
        headers = headers_for(page["as"], sessions)
        if headers is None:
            continue
        times, status, size = time_page(port, page["url"], headers, count)
        results.append(
            Single(
                name=page["name"],
                who=page["as"],
                median_ms=statistics.median(times),
                p95_ms=percentile(times, 0.95),
                kb=size / 1000,
                status=status,
            )
        )
        print(
            f"  {page['name']:<22} {results[-1].median_ms:7.0f} ms  {size / 1000:6.0f} kB  {status}"
        )
    return results


# The peak mix.


@dataclass
class MixRow:
    name: str
    requests: int
    failures: int
    p50: float
    p95: float
    p99: float
    rps: float


def mix_rows(stats_csv: Path) -> dict[str, MixRow]:
    """locust's statistics per request name (and "Aggregated" for all of them)."""
    rows = {}
    with stats_csv.open(newline="", encoding="utf-8") as file:
        for row in csv.DictReader(file):
            rows[row["Name"]] = MixRow(
                name=row["Name"],
                requests=int(row["Request Count"]),
                failures=int(row["Failure Count"]),
                p50=float(row["50%"] or 0),
                p95=float(row["95%"] or 0),
                p99=float(row["99%"] or 0),
                rps=float(row["Requests/s"] or 0),
            )
    return rows


def mix_failures(failures_csv: Path) -> list[str]:
    if not failures_csv.exists():
        return []
    with failures_csv.open(newline="", encoding="utf-8") as file:
        return [
            f"{row['Name']}: {row['Error']} ({row['Occurrences']}×)" for row in csv.DictReader(file)
        ]


def peak_mix(
    config: Config, port: int, sessions_file: Path, work: Path, size: int
) -> tuple[dict[str, MixRow], list[str]]:
    prefix = work / f"locust-{size}"
    command = [tool("locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"]
    command += ["-u", str(config.users), "-r", str(SPAWN_RATE), "-t", f"{config.duration}s"]
    command += ["--host", f"http://{HOST}:{port}", "--csv", str(prefix), "--only-summary"]
    command += ["--stop-timeout", "15", "--loglevel", "WARNING"]
    env = os.environ | {"BENCH_SESSIONS": str(sessions_file), "PYTHONPATH": str(ROOT)}
    log = work / f"locust-{size}.log"
    limit = config.duration + config.users / SPAWN_RATE + 120
    with started(command, env=env, log=log) as process:
        try:
            process.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            print(f"  locust ran over {limit:.0f} s; stopped")
    stats = Path(f"{prefix}_stats.csv")
    if not stats.exists():
        raise RuntimeError(
            f"locust wrote no statistics:\n{log.read_text(errors='replace')[-3000:]}"
        )
    return mix_rows(stats), mix_failures(Path(f"{prefix}_failures.csv"))


# One size from start to end.


@dataclass
class SizeResult:
    size: int
    counts: dict[str, int]
    singles: list[Single]
    mix: dict[str, MixRow]
    failures: list[str]
    generated: bool
    startup_s: float
    load_before: float  # the machine's 1-minute load average as the single requests began


def wait_until_serving(
    port: int, process: subprocess.Popen[bytes], log: Path, limit: float = 90
) -> float:
    """Seconds until /healthz answers 200."""
    began = time.monotonic()
    while time.monotonic() - began < limit:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn stopped:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/healthz", headers=PROXY_HEADERS)
            if connection.getresponse().status == 200:
                return time.monotonic() - began
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {limit:.0f} s; see {log}")


def prepare_database(config: Config, size: int, work: Path) -> tuple[str, bool]:
    name = f"soihtu_bench_{size}"
    url = database_url(config.database_url, name)
    created = ensure_database(config.database_url, name)
    print(f"{size:,} people: database {name} ({'created' if created else 'reused'})")
    env = development_env(dict(os.environ), url)
    log = work / f"prepare-{size}.log"
    run(manage("migrate", "--noinput", "-v0"), env=env, timeout=1800, log=log)
    generated = database_counts(url)["units"] == 0
    if generated:
        print(f"  generating the demo organization of {size:,} people…")
        run(manage("demo_generate", "--people", str(size)), env=env, timeout=3600, log=log)
    analyze(url)
    return url, generated


def bench_size(config: Config, size: int, work: Path, static: Path) -> SizeResult:
    url, generated = prepare_database(config, size, work)
    env = production_env(dict(os.environ), url, secrets.token_urlsafe(50), static)
    sessions_file = work / f"sessions-{size}.json"
    sign_in = ["bench_sessions", "--count", str(config.users), "--output", str(sessions_file)]
    sign_in += [f"--yes-database=soihtu_bench_{size}"]
    run(manage(*sign_in), env=env, timeout=900, log=work / f"prepare-{size}.log")
    sessions = json.loads(sessions_file.read_text(encoding="utf-8"))
    port = free_port()
    log = work / f"gunicorn-{size}.log"
    serve = [tool("gunicorn"), "-c", str(ROOT / "gunicorn.conf.py"), "soihtu.wsgi"]
    with started(serve, env=env | {"GUNICORN_BIND": f"{HOST}:{port}"}, log=log) as gunicorn:
        startup = wait_until_serving(port, gunicorn, log)
        load = os.getloadavg()[0]
        print(f"  serving on {HOST}:{port} after {startup:.1f} s; single requests:")
        singles = single_requests(port, sessions, config.single_requests)
        print(f"  peak mix: {config.users} people for {config.duration} s…")
        mix, failures = peak_mix(config, port, sessions_file, work, size)
    counts = database_counts(url)
    return SizeResult(size, counts, singles, mix, failures, generated, startup, load)


# The report.


def ms(value: float) -> str:
    return f"{value:,.0f}"


def table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]


def mix_table(result: SizeResult) -> list[str]:
    names = [name for name in MIX if name in result.mix] + ["Aggregated"]
    rows = [
        [
            "all" if name == "Aggregated" else name,
            f"{row.requests:,}",
            ms(row.p50),
            ms(row.p95),
            ms(row.p99),
            f"{row.rps:.1f}",
            str(row.failures),
        ]
        for name in names
        if (row := result.mix.get(name))
    ]
    return table(["page", "requests", "p50 ms", "p95 ms", "p99 ms", "req/s", "errors"], rows)


def growth_table(small: SizeResult, large: SizeResult) -> list[str]:
    rows = []
    for name in [*MIX, "Aggregated"]:
        a, b = small.mix.get(name), large.mix.get(name)
        if a is None or b is None:
            continue
        ratio = b.p95 / a.p95 if a.p95 else float("inf")
        rows.append(["all" if name == "Aggregated" else name, ms(a.p95), ms(b.p95), f"{ratio:.2f}"])
    head = [
        "page",
        f"p95 {small.size:,}",
        f"p95 {large.size:,}",
        f"ratio {large.size:,}/{small.size:,}",
    ]
    return table(head, rows)


def single_table(results: list[SizeResult]) -> list[str]:
    head = ["page", "as"]
    for result in results:
        head += [f"{result.size:,}: median ms", "p95 ms", "kB", "status"]
    names = [single.name for single in results[0].singles]
    rows = []
    for name in names:
        row = [name, next(s.who for s in results[0].singles if s.name == name)]
        for result in results:
            single = next((s for s in result.singles if s.name == name), None)
            row += (
                [ms(single.median_ms), ms(single.p95_ms), f"{single.kb:,.0f}", str(single.status)]
                if single
                else ["–"] * 4
            )
        rows.append(row)
    return table(head, rows)


@dataclass
class Target:
    text: str
    passed: bool | None  # None: not measured here
    detail: str = ""


def _limit(text: str, items: list[tuple[str, float]], limit: float, unit: str) -> Target:
    over = [f"{name} {value:,.0f} {unit}" for name, value in items if value > limit]
    return Target(text, not over, "over: " + ", ".join(over) if over else "")


def _growth(small: SizeResult, large: SizeResult) -> Target:
    text = f"growth {small.size:,} → {large.size:,} people: each page's p95 at most {GROWTH_MAX}×"
    ratios = [
        (name, large.mix[name].p95 / small.mix[name].p95)
        for name in MIX
        if name in large.mix and name in small.mix and small.mix[name].p95
    ]
    over = [f"{name} {ratio:.2f}×" for name, ratio in ratios if ratio > GROWTH_MAX]
    return Target(text, not over, "over: " + ", ".join(over) if over else "")


def targets(results: list[SizeResult]) -> list[Target]:
    """Issue 10's targets, judged at the largest size run (and the growth from the smallest)."""
    small, large = results[0], results[-1]
    pages = large.singles
    dashboard = "practice dashboard"
    medians = [(s.name, s.median_ms) for s in pages if s.name != dashboard]
    office = [(s.name, s.median_ms) for s in pages if s.name == dashboard]
    html = [(s.name, s.kb) for s in pages if not s.name.startswith("API")]
    mix = [(name, large.mix[name].p95) for name in MIX if name in large.mix]
    errors = sum(row.failures for name, row in large.mix.items() if name != "Aggregated")
    bad_status = [f"{s.name} {s.status}" for s in pages if s.status != 200]
    checks = [
        _limit(
            f"single request: median ≤ {SINGLE_MEDIAN_MS:.0f} ms on every page",
            medians,
            SINGLE_MEDIAN_MS,
            "ms",
        ),
        _limit(
            f"practice dashboard (OKR office): median ≤ {DASHBOARD_MEDIAN_MS:.0f} ms",
            office,
            DASHBOARD_MEDIAN_MS,
            "ms",
        ),
        _limit(f"no page's HTML over {PAGE_MAX_KB:.0f} kB", html, PAGE_MAX_KB, "kB"),
        Target("every page answers 200 to its person", not bad_status, ", ".join(bad_status)),
        _limit(
            f"peak mix: p95 ≤ {MIX_P95_MS:.0f} ms for every page and the check-in POST",
            mix,
            MIX_P95_MS,
            "ms",
        ),
        Target("peak mix: no errors", errors == 0, f"{errors:,} errors" if errors else ""),
    ]
    if large is not small:
        checks.append(_growth(small, large))
    checks.append(
        Target(
            "the same number of queries per page at both sizes",
            None,
            "pinned by the test suite (query counts at two sizes), not measured here",
        )
    )
    return checks


def mark(passed: bool | None) -> str:
    return {True: "✅ pass", False: "❌ fail", None: "–"}[passed]


# The machine.


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return "?"


def git(*args: str) -> str:
    try:
        done = subprocess.run(  # noqa: S603 - a fixed git command, read only
            ["git", *args],  # noqa: S607 - git from PATH, as make finds it
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip()


def gunicorn_settings() -> str:
    """The values gunicorn.conf.py gives in this environment, as the benchmark's servers got
    them (their address aside)."""
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    threads = f" × {conf['threads']} threads" if conf["worker_class"] == "gthread" else ""
    return (
        f"{conf['worker_class']}, {conf['workers']} workers{threads}, "
        f"preload {'on' if conf['preload_app'] else 'off'}, timeout {conf['timeout']} s, "
        f"keep-alive {conf['keepalive']} s, max_requests {conf['max_requests']} "
        f"(± {conf['max_requests_jitter']})"
    )


def version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "?"


def machine(config: Config) -> list[str]:
    pg = server_facts(config.database_url)
    commit = git("rev-parse", "--short", "HEAD")
    dirty = (
        " (with uncommitted changes)"
        if git("status", "--porcelain", "--untracked-files=no")
        else ""
    )
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    overrides = " ".join(
        f"{name}={os.environ[name]}"
        for name in ["BENCH_SIZES", "BENCH_USERS", "BENCH_DURATION", "BENCH_SINGLE_REQUESTS"]
        if name in os.environ
    )
    return [
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; commit {commit or '?'}{dirty}",
        f"- Command: `{(overrides + ' ') if overrides else ''}make bench`",
        f"- Load: {config.users} people, {config.duration} s each size (started {SPAWN_RATE}/s), "
        f"think time 5–15 s; single requests: {config.single_requests} after one warm-up",
        f"- Machine: {cpu_model()}, {cores} cores, {memory_gib()} RAM, {platform.system()} "
        f"{platform.release()}; application, database and load generator on the same cores",
        f"- PostgreSQL {pg['server_version']}: shared_buffers {pg['shared_buffers']}, work_mem "
        f"{pg['work_mem']}, effective_cache_size {pg['effective_cache_size']}, max_connections "
        f"{pg['max_connections']}, random_page_cost {pg['random_page_cost']}, autovacuum "
        f"{pg['autovacuum']}",
        f"- Python {platform.python_version()}, Django {version('django')}, gunicorn "
        f"{version('gunicorn')} ({gunicorn_settings()}), locust {version('locust')}; cache: "
        f"{'Redis' if os.environ.get('REDIS_URL') else 'none (no REDIS_URL)'}",
    ]


def report(config: Config, results: list[SizeResult]) -> str:
    lines = ["## Latest run", "", *machine(config), ""]
    for result in results:
        counts = ", ".join(f"{value:,} {label}" for label, value in result.counts.items())
        fresh = "generated for this run" if result.generated else "reused"
        lines += [
            f"Database of {result.size:,} people ({fresh}): {counts}; gunicorn answered "
            f"{result.startup_s:.1f} s after starting; the 1-minute load average was "
            f"{result.load_before:.1f} before measuring (the preparation's own work included: "
            "well above 1 means other work shared the cores).",
            "",
        ]
    for result in results:
        lines += [f"### Peak mix, {result.size:,} people", "", *mix_table(result), ""]
        if result.failures:
            lines += ["Errors:", "", *[f"- {failure}" for failure in result.failures[:20]], ""]
    if len(results) > 1:
        lines += ["### Growth of p95", "", *growth_table(results[0], results[-1]), ""]
    lines += ["### Single requests", "", *single_table(results), ""]
    judged = f"{results[-1].size:,} people"
    lines += [f"### Targets of issue 10 (judged at {judged})", ""]
    lines += table(
        ["target", "result", "detail"],
        [[t.text, mark(t.passed), t.detail] for t in targets(results)],
    )
    return "\n".join(lines) + "\n"


def write_doc(doc: Path, text: str) -> None:
    """Replace what follows the marker in `doc` with `text`, keeping the head above it."""
    head = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    head = head.split(MARKER, 1)[0].rstrip("\n")
    doc.write_text(f"{head}\n\n{MARKER}\n\n{text}", encoding="utf-8")


def collectstatic(work: Path) -> Path:
    static = work / "static"
    env = production_env(dict(os.environ), "sqlite:///unused", secrets.token_urlsafe(50), static)
    run(manage("collectstatic", "--noinput", "-v0"), env=env, timeout=600, log=work / "static.log")
    return static


def missing_tools() -> list[str]:
    return [name for name in ("gunicorn", "locust") if not Path(tool(name)).exists()]


def main() -> int:
    config = Config.from_env(dict(os.environ))
    if missing := missing_tools():
        print(
            f"{' and '.join(missing)} not installed in {Path(sys.executable).parent}: run the "
            "benchmark with `make bench`, which installs the bench dependency group.",
            file=sys.stderr,
        )
        return 1
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    with tempfile.TemporaryDirectory(prefix="soihtu-bench-") as tmp:
        work = Path(tmp)
        try:
            static = collectstatic(work)
            results = [bench_size(config, size, work, static) for size in config.sizes]
        except StopRequestedError as stopped:
            print(f"Stopped ({stopped}); everything the benchmark started has been ended.")
            return 130
        except RuntimeError as error:
            print(f"The benchmark failed: {error}", file=sys.stderr)
            return 1
        text = report(config, results)
    print()
    print(text)
    write_doc(config.output, text)
    print(f"Written to {config.output}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

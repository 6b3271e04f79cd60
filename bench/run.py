"""Samspill benchmarks: `make bench` (or `.venv/bin/python bench/run.py [SCENARIO ...]`).

Discovers bench/scenarios/*.py. Each module's docstring says what it measures, and its
`run(ctx) -> list[dict]` returns records {"scenario", "database", "metric", "value", "unit",
"n"}. Every scenario starts from an empty, freshly migrated database:

- SQLite (default): var/bench/bench.sqlite3, recreated for every run;
- PostgreSQL: BENCH_DB=postgres, or DATABASE_URL pointing at PostgreSQL. The benchmark never
  touches that database itself: it uses a database named "bench" on the same server
  (default postgres://postgres@127.0.0.1:5432/bench), dropped and created for every run.
  BENCH_DATABASE_URL names another one.

Prints a table and writes var/bench/results.json. Benchmarks are measurements, not tests:
nothing here fails on a slow result.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from urllib.parse import urlsplit, urlunsplit

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
VAR_DIR = Path(os.environ.get("SAMSPILL_VAR_DIR", PROJECT_DIR / "var"))
OUT_DIR = VAR_DIR / "bench"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/bench"


def database_url() -> tuple[str, str]:
    """(DATABASE_URL for the benchmark, "sqlite" | "postgresql")."""
    explicit = os.environ.get("BENCH_DATABASE_URL")
    if explicit:
        return explicit, "postgresql" if explicit.startswith("postgres") else "sqlite"
    current = os.environ.get("DATABASE_URL", "")
    if os.environ.get("BENCH_DB", "").lower() in {"postgres", "postgresql", "pg"}:
        return DEFAULT_PG, "postgresql"
    if current.startswith("postgres"):
        parts = urlsplit(current)
        return urlunsplit(parts._replace(path="/bench")), "postgresql"
    return f"sqlite:///{OUT_DIR / 'bench.sqlite3'}", "sqlite"


def fresh_postgres(url: str) -> None:
    """Drop and create the benchmark database, connecting to the server's "postgres" db."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def fresh_sqlite(url: str) -> None:
    path = Path(url.removeprefix("sqlite:///"))
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def discover(names: list[str]) -> list[ModuleType]:
    modules = []
    for path in sorted((BENCH_DIR / "scenarios").glob("*.py")):
        if path.name.startswith("_") or (names and path.stem not in names):
            continue
        spec = importlib.util.spec_from_file_location(f"bench_scenarios.{path.stem}", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses and pickling look the module up there
        spec.loader.exec_module(module)
        if not callable(getattr(module, "run", None)) or not module.__doc__:
            raise SystemExit(f"{path}: a scenario needs a docstring and run(ctx) -> list[dict]")
        modules.append(module)
    unknown = set(names) - {m.__name__.rsplit(".", 1)[-1] for m in modules}
    if unknown:
        raise SystemExit(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    return modules


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenarios", nargs="*", help="scenario module names (default: all)")
    args = parser.parse_args(argv)

    url, database = database_url()
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    (fresh_postgres if database == "postgresql" else fresh_sqlite)(url)

    # Configure Django for the benchmark database before anything imports the settings.
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "0"  # DEBUG would record every query in memory
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samspill.settings")
    sys.path.insert(0, str(BENCH_DIR))

    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.test.utils import override_settings
    from rich.console import Console
    from rich.table import Table
    from support import Context

    console = Console(width=None if sys.stdout.isatty() else 120)
    modules = discover(args.scenarios)
    console.print(f"[bold]Samspill benchmarks[/] on {database} ({len(modules)} scenarios)")
    call_command("migrate", verbosity=0, interactive=False)

    records: list[dict] = []
    failed: list[str] = []
    # The test client's host, and plain static files storage (no collectstatic manifest).
    overrides = override_settings(
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    with overrides:
        for module in modules:
            name = module.__name__.rsplit(".", 1)[-1]
            summary = (module.__doc__ or "").strip().splitlines()[0]
            console.print(f"\n[bold]{name}[/]: {summary}")
            call_command("flush", verbosity=0, interactive=False)
            started = time.perf_counter()
            try:
                result = module.run(Context(database=database))
            except Exception:  # report it, run the other scenarios, fail at the end
                console.print_exception(max_frames=5)
                failed.append(name)
                continue
            console.print(f"  done in {time.perf_counter() - started:.1f} s")
            for record in result:
                missing = {"scenario", "database", "metric", "value", "unit", "n"} - record.keys()
                if missing:
                    raise SystemExit(f"{name}: record without {sorted(missing)}: {record}")
            records.extend(result)

    table = Table(title=f"Samspill benchmarks ({database})", title_justify="left")
    for column, justify in (
        ("scenario", "left"),
        ("metric", "left"),
        ("value", "right"),
        ("unit", "left"),
        ("n", "right"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for r in records:
        table.add_row(r["scenario"], r["metric"], f"{r['value']:,.2f}", r["unit"], str(r["n"]))
    console.print()
    console.print(table)

    import django as dj

    meta = {
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": database,
        "python": platform.python_version(),
        "django": dj.get_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cpus",
    }
    text = json.dumps({"meta": meta, "records": records}, indent=2, ensure_ascii=False)
    # results.json is the latest run; results-<database>.json keeps one per database.
    for out in (OUT_DIR / "results.json", OUT_DIR / f"results-{database}.json"):
        out.write_text(text + "\n")
    console.print(f"Results written to {OUT_DIR / 'results.json'}")
    if failed:
        console.print(f"[red]Failed scenarios: {', '.join(failed)}[/]")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

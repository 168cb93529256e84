"""Infolijn and django-helpdesk side by side, on the same data, in one run.

    python3 bench/peer/run.py                              # 1,000 then 10,000 tickets, SQLite
    python3 bench/peer/run.py --sizes 10000 --runs 30
    python3 bench/peer/run.py --database postgresql        # databases infolijn_peer_bench_{ours,theirs}
    python3 bench/peer/run.py --database postgresql --sizes 10000,1000000 --runs 10

1. django-helpdesk (PyPI, pinned below) goes into its own virtualenv outside the project
   (--peer-venv, /tmp/infolijn-peer by default), created on first use; nothing of it is copied
   into this repository. bench/peer/peer_site/ is the few lines of settings that run it.
2. Both databases get the same tickets, messages per ticket and knowledge-base items, with the
   same texts (bench/peer/data.py); a second, larger size appends to the first.
   On PostgreSQL both write their rows with COPY (bench/peer/bulk.py); Infolijn's statistics
   rollup is then recounted by its own refresh and its knowledge base indexed by its own
   kb_rebuild_index, as in production after an import.
3. At each size: inbox, ticket page, ticket search, the statistics/reports page and the
   knowledge-base search (Infolijn's API and search page; django-helpdesk has none), timed
   in-process through each project's test client (DEBUG off), p50/p95 of wall time, median CPU
   time of the process, SQL queries per page. Each side is measured by --repeat processes (3),
   the sides alternating, and each figure is the median of the processes' (one process's
   speed varies by a fifth from the next on this shared machine); the statistics pages by the
   first process only.
4. Email: the same generated Maildir into both (Infolijn's import_email path; django-helpdesk's
   "local" mailbox of its get_email command), messages per second, at the size --mail-at
   (10,000 tickets by default; the sizes after it then hold those few hundred tickets too).

Prints a Markdown table with ratios (django-helpdesk / Infolijn: above 1 means Infolijn is
faster) and writes the raw figures to bench/out/peer/results_<database>.json.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from timing import combine  # bench/peer/timing.py, beside this script

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUT = ROOT / "bench" / "out" / "peer"
PEER_PACKAGES = ["django-helpdesk==2.6.1", "psycopg[binary]"]
PAGES = [
    ("inbox", "Inbox / ticket list (page 1)"),
    ("ticket", "Ticket page"),
    ("search", "Ticket search"),
    ("stats", "Statistics / reports page"),
]
KB_PAGES = [
    ("kb_search", "Knowledge-base search (API)"),
    ("kb_search_page", "Knowledge-base search page (staff)"),
]


def peer_venv(path: Path) -> Path:
    python = path / "bin" / "python"
    if not python.exists():
        print(f"==> Creating {path} and installing {' '.join(PEER_PACKAGES)} from PyPI", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(path)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", *PEER_PACKAGES], check=True)
    return python


def database_urls(kind: str, name: str) -> dict[str, str]:
    if kind == "sqlite":
        return {side: f"sqlite:///{OUT / f'{side}.sqlite3'}" for side in ("ours", "theirs")}
    base = os.environ.get("PEER_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
    return {side: f"{base}/{name}_{side}" for side in ("ours", "theirs")}


def fresh(url: str):
    if url.startswith("sqlite"):
        path = Path(url.split("///", 1)[1])
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    base, _slash, name = url.rpartition("/")
    subprocess.run(
        [sys.executable, "-c", _PG_RESET, f"{base}/postgres", name], check=True, cwd=ROOT
    )


_PG_RESET = """
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}"')
    conn.execute(f'CREATE DATABASE "{sys.argv[2]}"')
"""


def call(python: Path, script: str, *args: str) -> dict:
    started = time.perf_counter()
    done = subprocess.run(
        [str(python), str(HERE / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))},
    )
    if done.returncode != 0:
        sys.exit(f"{script} {args[0]} failed:\n{done.stderr[-4000:]}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"   {script} {args[0]}: {time.perf_counter() - started:.0f} s", flush=True)
    return result


def ratio(theirs: float, ours: float) -> str:
    return f"{theirs / ours:.1f}×" if ours else "–"


def table(size: int, ours: dict, theirs: dict) -> str:
    lines = [
        f"**{size:,} tickets**",
        "",
        "| page | Infolijn p50 / p95 | CPU | queries | django-helpdesk p50 / p95 | CPU | queries "
        "| ratio p50 | ratio CPU |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for key, label in PAGES:
        o, t = ours[key], theirs[key]
        lines.append(
            f"| {label} | {o['p50_ms']:.0f} / {o['p95_ms']:.0f} ms | {o['cpu_ms']:.0f} ms "
            f"| {o['queries']} | {t['p50_ms']:.0f} / {t['p95_ms']:.0f} ms | {t['cpu_ms']:.0f} ms "
            f"| {t['queries']} | {ratio(t['p50_ms'], o['p50_ms'])} | {ratio(t['cpu_ms'], o['cpu_ms'])} |"
        )
    for key, label in KB_PAGES:
        o = ours[key]
        lines.append(
            f"| {label} | {o['p50_ms']:.0f} / {o['p95_ms']:.0f} ms | {o['cpu_ms']:.0f} ms "
            f"| {o['queries']} | none (no KB search) | | | – | – |"
        )
    # Sessions: ours from Redis as deployed (docs/deploy.md), theirs in the database, Django's
    # default and django-helpdesk's documented setting.
    lines += ["", f"Infolijn's cache: {ours.get('cache', 'local memory')}."]
    return "\n".join(lines)


def load_table(loaded: dict) -> str:
    """How long each side took to load this size, and its rate per 10,000 tickets."""
    lines = [
        "| loading | tickets | messages | seconds | seconds per 10,000 tickets added |",
        "| --- | --- | --- | --- | --- |",
    ]
    for side, name in (("ours", "Infolijn"), ("theirs", "django-helpdesk")):
        row = loaded[side]
        added = row.get("added") or row["tickets"]
        lines.append(
            f"| {name} | {row['tickets']:,} | {row['messages']:,} | {row['load_seconds']} "
            f"| {row['load_seconds'] * 10_000 / max(added, 1):.1f} |"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="ticket counts, ascending")
    parser.add_argument("--messages", type=int, default=4, help="messages per ticket")
    parser.add_argument("--kb", type=int, default=100, help="knowledge-base items")
    parser.add_argument("--runs", type=int, default=20, help="requests per page and size")
    parser.add_argument("--mail", type=int, default=500, help="messages in the Maildir (0: skip)")
    parser.add_argument(
        "--mail-at",
        type=int,
        default=10_000,
        help="the size after which email is measured (the last size if none of them)",
    )
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--db-name",
        default="infolijn_peer_bench",
        help="PostgreSQL databases <name>_ours and <name>_theirs (dropped first)",
    )
    parser.add_argument(
        "--repeat",
        type=lambda text: max(1, int(text)),
        default=3,
        help="measuring processes per side and size, alternating; each figure is their median",
    )
    parser.add_argument("--peer-venv", type=Path, default=Path("/tmp/infolijn-peer"))
    args = parser.parse_args()

    OUT.mkdir(parents=True, exist_ok=True)
    ours_python = ROOT / ".venv" / "bin" / "python"
    theirs_python = peer_venv(args.peer_venv)
    urls = database_urls(args.database, args.db_name)
    for url in urls.values():
        fresh(url)
    common = ["--messages", str(args.messages), "--kb", str(args.kb)]
    sizes = [int(s) for s in args.sizes.split(",")]
    mail_at = args.mail_at if args.mail_at in sizes else sizes[-1]
    results = {"database": args.database, "load_average": os.getloadavg()[0], "sizes": {}}
    output = OUT / f"results_{args.database}.json"
    for size in sizes:
        print(f"==> {size:,} tickets ({args.database})", flush=True)
        loaded, measured = {}, {}
        for side, python in (("ours", ours_python), ("theirs", theirs_python)):
            url = urls[side]
            loaded[side] = call(
                python, f"{side}.py", "load", "--database-url", url, "--tickets", str(size), *common
            )
        # Alternating sides, so that a slow spell of the machine falls on both.
        runs = {"ours": [], "theirs": []}
        for repeat in range(args.repeat):
            # The statistics pages once: django-helpdesk's takes 45 s a request at a million.
            once = ["--no-stats"] if repeat else []
            for side, python in (("ours", ours_python), ("theirs", theirs_python)):
                runs[side].append(
                    call(python, f"{side}.py", "measure", "--database-url", urls[side],
                         "--runs", str(args.runs), *once)
                )  # fmt: skip
        measured = {side: combine(found) for side, found in runs.items()}
        results["sizes"][size] = {
            "loaded": loaded,
            "measured": measured,
            "processes": runs,
            "load_average": os.getloadavg()[0],
        }
        print(load_table(loaded))
        print()
        print(table(size, measured["ours"], measured["theirs"]), flush=True)
        if args.mail and size == mail_at:
            results["email"] = email(args.mail, urls, ours_python, theirs_python)
            results["email"]["tickets_before"] = size
        # Written after every size: a long run that fails later keeps what it measured.
        output.write_text(json.dumps(results, indent=2))
    results["load_average_end"] = os.getloadavg()[0]
    output.write_text(json.dumps(results, indent=2))
    print(f"\nload average {results['load_average']:.1f} → {results['load_average_end']:.1f} "
          f"on {os.cpu_count()} CPUs; raw figures in {output}")  # fmt: skip


def email(count: int, urls: dict, ours_python: Path, theirs_python: Path) -> dict:
    maildir = OUT / f"maildir_{count}"
    if not (maildir / "cur").exists():
        sys.path.insert(0, str(ROOT / "bench"))
        from email_ingest import generate

        generate(maildir, count)
    ingested = {
        side: call(
            python, f"{side}.py", "ingest", "--database-url", urls[side], "--maildir", str(maildir)
        )
        for side, python in (("ours", ours_python), ("theirs", theirs_python))
    }
    o, t = ingested["ours"], ingested["theirs"]
    print(
        f"\n| email ingestion ({o['messages']} messages) | msg/s | msg per CPU-second "
        "| queries/msg |\n| --- | --- | --- | --- |\n"
        f"| Infolijn | {o['per_second']} | {o['per_cpu_second']} | {o['queries_per_message']} |\n"
        f"| django-helpdesk | {t['per_second']} | {t['per_cpu_second']} "
        f"| {t['queries_per_message']} |",
        flush=True,
    )
    return ingested


if __name__ == "__main__":
    main()

"""The zhnews command line. Errors print one line (stage, URL, reason), no traceback."""
from __future__ import annotations

import argparse
import atexit
import gc
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from flows import progress
from tasks.options import Runner, Script, choices, flag_help

console = Console(stderr=False)
err = Console(stderr=True)


class OneLineParser(argparse.ArgumentParser):
    """A usage mistake is one line (and exit 2), like every other error."""

    def error(self, message: str):
        err.print(f"[red]error[/red] {escape(f'[usage]: {self.prog}: {message} (see {self.prog} --help)')}",
                  highlight=False, soft_wrap=True)
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="zhnews", description="Chinese news pages into a clean DuckDB corpus.")
    parser.add_argument("--verbose", action="store_true", help="show Prefect's logs on the terminal")
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", help="ingest local pages (.html/.htm/.txt, .warc/.warc.gz; "
                                           "directories recursed) and URL lists")
    ingest.add_argument("paths", nargs="*", help="files or directories (default: the bundled seeds/, "
                                                 "unless --urls is given)")
    ingest.add_argument("--urls", type=Path, metavar="FILE",
                        help="fetch and ingest the URLs in FILE (one a line, # comments)")
    add_fetch_flags(ingest)
    add_db(ingest)
    add_pipeline_flags(ingest)
    ingest.add_argument("--force", action="store_true",
                        help="process inputs again even if an earlier run finished them unchanged")
    ingest.add_argument("--extract-timeout", type=float, metavar="SECONDS", help=flag_help("extract_timeout"))
    ingest.add_argument("--dedup-threshold", type=jaccard_threshold, metavar="JACCARD",
                        help=flag_help("dedup_threshold"))
    add_runner_flags(ingest)
    add_wait(ingest)

    stats = sub.add_parser("stats", help="what the warehouse holds")
    add_db(stats)

    query = sub.add_parser("query", help="run read-only SQL against the warehouse and print a table")
    query.add_argument("sql")
    query.add_argument("--timeout", type=positive_seconds, default=60.0, metavar="SECONDS",
                       help="stop the query after this many seconds (default 60)")
    query.add_argument("--max-rows", type=positive_int, default=1000, metavar="N",
                       help="print at most N rows, saying when more were cut (default 1000)")
    add_db(query)

    export = sub.add_parser("export", help="write every unique article (id, text, metadata) to a file")
    export.add_argument("out", type=Path, help="output file")
    export.add_argument("--format", choices=["parquet", "jsonl"], default="parquet",
                        help="parquet (default) or jsonl, one record per unique article")
    export.add_argument("--force", action="store_true", help="replace OUT if it exists")
    add_db(export)

    crawl = sub.add_parser("crawl", help="discover article links from seed section/index pages "
                                         "(anchors, RSS/Atom, sitemaps), fetch and ingest them")
    crawl.add_argument("seeds", nargs="+", metavar="SEED_URL",
                       help="section or index page URLs, or files listing them (one a line)")
    crawl.add_argument("--max-pages", type=int, metavar="N", help=flag_help("crawl_max_pages"))
    add_db(crawl)
    add_pipeline_flags(crawl)
    crawl.add_argument("--force", action="store_true",
                       help="fetch unconditionally and process pages even if unchanged")
    add_fetch_flags(crawl)
    add_runner_flags(crawl)
    add_wait(crawl)

    reprocess = sub.add_parser("reprocess", help="run extraction, cleaning, normalisation and dedup "
                                                 "again on the stored raw_pages, without fetching")
    add_db(reprocess)
    add_pipeline_flags(reprocess)
    add_runner_flags(reprocess)
    add_wait(reprocess)

    serve = sub.add_parser("serve", help="serve the scheduled deployments (see flows/schedules.toml)")
    serve.add_argument("--config", type=Path, help="schedule file (default flows/schedules.toml)")
    add_heartbeat_flag(serve)

    automations = sub.add_parser("automations", help="the Prefect automations zhnews ships (zombie runs)")
    automation_commands = automations.add_subparsers(dest="action", required=True)
    install = automation_commands.add_parser(
        "install", help="create or update them on the Prefect server (PREFECT_API_URL)")
    install.add_argument("--within", type=positive_seconds, metavar="SECONDS",
                         help="seconds without a heartbeat after which a running zhnews flow run is "
                              "marked CRASHED (default: three heartbeat intervals, at least 90)")
    install.add_argument("--heartbeat-seconds", type=int, metavar="SECONDS",
                         help="the heartbeat interval the runs use, for the default --within (default 30)")
    return parser


def _float_in(value: str, low: float, high: float, high_included: bool, what: str) -> float:
    """A number in (low, high] or (low, high), checked before any flow starts; nan is in
    no range."""
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not (low < number <= high if high_included else low < number < high):
        raise argparse.ArgumentTypeError(f"{value!r} is not {what}")
    return number


def jaccard_threshold(value: str) -> float:
    return _float_in(value, 0.0, 1.0, True, "a Jaccard similarity in (0, 1]")


def positive_seconds(value: str) -> float:
    """A finite number of seconds above 0 (not nan, not inf)."""
    return _float_in(value, 0.0, float("inf"), False, "a number of seconds above 0")


def positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number of at least 1")
    return number


# Flags of settings take their choices, defaults and help from tasks/options.py (which
# imports nothing heavy); a flag not given is None, and the settings' own value stands.
def add_pipeline_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--script", choices=choices(Script), help=flag_help("script"))
    parser.add_argument("--batch-size", type=int, metavar="N", help=flag_help("batch_size"))
    parser.add_argument("--workers", type=int, metavar="N", help=flag_help("workers"))


def add_fetch_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--allow-private-hosts", action="store_true", default=None,
                        help=flag_help("allow_private_hosts"))
    parser.add_argument("--user-agent", metavar="UA", help=flag_help("user_agent"))


def add_runner_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--runner", choices=choices(Runner), help=flag_help("runner"))
    parser.add_argument("--dask-address", metavar="tcp://HOST:PORT", help=flag_help("dask_address"))
    add_heartbeat_flag(parser)


def add_heartbeat_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--heartbeat-seconds", type=int, metavar="SECONDS",
                        help="seconds between the flow run's heartbeats to Prefect, which "
                             "`zhnews automations install` watches to mark a killed run CRASHED "
                             "(default 30; 0: off; Prefect's minimum 30)")


def add_wait(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--wait", type=float, metavar="SECONDS", dest="warehouse_wait",
                        help=flag_help("warehouse_wait"))


def add_db(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, help=flag_help("db_path"))


STARTED = time.perf_counter()


FLOW_COMMANDS = ("ingest", "crawl", "reprocess")
exit_code = 1  # what the console script exits with: main's result; 1 on an uncaught exception
one_run_process = False  # main() sets it for a flow command run as the console script
interrupted = False  # Ctrl-C came: whatever error it surfaces as (DuckDB, Prefect), it is "interrupted"
INTERRUPTED = 130
INTERRUPTED_LINE = "interrupted: finished batches are in the warehouse; run again to resume"


def main(argv: list[str] | None = None) -> int:
    global exit_code, one_run_process
    args = build_parser().parse_args(argv)
    if argv is None and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, note_interrupt)  # the console script: the process is ours
    if argv is None and args.command in FLOW_COMMANDS:
        one_run_process = True  # the process ends with this flow (tests call main with a list)
    try:
        exit_code = run(args, argv)
    except SystemExit as exc:
        exit_code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
        raise
    return exit_code


def run(args: argparse.Namespace, argv: list[str] | None) -> int:
    if not args.verbose:
        # Logs still reach the Prefect API (and UI); the terminal shows the progress bar instead.
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    from tasks.errors import ZhnewsError

    user_api_url = os.environ.get("PREFECT_API_URL")  # before the temporary server sets it
    try:
        if args.command in (*FLOW_COMMANDS, "serve"):
            check_prefect_home()
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        return interrupted_exit(args, argv)
    except Exception as exc:  # noqa: BLE001 - the last resort: one line, never a traceback
        if interrupted:  # Ctrl-C surfaced as DuckDB's or Prefect's error
            return interrupted_exit(args, argv)
        if user_api_url and args.command in (*FLOW_COMMANDS, "serve", "automations") and \
                not (isinstance(exc, ZhnewsError) and exc.stage != "flow") and not api_reachable(user_api_url):
            exc = ZhnewsError(f"cannot reach the Prefect API at {user_api_url} (PREFECT_API_URL): start "
                              "`prefect server start`, or unset PREFECT_API_URL to use a temporary "
                              "local one", stage="prefect")
        if not isinstance(exc, ZhnewsError):  # a bug or an unexpected failure: still one line
            first_line = (str(exc).strip().splitlines() or [""])[0]
            exc = ZhnewsError(f"{type(exc).__name__}: {first_line}", stage=args.command)
        # escape: "[stage]" and data in the message are not rich markup; soft_wrap and the
        # joined lines: one line, however long.
        message = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())
        err.print(f"[red]error[/red] {escape(message)}", highlight=False, soft_wrap=True)
        if argv is None:  # the console script (tests call main with a list)
            exit_quietly(2)
        return 2


interrupts = 0  # Ctrl-Cs received


def note_interrupt(signum, frame) -> None:
    """Ctrl-C: remember it, then raise KeyboardInterrupt as Python does. A second one (a
    user pressing twice) raises nothing: the run is already stopping, and an interrupt
    inside its clean-up would leave the runs row and Prefect's state half-written. A third
    exits at once; the next run reconciles what this one could not record."""
    global interrupted, interrupts
    interrupted = True
    interrupts += 1
    progress.note_interrupt()  # the run stops between batches if DuckDB lost the KeyboardInterrupt
    if interrupts == 1:
        signal.default_int_handler(signum, frame)
    if interrupts >= 3 and one_run_process:
        err.print(INTERRUPTED_LINE, highlight=False, soft_wrap=True)
        sys.stderr.flush()
        os._exit(INTERRUPTED)


def interrupted_exit(args: argparse.Namespace, argv: list[str] | None) -> int:
    if args.command in FLOW_COMMANDS:
        err.print(INTERRUPTED_LINE, highlight=False, soft_wrap=True)
    else:
        err.print("interrupted", highlight=False)
    if argv is None:
        # The console script: threads a flow left behind must not hold the exit, and a query
        # thread still inside DuckDB must not meet the interpreter's teardown (which ends a
        # daemon thread by unwinding it through DuckDB's C++: the process aborts, SIGABRT).
        exit_quietly(INTERRUPTED)
    return INTERRUPTED


def check_prefect_home() -> None:
    """PREFECT_HOME (where runs are recorded) must be a writable directory before Prefect
    starts: without one, its temporary server fails only after its start-up timeout."""
    from tasks.errors import ZhnewsError

    home = Path(os.environ.get("PREFECT_HOME") or "~/.prefect").expanduser()
    if home.is_dir():
        if not os.access(home, os.W_OK | os.X_OK):
            raise ZhnewsError(f"PREFECT_HOME {home} is not writable: fix its permissions or set "
                              "PREFECT_HOME to a directory you can write", stage="prefect")
        return
    if home.exists() or home.is_symlink():
        raise ZhnewsError(f"PREFECT_HOME {home} is not a directory: set PREFECT_HOME to a directory",
                          stage="prefect")
    try:
        home.mkdir()
    except FileNotFoundError:
        raise ZhnewsError(f"PREFECT_HOME {home} cannot be created: its parent {home.parent} does not "
                          "exist; create it or set PREFECT_HOME elsewhere", stage="prefect") from None
    except OSError as exc:
        raise ZhnewsError(f"PREFECT_HOME {home} cannot be created ({exc.strerror}); set PREFECT_HOME "
                          "to a directory you can write", stage="prefect") from None


def api_reachable(url: str) -> bool:
    """Whether a Prefect API answers at url (asked only after a run failed)."""
    import httpx

    try:
        return httpx.get(f"{url.rstrip('/')}/health", timeout=5).status_code < 500
    except (httpx.HTTPError, ValueError):
        return False


def exit_quietly(code: int) -> None:
    """Exit after the atexit handlers (Prefect's log and event workers drain, the workers'
    shutdown) but before the interpreter's teardown, where DuckDB's bindings list every
    object a failed flow's traceback still holds ("nanobind: leaked ..."), burying the
    one-line error. After a Ctrl-C, threads a flow left behind are not waited for."""
    sys.stdout.flush()
    sys.stderr.flush()
    if code != INTERRUPTED:
        # What a normal exit runs before the atexit handlers: Prefect's services (the log
        # and event workers) drain there; skipped, their last logs and events are lost.
        threading._shutdown()
    # No teardown follows os._exit: nothing to give back or collect for it (collecting
    # here would finalise objects Prefect's undrained services still use).
    atexit.unregister(gc.unfreeze)
    pipeline = sys.modules.get("flows.pipeline")
    if pipeline is not None:
        atexit.unregister(pipeline.release_native_objects)
    atexit._run_exitfuncs()
    os._exit(code)


@contextmanager
def start_up() -> Iterator[None]:
    """Imports with the garbage collector off: they allocate much and free little, so its
    passes over the growing heap only cost time (~10% of importing Prefect)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if one_run_process:
            # What the imports made lives as long as the process: moved out of the
            # collector's sight without a pass over it. Else the first collections after
            # this scan all of it (every object allocated while collection was off is in
            # the youngest generation): ~0.2 s of a one-page run.
            gc.freeze()
            # Given back at exit: frozen objects are never collected, and DuckDB's bindings
            # would list theirs as "nanobind: leaked ..." in the interpreter's teardown.
            atexit.register(gc.unfreeze)
        if enabled:
            gc.enable()


def cmd_ingest(args: argparse.Namespace) -> int:
    from tasks.errors import ZhnewsError

    if args.urls and not args.urls.is_file():  # before Prefect starts: a typo costs no run
        raise ZhnewsError(f"no URL list {args.urls}", stage="fetch")
    if any(not str(path).strip() for path in args.paths):  # Path("") would be the working directory
        raise ZhnewsError("an empty path was given: name a file or directory", stage="read")

    from flows.temporary_server import api_for_run

    # Without a Prefect server configured, its temporary server starts first, so that its
    # start-up overlaps everything below (the flow waits for it only when it starts).
    with api_for_run() as api_ready:
        with start_up():
            from tasks.settings import Settings
            from tasks.workers import pool_for

            settings = checked_settings(args)  # a bad flag or ZHNEWS_* value: one line, no run
            # Start one extraction worker before importing Prefect: its start-up overlaps Prefect's
            # (the flow finds it running; the others start when a batch needs them). Not for
            # .txt files alone: they need no extraction, and the worker's imports (~1 s of CPU)
            # would only compete with the run's own.
            if args.runner != "dask" and may_need_extraction(args):
                pool_for(settings.workers, prestart=1)
            from flows.ingest import ingest

            api_ready()
        summary = run_with_progress(
            "ingest", ingest, settings, paths=[str(p) for p in args.paths] or None, force=args.force,
            urls_file=str(args.urls) if args.urls else None)
    print_summary(summary)
    return 0


def checked_settings(args: argparse.Namespace):
    """The settings a flow command will run with: ZHNEWS_* values and flags, checked."""
    from tasks.settings import Settings

    flags = {name: getattr(args, name, None) for name in
             ("script", "batch_size", "workers", "extract_timeout", "dedup_threshold", "runner",
              "dask_address", "allow_private_hosts", "user_agent", "heartbeat_seconds",
              "warehouse_wait")}
    return Settings().with_overrides(db_path=getattr(args, "db", None),
                                     crawl_max_pages=getattr(args, "max_pages", None), **flags)


def may_need_extraction(args: argparse.Namespace) -> bool:
    """Whether the inputs may hold HTML: URLs, archives, directories, or any file not .txt."""
    from tasks.read import input_kind

    return bool(args.urls) or not args.paths or any(
        not Path(path).is_file() or input_kind(str(path)) != "text" for path in args.paths)


def cmd_crawl(args: argparse.Namespace) -> int:
    from flows.temporary_server import api_for_run

    with api_for_run() as api_ready:  # see cmd_ingest
        with start_up():
            settings = checked_settings(args)
            from flows.crawl import crawl

            api_ready()
        summary = run_with_progress("crawl", crawl, settings, seeds=args.seeds, force=args.force)
    print_summary(summary, "crawl")
    return 0


def cmd_reprocess(args: argparse.Namespace) -> int:
    from flows.temporary_server import api_for_run

    with api_for_run() as api_ready:  # see cmd_ingest
        with start_up():
            settings = checked_settings(args)
            from flows.reprocess import reprocess

            api_ready()
        summary = run_with_progress("reprocess", reprocess, settings)
    print_summary(summary, "reprocess")
    return 0


def run_with_progress(label: str, flow, settings, **parameters):
    """Run a flow with a progress bar on stderr, its setting parameters (script, batch_size,
    ...) from the checked settings, sending Prefect heartbeats as settings say; its summary,
    or its error as one line."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from flows.parameters import setting_parameters
    from flows.run_state import heartbeats

    for parameter, setting in setting_parameters(flow.fn).items():
        value = getattr(settings, setting)
        parameters[parameter] = str(value) if isinstance(value, Path) else value

    # No prefect.tags() here: they would tag every task run (a server round trip each); the
    # flows tag their own runs (flows.artifacts.tag_flow_run).
    with Progress(TextColumn(f"[bold]{label}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=err, transient=True) as bar:
        task_id = bar.add_task("pages", total=None)
        progress.set_listener(lambda what, done, total: bar.update(task_id, completed=done, total=total))
        try:
            with heartbeats(settings.heartbeat_seconds):
                state = flow(**parameters, return_state=True)
        finally:
            progress.set_listener(None)
    return unwrap(state)


def unwrap(state):
    """The flow's result, or its ZhnewsError re-raised for a one-line message."""
    from tasks.errors import ZhnewsError

    try:
        return state.result()
    except ZhnewsError:
        raise
    except Exception as exc:  # a bug or an unexpected failure: still one line, with the stage
        raise ZhnewsError(f"{type(exc).__name__}: {exc}", stage="flow") from None


def run_link(run_id: str) -> str | None:
    """The run's page in the Prefect UI (PREFECT_UI_URL, else the API URL without /api), when
    a Prefect server is set; None for zhnews' temporary server, gone when the command ends."""
    from flows.temporary_server import started_here

    api_url = os.environ.get("PREFECT_API_URL")
    if started_here(api_url):
        return None
    from prefect.utilities.urls import url_for

    return url_for("flow-run", obj_id=run_id)


def print_summary(summary, flow_name: str = "ingest") -> None:
    table = Table(title=f"zhnews {flow_name} · run {summary.run_id[:8]}", show_header=True)
    table.add_column("what")
    table.add_column("count", justify="right")
    table.add_row("inputs", str(summary.inputs))
    table.add_row("articles loaded", str(summary.articles))
    table.add_row("  of which duplicates", str(summary.duplicates))
    table.add_row("unchanged (skipped)", str(summary.unchanged))
    table.add_row("rejected", str(summary.rejected))
    if summary.kept:
        table.add_row("  of which kept their stored article", str(summary.kept))
    for reason, count in summary.rejections.most_common():
        table.add_row(Text(f"  {reason}"), str(count))  # Text: a reason is data, not markup
    table.add_row("seconds in the flow", f"{summary.seconds:.1f}")
    table.add_row("seconds in all (with Prefect start-up)", f"{time.perf_counter() - STARTED:.1f}")
    console.print(table)
    link = run_link(summary.run_id)
    if link:
        console.print(Text(f"run in the Prefect UI: {link}"), soft_wrap=True)


def cmd_stats(args: argparse.Namespace) -> int:
    from warehouse.queries import STATS_QUERIES, run_query

    for title, sql in STATS_QUERIES:
        print_rows(title, run_query(db_of(args), sql))
    return 0


def cmd_query(args: argparse.Namespace) -> int:
    from warehouse.queries import run_query

    result = run_query(db_of(args), args.sql, timeout=args.timeout, max_rows=args.max_rows)
    print_rows(None, result)
    if result.cut:
        err.print(f"only the first {args.max_rows} rows are shown (--max-rows); add a LIMIT or "
                  "raise --max-rows for more", highlight=False, soft_wrap=True)
    return 0


def db_of(args: argparse.Namespace) -> Path:
    from tasks.settings import Settings

    return Settings().with_overrides(db_path=args.db).db_path


def print_rows(title: str | None, result) -> None:
    """Rows as a table. Names and values are Text, never markup: a title with `[/x]` or
    `[link=...]` prints as written."""
    table = Table(title=title)
    for column in result.columns:
        table.add_column(Text(column))
    for row in result.rows:
        table.add_row(*(Text("" if v is None else str(v)) for v in row))
    console.print(table)


def cmd_export(args: argparse.Namespace) -> int:
    from warehouse.queries import export_articles

    count = export_articles(db_of(args), args.out, args.format, args.force)
    console.print(f"exported {count} unique articles to {escape(str(args.out))} ({args.format})",
                  highlight=False)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from flows.deployments import DEFAULT_SCHEDULES, load_config, serve

    settings = checked_settings(args)
    config = args.config or DEFAULT_SCHEDULES
    load_config(config)  # a mistake in the file first: one line naming the entry
    require_server()
    serve(config, heartbeat_seconds=settings.heartbeat_seconds)
    return 0


def cmd_automations(args: argparse.Namespace) -> int:
    from flows.automations import install_automations
    from flows.temporary_server import needed
    from tasks.errors import ZhnewsError

    settings = checked_settings(args)
    if needed():  # a temporary server's automations would go with it
        raise ZhnewsError("no Prefect server configured: start `prefect server start` and set "
                          "PREFECT_API_URL (automations run on a server that stays up)", stage="automations")
    for name, action in install_automations(settings.heartbeat_seconds, args.within):
        console.print(f"{action} automation {escape(name)!r}", highlight=False)
    return 0


def require_server() -> None:
    """`serve` registers deployments on a Prefect server and polls it for their runs: with
    none configured (Prefect would start a temporary one that dies with this process) or
    none answering, one line and exit 2 instead of tracebacks and retries forever."""
    from prefect.settings import get_current_settings

    from tasks.errors import ZhnewsError

    url = get_current_settings().api.url  # the environment's or the Prefect profile's
    if not url:
        raise ZhnewsError("`zhnews serve` needs a Prefect server: start `prefect server start` and set "
                          "PREFECT_API_URL (e.g. http://127.0.0.1:4200/api)", stage="prefect")
    if not api_reachable(url):
        raise ZhnewsError(f"cannot reach the Prefect API at {url} (PREFECT_API_URL): start `prefect server "
                          "start` or point PREFECT_API_URL at a running server", stage="prefect")


COMMANDS = {"ingest": cmd_ingest, "stats": cmd_stats, "query": cmd_query, "export": cmd_export,
            "serve": cmd_serve, "crawl": cmd_crawl, "reprocess": cmd_reprocess,
            "automations": cmd_automations}

if __name__ == "__main__":
    sys.exit(main())

"""`uw`: the command line of union-warehouse.

Heavy imports (Dagster, dbt, the sample writer) happen inside the subcommands, so
`uw --help` and usage errors answer at once.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import os
import sys
import threading

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_GATE_BLOCKED = 0, 1, 2, 3

RUN_EXIT_STATUSES = f"""exit status:
  {EXIT_OK}  done and published (gate passed, or overridden with --publish-anyway)
  {EXIT_GATE_BLOCKED}  done, but the publish gate blocked publishing (serving.duckdb left as it was)
  {EXIT_FAILED}  the run failed (the last lines and the log say where), or another run holds the warehouse
  {EXIT_USAGE}  bad usage (unknown option, inbox or warehouse not a folder)"""


def _version() -> str:
    from pipelines.version import pipeline_version

    return f"uw (union-warehouse) {pipeline_version()}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="uw", description="union-warehouse: ingest, build, check, publish.")
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", required=True)

    sample = commands.add_parser("sample", help="write a seeded sample inbox")
    sample.add_argument("--out", required=True, help="folder to write the inbox into")
    sample.add_argument("--scale", type=int, default=1, help="N times as many enterprises (default 1)")
    sample.add_argument("--seed", type=int, default=20220910, help="random seed (default 20220910)")
    sample.add_argument("--format", choices=("xlsx", "csv", "mixed"), default="mixed", dest="fmt")

    run = commands.add_parser("run", help="materialise the whole asset graph on an inbox",
                              description="Materialise the same Dagster assets the UI shows, for every quarter "
                                          "of the inbox: one line per step, then a summary.",
                              epilog=RUN_EXIT_STATUSES, formatter_class=argparse.RawDescriptionHelpFormatter)
    run.add_argument("--inbox", help="inbox folder (default $UW_INBOX_DIR or data/inbox)")
    run.add_argument("--warehouse", help="warehouse folder (default $UW_WAREHOUSE_DIR or data/warehouse)")
    run.add_argument("--publish-anyway", action="store_true",
                     help="publish serving.duckdb even if the gate blocks (recorded in audit.runs)")
    run.add_argument("--rebuild", action="store_true",
                     help="run dbt and Great Expectations even if nothing changed since the last build")
    run.add_argument("-v", "--verbose", action="store_true",
                     help="print Dagster's and dbt's full log live instead of writing it to "
                          "<warehouse>/logs/uw_run.log")

    from pipelines.cli.outreach import add_outreach_commands

    add_outreach_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "sample":
        from pipelines.cli.sample import sample_command

        return sample_command(args)
    if args.command in ("template", "feedback"):
        from pipelines.cli.outreach import outreach_command

        return outreach_command(args)
    from pipelines.cli.run import run_command

    return run_command(args)


def exit_without_teardown(status: int) -> None:
    """End the process as `sys.exit` would, minus the interpreter's teardown.

    Freeing every module and object of a process that imported Dagster, dbt and pandas took
    ~0.7 s after the summary was printed (a tenth of a no-op run, docs/performance.md); the
    operating system reclaims the memory at once. What an exit must still do happens first:
    other threads finish, exit handlers run (logging's flush, temporary folders), and the
    standard streams are flushed. Only for the console script: tests call `main` in process.
    """
    threading._shutdown()  # what the interpreter's exit does first: thread exit hooks, then joins
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing left to tell
            stream.flush()
    os._exit(status)


def console_main() -> None:
    """The `uw` script: `main`, then a quick exit (`exit_without_teardown`)."""
    try:
        status = main()
    except SystemExit as stop:  # argparse's --help, --version and usage errors
        code = stop.code
        status = code if isinstance(code, int) else (0 if code is None else 1)
        if not isinstance(code, int) and code is not None:
            print(code, file=sys.stderr)
    exit_without_teardown(status)


if __name__ == "__main__":
    sys.exit(main())

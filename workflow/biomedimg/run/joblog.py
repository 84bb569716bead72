"""Every job's log, set up in one place: what the job read, what it wrote (with sizes), how long it took.

``biomedimg.run.job`` calls ``job_log`` around each script, so no script can forget it. Inside, the
process's stdout and stderr (file descriptors 1 and 2, so also warnings, C libraries and subprocesses)
go to the log file, and ``logging`` writes there too. A failing script leaves its error (the traceback,
or the message it exited with) in the log, and one line naming the log on the console.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
import traceback
from collections.abc import Iterable, Iterator
from pathlib import Path

LOGGER = "biomedimg"
FORMAT = "%(message)s"


def get_logger(name: str = LOGGER) -> logging.Logger:
    """The logger scripts and package code write to (the job's log file while a job runs)."""
    return logging.getLogger(name)


def _size(path: str) -> str:
    p = Path(path)
    if p.is_dir():
        files = [f for f in p.rglob("*") if f.is_file()]
        return f"directory, {len(files)} files, {sum(f.stat().st_size for f in files):,} bytes"
    if p.is_file():
        return f"{p.stat().st_size:,} bytes"
    return "missing"


def describe_files(verb: str, files: Iterable[str]) -> list[str]:
    return [f"{verb} {f} ({_size(f)})" for f in files]


@contextlib.contextmanager
def _output_to(log_path: Path) -> Iterator[None]:
    """Send fds 1 and 2 to the log file until the block ends."""
    sys.stdout.flush()
    sys.stderr.flush()
    console = os.dup(2)
    saved_out = os.dup(1)
    log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.dup2(log_fd, 1)
        os.dup2(log_fd, 2)
        yield
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved_out, 1)
        os.dup2(console, 2)
        for fd in (log_fd, saved_out, console):
            os.close(fd)


@contextlib.contextmanager
def job_log(
    title: str, log_path: str | None, inputs: Iterable[str], outputs: Iterable[str]
) -> Iterator[None]:
    """Run the body with its output in ``log_path`` (or on the console when None), logging what it read
    and wrote and how long it took. Exceptions and non-zero exits are logged, then end the process
    with status 1 and a one-line notice on the console."""
    inputs, outputs = list(inputs), list(outputs)
    redirect = contextlib.nullcontext(None)
    if log_path:
        Path(log_path).parent.mkdir(parents=True, exist_ok=True)
        redirect = _output_to(Path(log_path))
    with redirect:
        logging.basicConfig(stream=sys.stderr, level=logging.INFO, format=FORMAT, force=True)
        log = get_logger()
        log.info(title)
        for line in describe_files("read ", inputs):
            log.info(line)
        start = time.monotonic()
        failure = None
        try:
            yield
        except SystemExit as exc:
            if exc.code not in (None, 0):
                failure = str(exc.code) if isinstance(exc.code, str) else f"exit status {exc.code}"
        except BaseException as exc:  # noqa: BLE001  (every error belongs in the log)
            traceback.print_exc()
            failure = f"{exc.__class__.__name__}: {exc}"
        elapsed = time.monotonic() - start
        if failure is None:
            for line in describe_files("wrote", outputs):
                log.info(line)
            log.info(f"done in {elapsed:.1f} s")
        else:
            log.error(f"FAILED after {elapsed:.1f} s: {failure}")
        logging.shutdown()
    if failure is not None:
        where = f" (log: {log_path})" if log_path else ""
        print(f"{failure}{where}", file=sys.stderr)
        sys.exit(1)

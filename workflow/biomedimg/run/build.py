"""``make``'s way of running the workflow: ``python -m biomedimg.run.build [snakemake arguments]``.

- A lock left by a killed run is removed only when no job of this checkout still runs
  (``biomedimg.run.locks``); otherwise the message names the running job.
- Outputs changed by hand since they were built are rebuilt, not published (``biomedimg.outputs.outputcheck``).
- Ctrl-C prints one line instead of a traceback from every running job.  Snakemake runs in its own
  session, so the terminal's SIGINT reaches only this process, which stops Snakemake and its jobs
  with SIGTERM (Python dies from SIGTERM without a traceback) and stops showing their output.
  Outputs are written atomically and the profile sets ``rerun-incomplete``, so the next ``make``
  redoes exactly the unfinished jobs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from biomedimg.outputs import outputcheck
from biomedimg.run import locks

GRACE_SECONDS = 30


def _forward(stream, sink, silenced: threading.Event) -> None:
    for chunk in iter(lambda: stream.readline(), b""):
        if not silenced.is_set():
            sink.write(chunk)
            sink.flush()


def _stop(proc: subprocess.Popen) -> None:
    for sig, wait in ((signal.SIGTERM, GRACE_SECONDS), (signal.SIGKILL, None)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if locks.main() != 0:
        return 1
    lines, rebuild = outputcheck.before_build()
    for line in lines:
        print(line, file=sys.stderr)
    if rebuild and not args:
        args = ["all", *rebuild]
    snakemake = Path(sys.executable).parent / "snakemake"
    proc = subprocess.Popen(
        [str(snakemake), "--cores", "all", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    silenced = threading.Event()
    forwarders = [
        threading.Thread(target=_forward, args=(stream, sink, silenced), daemon=True)
        for stream, sink in ((proc.stdout, sys.stdout.buffer), (proc.stderr, sys.stderr.buffer))
    ]
    for forwarder in forwarders:
        forwarder.start()
    try:
        code = proc.wait()
        for forwarder in forwarders:
            forwarder.join()
        if code == 0:
            outputcheck.after_build()
        return code
    except KeyboardInterrupt:
        silenced.set()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not interrupt the cleanup
        _stop(proc)
        print(
            "Interrupted: the build stopped; finished outputs are kept and the next `make` redoes "
            "the unfinished ones.",
            file=sys.stderr,
        )
        return 130


if __name__ == "__main__":
    raise SystemExit(main())

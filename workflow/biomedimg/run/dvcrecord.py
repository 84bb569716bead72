"""DVC's record of the last build: ``dvc.lock`` gets the hashes of what dvc.yaml's ``build`` stage was
built from, so that ``dvc status`` agrees with Snakemake after every ``make`` (``make`` runs this after
a successful build; ``python -m biomedimg.run.dvcrecord``).

DVC's view of the project is then: ``data/raw.dvc`` (the recorded version of the raw data: an edited
file shows as ``modified: data/raw`` until ``dvc add data/raw``) and the ``build`` stage (the code,
config, book sources and claims ledger, and ``results/validated``: Snakemake's record of the raw data
it validated, one stamp with the md5 of each file, written only for valid data, so the lock never
records invalid data). A committed ``dvc.lock`` that no longer matches (the code changed since) is
rewritten here and shows in ``git status``, to be committed with the change.

Only in a git checkout: DVC needs one (a download without .git builds without this record). Not
under ``dvc repro`` (which runs ``make workflow`` as the stage's command, with ``DVC_STAGE`` set, and
writes the lock itself when the command ends).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from biomedimg import paths

LOCK = "dvc.lock"
STAGE = "build"


def record(root: Path = paths.ROOT) -> bool:
    """Write the build stage's hashes into dvc.lock; True if the file changed."""
    if not (root / ".git").exists() or os.environ.get("DVC_STAGE"):
        return False
    import logging

    from dvc.repo import Repo

    logging.getLogger("dvc").setLevel(logging.WARNING)  # one line of ours says what happened (main)
    before = (root / LOCK).read_bytes() if (root / LOCK).exists() else None
    # Not staged in git (the project's DVC config stages what `dvc add` writes): committing the
    # record is the user's act, like any change.
    with Repo(str(root), config={"core": {"autostage": False}}) as repo:
        repo.commit(STAGE, force=True)
    return (root / LOCK).read_bytes() != before


def main() -> int:
    if record():
        print(f"{LOCK}: recorded what this build was made from (commit it with your change)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

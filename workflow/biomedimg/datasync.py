"""Bring ``data/raw`` to a buildable state before ``make`` builds, without ever overwriting an edit.

``make`` runs ``python -m biomedimg.datasync``.  It compares ``data/raw`` with the version recorded
in ``data/raw.dvc`` and says in one line what it found and did:

- a fresh clone or download (no tracked file present yet): every file is restored from the DVC
  remote; a file whose object is missing from the remote is named, the others are restored;
- a new version of ``data/raw.dvc`` (after ``git pull`` or ``git checkout``): files it adds are
  restored and files still as the previous version left them are updated (without a record of
  that version: files whose bytes are a recorded version in the DVC cache or remote);
- a file edited since ``data/raw.dvc``: left as it is, the build uses the edit, and the line says
  how to record it;
- a tracked file deleted by the user: not restored (deleting is an edit too); the build stops
  with its name (``biomedimg.preflight``), and ``--restore NAME`` brings it back;
- a file that is not in ``data/raw.dvc``: named as new.

What "as the previous version left them" means is kept in ``.dvc/tmp/datasync-state.json``: the
md5 of each file as this module last saw it matching ``data/raw.dvc``.  A checkout without that
record (made before this module existed) gets missing files restored, as ``dvc pull`` did.

Why not ``dvc pull``: it refuses to run while any tracked file is edited (and ``--quiet`` hid the
reason), it needs a git repository (a ``git archive`` or zip download has none), and it restores
nothing when one object of the remote is missing.  When the remote is a folder (the embedded
``data/dvc-remote``), objects are copied from it directly; any other remote is fetched into the
cache with ``dvc fetch`` first, whose errors are shown as they are.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from biomedimg import paths
from biomedimg.io import load_yaml
from biomedimg.provenance import file_hash

DVC_FILE = Path("data/raw.dvc")
# Files a previous run could not restore: restoring them again is finishing that run, not undoing a
# deletion by the user.
PENDING = Path(".dvc/tmp/datasync-unrestored.json")
STATE = Path(".dvc/tmp/datasync-state.json")
RECORD_HINT = ".venv/bin/dvc add data/raw && git add data/raw.dvc"


class SyncError(Exception):
    """data/raw cannot be brought to a buildable state; the message says why and what to do."""


@dataclass
class Status:
    tracked: dict[str, str]  # relpath -> md5 recorded in data/raw.dvc
    missing: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    new: list[str] = field(default_factory=list)


def md5(path: Path) -> str:
    """The file's md5, as DVC records it."""
    return file_hash(path, "md5")


def object_path(store: Path, md5_hash: str) -> Path:
    """Where DVC 3 keeps an object in a cache or a local remote."""
    return store / "files" / "md5" / md5_hash[:2] / md5_hash[2:]


def recorded_dir_hash(root: Path) -> str:
    path = root / DVC_FILE
    if not path.exists():
        raise SyncError(f"{DVC_FILE} is missing; it records which version of data/raw to build from")
    try:
        return load_yaml(path.read_text(encoding="utf-8"))["outs"][0]["md5"]
    except (yaml.YAMLError, KeyError, IndexError, TypeError) as exc:
        raise SyncError(f"{DVC_FILE} cannot be read ({exc!r})") from None


def remote_folder(root: Path) -> Path | None:
    """The default DVC remote if it is a local folder (``url`` relative to .dvc/), else None."""
    from configobj import ConfigObj

    config: dict = {}
    for name in ("config", "config.local"):
        path = root / ".dvc" / name
        if path.exists():
            for section, values in ConfigObj(str(path)).items():
                config.setdefault(section, {}).update(values)
    remote = config.get("core", {}).get("remote")
    url = config.get(f'remote "{remote}"', {}).get("url") if remote else None
    if not url or "://" in url:
        return None
    return (root / ".dvc" / url).resolve()


def find_object(root: Path, md5_hash: str) -> Path | None:
    for store in (root / ".dvc" / "cache", remote_folder(root)):
        if store is not None and object_path(store, md5_hash).is_file():
            return object_path(store, md5_hash)
    return None


def dvc_fetch(root: Path) -> None:
    """Fetch data/raw's objects into the cache from a remote that is not a folder (errors shown)."""
    dvc = Path(sys.executable).parent / "dvc"
    result = subprocess.run([str(dvc), "fetch", str(DVC_FILE)], cwd=root, check=False)
    if result.returncode != 0:
        raise SyncError(f"dvc fetch {DVC_FILE} failed (exit {result.returncode}); its error is above")


def manifest(root: Path) -> dict[str, str]:
    """relpath -> md5 of every file recorded in data/raw.dvc."""
    dir_hash = recorded_dir_hash(root)
    source = find_object(root, dir_hash)
    if source is None and remote_folder(root) is None:
        dvc_fetch(root)
        source = find_object(root, dir_hash)
    if source is None:
        raise SyncError(
            f"the list of files of {DVC_FILE} (object {dir_hash}) is neither in the DVC cache nor in "
            "the remote; nothing can be restored"
        )
    _cache(root, source, dir_hash)
    return {entry["relpath"]: entry["md5"] for entry in json.loads(source.read_text(encoding="utf-8"))}


def status(root: Path) -> Status:
    tracked = manifest(root)
    raw = root / paths.RAW_DIR
    result = Status(tracked)
    for relpath, expected in sorted(tracked.items()):
        path = raw / relpath
        if not path.exists():
            result.missing.append(relpath)
        elif md5(path) != expected:
            result.changed.append(relpath)
    if raw.is_dir():
        result.new = sorted(
            str(p.relative_to(raw))
            for p in raw.rglob("*")
            if p.is_file() and str(p.relative_to(raw)) not in tracked
        )
    return result


def _cache(root: Path, source: Path, md5_hash: str) -> None:
    """Keep a copy of an object in the DVC cache, as `dvc pull` does, so `dvc status` and
    `dvc checkout` find it."""
    cached = object_path(root / ".dvc" / "cache", md5_hash)
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.tmp")
        shutil.copyfile(source, tmp)
        tmp.chmod(0o444)
        tmp.replace(cached)


def restore(root: Path, relpaths: list[str], tracked: dict[str, str]) -> list[str]:
    """Copy each file's recorded version into data/raw; return those whose object is missing."""
    if remote_folder(root) is None and any(find_object(root, tracked[r]) is None for r in relpaths):
        dvc_fetch(root)
    unrestorable = []
    for relpath in relpaths:
        source = find_object(root, tracked[relpath])
        if source is None:
            unrestorable.append(relpath)
            continue
        _cache(root, source, tracked[relpath])
        target = root / paths.RAW_DIR / relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.restoring")
        shutil.copyfile(source, tmp)
        tmp.chmod(0o644)
        tmp.replace(target)
    return unrestorable


def _names(files: list[str]) -> str:
    return ", ".join(files)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def sync(root: Path = paths.ROOT, restore_deleted: list[str] | None = None) -> tuple[int, str]:
    """Restore what a fresh checkout lacks; return (exit status, the one line that says what happened)."""
    try:
        st = status(root)
    except SyncError as exc:
        return 1, f"data/raw: {exc}"
    pending_file, state_file = root / PENDING, root / STATE
    pending = set(json.loads(pending_file.read_text(encoding="utf-8"))) if pending_file.exists() else set()
    state = json.loads(state_file.read_text(encoding="utf-8")) if state_file.exists() else None
    fresh = len(st.missing) == len(st.tracked)

    def deleted_by_user(relpath: str) -> bool:
        # Missing although the version data/raw.dvc records was in place before.
        return state is not None and state.get(relpath) == st.tracked[relpath]

    wanted = set(pending) | set(restore_deleted or [])
    to_restore = [r for r in st.missing if fresh or r in wanted or not deleted_by_user(r)]
    deleted = [r for r in st.missing if r not in to_restore]
    # Files as the previous data/raw.dvc left them (not edited here) follow the new version. Without
    # a record (a checkout made before this module), a file whose bytes are an object of the DVC cache
    # or remote is an earlier recorded version, not an edit: updating it loses nothing.
    raw = root / paths.RAW_DIR

    def left_by_previous_version(relpath: str) -> bool:
        current = md5(raw / relpath)
        if state is not None and relpath in state:
            return state[relpath] != st.tracked[relpath] and current == state[relpath]
        return find_object(root, current) is not None

    outdated = [r for r in st.changed if left_by_previous_version(r)]
    st.changed = [r for r in st.changed if r not in outdated]
    try:
        unrestorable = restore(root, to_restore + outdated, st.tracked) if to_restore or outdated else []
    except SyncError as exc:
        return 1, f"data/raw: {exc}"
    new_state = {r: h for r, h in (state or {}).items() if r in st.tracked}
    for relpath, expected in st.tracked.items():
        if (raw / relpath).exists() and relpath not in st.changed and relpath not in unrestorable:
            new_state[relpath] = expected
    state_file.parent.mkdir(parents=True, exist_ok=True)
    state_file.write_text(json.dumps(new_state, indent=0, sort_keys=True), encoding="utf-8")
    if unrestorable:
        pending_file.parent.mkdir(parents=True, exist_ok=True)
        pending_file.write_text(json.dumps(unrestorable), encoding="utf-8")
    else:
        pending_file.unlink(missing_ok=True)

    parts = []
    restored = [r for r in to_restore if r not in unrestorable]
    if outdated:
        parts.append(f"updated {_names(outdated)} to the version in {DVC_FILE}")
    if restored:
        what = "all " + _plural(len(restored), "file") if fresh and not unrestorable else _names(restored)
        parts.append(f"restored {what} from the DVC remote")
    if unrestorable:
        parts.append(
            f"cannot restore {_names(unrestorable)}: its object is missing from the DVC remote "
            "(ask whoever recorded data/raw.dvc to run `.venv/bin/dvc push`)"
        )
    if deleted:
        parts.append(
            f"{_plural(len(deleted), 'file')} deleted since {DVC_FILE} ({_names(deleted)}); "
            f"bring it back with: .venv/bin/python -m biomedimg.datasync --restore {' '.join(deleted)}"
        )
    if st.changed:
        parts.append(
            f"{_plural(len(st.changed), 'file')} changed locally since {DVC_FILE} ({_names(st.changed)}); "
            "building from your edit"
        )
    if st.new:
        parts.append(f"{_plural(len(st.new), 'new file')} not in {DVC_FILE} ({_names(st.new)})")
    if (st.changed or st.new) and not (deleted or unrestorable):
        parts.append(f"record {'it' if len(st.changed) + len(st.new) == 1 else 'them'} with: {RECORD_HINT}")
    if not parts:
        parts.append(f"up to date with {DVC_FILE} ({_plural(len(st.tracked), 'file')})")
    return (1 if unrestorable else 0), "data/raw: " + "; ".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m biomedimg.datasync",
        description="Restore data/raw where a fresh checkout lacks it; never overwrite an edit.",
    )
    parser.add_argument(
        "--restore",
        nargs="+",
        metavar="FILE",
        default=[],
        help="also restore these deleted files (names as in data/raw, e.g. exchange_rates.csv)",
    )
    args = parser.parse_args(argv)
    try:
        code, line = sync(paths.ROOT, [Path(f).name for f in args.restore])
    except KeyboardInterrupt:
        print("Interrupted while restoring data/raw; run make again to finish.", file=sys.stderr)
        return 130
    print(line, file=sys.stderr if code else sys.stdout)
    return code


if __name__ == "__main__":
    raise SystemExit(main())

"""Bring ``data/raw`` to a buildable state before ``make`` builds, without ever overwriting an edit.

``make`` runs ``python -m biomedimg.run.datasync``.  It compares ``data/raw`` with the version recorded
in ``data/raw.dvc`` and says in one line what it found and did:

- a fresh clone or download (no tracked file present yet): every file is restored from the DVC
  remote; a file whose object is missing from the remote is named, the others are restored;
- a new version of ``data/raw.dvc`` (after ``git pull`` or ``git checkout``): files it adds are
  restored and files still as the previous version left them are updated (without a record of
  that version: files whose bytes are a recorded version in the DVC cache or remote);
- a file edited since ``data/raw.dvc``: left as it is, the build uses the edit, and the line says
  how to record it;
- a tracked file deleted by the user: not restored (deleting is an edit too); the build stops
  with its name (``biomedimg.run.preflight``), and ``--restore NAME`` brings it back;
- a file that is not in ``data/raw.dvc``: named as new.

What "as the previous version left them" means is kept in ``.dvc/tmp/datasync-state.json``: the
md5 of each file as this module last saw it matching ``data/raw.dvc``.  A checkout without that
record (made before this module existed) gets missing files restored, as ``dvc pull`` did.

Why not ``dvc pull`` or ``dvc fetch`` + ``dvc checkout``: they check data/raw out as one directory,
so they refuse to run while any tracked file is edited (and ``--quiet`` hid the reason) or, with
``--force``, overwrite the edit, and they bring back a file the user deleted (deleting is an edit
here); they need a git repository (a ``git archive`` or zip download has none); and they restore
nothing when one object of the remote is missing.  So the restore is this module's own, with DVC's
guarantees kept by hand:

- every object is checked as DVC checks it before it replaces anything: the md5 of its bytes (DVC 3,
  ``hash: md5``: no line-ending normalisation) must be the md5 its name records (objects live at
  ``files/md5/<first 2>/<other 30>`` in the cache and a local remote; the list of files is the
  object ``<md5>.dir``, checked the same way: DVC's documented cache format, not an internal, so not
  in biomedimg.patches).  All objects are checked before the first is
  written; a corrupt one is named and nothing is written, neither into data/raw nor into
  ``.dvc/cache``, so a corrupt object is never built, published, or offered to ``dvc add`` as an edit;
- every path the list of files names must stay inside data/raw: an absolute path or one with
  ``..`` is refused by name, and so is any symbolic link in data/raw (``biomedimg.links``), so
  nothing is written through a link or read through one.

When the remote is a folder (the embedded ``data/dvc-remote``), objects are copied from it directly;
any other remote is fetched into the cache with ``dvc fetch`` first, whose errors are shown as they
are, and its objects are checked here, as any other, when they are copied from the cache.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

import yaml

from biomedimg import links, paths
from biomedimg.io import load_yaml
from biomedimg.outputs.provenance import file_hash

DVC_FILE = Path("data/raw.dvc")
# Files a previous run could not restore: restoring them again is finishing that run, not undoing a
# deletion by the user.
PENDING = Path(".dvc/tmp/datasync-unrestored.json")
STATE = Path(".dvc/tmp/datasync-state.json")
RECORD_HINT = ".venv/bin/dvc add data/raw && git add data/raw.dvc"


class SyncError(Exception):
    """data/raw cannot be brought to a buildable state; the message says why and what to do (one line
    per problem, each shown after ``data/raw: ``)."""


class Refused(SyncError):
    """Symbolic links in data/raw; the message is one complete line per link (biomedimg.links)."""


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
        dir_hash = load_yaml(path.read_text(encoding="utf-8"))["outs"][0]["md5"]
    except (yaml.YAMLError, KeyError, IndexError, TypeError) as exc:
        raise SyncError(f"{DVC_FILE} cannot be read ({exc!r})") from None
    # The hash names a file of the cache and the remote: anything but a hash could name another file.
    if not isinstance(dir_hash, str) or not re.fullmatch(r"[0-9a-f]{32}\.dir", dir_hash):
        raise SyncError(f"{DVC_FILE}: md5 {dir_hash!r} is not the md5 of a folder (32 hex digits, then .dir)")
    return dir_hash


def _shown(root: Path, path: Path) -> str:
    """A path as the user knows it: relative to the project when inside it."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def _corrupt(root: Path, source: Path, expected: str, actual: str, what: str) -> str:
    return (
        f"{_shown(root, source)} ({what}) is corrupt: its md5 is {actual}, not the {expected} its name "
        "records; nothing was restored (replace the object with a good copy, e.g. from the checkout "
        "that ran `dvc push`)"
    )


def _hash_of_object(md5_hash: str) -> str:
    """The md5 of an object's bytes, as its name records it (a list of files ends in ``.dir``)."""
    return md5_hash.removesuffix(".dir")


def _copy_verified(root: Path, source: Path, dest: Path, md5_hash: str, what: str, mode: int) -> None:
    """Copy ``source`` to ``dest`` (through a temporary file beside it) only if its bytes have the md5
    its name records; otherwise nothing is left at ``dest`` and the error names the object."""
    tmp = dest.with_name(f".{dest.name}.restoring")
    digest = hashlib.md5()
    with open(source, "rb") as src, open(tmp, "wb") as out:
        for chunk in iter(lambda: src.read(1 << 20), b""):
            digest.update(chunk)
            out.write(chunk)
    if digest.hexdigest() != _hash_of_object(md5_hash):
        tmp.unlink()
        raise SyncError(_corrupt(root, source, _hash_of_object(md5_hash), digest.hexdigest(), what))
    tmp.chmod(mode)
    tmp.replace(dest)


def verify(root: Path, source: Path, md5_hash: str, what: str) -> str | None:
    """None if the object's bytes have the md5 its name records, else the line that says it is corrupt."""
    actual = md5(source)
    if actual == _hash_of_object(md5_hash):
        return None
    return _corrupt(root, source, _hash_of_object(md5_hash), actual, what)


def outside_raw(relpath: object) -> str | None:
    """Why a path from the list of files would not be a file inside data/raw (None: it is one).

    Read as DVC writes it (``/``) and as Windows would read it (``\\`` too, drive letters), so
    neither reading can leave data/raw."""
    if not isinstance(relpath, str) or not relpath.strip():
        return "which is not a file name"
    windows = PureWindowsPath(relpath)
    if PurePosixPath(relpath).is_absolute() or windows.drive or windows.root:
        return "an absolute path"
    if ".." in windows.parts:
        return "which leads out of data/raw (..)"
    if not [part for part in windows.parts if part != "."]:
        return "which names data/raw itself"
    return None


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
    """relpath -> md5 of every file recorded in data/raw.dvc, once the list is checked: its object has
    its md5, and every entry is a file inside data/raw with an md5 (else one line per bad entry)."""
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
    what = f"the list of files of {DVC_FILE}"
    corrupt = verify(root, source, dir_hash, what)
    if corrupt:
        raise SyncError(corrupt)
    named = f"{what} (object {_shown(root, source)})"
    try:
        entries = json.loads(source.read_text(encoding="utf-8"))
        tracked = {entry["relpath"]: entry["md5"] for entry in entries}
    except (ValueError, KeyError, TypeError) as exc:
        raise SyncError(f"{named} cannot be read ({exc!r}); nothing was restored") from None
    problems = []
    for relpath, md5_hash in tracked.items():
        reason = outside_raw(relpath)
        if reason:
            problems.append(f"{named} names {relpath!r}, {reason}; refused, nothing was restored")
        elif not isinstance(md5_hash, str) or not re.fullmatch(r"[0-9a-f]{32}", md5_hash):
            problems.append(f"{named} gives {relpath!r} the md5 {md5_hash!r}, which is not an md5; refused")
    if problems:
        raise SyncError("\n".join(problems))
    return tracked


def cache_manifest(root: Path) -> None:
    """Keep the (checked) list of files in the DVC cache, where `dvc status` looks for it; done once
    the restore succeeded, so a refused run writes nothing."""
    dir_hash = recorded_dir_hash(root)
    source = find_object(root, dir_hash)
    if source is not None:
        _cache(root, source, dir_hash, f"the list of files of {DVC_FILE}")


def status(root: Path) -> Status:
    # A link in data/raw is neither read (its target would be built and published as an edit) nor
    # written through (a restore would land where it points).
    refused = links.refused(root, folders=(paths.RAW_DIR,), files=())
    if refused:
        raise Refused("\n".join(refused))
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


def _cache(root: Path, source: Path, md5_hash: str, what: str) -> None:
    """Keep a copy of an object in the DVC cache, as `dvc pull` does, so `dvc status` and
    `dvc checkout` find it; only an object whose bytes have its md5 gets there."""
    cached = object_path(root / ".dvc" / "cache", md5_hash)
    if not cached.exists():
        cached.parent.mkdir(parents=True, exist_ok=True)
        _copy_verified(root, source, cached, md5_hash, what, 0o444)


def restore(root: Path, relpaths: list[str], tracked: dict[str, str]) -> list[str]:
    """Copy each file's recorded version into data/raw; return those whose object is missing.

    Every object is checked first: one corrupt object stops the restore before anything is written."""
    if remote_folder(root) is None and any(find_object(root, tracked[r]) is None for r in relpaths):
        dvc_fetch(root)
    sources = {relpath: find_object(root, tracked[relpath]) for relpath in relpaths}
    found = {relpath: source for relpath, source in sources.items() if source is not None}
    corrupt = [
        verify(root, source, tracked[relpath], f"the DVC object of {relpath}")
        for relpath, source in found.items()
    ]
    if any(corrupt):
        raise SyncError("\n".join(line for line in corrupt if line))
    raw = root / paths.RAW_DIR
    for relpath, source in found.items():
        what = f"the DVC object of {relpath}"
        target = raw / relpath
        try:
            _cache(root, source, tracked[relpath], what)
            target.parent.mkdir(parents=True, exist_ok=True)
            # Checked again while copying: the object may have changed since it was checked.
            _copy_verified(root, source, target, tracked[relpath], what, 0o644)
        except OSError as exc:
            raise SyncError(f"cannot write {_shown(root, target)} ({exc.strerror or exc})") from None
    return [relpath for relpath, source in sources.items() if source is None]


def _lines(exc: SyncError) -> str:
    """The lines that say why data/raw was left as it was."""
    if isinstance(exc, Refused):
        return str(exc)
    return "\n".join(f"data/raw: {line}" for line in str(exc).splitlines())


def _names(files: list[str]) -> str:
    return ", ".join(files)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def sync(root: Path = paths.ROOT, restore_deleted: list[str] | None = None) -> tuple[int, str]:
    """Restore what a fresh checkout lacks; return (exit status, the one line that says what happened)."""
    try:
        st = status(root)
    except SyncError as exc:
        return 1, _lines(exc)
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
        cache_manifest(root)
    except SyncError as exc:
        return 1, _lines(exc)
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
            f"bring it back with: .venv/bin/python -m biomedimg.run.datasync --restore {' '.join(deleted)}"
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
        prog="python -m biomedimg.run.datasync",
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

"""Run one of workflow/scripts with a ``snakemake`` object built from the command line.

Why not Snakemake's ``script:`` directive: it starts the script with ``{sys.executable} {script}``,
the interpreter path unquoted (snakemake/script/__init__.py, PythonScript.execute_script; upstream
issue snakemake/snakemake#2645), so every job fails when the project's ``.venv`` lives in a folder
whose path holds a space. Rules instead run a ``shell:`` command built by ``common.smk``, every path
quoted, that calls this runner; the runner hands the script the same ``snakemake.input``, ``.output``,
``.log``, ``.params`` and ``.wildcards`` it would have had, and logs the job (``biomedimg.run.joblog``).

The same command runs a script alone, outside Snakemake, for debugging::

    python -m biomedimg.run.job workflow/scripts/make_table.py --wildcard name=table1_xiangshan_conferences \\
        --output csv=/tmp/t1.csv --output xlsx=/tmp/t1.xlsx --output html_zh=/tmp/t1.zh.html \\
        --output html_en=/tmp/t1.en.html --output prov=/tmp/t1.prov.json

An entry is ``PATH`` (unnamed), ``NAME=PATH`` (``snakemake.output.NAME``) or ``NAME[]=PATH`` (one
item of the list ``snakemake.input.NAME``).
"""

from __future__ import annotations

import argparse
import json
import re
import runpy
import sys
from collections.abc import Iterator
from pathlib import Path

from biomedimg import patches
from biomedimg.run import joblog

NAMED = re.compile(r"(?P<name>[A-Za-z_]\w*)(?P<list>\[\])?=(?P<value>.*)", re.S)


class Files(list):
    """Paths in order, some of them named (like Snakemake's Namedlist): ``files.csv``, ``files["csv"]``."""

    def __init__(self, entries: list[str] = ()):
        super().__init__()
        self._names: dict[str, int | list[int]] = {}
        for entry in entries:
            self.add(entry)

    def add(self, entry: str) -> None:
        match = NAMED.fullmatch(entry)
        if not match:
            self.append(entry)
            return
        self.append(match["value"])
        if match["list"]:
            self._names.setdefault(match["name"], []).append(len(self) - 1)
        else:
            self._names[match["name"]] = len(self) - 1

    def __getattr__(self, name: str):
        try:
            index = self.__dict__["_names"][name]
        except KeyError:
            raise AttributeError(name) from None
        return [self[i] for i in index] if isinstance(index, list) else self[index]

    def __getitem__(self, key):
        if isinstance(key, str):
            return getattr(self, key)
        return super().__getitem__(key)

    def keys(self):
        return self._names.keys()

    def items(self) -> Iterator[tuple[str, str | list[str]]]:
        for name in self._names:
            yield name, getattr(self, name)


class Values(dict):
    """Params and wildcards: ``values.name`` or ``values["name"]``."""

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


class Job:
    """What a script sees as ``snakemake``."""

    def __init__(self, script, rule="", input=(), output=(), log=(), params=None, wildcards=None):
        self.script = str(script)
        self.rule = rule or Path(script).stem
        self.input = Files(input)
        self.output = Files(output)
        self.log = Files(log)
        self.params = Values(params or {})
        self.wildcards = Values(wildcards or {})
        self.config: dict = {}  # settings reach scripts as params, so a changed setting reruns the job


def _pair(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    return name, value


def parse(argv: list[str]) -> Job:
    parser = argparse.ArgumentParser(prog="python -m biomedimg.run.job", description=__doc__.split("\n\n")[0])
    parser.add_argument("script", help="the script to run, e.g. workflow/scripts/make_figure.py")
    parser.add_argument("--rule", default="", help="the rule's name (default: the script's name)")
    parser.add_argument("--log", action="append", default=[], help="the job's log file (default: console)")
    parser.add_argument("--input", action="append", default=[], metavar="[NAME=]PATH")
    parser.add_argument("--output", action="append", default=[], metavar="[NAME=]PATH")
    parser.add_argument("--param", action="append", default=[], type=_pair, metavar="NAME=VALUE")
    parser.add_argument("--param-json", action="append", default=[], type=_pair, metavar="NAME=JSON")
    parser.add_argument("--wildcard", action="append", default=[], type=_pair, metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    params = dict(args.param)
    params.update({name: json.loads(value) for name, value in args.param_json})
    return Job(args.script, args.rule, args.input, args.output, args.log, params, dict(args.wildcard))


def _entries(files) -> list[str]:
    """Snakemake's Namedlist as runner entries (PATH, NAME=PATH or NAME[]=PATH)."""
    names: dict[int, str] = {}
    for name, start, end in patches.namedlist_names(files):
        if end is None:
            names[start] = f"{name}="
        else:
            names.update({i: f"{name}[]=" for i in range(start, end)})
    return [names.get(i, "") + str(f) for i, f in enumerate(files)]


def command_args(script: str, rule: str, input, output, params: dict, wildcards) -> list[str]:
    """The runner's arguments for one Snakemake job (``common.smk`` puts them in the shell command)."""
    args = [script, "--rule", rule]
    for entry in _entries(input):
        args += ["--input", entry]
    for entry in _entries(output):
        args += ["--output", entry]
    for name, value in params.items():
        if isinstance(value, str):
            args += ["--param", f"{name}={value}"]
        else:
            args += ["--param-json", f"{name}={json.dumps(value, ensure_ascii=False, sort_keys=True)}"]
    for name, value in wildcards.items():
        args += ["--wildcard", f"{name}={value}"]
    return args


def run(job: Job) -> None:
    wildcards = ", ".join(f"{k}={v}" for k, v in job.wildcards.items())
    title = f"rule {job.rule}" + (f" ({wildcards})" if wildcards else "") + f": {job.script}"
    log = job.log[0] if job.log else None
    with joblog.job_log(title, log, job.input, job.output):
        runpy.run_path(job.script, init_globals={"snakemake": job}, run_name="__main__")


def main(argv: list[str] | None = None) -> None:
    run(parse(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    main()

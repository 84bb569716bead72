# Helpers shared by the rule files: every path comes from biomedimg.paths, spelled out once.
import os
import sys
from pathlib import Path

# The package in this checkout, not whichever one is installed, serves the Snakefile and every job's
# script (jobs inherit PYTHONPATH), so a clone elsewhere builds with its own code.
PACKAGE_DIR = str(Path(workflow.basedir) / "workflow")
sys.path.insert(0, PACKAGE_DIR)
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [PACKAGE_DIR, os.environ.get("PYTHONPATH")]))

from biomedimg import paths
from biomedimg.provenance import git_commit
from biomedimg.validate import dataset_dependencies

RAW_DATASETS = paths.raw_names()
BOOK_INDEX = str(paths.BOOK_HTML / "index.html")


wildcard_constraints:
    name="[a-z0-9_]+",


def raw(*names):
    """A rule's raw inputs: each CSV together with the stamp proving it passed validation."""
    files = []
    for name in names:
        files += [str(paths.raw_csv(name)), str(paths.validated_stamp(name))]
    return files


def code(*modules):
    """Package modules a rule's output depends on, so editing them reruns the rule."""
    return [f"workflow/biomedimg/{module}.py" for module in modules]


def figure_outputs(name):
    return {
        f"{lang}_{fmt}": str(paths.figure(name, lang, fmt))
        for lang in paths.LANGS
        for fmt in paths.FIGURE_FORMATS
    }


def prov(rule_name):
    return str(paths.provenance_fragment(rule_name))


def log(rule_name):
    return f"logs/{rule_name}.log"


def script_of(rule_name):
    """The script a rule runs, as a path from the project root (for provenance)."""
    return f"workflow/scripts/{Path(workflow.get_rule(rule_name).script).name}"

# Helpers shared by the *.smk files: every path comes from biomedimg.paths, spelled out once.
import sys
from pathlib import Path

sys.path.insert(0, str(Path(workflow.basedir) / "workflow"))

from biomedimg.paths import use_this_checkout

# The package in this checkout, not whichever copy is installed, serves every job's script.
use_this_checkout()

from biomedimg import paths
from biomedimg.provenance import git_commit
from biomedimg.validate import dataset_dependencies

RAW_DATASETS = paths.raw_names()
BOOK_INDEX = str(paths.BOOK_HTML / "index.html")


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
    """A figure's files: SVG and PNG per language, and the values it plots (values_zh, values_en)."""
    files = {
        f"{lang}_{fmt}": str(paths.figure(name, lang, fmt))
        for lang in paths.LANGS
        for fmt in paths.FIGURE_FORMATS
    }
    files.update(
        {f"values_{lang}": str(paths.figure_values(name, lang)) for lang in paths.LANGS}
    )
    return files


def prov(rule_name):
    return str(paths.provenance_fragment(rule_name))


def log(rule_name):
    return f"logs/{rule_name}.log"


def script_of(rule_name):
    """The script a rule runs, as a path from the project root (for provenance)."""
    return f"workflow/scripts/{Path(workflow.get_rule(rule_name).script).name}"

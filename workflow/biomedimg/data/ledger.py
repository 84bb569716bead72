"""Reading and checking the claims ledger (``data/claims/claims.yaml``) against its schema.

Apart from ``biomedimg.outputs.claims`` (which computes the claims, with pandas) so that the Snakefile can
refuse a broken ledger before it plans any job, at the cost of a YAML file and a JSON Schema: every
error is one line naming the file, the claim and the field.  Only the names of the compute functions
need ``biomedimg.outputs.claims``; without them, ``compute`` is checked to be a string.
"""

from __future__ import annotations

from pathlib import Path

import jsonschema
import yaml

from biomedimg import paths, vocab
from biomedimg.data import validate
from biomedimg.io import load_yaml, yaml_problem


class ClaimsError(ValueError):
    """The ledger breaks its schema; ``str()`` is one line per error."""


def claims_schema(root: Path = paths.ROOT, functions: list[str] | None = None) -> dict:
    """The JSON Schema of claims.yaml, with the vocabularies filled in from biomedimg.vocab and the
    compute functions (any string when they are not given)."""
    with open(root / paths.CLAIMS_SCHEMA, encoding="utf-8") as fh:
        schema = load_yaml(fh)
    schema["$defs"]["status"] = {"enum": list(vocab.STATUSES)}
    schema["$defs"]["comparison"] = {"enum": list(vocab.COMPARISONS)}
    schema["$defs"]["differs"] = {"enum": list(vocab.EVIDENCE_DIFFERS)}
    schema["$defs"]["function"] = {"enum": functions} if functions is not None else {"type": "string"}
    return schema


def schema_errors(document, root: Path = paths.ROOT, functions: list[str] | None = None) -> list[str]:
    """Every violation of the claims schema, one line each: file, claim, field, rule; and every
    full-width digit or Latin letter in a claim's text (the raw data refuse them too)."""
    validator = jsonschema.Draft202012Validator(claims_schema(root, functions))
    errors = []
    for i, claim_doc in enumerate((document.get("claims") or []) if isinstance(document, dict) else []):
        for key, value in claim_doc.items() if isinstance(claim_doc, dict) else ():
            if isinstance(value, str) and (match := validate.FULL_WIDTH.search(value)):
                errors.append(
                    f"{paths.CLAIMS_FILE}: claim {i + 1} ({claim_doc.get('id', '?')}) {key}: full-width "
                    f"character {validate.char_name(match.group())} at character {match.start() + 1}; "
                    "type the ASCII character"
                )
    for e in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.absolute_path))):
        where = list(e.absolute_path)
        claim = ""
        if len(where) >= 2 and where[0] == "claims" and isinstance(where[1], int):
            claim_doc = document["claims"][where[1]]
            cid = claim_doc.get("id", "?") if isinstance(claim_doc, dict) else "?"
            claim = f" claim {where[1] + 1} ({cid})"
            where = where[2:]
        field = "/".join(map(str, where)) or ("(claim)" if claim else "(top level)")
        errors.append(f"{paths.CLAIMS_FILE}:{claim} {field}: {e.message}")
    return errors


def load_claims(root: Path = paths.ROOT, functions: list[str] | None = None) -> list[dict]:
    """The claims of the ledger, or ClaimsError listing every error (YAML syntax, an anchor or alias,
    the schema, duplicate ids), one line each."""
    try:
        with open(root / paths.CLAIMS_FILE, encoding="utf-8") as fh:
            document = load_yaml(fh)
    except yaml.YAMLError as exc:
        line, column, text = yaml_problem(exc)
        raise ClaimsError(
            f"{paths.CLAIMS_FILE}, line {line}, column {column}: is not valid YAML: {text}"
        ) from None
    except UnicodeDecodeError as exc:
        raise ClaimsError(
            f"{paths.CLAIMS_FILE}: is not valid UTF-8 ({exc.reason} at byte {exc.start})"
        ) from None
    errors = schema_errors(document, root, functions)
    found = document.get("claims") if isinstance(document, dict) else None
    ids = (
        [c["id"] for c in found or [] if isinstance(c, dict) and "id" in c] if isinstance(found, list) else []
    )
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        errors.append(f"{paths.CLAIMS_FILE}: duplicate claim ids {dupes}")
    if errors:
        raise ClaimsError("\n".join(errors))
    return document["claims"]

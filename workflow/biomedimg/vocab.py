"""Vocabularies shared by the claims, the metrics, the book and the tests (each written once here)."""

from __future__ import annotations

# The status of a claim of the ledger, with its meaning in each language.
STATUSES = {
    "pass": ("数据支持", "the data support the statement"),
    "fail": ("数据不符", "the data contradict the statement"),
    "inconclusive": ("无法判定", "the data bound the value but cannot decide"),
    "by_construction": (
        "据构造一致",
        "the data were chosen or inferred to fit the statement, so agreement proves nothing",
    ),
    "not_derivable": ("无法推算", "no data here can recompute the number"),
}

"""Evaluate every claim of the ledger; write claims.json, claims.csv and the DVC metrics."""

import sys

import pandas as pd
from biomedimg.data import ledger
from biomedimg.io import write_csv, write_json
from biomedimg.outputs import claims, provenance
from biomedimg.run.joblog import get_logger

log = get_logger()
data = claims.Data()  # every raw dataset loaded once, for the claims and the row counts
try:
    results = claims.evaluate_all(data=data)
except ledger.ClaimsError as exc:
    # One line per error, no traceback (the Snakefile's preflight refuses the same ledger earlier).
    sys.exit("\n".join(f"INVALID INPUT: {line}" for line in str(exc).splitlines()))
write_json(snakemake.output.json, {"claims": results})
frame = pd.DataFrame(results)
frame["rests_on"] = frame["rests_on"].map(" ".join)
frame["evidence"] = frame["evidence"].map(lambda inputs: " ".join(e["input"] for e in inputs))
frame["computed_bounds"] = frame["computed_bounds"].map(claims.bounds_text)
frame["external_evidence"] = frame["external_evidence"].map(" ".join)
frame = frame.drop(
    columns="external_evidence_rows"
)  # the rows are published as the resource external_evidence
write_csv(snakemake.output.csv, frame)
write_json(snakemake.output.metrics, claims.metrics(results, data))
for r in results:
    log.info(f"{r['status']:>13}  {r['id']}: stated {r['stated']}, computed {r['computed']}")
provenance.record(snakemake)

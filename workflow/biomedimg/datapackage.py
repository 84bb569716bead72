"""The published Frictionless Data Package: one CSV resource per table, every field described."""

from __future__ import annotations

import pandas as pd
import yaml

from biomedimg import catalog, nobel, paths, rawdata
from biomedimg.io import write_bytes, write_csv, write_json
from biomedimg.validate import load_schema

# Resources copied byte for byte from a raw file (their schema is the raw schema), and derived ones;
# the list lives in the catalog, which the workflow reads to declare every file build() writes.
COPIED = list(catalog.COPIED_RESOURCES)
DERIVED = list(catalog.DERIVED_RESOURCES)
RESOURCES = catalog.data_resources()

NOBEL_FIELDS = [
    {"name": "year", "type": "integer", "description": "Prize year"},
    {
        "name": "field",
        "type": "string",
        "description": "Prize field: physics, chemistry or medicine (physiology or medicine)",
        "constraints": {"required": True, "enum": ["physics", "chemistry", "medicine"]},
    },
    {
        "name": "imaging_type",
        "type": "string",
        "description": "Imaging type the prize is coloured by in Figure 1 "
        "(ct = CT and X-ray, optical, spectroscopy, nuclide, electron_microscopy, nmr)",
    },
    {
        "name": "laureates",
        "type": "string",
        "description": "Laureates of the imaging-related part of the prize, joined with '; '",
    },
    {
        "name": "motivation",
        "type": "string",
        "description": "Official prize motivation(s) from nobelprize.org",
    },
    {"name": "url", "type": "string", "description": "The prize's page on nobelprize.org"},
    {
        "name": "rationale_en",
        "type": "string",
        "description": "Why this project classes the prize under its type",
    },
]


# Descriptions of the derived resources, written for the published files (the raw sidecars describe
# the raw files, which have other columns).
NOBEL_DESCRIPTION = (
    "One row per imaging-related Nobel Prize work of Figure 1 (a reconstruction by this project: the "
    "review lists none of them): prize year, field (physics, chemistry or medicine), the imaging type "
    "the work is coloured by, the laureates of the imaging-related work, the official motivation(s) "
    "from nobelprize.org joined from the Nobel snapshot, the prize's nobelprize.org URL and the "
    "project's rationale for the imaging type. The selection rule and the candidates considered are "
    "in nobel_imaging_candidates."
)
AWARDS_DESCRIPTION = (
    "One row per award of an NSFC Creative Research Group of Table 4 (18 awards, 2001-2019): the "
    "award year, the award number (1 first award, 2 first renewal 三进六, 3 second renewal 六进九) "
    "and the group it went to (group_id of nsfc_creative_groups) with its title, leader, department, "
    "discipline and host institution repeated for convenience. The groups as printed, with their "
    "award years as printed (立项年度, e.g. 2006/2009), are in nsfc_creative_groups."
)


def _fields_from_raw(name: str) -> list[dict]:
    fields = []
    for f in load_schema(name)["fields"]:
        field = {"name": f["name"], "type": f.get("type", "string"), "description": f["description"]}
        cons = {k: v for k, v in f.get("constraints", {}).items() if k in ("required", "enum")}
        if cons:
            field["constraints"] = cons
        fields.append(field)
    return fields


def _meta(name: str) -> dict:
    with open(paths.ROOT / paths.raw_meta(name), encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def creative_group_awards(groups: pd.DataFrame, awards: pd.DataFrame) -> pd.DataFrame:
    merged = awards.merge(groups, on="group_id", validate="many_to_one")
    cols = [
        "year",
        "award_no",
        "group_id",
        "group_title_zh",
        "group_title_en",
        "pi_zh",
        "pi_en",
        "department_zh",
        "department_en",
        "discipline_zh",
        "discipline_en",
        "institution_zh",
        "institution_en",
    ]
    return merged.sort_values(["year", "group_id"], kind="stable")[cols]


def build(out_dir=paths.DATA_DIR) -> dict:
    out_dir = paths.ROOT / out_dir
    resources = []
    for name in COPIED:
        write_bytes(out_dir / f"{name}.csv", (paths.ROOT / paths.raw_csv(name)).read_bytes())
        meta = _meta(name)
        resource = _resource(
            name,
            meta["title_en"],
            meta["description_en"],
            _fields_from_raw(name),
            meta["source"],
            meta["licence"],
        )
        # Links between copied files (each translation names its statement) hold in the package too.
        keys = [
            fk for fk in load_schema(name).get("foreignKeys", []) if fk["reference"]["resource"] in COPIED
        ]
        if keys:
            resource["schema"]["foreignKeys"] = keys
        resources.append(resource)
    curated, snapshot = rawdata.load("nobel_imaging_prizes"), rawdata.load("nobel_laureates_1901_2023")
    prizes = nobel.join_prizes(curated, snapshot)
    write_csv(out_dir / "nobel_prizes.csv", prizes)
    meta = _meta("nobel_imaging_prizes")
    resources.append(
        _resource(
            "nobel_prizes",
            meta["title_en"],
            NOBEL_DESCRIPTION,
            NOBEL_FIELDS,
            meta["source"],
            meta["licence"],
        )
    )
    awards = creative_group_awards(
        rawdata.load("nsfc_creative_groups"), rawdata.load("nsfc_creative_group_awards")
    )
    write_csv(out_dir / "nsfc_creative_group_awards.csv", awards)
    fields = {
        **{f["name"]: f for f in _fields_from_raw("nsfc_creative_groups")},
        **{f["name"]: f for f in _fields_from_raw("nsfc_creative_group_awards")},
    }
    meta = _meta("nsfc_creative_group_awards")
    resources.append(
        _resource(
            "nsfc_creative_group_awards",
            meta["title_en"],
            AWARDS_DESCRIPTION,
            [fields[c] for c in awards.columns],
            meta["source"],
            meta["licence"],
        )
    )
    resources.sort(key=lambda r: r["name"])
    package = {
        "name": "biomedical-imaging-review-companion",
        "title": "Data of the review 生物医学影像的发展与展望 (Development and prospects of biomedical imaging)",
        "description": "Tables 1-4, the Figure 1 Nobel prizes (with the candidates considered) and every "
        "quantitative statement of the review with the items of its counted lists, curated with Chinese "
        "text as printed and English translations.",
        "licenses": [
            {
                "name": "CC-BY-4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/",
                "title": "Creative Commons Attribution 4.0 (this curation)",
            }
        ],
        "sources": [
            {
                "title": "Nobel Prize records, nobelprize.org (CC0)",
                "path": "https://www.nobelprize.org/prizes/",
            }
        ],
        "resources": resources,
    }
    write_json(out_dir / "datapackage.json", package)
    return package


def _resource(name, title, description, fields, source, licence) -> dict:
    res = {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": title,
        "description": " ".join(description.split()),
        "schema": {"fields": fields},
        "x-licence": licence,
        "x-review-location": " ".join(source["review_location"].split()),
    }
    if source.get("urls"):
        res["sources"] = [
            {"title": source["citation"].split(";")[0][:200], "path": u} for u in source["urls"]
        ]
    return res

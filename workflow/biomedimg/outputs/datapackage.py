"""The published Frictionless Data Package: one CSV resource per table, every field described.

Titles and descriptions are in English (``title``, ``description``) and in Chinese (the extra
properties ``title_zh``, ``description_zh``, which Frictionless keeps and other tools ignore), so each
edition of the book shows the data dictionary in its own language.
"""

from __future__ import annotations

import pandas as pd

from biomedimg import catalog, paths
from biomedimg.data import nobel, rawdata
from biomedimg.data.validate import load_schema
from biomedimg.io import load_yaml, write_bytes, write_csv, write_json

# Resources copied byte for byte from a raw file (their schema is the raw schema), and derived ones;
# the list lives in the catalog, which the workflow reads to declare every file build() writes.
COPIED = list(catalog.COPIED_RESOURCES)
DERIVED = list(catalog.DERIVED_RESOURCES)
RESOURCES = catalog.data_resources()

NOBEL_FIELDS = [
    {"name": "year", "type": "integer", "description": "Prize year", "description_zh": "获奖年份"},
    {
        "name": "field",
        "type": "string",
        "description": "Prize field: physics, chemistry or medicine (physiology or medicine)",
        "description_zh": "奖项领域：physics（物理学奖）、chemistry（化学奖）或 medicine（生理学或医学奖）",
        "constraints": {"required": True, "enum": ["physics", "chemistry", "medicine"]},
    },
    {
        "name": "imaging_type",
        "type": "string",
        "description": "Imaging type the prize is coloured by in Figure 1 "
        "(ct = CT and X-ray, optical, spectroscopy, nuclide, electron_microscopy, nmr)",
        "description_zh": "该奖项在图1中着色所用的成像类型"
        "（ct = CT和X射线，optical, spectroscopy, nuclide, electron_microscopy, nmr）",
    },
    {
        "name": "laureates",
        "type": "string",
        "description": "Laureates of the imaging-related part of the prize, joined with '; '",
        "description_zh": "该奖项中与影像相关部分的获奖者，以 '; ' 连接",
    },
    {
        "name": "motivation",
        "type": "string",
        "description": "Official prize motivation(s) from nobelprize.org",
        "description_zh": "来自 nobelprize.org 的官方授奖理由（英文原文）",
    },
    {
        "name": "url",
        "type": "string",
        "description": "The prize's page on nobelprize.org",
        "description_zh": "该奖项在 nobelprize.org 上的页面",
    },
    {
        "name": "rationale_en",
        "type": "string",
        "description": "Why this project classes the prize under its type",
        "description_zh": "本项目将该奖项归为该成像类型的理由（英文）",
    },
    {
        "name": "rationale_zh",
        "type": "string",
        "description": "Why this project classes the prize under its type, in Chinese (translated for this "
        "companion)",
        "description_zh": "本项目将该奖项归为该成像类型的理由（中文，本项目翻译）",
    },
]


# Descriptions of the derived resources, written for the published files (the raw sidecars describe
# the raw files, which have other columns).
NOBEL_DESCRIPTION = (
    "One row per imaging-related Nobel Prize work of Figure 1 (a reconstruction by this project: the "
    "review lists none of them): prize year, field (physics, chemistry or medicine), the imaging type "
    "the work is coloured by, the laureates of the imaging-related work, the official motivation(s) "
    "from nobelprize.org joined from the Nobel snapshot, the prize's nobelprize.org URL and the "
    "project's rationale for the imaging type, in English and in Chinese. The selection rule and the "
    "candidates considered are in nobel_imaging_candidates."
)
NOBEL_DESCRIPTION_ZH = (
    "图1中每项与影像相关的获得诺贝尔奖的工作一行（本项目的重建：综述未逐项列出）：获奖年份、奖项领域"
    "（physics, chemistry 或 medicine）、该工作着色所用的成像类型、影像相关工作的获奖者、从诺贝尔奖快照"
    "连接来的 nobelprize.org 官方授奖理由（英文原文）、该奖项的 nobelprize.org 网址，以及本项目将其归为"
    "该成像类型的理由（英文和中文）。选择规则和考虑过的候选见 nobel_imaging_candidates。"
)
AWARDS_DESCRIPTION = (
    "One row per award of an NSFC Creative Research Group of Table 4 (18 awards, 2001-2019): the "
    "award year, the award number (1 first award, 2 first renewal 三进六, 3 second renewal 六进九) "
    "and the group it went to (group_id of nsfc_creative_groups) with its title, leader, department, "
    "discipline and host institution repeated for convenience. The groups as printed, with their "
    "award years as printed (立项年度, e.g. 2006/2009), are in nsfc_creative_groups."
)
AWARDS_DESCRIPTION_ZH = (
    "表4中国家自然科学基金创新研究群体的每次资助一行（共18次资助，2001—2019年）：资助年份、资助序号"
    "（1 为首次资助，2 为第一次延续即三进六，3 为第二次延续即六进九）以及获资助的群体"
    "（nsfc_creative_groups 的 group_id），为方便起见重复列出其项目名称、负责人、科学部、学科和依托单位。"
    "按原文的各群体及其按原文的立项年度（如 2006/2009）见 nsfc_creative_groups。"
)
PACKAGE_TITLE = (
    "Data of the review 生物医学影像的发展与展望 (Development and prospects of biomedical imaging)"
)
PACKAGE_TITLE_ZH = "综述《生物医学影像的发展与展望》的数据"
PACKAGE_DESCRIPTION = (
    "Tables 1-4, the Figure 1 Nobel prizes (with the candidates considered) and every quantitative "
    "statement of the review with the items of its counted lists, curated with Chinese text as printed "
    "and English translations."
)
PACKAGE_DESCRIPTION_ZH = (
    "表1—4、图1的诺贝尔奖（及考虑过的候选）以及综述的每个定量陈述及其计数列表的条目，中文按原文整理，"
    "并附英文翻译。"
)


def _fields_from_raw(name: str) -> list[dict]:
    fields = []
    for f in load_schema(name)["fields"]:
        field = {"name": f["name"], "type": f.get("type", "string"), "description": f["description"]}
        if f.get("description_zh"):
            field["description_zh"] = f["description_zh"]
        cons = {k: v for k, v in f.get("constraints", {}).items() if k in ("required", "enum")}
        if cons:
            field["constraints"] = cons
        fields.append(field)
    return fields


def _meta(name: str) -> dict:
    with open(paths.ROOT / paths.raw_meta(name), encoding="utf-8") as fh:
        return load_yaml(fh)


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
            (meta["title_en"], meta["title_zh"]),
            (meta["description_en"], meta["description_zh"]),
            _fields_from_raw(name),
            meta["source"],
            (meta["licence"], meta["licence_zh"]),
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
            (meta["title_en"], meta["title_zh"]),
            (NOBEL_DESCRIPTION, NOBEL_DESCRIPTION_ZH),
            NOBEL_FIELDS,
            meta["source"],
            (meta["licence"], meta["licence_zh"]),
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
            (meta["title_en"], meta["title_zh"]),
            (AWARDS_DESCRIPTION, AWARDS_DESCRIPTION_ZH),
            [fields[c] for c in awards.columns],
            meta["source"],
            (meta["licence"], meta["licence_zh"]),
        )
    )
    resources.sort(key=lambda r: r["name"])
    package = {
        "name": "biomedical-imaging-review-companion",
        "title": PACKAGE_TITLE,
        "title_zh": PACKAGE_TITLE_ZH,
        "description": PACKAGE_DESCRIPTION,
        "description_zh": PACKAGE_DESCRIPTION_ZH,
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


def _resource(name, titles, descriptions, fields, source, licences) -> dict:
    """A tabular resource; ``titles``, ``descriptions`` and ``licences`` are (English, Chinese) pairs,
    published as ``title``/``description``/``x-licence`` and the extra properties ``title_zh``/
    ``description_zh``/``x-licence_zh``."""
    (title, title_zh), (description, description_zh), (licence, licence_zh) = titles, descriptions, licences
    res = {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "title": title,
        "title_zh": title_zh,
        "description": " ".join(description.split()),
        "description_zh": " ".join(description_zh.split()),
        "schema": {"fields": fields},
        "x-licence": " ".join(licence.split()),
        "x-licence_zh": " ".join(licence_zh.split()),
        "x-review-location": " ".join(source["review_location"].split()),
    }
    if source.get("urls"):
        res["sources"] = [
            {"title": source["citation"].split(";")[0][:200], "path": u} for u in source["urls"]
        ]
    return res

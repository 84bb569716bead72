"""Figure 1's prizes: the curated list joined to the Nobel snapshot for motivations and URLs."""

from __future__ import annotations

import pandas as pd

FIELDS = {"Physics": "physics", "Chemistry": "chemistry", "Medicine": "medicine"}
FIELD_LABELS = {
    "physics": ("物理学奖", "Physics"),
    "chemistry": ("化学奖", "Chemistry"),
    "medicine": ("生理学或医学奖", "Physiology or Medicine"),
}


def prize_url(year: int, field: str) -> str:
    return f"https://www.nobelprize.org/prizes/{field}/{year}/summary/"


def join_prizes(curated: pd.DataFrame, snapshot: pd.DataFrame) -> pd.DataFrame:
    """One row per prize: year, field, imaging_type, laureates, motivation (official), url and the
    project's rationale for the type (rationale_en, rationale_zh)."""
    rows = []
    for prize in curated.itertuples(index=False):
        people = prize.laureates.split("; ")
        records = snapshot[(snapshot["year"] == prize.year) & (snapshot["category"] == prize.category)]
        # Laureates of one half of a split prize share a motivation; keep them in snapshot order.
        motivations = []
        for person in people:
            for m in records.loc[records["full_name"] == person, "motivation"]:
                m = (m or "").strip().strip('"')
                if m and m not in motivations:
                    motivations.append(m)
        field = FIELDS[prize.category]
        rows.append(
            {
                "year": int(prize.year),
                "field": field,
                "imaging_type": prize.imaging_type,
                "laureates": prize.laureates,
                "motivation": " | ".join(motivations),
                "url": prize_url(int(prize.year), field),
                "rationale_en": prize.rationale_en,
                "rationale_zh": prize.rationale_zh,
            }
        )
    return pd.DataFrame(rows).sort_values(["year", "field"], kind="stable").reset_index(drop=True)


def distinct_prizes(works: pd.DataFrame, category: str = "category") -> int:
    """How many prizes Figure 1's works won: a prize shared by two works (2002 Chemistry: NMR and mass
    spectrometry) counts once, so 32 works are 31 prizes. ``category`` names the prize's column (the
    curated raw file's ``category``, the published ``nobel_prizes``' ``field``)."""
    return len(works[["year", category]].drop_duplicates())


# Lower-case particles that belong to a surname (de Broglie, von Laue, de Hevesy).
SURNAME_PARTICLES = {"de", "von", "van", "der", "den", "du", "da", "di", "le", "la"}


def short_label(laureates: str) -> str:
    """Surname of the first laureate, '+N' for the others (labels on Figure 1)."""
    people = laureates.split("; ")
    words = people[0].split(",")[0].split()
    start = len(words) - 1
    while start > 0 and words[start - 1] in SURNAME_PARTICLES:
        start -= 1
    first = " ".join(words[start:])
    return first if len(people) == 1 else f"{first} +{len(people) - 1}"

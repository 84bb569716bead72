"""Download formats beside the CSVs: a table as .xlsx, the data package as one .zip.

Both are zip archives, which store a date per entry, and an .xlsx also stores created/modified
times in its core properties: all are fixed here, so two builds of the same data give the same bytes.
"""

from __future__ import annotations

import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from biomedimg import catalog, paths
from biomedimg.catalog import TABLES
from biomedimg.io import write_bytes

# The earliest date a zip entry can hold; used for every entry and for the workbook's timestamps.
FIXED_DATE = (1980, 1, 1, 0, 0, 0)
FIXED_DATETIME = datetime.datetime(*FIXED_DATE)

# A cell that reads as a number and shows exactly as written when stored as one (no leading zeros,
# no trailing zeros after a decimal point, at most 15 significant digits).
_EXACT_NUMBER = re.compile(r"^-?(0|[1-9]\d{0,14})(\.\d{0,14}[1-9])?$")


def normalise_zip(data: bytes) -> bytes:
    """The same archive with fixed entry dates and permissions, entries in their original order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(_entry(info.filename), src.read(info.filename))
    return out.getvalue()


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, wherever the build runs
    info.external_attr = 0o644 << 16
    return info


def write_zip(path: Path | str, files: Iterable[tuple[str, Path | str]]) -> None:
    """A zip of (name in archive, file) pairs, sorted by name, with fixed dates: deterministic."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, source in sorted(files, key=lambda pair: pair[0]):
            archive.writestr(_entry(name), Path(source).read_bytes())
    write_bytes(path, out.getvalue())


def cell_value(value):
    """What a cell holds: integers and exactly written decimals as numbers, all else as text."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, bool):
        return str(value)
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    text = str(value)
    if _EXACT_NUMBER.match(text):
        return int(text) if "." not in text else float(text)
    return text


def _display_width(text: str) -> int:
    """Width in Latin characters: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def workbook_bytes(
    frame: pd.DataFrame,
    sheet: str,
    *,
    title: str = "",
    notes: Iterable[tuple[str, str]] = (),
) -> bytes:
    """An .xlsx of one table: a header row (frozen, bold) and the rows; ``notes`` go on a second sheet.

    Excel and WPS read the text as Unicode from the XML, so Chinese is intact whatever the locale
    (unlike a CSV without a byte-order mark).
    """
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    headers = [str(c) for c in frame.columns]
    ws.append(headers)
    for row in frame.itertuples(index=False):
        ws.append([cell_value(v) for v in row])
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A2"
    for i, header in enumerate(headers, start=1):
        longest = max([_display_width(header)] + [_display_width(str(v)) for v in frame.iloc[:, i - 1]])
        ws.column_dimensions[get_column_letter(i)].width = min(60, max(8, longest + 2))
    notes = list(notes)
    if notes:
        about = wb.create_sheet("说明 About")
        for key, value in notes:
            about.append([key, value])
        about.column_dimensions["A"].width = 24
        about.column_dimensions["B"].width = 100
    wb.properties.title = title or sheet
    wb.properties.creator = "biomedimg"
    wb.properties.created = FIXED_DATETIME
    wb.properties.modified = FIXED_DATETIME
    buffer = io.BytesIO()
    # ExcelWriter, not Workbook.save: save() stamps the modified time with the clock.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(wb, archive).write_data()
    return normalise_zip(buffer.getvalue())


def write_xlsx(path: Path | str, frame: pd.DataFrame, sheet: str, **kwargs) -> None:
    write_bytes(path, workbook_bytes(frame, sheet, **kwargs))


def write_table_xlsx(path: Path | str, name: str, frame: pd.DataFrame) -> None:
    """One of the review's tables as .xlsx: the rows as in its CSV; caption and footnote on a sheet of notes."""
    spec = TABLES[name]
    notes = [
        ("表 / Table", f"表{spec.number} / Table {spec.number}"),
        ("标题", spec.caption_zh),
        ("Caption", spec.caption_en),
    ]
    if spec.footnote_zh:
        notes += [("注", spec.footnote_zh), ("Note", spec.footnote_en)]
    notes.append(("文件 / File", name))
    write_xlsx(
        path,
        frame,
        f"表{spec.number} Table {spec.number}",
        title=f"表{spec.number} {spec.caption_zh} / Table {spec.number} {spec.caption_en}",
        notes=notes,
    )


def write_values_xlsx(path: Path | str, name: str, lang: str, frame: pd.DataFrame) -> None:
    """The values a figure plots as .xlsx, beside their CSV (same header and rows; the CSV's bytes stay
    plain UTF-8); the figure's caption on a sheet of notes."""
    caption = getattr(catalog.FIGURES[name], f"caption_{lang}")
    write_xlsx(
        path,
        frame,
        "数值 Values",
        title=f"{name} ({lang})",
        notes=[("图 / Figure", name), ("标题 / Caption", caption), ("语言 / Language", lang)],
    )


def write_datapackage_zip(path: Path | str, package: dict, data_dir: Path | str | None = None) -> None:
    """The data package as one zip: datapackage.json and every resource it lists, in one folder."""
    data_dir = Path(data_dir) if data_dir is not None else paths.ROOT / paths.DATA_DIR
    folder = package["name"]
    files = [(f"{folder}/datapackage.json", data_dir / "datapackage.json")]
    files += [(f"{folder}/{res['path']}", data_dir / res["path"]) for res in package["resources"]]
    write_zip(path, files)

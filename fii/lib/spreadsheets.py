"""CSV (for Dutch Excel) and XLSX writers for tables of plain values: ``str``, ``int``, ``datetime.date`` or
``None``. Used by the trajectory exports and the audit log export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Iterator, Sequence

Cell = str | int | dt.date | None

DATE_FORMAT = "dd-mm-yyyy"  # Excel number format
CSV_DATE_FORMAT = "%d-%m-%Y"
# A cell starting with one of these may be run as a formula (or DDE command) when a CSV is opened.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Control characters that XML 1.0, and therefore XLSX, cannot hold.
ILLEGAL_XML_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
INVALID_SHEET_TITLE_CHARACTERS = re.compile(r"[\\/*?:\[\]]")


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime(CSV_DATE_FORMAT)
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_PREFIXES) else value
    return str(value)


def as_csv(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> bytes:
    """Semicolon-separated UTF-8 with a byte order mark: what Excel with Dutch settings opens correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_cell(h) for h in headers])
    writer.writerows([_csv_cell(value) for value in row] for row in rows)
    return buffer.getvalue().encode("utf-8-sig")


def _sheet_title(title: str) -> str:
    return INVALID_SHEET_TITLE_CHARACTERS.sub(" ", title).strip()[:31] or "Sheet"


def _width(value: Cell) -> int:
    if isinstance(value, dt.date):
        return len(DATE_FORMAT)
    return max((len(line) for line in str(value or "").splitlines()), default=0)


def as_xlsx(headers: Sequence[str], rows: Iterable[Sequence[Cell]], *, title: str) -> bytes:
    """One sheet: bold frozen header row with a filter, real dates in Dutch format, no formulas."""
    # Imported here, like WeasyPrint: only exports pay for loading openpyxl.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    sheet.append([ILLEGAL_XML_CHARACTERS.sub("", h) for h in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(h) for h in headers]
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            if isinstance(value, str):
                value = ILLEGAL_XML_CHARACTERS.sub("", value)
            cell = sheet.cell(row=row_number, column=column, value=value)
            if isinstance(value, str):
                # openpyxl turns a string starting with "=" into a formula; keep it text.
                cell.data_type = "s"
            elif isinstance(value, dt.date):
                cell.number_format = DATE_FORMAT
            widths[column - 1] = max(widths[column - 1], _width(value))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_chunks(headers: Sequence[str], rows: Iterable[Sequence[Cell]], *, chunk_rows: int = 1000) -> Iterator[bytes]:
    """:func:`as_csv` in pieces of ``chunk_rows`` rows, for a file written while the rows are read."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow([_csv_cell(h) for h in headers])
    for count, row in enumerate(rows, start=1):
        writer.writerow([_csv_cell(value) for value in row])
        if count % chunk_rows == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def xlsx_chunks(
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    *,
    title: str,
    widths: Sequence[int],
    chunk_size: int = 1 << 16,
) -> Iterator[bytes]:
    """:func:`as_xlsx` written row by row (openpyxl's write-only mode keeps no rows in memory), then read back
    in pieces. The column widths are given, since a streamed sheet cannot be measured before it is written."""
    import tempfile

    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(title))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def header_cell(text: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=ILLEGAL_XML_CHARACTERS.sub("", text))
        cell.font = bold
        return cell

    def cell_of(value: Cell) -> WriteOnlyCell | Cell:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value=ILLEGAL_XML_CHARACTERS.sub("", value))
            cell.data_type = "s"  # openpyxl turns a string starting with "=" into a formula; keep it text
            return cell
        if isinstance(value, dt.date):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = DATE_FORMAT
            return cell
        return value

    sheet.append([header_cell(h) for h in headers])
    count = 1
    for row in rows:
        sheet.append([cell_of(value) for value in row])
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(max(len(headers), 1))}{count}"
    with tempfile.TemporaryFile() as handle:
        workbook.save(handle)
        handle.seek(0)
        while chunk := handle.read(chunk_size):
            yield chunk

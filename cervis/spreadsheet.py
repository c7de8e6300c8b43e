"""CSV downloads that a spreadsheet opens safely."""

import csv
import io

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text a spreadsheet shows as text: a leading quote stops a formula from running."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_download(filename, header, rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([safe_cell(v) for v in row] for row in rows)
    # The BOM lets Excel read accented names as UTF-8.
    return Response(
        "\ufeff" + out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def xlsx_download(filename, title, header, rows):
    """An .xlsx of one sheet: numbers stay numbers; every text cell is text, never a formula (written
    as a string, and escaped as the CSV is, for whoever saves it as CSV again)."""
    from openpyxl import Workbook  # a second or so of import: only for whoever downloads one

    book = Workbook(write_only=True)
    sheet = book.create_sheet(safe_cell(title)[:31])
    for values in [header, *rows]:
        sheet.append([_xlsx_cell(sheet, v) for v in values])
    out = io.BytesIO()
    book.save(out)
    return Response(
        out.getvalue(),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    cell = WriteOnlyCell(sheet, value=safe_cell(value))
    cell.data_type = "s"  # openpyxl would otherwise make a formula of any text starting with "="
    return cell

"""Reads an .xlsx with openpyxl and prints what the Excel export's tests check, as JSON.

Run with Debian's interpreter, which has python3-openpyxl:

    /usr/bin/python3 test/xlsx_read.py FILE.xlsx

The dates stamped on the package's zip entries. For each sheet: its name, the value and openpyxl data type of every cell holding one (by
coordinate), the merged ranges, the page setup, the rows printed on every page, the frozen
panes, the fill of filled body cells, the cell comments, and the borders of every cell inside a
merged range.

Borders of merged cells come from the file itself: on loading, openpyxl replaces the cells a
merge covers by MergedCell objects whose borders it recomputes from the top-left cell (edges
only), so what it reports there is not what was written. The sheet's XML gives each cell's style
index, which is resolved through the stylesheet as openpyxl parsed it.
"""

import json
import posixpath
import sys
import zipfile
import xml.etree.ElementTree as ET

try:
    import openpyxl
    from openpyxl.utils.cell import range_boundaries, get_column_letter
except ImportError:  # pragma: no cover - reported to the test, which names the package
    sys.stderr.write("openpyxl is not installed for this interpreter: install Debian's package python3-openpyxl\n")
    sys.exit(3)

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}


def sheet_parts(zf):
    """Sheet name -> path of its XML part inside the package."""
    book = ET.fromstring(zf.read("xl/workbook.xml"))
    rels = ET.fromstring(zf.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("rel:Relationship", NS)}
    out = {}
    for s in book.findall("m:sheets/m:sheet", NS):
        target = targets[s.get("{%s}id" % NS["r"])]
        out[s.get("name")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return out


def style_ids(zf, part):
    """Coordinate -> style index (the s attribute) of every cell written in the sheet."""
    root = ET.fromstring(zf.read(part))
    return {c.get("r"): int(c.get("s", "0")) for c in root.iter("{%s}c" % NS["m"])}


def border_of(wb, style_id):
    border = wb._borders[wb._cell_styles[style_id].borderId]
    return {side: getattr(border, side).style for side in ("left", "right", "top", "bottom")}


def plain(value):
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def main(path):
    wb = openpyxl.load_workbook(path)
    out = {"sheets": []}
    with zipfile.ZipFile(path) as zf:
        out["zipDates"] = sorted({"%04d-%02d-%02d %02d:%02d:%02d" % i.date_time for i in zf.infolist()})
        parts = sheet_parts(zf)
        for ws in wb.worksheets:
            styles = style_ids(zf, parts[ws.title])
            cells, types, fills, comments = {}, {}, {}, {}
            for row in ws.iter_rows():
                for c in row:
                    if c.value is not None:
                        cells[c.coordinate] = plain(c.value)
                        types[c.coordinate] = c.data_type
                    if getattr(c, "comment", None) is not None:
                        comments[c.coordinate] = c.comment.text
                    fill = getattr(c, "fill", None)
                    if c.row > 2 and fill is not None and fill.fill_type == "solid":
                        fills[c.coordinate] = fill.fgColor.rgb
            merged_borders = {}
            for rng in ws.merged_cells.ranges:
                min_col, min_row, max_col, max_row = range_boundaries(str(rng))
                for r in range(min_row, max_row + 1):
                    for col in range(min_col, max_col + 1):
                        coord = "%s%d" % (get_column_letter(col), r)
                        sid = styles.get(coord)
                        merged_borders[coord] = None if sid is None else border_of(wb, sid)
            ps = ws.page_setup
            out["sheets"].append(
                {
                    "name": ws.title,
                    "cells": cells,
                    "types": types,
                    "merged": sorted(str(r) for r in ws.merged_cells.ranges),
                    "orientation": ps.orientation,
                    "paperSize": None if ps.paperSize is None else int(ps.paperSize),
                    "fitToWidth": None if ps.fitToWidth is None else int(ps.fitToWidth),
                    "fitToHeight": None if ps.fitToHeight is None else int(ps.fitToHeight),
                    "fitToPage": bool(ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage),
                    "printTitleRows": ws.print_title_rows,
                    "horizontalCentered": bool(ws.print_options.horizontalCentered),
                    "freezePanes": ws.freeze_panes,
                    "fills": fills,
                    "comments": comments,
                    "mergedBorders": merged_borders,
                }
            )
    sys.stdout.buffer.write(json.dumps(out, ensure_ascii=False).encode("utf-8"))


if __name__ == "__main__":
    main(sys.argv[1])

#!/usr/bin/env python3
"""Types text into cells of an .xlsx workbook, as a user editing the Excel template would:
`python3 xlsx_cells.py IN.xlsx OUT.xlsx SHEET!CELL=TEXT ...`. Each cell must already exist
(the template's example rows fill every column); it becomes a text cell holding TEXT, so the
reader sees "92%" or "6/1/2026" as typed. Standard library only: the end-to-end tests run it
on a machine with nothing but what the project installs."""

import re
import sys
import zipfile
from xml.sax.saxutils import escape

def sheet_paths(book: zipfile.ZipFile) -> dict:
    """Sheet name -> the path of its XML in the archive."""
    workbook = book.read("xl/workbook.xml").decode()
    rels = book.read("xl/_rels/workbook.xml.rels").decode()
    targets = {}
    for m in re.finditer(r"<Relationship\b[^>]*>", rels):
        tag = m.group(0)
        targets[re.search(r'Id="([^"]+)"', tag).group(1)] = re.search(r'Target="([^"]+)"', tag).group(1)
    paths = {}
    for m in re.finditer(r"<sheet\b[^>]*>", workbook):
        tag = m.group(0)
        name = re.search(r'name="([^"]+)"', tag).group(1)
        rid = re.search(r'r:id="([^"]+)"', tag).group(1)
        target = targets[rid].lstrip("/")
        paths[name] = target if target.startswith("xl/") else "xl/" + target
    return paths


def set_cell(xml: str, cell: str, text: str) -> str:
    pattern = re.compile(r'<c r="%s"(?:\s[^>]*?)?(?:/>|>.*?</c>)' % re.escape(cell), re.S)
    replacement = '<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (cell, escape(text))
    new, count = pattern.subn(lambda _: replacement, xml, count=1)
    if count != 1:
        raise SystemExit(f"xlsx_cells: no cell {cell} in the sheet")
    return new


def main(argv: list) -> None:
    if len(argv) < 4:
        raise SystemExit(__doc__)
    source, out, edits = argv[1], argv[2], argv[3:]
    with zipfile.ZipFile(source) as book:
        paths = sheet_paths(book)
        changed = {}
        for edit in edits:
            where, text = edit.split("=", 1)
            sheet, cell = where.split("!", 1)
            if sheet not in paths:
                raise SystemExit(f"xlsx_cells: no sheet {sheet!r} (sheets: {', '.join(paths)})")
            path = paths[sheet]
            xml = changed.get(path) or book.read(path).decode()
            changed[path] = set_cell(xml, cell, text)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as written:
            for info in book.infolist():
                data = changed[info.filename].encode() if info.filename in changed else book.read(info)
                written.writestr(info, data)


if __name__ == "__main__":
    main(sys.argv)

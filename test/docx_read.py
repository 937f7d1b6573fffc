"""Reads a .docx back with python-docx (Debian's python3-docx) and prints what a reader of it sees, as JSON.

Run with /usr/bin/python3 (the system Python, where python3-docx is installed):

    /usr/bin/python3 test/docx_read.py FILE.docx

Prints one JSON object:
- sections: orientation, page size and margins in mm, footer distance; the default and even
  footers' text (a field shows as {INSTRUCTION}), alignment and indents, and fonts of their runs;
  the document grid (w:docGrid) attributes.
- forbidden: per XML part, the number of characters XML 1.0 forbids found in its raw text.
- evenAndOddHeaders: the settings flag.
- paragraphs: the body's paragraphs outside tables, in order, each with its text, alignment,
  indents and line spacing, and its runs (text, rFonts slots, size in pt, bold, color);
  "section" is the index of the section the paragraph belongs to.
- tables: for each table, the grid column widths (twips), the cell texts by (row, column) as
  python-docx's grid gives them (table.cell(r, c).text), and per w:tr the w:tc elements with
  their gridSpan, vMerge ("restart", "continue" or null) and text, the row's tblHeader and
  cantSplit flags, and the fonts, sizes and colors of the runs in each tc.
"""

import json
import re
import sys
import zipfile

try:
    import docx  # python3-docx
    from docx.oxml.ns import qn
    from docx.shared import Length
except ImportError:  # pragma: no cover - reported to the test
    print("MISSING python3-docx", file=sys.stderr)
    sys.exit(3)


def mm(length):
    return None if length is None else round(Length(length).mm, 2)


def on(el, tag):
    """An OOXML on/off element: present and not val=false/0/off."""
    found = el.find(qn(tag)) if el is not None else None
    if found is None:
        return False
    val = found.get(qn("w:val"))
    return val not in ("false", "0", "off")


def run_info(r):
    rpr = r.find(qn("w:rPr"))
    fonts = {}
    size = None
    bold = False
    color = None
    if rpr is not None:
        rf = rpr.find(qn("w:rFonts"))
        if rf is not None:
            for slot in ("ascii", "eastAsia", "hAnsi", "cs", "hint"):
                v = rf.get(qn("w:" + slot))
                if v is not None:
                    fonts[slot] = v
        sz = rpr.find(qn("w:sz"))
        if sz is not None:
            size = int(sz.get(qn("w:val"))) / 2
        bold = on(rpr, "w:b")
        c = rpr.find(qn("w:color"))
        if c is not None:
            color = c.get(qn("w:val"))
    text = ""
    for child in r:
        if child.tag == qn("w:t"):
            text += child.text or ""
        elif child.tag == qn("w:instrText"):
            text += "{" + (child.text or "").strip() + "}"
        elif child.tag == qn("w:tab"):
            text += "\t"
    return {"text": text, "fonts": fonts, "size": size, "bold": bold, "color": color}


def para_info(p):
    """p: a w:p element."""
    ppr = p.find(qn("w:pPr"))
    jc = ind = spacing = None
    if ppr is not None:
        j = ppr.find(qn("w:jc"))
        jc = None if j is None else j.get(qn("w:val"))
        i = ppr.find(qn("w:ind"))
        if i is not None:
            ind = {k.split("}")[1]: v for k, v in i.attrib.items()}
        s = ppr.find(qn("w:spacing"))
        if s is not None:
            spacing = {k.split("}")[1]: v for k, v in s.attrib.items()}
    runs = [run_info(r) for r in p.iter(qn("w:r"))]
    return {
        "text": "".join(r["text"] for r in runs),
        "alignment": jc,
        "indent": ind,
        "spacing": spacing,
        "runs": runs,
    }


def footer_info(footer):
    if footer is None:
        return None
    return {
        "linked": footer.is_linked_to_previous,
        "paragraphs": [para_info(p._p) for p in footer.paragraphs],
    }


def grid_info(section):
    g = section._sectPr.find(qn("w:docGrid"))
    if g is None:
        return None
    return {k.split("}")[1]: v for k, v in g.attrib.items()}


# What XML 1.0 forbids, as the raw (UTF-8) part text shows it.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def forbidden_characters(path):
    """Per XML part of the package, how many characters XML forbids it holds (parts that hold any)."""
    found = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                text = z.read(name).decode("utf-8", errors="surrogatepass")
                n = len(FORBIDDEN.findall(text)) + len(re.findall("[\ud800-\udfff]", text))
                if n:
                    found[name] = n
    return found


def main(path):
    forbidden = forbidden_characters(path)
    d = docx.Document(path)
    sections = []
    for s in d.sections:
        sections.append(
            {
                "orientation": "landscape" if s.orientation == docx.enum.section.WD_ORIENT.LANDSCAPE else "portrait",
                "width": mm(s.page_width),
                "height": mm(s.page_height),
                "top": mm(s.top_margin),
                "bottom": mm(s.bottom_margin),
                "left": mm(s.left_margin),
                "right": mm(s.right_margin),
                "footerDistance": mm(s.footer_distance),
                "startType": str(s.start_type),
                "grid": grid_info(s),
                "footer": footer_info(s.footer),
                "evenFooter": footer_info(s.even_page_footer),
            }
        )

    # Paragraphs outside tables, in body order, with the section each belongs to (a paragraph
    # holding a w:sectPr ends its section).
    body = d.element.body
    paragraphs = []
    section_index = 0
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            info = para_info(child)
            info["section"] = section_index
            paragraphs.append(info)
            ppr = child.find(qn("w:pPr"))
            if ppr is not None and ppr.find(qn("w:sectPr")) is not None:
                section_index += 1
        elif child.tag == qn("w:tbl"):
            paragraphs.append({"table": True, "section": section_index})

    tables = []
    for t in d.tables:
        tbl = t._tbl
        n_rows = len(t.rows)
        n_cols = len(t.columns)
        grid = [[t.cell(r, c).text for c in range(n_cols)] for r in range(n_rows)]
        rows = []
        for tr in tbl.tr_lst:
            trpr = tr.find(qn("w:trPr"))
            tcs = []
            for tc in tr.tc_lst:
                tcpr = tc.find(qn("w:tcPr"))
                span = 1
                vmerge = None
                if tcpr is not None:
                    gs = tcpr.find(qn("w:gridSpan"))
                    if gs is not None:
                        span = int(gs.get(qn("w:val")))
                    vm = tcpr.find(qn("w:vMerge"))
                    if vm is not None:
                        vmerge = vm.get(qn("w:val")) or "continue"
                paras = [para_info(p) for p in tc.iter(qn("w:p"))]
                tcs.append(
                    {
                        "gridSpan": span,
                        "vMerge": vmerge,
                        "text": "\n".join(p["text"] for p in paras),
                        "runs": [{k: r[k] for k in ("fonts", "size", "bold", "color")} for p in paras for r in p["runs"]],
                        "alignment": [p["alignment"] for p in paras],
                    }
                )
            rows.append({"tblHeader": on(trpr, "w:tblHeader"), "cantSplit": on(trpr, "w:cantSplit"), "tcs": tcs})
        cols = [int(gc.get(qn("w:w"))) for gc in tbl.tblGrid.iter(qn("w:gridCol"))]
        tables.append({"rows": n_rows, "columns": n_cols, "gridCols": cols, "grid": grid, "tr": rows})

    print(
        json.dumps(
            {
                "forbidden": forbidden,
                "evenAndOddHeaders": d.settings.odd_and_even_pages_header_footer,
                "sections": sections,
                "paragraphs": paragraphs,
                "tables": tables,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])

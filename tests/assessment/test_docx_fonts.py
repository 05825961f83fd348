"""The DOCX documents carry their Chinese font: Noto Serif CJK SC subset to the document's
characters, embedded as obfuscated font parts per ECMA-376, and a DOCX is still made without
it."""

import io
import logging
import re
import unicodedata
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from fontTools.ttLib import TTFont
from lxml import etree

from lianluo.assessment import documents, docx_fonts, services
from tests.assessment import records as r

OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FONT_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# CT_Settings' child sequence (ECMA-376 Part 1 §17.15.1.78), as far as it matters here.
SETTINGS_ORDER = [
    "writeProtection",
    "view",
    "zoom",
    "removePersonalInformation",
    "removeDateAndTime",
    "doNotDisplayPageBoundaries",
    "displayBackgroundShape",
    "printPostScriptOverText",
    "printFractionalCharacterWidth",
    "printFormsData",
    "embedTrueTypeFonts",
    "embedSystemFonts",
    "saveSubsetFonts",
    "saveFormsData",
    "mirrorMargins",
    "alignBordersAndEdges",
    "bordersDoNotSurroundHeader",
    "bordersDoNotSurroundFooter",
    "gutterAtTop",
    "hideSpellingErrors",
    "hideGrammaticalErrors",
    "activeWritingStyle",
    "proofState",
    "formsDesign",
    "attachedTemplate",
    "linkStyles",
    "stylePaneFormatFilter",
    "stylePaneSortMethod",
    "documentType",
    "mailMerge",
    "revisionView",
    "trackRevisions",
    "doNotTrackMoves",
    "doNotTrackFormatting",
    "documentProtection",
    "autoFormatOverride",
    "styleLockTheme",
    "styleLockQFSet",
    "defaultTabStop",
]


def small_document():
    """A document as documents.py makes them: a title, a bold heading, a paragraph with a bold
    run and one explicitly not bold inside the heading, a table, a header."""
    document = documents._document()
    document.add_heading("刘敬民的履职档案", level=0)
    heading = document.add_heading("会议出席", level=1)
    heading.add_run("（不加粗）").bold = False
    paragraph = document.add_paragraph("湘潭市政协，2024年度：")
    paragraph.add_run("优秀").bold = True
    documents._table(document, ["日期", "记录"], [["2024-01-10", "全体会议：出席"]])
    document.sections[0].header.paragraphs[0].text = "页眉：政协委员"
    return document


def chinese(text):
    return {c for c in text if unicodedata.category(c)[0] == "L" and ord(c) > 0x2E80}


def xml(archive, name):
    return etree.fromstring(archive.read(name))


def deobfuscate(data, font_key):
    """ECMA-376 Part 1 §17.8.1, written out again here: the GUID's 32 hex digits as 16 bytes in
    reverse order, XORed over the font's first 32 bytes."""
    key = bytes.fromhex(font_key.strip("{}").replace("-", ""))[::-1]
    return bytes(byte ^ key[i % 16] for i, byte in enumerate(data[:32])) + data[32:]


def font_entry(archive):
    """The font table's one entry for the family, with the GB2312 charset."""
    entries = [
        font
        for font in xml(archive, "word/fontTable.xml").iter(qn("w:font"))
        if font.get(qn("w:name")) == "Noto Serif CJK SC"
    ]
    assert len(entries) == 1
    assert entries[0].find(qn("w:charset")).get(qn("w:val")) == "86"
    return entries[0]


def embedded_fonts(content):
    """{"embedRegular": TTFont, ...} read from the DOCX bytes as an office suite would: font table
    entry → relationship → part (with its content type) → de-obfuscated font."""
    archive = zipfile.ZipFile(io.BytesIO(content))
    types = xml(archive, "[Content_Types].xml")
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{CONTENT_TYPES}*")}
    rels = {
        rel.get("Id"): rel
        for rel in xml(archive, "word/_rels/fontTable.xml.rels").iter(PACKAGE_RELS)
    }
    entry = font_entry(archive)
    fonts = {}
    for embed in entry:
        name = etree.QName(embed).localname
        if not name.startswith("embed"):
            continue
        assert embed.get(qn("w:subsetted")) == "1"
        assert re.fullmatch(
            r"\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}", embed.get(qn("w:fontKey"))
        )
        rel = rels[embed.get(qn("r:id"))]
        assert rel.get("Type") == FONT_REL
        assert re.fullmatch(r"fonts/font\d+\.odttf", rel.get("Target"))
        partname = "/word/" + rel.get("Target")
        assert overrides.get(partname) == OBFUSCATED_FONT
        data = archive.read(partname.lstrip("/"))
        assert data[:4] != b"\x00\x01\x00\x00"  # obfuscated, not a plain font
        fonts[name] = TTFont(io.BytesIO(deobfuscate(data, embed.get(qn("w:fontKey")))))
    return fonts


def test_the_saved_docx_embeds_the_regular_and_bold_subsets_of_noto_serif_cjk_sc():
    content = documents._bytes(small_document())
    fonts = embedded_fonts(content)
    assert list(fonts) == ["embedRegular", "embedBold"]  # the schema's order
    regular, bold = fonts["embedRegular"], fonts["embedBold"]
    text = (
        "刘敬民的履职档案会议出席（不加粗）湘潭市政协，2024年度：优秀"
        "日期记录2024-01-10全体会议：出席页眉：政协委员"
    )
    for font, subfamily, covered in (
        (regular, "Regular", text),
        (bold, "Bold", "会议出席优秀"),
    ):
        assert font["name"].getDebugName(1) == "Noto Serif CJK SC"
        assert font["name"].getDebugName(2) == subfamily
        assert "glyf" in font and "CFF " not in font  # TrueType outlines, which Word embeds
        cmap = font.getBestCmap()
        assert set(covered) - {" "} <= set(map(chr, cmap)), set(covered) - set(map(chr, cmap))
    # A subset: the document's characters and ASCII, not the 30,000-odd of the face.
    assert set(map(chr, regular.getBestCmap())) <= chinese(text) | set(
        map(chr, range(0x20, 0x7F))
    ) | set("（）：，")
    assert len(regular.getGlyphOrder()) < 150
    # The bold face holds the heading and the bold run, not what is explicitly not bold.
    assert not chinese("不加粗刘敬民档案湘潭") & set(map(chr, bold.getBestCmap()))
    assert regular["OS/2"].usWeightClass == 400 and bold["OS/2"].usWeightClass == 700
    assert regular["OS/2"].fsType == 0  # installable embedding
    assert len(content) < 120_000


def test_the_glyphs_are_the_faces_own():
    """Each embedded glyph has the source glyph's advance and, within cu2qu's tolerance, its
    outline (the same area)."""
    from fontTools.pens.areaPen import AreaPen

    source = docx_fonts._face(docx_fonts.REGULAR_FILE).font
    font = embedded_fonts(documents._bytes(small_document()))["embedRegular"]
    source_cmap, cmap = source.getBestCmap(), font.getBestCmap()
    source_glyphs, glyphs = source.getGlyphSet(), font.getGlyphSet()
    for char in "刘敬民优秀A1":
        before, after = source_glyphs[source_cmap[ord(char)]], glyphs[cmap[ord(char)]]
        assert after.width == before.width
        pens = AreaPen(source_glyphs), AreaPen(glyphs)
        before.draw(pens[0])
        after.draw(pens[1])
        # TrueType contours run the other way round.
        assert pens[1].value == pytest.approx(-pens[0].value, rel=0.01)


def test_settings_say_embed_and_keep_subsets_in_the_schemas_order():
    archive = zipfile.ZipFile(io.BytesIO(documents._bytes(small_document())))
    children = [etree.QName(child).localname for child in xml(archive, "word/settings.xml")]
    assert "embedTrueTypeFonts" in children and "saveSubsetFonts" in children
    known = [name for name in children if name in SETTINGS_ORDER]
    assert known == sorted(known, key=SETTINGS_ORDER.index)
    assert children.index("embedTrueTypeFonts") < children.index("saveSubsetFonts")


def test_the_document_still_opens_with_python_docx_and_holds_its_text():
    content = documents._bytes(small_document())
    document = docx.Document(io.BytesIO(content))
    assert [p.text for p in document.paragraphs][:3] == [
        "刘敬民的履职档案",
        "会议出席（不加粗）",
        "湘潭市政协，2024年度：优秀",
    ]
    assert document.tables[0].cell(1, 1).text == "全体会议：出席"
    assert document.sections[0].header.paragraphs[0].text == "页眉：政协委员"
    # The styles name the embedded family for East-Asian text, and no theme font overrides it.
    assert documents.DOCX_FONT == docx_fonts.FONT_FAMILY
    for name in ("Normal", "Title", "Heading 1"):
        fonts = document.styles[name].element.rPr.rFonts
        assert fonts.get(qn("w:eastAsia")) == "Noto Serif CJK SC"
        assert fonts.get(qn("w:eastAsiaTheme")) is None


def test_embedding_twice_replaces_the_first_fonts():
    document = small_document()
    assert docx_fonts.embed_font(document)
    content = documents._bytes(document)  # embeds again
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert sorted(n for n in archive.namelist() if n.endswith(".odttf")) == [
        "word/fonts/font1.odttf",
        "word/fonts/font2.odttf",
    ]
    assert list(embedded_fonts(content)) == ["embedRegular", "embedBold"]


@pytest.mark.parametrize("broken", [False, True], ids=["missing", "unreadable"])
def test_without_the_font_file_the_docx_is_made_naming_the_font(settings, tmp_path, caplog, broken):
    if broken:
        (tmp_path / docx_fonts.REGULAR_FILE).write_bytes(b"ttcf not a font")
    settings.LIANLUO_DOCX_FONT_DIR = str(tmp_path)
    with caplog.at_level(logging.WARNING, logger="lianluo.assessment.docx_fonts"):
        first = documents._bytes(small_document())
        second = documents._bytes(small_document())
    warnings = [rec for rec in caplog.records if str(tmp_path) in rec.getMessage()]
    assert len(warnings) == 1  # once
    for content in (first, second):
        archive = zipfile.ZipFile(io.BytesIO(content))
        assert not [name for name in archive.namelist() if "odttf" in name]
        assert b"embedTrueTypeFonts" not in archive.read("word/settings.xml")
        entry = font_entry(archive)
        assert entry.find(qn("w:altName")).get(qn("w:val")) == "宋体"
        assert entry.find(qn("w:embedRegular")) is None
        assert docx.Document(io.BytesIO(content)).paragraphs[0].text == "刘敬民的履职档案"


def test_only_the_bold_face_missing_embeds_the_regular_one(settings, tmp_path):
    (tmp_path / docx_fonts.REGULAR_FILE).symlink_to(docx_fonts.FONT_DIR / docx_fonts.REGULAR_FILE)
    settings.LIANLUO_DOCX_FONT_DIR = str(tmp_path)
    fonts = embedded_fonts(documents._bytes(small_document()))
    assert list(fonts) == ["embedRegular"]
    assert {"会", "优", "秀"} <= set(map(chr, fonts["embedRegular"].getBestCmap()))


def test_document_text_tells_bold_runs_by_direct_formatting_and_styles():
    document = docx.Document()
    document.add_heading("标题", level=1)  # Heading 1: bold
    document.add_paragraph("正文")
    document.add_paragraph().add_run("强调", style="Strong")  # a bold character style
    document.add_paragraph().add_run("直接").bold = True
    document.add_heading("", level=2).add_run("取消").bold = False
    document.sections[0].footer.paragraphs[0].text = "页脚"
    text, bold = docx_fonts.document_text(document)
    assert set(text) == set("标题正文强调直接取消页脚")
    assert set(bold) == set("标题强调直接")


@pytest.mark.django_db
@pytest.mark.skipif(
    not (r.installed("meetings") and r.installed("proposals") and r.installed("liaison")),
    reason="needs the meetings, proposals and liaison apps",
)
def test_a_members_dossier_docx_carries_every_chinese_character_it_shows(xt):
    services.assessment_recompute(assessment=xt.assessment)
    dossier = documents.dossier_for(xt.assessment, xt.world.both)
    content = documents.dossier_docx(dossier)
    document = docx.Document(io.BytesIO(content))
    shown = "".join(p.text for p in document.paragraphs) + "".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    assert "刘敬民" in shown and xt.proposal_a.title in shown
    fonts = embedded_fonts(content)
    assert chinese(shown) <= set(map(chr, fonts["embedRegular"].getBestCmap()))
    headings = "".join(p.text for p in document.paragraphs if p.style.name == "Heading 1")
    assert chinese(headings) <= set(map(chr, fonts["embedBold"].getBestCmap()))

"""The Chinese font embedded in the DOCX documents, as a subset (ECMA-376 Part 1 §17.8).

The documents name `FONT_FAMILY` (Noto Serif CJK SC, the Song style of Debian's
`fonts-noto-cjk`) and carry the font itself: its Regular face subset to every character of the
document plus printable ASCII, its Bold face subset to the characters of bold runs (headings).
Each subset is embedded as an obfuscated font part `/word/fonts/fontN.odttf`, related from the
font table, whose `w:font` entry gives the key; `w:embedTrueTypeFonts` and
`w:saveSubsetFonts` in the settings tell Word and WPS to use and to keep them.

The subsets have TrueType (glyf) outlines, converted from the collection's CFF ones with cu2qu
(within 1/1000 em): older Word embeds TrueType fonts only, Office's font-embedding service is
documented for TrueType outlines, and Word has been reported not to embed the CFF-based Source
Han fonts; loading an embedded CFF font is documented nowhere. TrueType is what every reader
takes (LibreOffice reads both).

Fast enough for a batch of thousands of dossiers: the source faces are opened once per process
and each glyph is converted once and kept, so a document only assembles a small font from kept
glyphs (tens of milliseconds; the first document of a process pays about a second or two).

The font file missing (another system, a container without `fonts-noto-cjk`) or unreadable is no
reason to fail a document: it is then made naming the font without carrying it, and the font
table's entry (GB2312 charset, roman family, alternative name 宋体) lets Word substitute a Song
font. One warning is logged per file, whose absence is kept for the life of the process.
`settings.LIANLUO_DOCX_FONT_DIR` overrides `FONT_DIR`.
"""

from __future__ import annotations

import io
import logging
import string
import threading
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import PackURI
from docx.opc.part import Part, XmlPart
from docx.oxml.ns import nsmap, qn
from docx.oxml.parser import parse_xml
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable
from fontTools.ttLib.tables._g_l_y_f import Glyph
from lxml import etree

logger = logging.getLogger("lianluo.assessment.docx_fonts")

FONT_FAMILY = "Noto Serif CJK SC"
FALLBACK_NAME = "宋体"  # the font table's altName: what Word looks for when the family is absent
FONT_DIR = Path("/usr/share/fonts/opentype/noto")
REGULAR_FILE = "NotoSerifCJK-Regular.ttc"
BOLD_FILE = "NotoSerifCJK-Bold.ttc"
BASE_CHARACTERS = frozenset(string.digits + string.ascii_letters + string.punctuation + " ")
GB2312_CHARSET = "86"
# python-docx names no constant for it (ECMA-376 Part 1 §15.2.13, Word's obfuscated fonts).
OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
FONT_PARTNAME = "/word/fonts/font%d.odttf"
# The children of w:settings that precede w:embedTrueTypeFonts (CT_Settings is a sequence).
_BEFORE_EMBED = (
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
)
_STORY_TYPES = frozenset(
    {
        CT.WML_DOCUMENT_MAIN,
        CT.WML_HEADER,
        CT.WML_FOOTER,
        CT.WML_FOOTNOTES,
        CT.WML_ENDNOTES,
        CT.WML_COMMENTS,
    }
)
_OFF = frozenset({"0", "false", "off"})


def font_dir() -> Path:
    return Path(getattr(settings, "LIANLUO_DOCX_FONT_DIR", None) or FONT_DIR)


# --------------------------------------------------------------------------- subsets


class _KeptGlyph(Glyph):
    """A glyph converted to TrueType outlines once and kept: expanded, for the bounds and
    maxima fontTools recalculates when it saves a font, and compiled, so that saving a subset
    only copies its bytes."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.expand(None)  # a simple glyph needs no glyf table
        self.compiled = data

    def compile(self, glyfTable: Any, recalcBBoxes: bool = True, **kwargs: Any) -> bytes:
        return self.compiled


class _Face:
    """One face of a font file, opened once; its glyphs converted to TrueType outlines as
    documents need them, and kept."""

    def __init__(self, path: Path, family: str) -> None:
        with path.open("rb") as file:
            is_collection = file.read(4) == b"ttcf"
        fonts = TTCollection(str(path), lazy=True).fonts if is_collection else [TTFont(str(path))]
        for font in fonts:
            if font["name"].getBestFamilyName() == family:
                break
        else:
            raise LookupError(f"no face of the family {family!r} in {path}")
        self.font = font
        self.cmap: dict[int, str] = font.getBestCmap()
        self.glyph_set = font.getGlyphSet()
        self.glyphs: dict[str, tuple[_KeptGlyph, int]] = {}  # name: glyph, advance width
        self.lock = threading.Lock()

    def _glyph(self, name: str) -> tuple[_KeptGlyph, int]:
        kept = self.glyphs.get(name)
        if kept is None:
            pen = TTGlyphPen(None)
            max_error = self.font["head"].unitsPerEm / 1000
            # CFF contours run counter-clockwise, TrueType ones clockwise.
            self.glyph_set[name].draw(Cu2QuPen(pen, max_error, reverse_direction=True))
            glyph = _KeptGlyph(pen.glyph().compile(None))
            kept = self.glyphs[name] = (glyph, self.font["hmtx"][name][0])
        return kept

    def subset(self, characters: Iterable[str]) -> bytes:
        """The face reduced to `characters` (those it has), as a TrueType font file."""
        with self.lock:
            source = self.font
            mapping = {
                ord(char): self.cmap[ord(char)] for char in characters if ord(char) in self.cmap
            }
            order = [".notdef", *sorted(set(mapping.values()) - {".notdef"}, key=source.getGlyphID)]
            kept = {name: self._glyph(name) for name in order}
            head, hhea, os2, post = source["head"], source["hhea"], source["OS/2"], source["post"]
            builder = FontBuilder(head.unitsPerEm, isTTF=True)
            builder.updateHead(
                fontRevision=head.fontRevision,
                created=head.created,
                modified=head.modified,
                macStyle=head.macStyle,
                lowestRecPPEM=head.lowestRecPPEM,
            )
            builder.setupGlyphOrder(order)
            builder.setupCharacterMap(mapping)
            builder.setupGlyf(
                {name: glyph for name, (glyph, _) in kept.items()}, calcGlyphBounds=False
            )
            builder.setupHorizontalMetrics(
                {
                    name: (advance, getattr(glyph, "xMin", 0))
                    for name, (glyph, advance) in kept.items()
                }
            )
            builder.setupHorizontalHeader(
                ascent=hhea.ascent, descent=hhea.descent, lineGap=hhea.lineGap
            )
            os2_values = {
                key: value
                for key, value in vars(os2).items()
                if not key.startswith("table") and key != "usMaxContext"
            }
            builder.setupOS2(**os2_values, usMaxContext=0)
            builder.setupPost(
                keepGlyphNames=False,
                italicAngle=post.italicAngle,
                underlinePosition=post.underlinePosition,
                underlineThickness=post.underlineThickness,
                isFixedPitch=post.isFixedPitch,
            )
            names = newTable("name")
            names.names = [
                record
                for record in source["name"].names
                if record.nameID in (0, 1, 2, 3, 4, 5, 6, 13, 14)
            ]
            builder.font["name"] = names
            buffer = io.BytesIO()
            builder.font.save(buffer)
            return buffer.getvalue()


_faces: dict[tuple[Path, str], _Face | None] = {}
_faces_lock = threading.Lock()


def _face(file_name: str) -> _Face | None:
    """The face of `FONT_FAMILY` in `file_name` (of `font_dir()`), or None, warned once, if it
    cannot be read."""
    path = font_dir() / file_name
    key = (path, FONT_FAMILY)
    with _faces_lock:
        if key not in _faces:
            try:
                _faces[key] = _Face(path, FONT_FAMILY)
            except Exception as error:  # a missing or unreadable font never fails a document
                logger.warning(
                    "DOCX documents name %s without embedding it: %s cannot be read (%s)",
                    FONT_FAMILY,
                    path,
                    error,
                )
                _faces[key] = None
        return _faces[key]


# --------------------------------------------------------------------------- the text


def _on(element: Any) -> bool:
    """The value of an on/off property element (w:b): on unless w:val says off."""
    return element.get(qn("w:val"), "1").lower() not in _OFF


def _on_attr(value: str | None) -> bool:
    """An on/off attribute (w:default): off unless present and not off."""
    return value is not None and value.lower() not in _OFF


def _bold_styles(styles: Any) -> dict[str, bool]:
    """Whether each style is bold, following w:basedOn (direct, then inherited; the document's
    default run properties under all)."""
    default_bold = styles.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:b')}"
    )
    own: dict[str, bool | None] = {}
    based_on: dict[str, str] = {}
    for style in styles.iterfind(qn("w:style")):
        style_id = style.get(qn("w:styleId"))
        if style_id is None:
            continue
        bold = style.find(f"{qn('w:rPr')}/{qn('w:b')}")
        own[style_id] = None if bold is None else _on(bold)
        parent = style.find(qn("w:basedOn"))
        if parent is not None and parent.get(qn("w:val")):
            based_on[style_id] = parent.get(qn("w:val"))

    def resolve(style_id: str) -> bool:
        seen: set[str] = set()
        current: str | None = style_id
        while current is not None and current not in seen:
            seen.add(current)
            value = own.get(current)
            if value is not None:
                return value
            current = based_on.get(current)
        return default_bold is not None and _on(default_bold)

    return {style_id: resolve(style_id) for style_id in own}


def _stories(document: Any) -> Iterator[Any]:
    """The root elements of the parts whose text is shown: body, headers, footers, notes."""
    for part in document.part.package.iter_parts():
        if part.content_type not in _STORY_TYPES:
            continue
        yield part.element if isinstance(part, XmlPart) else parse_xml(part.blob)


def document_text(document: Any) -> tuple[str, str]:
    """All the text of `document` (paragraphs, tables, headers, footers, notes) and the text of
    its bold runs: direct formatting, else the run's character style, else its paragraph's
    style (each with what it is based on)."""
    styles = document.styles.element
    bold_style = _bold_styles(styles)
    default_paragraph = next(
        (
            style.get(qn("w:styleId"))
            for style in styles.iterfind(qn("w:style"))
            if style.get(qn("w:type")) == "paragraph" and _on_attr(style.get(qn("w:default")))
        ),
        None,
    )
    text: list[str] = []
    bold: list[str] = []
    paragraph_bold: dict[Any, bool] = {}
    for story in _stories(document):
        for node in story.iter(qn("w:t")):
            if not node.text:
                continue
            text.append(node.text)
            run = node.getparent()
            paragraph = next(run.iterancestors(qn("w:p")), None)
            if paragraph not in paragraph_bold:
                style = (
                    paragraph.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
                    if paragraph is not None
                    else None
                )
                style_id = style.get(qn("w:val")) if style is not None else default_paragraph
                paragraph_bold[paragraph] = bold_style.get(style_id or "", False)
            direct = run.find(f"{qn('w:rPr')}/{qn('w:b')}")
            character_style = run.find(f"{qn('w:rPr')}/{qn('w:rStyle')}")
            if direct is not None:
                is_bold = _on(direct)
            elif character_style is not None and character_style.get(qn("w:val")) in bold_style:
                is_bold = bold_style[character_style.get(qn("w:val"))]
            else:
                is_bold = paragraph_bold[paragraph]
            if is_bold:
                bold.append(node.text)
    return "".join(text), "".join(bold)


# --------------------------------------------------------------------------- the package


def obfuscate(data: bytes, key: uuid.UUID) -> bytes:
    """ECMA-376 font obfuscation (it is its own inverse): the key's 16 bytes in reverse order,
    XORed over the first 32 bytes of the font."""
    reversed_key = key.bytes[::-1]
    head = bytes(byte ^ reversed_key[index % 16] for index, byte in enumerate(data[:32]))
    return head + data[32:]


def font_key(key: uuid.UUID) -> str:
    return "{" + str(key).upper() + "}"


@dataclass
class _Embedded:
    element: str  # embedRegular, embedBold
    data: bytes


def _font_table_part(document: Any) -> Part:
    for rel in document.part.rels.values():
        if rel.reltype == RT.FONT_TABLE and not rel.is_external:
            part: Part = rel.target_part
            return part
    blob = f'<w:fonts xmlns:w="{nsmap["w"]}" xmlns:r="{nsmap["r"]}"/>'.encode()
    part = Part(PackURI("/word/fontTable.xml"), CT.WML_FONT_TABLE, blob, document.part.package)
    document.part.relate_to(part, RT.FONT_TABLE)
    return part


def _write_font_table(document: Any, embedded: list[_Embedded]) -> None:
    """The font table's entry for `FONT_FAMILY`, relating the embedded parts (an earlier entry
    and its parts replaced)."""
    part = _font_table_part(document)
    fonts = part.element if isinstance(part, XmlPart) else parse_xml(part.blob)
    for old in fonts.findall(qn("w:font")):
        if old.get(qn("w:name")) != FONT_FAMILY:
            continue
        fonts.remove(old)
        for embed in old:
            if embed.get(qn("r:id")) in part.rels:
                part.drop_rel(embed.get(qn("r:id")))
    font = etree.SubElement(fonts, qn("w:font"), {qn("w:name"): FONT_FAMILY})
    etree.SubElement(font, qn("w:altName"), {qn("w:val"): FALLBACK_NAME})
    etree.SubElement(font, qn("w:charset"), {qn("w:val"): GB2312_CHARSET})
    etree.SubElement(font, qn("w:family"), {qn("w:val"): "roman"})
    etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "variable"})
    package = document.part.package
    for item in embedded:  # in the schema's order: embedRegular, then embedBold
        key = uuid.uuid4()
        font_part = Part(
            package.next_partname(FONT_PARTNAME),
            OBFUSCATED_FONT,
            obfuscate(item.data, key),
            package,
        )
        etree.SubElement(
            font,
            qn(f"w:{item.element}"),
            {
                qn("r:id"): part.relate_to(font_part, RT.FONT),
                qn("w:fontKey"): font_key(key),
                qn("w:subsetted"): "1",
            },
        )
    if not isinstance(part, XmlPart):
        part._blob = serialize_part_xml(fonts)


def _write_settings(document: Any) -> None:
    """w:embedTrueTypeFonts and w:saveSubsetFonts, where CT_Settings' sequence puts them."""
    element = document.settings.element
    for name, predecessors in (
        ("embedTrueTypeFonts", _BEFORE_EMBED),
        ("saveSubsetFonts", (*_BEFORE_EMBED, "embedTrueTypeFonts", "embedSystemFonts")),
    ):
        if element.find(qn(f"w:{name}")) is not None:
            continue
        setting = etree.Element(qn(f"w:{name}"))
        before = [child for child in element if etree.QName(child).localname in predecessors]
        if before:
            before[-1].addnext(setting)
        else:
            element.insert(0, setting)


def embed_font(document: Any) -> bool:
    """Embed `FONT_FAMILY` in the python-docx `document`, subset to its text; call it when the
    document is complete, before saving it. False if the font could not be embedded (the
    document then only names it)."""
    text, bold_text = document_text(document)
    embedded: list[_Embedded] = []
    try:
        regular = _face(REGULAR_FILE)
        if regular is not None:
            embedded.append(_Embedded("embedRegular", regular.subset(BASE_CHARACTERS | set(text))))
            bold = _face(BOLD_FILE) if bold_text else None
            if bold is not None:
                embedded.append(
                    _Embedded("embedBold", bold.subset(BASE_CHARACTERS | set(bold_text)))
                )
    except Exception:  # a font that cannot be subset never fails a document
        logger.exception("DOCX: %s could not be subset; the document names it only", FONT_FAMILY)
        embedded = []
    _write_font_table(document, embedded)
    if embedded:
        _write_settings(document)
    return bool(embedded)

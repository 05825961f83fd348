"""Chinese text tools: the official name order 按姓氏笔画, pinyin keys, ID and phone checks."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path

from pypinyin import Style, lazy_pinyin

_STROKE_TABLE = Path(__file__).parent / "data" / "strokes.tsv"
_ORDER_WIDTH = 40  # stroke-order digits kept per character; longer orders are cut (>40 strokes)
_UNKNOWN_COUNT = 99  # characters without stroke data (Latin letters, rare characters) sort last


@cache
def _stroke_table() -> dict[str, tuple[int, str]]:
    table: dict[str, tuple[int, str]] = {}
    with _STROKE_TABLE.open(encoding="utf-8") as lines:
        for line in lines:
            char, count, order = line.rstrip("\n").split("\t")
            table[char] = (int(count), order)
    return table


def stroke_count(char: str) -> int | None:
    """The number of strokes of one character, or None when the table does not know it."""
    entry = _stroke_table().get(char)
    return entry[0] if entry else None


def _char_key(char: str) -> str:
    count, order = _stroke_table().get(char, (_UNKNOWN_COUNT, ""))
    return f"{count:02d}{order[:_ORDER_WIDTH]:0<{_ORDER_WIDTH}}{ord(char):06x}"


def name_sort_key(name: str) -> str:
    """The key that orders names the official way, 按姓氏笔画排序.

    Surname first: stroke count, then strokes in the order 横 丨 丿 丶 乛 from the first.
    Within one surname a shorter name comes first (刘翔 before 刘敬民), then every following
    character compares the same way. Equal strings of the key mean equal names.
    """
    name = "".join(name.split())
    if not name:
        return ""
    rest = "".join(_char_key(char) for char in name[1:])
    return f"{_char_key(name[0])}{len(name):02d}{rest}"


# Surnames whose reading differs from the character's everyday one (姓氏读音).
SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "查": "zha",
    "区": "ou",
    "覃": "qin",
    "盖": "ge",
    "缪": "miao",
    "翟": "zhai",
    "乐": "yue",
    "秘": "bi",
    "召": "shao",
    "繁": "po",
    "种": "chong",
    "员": "yun",
    "尉": "yu",
    "折": "she",
    "燕": "yan",
    "华": "hua",
    "任": "ren",
    "沈": "shen",
    "贾": "jia",
    "长": "chang",
    "朝": "chao",
    "重": "chong",
    "藏": "zang",
    "莘": "shen",
    "句": "gou",
    "阚": "kan",
    "黑": "he",
    "宓": "fu",
    "洗": "xian",
    "冼": "xian",
}


def name_pinyin(name: str) -> list[str]:
    """The syllables of a person's name, with the surname read as a surname (单 → shan)."""
    name = "".join(name.split())
    if not name:
        return []
    syllables: list[str] = lazy_pinyin(
        name,
        style=Style.NORMAL,
        errors=lambda chars: list(chars.lower()),  # type: ignore[arg-type,return-value]
    )
    if name[0] in SURNAME_READINGS:
        syllables[0] = SURNAME_READINGS[name[0]]
    return [s.lower() for s in syllables]


def name_search_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) of a name, e.g. 张三 → ("zhangsan", "zs")."""
    syllables = name_pinyin(name)
    return "".join(syllables), "".join(s[0] for s in syllables if s)


# GB 11643-1999 resident ID number: 17 digits and a check character.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")


class InvalidIdNumber(ValueError):
    """The text is not a valid resident ID number; the message says why."""


def normalize_id_number(value: str) -> str:
    return value.strip().upper().replace(" ", "")


def id_number_check_char(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def parse_id_number(value: str) -> date:
    """Check a resident ID number (GB 11643) and return the birth date it holds.

    Raises InvalidIdNumber with a short English reason (callers translate it).
    """
    number = normalize_id_number(value)
    if not _ID_PATTERN.match(number):
        raise InvalidIdNumber("must be 18 characters: 17 digits and a digit or X")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber("holds an impossible birth date") from exc
    if birth.year < 1900:
        raise InvalidIdNumber("holds an impossible birth date")
    if id_number_check_char(number[:17]) != number[17]:
        raise InvalidIdNumber("check character does not match (GB 11643 checksum)")
    return birth


def mask_id_number(value: str) -> str:
    """4303**********123X: region prefix and the last four characters only."""
    number = normalize_id_number(value)
    return f"{number[:4]}{'*' * (len(number) - 8)}{number[-4:]}" if len(number) > 8 else "****"


_MOBILE_PATTERN = re.compile(r"^1[3-9]\d{9}$")


def normalize_mobile(value: str) -> str:
    digits = re.sub(r"[\s-]", "", value.strip())
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def is_valid_mobile(value: str) -> bool:
    """A mainland China mobile number: 11 digits starting 13–19."""
    return bool(_MOBILE_PATTERN.match(normalize_mobile(value)))


def mask_mobile(value: str) -> str:
    """138****5678."""
    digits = normalize_mobile(value)
    return f"{digits[:3]}****{digits[-4:]}" if len(digits) >= 8 else "****"


# Two-character surnames 复姓 that a roster meets (the common ones first).
COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
        "宇文", "司徒", "夏侯", "令狐", "端木", "司空", "西门", "南宫", "独孤", "轩辕",
        "呼延", "钟离", "澹台", "公羊", "闻人", "万俟", "赫连", "淳于", "申屠", "太史",
        "濮阳", "单于", "太叔", "仲孙", "宗政", "左丘", "东郭", "百里", "拓跋", "完颜",
        "公冶", "亓官", "司寇", "巫马", "梁丘", "乐正", "羊舌", "微生", "第五", "夹谷",
        "谷梁", "漆雕", "壤驷", "公良", "宰父", "段干", "东门", "闾丘", "子车", "颛孙",
        "鲜于",
    }
)  # fmt: skip
MIDDLE_DOT = "\u00b7"  # the dot of transliterated names, 买买提·艾力
_OTHER_DOTS = str.maketrans(dict.fromkeys("\u2022\u2027\u30fb\uff0e", MIDDLE_DOT))


def split_name(name: str) -> tuple[str, str]:
    """(surname 姓, given name 名) of a Chinese name: 欧阳修 → ("欧阳", "修"), 刘翔 → ("刘", "翔").

    Whitespace inside the name (rosters pad two-character names: 王 勇) is dropped, and the
    look-alikes of the middle dot become U+00B7. A name of three or more characters that starts
    with a compound surname 复姓 keeps both characters as the surname; a two-character name is
    always one character each. A transliterated name (买买提·艾力) has no Han surname: the part
    before the first dot is the surname and the rest, dot included, the given name. So the
    surname followed by the given name is always the cleaned name.
    """
    name = "".join(name.split()).translate(_OTHER_DOTS)
    if MIDDLE_DOT in name[1:]:
        head = name[: name.index(MIDDLE_DOT, 1)]
        return head, name[len(head) :]
    if len(name) >= 3 and name[:2] in COMPOUND_SURNAMES:
        return name[:2], name[2:]
    return name[:1], name[1:]

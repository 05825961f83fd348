"""split_name: a Chinese name into surname 姓 and given name 名."""

import pytest

from lianluo.core.chinese import split_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("刘翔", ("刘", "翔")),
        ("刘敬民", ("刘", "敬民")),
        ("欧阳修", ("欧阳", "修")),
        ("司马光", ("司马", "光")),
        ("上官婉儿", ("上官", "婉儿")),
        ("诸葛亮", ("诸葛", "亮")),
        ("东方朔", ("东方", "朔")),
        ("皇甫嵩", ("皇甫", "嵩")),
        ("尉迟恭", ("尉迟", "恭")),
        ("公孙胜", ("公孙", "胜")),
        ("慕容复", ("慕容", "复")),
        ("长孙无忌", ("长孙", "无忌")),
        ("宇文泰", ("宇文", "泰")),
        ("司徒雷登", ("司徒", "雷登")),
        ("夏侯惇", ("夏侯", "惇")),
        ("令狐冲", ("令狐", "冲")),
        ("端木蕻良", ("端木", "蕻良")),
    ],
)
def test_split_name_keeps_compound_surnames_together(name, expected):
    """A compound surname 复姓 stays whole; any other name splits after its first character."""
    assert split_name(name) == expected


def test_a_two_character_name_is_one_character_each_even_if_it_reads_as_a_compound_surname():
    """欧阳 alone is the surname 欧 and the given name 阳: a compound surname needs a given name."""
    assert split_name("欧阳") == ("欧", "阳")
    assert split_name("王勇") == ("王", "勇")


def test_split_name_drops_the_padding_spaces_of_rosters():
    """Rosters pad two-character names (王　勇, 王 勇) and sometimes leave spaces at the ends."""
    assert split_name("王\u3000勇") == ("王", "勇")
    assert split_name(" 欧阳 修 ") == ("欧阳", "修")


def test_a_transliterated_name_splits_at_its_first_middle_dot():
    """买买提·艾力 has no Han surname: the first part is kept as the surname, and look-alike
    dots become the middle dot U+00B7, so that surname + given name is the name."""
    assert split_name("买买提·艾力") == ("买买提", "·艾力")
    assert split_name("阿不都•热合曼•吐尔逊") == ("阿不都", "·热合曼·吐尔逊")


def test_split_name_of_nothing_is_nothing_and_one_character_is_a_surname():
    """An empty name gives two empty parts; a one-character name is all surname."""
    assert split_name("") == ("", "")
    assert split_name("  ") == ("", "")
    assert split_name("王") == ("王", "")


@pytest.mark.parametrize("name", ["刘敬民", "欧阳修", "买买提·艾力", "王勇"])
def test_surname_and_given_name_give_back_the_name(name):
    """Joining the two parts gives the cleaned name back, whatever the kind of name."""
    assert "".join(split_name(name)) == name

"""Chinese text tools: the official name order, pinyin keys, ID numbers and mobile numbers."""

import random
from datetime import date

import pytest

from lianluo.core.chinese import (
    InvalidIdNumber,
    id_number_check_char,
    is_valid_mobile,
    mask_id_number,
    mask_mobile,
    name_search_keys,
    name_sort_key,
    parse_id_number,
    stroke_count,
)

# The 21 national 体育界 members of the 12th CPPCC as published, 按姓氏笔画排序
# (reference.md, section 5).
SPORTS_SECTOR = [
    "马继龙",
    "王勇峰",
    "王恋英",
    "卞志良",
    "刘翔",
    "刘敬民",
    "李永波",
    "李国平",
    "杨桦",
    "杨静之",
    "吴侔天",
    "邹凯",
    "陈立人",
    "周继红",
    "胡扬",
    "段世杰",
    "姚明",
    "姚滨",
    "钱利民",
    "黄玉斌",
    "韩爱萍",
]


@pytest.mark.parametrize("seed", range(5))
def test_published_sports_sector_list_comes_out_in_its_official_order(seed):
    """Whatever order the names arrive in, the stroke key reproduces the published list."""
    shuffled = list(SPORTS_SECTOR)
    random.Random(seed).shuffle(shuffled)
    assert sorted(shuffled, key=name_sort_key) == list(SPORTS_SECTOR)


def test_surname_stroke_counts_rank_before_everything_else():
    """马 (3) before 王 (4) before 刘 (6) before 韩 (12), whatever the given names."""
    assert [stroke_count(c) for c in "马王刘韩"] == [3, 4, 6, 12]
    assert name_sort_key("马龘龘") < name_sort_key("王一")


def test_equal_counts_are_ordered_by_first_stroke_heng_shu_pie_dian_zhe():
    """王 (first stroke 横) before 卞 (丶); 段 (丿) before 姚 (乛): equal counts both."""
    assert name_sort_key("王甲") < name_sort_key("卞甲")
    assert name_sort_key("段甲") < name_sort_key("姚甲")


def test_one_character_given_name_comes_before_longer_names_of_the_same_surname():
    """刘翔 before 刘敬民, although 敬 would sort before 翔 by its strokes."""
    assert name_sort_key("刘翔") < name_sort_key("刘敬民")
    assert name_sort_key("敬") < name_sort_key("翔")


def test_spaces_in_names_are_ignored_and_unknown_characters_sort_last():
    assert name_sort_key("刘 翔") == name_sort_key("刘翔")
    assert name_sort_key("Smith") > name_sort_key("龘")


def test_pinyin_keys_read_surnames_as_surnames():
    """单 is read shan and 曾 zeng as surnames; initials make "zs" find 张三."""
    assert name_search_keys("张三") == ("zhangsan", "zs")
    assert name_search_keys("单田芳") == ("shantianfang", "stf")
    assert name_search_keys("曾国藩")[0] == "zengguofan"
    assert name_search_keys("解缙")[0] == "xiejin"


def _id(first17: str) -> str:
    return first17 + id_number_check_char(first17)


def test_valid_id_number_gives_its_birth_date():
    assert parse_id_number(_id("43030219700101001")) == date(1970, 1, 1)
    assert parse_id_number("11010519491231002x") == date(1949, 12, 31)  # lower-case x accepted


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("43030219700101001", "18 characters"),
        ("4303021970010100A1", "18 characters"),
        (_id("43030219701301001"), "impossible birth date"),
        (
            "430302197001010010" if _id("43030219700101001")[-1] != "0" else "430302197001010011",
            "check",
        ),
    ],
)
def test_invalid_id_numbers_are_refused_with_their_reason(value, reason):
    with pytest.raises(InvalidIdNumber, match=reason):
        parse_id_number(value)


def test_masks_show_only_prefix_and_last_four():
    assert mask_id_number("430302197001010015") == "4303**********0015"
    assert mask_mobile("13800138000") == "138****8000"


@pytest.mark.parametrize("number", ["13800138000", "+86 138-0013-8000", "19912345678"])
def test_mainland_mobile_numbers_are_accepted(number):
    assert is_valid_mobile(number)


@pytest.mark.parametrize("number", ["12800138000", "1380013800", "010-12345678", "abc"])
def test_other_numbers_are_not_mobiles(number):
    assert not is_valid_mobile(number)

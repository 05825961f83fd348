"""Administrative divisions: the 31 provincial-level divisions (GB/T 2260 codes), the prefectures
of Hunan and the county-level divisions of Changsha and Xiangtan, and each province's ethnic
make-up.

The numbers of prefecture-level (333 in all) and county-level divisions (≈2,844) per province are
the official counts of the early 2020s, rounded where they changed; they size the synthetic
national registry. Prefectures and counties other than those listed here get synthetic names
and codes under their real province (see `lianluo.directory.seeding`).
"""

from __future__ import annotations

from dataclasses import dataclass

# The national committee has no division code in GB/T 2260; 100000 (中华人民共和国, as used by
# common map data sets) keeps the six-digit code constraint and sorts before every province.
NATIONAL_CODE = "100000"
NATIONAL_NAME = "中国人民政治协商会议全国委员会"
NATIONAL_SHORT_NAME = "全国政协"

# Region codes of the residence permits 居住证 of Hong Kong and Macao residents.
HONG_KONG_REGION = "810000"
MACAO_REGION = "820000"


@dataclass(frozen=True)
class Province:
    """A provincial-level division 省级行政区 and facts the generator needs about it."""

    code: str
    name: str
    short: str  # the name without 省/市/自治区, for companies and schools: 湖南
    municipality: bool  # 直辖市: county-level divisions sit directly under it
    prefectures: int  # prefecture-level divisions 地级行政区
    counties: int  # county-level divisions 县级行政区
    term: int  # the number of the provincial CPPCC's term that began in 2023
    minority_share: float  # share of people who are not 汉族 (census, rounded)
    minorities: tuple[tuple[str, int], ...]  # (ethnicity, weight), the main ones


PROVINCES: tuple[Province, ...] = (
    Province("110000", "北京市", "北京", True, 0, 16, 14, 0.05,
             (("满族", 4), ("回族", 4), ("蒙古族", 1), ("朝鲜族", 1))),
    Province("120000", "天津市", "天津", True, 0, 16, 15, 0.03,
             (("回族", 5), ("满族", 3), ("蒙古族", 1), ("朝鲜族", 1))),
    Province("130000", "河北省", "河北", False, 11, 167, 13, 0.04,
             (("满族", 6), ("回族", 3), ("蒙古族", 1))),
    Province("140000", "山西省", "山西", False, 11, 117, 13, 0.01,
             (("回族", 5), ("满族", 2), ("蒙古族", 1))),
    Province("150000", "内蒙古自治区", "内蒙古", False, 12, 103, 13, 0.21,
             (("蒙古族", 16), ("满族", 3), ("回族", 1), ("达斡尔族", 1), ("鄂温克族", 1))),
    Province("210000", "辽宁省", "辽宁", False, 14, 100, 13, 0.16,
             (("满族", 12), ("蒙古族", 2), ("回族", 1), ("朝鲜族", 1), ("锡伯族", 1))),
    Province("220000", "吉林省", "吉林", False, 9, 60, 13, 0.08,
             (("朝鲜族", 5), ("满族", 4), ("蒙古族", 1), ("回族", 1))),
    Province("230000", "黑龙江省", "黑龙江", False, 13, 121, 13, 0.04,
             (("满族", 5), ("朝鲜族", 2), ("蒙古族", 1), ("回族", 1))),
    Province("310000", "上海市", "上海", True, 0, 16, 14, 0.01,
             (("回族", 3), ("满族", 1), ("土家族", 1), ("苗族", 1))),
    Province("320000", "江苏省", "江苏", False, 13, 95, 13, 0.01,
             (("回族", 4), ("满族", 1), ("苗族", 1), ("土家族", 1))),
    Province("330000", "浙江省", "浙江", False, 11, 90, 13, 0.03,
             (("畲族", 3), ("苗族", 2), ("土家族", 2), ("布依族", 1))),
    Province("340000", "安徽省", "安徽", False, 16, 104, 13, 0.01,
             (("回族", 5), ("满族", 1), ("畲族", 1))),
    Province("350000", "福建省", "福建", False, 9, 84, 13, 0.02,
             (("畲族", 5), ("回族", 1), ("苗族", 1), ("土家族", 1))),
    Province("360000", "江西省", "江西", False, 11, 100, 13, 0.01,
             (("畲族", 3), ("苗族", 1), ("回族", 1))),
    Province("370000", "山东省", "山东", False, 16, 136, 13, 0.01,
             (("回族", 5), ("满族", 2), ("蒙古族", 1))),
    Province("410000", "河南省", "河南", False, 17, 157, 13, 0.01,
             (("回族", 7), ("蒙古族", 1), ("满族", 1))),
    Province("420000", "湖北省", "湖北", False, 13, 103, 13, 0.04,
             (("土家族", 8), ("苗族", 2), ("回族", 1), ("侗族", 1))),
    Province("430000", "湖南省", "湖南", False, 14, 123, 13, 0.10,
             (("土家族", 6), ("苗族", 5), ("侗族", 2), ("瑶族", 2), ("白族", 1), ("回族", 1))),
    Province("440000", "广东省", "广东", False, 21, 122, 13, 0.02,
             (("壮族", 4), ("瑶族", 2), ("土家族", 1), ("苗族", 1), ("畲族", 1))),
    Province("450000", "广西壮族自治区", "广西", False, 14, 111, 13, 0.37,
             (("壮族", 14), ("瑶族", 2), ("苗族", 1), ("侗族", 1), ("仫佬族", 1), ("毛南族", 1))),
    Province("460000", "海南省", "海南", False, 4, 25, 8, 0.16,
             (("黎族", 12), ("苗族", 1), ("回族", 1))),
    Province("500000", "重庆市", "重庆", True, 0, 38, 6, 0.07,
             (("土家族", 7), ("苗族", 3))),
    Province("510000", "四川省", "四川", False, 21, 183, 13, 0.07,
             (("彝族", 5), ("藏族", 3), ("羌族", 1), ("苗族", 1), ("回族", 1))),
    Province("520000", "贵州省", "贵州", False, 9, 88, 13, 0.36,
             (("苗族", 8), ("布依族", 5), ("土家族", 3), ("侗族", 3), ("彝族", 1), ("仡佬族", 1),
              ("水族", 1))),
    Province("530000", "云南省", "云南", False, 16, 129, 13, 0.33,
             (("彝族", 8), ("哈尼族", 3), ("白族", 3), ("傣族", 3), ("壮族", 2), ("苗族", 2),
              ("回族", 1), ("傈僳族", 1), ("拉祜族", 1), ("佤族", 1))),
    Province("540000", "西藏自治区", "西藏", False, 7, 74, 12, 0.87,
             (("藏族", 30), ("门巴族", 1), ("珞巴族", 1))),
    Province("610000", "陕西省", "陕西", False, 10, 107, 13, 0.01,
             (("回族", 5), ("满族", 1))),
    Province("620000", "甘肃省", "甘肃", False, 14, 86, 13, 0.10,
             (("回族", 5), ("藏族", 2), ("东乡族", 2), ("土族", 1), ("裕固族", 1), ("保安族", 1))),
    Province("630000", "青海省", "青海", False, 8, 44, 13, 0.49,
             (("藏族", 5), ("回族", 3), ("土族", 1), ("撒拉族", 1), ("蒙古族", 1))),
    Province("640000", "宁夏回族自治区", "宁夏", False, 5, 22, 12, 0.36,
             (("回族", 10), ("满族", 1))),
    Province("650000", "新疆维吾尔自治区", "新疆", False, 14, 107, 13, 0.58,
             (("维吾尔族", 8), ("哈萨克族", 2), ("回族", 2), ("柯尔克孜族", 1), ("蒙古族", 1))),
)  # fmt: skip

PROVINCES_BY_CODE = {province.code: province for province in PROVINCES}


@dataclass(frozen=True)
class Place:
    """A real prefecture- or county-level division."""

    code: str
    name: str
    short: str  # for companies and schools: 湘潭
    counties: int = 0  # for a prefecture: how many county-level divisions it has


# The prefecture-level divisions of Hunan 湖南省 (GB/T 2260) with their county-level counts.
HUNAN_PREFECTURES: tuple[Place, ...] = (
    Place("430100", "长沙市", "长沙", 9),
    Place("430200", "株洲市", "株洲", 9),
    Place("430300", "湘潭市", "湘潭", 5),
    Place("430400", "衡阳市", "衡阳", 12),
    Place("430500", "邵阳市", "邵阳", 12),
    Place("430600", "岳阳市", "岳阳", 9),
    Place("430700", "常德市", "常德", 9),
    Place("430800", "张家界市", "张家界", 4),
    Place("430900", "益阳市", "益阳", 6),
    Place("431000", "郴州市", "郴州", 11),
    Place("431100", "永州市", "永州", 11),
    Place("431200", "怀化市", "怀化", 13),
    Place("431300", "娄底市", "娄底", 5),
    Place("433100", "湘西土家族苗族自治州", "湘西", 8),
)

# Real county-level divisions, by prefecture code.
REAL_COUNTIES: dict[str, tuple[Place, ...]] = {
    "430100": (
        Place("430102", "芙蓉区", "芙蓉"),
        Place("430103", "天心区", "天心"),
        Place("430104", "岳麓区", "岳麓"),
        Place("430105", "开福区", "开福"),
        Place("430111", "雨花区", "雨花"),
        Place("430112", "望城区", "望城"),
        Place("430121", "长沙县", "长沙"),
        Place("430181", "浏阳市", "浏阳"),
        Place("430182", "宁乡市", "宁乡"),
    ),
    "430300": (
        Place("430302", "雨湖区", "雨湖"),
        Place("430304", "岳塘区", "岳塘"),
        Place("430321", "湘潭县", "湘潭"),
        Place("430381", "湘乡市", "湘乡"),
        Place("430382", "韶山市", "韶山"),
    ),
}

REAL_PREFECTURES: dict[str, tuple[Place, ...]] = {"430000": HUNAN_PREFECTURES}

# The demo and `seed --scale city`: Xiangtan under Hunan.
DEMO_PROVINCE_CODE = "430000"
DEMO_CITY_CODE = "430300"

# Characters that synthetic place names are made of (two of them, then 市, 县 or 区).
PLACE_CHARACTERS = (
    "安平阳山江河宁兴城德昌云林清泉丰华远东西南北中新金石水长明永乐和泰宝嘉庆福源盛通武文"
    "鹤龙凤桂岳湖溪川岭台原临松柳梅桃青白沙海滨汉枣杨槐桑柏峰岩崇高广大定靖阜绥化宜惠英"
)

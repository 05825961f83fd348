"""Organizations of a committee other than sectors: special committees 专门委员会, parties and
groups 党派团体, the office 机关 and handling units 承办单位.

Special committees: the ten of the 14th National Committee; the eight of Putian for municipal
committees (domain/reference.md §4); provincial and county sets shaped on the same pattern.
Handling units are the government departments that answer proposals at each level (names of the
2018–2023 institutional reform).
"""

from __future__ import annotations

from dataclasses import dataclass

SPECIAL_COMMITTEES: dict[str, tuple[str, ...]] = {
    "national": (
        "提案委员会",
        "经济委员会",
        "农业和农村委员会",
        "人口资源环境委员会",
        "教科卫体委员会",
        "社会和法制委员会",
        "民族和宗教委员会",
        "港澳台侨委员会",
        "外事委员会",
        "文化文史和学习委员会",
    ),
    "provincial": (
        "提案委员会",
        "经济委员会",
        "农业和农村委员会",
        "人口资源环境委员会",
        "教科卫体委员会",
        "社会和法制委员会",
        "民族宗教委员会",
        "港澳台侨和外事委员会",
        "文化文史和学习委员会",
    ),
    "municipal": (
        "提案委员会",
        "经济委员会",
        "农业和农村委员会",
        "人口资源环境委员会",
        "教科卫体委员会",
        "社会法制和民族宗教委员会",
        "港澳台侨和外事委员会",
        "文化文史和学习委员会",
    ),
    "county": (
        "提案委员会",
        "经济和农业农村委员会",
        "教科卫体委员会",
        "社会法制和民族宗教委员会",
        "文化文史和学习委员会",
    ),
}


@dataclass(frozen=True)
class PartyOrGroup:
    """A democratic party or a people's organization that takes part in the CPPCC."""

    key: str  # the sector it sits in (lianluo.directory.data.sectors.SECTORS)
    national_name: str
    national_short: str
    local_name: str  # {place} is the division's name: 民革湘潭市委员会
    local_short: str  # {level} is 省, 市, 县 or 区: 民革市委
    affiliation: str = ""  # Person.Affiliation of its members, for a democratic party


PARTIES_AND_GROUPS: tuple[PartyOrGroup, ...] = (
    PartyOrGroup("rcck", "中国国民党革命委员会中央委员会", "民革中央", "民革{place}委员会",
                 "民革{level}委", "rcck"),
    PartyOrGroup("cdl", "中国民主同盟中央委员会", "民盟中央", "民盟{place}委员会",
                 "民盟{level}委", "cdl"),
    PartyOrGroup("cndca", "中国民主建国会中央委员会", "民建中央", "民建{place}委员会",
                 "民建{level}委", "cndca"),
    PartyOrGroup("capd", "中国民主促进会中央委员会", "民进中央", "民进{place}委员会",
                 "民进{level}委", "capd"),
    PartyOrGroup("cpwdp", "中国农工民主党中央委员会", "农工党中央", "农工党{place}委员会",
                 "农工党{level}委", "cpwdp"),
    PartyOrGroup("zgzgd", "中国致公党中央委员会", "致公党中央", "致公党{place}委员会",
                 "致公党{level}委", "zgzgd"),
    PartyOrGroup("jiusan", "九三学社中央委员会", "九三学社中央", "九三学社{place}委员会",
                 "九三学社{level}委", "jiusan"),
    PartyOrGroup("tdsgl", "台湾民主自治同盟中央委员会", "台盟中央", "台盟{place}委员会",
                 "台盟{level}委", "tdsgl"),
    PartyOrGroup("cyl", "中国共产主义青年团中央委员会", "团中央", "共青团{place}委员会",
                 "团{level}委"),
    PartyOrGroup("youth", "中国共产主义青年团中央委员会", "团中央", "共青团{place}委员会",
                 "团{level}委"),
    PartyOrGroup("youth_federation", "中华全国青年联合会", "全国青联", "{place}青年联合会",
                 "{level}青联"),
    PartyOrGroup("union", "中华全国总工会", "全国总工会", "{place}总工会", "{level}总工会"),
    PartyOrGroup("women", "中华全国妇女联合会", "全国妇联", "{place}妇女联合会", "{level}妇联"),
    PartyOrGroup("business", "中华全国工商业联合会", "全国工商联", "{place}工商业联合会",
                 "{level}工商联"),
    PartyOrGroup("science_association", "中国科学技术协会", "中国科协", "{place}科学技术协会",
                 "{level}科协"),
    PartyOrGroup("taiwan_compatriots", "中华全国台湾同胞联谊会", "全国台联",
                 "{place}台湾同胞联谊会", "{level}台联"),
    PartyOrGroup("returned_overseas", "中华全国归国华侨联合会", "全国侨联",
                 "{place}归国华侨联合会", "{level}侨联"),
)  # fmt: skip

# The office of a committee: 全国政协办公厅, 政协湖南省委员会办公厅, 政协湘潭市委员会办公室.
OFFICE_NAMES: dict[str, str] = {
    "national": "全国政协办公厅",
    "provincial": "政协{place}委员会办公厅",
    "municipal": "政协{place}委员会办公室",
    "county": "政协{place}委员会办公室",
}

# Handling units 承办单位 of a municipal committee (市 = the city's government).
MUNICIPAL_UNITS: tuple[str, ...] = (
    "市发展和改革委员会",
    "市教育局",
    "市科学技术局",
    "市工业和信息化局",
    "市公安局",
    "市民政局",
    "市司法局",
    "市财政局",
    "市人力资源和社会保障局",
    "市自然资源和规划局",
    "市生态环境局",
    "市住房和城乡建设局",
    "市城市管理和综合执法局",
    "市交通运输局",
    "市水利局",
    "市农业农村局",
    "市商务局",
    "市文化旅游广电体育局",
    "市卫生健康委员会",
    "市退役军人事务局",
    "市应急管理局",
    "市审计局",
    "市市场监督管理局",
    "市统计局",
    "市医疗保障局",
    "市林业局",
    "市信访局",
    "市数据资源管理局",
    "国家税务总局{place}税务局",
    "国网{short}供电公司",
)

PROVINCIAL_UNITS: tuple[str, ...] = (
    "省发展和改革委员会",
    "省教育厅",
    "省科学技术厅",
    "省工业和信息化厅",
    "省公安厅",
    "省民政厅",
    "省司法厅",
    "省财政厅",
    "省人力资源和社会保障厅",
    "省自然资源厅",
    "省生态环境厅",
    "省住房和城乡建设厅",
    "省交通运输厅",
    "省水利厅",
    "省农业农村厅",
    "省商务厅",
    "省文化和旅游厅",
    "省卫生健康委员会",
    "省退役军人事务厅",
    "省应急管理厅",
    "省审计厅",
    "省市场监督管理局",
    "省统计局",
    "省医疗保障局",
    "省林业局",
    "省体育局",
    "省广播电视局",
    "省信访局",
)

NATIONAL_UNITS: tuple[str, ...] = (
    "国家发展和改革委员会",
    "教育部",
    "科学技术部",
    "工业和信息化部",
    "公安部",
    "民政部",
    "司法部",
    "财政部",
    "人力资源和社会保障部",
    "自然资源部",
    "生态环境部",
    "住房和城乡建设部",
    "交通运输部",
    "水利部",
    "农业农村部",
    "商务部",
    "文化和旅游部",
    "国家卫生健康委员会",
    "退役军人事务部",
    "应急管理部",
    "中国人民银行",
    "审计署",
    "国家市场监督管理总局",
    "国家医疗保障局",
    "国家林业和草原局",
    "国家体育总局",
    "国家金融监督管理总局",
    "国家税务总局",
)

# County committees: {level} is 县, 区 or 市 (a county-level city).
COUNTY_UNITS: tuple[str, ...] = (
    "{level}发展和改革局",
    "{level}教育局",
    "{level}公安局",
    "{level}民政局",
    "{level}财政局",
    "{level}人力资源和社会保障局",
    "{level}自然资源局",
    "{level}住房和城乡建设局",
    "{level}城市管理和综合执法局",
    "{level}交通运输局",
    "{level}水利局",
    "{level}农业农村局",
    "{level}商务局",
    "{level}文化旅游广电体育局",
    "{level}卫生健康局",
    "{level}市场监督管理局",
    "{level}应急管理局",
    "{level}退役军人事务局",
    "{level}医疗保障局",
    "生态环境局{place}分局",
)

HANDLING_UNITS: dict[str, tuple[str, ...]] = {
    "national": NATIONAL_UNITS,
    "provincial": PROVINCIAL_UNITS,
    "municipal": MUNICIPAL_UNITS,
    "county": COUNTY_UNITS,
}

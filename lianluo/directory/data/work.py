"""Workplaces and titles 工作单位及职务 by sector, as rosters print them.

Placeholders: {place} the division (湘潭市, 雨湖区, 湖南省), {short} its short name (湘潭),
{level} 省/市/县/区, {company} a made-up company, {univ} a university or college, {school} a
school, {party} the short name of the person's democratic party (民盟), {bureau} a government
department (财政局) with {head} and {deputy} its head's titles (局长, 副局长; 厅长; 主任),
{town} a made-up town or township (青山镇).

Many posts exist once per division (a bureau has one director): the generator does not give the
same workplace and title to two members of one committee.
"""

from __future__ import annotations

WORK: dict[str, tuple[str, ...]] = {
    "cpc": (
        "中共{place}委员会统战部副部长",
        "中共{place}委员会组织部副部长",
        "中共{place}委员会宣传部副部长",
        "中共{place}委员会政法委员会副书记",
        "中共{place}委员会政策研究室主任",
        "中共{place}委员会党校常务副校长",
        "中共{place}直属机关工作委员会书记",
        "{place}{bureau}党组书记、{head}",
        "{place}{bureau}党组副书记",
        "{place}{bureau}党组成员、{deputy}",
        "{town}党委书记",
        "{town}党委副书记",
        "{company}党委书记、董事长",
        "{univ}党委书记",
        "{univ}党委副书记",
        "{place}人民医院党委书记",
        "{place}人民政府副秘书长",
    ),
    "party": (
        "{univ}教授",
        "{univ}副教授",
        "{place}人民医院主任医师",
        "{place}中医医院副院长",
        "{school}校长",
        "{school}高级教师",
        "{company}总工程师",
        "{company}董事长",
        "{short}律师事务所主任、律师",
        "{place}会计师事务所所长",
        "{place}农业科学研究院研究员",
        "{place}文化馆馆长",
        "{place}自然资源和规划局副局长",
        "{place}卫生健康委员会副主任",
        "{place}教育局副局长",
    ),
    "youth": (
        "共青团{place}委员会书记",
        "共青团{place}委员会副书记",
        "{place}青年企业家协会会长、{company}总经理",
        "{company}副总经理",
        "{univ}团委书记",
        "{place}青年志愿者协会秘书长",
    ),
    "union": (
        "{place}总工会副主席",
        "{company}工会主席",
        "{company}车间主任、高级技师",
        "{company}一线职工、全国劳动模范",
        "{place}公交集团驾驶员、五一劳动奖章获得者",
    ),
    "women": (
        "{place}妇女联合会主席",
        "{place}妇女联合会副主席",
        "{place}女企业家协会会长、{company}董事长",
        "{school}校长",
        "{place}妇幼保健院院长",
        "{place}家政服务协会会长",
    ),
    "business": (
        "{place}工商业联合会副主席、{company}董事长",
        "{company}董事长",
        "{company}总经理",
        "{company}董事长兼总经理",
        "{place}商会会长、{company}董事长",
    ),
    "taiwan": (
        "{place}台湾同胞联谊会会长",
        "{company}（台资）总经理",
        "{univ}教授（台胞）",
    ),
    "overseas": (
        "{place}归国华侨联合会主席",
        "{company}董事长（归侨）",
        "{univ}教授（归侨）",
        "{place}华侨农场场长",
    ),
    "culture": (
        "{place}文学艺术界联合会主席",
        "{place}作家协会副主席",
        "{place}书法家协会主席",
        "{place}美术家协会副主席",
        "{place}歌舞剧院院长、国家一级演员",
        "{place}博物馆馆长",
        "{place}图书馆馆长",
        "{place}非物质文化遗产保护中心主任",
    ),
    "science": (
        "{univ}教授、博士生导师",
        "{place}科学技术协会副主席",
        "{company}总工程师、正高级工程师",
        "{place}农业科学研究院研究员",
        "{place}产业技术研究院院长",
        "{univ}研究员",
    ),
    "social_science": (
        "{univ}马克思主义学院教授",
        "{place}社会科学界联合会副主席",
        "中共{place}委员会党校教授",
        "{short}律师事务所主任、律师",
        "{univ}经济学院院长",
        "{place}地方志研究院研究员",
    ),
    "economy": (
        "{place}{bureau}{deputy}",
        "{company}董事长",
        "{company}总经理",
        "中国工商银行{place}分行行长",
        "中国农业银行{place}分行副行长",
        "{place}发展和改革委员会副主任",
        "{place}会计师事务所所长",
        "{place}国有资产投资经营集团董事长",
        "{place}统计局局长",
    ),
    "agriculture": (
        "{place}农业农村局副局长",
        "{short}村党支部书记、村委会主任",
        "{place}农业科学研究所所长",
        "{short}种植专业合作社理事长",
        "{place}畜牧水产事务中心主任",
        "{company}董事长",
    ),
    "education": (
        "{school}校长",
        "{univ}副校长",
        "{school}高级教师",
        "{place}职业技术学院院长",
        "{place}教育局副局长",
        "{place}特殊教育学校校长",
        "{place}实验幼儿园园长",
    ),
    "sports": (
        "{place}体育局副局长",
        "{place}体育运动学校校长",
        "{place}体育中心主任、国家级运动健将",
        "{school}体育教师",
    ),
    "press": (
        "{short}日报社总编辑",
        "{place}融媒体中心主任",
        "{place}广播电视台副台长",
        "{short}日报社记者部主任",
    ),
    "health": (
        "{place}中心医院院长",
        "{place}人民医院副院长、主任医师",
        "{place}中医医院主任医师",
        "{place}疾病预防控制中心主任",
        "{place}妇幼保健院院长",
        "{univ}附属医院副院长",
        "{place}卫生健康委员会副主任",
    ),
    "foreign": (
        "{place}人民政府外事办公室主任",
        "{company}国际业务部总经理",
        "{place}人民对外友好协会副会长",
        "{univ}外国语学院院长",
    ),
    "welfare": (
        "{place}民政局副局长",
        "{place}慈善总会会长",
        "{place}残疾人联合会理事长",
        "{place}社会福利院院长",
        "{place}医疗保障局局长",
        "{place}人力资源和社会保障局副局长",
    ),
    "ethnic": (
        "{place}民族宗教事务局局长",
        "{place}民族中学校长",
        "{company}董事长",
        "{place}民族医院院长",
        "{place}民族歌舞团团长",
    ),
    "religion": (
        "{place}佛教协会会长",
        "{place}佛教协会副会长、{short}寺住持",
        "{place}道教协会会长",
        "{place}伊斯兰教协会会长",
        "{place}基督教三自爱国运动委员会主席",
        "{place}天主教爱国会副主任",
    ),
    "hong_kong": (
        "香港中华总商会副会长",
        "{company}董事局主席",
        "{company}行政总裁",
        "香港大学教授",
        "香港中文大学教授",
        "香港执业大律师",
    ),
    "macao": (
        "澳门中华总商会副会长",
        "{company}董事长",
        "澳门大学教授",
        "澳门街坊会联合总会副会长",
    ),
    "special": (
        "{place}政协原副主席",
        "{place}人民政府原秘书长",
        "{place}人民法院原院长",
        "中共{place}委员会原常委",
        "{place}政协原秘书长",
        "{place}人大常委会原副主任",
    ),
    "environment": (
        "{place}生态环境局局长",
        "{place}自然资源和规划局副局长",
        "{place}林业局局长",
        "{univ}环境科学与工程学院教授",
        "{company}董事长",
        "{place}水利局总工程师",
    ),
}

# A democratic party's member often holds a party post besides their job.
PARTY_POSTS = ("{party}{place}委员会副主委", "{party}{place}委员会常委", "{party}{place}委员会委员")

BUREAUS = (
    "发展和改革委员会", "教育局", "科学技术局", "工业和信息化局", "民政局", "司法局", "财政局",
    "人力资源和社会保障局", "自然资源和规划局", "生态环境局", "住房和城乡建设局", "交通运输局",
    "水利局", "农业农村局", "商务局", "文化旅游广电体育局", "卫生健康委员会", "退役军人事务局",
    "应急管理局", "审计局", "市场监督管理局", "统计局", "医疗保障局", "林业局", "信访局",
)  # fmt: skip
# Departments of a provincial government are 厅 where a city's are 局.
PROVINCIAL_BUREAUS = (
    "发展和改革委员会", "教育厅", "科学技术厅", "工业和信息化厅", "民政厅", "司法厅", "财政厅",
    "人力资源和社会保障厅", "自然资源厅", "生态环境厅", "住房和城乡建设厅", "交通运输厅",
    "水利厅", "农业农村厅", "商务厅", "文化和旅游厅", "卫生健康委员会", "退役军人事务厅",
    "应急管理厅", "审计厅", "市场监督管理局", "统计局", "医疗保障局", "林业局", "信访局",
)  # fmt: skip
# The same departments in a province's templates: (city form, provincial form).
PROVINCIAL_RENAMES = (
    ("教育局", "教育厅"),
    ("民政局", "民政厅"),
    ("生态环境局", "生态环境厅"),
    ("自然资源和规划局", "自然资源厅"),
    ("农业农村局", "农业农村厅"),
    ("人力资源和社会保障局", "人力资源和社会保障厅"),
    ("水利局", "水利厅"),
    ("厅副局长", "厅副厅长"),
    ("厅局长", "厅厅长"),
    ("民族宗教事务局局长", "民族宗教事务委员会主任"),
)
TOWN_SUFFIXES = ("镇", "镇", "乡", "街道")

COMPANY_WORDS = "华宏远达兴盛昌恒瑞丰鑫金泰通信和新利源安德康明广正"
INDUSTRIES = (
    "电机", "钢铁", "建设", "置业", "科技", "医药", "食品", "纺织", "新材料", "电子", "物流",
    "化工", "农业", "文化传媒", "能源", "机械", "汽车零部件", "生物科技", "环保科技", "茶业",
)  # fmt: skip
COMPANY_SUFFIXES = ("有限公司", "股份有限公司", "集团有限公司")
UNIVERSITIES_LOCAL = ("{short}大学", "{short}学院", "{short}职业技术学院", "{short}医学院")
UNIVERSITIES_PROVINCIAL = (
    "{short}大学", "{short}师范大学", "{short}科技大学", "{short}农业大学", "{short}中医药大学",
    "{short}工业大学",
)  # fmt: skip
UNIVERSITIES_NATIONAL = (
    "清华大学", "北京大学", "复旦大学", "浙江大学", "南京大学", "武汉大学", "中山大学",
    "中国科学院", "中国社会科学院", "中国人民大学", "中南大学", "四川大学", "西安交通大学",
)  # fmt: skip
SCHOOLS = (
    "{place}第一中学",
    "{place}第二中学",
    "{place}实验中学",
    "{place}实验小学",
    "{short}一中",
)

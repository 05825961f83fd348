"""Synthetic proposal and report texts for `seed` and the benchmarks (deterministic per rng).

Texts are built like real ones: a title 关于……的建议, a statement of the situation and its
problems, then numbered suggestions. Proposals on the same subject share much of their
vocabulary (as real ones do), which makes near-duplicate detection honest. `edited_copy` makes
the near-duplicates a committee meets: a text copied and edited (sentences inserted, deleted,
reordered, words substituted).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# (subject, its object nouns, category slug) — the subjects of municipal proposals.
SUBJECTS = (
    ("老旧小区改造", ("加装电梯", "管网更新", "停车位", "外墙保温", "适老化设施"), "society"),
    ("城市停车管理", ("停车泊位", "智慧停车平台", "路内停车", "共享车位", "停车收费"), "society"),
    ("养老服务体系", ("社区养老", "居家养老", "养老床位", "护理人才", "长期护理保险"), "society"),
    ("义务教育均衡", ("学位供给", "师资交流", "课后服务", "校舍建设", "教育集团化"), "society"),
    ("学前教育普惠", ("普惠性幼儿园", "托育服务", "保教质量", "幼师待遇", "入园难"), "society"),
    (
        "基层医疗服务",
        ("家庭医生签约", "社区卫生服务中心", "医联体", "分级诊疗", "村医队伍"),
        "society",
    ),
    (
        "公共卫生应急",
        ("疾控体系", "应急物资储备", "发热门诊", "监测预警", "公共卫生人才"),
        "society",
    ),
    ("食品安全监管", ("校园食品", "农贸市场", "网络订餐", "快速检测", "追溯体系"), "society"),
    (
        "就业创业扶持",
        ("高校毕业生就业", "灵活就业", "创业担保贷款", "技能培训", "零工市场"),
        "economy",
    ),
    ("民营经济发展", ("营商环境", "融资难融资贵", "拖欠账款", "涉企收费", "政企沟通"), "economy"),
    (
        "制造业转型升级",
        ("智能制造", "技术改造", "工业互联网", "专精特新企业", "产业链协同"),
        "economy",
    ),
    ("科技创新平台", ("研发投入", "科技成果转化", "创新联合体", "孵化器", "人才引进"), "economy"),
    ("县域经济发展", ("特色产业", "园区建设", "招商引资", "县城基础设施", "产城融合"), "economy"),
    ("文旅融合发展", ("红色旅游", "景区提质", "夜间经济", "文创产品", "旅游线路"), "culture"),
    ("历史文化保护", ("历史街区", "文物保护", "非物质文化遗产", "传统村落", "老字号"), "culture"),
    ("公共文化服务", ("图书馆分馆", "文化馆", "农家书屋", "全民阅读", "基层文化队伍"), "culture"),
    (
        "全民健身设施",
        ("体育公园", "健身步道", "学校体育场馆开放", "社区健身器材", "赛事活动"),
        "culture",
    ),
    ("乡村振兴", ("高标准农田", "农村人居环境", "集体经济", "乡村人才", "农产品品牌"), "economy"),
    ("农村饮水安全", ("集中供水", "水源保护", "管网延伸", "水质检测", "运行管护"), "ecology"),
    ("湘江流域治理", ("水质监测", "排污口整治", "河长制", "岸线保护", "生态补偿"), "ecology"),
    (
        "大气污染防治",
        ("扬尘治理", "工业废气", "机动车尾气", "秸秆禁烧", "重污染天气应对"),
        "ecology",
    ),
    ("垃圾分类", ("分类投放", "收运体系", "厨余垃圾处理", "再生资源回收", "宣传引导"), "ecology"),
    ("城市绿地建设", ("口袋公园", "绿道网络", "行道树管护", "立体绿化", "公园开放"), "ecology"),
    ("新能源汽车推广", ("充电桩建设", "公交电动化", "换电站", "购车补贴", "电池回收"), "ecology"),
    (
        "基层社会治理",
        ("网格化管理", "社区工作者", "矛盾纠纷化解", "物业管理", "居民议事"),
        "politics",
    ),
    ("法治政府建设", ("行政执法", "行政复议", "法律援助", "公共法律服务", "执法监督"), "politics"),
    ("政务服务优化", ("一网通办", "一件事一次办", "数据共享", "窗口服务", "帮办代办"), "politics"),
    (
        "民族宗教工作",
        ("民族团结进步", "宗教活动场所管理", "少数民族流动人口", "民族文化", "统战工作"),
        "politics",
    ),
    ("交通基础设施", ("城际铁路", "公交线网", "断头路", "农村公路", "交通拥堵"), "economy"),
    ("住房保障", ("保障性租赁住房", "公租房", "住房公积金", "新市民住房", "城中村改造"), "society"),
)
PLACES = (
    "我市",
    "雨湖区",
    "岳塘区",
    "湘潭县",
    "湘乡市",
    "韶山市",
    "高新区",
    "经开区",
    "昭山示范区",
)
VERBS_TITLE = (
    "加强",
    "推进",
    "完善",
    "加快",
    "优化",
    "进一步做好",
    "着力解决",
    "健全",
    "强化",
    "提升",
)
# Sentences are combined from a lead, a core and a tail, so that texts on one subject share
# vocabulary without sharing whole sentences.
PROBLEM_LEADS = (
    "调研发现，", "从实际情况看，", "据了解，", "目前，", "一些基层干部反映，", "部分群众反映，",
    "从走访情况看，", "", "总体来看，", "特别是在{place}，", "据有关部门统计，", "在基层，",
    "随着城镇化进程加快，", "受多种因素影响，", "从全省对比看，",
)  # fmt: skip
PROBLEM_CORES = (
    "{obj}覆盖面不足", "{obj}的资金投入渠道单一，主要依靠财政", "{obj}存在多头管理、推诿扯皮现象",
    "{obj}建设标准不统一，质量参差不齐", "{obj}专业人才短缺，队伍不稳定", "{obj}信息化水平不高",
    "{obj}重建设、轻管理的问题比较普遍", "农村地区{obj}明显滞后于城区", "{obj}项目用地保障不足",
    "{obj}审批环节多、周期长", "群众对{obj}相关政策知晓率不高", "{obj}运营成本偏高，难以持续",
    "{obj}供需矛盾突出", "{obj}监管力量薄弱，执法手段有限", "{place}{obj}的群众满意度不高",
    "{obj}配套设施不完善", "{obj}布局不够合理，分布不均衡", "社会力量参与{obj}的积极性不高",
    "{obj}缺乏有效的激励约束机制", "{obj}数据统计口径不一，底数不清", "{obj}的政策落实存在温差",
    "{obj}与相关规划衔接不够", "部分{obj}设施闲置，使用效率偏低", "{obj}的应急处置能力不足",
    "{obj}存在安全隐患", "{obj}的服务内容单一，难以满足多样化需求", "{obj}标准化程度不高",
    "{obj}的考核评价体系不完善", "基层承担{obj}任务重但经费少", "{obj}的宣传引导力度不够",
    "{obj}相关法规制度滞后", "{obj}的跨部门协调机制尚未建立",
)  # fmt: skip
PROBLEM_TAILS = (
    "，群众反映较为集中。", "，影响了工作成效。", "，制约了{subject}的推进。", "。",
    "，与群众期盼存在差距。", "，亟待解决。", "，{place}约有{n}处存在类似情况。",
    "，缺口约{pct}%。", "，近三年相关投诉增长{pct}%。", "，不少地方仍停留在起步阶段。",
    "，一些问题长期得不到解决。", "，{n}个社区中仅有少数达到标准。",
)  # fmt: skip
SUGGESTION_LEADS = (
    "建议", "要", "应当", "可以考虑", "", "进一步", "尽快", "积极", "着力", "由{place}政府牵头，",
)  # fmt: skip
SUGGESTION_CORES = (
    "将{obj}纳入国民经济和社会发展规划，明确目标任务和时间表",
    "设立{obj}专项资金，每年安排不少于{n}万元", "引导社会资本参与{obj}建设运营",
    "明确{obj}牵头部门，建立联席会议制度", "出台{obj}实施细则，简化审批流程",
    "通过定向培养、岗位补贴等方式充实{obj}专业人才", "搭建{obj}信息平台，实现数据共享",
    "将{obj}纳入绩效考核，定期通报进展", "通过多种渠道普及{obj}相关知识",
    "选择{place}开展{obj}试点，总结经验后全面推广", "明确{obj}的管护主体和经费来源",
    "支持社会组织、企业和志愿者参与{obj}", "学习借鉴外地在{obj}方面的成熟做法",
    "制定{obj}建设标准和服务规范", "加大{obj}的督查问责力度", "推行{obj}清单化管理",
    "完善{obj}的价格和收费政策", "将{obj}与{subject}统筹推进", "建立{obj}动态监测和预警机制",
    "优化{obj}的空间布局", "落实{obj}用地、用电等要素保障", "建立{obj}群众评价反馈机制",
    "探索{obj}市场化运作模式", "加强{obj}的部门协同和上下联动", "对{obj}实行以奖代补",
    "开展{obj}专项整治行动", "建立{obj}长效管理机制", "推动{obj}向农村延伸覆盖",
)  # fmt: skip
SUGGESTION_TAILS = (
    "。", "，形成工作合力。", "，确保取得实效。", "，切实解决群众关心的问题。",
    "，力争{n}年内见到成效。", "，不断提升{subject}水平。", "，为全市发展提供有力支撑。",
    "，让群众有更多获得感。",
)  # fmt: skip
OPENINGS = (
    "近年来，{place}高度重视{subject}工作，取得了明显成效，但与人民群众的期待相比仍有差距。",
    "{subject}关系群众切身利益，是推动高质量发展的重要内容。",
    "当前，{place}正处于{subject}的关键时期，面临新的形势和任务。",
    "党的二十大报告对{subject}提出了明确要求，{place}积极贯彻落实，各项工作稳步推进。",
)
SYNONYMS = (
    ("加强", "强化"),
    ("推进", "推动"),
    ("完善", "健全"),
    ("群众", "居民"),
    ("明显", "显著"),
    ("部门", "单位"),
    ("建立", "构建"),
    ("问题", "困难"),
    ("提高", "提升"),
    ("加大", "增加"),
    ("目前", "当前"),
    ("进一步", "切实"),
)
NUMERALS = "一二三四五六七八九十"


@dataclass
class Text:
    """A generated text with its subject and the category slug it belongs to."""

    title: str
    body: str
    subject: str
    category: str


def _problem(rng: random.Random) -> str:
    return rng.choice(PROBLEM_LEADS) + rng.choice(PROBLEM_CORES) + rng.choice(PROBLEM_TAILS)


def _suggestion(rng: random.Random) -> str:
    lead = rng.choice(SUGGESTION_LEADS)
    return lead + rng.choice(SUGGESTION_CORES) + rng.choice(SUGGESTION_TAILS)


def _fill(rng: random.Random, template: str, subject: str, objects: tuple[str, ...]) -> str:
    return template.format(
        place=rng.choice(PLACES),
        obj=rng.choice(objects),
        subject=subject,
        n=rng.randint(3, 900),
        pct=rng.randint(5, 60),
    )


def proposal_text(rng: random.Random, *, target_chars: int | None = None) -> Text:
    """A proposal of about `target_chars` characters (400–1,400 when not given)."""
    subject, objects, category = rng.choice(SUBJECTS)
    target = target_chars or rng.randint(400, 1400)
    focus = rng.choice(objects)
    title = f"关于{rng.choice(VERBS_TITLE)}{subject}中{focus}工作的建议"
    if rng.random() < 0.4:
        title = f"关于{rng.choice(VERBS_TITLE)}{focus}的建议"
    parts = [_fill(rng, rng.choice(OPENINGS), subject, objects), "一、存在的主要问题"]
    problems = [_problem(rng) for _ in range(12)]
    suggestions = [_suggestion(rng) for _ in range(12)]
    length = sum(len(p) for p in parts)
    problem_lines: list[str] = []
    suggestion_lines: list[str] = []
    while length < target and (problems or suggestions):
        if problems and (len(problem_lines) <= len(suggestion_lines) or not suggestions):
            line = _fill(rng, problems.pop(), subject, objects)
            problem_lines.append(f"（{NUMERALS[len(problem_lines) % 10]}）{line}")
        else:
            line = _fill(rng, suggestions.pop(), subject, objects)
            suggestion_lines.append(f"{len(suggestion_lines) + 1}. {line}")
        length += len(line) + 4
    body = "\n".join([*parts, *problem_lines, "二、建议", *suggestion_lines])
    return Text(title=title, body=body, subject=subject, category=category)


def report_text(rng: random.Random) -> Text:
    """A short opinion report 社情民意: one matter, a few hundred characters."""
    subject, objects, category = rng.choice(SUBJECTS)
    focus = rng.choice(objects)
    title = f"关于{focus}有关情况的反映"
    lines = [
        f"近期，{rng.choice(PLACES)}群众反映{focus}方面存在一些问题。",
        _fill(rng, _problem(rng), subject, objects),
        _fill(rng, _problem(rng), subject, objects),
        "为此建议：",
        _fill(rng, _suggestion(rng), subject, objects),
        _fill(rng, _suggestion(rng), subject, objects),
    ]
    return Text(title=title, body="\n".join(lines), subject=subject, category=category)


def _sentences(body: str) -> list[str]:
    out: list[str] = []
    for line in body.split("\n"):
        pieces = [p for p in line.replace("。", "。\0").split("\0") if p]
        out.extend(pieces)
    return out


def edited_copy(rng: random.Random, text: Text, *, strength: float | None = None) -> Text:
    """A near-duplicate of `text`: the edits of someone who copied it and made it their own.

    `strength` (0–1, random 0.1–0.5 when not given) sets how much changes: sentences reordered,
    deleted and inserted, words replaced by synonyms, characters substituted, numbers changed.
    """
    strength = rng.uniform(0.1, 0.5) if strength is None else strength
    subject = next(s for s in SUBJECTS if s[0] == text.subject)
    sentences = _sentences(text.body)
    # Reorder: swap some neighbouring sentences.
    for _ in range(int(len(sentences) * strength)):
        i = rng.randrange(max(1, len(sentences) - 1))
        sentences[i : i + 2] = sentences[i : i + 2][::-1]
    # Delete some sentences.
    for _ in range(int(len(sentences) * strength * 0.4)):
        if len(sentences) > 3:
            sentences.pop(rng.randrange(len(sentences)))
    # Insert new sentences.
    for _ in range(int(len(sentences) * strength * 0.4) + 1):
        template = _problem(rng) if rng.random() < 0.5 else _suggestion(rng)
        sentences.insert(
            rng.randrange(len(sentences) + 1), _fill(rng, template, subject[0], subject[1])
        )
    body = "".join(s if s.endswith("。") else s + "\n" for s in sentences)
    # Words replaced by synonyms.
    for old, new in SYNONYMS:
        if rng.random() < strength:
            body = body.replace(old, new)
    # Characters substituted (typos, local wording).
    chars = list(body)
    for _ in range(int(len(chars) * strength * 0.03)):
        i = rng.randrange(len(chars))
        if "\u4e00" <= chars[i] <= "\u9fff":
            chars[i] = chr(rng.randrange(0x4E00, 0x9FA5))
    body = "".join(chars)
    title = text.title
    if rng.random() < strength:
        title = title.replace("的建议", "的提案").replace("关于", "关于进一步", 1)
    return Text(title=title, body=body, subject=text.subject, category=text.category)

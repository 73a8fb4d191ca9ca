"""Tests for classifier.sections: finding the problem section(s) of a report, whatever their heading.

The heart of this file is a table of short reports (an achievements part, the problem section, a measures part),
written for these tests in the words of 述职报告 / 对照检查材料 / 问题清单, one per heading form.  Each line of a
report carries a mark saying where it belongs:

    "# "  the line that opens the section (its ``start_line``)
    "+ "  a problem line: kept in ``Section.lines`` exactly, at its line number
    "~ "  measures inside the section's span: dropped from ``lines``, within ``start_line``..``end_line``
    "? "  measures the section may end before or drop inside (a measures sub-heading of a combined section)
    ". "  achievements before the section, "- " measures / other parts after it: outside the section

so a case checks the heading, the first and last line, that every problem line is in and every measures line out.
The table is followed by negative cases, the tests of the older version adapted to the new ``Section`` fields,
and property tests (hypothesis).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from classifier.reports import place_every_sentence
from classifier.sections import Section, clean, find_problem_sections, heading_level, is_measures_heading
from classifier.structure import PROBLEMS, place_sentences

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"

# Body lines are prose: they carry a comma, so they can never be taken for a heading.
STUDY = "理论学习不够深入，学用结合不紧密。"
RULES = "制度执行不到位，考核流于形式。"
PLAN = "加强理论学习，健全制度。"


def lines(*rows: str) -> str:
    return "\n".join(rows) + "\n"


def bare(heading: str) -> str:
    """A heading without trailing colon or full stop: the table does not care whether a found heading keeps the
    colon that closed it (see test_inline_heading_after_enumerator)."""
    return re.sub(r"[\s：:。]+$", "", heading)


# ---------------------------------------------------------------------------------------------------------------
# The table of heading forms
# ---------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    id: str
    rows: tuple[str, ...]
    heading: str | None = None  # default: the text of the "# " line, without trailing colon
    body: str | None = None  # the part of the "# " line kept as body, when the heading is inline

    def text(self) -> str:
        return "\n".join(row[2:] for row in self.rows) + "\n"

    def numbers(self, *marks: str) -> list[int]:
        return [number for number, row in enumerate(self.rows, start=1) if row[0] in marks]


def case(id: str, *rows: str | list[str], heading: str | None = None, body: str | None = None) -> Case:
    flat: list[str] = []
    for row in rows:
        flat.extend([row] if isinstance(row, str) else row)
    for row in flat:
        assert row[:1] in "#+~?.-" and row[1:2] == " ", f"unmarked row {row!r}"
    assert sum(row.startswith("#") for row in flat) == 1
    return Case(id, tuple(flat), heading, body)


# Shared parts of the reports.
ACHIEVEMENTS = [
    ". 一、履职尽责情况",
    ". 一年来，我认真履行党建第一责任人职责，带头落实“三会一课”制度，支部凝聚力明显增强。",
    ". 全年组织集中学习16次，开展主题党日活动12次，发展新党员2名。",
]
ACHIEVEMENTS_TWO_PARTS = ACHIEVEMENTS + [
    ". 二、党风廉政建设情况",
    ". 严格落实中央八项规定精神，全年开展廉政谈话20余人次，未发生违规违纪问题。",
]
ACHIEVEMENTS_UNNUMBERED = [
    ". 今年以来，我始终把抓党建作为最大政绩，坚持与业务工作同谋划、同部署、同考核。",
    ". 全年召开党建工作专题会议6次，带头讲党课2次，走访联系党员群众40余户。",
]
P1 = "一是理论学习不够系统，满足于读原文、记笔记，结合实际深入思考不多。"
P2 = "二是抓党建与抓业务结合不紧，有时重业务轻党建，对支部工作过问不够。"
P3 = "三是制度执行不够严格，组织生活会上批评多，自我批评少，辣味不足。"
PROBLEMS_YISHI = ["+ " + P1, "+ " + P2, "+ " + P3]
PLANS_3 = [
    "- 三、下一步工作打算",
    "- 坚持把学习摆在首位，每季度至少组织一次专题研讨，做到学思用贯通。",
    "- 压实管党治党责任，每月听取一次支部工作汇报，推动党建与业务深度融合。",
]
PLANS_UNNUMBERED = [
    "- 下一步工作打算",
    "- 坚持把学习摆在首位，每季度至少组织一次专题研讨，做到学思用贯通。",
]


CASES = [
    # --- numbered headings on their own line, level 1 ---
    case("问题和差距", ACHIEVEMENTS, "# 二、问题和差距", PROBLEMS_YISHI, PLANS_3),
    case("查摆的问题", [
        ". 一、学习研讨情况",
        ". 按照支部安排，我原原本本学习了规定篇目，撰写心得体会3篇，参加集中研讨4次。",
        "# 二、查摆的问题",
        "+ （一）在理论武装方面。学习的自觉性和系统性不够，往往是工作需要什么就学什么。",
        "+ （二）在担当作为方面。面对信访积案等难题，有时存在畏难情绪，主动破题的办法不多。",
        "+ （三）在联系群众方面。深入基层调研不够经常，听汇报多，到现场少。",
        "- 三、整改措施",
        "- 制定个人学习计划，坚持每周自学不少于5小时。",
    ]),
    case("存在的差距", ACHIEVEMENTS, "# 二、存在的差距", [
        "+ 对照新时代党建工作要求，自身还有不小的差距。",
        "+ 1.统筹谋划不够，对村级党组织分类指导针对性不强，后进支部转化进度偏慢。",
        "+ 2.党员教育管理方式单一，对流动党员的联系服务存在盲区。",
    ], PLANS_3),
    case("工作中的不足", ACHIEVEMENTS_TWO_PARTS, "# 三、工作中的不足", PROBLEMS_YISHI, [
        "- 四、今后努力方向",
        "- 坚持问题导向，对照年初目标逐项补短板，确保各项任务落地见效。",
    ]),
    case("存在的主要问题", ACHIEVEMENTS, "# 二、存在的主要问题", PROBLEMS_YISHI, PLANS_3),
    case("主要问题", ACHIEVEMENTS, "# 二、主要问题", PROBLEMS_YISHI, PLANS_3),
    case("存在的突出问题", ACHIEVEMENTS, "# 二、存在的突出问题", PROBLEMS_YISHI, PLANS_3),
    case("存在问题", ACHIEVEMENTS, "# 二、存在问题", PROBLEMS_YISHI, PLANS_3),
    case("存在问题：numbered with colon", ACHIEVEMENTS, "# 二、存在问题：", PROBLEMS_YISHI, PLANS_3),
    case("问题和不足", ACHIEVEMENTS, "# 二、问题和不足", PROBLEMS_YISHI, PLANS_3),
    case("问题与差距", ACHIEVEMENTS, "# 二、问题与差距", PROBLEMS_YISHI, PLANS_3),
    case("差距和不足", ACHIEVEMENTS, "# 二、差距和不足", PROBLEMS_YISHI, PLANS_3),
    case("存在的问题和不足", ACHIEVEMENTS, "# 二、存在的问题和不足", PROBLEMS_YISHI, PLANS_3),
    case("个人存在的差距和不足", ACHIEVEMENTS, "# 二、个人存在的差距和不足", PROBLEMS_YISHI, PLANS_3),
    case("主要问题和不足", ACHIEVEMENTS, "# 二、主要问题和不足", PROBLEMS_YISHI, PLANS_3),
    case("存在的短板弱项", ACHIEVEMENTS, "# 二、存在的短板弱项", PROBLEMS_YISHI, PLANS_3),
    case("存在的薄弱环节", ACHIEVEMENTS, "# 二、存在的薄弱环节", PROBLEMS_YISHI, PLANS_3),
    case("不足之处", ACHIEVEMENTS, "# 二、不足之处", PROBLEMS_YISHI, PLANS_3),
    case("困难和问题", ACHIEVEMENTS, "# 二、面临的困难和问题", PROBLEMS_YISHI, PLANS_3),
    case("存在的矛盾和问题", ACHIEVEMENTS, "# 二、存在的矛盾和问题", PROBLEMS_YISHI, PLANS_3),
    case("工作中存在的问题", ACHIEVEMENTS, "# 二、工作中存在的问题", PROBLEMS_YISHI, PLANS_3),
    case("履职中存在的不足", ACHIEVEMENTS, "# 二、履职中存在的不足", PROBLEMS_YISHI, PLANS_3),
    case("查找出的问题", ACHIEVEMENTS, "# 二、查找出的问题", PROBLEMS_YISHI, PLANS_3),
    case("对照检查发现的问题", ACHIEVEMENTS, "# 二、对照检查发现的问题", PROBLEMS_YISHI, PLANS_3),
    case("剖析出的问题", ACHIEVEMENTS, "# 二、检视剖析出的问题", PROBLEMS_YISHI, PLANS_3),
    case("问题查摆", ACHIEVEMENTS, "# 二、问题查摆", PROBLEMS_YISHI, PLANS_3),
    case("需要改进的地方", ACHIEVEMENTS_TWO_PARTS, "# 三、需要改进的地方", PROBLEMS_YISHI, [
        "- 四、下一步打算",
        "- 坚持问题导向，对照年初目标逐项补短板，确保各项任务落地见效。",
    ]),
    case("问题清单 numbered", ACHIEVEMENTS_TWO_PARTS, "# 三、问题清单", [
        "+ 1.落实“第一议题”制度不够经常，专题研讨质量不高。",
        "+ 2.对软弱涣散村党组织整顿跟踪问效不够，个别村整顿后出现反弹。",
        "+ 3.党费收缴使用管理不够规范，部分支部台账记录不全。",
    ], [
        "- 四、整改措施",
        "- 逐项明确责任人和完成时限，实行销号管理。",
    ]),
    case("存在的主要问题及原因 (causes kept)", ACHIEVEMENTS, "# 二、存在的主要问题及原因", [
        "+ （一）基层党建发展不平衡，部分村党组织战斗堡垒作用发挥不明显。",
        "+ （二）党员队伍老化，村党员中60岁以上的占近一半，后继乏人。",
        "+ 分析产生问题的原因，主要是本人抓党建的精力投入不足，传导压力不够，对基层一线指导不多。",
    ], [
        "- 三、下一步工作目标和具体措施",
        "- 严格落实书记抓党建责任清单，每季度到联系点调研不少于1次。",
    ]),
    case("存在问题及原因分析 with （二）原因分析", ACHIEVEMENTS, "# 二、存在问题及原因分析", [
        "+ （一）存在的问题",
        "+ 抓非公企业党建办法不多，党组织覆盖面不够广，部分企业党组织活动不正常。",
        "+ （二）原因分析",
        "+ 主观上对新领域党建研究不深，客观上企业党员流动性大，组织生活难以保证。",
    ], PLANS_3),
    case("scraped noise before heading", ACHIEVEMENTS, "# ??二、存在问题", PROBLEMS_YISHI, PLANS_3,
         heading="二、存在问题"),
    case("第二部分 存在的问题 with its own 一、 list", [
        ". 第一部分 履职情况",
        ". 全年召开党委会研究党建工作9次，带头联系软弱涣散村2个，推动整顿转化。",
        "# 第二部分 存在的问题",
        "+ 一、政治理论学习还不够深入",
        "+ 学习的系统性、经常性不够，学用结合不紧密。",
        "+ 二、基层组织建设还有薄弱环节",
        "+ 个别村“两委”班子凝聚力不强，发挥作用不明显。",
        "- 第三部分 下一步工作打算",
        "- 着力抓好村级后备力量培养，每村储备后备干部2名以上。",
    ]),
    case("own 一、 list restarting under 二、", ACHIEVEMENTS, "# 二、存在的问题", [
        "+ 一、思想认识有偏差",
        "+ 认为抓好经济发展就是抓好了党建，有时把党建工作当作软任务，安排部署多，督促检查少。",
        "+ 二、工作创新不够",
        "+ 党建活动形式单一，对年轻党员吸引力不强。",
    ], [
        "- 三、下一步工作打算",
        "- 创新活动载体，推行“主题党日+志愿服务”，增强组织生活吸引力。",
    ]),
    case("own list whose first item is a sentence", ACHIEVEMENTS_UNNUMBERED, "# 存在的主要问题", [
        "+ 一、政治理论学习不够深入，学用结合不够紧密。",
        "+ 二、基层基础工作仍然薄弱",
        "+ 部分村级党组织班子老化，后备力量不足。",
    ], PLANS_UNNUMBERED),
    case("unnumbered headings, measures list 一是…三是 longer than the problems list",
         ACHIEVEMENTS_UNNUMBERED, "# 存在的问题", [
             "+ 一是对党员干部的日常监督不够到位，存在失之于宽的现象。",
             "+ 二是基层党组织阵地作用发挥不充分，活动内容不够丰富。",
             "- 下一步打算",
             "- 一是从严加强党员日常管理，建立党员积分管理台账。",
             "- 二是用好党群服务阵地，每月组织一次主题活动。",
             "- 三是强化考核问效，把党建考核结果与评先评优挂钩。",
         ]),
    case("（二）整改落实不到位 stays inside", ACHIEVEMENTS, "# 二、存在的主要问题", [
        "+ （一）学习教育不够深入",
        "+ 个别党员参加集中学习存在应付现象，学习笔记照抄照搬。",
        "+ （二）整改落实不到位",
        "+ 对巡察反馈问题跟踪督办不够，有的问题整改进度滞后，存在反弹现象。",
        "+ （三）作风建设仍有差距",
        "+ 调查研究不够深入，有时满足于听汇报、看材料。",
    ], PLANS_3),
    case("unnumbered sub-headings under 二、", ACHIEVEMENTS, "# 二、存在的问题", [
        "+ 理论学习不够深入",
        "+ 具体表现为学习不系统，浅尝辄止，满足于一知半解。",
        "+ 基层基础还不牢固",
        "+ 个别村党组织书记年龄偏大，带富能力不强。",
    ], PLANS_3),
    # --- lower numbering levels ---
    case("（二）存在的主要问题 ends at （三）", [
        ". 一、抓基层党建工作情况",
        ". （一）压实工作责任",
        ". 建立书记抓、抓书记的责任体系，层层签订党建责任书。",
        "# （二）存在的主要问题",
        "+ 1.部分支部书记抓党建能力不足，习惯于被动应付。",
        "+ 2.党员发展质量有待提高，青年党员比例偏低。",
        "- （三）开展述职评议情况",
        "- 组织全体支部书记现场述职，群众代表参与测评。",
        "- 二、下一步工作打算",
        "- 加强书记队伍培训，全年轮训一遍。",
    ]),
    case("(二)存在的主要问题 (half-width brackets) ends at 二、", [
        ". 一、抓基层党建工作情况",
        ". (一)压实工作责任",
        ". 建立书记抓、抓书记的责任体系，层层签订党建责任书。",
        "# (二)存在的主要问题",
        "+ 1.部分支部书记抓党建能力不足，习惯于被动应付。",
        "+ 2.党员发展质量有待提高，青年党员比例偏低。",
        "- 二、党风廉政建设情况",
        "- 严格落实“一岗双责”，与班子成员开展廉政谈话8人次。",
    ]),
    case("（二）存在的不足 ends at measures sub-heading", [
        ". 一、个人履职情况",
        ". （一）抓学习",
        ". 带头参加中心组学习，撰写调研报告2篇。",
        "# （二）存在的不足",
        "+ 对分管领域的风险隐患排查不够细，存在以会议落实会议的现象。",
        "- （三）改进措施",
        "- 每月深入分管单位调研一次，建立问题台账。",
    ]),
    case("2.存在问题 (level 3)", [
        ". 一、履职情况",
        ". 1.抓班子带队伍",
        ". 坚持民主集中制，重大事项集体研究决定，班子团结有力。",
        "# 2.存在问题",
        "+ （1）对年轻干部的传帮带不够，压担子、给舞台不多。",
        "+ （2）谈心谈话的经常性不够，对干部思想动态掌握不及时。",
        "- 3.下一步打算",
        "- 建立年轻干部成长档案，实行导师帮带制度。",
    ]),
    case("（2）存在的不足 (level 4)", [
        ". 一、履职情况",
        ". 1.抓支部建设",
        ". （1）主要做法",
        ". 推行支部标准化建设，6个支部全部达标。",
        "# （2）存在的不足",
        "+ 个别支部“三会一课”记录不规范，会议内容与实际工作结合不紧。",
        "- （3）整改方向",
        "- 每季度开展一次支部台账互查互评。",
    ]),
    case("②存在的突出问题 (level 5)", [
        ". 一、履职情况",
        ". （一）抓组织建设",
        ". ①强化阵地建设",
        ". 新建村级党群服务中心2个，改造提升5个。",
        "# ②存在的突出问题",
        "+ 部分党群服务中心利用率不高，平时开放时间不固定，群众获得感不强。",
        "- ③下步打算",
        "- 推行党群服务中心轮值坐班制度。",
    ]),
    # --- unnumbered headings ---
    case("问题和差距 unnumbered", ACHIEVEMENTS_UNNUMBERED, "# 问题和差距", PROBLEMS_YISHI, PLANS_UNNUMBERED),
    case("存在的不足 unnumbered", ACHIEVEMENTS_UNNUMBERED, "# 存在的不足", PROBLEMS_YISHI, PLANS_UNNUMBERED),
    case("存在问题： alone on a line", ACHIEVEMENTS_UNNUMBERED, "# 存在问题：", PROBLEMS_YISHI, [
        "- 下一步打算：",
        "- 把学习摆在首位，每季度至少组织一次专题研讨。",
    ]),
    case("存在的主要问题。 heading ending with a full stop", ACHIEVEMENTS_UNNUMBERED, "# 存在的主要问题。",
         PROBLEMS_YISHI, PLANS_UNNUMBERED),
    case("问题清单 title", [
        "# 城南街道东湖社区党委书记抓基层党建工作问题清单",
        "+ 一、落实“三会一课”制度不够严格，党员大会有时以会代课。",
        "+ 二、党员发展工作计划性不强，近三年未发展35岁以下党员。",
        "+ 三、对辖区非公企业党建指导不够，2家企业党组织长期未开展活动。",
        "- 整改措施",
        "- 1.严格执行组织生活制度，每季度至少上1次党课。",
    ]),
    case("对照检查材料: 本人主要查摆出以下问题：", [
        ". 2023年度专题民主生活会个人对照检查材料",
        ". 根据会议安排，我认真学习了规定篇目，结合分管工作深入开展自我剖析。",
        "# 对照新时代党的建设总要求，本人主要查摆出以下问题：",
        "+ （一）理想信念方面。对理论学习的重要性认识不足，存在实用主义倾向。",
        "+ （二）担当作为方面。推动工作习惯于按部就班，攻坚克难的锐气有所减弱。",
        "+ （三）纪律作风方面。深入基层调研少，了解情况主要靠听汇报。",
        "- 下一步整改措施",
        "- 坚持每天自学1小时，每月撰写1篇学习体会。",
    ], heading="对照新时代党的建设总要求，本人主要查摆出以下问题"),
    case("对照检查材料: 一、对照检查情况, then 征求意见建议…查摆出以下问题：", [
        ". 专题民主生活会个人对照检查材料",
        "# 一、对照检查情况",
        "+ 会前，我认真学习了规定篇目，广泛征求意见建议，深入开展谈心谈话，对照检查，查摆出以下问题：",
        "+ （一）政治理论学习方面，学习的系统性不够，往往满足于完成规定动作。",
        "+ （二）履职尽责方面，抓工作落实的韧劲不足，有的工作部署多、跟踪少。",
        "- 二、整改措施",
        "- 坚持每天自学1小时，每月撰写1篇学习体会。",
    ]),
    case("对照检查材料: 查摆出以下问题： under a heading that names no problem", [
        ". 专题民主生活会个人对照检查材料",
        ". 一、学习研讨情况",
        "# 会前，我认真学习了规定篇目，广泛征求意见建议，深入开展谈心谈话，查摆出以下问题：",
        "+ （一）政治理论学习方面，学习的系统性不够，往往满足于完成规定动作。",
        "+ （二）履职尽责方面，抓工作落实的韧劲不足，有的工作部署多、跟踪少。",
        "- 二、整改措施",
        "- 坚持每天自学1小时，每月撰写1篇学习体会。",
    ], heading="会前，我认真学习了规定篇目，广泛征求意见建议，深入开展谈心谈话，查摆出以下问题"),
    case("an achievements paragraph ending 还有不少差距。, then the real heading", [
        ". 一、学习收获",
        ". 一是对初心使命有了更深的理解。二是对自身差距有了更清醒的认识，感到自己在能力上还有不少差距。",
        ". ",
        ". 支部坚持边学边改，建立了外勤党员线上学习制度。",
        ". ",
        "# 二、检视出的问题",
        "+ 1.政治理论学习有所放松，自学时间保证得不够。",
        "+ 2.履行支部书记职责不够到位，对支部工作抓得不细。",
        "- 三、整改措施",
        "- 制定个人学习计划，每周自学不少于5小时。",
    ]),
    case("述责：履职中存在的问题, a heading that holds a colon", [
        ". 一、述职：履职尽责情况",
        ". 全年召开党组会24次，研究党建工作事项36项。",
        "# 二、述责：履职中存在的问题",
        "+ 一是抓党建的精力投入不够。",
        "+ 二是对基层党组织的指导不够精准。",
        "- 三、述廉：廉洁自律情况",
        "- 本人严格遵守中央八项规定精神。",
    ]),
    case("民主生活会: 对照检查情况 with area labels that run into their items", [
        ". 一、上年度民主生活会整改措施落实情况",
        ". 上年度查摆的问题已基本整改到位。",
        "# 二、对照检查情况",
        "+ （一）在理论学习方面。一是学习的系统性还不够。二是运用理论指导实践还有差距，思路不宽。",
        "+ （二）在联系群众方面。一是到基层调研不够经常。二是为群众办实事的主动性不够。",
        "+ 三、问题产生的原因",
        "+ 一是理论学习不够深入。二是宗旨意识有所淡化。",
        "- 四、整改措施",
        "- 坚持每天自学1小时。",
    ]),
    # --- inline headings and lead-in sentences ---
    case("inline 当前存在的问题主要有：一是…", ACHIEVEMENTS_UNNUMBERED,
         "# 当前存在的问题主要有：一是思想认识不够到位，抓党建的主动性不强；二是工作方法比较单一，创新意识不足。",
         "+ 三是基础保障不够有力，村级活动经费不足，阵地作用发挥不够。",
         PLANS_UNNUMBERED,
         heading="当前存在的问题主要有",
         body="一是思想认识不够到位，抓党建的主动性不强；二是工作方法比较单一，创新意识不足。"),
    case("inline 存在问题主要表现在：一是…", [
        ". 一、主要工作",
        ". 围绕年度目标，扎实推进支部标准化规范化建设，各项工作有序开展。",
        "# 存在问题主要表现在：一是党员教育管理不够严格，个别党员组织观念淡薄；二是支部活动缺乏特色。",
        "- 二、下一步打算",
        "- 严格党员教育管理，落实积分制管理办法。",
    ], heading="存在问题主要表现在",
         body="一是党员教育管理不够严格，个别党员组织观念淡薄；二是支部活动缺乏特色。"),
    case("inline 主要问题：一是… mid-paragraph", [
        ". 一、工作情况",
        ". 全年完成党员冬训全覆盖，新建党员先锋岗12个。",
        "# 一年来支部工作取得一定成效，但对照上级要求仍有一定距离。"
        "主要问题：一是谋划工作站位不高；二是党员作用发挥不够充分。",
        "- 二、下一步工作打算",
        "- 突出政治引领，深化党员先锋岗创建。",
    ], heading="主要问题", body="一是谋划工作站位不高；二是党员作用发挥不够充分。"),
    case("inline …但也存在一些不足，主要表现在：一是…", [
        ". 一、履职情况",
        ". 全面落实党建工作责任制，党组织书记抓党建责任清单实现全覆盖。",
        "# 回顾一年来的工作，虽然取得了一些成绩，但也存在一些不足，主要表现在："
        "一是抓党建的精力投入不够；二是党建与业务融合不深。",
        "+ 三是对年轻党员的教育引导不够，部分党员参加组织生活积极性不高。",
        "- 二、下一步打算",
        "- 健全党建与业务同考核机制，推动深度融合。",
    ], heading="回顾一年来的工作，虽然取得了一些成绩，但也存在一些不足，主要表现在",
         body="一是抓党建的精力投入不够；二是党建与业务融合不深。"),
    case("lead-in sentence ending its paragraph", [
        ". 一、工作开展情况",
        ". 全面推行“党建+网格”治理模式，划分网格28个，党员中心户包联群众1100余户。",
        "# 回顾一年来的工作，我也清醒地看到，工作中还存在不少问题。",
        "+ 一是理论学习不够深入，存在以干代学的现象。",
        "+ 二是基层党建工作发展不平衡，个别支部工作滞后。",
        "+ 三是党员队伍结构不够合理，年龄老化问题比较突出。",
        "- 二、下一步工作打算",
        "- 以提升组织力为重点，持续整顿软弱涣散党组织。",
    ], heading="回顾一年来的工作，我也清醒地看到，工作中还存在不少问题"),
    case("inline （二）存在问题：一是…", [
        ". 一、履职情况",
        ". （一）主要工作",
        ". 组织专题学习8次，开展红色教育1次。",
        "# （二）存在问题：一是学习不够深入，二是制度执行不严。",
        "- （三）整改措施",
        "- " + PLAN,
    ], heading="（二）存在问题", body="一是学习不够深入，二是制度执行不严。"),
    # --- combined headings: problems kept, measures dropped ---
    case("存在问题及整改措施 with a measures sub-heading", ACHIEVEMENTS_TWO_PARTS,
         "# 三、存在问题及整改措施", [
             "+ （一）存在问题",
             "+ 1.对党建工作的研究谋划不够，工作停留在完成上级规定动作上。",
             "+ 2.联系服务党员群众不够经常，对困难党员的关心帮扶不够。",
             "? （二）整改措施",
             "? 1.每季度专题研究一次党建工作，找准问题，靠前指挥。",
             "? 2.建立困难党员帮扶台账，做到逢节必访。",
         ]),
    case("存在的问题及下一步打算 with 下一步 paragraphs", ACHIEVEMENTS_TWO_PARTS,
         "# 三、存在的问题及下一步打算", PROBLEMS_YISHI, [
             "~ 下一步，我将持续加强理论武装，带头学、深入学，努力做到学思践悟。",
             "~ 同时，健全党建与业务双考核机制，以党建成效检验工作成效。",
             "- 四、遵守廉洁自律规定情况",
             "- 严格遵守中央八项规定精神，自觉接受组织和群众监督。",
         ]),
    case("存在的不足和今后努力方向 with 针对上述问题", ACHIEVEMENTS_TWO_PARTS,
         "# 三、存在的不足和今后努力方向", PROBLEMS_YISHI, [
             "~ 针对上述问题，我将从以下方面加以改进：",
             "~ 坚持每周集中学习半天，推动学习制度化常态化。",
             "~ 每月专题研究一次党建工作，压实支部书记责任。",
         ]),
    case("存在的问题及改进措施 with 整改措施： paragraph", ACHIEVEMENTS_TWO_PARTS,
         "# 三、存在的问题及改进措施", PROBLEMS_YISHI, [
             "~ 整改措施：一要强化理论武装，二要压实党建责任，三要严格组织生活。",
             "- 四、个人廉洁自律情况",
             "- 严格执行廉洁从政各项规定，未发生违规违纪行为。",
         ]),
    case("combined heading, measures list 一是…三是 longer than the problems list", ACHIEVEMENTS_TWO_PARTS,
         "# 三、存在的问题及下一步打算", [
             "+ 一是对党员干部的日常监督不够到位，存在失之于宽的现象。",
             "+ 二是基层党组织阵地作用发挥不充分，活动内容不够丰富。",
             "~ 下一步，我将重点抓好以下工作：",
             "~ 一是从严加强党员日常管理，建立党员积分管理台账。",
             "~ 二是用好党群服务阵地，每月组织一次主题活动。",
             "~ 三是强化考核问效，把党建考核结果与评先评优挂钩。",
         ]),
    # --- wordings without 存在/问题 at the front, and self-examination headings ---
    case("反思不足", ACHIEVEMENTS_TWO_PARTS, "# 三、反思不足", PROBLEMS_YISHI, [
        "- 四、今后打算",
        "- 每月专题研究一次党建工作，推动责任落实到位。",
    ]),
    case("还需改进的地方", ACHIEVEMENTS, "# 二、还需改进的地方", PROBLEMS_YISHI, PLANS_3),
    case("有待加强和改进的方面, last, then a closing line", ACHIEVEMENTS, "# 二、有待加强和改进的方面",
         PROBLEMS_YISHI, ["- 以上是我的述职，不妥之处，请批评指正。"]),
    case("自我检视", ACHIEVEMENTS_TWO_PARTS, "# 三、自我检视", PROBLEMS_YISHI, ["- 以上述职，请予评议。"]),
    case("几点反思 with —— items", ACHIEVEMENTS, "# 二、几点反思", [
        "+ ——谋划支部工作不够长远，常常是上级布置什么就做什么。",
        "+ ——对党员的教育提醒不够及时，个别党员参加活动不积极。",
    ], [
        "- 三、改进措施",
        "- ——制定支部三年工作规划，逐年明确重点任务。",
    ]),
    case("对照职责找差距，主要有以下几个方面的问题", ACHIEVEMENTS,
         "# 二、对照职责找差距，主要有以下几个方面的问题", PROBLEMS_YISHI, PLANS_3),
    case("question heading 工作中有哪些不足？ with 2.1 items", [
        ". 1.全年工作回顾",
        ". 1.1 组织党员集中学习20次，开展主题党日活动12次。",
        "# 2.工作中有哪些不足？",
        "+ 2.1 支部对青年职工的吸引力不强，近两年递交入党申请书的人数减少。",
        "+ 2.2 党建工作台账记录不规范，部分会议记录内容过于简单。",
        "- 3.新一年怎么干？",
        "- 3.1 开展青年职工座谈会，了解他们的想法和需求。",
    ]),
    case("【查摆问题】 with ①② and 【改进举措】", [
        ". 【主要工作】支部全年开展志愿服务活动15次，服务群众800余人次。",
        "# 【查摆问题】",
        "+ ①支部活动与生产经营结合不紧，有时为了活动而活动。",
        "+ ②党员积分管理执行不到位，积分结果运用不充分。",
        "- 【改进举措】",
        "- ①围绕生产经营重点设计支部活动，每季度开展一次技能比武。",
    ]),
    case("◆ heading, last, then a closing line", [
        ". ◆主要工作",
        ". 推动党建工作写入企业章程，明确党组织在公司治理中的法定地位。",
        "# ◆存在的问题",
        "+ 一是党员积分管理流于形式，积分结果与评先评优挂钩不紧。",
        "+ 二是部分支部书记由业务骨干兼任，抓党建的时间和精力有限。",
        "- 以上报告，请予审议。",
    ]),
    # --- headings that run into their paragraph ---
    case("run-in 二、存在问题。主要有两个方面：…", ACHIEVEMENTS,
         "# 二、存在问题。主要有两个方面：一是支部书记抓党建的办法不多；二是党员活动室利用率不高。",
         ["- 三、整改措施。一是每季度组织一次支部书记培训；二是制定党员活动室开放时间表。"],
         heading="二、存在问题", body="主要有两个方面：一是支部书记抓党建的办法不多；二是党员活动室利用率不高。"),
    case("run-in 第二，…短板。一是…", [
        ". 第一，主要工作。全年走访困难党员30余人次，协调解决群众急难愁盼问题18件。",
        "# 第二，工作中的短板。一是对年轻党员的培养不够系统。二是组织生活形式单一，吸引力不强。",
        "- 第三，下一步打算。建立年轻党员培养台账，每季度开展一次形式新颖的主题党日。",
    ], heading="第二，工作中的短板", body="一是对年轻党员的培养不够系统。二是组织生活形式单一，吸引力不强。"),
    case("run-in with a colon and 1）items", ACHIEVEMENTS,
         "# 二、存在问题：1）党员发展质量把关不严；2）流动党员管理存在盲区；3）阵地功能单一。",
         ["- 三、下步打算：1）严格发展党员程序；2）建立流动党员联系卡；3）拓展阵地服务功能。"],
         heading="二、存在问题", body="1）党员发展质量把关不严；2）流动党员管理存在盲区；3）阵地功能单一。"),
    case("run-in after a gap of spaces, items ㈠㈡", ACHIEVEMENTS,
         "# 二、不足和薄弱环节 ㈠党员队伍年龄结构老化，后备力量不足。㈡支部活动经费紧张，阵地设施陈旧。",
         ["- 三、明年工作思路 ㈠加大青年人才发展党员力度。㈡争取上级加大经费投入。"],
         heading="二、不足和薄弱环节", body="㈠党员队伍年龄结构老化，后备力量不足。㈡支部活动经费紧张，阵地设施陈旧。"),
    case("run-in heading straight into its first item （1）", ACHIEVEMENTS,
         "# 二、存在问题（1）支部书记抓党建的时间不够。",
         ["+ （2）党员活动室利用率不高，开放时间不固定。"], PLANS_3,
         heading="二、存在问题", body="（1）支部书记抓党建的时间不够。"),
    case("a whole report run into one paragraph", [
        "# 2022年，支部坚持以党建促发展，现将工作汇报如下：一、主要工作 1、全年开展主题党日12次。"
        "二、存在问题 1、党员教育方式单一。2、支部活动经费紧张。三、下一步打算 1、丰富党员教育形式。"
        "以上报告，请予审议。",
    ], heading="二、存在问题", body="1、党员教育方式单一。2、支部活动经费紧张。"),
    case("a report run into one line, its headings closed by half-width colons", [
        "# 2021年,支部认真履职,现将情况汇报如下. 一、主要工作: 1.全年开展主题党日12次。 "
        "二、存在问题: 1.党员教育方式单一。2.支部活动经费紧张。 三、下步打算: 一是丰富教育形式。",
    ], heading="二、存在问题", body="1.党员教育方式单一。2.支部活动经费紧张。"),
    case("a combined heading running into its items, measures after them", ACHIEVEMENTS,
         "# 二、存在的问题及改进方向 1、理论学习不够深入。2、制度执行不到位。 改进方向：一是加强学习；二是健全制度。",
         PLANS_3, heading="二、存在的问题及改进方向", body="1、理论学习不够深入。2、制度执行不到位。"),
    case("a pointer clause 具体表现在： after a sentence that admits a gap", ACHIEVEMENTS_UNNUMBERED,
         "# 实事求是地说，我们的工作离群众期盼还有距离，具体表现在：一是理论学习不够深入；二是制度执行不到位。",
         PLANS_UNNUMBERED, heading="实事求是地说，我们的工作离群众期盼还有距离，具体表现在",
         body="一是理论学习不够深入；二是制度执行不到位。"),
    case("an admission, then 具体来说： and —— items", ACHIEVEMENTS_UNNUMBERED,
         "# 回头看，支部工作与上级要求相比还有一定差距。具体来说：", ["+ ——" + STUDY, "+ ——" + RULES],
         PLANS_UNNUMBERED),
    case("a report in half-width punctuation, its heading inline after a full stop", [
        "# 2022年,支部全年开展主题党日12次,发展党员2名.存在问题:1.党员教育方式单一,吸引力不强.2.活动经费紧张."
        "下步打算:一是丰富教育形式;二是争取经费支持.以上报告,请予评议.",
    ], heading="存在问题", body="1.党员教育方式单一,吸引力不强.2.活动经费紧张."),
    case("a report run into one line, its headings spaced out", [
        "# 现将工作汇报如下:  一 、 主 要 工 作   全年开展主题党日12次。  二 、 存 在 问 题   "
        "一是党员教育方式单一。二是活动经费紧张。   三 、 下 步 打 算   一是丰富教育形式。",
    ], heading="二、存在问题", body="一是党员教育方式单一。二是活动经费紧张。"),
    case("question heading 还有哪些地方做得不够？", ACHIEVEMENTS, "# 二、还有哪些地方做得不够？", PROBLEMS_YISHI,
         PLANS_3),
    case("a label and its title 把脉问诊：短板在哪里, then 对症下药：下一步怎么干", ACHIEVEMENTS,
         "# 二、对镜自照：短板在哪里", PROBLEMS_YISHI, [
             "- 三、对症下药：下一步怎么干",
             "- 坚持把学习摆在首位，每季度至少组织一次专题研讨。",
         ]),
    case("headings marked with a bar ▍, items with ◆, all on one line each", [
        ". ▍主要工作 ◆全年开展主题党日12次。◆发展党员2名。",
        "# ▍存在问题 ◆党员教育方式单一。◆支部活动经费紧张。",
        "- ▍下步打算 ◆丰富党员教育形式。◆争取上级经费支持。",
    ], heading="▍存在问题", body="◆党员教育方式单一。◆支部活动经费紧张。"),
    case("a combined section whose problems and plans are labelled 不足： / 打算：", ACHIEVEMENTS,
         "# 二、不足和打算", ["+ 不足：1.理论学习不够深入。2.制度执行不到位。", "~ 打算：1.加强理论学习。2.健全制度。"],
         PLANS_3),
    # --- no heading or announcement says "problems": the part whose items state shortcomings ---
    case("an unknown heading over items that state shortcomings", ACHIEVEMENTS, "# 二、回头看", PROBLEMS_YISHI,
         PLANS_3),
    case("an unknown heading whose sub-headings state the shortcomings", ACHIEVEMENTS, "# 二、几点思考", [
        "+ （一）理论学习还需深化。",
        "+ 满足于读原文、记笔记，结合实际深入思考不多。",
        "+ （二）党建工作创新不足。",
        "+ 活动形式比较传统，对青年党员吸引力不强。",
        "+ （三）原因分析",
        "+ 主要是对党建工作重视不够，研究谋划不多。",
    ], PLANS_3),
    case("a literary label and title 内省：正视前行之憾, read by its —— items", ACHIEVEMENTS,
         "# 二、内省：正视前行之憾", [
        "+ ——理论学习的深度仍显不足，学用结合不紧密。",
        "+ ——支部活动的新意尚未到位，形式比较陈旧。",
        "+ ——师德教育有待强化，日常提醒不够经常。",
    ], PLANS_3),
    case("a long sentence of achievements ending 差距依然明显，主要表现在： before ● items", [
        ". 一、工作开展情况",
        "# 全年新发展党员7名，设立党员示范岗23个，开展技术攻关12项，公司全年实现产值4.8亿元，这些成绩的取得离不开"
        "上级党组织的关心支持，但对照上级党委的要求，我们的党建工作差距依然明显，主要表现在：",
        "+ ●党建工作的制度化水平不高，部分制度还停留在纸面上。",
        "+ ●党员教育管理跟不上生产节奏，集中学习时间难保证。",
    ], PLANS_3),
    case("the last section, closed by 以上问题，本人将…整改", ACHIEVEMENTS, "# 二、存在的问题", PROBLEMS_YISHI, [
        "- 以上问题，本人将在今后工作中认真加以整改。恳请各位领导和同志们批评指正。",
    ]),
    case("problems that still exist in the rectification work", ACHIEVEMENTS, "# 二、当前整改工作中仍存在的问题",
         PROBLEMS_YISHI, PLANS_3),
    case("questions and answers 二问：还有什么不满意的地方？", [
        ". 一问：这一年做了什么？",
        ". 全年组织集中学习16次，开展主题党日活动12次，发展新党员2名。",
        "# 二问：还有什么不满意的地方？",
        "+ 第一，" + STUDY,
        "+ 第二，" + RULES,
        "- 三问：明年打算怎么干？",
        "- " + PLAN,
    ]),
    case("a measures part that mentions problems to be found opens nothing", ACHIEVEMENTS, "# 二、存在的不足",
         PROBLEMS_YISHI, PLANS_3 + ["- （一）加大督查力度。每季度督查一次，发现问题及时通报。"]),
    case("◎ marks the parts: ◎问题篇：正视工作中的差距", [
        ". ◎成效篇：一年来的主要收获",
        ". 全年组织集中学习16次，开展主题党日活动12次。",
        "# ◎问题篇：正视工作中的差距",
        "+ ◇" + STUDY,
        "+ ◇" + RULES,
        "- ◎举措篇：明年的打算",
        "- " + PLAN,
    ]),
    case("an unrecognised heading over a list whose third item names 薄弱环节", ACHIEVEMENTS, "# 二、自我画像", [
        "+ （一）理论学习不够深入，学用结合不紧密。",
        "+ （二）制度执行不到位，考核流于形式。",
        "+ （三）党风廉政建设还有薄弱环节，个别项目监管不到位。",
    ], PLANS_3),
    case("a closing that names the report's content 以上是我一年来…的情况，请…批评指正", ACHIEVEMENTS_UNNUMBERED,
         "# 当然，我们也清醒地看到，支部工作还有不少差距。一方面，" + STUDY + "另一方面，" + RULES,
         ["- 以上是我一年来抓党建工作的情况，请各位领导批评指正。"],
         heading="当然，我们也清醒地看到，支部工作还有不少差距。", body="一方面，" + STUDY + "另一方面，" + RULES),
    case("a numeral set off from its 、 and words spaced twice, copied from Word", ACHIEVEMENTS,
         "# 二 、存在  问题", PROBLEMS_YISHI, PLANS_3, heading="二、存在问题"),
    case("查摆的差距", ACHIEVEMENTS, "# 二、对照查摆的差距", PROBLEMS_YISHI, PLANS_3),
    # --- problems announced in prose ---
    case("announced, then 首先/其次 in the same paragraph", ACHIEVEMENTS_UNNUMBERED,
         "# 但对照上级要求，我在工作中仍有不尽如人意之处。首先，学习的主动性还不够强。其次，谈心谈话开展得不够经常。",
         ["- 在今后的工作中，我将带头加强学习，每月与支部党员至少谈心一次。"],
         heading="但对照上级要求，我在工作中仍有不尽如人意之处。",
         body="首先，学习的主动性还不够强。其次，谈心谈话开展得不够经常。"),
    case("announced, then 针对以上不足，今后我将…： and its list", ACHIEVEMENTS_UNNUMBERED,
         "# 反思一年来的工作，还存在以下不足：", [
             "+ （一）对基层支部的指导不够深入，实地走访次数偏少。",
             "+ （二）支部自身建设还不够规范，组织生活不能按计划开展。",
             "- 针对以上不足，今后我将着重抓好以下几点：",
             "- （一）建立定期走访制度，每季度实地指导一次。",
         ], heading="反思一年来的工作，还存在以下不足"),
    case("announced in one paragraph that goes on with 对此，我将…", ACHIEVEMENTS_UNNUMBERED,
         "# 我也清醒地认识到，工作中还存在一些问题，主要表现在：一是支部书记培训不够经常；二是党员发展后继乏人。"
         "对此，我将在新的一年里完善培训制度，着力从青年中发展党员。",
         heading="我也清醒地认识到，工作中还存在一些问题，主要表现在",
         body="一是支部书记培训不够经常；二是党员发展后继乏人。"),
    case("joined heading 履职情况及存在的不足, the problems' own sub-heading", [
        ". 一、履职情况及存在的不足",
        ". （一）履职情况。全年召开党委会24次，研究党建工作事项36项。",
        "# （二）存在的不足。一是对基层党组织的分类指导不够精准。二是党员教育培训的针对性不强。",
        "- 二、2026年工作打算",
        "- 完善基层党组织分类指导办法，分层分类开展党员培训。",
    ], heading="（二）存在的不足", body="一是对基层党组织的分类指导不够精准。二是党员教育培训的针对性不强。"),
    # --- measures in an unheaded paragraph, area labels ---
    case("unheaded 针对上述问题，我将… after the list, then a closing line", ACHIEVEMENTS, "# 二、差距与不足",
         PROBLEMS_YISHI, ["- 针对上述问题，我将带头加强学习，严格落实组织生活制度。", "- 以上述职，请予评议。"]),
    case("unnumbered 不足之处, then a 下一步 paragraph", ACHIEVEMENTS_UNNUMBERED, "# 不足之处", PROBLEMS_YISHI,
         ["- 下一步，支部将着力补齐短板，推动各项工作再上台阶。"]),
    case("针对性不强 explains an item, it opens no measures", ACHIEVEMENTS, "# 二、存在的问题", [
        "+ 一是党员教育培训质量不高。",
        "+ 针对性不强，培训内容与党员实际需要有些脱节。",
        "+ 二是支部活动阵地利用率偏低。",
    ], PLANS_3),
    case("problems grouped by area labels 在…方面, one of them 在检视整改方面", ACHIEVEMENTS, "# 二、存在的问题", [
        "+ （一）在理论学习方面",
        "+ 一是学习的系统性不够，带着任务学的多，主动学的少。",
        "+ （二）在检视整改方面",
        "+ 一是检视问题不够深刻，从思想根源上找问题少。",
        "+ 二是整改的长效机制不够健全，个别问题出现反弹。",
        "+ 三、产生问题的原因",  # the causes part of the section
        "+ 理想信念有所松懈，对世界观的改造抓得不紧。",
    ], [
        "- 四、整改措施",
        "- 制定个人学习计划，每周自学不少于5小时。",
    ]),
    case("【问题短板】 with ◆ items", [
        ". 【工作成效】",
        ". ◆ 支部推动成员机构开展公益服务20余次。",
        "# 【问题短板】",
        "+ ◆ 联合支部对成员机构的影响力还不够均衡。",
        "+ ◆ 党员教育管理方式比较单一，线上学习参与率不高。",
        "- 【下步打算】",
        "- ◆ 加强与成员机构负责人的沟通，争取更多支持。",
    ]),
    case("last year's problems and their rectification come first", [
        ". 一、上年度民主生活会查摆问题整改落实情况",
        ". 上年度查摆的4个问题已全部整改到位。",
        "# 二、存在的主要问题",
        "+ （一）理论学习方面有差距。学习的系统性还不够强。",
        "+ （二）联系群众方面有差距。深入基层调研不够经常。",
        "- 三、整改措施",
        "- 制定个人学习计划，每周自学不少于5小时。",
    ]),
    case("announced, then a 2023年，…将… sentence starts the plans", ACHIEVEMENTS_UNNUMBERED,
         "# 我们也清醒地看到，机关党建工作仍有一些不容忽视的短板，主要表现在：一是支部书记抓党建的精力不足；"
         "二是党员教育方式单一。",
         ["- 2023年，局机关党委将着力加强支部书记培训，丰富党员教育方式。"],
         heading="我们也清醒地看到，机关党建工作仍有一些不容忽视的短板，主要表现在",
         body="一是支部书记抓党建的精力不足；二是党员教育方式单一。"),
    case("a heading spaced out character by character", ACHIEVEMENTS, "# 二 、存 在 问 题", PROBLEMS_YISHI, [
        "- 三 、下 步 打 算",
        "- 坚持把学习摆在首位，每季度至少组织一次专题研讨。",
    ], heading="二、存在问题"),
    case("slogan heading 坚持问题导向，清醒看待自身短板", ACHIEVEMENTS,
         "# 二、坚持问题导向，清醒看待自身短板", PROBLEMS_YISHI, [
             "- 三、坚持守正创新，推动机关党建提质增效",
             "- 坚持把学习摆在首位，每季度至少组织一次专题研讨。",
         ]),
    case("question heading in quotes 二、“弱项”在哪里", ACHIEVEMENTS, "# 二、“弱项”在哪里", PROBLEMS_YISHI, PLANS_3),
    case("question heading 对照目标，差在哪里", ACHIEVEMENTS, "# 二、对照目标，我们差在哪里", PROBLEMS_YISHI, PLANS_3),
    case("a numbered formula of shortcomings 存在的“三个不够”", ACHIEVEMENTS, "# 二、自身存在的“三个不够”",
         PROBLEMS_YISHI, PLANS_3),
    case("需要引起重视的问题", ACHIEVEMENTS, "# 二、值得高度重视的几个问题", PROBLEMS_YISHI, PLANS_3),
    case("lead-in line counting its points 主要有以下三点不足：", ACHIEVEMENTS_UNNUMBERED,
         "# 回顾这一年，主要有以下三点不足：", ["+ " + STUDY, "+ " + RULES], PLANS_UNNUMBERED),
    case("prose admission 还有不小差距。 then 一方面 items in the paragraph", ACHIEVEMENTS_UNNUMBERED,
         "# 工作虽有进展，但对照上级要求还有不小差距。一方面，理论学习不够深入。另一方面，制度执行不到位。",
         ["- 面向2025年，我将着力抓好理论学习和制度执行两件事。"],
         heading="工作虽有进展，但对照上级要求还有不小差距。",
         body="一方面，理论学习不够深入。另一方面，制度执行不到位。"),
    # --- paired lists: each problem followed by its measures ---
    case("paired list 问题一 / 整改措施：", ACHIEVEMENTS, "# 二、存在的问题", [
        "+ 问题一：理论学习不够深入，满足于“学过了”“知道了”。",
        "~ 整改措施：制定个人学习计划，每月撰写学习笔记不少于5000字。",
        "+ 问题二：基层调研不够深入，存在“蜻蜓点水”的现象。",
        "~ 整改措施：每季度到基层蹲点调研不少于3天，形成调研报告。",
    ], PLANS_3),
    case("paired list 1. / 整改措施：", ACHIEVEMENTS, "# 二、存在的问题", [
        "+ 1.落实意识形态工作责任制不够到位，阵地管理存在薄弱环节。",
        "~ 整改措施：每半年专题研究一次意识形态工作，建立阵地管理台账。",
        "+ 2.对年轻干部的教育管理不够严格，谈心谈话开展不经常。",
        "~ 整改措施：建立班子成员联系年轻干部制度，每季度至少谈心1次。",
    ], PLANS_3),
    case("paired list with 整改措施 sub-headings", ACHIEVEMENTS, "# 二、存在的问题", [
        "+ 1.组织生活质量不高，主题党日活动内容单调。",
        "~ 整改措施",
        "~ 每月制定主题党日活动计划，丰富活动形式。",
        "+ 2.党员发展把关不严，个别入党积极分子培养考察流于形式。",
        "? 整改措施",
        "? 严格执行发展党员工作细则，落实全程纪实制度。",
    ], PLANS_3),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_heading_form(case: Case):
    text = case.text()
    report = text.splitlines()
    sections = find_problem_sections(text)
    assert len(sections) == 1, f"expected one section, found {[(s.heading, s.start_line) for s in sections]}"
    [section] = sections
    [start] = case.numbers("#")
    expected_heading = case.heading if case.heading is not None else case.rows[start - 1][2:].strip()
    assert bare(section.heading) == bare(expected_heading)
    assert section.start_line == start

    # The body, line by line: exactly the problem lines (and the inline heading's own body), with their numbers.
    expected_lines = [(number, report[number - 1]) for number in case.numbers("+")]
    if case.body is not None:
        expected_lines.insert(0, (start, case.body))
    kept = [(number, text) for number, text in section.lines if text.strip()]
    assert [number for number, _ in kept] == [number for number, _ in expected_lines], (
        f"kept lines {kept}")
    assert [text.strip() for _, text in kept] == [text.strip() for _, text in expected_lines]

    # First and last line of the span.
    last_problem = max(case.numbers("+", "~") or [start])
    last_possible = max(case.numbers("+", "~", "?") or [start])
    assert last_problem <= section.end_line <= last_possible
    for number in case.numbers(".", "-"):
        assert not section.start_line <= number <= section.end_line, f"line {number} is inside the span"
    for number in case.numbers("~"):
        assert section.start_line <= number <= section.end_line
    # Measures and achievements are out of the text, problems in (blank rows say nothing).
    for row in case.rows:
        if not row[2:].strip():
            continue
        if row[0] in ".-~?":
            assert row[2:].strip() not in section.text
        elif row[0] == "+":
            assert row[2:].strip() in section.text


def test_table_has_at_least_forty_heading_forms():
    assert len({case.id for case in CASES}) == len(CASES) >= 40


# ---------------------------------------------------------------------------------------------------------------
# Reports without a problem section
# ---------------------------------------------------------------------------------------------------------------

NEGATIVE = {
    "numbered achievements and plans that name problems only to solve them": [
        "一、主要工作",
        "1.全年开展主题党日12次，党员参学率100%。",
        "2.发展党员2名，解决了活动阵地不足的问题。",
        "二、下一步打算",
        "1.针对党员教育方式单一的问题，开设线上课堂。",
        "2.争取经费支持，改善活动阵地条件。",
    ],
    "the opening of the whole report 认真查摆问题，现对照检查如下。": [
        "按照通知要求，本人认真学习规定篇目，广泛征求意见，深入查摆问题，现对照检查如下。",
        "一、学习贯彻情况",
        "全年参加集中学习16次，撰写心得体会4篇。",
    ],
    "problems counted as achievements 检视问题36个，立行立改21件。": [
        "一、主要工作",
        "班子成员带头开展专题调研，检视问题36个，立行立改解决民生问题21件。",
        "（一）建强支部班子。选派第一书记4名。",
    ],
    "no problem section at all": [
        "一、主要工作",
        "一年来，我认真履行党建第一责任人职责，带头落实“三会一课”制度。",
        "二、下一步工作打算",
        "坚持把学习摆在首位，每季度至少组织一次专题研讨。",
    ],
    "针对存在问题的整改措施": [
        "一、工作开展情况",
        "全年组织集中学习16次，开展主题党日活动12次。",
        "二、针对存在问题的整改措施",
        "制定个人学习计划，每月撰写学习笔记不少于5000字。",
        "建立困难党员帮扶台账，做到逢节必访。",
    ],
    "针对查摆问题的整改措施": [
        "一、学习研讨情况",
        "按照支部安排，我原原本本学习了规定篇目，撰写心得体会3篇。",
        "二、针对查摆问题的整改措施",
        "（一）坚持每周自学不少于5小时，学深悟透。",
        "（二）每季度到基层蹲点调研不少于3天。",
    ],
    "下一步解决突出问题的思路举措": [
        "一、工作开展情况",
        "全年组织集中学习16次，开展主题党日活动12次。",
        "二、下一步解决突出问题的思路举措",
        "健全问题发现、交办、督办、销号闭环机制，确保件件有着落。",
    ],
    "着力解决了群众反映的突出问题。 followed by a list": [
        "一、主要工作",
        "围绕“我为群众办实事”实践活动，着力解决了群众反映的突出问题。",
        "一是新修通村道路4.2公里，解决了2个自然村出行难。",
        "二是新建便民服务点3个，群众办事实现“就近办”。",
        "二、下一步打算",
        "持续深化为民服务，推动更多事项网上办、就近办。",
    ],
    "围绕群众反映的突出问题，重点抓了以下工作：": [
        "一、主要工作",
        "围绕群众反映的突出问题，重点抓了以下工作：一是整治人居环境，二是规范集体“三资”管理。",
        "二、下一步打算",
        "持续深化为民服务，推动更多事项网上办、就近办。",
    ],
    "针对存在的问题，采取了以下措施：": [
        "一、工作情况",
        "针对存在的问题，采取了以下措施：一是建立党员积分管理制度，二是开展支部结对共建。",
        "二、下一步打算",
        "持续深化为民服务，推动更多事项网上办、就近办。",
    ],
    "（三）补齐短板弱项 achievements sub-heading": [
        "一、履职情况",
        "（一）压实工作责任",
        "层层签订党建工作责任书，建立书记抓党建任务清单。",
        "（二）补齐短板弱项，推动后进支部晋位升级",
        "选派3名机关干部担任第一书记，2个后进村党组织全部转化。",
        "二、下一步工作打算",
        "持续整顿软弱涣散党组织，巩固转化成果。",
    ],
    "（二）坚持问题导向 achievements sub-heading": [
        "一、履职情况",
        "（一）压实工作责任",
        "层层签订党建工作责任书，建立书记抓党建任务清单。",
        "（二）坚持问题导向，推动巡察整改见底见效",
        "对巡察反馈的5个方面18个问题逐项建立台账，已完成整改16个。",
        "二、下一步工作打算",
        "持续巩固整改成果，建立长效机制。",
    ],
    "几点体会 (lessons learnt, not shortcomings)": [
        "一、主要工作",
        "全年组织集中学习16次，开展主题党日活动12次。",
        "二、几点体会",
        "抓党建必须坚持书记带头，以上率下才能形成合力。",
    ],
    "run-in achievements sub-heading 着力解决群众反映的问题。": [
        "一、工作情况。着力解决群众反映的问题。全年化解矛盾纠纷42件，办结率100%。",
        "二、下步打算。持续深化为民服务，推动更多事项就近办。",
    ],
    "对此，群众反映良好。 in achievements": [
        "一、主要工作",
        "建立党员联系户制度，每名党员联系5户群众。对此，群众反映良好。",
        "二、下一步打算",
        "持续深化党员联系户制度。",
    ],
    "发现问题14个，均已完成整改 in achievements": [
        "一、基本情况",
        "（一）党风廉政建设情况。开展专项检查3次，发现问题14个，均已完成整改。",
        "（二）意识形态工作情况。每半年专题研判一次意识形态工作。",
        "二、下一步打算",
        "持续抓好专项检查，巩固整改成果。",
    ],
    "only measures headings": [
        "一、工作开展情况",
        "全年组织集中学习16次，开展主题党日活动12次。",
        "二、下一步工作打算",
        "坚持把学习摆在首位，每季度至少组织一次专题研讨。",
        "三、意见建议",
        "建议上级加大对基层党建经费的保障力度。",
    ],
}


@pytest.mark.parametrize("rows", NEGATIVE.values(), ids=NEGATIVE.keys())
def test_report_without_problem_section(rows):
    assert find_problem_sections(lines(*rows)) == []


def test_report_with_problem_section_and_measures_heading_mentioning_problems():
    # The measures heading ends the problem section and does not open a second one.
    text = lines("一、主要工作", "全年组织集中学习16次，开展主题党日活动12次。",
                 "二、存在的问题", STUDY, RULES, "三、针对存在问题的整改措施", PLAN)
    assert [(s.heading, s.start_line, s.end_line) for s in find_problem_sections(text)] == [
        ("二、存在的问题", 3, 5)]


def test_sentence_reporting_problems_dealt_with_does_not_open_a_section():
    text = lines("我们认真开展调查研究，着力解决了群众反映的突出问题。", "二、下一步打算", PLAN)
    assert find_problem_sections(text) == []


# ---------------------------------------------------------------------------------------------------------------
# Tests of the older version, adapted to the new Section (lines of (line number, text), text joins them)
# ---------------------------------------------------------------------------------------------------------------

def test_numbered_top_level_section_ends_at_next_step_heading():
    text = lines("述职报告", "一、工作情况", "做了很多工作，成效明显。",
                 "二、存在的主要问题及原因", STUDY, RULES, "三、下一步工作打算", PLAN)
    assert find_problem_sections(text) == [
        Section(heading="二、存在的主要问题及原因", start_line=4, end_line=6, lines=((5, STUDY), (6, RULES)))]


def test_section_text_joins_its_lines():
    section = Section("二、存在问题", 1, 3, ((2, STUDY), (3, RULES)))
    assert section.text == f"{STUDY}\n{RULES}"


def test_second_level_section_ends_at_heading_of_same_level():
    text = lines("一、主要做法", "（一）抓学习", "做了工作，成效明显。",
                 "（二）存在的不足", STUDY, "（三）其他工作", PLAN, "二、下一步", PLAN)
    [section] = find_problem_sections(text)
    assert (section.heading, section.start_line, section.end_line) == ("（二）存在的不足", 4, 5)
    assert section.lines == ((5, STUDY),)


def test_lower_level_heading_stays_inside_section():
    text = lines("一、自查情况", "（一）存在的不足", STUDY, "1.具体表现", RULES, "二、工作打算", PLAN)
    [section] = find_problem_sections(text)
    assert (section.start_line, section.end_line) == (2, 5)
    assert section.text == f"{STUDY}\n1.具体表现\n{RULES}"


@pytest.mark.parametrize("heading", ["存在问题及原因分析", "问题和不足", "存在的不足", "存在的突出问题"])
def test_unnumbered_title_line_opens_a_section(heading):
    text = lines("工作报告", "做了很多，成效明显。", heading, STUDY, RULES, "下一步工作打算", PLAN)
    [section] = find_problem_sections(text)
    assert (section.heading, section.start_line, section.end_line) == (heading, 3, 5)
    assert section.lines == ((4, STUDY), (5, RULES))


def test_unnumbered_section_ends_at_top_level_heading():
    # Adapted: a 一、 after an unnumbered heading may be the section's own list starting, so the closing heading
    # here is one that does not start a list.
    text = lines("问题和不足", STUDY, "二、其他情况", PLAN)
    [section] = find_problem_sections(text)
    assert (section.start_line, section.end_line) == (1, 2)


def test_inline_heading_with_body_on_same_line():
    text = lines("我做了很多工作，成效明显。", "主要问题：一是学习不够。二是制度不全。", "三、下一步打算", PLAN)
    [section] = find_problem_sections(text)
    assert bare(section.heading) == "主要问题"
    assert (section.start_line, section.end_line) == (2, 2)
    assert section.lines == ((2, "一是学习不够。二是制度不全。"),)


def test_inline_heading_after_enumerator():
    text = lines("（二）存在问题：一是学习不够，二是制度不全。", "（三）整改措施", PLAN)
    [section] = find_problem_sections(text)
    assert bare(section.heading) == "（二）存在问题"
    assert section.text == "一是学习不够，二是制度不全。"
    assert (section.start_line, section.end_line) == (1, 1)


@pytest.mark.parametrize("closing", ["整改措施", "三、整改措施", "今后努力方向", "对策和建议", "下步打算",
                                     "（三）下一步工作打算", "3.意见建议", "下一步工作思路："])
def test_section_ends_at_next_step_heading(closing):
    text = lines("二、存在问题", STUDY, RULES, closing, PLAN)
    [section] = find_problem_sections(text)
    assert section.end_line == 3
    assert PLAN not in section.text


def test_section_runs_to_end_of_document():
    text = lines("二、存在问题", STUDY, RULES)
    [section] = find_problem_sections(text)
    assert (section.start_line, section.end_line) == (1, 3)


def test_several_sections_in_a_compilation():
    text = lines(
        "甲书记述职报告", "一、工作情况", PLAN, "二、存在问题", STUDY, "三、下一步打算", PLAN,
        "乙书记述职报告", "一、工作情况", PLAN, "二、存在的不足", STUDY, RULES, "三、整改措施", PLAN,
    )
    sections = find_problem_sections(text)
    assert [(s.heading, s.start_line, s.end_line) for s in sections] == [
        ("二、存在问题", 4, 5), ("二、存在的不足", 11, 13)]
    assert sections[1].text == f"{STUDY}\n{RULES}"


def test_no_problem_section():
    text = lines("一、工作情况", "做了很多工作，成效明显。", "二、下一步打算", PLAN)
    assert find_problem_sections(text) == []


def test_next_step_heading_mentioning_problems_is_not_a_problem_section():
    text = lines("一、工作情况", PLAN, "二、针对存在问题的整改措施", PLAN)
    assert find_problem_sections(text) == []


def test_heading_with_empty_body_is_dropped():
    assert find_problem_sections(lines("二、存在问题", "三、整改措施", PLAN)) == []


def test_prose_sentence_about_problems_is_not_a_heading():
    # Adapted: such a sentence may now announce a list (a lead-in), but it is never a heading line.
    assert heading_level("工作中还存在一些问题，需要认真加以改进。") is None


def test_short_problem_line_ending_with_full_stop_is_a_heading():
    assert heading_level("存在的主要问题。") == 0


def test_scraped_noise_before_heading_is_ignored():
    [section] = find_problem_sections(lines("??二、存在问题", STUDY))
    assert section.heading == "二、存在问题"


@pytest.mark.parametrize("line, level", [
    ("二、存在的主要问题及原因", 1),
    ("第二部分 存在问题", 1),
    ("（二）存在问题", 2),
    ("(二)存在问题", 2),
    ("1.存在问题", 3),
    ("2、存在问题", 3),
    ("（1）存在问题", 4),
    ("②存在问题", 5),
    ("存在问题", 0),
    ("存在问题：", 0),
    ("这是一个问题，很大。", None),
    ("主要问题：一是学习不够", None),
    ("", None),
    ("很" * 41, None),
])
def test_heading_level(line, level):
    assert heading_level(line) == level


def test_unnumbered_subheading_does_not_swallow_the_section():
    # Word's automatic numbering is lost when a .docx is read, so sub-headings such as "（一）理论学习不够深入"
    # arrive unnumbered.  The section must still be found, with its sub-headings and their text.
    text = lines("一、工作情况", "做了工作，成效明显。", "二、存在的问题", "理论学习不够深入",
                 "具体表现为学习不系统，浅尝辄止。", "三、下一步打算", PLAN)
    sections = find_problem_sections(text)
    assert len(sections) == 1, "the section is lost: its unnumbered first line closed it with an empty body"
    [section] = sections
    assert (section.heading, section.start_line, section.end_line) == ("二、存在的问题", 3, 5)
    assert "具体表现为学习不系统" in section.text


def test_corpus_report_000():
    text = (CORPUS / "000_4d81973d73741c05.txt").read_text(encoding="utf-8")
    [section] = find_problem_sections(text)
    assert section.heading == "二、存在的主要问题及原因"
    assert (section.start_line, section.end_line) == (7, 12)
    assert section.text.startswith("1.党建工作机制不够健全")
    assert section.text == "\n".join(text.splitlines()[7:12]).strip()
    assert [number for number, _ in section.lines] == [8, 9, 10, 11, 12]


def test_corpus_report_002():
    text = (CORPUS / "002_b7f2587cc61f8a9d.txt").read_text(encoding="utf-8")
    [section] = find_problem_sections(text)
    assert section.heading == "二、存在问题及原因分析"
    report_lines = text.splitlines()
    assert report_lines[section.end_line] == "三、下步打算"  # the line right after the section
    assert section.start_line == 9
    assert "下步打算" not in section.text


# ---------------------------------------------------------------------------------------------------------------
# Property tests
# ---------------------------------------------------------------------------------------------------------------

NUMBERING = {  # heading level -> the numbering of that level for a value 1..4
    0: ["", "", "", ""],
    1: ["一、", "二、", "三、", "四、"],
    2: ["（一）", "（二）", "（三）", "（四）"],
    3: ["1.", "2.", "3.", "4."],
    4: ["（1）", "（2）", "（3）", "（4）"],
}
PROBLEM_WORDS = ["存在的问题", "存在问题", "问题和差距", "存在的不足", "查摆的问题", "工作中的不足", "存在的主要问题",
                 "差距和不足", "存在的差距", "问题和不足", "存在的突出问题", "问题清单"]
MEASURES_WORDS = ["下一步工作打算", "整改措施", "今后努力方向", "意见建议", "下步打算", "下一步工作思路",
                  "改进措施", "今后工作打算"]
ACHIEVEMENT_WORDS = ["工作情况", "履职情况", "主要做法", "主要成效", "述责述廉情况"]
ACHIEVEMENT_LINES = [
    "全年组织集中学习16次，开展主题党日活动12次。",
    "层层签订党建工作责任书，建立书记抓党建任务清单。",
    "新建村级党群服务中心2个，改造提升5个。",
    "严格落实中央八项规定精神，未发生违规违纪行为。",
]
PROBLEM_TEXTS = [
    "理论学习不够深入，学用结合不紧密。",
    "制度执行不到位，考核流于形式。",
    "党员队伍老化，后继乏人。",
    "联系服务群众不够经常，调研浮于表面。",
    "组织生活质量不高，批评和自我批评辣味不足。",
]
PROBLEM_TITLES = ["理论学习不够深入", "制度执行不够严格", "党员队伍结构老化", "联系群众不够经常", "组织生活质量不高"]
PLAN_LINES = [
    "坚持把学习摆在首位，每季度至少组织一次专题研讨。",
    "压实管党治党责任，每月听取一次支部工作汇报。",
    "建立困难党员帮扶台账，做到逢节必访。",
]
# Numbering of items inside a section whose heading has the given level: a lower level, a level-0 style, or the
# heading's own style restarting from 1.
ITEM_STYLES = {
    0: ["一是", "（一）", "1.", "第一，", "①", "一、", ""],
    1: ["一是", "（一）", "1.", "（1）", "①", "一、", ""],
    2: ["一是", "1.", "（1）", "①", "（一）", ""],
    3: ["一是", "（1）", "①", "1.", ""],
    4: ["一是", "①", "（1）", ""],
}
_CN = "一二三四五六七八九十"


def item_number(style: str, value: int) -> str:
    if not style:
        return ""
    if style == "①":
        return chr(ord("①") + value - 1)
    digit, numeral = str(value), _CN[value - 1]
    return (style.replace("1", digit) if "1" in style else style.replace("一", numeral))


@st.composite
def simple_reports(draw):
    """A report of three parts at one level: achievements, the problem section (its own list numbered in a
    style that may restart), measures (a heading at any level).  Returns (lines, heading index, problem
    indexes, measures indexes)."""
    level = draw(st.sampled_from([0, 1, 2, 3, 4]))
    numbering = NUMBERING[level]
    rows: list[str] = [numbering[0] + draw(st.sampled_from(ACHIEVEMENT_WORDS))]
    rows += draw(st.lists(st.sampled_from(ACHIEVEMENT_LINES), min_size=1, max_size=3))
    heading_index = len(rows)
    colon = draw(st.sampled_from(["", "：", ":"]))
    rows.append(numbering[1] + draw(st.sampled_from(PROBLEM_WORDS)) + colon)
    style = draw(st.sampled_from(ITEM_STYLES[level]))
    problem_indexes = []
    for value in range(1, draw(st.integers(1, 4)) + 1):
        problem_indexes.append(len(rows))
        rows.append(item_number(style, value) + draw(st.sampled_from(PROBLEM_TEXTS + PROBLEM_TITLES)))
        for _ in range(draw(st.integers(0, 2))):
            problem_indexes.append(len(rows))
            rows.append(draw(st.sampled_from(PROBLEM_TEXTS)))
    measures_index = len(rows)
    measures_level = draw(st.sampled_from([level, 0, 1, 2, 3]))
    rows.append(NUMBERING[measures_level][2] + draw(st.sampled_from(MEASURES_WORDS)))
    rows += draw(st.lists(st.sampled_from(PLAN_LINES), min_size=1, max_size=3))
    return rows, heading_index, problem_indexes, list(range(measures_index, len(rows)))


@settings(max_examples=300, deadline=None)
@given(simple_reports())
@example((["工作情况", ACHIEVEMENT_LINES[0], "存在的问题", "一、理论学习不够深入，学用结合不紧密。",
           "二、理论学习不够深入", "下一步工作打算", PLAN_LINES[0]], 2, [3, 4], [5, 6]))
def test_generated_report_section_is_exactly_its_problem_lines(report):
    """Numbering that restarts under the heading stays inside; the measures heading (any level) ends it."""
    rows, heading_index, problem_indexes, measures_indexes = report
    [section] = find_problem_sections("\n".join(rows))
    assert bare(section.heading) == bare(rows[heading_index])
    assert section.start_line == heading_index + 1
    assert section.end_line == problem_indexes[-1] + 1
    assert [number for number, _ in section.lines] == [index + 1 for index in problem_indexes]
    for index in measures_indexes:
        assert rows[index] not in section.text


LINE_POOL = (
    [f"{number}{words}" for number in ("", "二、", "（二）", "2.", "（2）", "②") for words in PROBLEM_WORDS[:6]]
    + [f"{number}{words}" for number in ("", "三、", "（三）", "3.") for words in MEASURES_WORDS[:5]]
    + [f"{number}{words}" for number in ("一、", "（一）", "1.") for words in ACHIEVEMENT_WORDS[:3]]
    + ACHIEVEMENT_LINES + PROBLEM_TEXTS + PLAN_LINES
    + [f"{style}{text}" for style in ("一是", "二是", "（一）", "（二）", "1.", "2.", "①", "一、", "二、")
       for text in PROBLEM_TEXTS[:2] + PROBLEM_TITLES[:2]]
    + [
        "三、存在问题及整改措施", "三、存在的问题及下一步打算", "存在的不足和今后努力方向",
        "当前存在的问题主要有：一是学习不够深入；二是制度执行不严。",
        "主要问题：一是作风不实。",
        "工作取得了一定成效，但也存在一些不足，主要表现在：一是创新不够；二是合力不强。",
        "我也清醒地看到，工作中还存在不少问题。",
        "着力解决了群众反映的突出问题。",
        "下一步，我将持续加强理论武装，带头学、深入学。",
        "针对上述问题，我将认真加以整改。",
        "整改措施：每季度专题研究一次党建工作。",
        "问题一：理论学习不够深入，满足于完成任务。",
        "（二）整改落实不到位",
        "产生问题的原因：",
        "??二、存在问题",
        "二、针对存在问题的整改措施",
        "", "   ", "\u3000",
    ]
)
MEASURES_POOL = {f"{number}{words}" for number in ("", "三、", "（三）", "3.") for words in MEASURES_WORDS[:5]}
documents = st.lists(st.sampled_from(LINE_POOL), min_size=2, max_size=30)


def _visible(text: str) -> str:
    return re.sub(r"\s", "", text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_sections_are_ordered_and_do_not_overlap(rows):
    sections = find_problem_sections("\n".join(rows))
    previous_end = 0
    for section in sections:
        assert previous_end < section.start_line <= section.end_line <= len(rows)
        previous_end = section.end_line


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_kept_lines_are_input_lines_at_their_numbers(rows):
    for section in find_problem_sections("\n".join(rows)):
        numbers = [number for number, _ in section.lines]
        assert numbers == sorted(numbers), "line numbers go backwards"
        for number, text in section.lines:
            assert section.start_line <= number <= section.end_line
            line = rows[number - 1]
            if text != line:
                # An inline heading's body, or the part of a line run together with the next heading: a piece of
                # the line.
                assert text.strip() and text.strip() in line


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
@example(["二、存在的问题", "（一）理论学习不够深入", STUDY, "（二）制度执行不够严格", RULES,
          "整改措施", "（三）今后努力方向", PLAN])
def test_a_section_never_holds_a_measures_heading(rows):
    for section in find_problem_sections("\n".join(rows)):
        for _, text in section.lines:
            assert text not in MEASURES_POOL
            assert not is_measures_heading(text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_placing_keeps_every_visible_character(rows):
    for index, section in enumerate(find_problem_sections("\n".join(rows))):
        placed = place_sentences(section.lines, index, PROBLEMS)
        assert _visible("".join(p.text for p in placed)) == _visible("".join(text for _, text in section.lines))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents, st.lists(st.sampled_from(["", " ", "\u3000", "\t"]), min_size=1, max_size=4))
def test_trailing_blank_lines_change_nothing(rows, blanks):
    text = "\n".join(rows)
    assert find_problem_sections(text + "\n" + "\n".join(blanks)) == find_problem_sections(text)
    assert find_problem_sections(text + "\n") == find_problem_sections(text)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from([("一、工作情况", "二、", "一、"), ("（一）工作情况", "（二）", "（一）"),
                        ("1.工作情况", "2.", "1."), ("工作情况", "", "一、"), ("工作情况", "", "（一）")]),
       st.sampled_from(PROBLEM_WORDS), st.integers(1, 6), st.booleans())
def test_numbering_restarting_under_the_heading_stays_inside(numbering, words, count, intro):
    """二、存在的问题 / 一、… 二、… 三、…: the list restarting right under the heading (after an optional
    introductory sentence) is the section's own, however long."""
    before, number, own = numbering
    items = []
    for value in range(1, count + 1):  # short item titles (heading-like lines), each explained by a prose line
        items += [item_number(own, value) + PROBLEM_TITLES[value % len(PROBLEM_TITLES)],
                  PROBLEM_TEXTS[value % len(PROBLEM_TEXTS)]]
    lead = ["对照上级要求，查找出以下问题。"] if intro else []
    rows = [before, ACHIEVEMENT_LINES[0], number + words, *lead, *items, "下一步工作打算", PLAN_LINES[0]]
    [section] = find_problem_sections("\n".join(rows))
    assert section.start_line == 3
    assert [text for _, text in section.lines] == lead + items
    assert section.end_line == 3 + len(lead) + len(items)


def test_a_list_inside_a_paragraph_is_not_taken_for_run_together_headings():
    text = "一、存在的问题\n主要表现在：一、学习不够深入。二、制度执行不严。\n二、下一步打算\n加强学习。\n"
    [section] = find_problem_sections(text)
    assert section.text.strip() == "主要表现在：一、学习不够深入。二、制度执行不严。"
    assert (section.start_line, section.end_line) == (1, 2)


def test_a_report_run_into_one_line_keeps_that_line_number():
    text = ("述职报告\n现汇报如下：一、主要工作 1、开展主题党日12次。二、存在问题 1、党员教育方式单一。"
            "三、下一步打算 1、丰富形式。\n")
    [section] = find_problem_sections(text)
    assert (section.start_line, section.end_line) == (2, 2)
    assert [number for number, _ in section.lines] == [2]


@pytest.mark.parametrize(("text", "kept"), [
    # A heading stuck to the end of a paragraph ends the section there.
    ("二.存在不足\n1.党员教育培训的针对性不强.\n2.党务工作力量比较薄弱.三.2021年工作计划\n1.配齐专职党务工作者.\n",
     ["1.党员教育培训的针对性不强.", "2.党务工作力量比较薄弱."]),
    # A combined section drops the measures written inside each problem.
    ("二、存在的主要问题及整改措施\n1.学习的系统性不够，以传达文件为主。整改措施：每月组织一次专题研讨。\n"
     "2.党员作用发挥不平衡。整改措施：设立党员服务示范岗。\n三、下一步打算\n坚持把学习摆在首位。\n",
     ["1.学习的系统性不够，以传达文件为主。", "2.党员作用发挥不平衡。"]),
])
def test_a_section_keeps_only_the_problems_of_its_lines(text, kept):
    [section] = find_problem_sections(text)
    assert section.text.splitlines() == kept
    assert (section.start_line, section.end_line) == (1, 3)


@pytest.mark.parametrize(("text", "kept"), [
    # A paired list run into one paragraph: the measures give way to the next problem.
    ("二、自查发现的问题及整改措施:\n问题1:学习不够深入. 整改措施:每月集中学习一次. 问题2:制度执行不到位. "
     "整改措施:每季度督查一次.\n三、下一步工作\n举一反三，建立长效机制。\n",
     "问题1:学习不够深入. 问题2:制度执行不到位."),
    # Measures with a list of their own never give way to the problems again (下一步：一是… 四是…).
    ("二、存在的问题及下一步打算\n一是学习不够深入。二是制度执行不到位。下一步：一是加强学习。二是健全制度。"
     "三是强化督查。四是严格考核。\n", "一是学习不够深入。二是制度执行不到位。"),
])
def test_measures_inside_a_paragraph_of_a_combined_section_are_dropped(text, kept):
    [section] = find_problem_sections(text)
    assert section.text == kept


def test_a_report_copied_out_of_a_pdf_keeps_its_own_line_numbers():
    wrapped = ["一、主要工作",
               "全年组织集中学习十二次，开展主题党日活动十次，发展党员两名，党员参学率",
               "达到百分之九十八以上。",
               "二、差距与短板",
               "（1）二级学院党组织政治功能发挥不够充分，部分二级学院党总支参与重大事",
               "项决策的程序不够规范。（2）党建工作与人才培养结合不够紧密，学生党员",
               "",
               "— 3 —",
               "",
               "的示范作用体现不够。",
               "三、改进措施",
               "修订二级学院党政联席会议议事规则。"]
    [section] = find_problem_sections("\n".join(wrapped))
    assert (section.heading, section.start_line, section.end_line) == ("二、差距与短板", 4, 10)
    assert section.lines[0] == (5, wrapped[4] + wrapped[5] + wrapped[9])
    assert [number for number, text in section.lines if text] == [5]
    placed = [sentence.text for sentence in place_every_sentence("\n".join(wrapped))]
    assert len(placed) == len(set(placed)) and "的示范作用体现不够。" not in placed


def test_a_slogan_heading_stuck_to_the_achievements_and_measures_stuck_to_the_last_item():
    text = ("一、成绩看得见 全年组织集中学习12次，发展党员2名。二、问题不回避\n"
            "(1)理论学习不够深入，学用结合不紧密.\n"
            "(2)制度执行不到位，考核流于形式. 三、措施要落实 (1)加强理论学习.(2)健全制度.\n")
    [section] = find_problem_sections(text)
    assert section.heading == "二、问题不回避"
    assert section.text.split() == ["(1)理论学习不够深入，学用结合不紧密.", "(2)制度执行不到位，考核流于形式."]


def test_a_page_source_copied_with_its_markup_is_read_without_it():
    text = "\n".join(["&nbsp;&nbsp;全年组织集中学习16次，开展主题党日活动12次。<br>",
                     "&nbsp;&nbsp;当然，工作中也还有一些不尽如人意的地方。<br>",
                     f"&nbsp;&nbsp;1.&nbsp;{STUDY}<br/>", f"&nbsp;&nbsp;2.&nbsp;{RULES}<BR>",
                     "&nbsp;&nbsp;为此，在新的一年里，我将着力抓好理论学习和制度执行。<br>"])
    [section] = find_problem_sections(text)
    assert section.heading == "当然，工作中也还有一些不尽如人意的地方。"
    assert [clean(line) for _, line in section.lines] == ["1.\xa0" + STUDY, "2.\xa0" + RULES]

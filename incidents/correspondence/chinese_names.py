"""Addressing a Chinese reader by surname and title (王经理, 欧阳总监), as Chinese business mail does.

Only a name written in Han characters has a surname we can find: "Wang Wei" may be written either
way round, and a Western name has no place for a Chinese title, so those are greeted by full name.
Nothing here guesses gender: 先生/女士 are never added.
"""

from __future__ import annotations

import re

_HAN = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+$")
# Two-character surnames, in both scripts; any other name's surname is its first character.
COMPOUND_SURNAMES = frozenset(
    [
        "欧阳",
        "歐陽",
        "司马",
        "司馬",
        "上官",
        "诸葛",
        "諸葛",
        "东方",
        "東方",
        "皇甫",
        "尉迟",
        "尉遲",
        "公孙",
        "公孫",
        "慕容",
        "长孙",
        "長孫",
        "宇文",
        "司徒",
        "夏侯",
        "令狐",
        "端木",
        "轩辕",
        "軒轅",
        "西门",
        "西門",
        "南宫",
        "南宮",
        "独孤",
        "獨孤",
        "申屠",
        "澹台",
        "澹臺",
        "呼延",
        "万俟",
        "闻人",
        "聞人",
        "东郭",
        "東郭",
        "百里",
        "钟离",
        "鍾離",
        "太史",
        "濮阳",
        "濮陽",
        "公冶",
        "仲孙",
        "仲孫",
        "单于",
        "單于",
        "赫连",
        "赫連",
        "谷梁",
        "穀梁",
        "左丘",
        "第五",
        "拓跋",
        "梁丘",
        "宗政",
        "公羊",
        "乐正",
        "樂正",
    ]
)
# The part of a longer title people address someone by ("销售总监" -> 王总监); longest first.
HONORIFICS = (
    "总经理",
    "總經理",
    "副总裁",
    "副總裁",
    "董事长",
    "董事長",
    "会计师",
    "會計師",
    "工程师",
    "工程師",
    "总监",
    "總監",
    "经理",
    "經理",
    "总裁",
    "總裁",
    "主任",
    "主管",
    "厂长",
    "廠長",
    "部长",
    "部長",
    "处长",
    "處長",
    "科长",
    "科長",
    "院长",
    "院長",
    "校长",
    "校長",
    "教授",
    "博士",
    "老师",
    "老師",
    "律师",
    "律師",
    "秘书",
    "秘書",
    "董事",
    "副总",
    "副總",
)


def is_han(text: str) -> bool:
    return bool(_HAN.match(text))


def surname(name: str) -> str:
    """The surname of a Han name of two to four characters; "" when it cannot be told."""
    if not is_han(name) or not 2 <= len(name) <= 4:
        return ""
    return name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[0]


def address_title(title: str) -> str:
    """The title to put after the surname: a known honorific the title ends with, or a short title as it is."""
    title = title.strip()
    if not is_han(title):
        return ""
    for honorific in HONORIFICS:
        if title.endswith(honorific):
            return honorific
    return title if len(title) <= 3 else ""


def chinese_title_name(name: str, title: str) -> str:
    """ "王经理" for 王伟 with the title 采购经理; "" when either part is missing or not Chinese."""
    family, honorific = surname(name.strip()), address_title(title)
    return family + honorific if family and honorific else ""


__all__ = ["address_title", "chinese_title_name", "is_han", "surname"]

"""Boilerplate: the page chrome around news text, as a list of line patterns.

Each :class:`Rule` names a kind (navigation, share buttons, contact block, disclaimer…), a
regular expression and the longest line it may match, so that a long news paragraph that
merely mentions "电话" is never dropped. Two block rules complete the list: a "related
articles" header drops everything after it up to the next record separator, and a short line
sandwiched between two contact/share lines belongs to that block. To teach the ingester a new
site, add a rule here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

# Line kinds the splitter reads; every other kind is boilerplate and never enters a body.
BLANK: Final = "blank"
CONTENT: Final = "content"
SEPARATOR: Final = "separator"
DATE: Final = "date"
META: Final = "meta"
SOURCE: Final = "source"
JUMP: Final = "jump"
RELATED: Final = "related"


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str
    pattern: re.Pattern[str]
    max_len: int


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the file text: ``text`` is stripped and starts at file offset ``start``."""

    index: int
    start: int
    text: str
    kind: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def is_content(self) -> bool:
        return self.kind == CONTENT


def _rule(kind: str, pattern: str, max_len: int = 40) -> Rule:
    return Rule(kind, re.compile(pattern, re.IGNORECASE), max_len)


def _any(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


_PHONE = r"(?<!\d)(?:0\d{2,3}-?\d{7,8}|1[3-9]\d{9}|400[- ]?\d{3,4}[- ]?\d{3,4})(?!\d)"
_COLON = r"\s*[:：]"

DATE_LINE = re.compile(
    r"^(?:(?:发布|发表|更新)?(?:时间|日期)\s*[:：]\s*)?(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*\d{1,2}[:：]\d{2}(?:[:：]\d{2})?)?$"
)

RULES: tuple[Rule, ...] = (
    _rule(SEPARATOR, r"^(?:-+|—+|={3,}|\*{3,}|_{3,}|#{3,}|~{3,}|·{3,})$", 80),
    _rule(DATE, DATE_LINE.pattern, 40),
    _rule(
        JUMP,
        r"^■?\s*[（(]\s*" + _any("上接", "下转", "转第", "接第", "转下", "接上")
        + r"\s*第?\s*\d+\s*[版页][）)]\s*■?$",
        20,
    ),
    _rule(
        RELATED,
        "^"
        + _any(
            "相关" + _any("阅读", "新闻", "文章", "链接", "报道", "推荐", "资讯"),
            "推荐阅读", "延伸阅读", "热点推荐", "猜你喜欢", "热门文章", "最新文章", "精彩推荐",
            "更多" + _any("新闻", "阅读", "资讯"),
        )
        + r"\s*[:：]?\s*$",
        20,
    ),
    _rule(SOURCE, r"^[【\[(（]?\s*" + _any("文章", "稿件", "信息", "消息", "新闻") + "?来源" + _COLON, 60),
    _rule("nav", "^" + _any("当前位置", "您的位置", "你的位置", "所在位置") + _COLON, 120),
    _rule("nav", r"首页\s*[>›»/＞]", 120),
    _rule("nav", "^" + _any("网站首页", "返回首页", "返回顶部", "返回列表")),
    _rule("nav", "^" + _any("上一篇", "下一篇", "上一条", "下一条")),
    _rule(
        "nav",
        r"^[-·•|]?\s*"
        + _any(
            "联系我们", "关于我们", "企业入驻", "网站地图", "加入收藏", "设为首页", "帮助中心", "意见反馈",
            "登录", "注册", "English", "无障碍", "网站导航",
        )
        + r"\s*$",
    ),
    _rule("nav", r"^\S{1,6}切换$|^" + _any("新闻", "资讯", "要闻", "动态", "专题", "首页") + "$"),
    _rule("nav", _any("点我投稿", "我要投稿", "欢迎投稿", "投稿邮箱", "有想补充的信息")),
    _rule(
        "share",
        _any(
            "分享" + _any("给朋友", "到", "至"), "扫一扫", "扫描二维码", "长按识别", "长按二维码", "微信扫码",
            "一键分享", r"^分享\s*[:：]?$",
        ),
    ),
    _rule(
        "print",
        _any(
            "打印本页", "关闭窗口", "收藏本页", r"[【\[]\s*(?:打印|关闭|收藏)\s*[】\]]",
            r"字号\s*[:：]?\s*[大中小]",
        ),
        60,
    ),
    _rule(
        "meta",
        _any(
            r"\d+\s*(?:分钟|小时|天|个月|年)前", r"(?:阅读|浏览|点击)(?:量|数|次数)?\s*[:：]?\s*\d+",
            "发布" + _any("时间", "日期") + _COLON, "^作者" + _COLON,
        ),
        80,
    ),
    _rule(
        "contact",
        "^"
        + _any(
            "电话", "传真", "邮编", "地址", "邮箱", "电子邮箱", "e-?mail", "联系电话", "咨询电话", "联系人",
            "手机", "qq", "微信",
        )
        + _COLON,
        60,
    ),
    _rule("contact", _any("微信号", "微信/手机", "手机/微信", _PHONE)),
    _rule(
        "disclaimer",
        _any(
            "版权所有", "版权声明", "免责声明", "copyright", "©", "icp备", "icp证", "公网安备",
            "不良信息举报", "违法和不良信息", "转载请注明", "如有侵权", r"未经授权.{0,10}转载",
        ),
        160,
    ),
    _rule(
        "disclaimer",
        "^" + _any("主办", "承办", "协办", "技术支持", "运营维护") + "(?:单位)?" + _COLON
        + "|^" + _any("准印证号", "内部资料", "承印", "印数"),
        30,
    ),
    _rule(
        "editor",
        r"^[【\[(（]?\s*"
        + _any("责任编辑", "责编", "编辑", "审核", "校对", "终审", "初审", "审稿", "编审", "值班编辑")
        + r"\s*[:：\s]",
    ),
    _rule("caption", r"^\S{0,6}(?:仪式|现场)\s*■?$|■$", 40),
    _rule("decoration", r"^[A-Z][A-Z ]{7,}$|^[\W_]+$|^[\W_]*(?:END|完|全文完)[\W_]*$", 40),
)  # fmt: skip

_SANDWICH_KINDS = frozenset({"contact", "share"})
_SOURCE_NAME = re.compile(r"来源\s*[:：]\s*([^\s|｜/丨,，;；【】\[\]()（）]{2,30})")


def scan_lines(text: str) -> list[Line]:
    """Split ``text`` into classified lines (blank, content, date, boilerplate kinds…)."""
    lines: list[Line] = []
    offset = 0
    for index, raw in enumerate(text.split("\n")):
        stripped = raw.strip()
        lead = len(raw) - len(raw.lstrip())
        lines.append(Line(index, offset + lead, stripped, classify_line(stripped)))
        offset += len(raw) + 1
    _mark_related_blocks(lines)
    _mark_sandwiched(lines)
    return lines


def classify_line(text: str) -> str:
    """The kind of one stripped line by the first rule that matches it."""
    if not text:
        return BLANK
    for rule in RULES:
        if len(text) <= rule.max_len and rule.pattern.search(text):
            return rule.kind
    return CONTENT


def source_name(text: str) -> str | None:
    """The publisher named in a "来源:" line, e.g. "常州发布"."""
    found = _SOURCE_NAME.search(text)
    return found.group(1) if found else None


def _replace(lines: list[Line], at: int, kind: str) -> None:
    line = lines[at]
    lines[at] = Line(line.index, line.start, line.text, kind)


def _mark_related_blocks(lines: list[Line]) -> None:
    inside = False
    for at, line in enumerate(lines):
        if line.kind == SEPARATOR:
            inside = False
        elif line.kind == RELATED:
            inside = True
        elif inside and line.kind != BLANK:
            _replace(lines, at, RELATED)


def _mark_sandwiched(lines: list[Line]) -> None:
    filled = [line for line in lines if line.kind != BLANK]
    for before, line, after in zip(filled, filled[1:], filled[2:], strict=False):
        if (
            line.kind == CONTENT
            and len(line.text) <= 40
            and before.kind in _SANDWICH_KINDS
            and after.kind in _SANDWICH_KINDS
        ):
            _replace(lines, line.index, "contact")

"""The clause language: a small, safe expression syntax parsed here, never by ``eval``.

Grammar (lowest precedence first)::

    expr    := 'if' expr 'then' expr 'else' expr | or
    or      := and ('or' and)*
    and     := not ('and' not)*
    not     := 'not' not | compare
    compare := sum (('<' | '<=' | '>' | '>=' | '==' | '!=') sum | 'in' '[' STRING (',' STRING)* ']')?
    sum     := product (('+' | '-') product)*
    product := unary ('*' unary)*
    unary   := '-' unary | atom
    atom    := NUMBER UNIT? | STRING | 'true' | 'false' | NAME ('(' args ')' | '[' expr ']')? | '(' expr ')'

``NAME`` is an identifier, dotted for parameters and clauses (``innovation.rd_reward.bands``).
``UNIT`` after a number is ``元``, ``万元``, ``亿元`` (money) or ``%`` (a rate). There is no
division: rates are exact basis points, so every amount stays an exact integer until the one
rounding at the clause result. Every node keeps its character offset for error positions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from longcheng.policy.engine.errors import PackError
from longcheng.policy.engine.source import LocStr


@dataclass(frozen=True)
class Node:
    pos: int


@dataclass(frozen=True)
class Number(Node):
    digits: int
    exp: int
    money: bool


@dataclass(frozen=True)
class Text(Node):
    value: str


@dataclass(frozen=True)
class Boolean(Node):
    value: bool


@dataclass(frozen=True)
class Name(Node):
    name: str


@dataclass(frozen=True)
class Index(Node):
    name: str
    index: Node


@dataclass(frozen=True)
class Call(Node):
    func: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Unary(Node):
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Member(Node):
    operand: Node
    options: tuple[Text, ...]


@dataclass(frozen=True)
class Conditional(Node):
    test: Node
    then: Node
    otherwise: Node


_TOKEN_RE = re.compile(
    r"""(?P<space>\s+)
      | (?P<number>\d+(?:\.\d+)?)(?P<unit>万元|亿元|元|%)?
      | (?P<text>"[^"\n]*"|'[^'\n]*')
      | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)
      | (?P<op><=|>=|==|!=|[-+*<>()\[\],])
    """,
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "if", "then", "else", "in", "true", "false"}
_MAGNITUDE = {"元": 0, "万元": 4, "亿元": 8}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    pos: int
    unit: str = ""


def tokenize(source: str, where: LocStr | None = None) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(source):
        match = _TOKEN_RE.match(source, pos)
        if not match:
            raise _error(where, pos, "policy.expr_syntax", f"无法识别的字符“{source[pos]}”")
        kind = match.lastgroup or ""
        if kind == "unit":
            kind = "number"
        if kind != "space":
            text = match.group("number") if kind == "number" else match.group(0)
            if kind == "name" and text in _KEYWORDS:
                kind = "keyword"
            tokens.append(Token(kind, text, pos, match.group("unit") or ""))
        pos = match.end()
    tokens.append(Token("end", "", len(source)))
    return tokens


def _error(where: LocStr | None, pos: int, code: str, message: str) -> PackError:
    return PackError(code, message, loc=where.at(pos) if where is not None else None)


class _Parser:
    def __init__(self, source: str, where: LocStr | None) -> None:
        self.tokens = tokenize(source, where)
        self.where = where
        self.i = 0

    def peek(self, text: str) -> bool:
        token = self.tokens[self.i]
        return token.kind in ("op", "keyword") and token.text == text

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def expect(self, text: str) -> Token:
        if not self.peek(text):
            token = self.tokens[self.i]
            found = token.text or "表达式结尾"
            raise _error(self.where, token.pos, "policy.expr_syntax", f"此处应为“{text}”，实际是“{found}”")
        return self.take()

    def parse(self) -> Node:
        node = self.expr()
        token = self.tokens[self.i]
        if token.kind != "end":
            raise _error(self.where, token.pos, "policy.expr_syntax", f"多余的内容“{token.text}”")
        return node

    def expr(self) -> Node:
        if self.peek("if"):
            start = self.take().pos
            test = self.expr()
            self.expect("then")
            then = self.expr()
            self.expect("else")
            return Conditional(start, test, then, self.expr())
        return self.binary_chain(("or",), self.conjunction)

    def conjunction(self) -> Node:
        return self.binary_chain(("and",), self.negation)

    def negation(self) -> Node:
        if self.peek("not"):
            return Unary(self.take().pos, "not", self.negation())
        return self.compare()

    def compare(self) -> Node:
        left = self.sum()
        token = self.tokens[self.i]
        if token.kind == "op" and token.text in ("<", "<=", ">", ">=", "==", "!="):
            self.take()
            return Binary(token.pos, token.text, left, self.sum())
        if self.peek("in"):
            self.take()
            self.expect("[")
            options = [self.text()]
            while self.peek(","):
                self.take()
                options.append(self.text())
            self.expect("]")
            return Member(token.pos, left, tuple(options))
        return left

    def text(self) -> Text:
        token = self.take()
        if token.kind != "text":
            raise _error(self.where, token.pos, "policy.expr_syntax", "in [...] 中应列出带引号的取值")
        return Text(token.pos, token.text[1:-1])

    def sum(self) -> Node:
        return self.binary_chain(("+", "-"), self.product)

    def product(self) -> Node:
        return self.binary_chain(("*",), self.unary)

    def binary_chain(self, ops: tuple[str, ...], operand: object) -> Node:
        assert callable(operand)
        left: Node = operand()
        while any(self.peek(op) for op in ops):
            token = self.take()
            left = Binary(token.pos, token.text, left, operand())
        return left

    def unary(self) -> Node:
        if self.peek("-"):
            return Unary(self.take().pos, "-", self.unary())
        return self.atom()

    def atom(self) -> Node:
        token = self.take()
        if token.kind == "number":
            return _number(token)
        if token.kind == "text":
            return Text(token.pos, token.text[1:-1])
        if token.kind == "keyword" and token.text in ("true", "false"):
            return Boolean(token.pos, token.text == "true")
        if token.kind == "name":
            return self.name_tail(token)
        if token.text == "(":
            node = self.expr()
            self.expect(")")
            return node
        found = token.text or "表达式结尾"
        raise _error(
            self.where, token.pos, "policy.expr_syntax", f"此处应为数值、名称或括号，实际是“{found}”"
        )

    def name_tail(self, token: Token) -> Node:
        if self.peek("("):
            self.take()
            args: list[Node] = []
            if not self.peek(")"):
                args.append(self.expr())
                while self.peek(","):
                    self.take()
                    args.append(self.expr())
            self.expect(")")
            return Call(token.pos, token.text, tuple(args))
        if self.peek("["):
            self.take()
            index = self.expr()
            self.expect("]")
            return Index(token.pos, token.text, index)
        return Name(token.pos, token.text)


def _number(token: Token) -> Number:
    value = Decimal(token.text)
    if token.unit == "%":
        value = value / 100
    exponent = -int(value.as_tuple().exponent)
    if token.unit in _MAGNITUDE:
        # money literals are fen: 1元 = 100 fen, 1万元 = 10**6 fen
        value = value * (Decimal(10) ** (_MAGNITUDE[token.unit] + 2))
        exponent = max(0, -int(value.normalize().as_tuple().exponent))
    exponent = max(exponent, 0)
    digits = int(value.scaleb(exponent))
    return Number(token.pos, digits, exponent, token.unit in _MAGNITUDE)


def parse_expression(source: str) -> Node:
    """Parse one expression; a ``LocStr`` source gives errors their file, line and column."""
    where = source if isinstance(source, LocStr) else None
    if not source.strip():
        raise _error(where, 0, "policy.expr_empty", "表达式不能为空")
    return _Parser(str(source), where).parse()

"""Validation rules between KPI figures (DHIS2-style): parse and evaluate their expressions.

An expression is a sum or difference of terms: numbers (``185``, ``12.5``), KPI references
``#{CODE}`` (the KPI's figure: a count's value, a ratio's numerator; summed over its
breakdowns) and ``#{CODE.BREAKDOWN}`` (one breakdown category's figure), with ``+``, ``-``
(or the Unicode minus ``−``), white space and parentheses. Nothing else: no ``eval`` of user
text, no multiplication or division. KPI codes contain hyphens (``NT-02a``), hence braces.

A rule compares two expressions with one of OPERATORS. When a figure it refers to is
missing, the rule is skipped (DHIS2's default "skip if any value is missing"), not failed.
"""

from collections import namedtuple
from decimal import Decimal

OPERATORS = ("<=", "=", ">=", "<")
MINUS_SIGNS = ("-", "\u2212")
MULTIPLY_DIVIDE = frozenset("*/×÷:")

Reference = namedtuple("Reference", "code breakdown")
Result = namedtuple("Result", "left right passed")
"""A rule's outcome: both sides' values (None when missing) and passed (None: skipped)."""


class ExpressionError(ValueError):
    """An expression that cannot be read; ``kind`` says why (the caller words it for users).

    Kinds: ``empty``, ``multiply_divide``, ``unexpected`` (``text``), ``unclosed_reference``,
    ``empty_reference``, ``unclosed_parenthesis``, ``unopened_parenthesis``, ``missing_term``
    (after ``text``, or at the start when ``text`` is empty), ``missing_operator`` (two terms
    side by side, the second being ``text``).
    ``position`` is the 0-based character index in the expression.
    """

    def __init__(self, kind, position=0, text=""):
        self.kind = kind
        self.position = position
        self.text = text
        super().__init__(f"{kind} at {position}: {text!r}" if text else f"{kind} at {position}")


class Expression:
    """A parsed expression: ``terms`` is a list of ``(sign, term)``, a term a Decimal,
    a Reference or a nested Expression."""

    __slots__ = ("terms",)

    def __init__(self, terms):
        self.terms = terms

    @property
    def references(self):
        """The references used, in order of appearance, each once."""
        seen = []
        for _sign, term in self.terms:
            found = term.references if isinstance(term, Expression) else [term] if isinstance(term, Reference) else []
            seen.extend(reference for reference in found if reference not in seen)
        return seen


# ----------------------------------------------------------------- tokens
def _tokens(text, kpi_codes):
    """Yield ``(kind, value, position)``: ``number``, ``ref``, ``sign`` (+1/-1), ``(``, ``)``."""
    index, length = 0, len(text)
    while index < length:
        char = text[index]
        if char.isspace():
            index += 1
        elif char == "+":
            yield "sign", 1, index
            index += 1
        elif char in MINUS_SIGNS:
            yield "sign", -1, index
            index += 1
        elif char in "()":
            yield char, char, index
            index += 1
        elif char in MULTIPLY_DIVIDE:
            raise ExpressionError("multiply_divide", index, char)
        elif char.isdigit():
            end = index
            while end < length and text[end].isdigit():
                end += 1
            if end + 1 < length and text[end] == "." and text[end + 1].isdigit():
                end += 1
                while end < length and text[end].isdigit():
                    end += 1
            yield "number", Decimal(text[index:end]), index
            index = end
        elif char == "#" and text.startswith("#{", index):
            end = text.find("}", index + 2)
            brace = text.find("{", index + 2)
            if end < 0 or 0 <= brace < end:
                raise ExpressionError("unclosed_reference", index, text[index:index + 20])
            yield "ref", _reference(text[index + 2:end], index, kpi_codes), index
            index = end + 1
        else:
            end = index + 1
            while end < length and not text[end].isspace() and text[end] not in "+-\u2212()#{}*/×÷:":
                end += 1
            raise ExpressionError("unexpected", index, text[index:end] if char.isalnum() else char)


def _reference(inner, position, kpi_codes):
    inner = inner.strip()
    if not inner:
        raise ExpressionError("empty_reference", position, "#{}")
    # a KPI code may itself contain a dot ("1.2"): a known code wins over a breakdown
    if inner in kpi_codes or "." not in inner:
        return Reference(inner, None)
    code, _dot, breakdown = inner.rpartition(".")
    if not code.strip() or not breakdown.strip():
        raise ExpressionError("empty_reference", position, "#{%s}" % inner)
    return Reference(code.strip(), breakdown.strip())


# ----------------------------------------------------------------- parser
def parse(expression, kpi_codes=()):
    """The parsed Expression, or ExpressionError. ``kpi_codes``: known codes (for dotted ones)."""
    if isinstance(expression, Expression):
        return expression
    text = expression or ""
    if not text.strip():
        raise ExpressionError("empty")
    tokens = list(_tokens(text, frozenset(kpi_codes)))
    parsed, index = _parse_sum(tokens, 0, text)
    if index < len(tokens):
        kind, value, position = tokens[index]
        if kind == ")":
            raise ExpressionError("unopened_parenthesis", position, ")")
        raise ExpressionError("missing_operator", position, _token_text(text, tokens, index))
    return parsed


def _token_text(text, tokens, index):
    start = tokens[index][2]
    end = tokens[index + 1][2] if index + 1 < len(tokens) else len(text)
    return text[start:end].strip()


def _parse_sum(tokens, index, text):
    terms = []
    sign = 1
    expect_term = True
    while index < len(tokens):
        kind, value, position = tokens[index]
        if kind == "sign":
            # signs in a row fold (5 - -3 = 8); after a term a sign starts the next one
            sign = sign * value if expect_term else value
            expect_term = True
            index += 1
            continue
        if not expect_term:
            break
        if kind in ("number", "ref"):
            terms.append((sign, value))
            index += 1
        elif kind == "(":
            inner, index = _parse_sum(tokens, index + 1, text)
            if index >= len(tokens) or tokens[index][0] != ")":
                raise ExpressionError("unclosed_parenthesis", position, "(")
            terms.append((sign, inner))
            index += 1
        else:  # ")" where a term is due
            break
        sign, expect_term = 1, False
    if expect_term:
        previous = _token_text(text, tokens, index - 1) if index else ""
        position = tokens[index][2] if index < len(tokens) else len(text)
        raise ExpressionError("missing_term", position, previous)
    return Expression(terms), index


# -------------------------------------------------------------- evaluation
def _decimal(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _evaluate(parsed, values):
    total = Decimal(0)
    for sign, term in parsed.terms:
        if isinstance(term, Expression):
            value = _evaluate(term, values)
        elif isinstance(term, Reference):
            value = values.get(term)  # a Reference is the tuple (code, breakdown)
            value = None if value is None else _decimal(value)
        else:
            value = term
        if value is None:
            return None
        total += sign * value
    return total


def evaluate(expression, values, kpi_codes=()):
    """The expression's value (a float), or None when a figure it refers to is missing.

    ``values`` maps ``(code, breakdown or None)`` to a number (None or absent: missing);
    see ``figure_values`` for building it from figures.
    """
    total = _evaluate(parse(expression, kpi_codes), values)
    return None if total is None else float(total)


def compare(left, operator, right):
    """Whether ``left operator right`` holds (exact decimal comparison); None if a side is missing."""
    if left is None or right is None:
        return None
    if operator not in OPERATORS:
        raise ValueError(f"unknown operator {operator!r}")
    left, right = _decimal(left), _decimal(right)
    return {"<=": left <= right, "=": left == right, ">=": left >= right, "<": left < right}[operator]


def check(left, operator, right, values, kpi_codes=()):
    """Evaluate a rule on ``values``: a Result with both sides' values and whether it passed."""
    left_value = evaluate(left, values, kpi_codes)
    right_value = evaluate(right, values, kpi_codes)
    return Result(left_value, right_value, compare(left_value, operator, right_value))


def figure_values(figures):
    """``{(code, breakdown or None): value}`` from ``(code, breakdown or None, value)`` figures.

    A KPI's total ``(code, None)`` is the sum of its breakdowns' figures (DHIS2's total of a
    data element over its categories); a KPI reported without breakdown has only that one.
    """
    values = {}
    for code, breakdown, value in figures:
        if value is None:
            continue
        if breakdown:
            values[(code, breakdown)] = values.get((code, breakdown), 0) + value
        values[(code, None)] = values.get((code, None), 0) + value
    return values


def format_number(value):
    """A figure as a planner writes it: whole numbers without decimals."""
    if value is None:
        return ""
    number = _decimal(value)
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


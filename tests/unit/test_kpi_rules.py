"""Validation rule expressions, with the Ninh Thuận 2023 figures (seed 004), without a database."""

import pytest
from tools_loader import load

kr = load("kpi_rules")

# Ninh Thuận 2023: new intake 185 = 53 voluntary in-province (4 female) + 52 from other
# provinces (0) + 80 compulsory (0); 281 managed; 123 completed.
NT = kr.figure_values([
    ("NT-01", None, 281),
    ("NT-02", "voluntary_in", 53),
    ("NT-02", "voluntary_out", 52),
    ("NT-02", "compulsory", 80),
    ("NT-02a", "voluntary_in", 4),
    ("NT-02a", "voluntary_out", 0),
    ("NT-02a", "compulsory", 0),
    ("NT-03", None, 123),
])


def test_parse_lists_references_once_in_order():
    parsed = kr.parse("#{NT-02.voluntary_in} + #{NT-02.voluntary_out} + #{NT-02.compulsory} - #{NT-02.voluntary_in}")
    assert parsed.references == [
        ("NT-02", "voluntary_in"), ("NT-02", "voluntary_out"), ("NT-02", "compulsory"),
    ]
    assert kr.parse("( #{NT-01} - (#{NT-03} + 2) )").references == [("NT-01", None), ("NT-03", None)]
    assert kr.parse("185").references == []


def test_totals_are_the_sum_of_breakdowns():
    assert NT[("NT-02", None)] == 185
    assert NT[("NT-02a", None)] == 4
    assert NT[("NT-01", None)] == 281
    assert ("NT-01", "compulsory") not in NT


def test_ninh_thuan_rules_hold_on_the_published_figures():
    split = kr.check("#{NT-02.voluntary_in} + #{NT-02.voluntary_out} + #{NT-02.compulsory}", "=", "#{NT-02}", NT)
    assert split == kr.Result(185.0, 185.0, True)
    assert kr.check("#{NT-02a.voluntary_in}", "<=", "#{NT-02.voluntary_in}", NT) == kr.Result(4.0, 53.0, True)
    assert kr.check("#{NT-02}", "<=", "#{NT-01}", NT) == kr.Result(185.0, 281.0, True)
    assert kr.check("#{NT-03}", "<=", "#{NT-01}", NT) == kr.Result(123.0, 281.0, True)
    assert kr.check("#{NT-02}", "=", "53 + 52 + 80", NT).passed


def test_a_changed_figure_breaks_the_rule():
    changed = kr.figure_values([("NT-02", "compulsory", 80), ("NT-02a", "compulsory", 81)])
    assert kr.check("#{NT-02a.compulsory}", "<=", "#{NT-02.compulsory}", changed) == kr.Result(81.0, 80.0, False)


@pytest.mark.parametrize(("left", "operator", "right", "passed"), [
    (4, "<=", 53, True), (53, "<=", 53, True), (54, "<=", 53, False),
    (185, "=", 185, True), (184, "=", 185, False),
    (281, ">=", 185, True), (185, ">=", 185, True), (150, ">=", 185, False),
    (4, "<", 53, True), (53, "<", 53, False), (60, "<", 53, False),
])
def test_each_operator(left, operator, right, passed):
    assert kr.compare(left, operator, right) is passed


def test_compare_is_exact_on_decimals():
    assert kr.evaluate("0.1 + 0.2", {}) == 0.3
    assert kr.compare(kr.evaluate("0.1 + 0.2", {}), "=", 0.3)
    assert kr.compare(185.0, "=", kr.evaluate("53 + 52 + 80", {}))  # stored figures are floats


def test_compare_refuses_an_unknown_operator():
    with pytest.raises(ValueError, match="operator"):
        kr.compare(1, "!=", 2)


def test_missing_figure_skips_the_rule():
    partial = kr.figure_values([("NT-02", "voluntary_in", 53)])
    assert kr.evaluate("#{NT-02.voluntary_in} + #{NT-02.compulsory}", partial) is None
    assert kr.check("#{NT-02a.voluntary_in}", "<=", "#{NT-02.voluntary_in}", partial) == kr.Result(None, 53.0, None)
    assert kr.compare(None, "<=", 5) is None
    # zero is a figure, not a missing one
    assert kr.evaluate("#{NT-02a.compulsory}", NT) == 0.0
    assert kr.evaluate("#{X}", {("X", None): None}) is None


def test_arithmetic_signs_and_parentheses():
    values = {("A", None): 10, ("B", "x"): 3}
    assert kr.evaluate("#{A} - #{B.x}", values) == 7
    assert kr.evaluate("#{A} \u2212 #{B.x}", values) == 7  # the Unicode minus
    assert kr.evaluate("#{A} - (#{B.x} - 1)", values) == 8
    assert kr.evaluate("-#{A} + 12.5", values) == 2.5
    assert kr.evaluate("5 - -3", {}) == 8
    assert kr.evaluate("  #{ A }+#{B . x}", values) == 13  # white space inside and around references
    assert kr.evaluate("((2))", {}) == 2


def test_dotted_kpi_codes_resolve_with_the_known_codes():
    values = {("1.2", None): 7, ("1", "2"): 1}
    assert kr.parse("#{1.2}").references == [("1", "2")]
    assert kr.parse("#{1.2}", kpi_codes={"1.2"}).references == [("1.2", None)]
    assert kr.evaluate("#{1.2}", values, kpi_codes={"1.2"}) == 7
    assert kr.parse("#{1.2.compulsory}", kpi_codes={"1.2"}).references == [("1.2", "compulsory")]


@pytest.mark.parametrize(("expression", "kind", "text"), [
    ("", "empty", ""),
    ("   ", "empty", ""),
    ("#{NT-02} / 2", "multiply_divide", "/"),
    ("#{NT-02} * 2", "multiply_divide", "*"),
    ("#{NT-02} × 2", "multiply_divide", "×"),
    ("#{NT-02} ÷ 2", "multiply_divide", "÷"),
    ("NT-02 + 1", "unexpected", "NT"),
    ("#{NT-02} + abc", "unexpected", "abc"),
    ("#{NT-02", "unclosed_reference", "#{NT-02"),
    ("#{NT-02 + #{NT-01}", "unclosed_reference", "#{NT-02 + #{NT-01}"),
    ("NT-02}", "unexpected", "NT"),
    ("#{NT-02}}", "unexpected", "}"),
    ("#NT-02", "unexpected", "#"),
    ("#{}", "empty_reference", "#{}"),
    ("#{ NT-02. }", "empty_reference", "#{NT-02.}"),
    ("(#{NT-02} + 1", "unclosed_parenthesis", "("),
    ("#{NT-02} + 1)", "unopened_parenthesis", ")"),
    ("#{NT-02} +", "missing_term", "+"),
    ("-", "missing_term", "-"),
    ("()", "missing_term", "("),
    ("#{NT-02} #{NT-01}", "missing_operator", "#{NT-01}"),
    ("1,5", "unexpected", ","),
    ("5 ; 2", "unexpected", ";"),
])
def test_parse_errors(expression, kind, text):
    with pytest.raises(kr.ExpressionError) as caught:
        kr.parse(expression)
    assert caught.value.kind == kind
    assert caught.value.text == text


def test_figure_values_add_duplicates_and_ignore_missing():
    values = kr.figure_values([("A", "x", 1), ("A", "x", 2), ("A", "y", None), ("B", None, 0)])
    assert values == {("A", "x"): 3, ("A", None): 3, ("B", None): 0}


def test_format_number():
    assert kr.format_number(185.0) == "185"
    assert kr.format_number(12.5) == "12.5"
    assert kr.format_number(None) == ""

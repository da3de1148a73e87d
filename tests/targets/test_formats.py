"""Indonesian number formats: 7,38 and Rp 1.250.000; English switches the separators."""

from datetime import date
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from targets import formats


def render(source: str, **context) -> str:
    return Template("{% load portal %}" + source).render(Context(context))


@pytest.mark.parametrize(
    ("language", "expected"),
    [("id", "Rp\u00a01.250.000"), ("en", "Rp\u00a01,250,000")],
)
def test_rupiah(language, expected):
    with translation.override(language):
        assert render("{{ v|rupiah }}", v=Decimal("1250000.00")) == expected


def test_rupiah_rounds_half_up_to_whole_rupiah():
    with translation.override("id"):
        assert render("{{ v|rupiah }}", v=Decimal("999.50")) == "Rp\u00a01.000"


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("7.38"), 2, "7,38"),
        (Decimal("7.93666"), 2, "7,94"),  # rounded, not cut off
        (Decimal("8.4933"), 2, "8,49"),
        (Decimal("1658"), 0, "1.658"),
        (Decimal("120952"), 0, "120.952"),
    ],
)
def test_figure_in_indonesian(value, places, expected):
    with translation.override("id"):
        assert render("{{ v|figure:p }}", v=value, p=places) == expected


def test_empty_values_render_empty():
    assert render("{{ v|rupiah }}{{ v|figure }}", v=None) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1000.50", "Rp\u00a01.001"),  # the exact tie rounds up (half-even gives 1.000)
        ("1001.50", "Rp\u00a01.002"),  # and up again (half-down gives 1.001)
        ("1000.4999", "Rp\u00a01.000"),  # below the tie rounds down (round-up gives 1.001)
    ],
)
def test_rupiah_at_the_exact_half(value, expected):
    with translation.override("id"):
        assert formats.rupiah(Decimal(value)) == expected


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("7.385", 2, "7,39"),  # the exact tie rounds up (half-even gives 7,38)
        ("7.375", 2, "7,38"),  # (half-down gives 7,37)
        ("7.38499", 2, "7,38"),
        ("1210.5", 0, "1.211"),
    ],
)
def test_figure_at_the_exact_half(value, places, expected):
    with translation.override("id"):
        assert formats.figure(Decimal(value), places) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("7.3800"), "7,38"),  # a target stored with four places (the admin showed 7,3800)
        (Decimal("340.00"), "340"),  # an output in persons (the realisation showed 340,00)
        (Decimal("1250000.00"), "1.250.000"),
        (Decimal("12.5"), "12,5"),
        (Decimal("0.0000"), "0"),
        ("40", "40"),
        (None, ""),
    ],
)
def test_exact_keeps_the_decimals_a_figure_has_and_no_trailing_zeros(value, expected):
    with translation.override("id"):
        assert render("{{ v|exact }}", v=value) == expected


@pytest.mark.parametrize(
    ("language", "expected"), [("id", "31 Oktober 2017"), ("en", "31 October 2017")]
)
def test_one_date_format_in_code_and_templates(language, expected):
    with translation.override(language):
        assert formats.day(date(2017, 10, 31)) == expected
        assert render("{{ d|day }}", d=date(2017, 10, 31)) == expected
        # A date without a format, as the admin shows one, reads the same (magelang/formats).
        assert render("{{ d|date }}", d=date(2017, 10, 31)) == expected

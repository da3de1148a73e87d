"""Figures in the active locale: whole Rupiah, rounded figures, percentages.

Plain functions, used by the template filters in ``targets.templatetags.portal`` and by
code that writes figures into messages or the audit history.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def rupiah(value: object) -> str:
    """Format an amount as whole Rupiah in the active locale: ``Rp 1.250.000`` in Indonesian."""
    amount = _decimal(value)
    if amount is None:
        return ""
    whole = amount.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"Rp\u00a0{number_format(whole, decimal_pos=0, force_grouping=True)}"


def figure(value: object, decimal_pos: int = 2) -> str:
    """Format a figure rounded half up to ``decimal_pos`` decimals, grouped: ``7,94``, ``1.658``.

    Django's ``number_format`` cuts extra decimals off; rounding first makes 7.9367 show as 7,94.
    """
    number = _decimal(value)
    if number is None:
        return ""
    places = int(decimal_pos)
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=places, force_grouping=True)


def percent(value: object, decimal_pos: int = 1) -> str:
    """A ratio as a percentage in the active locale: 0.5428 → ``54,3%``."""
    number = _decimal(value)
    if number is None:
        return ""
    return f"{figure(number * 100, decimal_pos)}%"

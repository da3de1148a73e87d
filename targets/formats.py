"""Figures in the active locale: whole Rupiah, rounded figures, percentages.

Plain functions, used by the template filters in ``targets.templatetags.portal`` and by
code that writes figures into messages or the audit history.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone
from django.utils.formats import date_format, number_format

DAY = "j F Y"
"""A date, the one way the portal writes it: ``31 Oktober 2017``, ``31 October 2017``."""
MOMENT = "j F Y H:i"
"""A time of day on a date: ``31 Oktober 2017 14:05``."""


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


def exact(value: object) -> str:
    """A figure with the decimals it has and no trailing zeros, grouped: 7.3800 → ``7,38``,
    340.00 → ``340``, 1200 → ``1.200``. For stored amounts that are shown as entered
    (an activity's output target, a contribution, a figure in the admin)."""
    number = _decimal(value)
    if number is None or not number.is_finite():
        return "" if number is None else str(number)
    places = max(0, -int(number.normalize().as_tuple().exponent))
    return figure(number, places)


def percent(value: object, decimal_pos: int = 1) -> str:
    """A ratio as a percentage in the active locale: 0.5428 → ``54,3%``."""
    number = _decimal(value)
    if number is None:
        return ""
    return f"{figure(number * 100, decimal_pos)}%"


def day(value: date | None) -> str:
    """A date in the active language: ``31 Oktober 2017`` (a date and time: its local day)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return date_format(value, DAY)

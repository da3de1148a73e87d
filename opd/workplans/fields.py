"""Form fields that read figures as people type them.

:class:`MoneyField` is every Rupiah input of the portal (an activity's budget and
next-year budget, a realisation's budget spent): "Rp 1.250.000", "1 250 000",
"Rp. 1.250.000,-" and "1.250.000,50" are all accepted.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

# "Rp", "Rp." or "IDR" before the amount; ",-" or ".-" after it (a whole amount); any
# spaces, also the no-break ones a copied figure brings along.
_CURRENCY = re.compile(r"^(?:rp\.?|idr)", re.IGNORECASE)
_WHOLE_MARK = re.compile(r"[.,]-$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_MACHINE = re.compile(r"-?\d+(?:\.\d+)?")


def parse_amount(text: str, *, decimal: str, thousands: str) -> Decimal | None:
    """The amount ``text`` writes with these separators, or None when it writes none.

    Thousands are grouped by three (``1.250.000``) or not at all (``1250000``); the
    decimal part follows ``decimal``. A separator in any other place is not read, so
    "1.25" is never taken for 125 nor "1,250" for 1.25 where a comma groups thousands.
    """
    d, t = re.escape(decimal), re.escape(thousands)
    if not re.fullmatch(rf"(?:\d{{1,3}}(?:{t}\d{{3}})+|\d+)(?:{d}\d+)?", text):
        return None
    try:
        return Decimal(text.replace(thousands, "").replace(decimal, "."))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None


class MoneyField(forms.DecimalField):
    """A Rupiah amount: the currency, spaces and the thousands' dots are read, not refused.

    The amount is read with the page's language's separators first, then with the
    Indonesian ones (a Rupiah figure is mostly written "1.250.000,50" whatever the
    page's language), then as a machine writes it ("1250000.50"); anything else is
    refused with the money message.
    """

    default_error_messages = {
        "invalid": _("Enter an amount in rupiah, for example Rp 1.250.000."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("localize", True)
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        attrs = super().widget_attrs(widget)
        attrs["inputmode"] = "decimal"  # a phone offers digits and separators
        return attrs

    def prepare_value(self, value: Any) -> Any:
        """A whole amount is shown whole: "1.900.000.000", not "1.900.000.000,00"."""
        if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            return value.quantize(Decimal(1))
        return super().prepare_value(value)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]  # stubs: int
        if isinstance(value, str):
            value = _WHOLE_MARK.sub("", _CURRENCY.sub("", _SPACES.sub("", value)))
            for decimal, thousands in (
                (str(get_format("DECIMAL_SEPARATOR")), str(get_format("THOUSAND_SEPARATOR"))),
                (",", "."),
            ):
                if decimal == thousands:
                    continue
                amount = parse_amount(value, decimal=decimal, thousands=thousands)
                if amount is not None:
                    return amount
            if not value:
                return None
            # What is left may only be a machine's "-1250000.50" (a sign is refused by the
            # minimum, with its own message); "1.25.000" is not guessed at.
            if not _MACHINE.fullmatch(value):
                raise ValidationError(self.error_messages["invalid"], code="invalid")
            return Decimal(value)
        return super().to_python(value)

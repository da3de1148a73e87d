"""Field sizes shared by every room's models: Rupiah, persons and computed figures."""

from __future__ import annotations

from typing import TypedDict


class _Digits(TypedDict):
    max_digits: int
    decimal_places: int


MONEY: _Digits = {"max_digits": 18, "decimal_places": 2}  # Rupiah, exact to the sen


AMOUNT: _Digits = {"max_digits": 14, "decimal_places": 2}  # persons or other indicator units


FIGURE: _Digits = {"max_digits": 18, "decimal_places": 6}  # computed indicator figures


# deduplicated persons (design section 7): Shapley shares such as 5/24 of a person, to 4 places
DEDUP: _Digits = {"max_digits": 16, "decimal_places": 4}

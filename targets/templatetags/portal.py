"""Template filters for Indonesian figures: Rupiah, percentages and persons."""

from __future__ import annotations

from django import template

from targets.formats import day, exact, figure, percent, rupiah

register = template.Library()
register.filter("rupiah", rupiah)
register.filter("figure", figure)
register.filter("exact", exact)
register.filter("percent", percent)
register.filter("day", day)


@register.filter
def get_item(mapping: object, key: object) -> object:
    """``mapping[key]`` in a template, or None."""
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None

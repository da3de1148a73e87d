"""Template filters for Indonesian figures: Rupiah, percentages and persons."""

from __future__ import annotations

from django import template

from targets.formats import figure, percent, rupiah

register = template.Library()
register.filter("rupiah", rupiah)
register.filter("figure", figure)
register.filter("percent", percent)


@register.filter
def get_item(mapping: object, key: object) -> object:
    """``mapping[key]`` in a template, or None."""
    if isinstance(mapping, dict):
        return mapping.get(key)
    return None

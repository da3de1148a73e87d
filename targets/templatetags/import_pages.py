"""What the shared upload page of the file imports (``components/_import_upload.html``) needs.

The Renstra's and the aspirations' bad rows name their two identifying fields differently
(code and name; title and kelurahan), so the page is told which to show.
"""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def field(row: object, name: str) -> object:
    """``row``'s attribute ``name`` (a bad row's field the page was told to show)."""
    return getattr(row, name)

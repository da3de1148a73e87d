"""Layout components of the portal's pages.

``{% scrollbox label %}<table>…</table>{% endscrollbox %}`` puts a wide table in a box
that scrolls sideways on a narrow screen, so the page itself never does. The box is a
named region that takes the keyboard focus (``tabindex="0"``): a keyboard user can
scroll it with the arrow keys, and a screen reader announces what it holds (axe-core's
``scrollable-region-focusable``). ``label`` is any template expression, ``_("…")`` too.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class ScrollBoxNode(template.Node):
    def __init__(self, label: FilterExpression, nodelist: NodeList) -> None:
        self.label = label
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        return format_html(
            '<div class="table-scroll" role="region" tabindex="0" aria-label="{}">{}</div>',
            self.label.resolve(context),
            mark_safe(self.nodelist.render(context)),  # noqa: S308 - rendered by the template engine, escaped there
        )


@register.tag
def scrollbox(parser: Parser, token: Token) -> ScrollBoxNode:
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the box's label")
    nodelist = parser.parse(("endscrollbox",))
    parser.delete_first_token()
    return ScrollBoxNode(parser.compile_filter(bits[1]), nodelist)

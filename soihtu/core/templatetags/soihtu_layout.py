"""Layout that templates share: a table that scrolls inside its own container on a narrow screen.

    {% load soihtu_layout %}
    {% scrollable _("Check-ins") %}<table>…</table>{% endscrollable %}

WCAG 1.4.10 lets a data table keep its columns, but the page around it may not scroll sideways:
the container scrolls instead. It is a named group (not a region: regions are landmarks, and
several named like their section would break axe's landmark-unique rule) and takes keyboard
focus, so that people who do not use a mouse can scroll it too (axe: scrollable-region-focusable).
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


class ScrollableNode(template.Node):
    def __init__(self, label: FilterExpression, nodelist: NodeList) -> None:
        self.label = label
        self.nodelist = nodelist

    def render(self, context: template.Context) -> SafeString:
        return format_html(
            '<div class="table-scroll" role="group" aria-label="{}" tabindex="0">{}</div>',
            self.label.resolve(context),
            mark_safe(self.nodelist.render(context)),  # noqa: S308 (rendered by the template)
        )


@register.tag
def scrollable(parser: Parser, token: Token) -> ScrollableNode:
    """`{% scrollable label %}…{% endscrollable %}`: the label names the group."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes one argument: the label")
    nodelist = parser.parse(("endscrollable",))
    parser.delete_first_token()
    return ScrollableNode(parser.compile_filter(bits[1]), nodelist)

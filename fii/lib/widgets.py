"""Form widgets rendered in Python where Django's widget templates are too slow for a busy page."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class PlainSelect(forms.Select):
    """The same ``<select>`` as ``forms.Select``, built without templates.

    Django renders one template per ``<option>``; on the portfolio's filters (forty organisations in a
    large municipality) that took more time than the rest of the page.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            rendered = format_html_join(
                "", '<option value="{}"{}>{}</option>', ((o["value"], flatatt(o["attrs"]), o["label"]) for o in options)
            )
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered) if group_name else rendered
            )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(widget["attrs"]), mark_safe("".join(parts)))

"""Stoplight rendering: a light is always a colour, a shape and a word, never colour alone."""

from django import template

from ..models import light_label as _light_label

register = template.Library()


@register.filter
def light_label(colour: str) -> str:
    return str(_light_label(colour or ""))


@register.inclusion_tag("components/light.html")
def light(colour: str, *, size: str = "", text: bool = True, prefix: str = ""):
    """``{% light ri.colour size="sm" text=False %}``; without text the label is still read out."""
    colour = colour or ""
    return {
        "css": colour or "grijs",
        "label": _light_label(colour),
        "size": size,
        "show_text": text,
        "prefix": prefix,
    }

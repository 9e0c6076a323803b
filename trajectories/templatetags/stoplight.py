"""Stoplight rendering: a light is always a colour, a shape and a word, never colour alone."""

import functools

from django import template
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from ..models import PhaseState
from ..models import light_label as _light_label

register = template.Library()


@register.filter
def light_label(colour: str) -> str:
    return str(_light_label(colour or ""))


# The one definition of a light's markup. Built in Python rather than by template includes, because a review
# page draws a few hundred small lights (each item's history) and two includes per light cost more than the
# rest of the page. Colours are attributes, not CSS, so WeasyPrint draws them too; the shape lets a light read
# without colour: circle green, triangle orange, square red, dashed ring grey.
LIGHT_SHAPES = {
    "groen": '<circle cx="8" cy="8" r="7" fill="#1e7b34"/>',
    "oranje": '<polygon points="8,1 15.5,15 0.5,15" fill="#b35900"/>',
    "rood": '<rect x="1.5" y="1.5" width="13" height="13" fill="#c0262d"/>',
}
GREY_SHAPE = '<circle cx="8" cy="8" r="6" fill="none" stroke="#6c757d" stroke-width="2" stroke-dasharray="3 2"/>'
SVG = '<svg class="light__shape" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">'


@register.simple_tag
def light_shape(css: str):
    """``{% light_shape value %}``: the shape alone (the light picker's buttons)."""
    return mark_safe(SVG + LIGHT_SHAPES.get(css, GREY_SHAPE) + "</svg>")  # noqa: S308 — constants only


@register.simple_tag
def light(colour: str, *, size: str = "", text: bool = True, prefix: str = ""):
    """``{% light ri.colour size="sm" text=False %}``; without text the label is still read out."""
    colour = colour or ""
    css = colour or "grijs"
    shape = light_shape(css)
    words = format_html("{} {}", prefix, _light_label(colour)) if prefix else conditional_escape(_light_label(colour))
    return format_html(
        '<span class="light light--{}{}">{}<span class="{}">{}</span></span>',
        css,
        f" light--{size}" if size else "",
        shape,
        "light__text" if text else "visually-hidden",
        words,
    )


@functools.lru_cache(maxsize=512)
def _phase_bar(language: str, current: str, compact: bool, steps: tuple[tuple[str, str], ...]) -> str:
    states = [PhaseState(phase=phase, status=status) for phase, status in steps]
    context = {"states": states, "current": current, "compact": compact}
    return render_to_string("components/phase_progress.html", context)


@register.simple_tag
def phase_bar(states, current: str, compact: bool = False) -> str:
    """``components/phase_progress.html`` for these phase states, rendered once per distinct bar and language.

    The bar depends only on each phase's status, the current phase and the language, and there are few
    distinct bars, so the portfolio's 25 rows mostly reuse one already rendered (a derived value: it can
    never be stale, since nothing else goes into it).
    """
    steps = tuple((state.phase, state.status) for state in states)
    return _phase_bar(get_language() or "", current, bool(compact), steps)

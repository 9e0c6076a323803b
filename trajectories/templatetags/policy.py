"""``{% may "archive" trajectory as can_archive %}``: templates ask the permission policy (trajectories/policy.py)."""

from django import template

from ..policy import may as _may

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, action: str, trajectory) -> bool:
    return _may(context["request"].user, action, trajectory)

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def author(user) -> str:
    """Who wrote a row: the user's name, or "unknown" when the row has no author.

    A row loses its author when the account is deleted, or when an import names somebody who is not a member
    of the importing organisation (issue 16: such authors become unknown, they are never matched by name).
    """
    if user is None:
        return _("unknown")
    return user.get_full_name() or user.get_username()

from django import template
from django.utils.html import format_html

from organisations.submissions import TOKEN_FIELD, new_token

register = template.Library()


@register.simple_tag
def submission_token() -> str:
    """The hidden one-time token of a create form (organisations/submissions.py): a fresh one per rendering."""
    return format_html('<input type="hidden" name="{}" value="{}">', TOKEN_FIELD, new_token())

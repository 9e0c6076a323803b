"""Django's minimum-length validator with a message the Dutch catalogue has.

Django 6.1 changed the msgid of the "too short" error (``%d`` instead of ``%(min_length)d``) and its Dutch
translation has not caught up, so people setting a password would read English. Same rule, our own msgid.
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short: use at least %(min_length)d character.",
            "This password is too short: use at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

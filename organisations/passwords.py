"""Forgotten and changed passwords, on Django's own views and token generator.

- "Wachtwoord vergeten?" answers the same for every address, known or not, and sends its mail through the
  outbox (the worker sends it, never the request). An account that logs in only through the organisation's
  identity provider (OpenID Connect, no password here) is told by mail to use that login instead.
- Requests are throttled per IP address and per e-mail address (in the cache; share it between app servers
  with CACHE_URL, see docs/deployment.md).
- The link is valid for PASSWORD_RESET_TIMEOUT seconds and works once (Django's token covers the password
  hash and the last login). Setting the new password, like changing it under "Mijn account", ends every other
  session of the account (the password is part of the session hash, and the session epoch is raised).
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from .audit import client_ip
from .mail import absolute_reverse, mail_enqueue
from .models import User
from .oidc import oidc_provider_name

THROTTLE_WINDOW = 60 * 60  # seconds


def _throttle_keys(request, email: str) -> list[tuple[str, int]]:
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
    return [
        (f"fii:password-reset:ip:{client_ip(request)}", settings.FII_PASSWORD_RESET_PER_IP),
        (f"fii:password-reset:address:{address}", settings.FII_PASSWORD_RESET_PER_ADDRESS),
    ]


def throttled(request, email: str) -> bool:
    """Count this request; True when the IP address or the e-mail address asked too often this hour."""
    over = False
    for key, limit in _throttle_keys(request, email):
        cache.add(key, 0, THROTTLE_WINDOW)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, THROTTLE_WINDOW)
            count = 1
        over = over or count > limit
    return over


class PasswordResetForm(auth_forms.PasswordResetForm):
    def accounts(self, email: str):
        return User.objects.filter(email__iexact=email, is_active=True)

    def save(self, *, request=None, **kwargs) -> None:  # noqa: ARG002 (Django passes mail settings we do not use)
        email = self.cleaned_data["email"]
        language = get_language() or settings.LANGUAGE_CODE
        for user in self.accounts(email):
            key = f"password-reset:{user.pk}:{uuid.uuid4().hex}"
            if user.has_usable_password():
                context = {
                    "name": user.get_short_name(),
                    "url": absolute_reverse(
                        "password_reset_confirm",
                        kwargs={
                            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                            "token": default_token_generator.make_token(user),
                        },
                        language=language,
                    ),
                    "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
                }
                mail_enqueue(key=key, to=user.email, template="password_reset", context=context, language=language)
            elif user.external_identities.exists():
                context = {
                    "name": user.get_short_name(),
                    "provider": oidc_provider_name() or "",
                    "login_url": absolute_reverse("login", language=language),
                }
                mail_enqueue(key=key, to=user.email, template="password_reset_oidc", context=context, language=language)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "registration/password_reset_form.html"

    def form_valid(self, form):
        if throttled(self.request, form.cleaned_data["email"]):
            form.add_error("email", _("Too many requests for a new password. Wait an hour, then try again."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class SetPasswordForm(auth_forms.SetPasswordForm):
    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            user.end_sessions()  # every other session ends now (the view keeps the current one where it logs in)
        return user


class PasswordChangeForm(auth_forms.PasswordChangeForm, SetPasswordForm):
    pass


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    post_reset_login = False


class PasswordChangeView(auth_views.PasswordChangeView):
    """Under "Mijn account": the current password is required; the other sessions end."""

    form_class = PasswordChangeForm
    template_name = "organisations/password_change.html"
    success_url = reverse_lazy("account:overview")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_usable_password():
            messages.info(request, NO_PASSWORD_MESSAGE)
            return redirect("account:overview")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session (update_session_auth_hash)
        messages.success(self.request, _("Your password has been changed. You were logged out everywhere else."))
        return response


NO_PASSWORD_MESSAGE = gettext_lazy(
    "You log in through your organisation's own login, so you have no password here to change."
)

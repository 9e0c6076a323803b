"""Logging in (password, then a code when 2FA is on) and the user's own account page with 2FA settings."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render, resolve_url
from django.urls import translate_url
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from . import twofactor
from .forms import LoginForm, TotpConfirmForm, TwoFactorCodeForm, TwoFactorDisableForm
from .models import User
from .oidc import oidc_enabled, oidc_provider_name


class FiiLoginView(LoginView):
    """Django's login, with a second step for users who have an authenticator app."""

    redirect_authenticated_user = True
    authentication_form = LoginForm
    logging_in: User | None = None

    def get_success_url(self):
        # The pages open in the account's own language (the one its mails are written in).
        url = super().get_success_url()
        language = self.logging_in.language if self.logging_in else ""
        return translate_url(url, language) if language else url

    def form_valid(self, form):
        user = self.logging_in = form.get_user()
        if twofactor.has_two_factor(user):
            twofactor.start_pending_login(self.request, user, next_url=self.get_success_url())
            return redirect("login_code")
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["oidc_enabled"] = oidc_enabled()
        if context["oidc_enabled"]:
            context["oidc_name"] = oidc_provider_name()
            context["oidc_failed"] = self.request.GET.get("oidc") == "mislukt"
        return context


@require_http_methods(["POST"])
def set_language(request):
    """Django's language switch; for a logged-in user the choice is also the language of their mail."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES) and request.user.language != language:
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request):
    """The second login step: a code from the authenticator app or a backup code."""
    pending = None
    if request.user.is_authenticated:
        user = request.user
        if twofactor.session_is_verified(request) or not twofactor.has_two_factor(user):
            return redirect(settings.LOGIN_REDIRECT_URL)
        next_url = resolve_url(settings.LOGIN_REDIRECT_URL)
    else:
        pending = twofactor.pending_login(request)
        user = pending and User.objects.filter(pk=pending["user"], is_active=True).first()
        if not user:
            request.session.pop(twofactor.PENDING, None)
            messages.info(request, _("Log in with your e-mail address and password first."))
            return redirect("login")
        next_url = pending["next"]
    credentials = {"username": user.email}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return get_lockout_response(request, credentials=credentials)
    form = TwoFactorCodeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        device = twofactor.verify_code(user, form.cleaned_data["code"])
        if device is None:
            twofactor.report_failed_code(request, user, where="login")
            form.add_error("code", _("This code is not correct or has expired. Try the code the app shows now."))
        else:
            if pending is not None:
                del request.session[twofactor.PENDING]
                user.otp_device = device  # django-otp marks the new session as verified at login
                login(request, user, backend=pending["backend"])  # rotates the session key
            else:
                request.session.cycle_key()
                otp_login(request, device)
            if isinstance(device, StaticDevice):
                messages.warning(
                    request,
                    _("You used a backup code; %(count)s are left.") % {"count": twofactor.backup_codes_left(user)},
                )
            return redirect(next_url)
    return render(
        request,
        "registration/login_code.html",
        {"form": form, "pending": pending is not None},
        status=400 if form.errors else 200,
    )


@login_required
@never_cache
@require_http_methods(["GET"])
def account_overview(request):
    return _render_overview(request, TwoFactorDisableForm())


def _render_overview(request, disable_form, *, status: int = 200):
    user = request.user
    return render(
        request,
        "organisations/account.html",
        {
            "has_two_factor": twofactor.has_two_factor(user),
            "required": twofactor.two_factor_required_for(user),
            "through_oidc": twofactor.logged_in_through_oidc(request),
            "backup_codes_left": twofactor.backup_codes_left(user),
            "new_backup_codes": request.session.pop(twofactor.BACKUP_CODES_SHOWN, None),
            "disable_form": disable_form,
            "identities": user.external_identities.all(),
            "language_choices": settings.LANGUAGES,
        },
        status=status,
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def totp_enrol(request):
    """Show a QR code and the secret as text; a correct code from the app switches 2FA on."""
    user = request.user
    if twofactor.has_two_factor(user):
        messages.info(request, _("Two-factor authentication is already on."))
        return redirect("account:overview")
    device = twofactor.unconfirmed_totp_device(user)
    form = TotpConfirmForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        if twofactor.totp_device_confirm(device=device, token=form.cleaned_data["code"]):
            otp_login(request, device)
            request.session[twofactor.BACKUP_CODES_SHOWN] = twofactor.backup_codes_generate(user=user)
            messages.success(request, _("Two-factor authentication is on. Keep your backup codes somewhere safe."))
            return redirect("account:overview")
        twofactor.report_failed_code(request, user, where="enrolment")
        form.add_error("code", _("This code is not correct. Check the time on your phone and enter the current code."))
    return render(
        request,
        "organisations/totp_enrol.html",
        {
            "form": form,
            "qr_code": twofactor.qr_code_svg(device, title=_("QR code for your authenticator app")),
            "secret": twofactor.secret_for_display(device),
            "required": twofactor.two_factor_required_for(user),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def backup_codes(request):
    if not twofactor.has_two_factor(request.user):
        messages.error(request, _("Switch on two-factor authentication first."))
        return redirect("account:overview")
    request.session[twofactor.BACKUP_CODES_SHOWN] = twofactor.backup_codes_generate(user=request.user)
    messages.success(request, _("New backup codes made; the old ones no longer work."))
    return redirect("account:overview")


@login_required
@require_http_methods(["POST"])
def totp_disable(request):
    user = request.user
    if not twofactor.has_two_factor(user):
        messages.info(request, _("Two-factor authentication is already off."))
        return redirect("account:overview")
    form = TwoFactorDisableForm(request.POST)
    if form.is_valid():
        if twofactor.verify_code(user, form.cleaned_data["code"]) is not None:
            twofactor.two_factor_disable(user=user)
            messages.success(request, _("Two-factor authentication is off."))
            return redirect("account:overview")
        twofactor.report_failed_code(request, user, where="disable")
        form.add_error("code", _("This code is not correct. Two-factor authentication is still on."))
    return _render_overview(request, form, status=400)

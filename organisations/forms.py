from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordMixin
from django.utils.translation import gettext_lazy as _

from fii.lib.conflicts import VersionedForm

from .models import AuditEvent, Role, User


class LoginForm(AuthenticationForm):
    """Django's login form with our own wrong-password message: Django's Dutch one, filled with our username
    field's name, reads "Voer een juiste e-mailadres en wachtwoord in" (het e-mailadres takes "juist")."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter a correct e-mail address and password. Note that both fields may be case-sensitive."
        ),
    }


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        error_messages={"invalid": _("Enter a valid e-mail address, such as naam@gemeente.nl.")},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.LEZER)


class FirstBeheerderInvitationForm(forms.Form):
    email = InvitationForm.base_fields["email"]


class InvitationAcceptForm(SetPasswordMixin, forms.Form):
    """A new account from an invitation: name and password (Django's password validators)."""

    full_name = forms.CharField(
        label=_("Your full name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    password1, password2 = SetPasswordMixin.create_password_fields(label1=_("Password"), label2=_("Password again"))

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        self.validate_passwords()
        self.validate_password_for_user(User(email=self.email, full_name=cleaned.get("full_name", "")))
        return cleaned


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class RetentionForm(VersionedForm, forms.ModelForm):
    class Meta:
        from .models import Organisation

        model = Organisation
        fields = ["retention_months"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["retention_months"]
        field.min_value = 1
        field.max_value = 600
        field.widget.attrs.update({"min": 1, "max": 600})
        field.error_messages["invalid"] = _("Enter a whole number of months.")

    def clean_retention_months(self):
        months = self.cleaned_data["retention_months"]
        if months is not None and not 1 <= months <= 600:
            raise forms.ValidationError(_("Enter a period between 1 and 600 months, or leave it empty."))
        return months


class FidelityThresholdForm(VersionedForm, forms.ModelForm):
    class Meta:
        from .models import Organisation

        model = Organisation
        fields = ["fidelity_threshold"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["fidelity_threshold"]
        field.widget.attrs.update({"min": 1, "max": 100})
        field.error_messages["invalid"] = _("Enter a whole percentage.")
        field.error_messages["required"] = _("Enter a percentage between 1 and 100.")

    def clean_fidelity_threshold(self):
        value = self.cleaned_data["fidelity_threshold"]
        if not 1 <= value <= 100:
            raise forms.ValidationError(_("Enter a percentage between 1 and 100."))
        return value


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.email


class AuditFilterForm(forms.Form):
    """Filters of the audit log; an invalid filter is reported and left out, the others still apply."""

    van = forms.DateField(label=_("From"), required=False, widget=DateInput())
    tot = forms.DateField(label=_("Until"), required=False, widget=DateInput())
    action = forms.ChoiceField(label=_("Action"), required=False)
    user = MemberChoiceField(label=_("User"), queryset=User.objects.none(), required=False, empty_label=_("All users"))
    object_type = forms.ChoiceField(label=_("Object type"), required=False)

    def __init__(self, *args, organisation, **kwargs):
        from .audit import object_type_names

        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("All actions")), *AuditEvent.Action.choices]
        self.fields["user"].queryset = User.objects.filter(memberships__organisation=organisation).order_by("email")
        types = sorted(object_type_names().items(), key=lambda item: str(item[1]).lower())
        self.fields["object_type"].choices = [("", _("All object types"))] + [
            (label, str(name).capitalize()) for label, name in types
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("van"), cleaned.get("tot")
        if start and end and end < start:
            self.add_error("tot", _("The end of the period lies before its start."))
        return cleaned

    def filters(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class TotpConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=6,
        min_length=6,
        help_text=_("Enter the 6-digit code the app shows now."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "pattern": "[0-9]*"}),
    )


class TwoFactorDisableForm(forms.Form):
    code = forms.CharField(
        label=_("Current code"),
        max_length=32,
        help_text=_("A code from your authenticator app or a backup code, to confirm it is you."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

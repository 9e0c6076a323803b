from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Role


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.LEZER)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


class RetentionForm(forms.ModelForm):
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

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .areas import EXPORTS_SCOPE, api_scopes
from .forms_rendering import Fieldsets
from .models import (
    INTERFACE_LANGUAGES,
    Attendance,
    Delegation,
    DelegationDocument,
    Language,
    Membership,
    Organisation,
    User,
    WebhookEvent,
)


def add_service_errors(form, error: ValidationError, field: str | None = None) -> None:
    """Put a service's refusal on ``form``: an error that names a field goes on it when the form
    has it (on the form as a whole otherwise), one that names none on ``field`` (the form as a
    whole when ``None``). The one way views show a service's ``ValidationError`` on a form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(field, error.error_list)


def service_error_messages(request, error: ValidationError) -> None:
    """Show a service's refusal as error messages, on a page that has no form for it."""
    for message in error.messages:
        messages.error(request, message)


class SignupForm(Fieldsets, forms.Form):
    """Extra sign-up fields: a name, what the person comes as, and their language."""

    fieldsets = (
        (_("Your account"), ("email", "password1", "password2")),
        (_("About you"), ("name", "came_as", "preferred_language")),
    )

    name = forms.CharField(label=_("Name"), max_length=150)
    came_as = forms.ChoiceField(
        label=_("I come to the conference as"),
        choices=User.CameAs.choices,
        widget=forms.RadioSelect,
        initial=User.CameAs.VISITOR,
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), choices=INTERFACE_LANGUAGES
    )

    field_order = ["email", "name", "came_as", "preferred_language", "password1", "password2"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].initial = (
            Language.CHINESE if (get_language() or "").startswith("zh") else Language.ENGLISH
        )

    def signup(self, request, user):
        user.name = self.cleaned_data["name"]
        user.came_as = self.cleaned_data["came_as"]
        user.preferred_language = self.cleaned_data["preferred_language"]
        user.save(update_fields=["name", "came_as", "preferred_language"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "preferred_language", "came_as"]


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name_en",
            "name_zh",
            "type",
            "country",
            "city",
            "website",
            "fields",
            "description_en",
            "description_zh",
            "logo",
        ]
        widgets = {"fields": forms.CheckboxSelectMultiple}

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("name_en") or "").strip():
            self.add_error("name_en", _("Give the organisation's name in English."))
        return cleaned


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    role = forms.ChoiceField(
        label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.STAFF
    )


class DelegationInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the representative"))


class DelegationPoliciesForm(forms.ModelForm):
    class Meta:
        model = Delegation
        fields = ["policies_en", "policies_zh"]
        widgets = {
            "policies_en": forms.Textarea(attrs={"rows": 8}),
            "policies_zh": forms.Textarea(attrs={"rows": 8}),
        }


class DelegationDocumentForm(forms.ModelForm):
    class Meta:
        model = DelegationDocument
        fields = ["title_en", "title_zh", "file"]


class AttendanceForm(forms.Form):
    role = forms.ChoiceField(
        label=_("I attend as"),
        choices=[
            (value, label)
            for value, label in Attendance.Role.choices
            if value not in (Attendance.Role.MEDIA, Attendance.Role.GUEST)
        ],
        widget=forms.RadioSelect,
        initial=Attendance.Role.VISITOR,
    )
    country = CountryField(blank=False).formfield(label=_("Country or region"))
    delegation = forms.ModelChoiceField(
        label=_("Delegation (representatives)"), queryset=Delegation.objects.none(), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation (exhibitor staff)"),
        queryset=Organisation.objects.none(),
        required=False,
    )

    def __init__(self, *args, edition, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delegation"].queryset = Delegation.objects.for_edition(edition).of_member(user)
        self.fields["organisation"].queryset = Organisation.objects.of_member(user)


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )


class CompareForm(forms.Form):
    """Editions to compare, any number of them (``?e=17&e=18&e=20``); the older two-edition
    address (``?a=17&b=20``) still works."""

    e = forms.TypedMultipleChoiceField(
        label=_("Editions to compare"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least two editions to compare.")},
    )

    def __init__(self, data=None, *args, editions, **kwargs):
        if data is not None and "e" not in data and ("a" in data or "b" in data):
            data = data.copy()
            data.setlist("e", [value for value in (data.get("a"), data.get("b")) if value])
        super().__init__(data, *args, **kwargs)
        self.editions = {edition.number: edition for edition in editions}
        self.fields["e"].choices = [(edition.number, edition.title) for edition in editions]

    def clean_e(self):
        numbers = sorted(set(self.cleaned_data["e"]))
        if len(numbers) < 2:
            raise ValidationError(_("Choose at least two editions to compare."))
        return [self.editions[number] for number in numbers]


class AccessTokenForm(forms.Form):
    EXPIRY_CHOICES = [
        ("30", _("In 30 days")),
        ("90", _("In 90 days")),
        ("365", _("In a year")),
        ("", _("Never")),
    ]

    name = forms.CharField(
        label=_("Name of the token"),
        max_length=100,
        help_text=_("What it is for, e.g. “Our CRM”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("It may"), choices=api_scopes, widget=forms.CheckboxSelectMultiple
    )
    expires_in = forms.ChoiceField(
        label=_("Expires"), choices=EXPIRY_CHOICES, required=False, initial="90"
    )

    def __init__(self, *args, offer_exports: bool = False, **kwargs):
        # The exports' scope is the organisers' (``token_create`` refuses it to anyone else):
        # it is offered only to staff, who are organisers once they show their second factor.
        super().__init__(*args, **kwargs)
        if not offer_exports:
            self.fields["scopes"].choices = [
                choice for choice in api_scopes() if choice[0] != EXPORTS_SCOPE
            ]


class WebhookForm(forms.Form):
    url = forms.URLField(
        label=_("Address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("An HTTPS address of your own system, which receives a POST per event."),
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )


class AccountDeleteForm(forms.Form):
    """The person confirms the deletion of their account with their password, and with a code
    of their authenticator app (or a recovery code) when they have one."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        required=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def __init__(self, *args, user, **kwargs):
        from allauth.mfa.models import Authenticator

        super().__init__(*args, **kwargs)
        self.user = user
        self.authenticators = list(
            Authenticator.objects.filter(
                user=user,
                type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES],
            )
        )
        if not self.authenticators:
            del self.fields["code"]

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password."))
        return password

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not any(
            authenticator.wrap().validate_code(code) for authenticator in self.authenticators
        ):
            raise forms.ValidationError(_("This code is not valid."))
        return code


class ImportUploadForm(forms.Form):
    """The spreadsheet of a bulk import (``ciep.import_pages``); read by ``ciep.imports``."""

    file = forms.FileField(
        label=_("Spreadsheet (CSV or Excel .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import Delegation, DelegationDocument, Language, Membership, Organisation, User


class SignupForm(forms.Form):
    """Extra sign-up fields: a name, what the person comes as, and their language."""

    name = forms.CharField(label=_("Name"), max_length=150)
    came_as = forms.ChoiceField(
        label=_("I come to the conference as"),
        choices=User.CameAs.choices,
        widget=forms.RadioSelect,
        initial=User.CameAs.VISITOR,
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=Language.choices)

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

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ciep.forms_rendering import Fieldsets
from ciep.models import Delegation, Field, Organisation, User
from ciep.uploads import PdfFormField

from .models import AmountBand, CooperationType, Milestone, Project


def party_choices(user, edition, *, heads_only: bool = False) -> list[tuple[str, str]]:
    """The sides ``user`` may act for: "organisation:<pk>" and "delegation:<pk>" values."""
    choices = [
        (f"organisation:{organisation.pk}", str(organisation))
        for organisation in Organisation.objects.of_member(user).order_by("name_en")
    ]
    delegations = Delegation.objects.filter(edition=edition)
    delegations = (
        delegations.headed_by(user) if heads_only else delegations.of_member(user)
    ).order_by("name_en")
    choices += [
        (f"delegation:{delegation.pk}", _("%(name)s (delegation)") % {"name": delegation})
        for delegation in delegations
    ]
    return choices


def resolve_party(value: str) -> dict:
    """Turn "organisation:5" into {"organisation": <Organisation 5>} (already scoped by the
    form's choices)."""
    kind, _sep, pk = value.partition(":")
    if kind == "organisation":
        return {"organisation": Organisation.objects.get(pk=pk)}
    if kind == "delegation":
        return {"delegation": Delegation.objects.get(pk=pk)}
    return {}


class ProjectForm(Fieldsets, forms.ModelForm):
    fieldsets = (
        (
            _("The project"),
            ("owner", "kind", "title_en", "title_zh", "stage", "fields", "cooperation_types"),
        ),
        (_("What it is and offers"), ("summary_en", "summary_zh", "offers_en", "offers_zh")),
        (_("Partners sought"), ("country_sought", "region_sought", "amount_band")),
        (
            _("Team and contact"),
            ("owner_country", "team_name", "contact_name", "contact_email", "contact_phone"),
        ),
        (_("Attachment"), ("attachment", "attachment_title")),
    )

    owner = forms.ChoiceField(label=_("Published by"))
    cooperation_types = forms.MultipleChoiceField(
        label=_("Cooperation types sought"),
        choices=CooperationType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    attachment = PdfFormField(label=_("Add an attachment (PDF)"), required=False)
    attachment_title = forms.CharField(
        label=_("Title of the attachment"), max_length=200, required=False
    )

    class Meta:
        model = Project
        fields = [
            "kind",
            "title_en",
            "title_zh",
            "summary_en",
            "summary_zh",
            "offers_en",
            "offers_zh",
            "fields",
            "stage",
            "country_sought",
            "region_sought",
            "amount_band",
            "owner_country",
            "team_name",
            "contact_name",
            "contact_email",
            "contact_phone",
        ]
        widgets = {
            "fields": forms.CheckboxSelectMultiple,
            "summary_en": forms.Textarea(attrs={"rows": 4}),
            "summary_zh": forms.Textarea(attrs={"rows": 4}),
            "offers_en": forms.Textarea(attrs={"rows": 2}),
            "offers_zh": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {"owner_country": _("For experts: your country or region.")}

    field_order = ["owner", "kind", "title_en", "title_zh", "summary_en", "summary_zh"]

    def __init__(self, *args, user: User, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fields"].required = True
        if self.instance.pk:
            del self.fields["owner"]
            self.fields["cooperation_types"].initial = list(
                self.instance.cooperation_types.values_list("type", flat=True)
            )
        else:
            self.fields["owner"].choices = [
                *party_choices(user, edition, heads_only=True),
                ("expert", _("Myself, as an expert")),
            ]

    def clean(self):
        cleaned = super().clean()
        if (
            not (cleaned.get("title_en") or "").strip()
            and not (cleaned.get("title_zh") or "").strip()
        ):
            self.add_error("title_en", _("Give the project a title in English or Chinese."))
        if (
            not (cleaned.get("summary_en") or "").strip()
            and not (cleaned.get("summary_zh") or "").strip()
        ):
            self.add_error("summary_en", _("Describe the project in English or Chinese."))
        if (
            (cleaned.get("owner") or "").startswith("delegation:")
            or (self.instance.pk and self.instance.delegation_id)
        ) and cleaned.get("kind") != Project.Kind.REQUEST:
            self.add_error("kind", _("A delegation publishes its demands as requests."))
        return cleaned

    def owner_kwargs(self, user) -> dict:
        value = self.cleaned_data["owner"]
        return {"expert": user} if value == "expert" else resolve_party(value)

    def attributes(self) -> dict:
        data = {
            name: self.cleaned_data[name]
            for name in self._meta.fields
            if name not in ("fields", "owner_country")
        }
        return data


class IntentionForm(forms.Form):
    party = forms.ChoiceField(label=_("On behalf of"))
    counterpart_organisation = forms.ModelChoiceField(
        label=_("Counterpart organisation"),
        queryset=Organisation.objects.verified(),
        required=False,
    )
    counterpart_expert_email = forms.EmailField(
        label=_("Or the counterpart expert's email address"),
        required=False,
        help_text=_("The expert must have an account on the portal."),
    )
    counterpart_team = forms.CharField(
        label=_("Named expert or team"), max_length=200, required=False
    )
    fields = forms.ModelMultipleChoiceField(
        label=_("Fields"),
        queryset=Field.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    cooperation_type = forms.ChoiceField(
        label=_("Cooperation type"), choices=CooperationType.choices
    )
    description_en = forms.CharField(
        label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description_zh = forms.CharField(
        label=_("Description (Chinese)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    amount_band = forms.ChoiceField(
        label=_("Amount"), choices=[("", "—"), *AmountBand.choices], required=False
    )

    def __init__(self, *args, user: User, edition, project: Project | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.project = project
        self.fields["party"].choices = party_choices(user, edition)
        if project is not None:
            for name in (
                "counterpart_organisation",
                "counterpart_expert_email",
                "counterpart_team",
            ):
                del self.fields[name]
            self.fields["fields"].initial = list(project.fields.all())
            first_type = project.cooperation_types.first()
            if first_type:
                self.fields["cooperation_type"].initial = first_type.type

    def clean_counterpart_expert_email(self):
        email = self.cleaned_data.get("counterpart_expert_email")
        if not email:
            return None
        expert = User.objects.filter(email__iexact=email, is_active=True).first()
        if expert is None:
            raise forms.ValidationError(_("Nobody with this email address has an account."))
        return expert

    def clean(self):
        cleaned = super().clean()
        if (
            self.project is None
            and not (
                cleaned.get("counterpart_organisation") or cleaned.get("counterpart_expert_email")
            )
            and "counterpart_expert_email" not in self.errors
        ):
            self.add_error(
                "counterpart_organisation",
                _("Choose the counterpart: an organisation or an expert."),
            )
        if (
            not (cleaned.get("description_en") or "").strip()
            and not (cleaned.get("description_zh") or "").strip()
        ):
            self.add_error(
                "description_en", _("Describe the intended cooperation in English or Chinese.")
            )
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            **resolve_party(data["party"]),
            "fields": data["fields"],
            "cooperation_type": data["cooperation_type"],
            "description_en": data["description_en"],
            "description_zh": data["description_zh"],
            "amount_band": data["amount_band"],
        }
        if self.project is not None:
            kwargs["project"] = self.project
        elif data.get("counterpart_organisation"):
            kwargs["counterpart_organisation"] = data["counterpart_organisation"]
            kwargs["counterpart_team"] = data.get("counterpart_team", "")
        else:
            kwargs["counterpart_expert"] = data["counterpart_expert_email"]
            kwargs["counterpart_team"] = data.get("counterpart_team", "")
        return kwargs


class QuickIntentionForm(forms.Form):
    """Submit an intention straight from a recommendation."""

    project = forms.IntegerField(widget=forms.HiddenInput)
    party = forms.CharField(widget=forms.HiddenInput)
    cooperation_type = forms.ChoiceField(
        label=_("Cooperation type"), choices=CooperationType.choices
    )


class SignForm(forms.Form):
    signed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    place_en = forms.CharField(
        label=_("Place of signing (English)"), max_length=200, required=False
    )
    place_zh = forms.CharField(
        label=_("Place of signing (Chinese)"), max_length=200, required=False
    )
    document = PdfFormField(label=_("Signed agreement (PDF)"), required=False)

    def clean_signed_on(self):
        signed_on = self.cleaned_data["signed_on"]
        if signed_on > timezone.localdate():
            raise forms.ValidationError(_("The date of signing cannot be in the future."))
        return signed_on

    def clean(self):
        cleaned = super().clean()
        if (
            not (cleaned.get("place_en") or "").strip()
            and not (cleaned.get("place_zh") or "").strip()
        ):
            self.add_error("place_en", _("Say where the agreement was signed."))
        return cleaned


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Reason (optional)"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ProgressReportForm(forms.Form):
    milestone = forms.TypedChoiceField(
        label=_("Milestone"),
        choices=[("", "—"), *Milestone.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 4}))


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason for hiding"), widget=forms.Textarea(attrs={"rows": 2}))


class CompetitionEntryForm(forms.Form):
    competition = forms.ModelChoiceField(label=_("Competition"), queryset=None)

    def __init__(self, *args, project: Project, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Competition

        self.fields["competition"].queryset = Competition.objects.filter(
            edition=project.edition, entries_open=True
        ).exclude(entries__project=project)

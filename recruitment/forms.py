from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ciep.forms_rendering import Fieldsets
from ciep.models import Language
from ciep.uploads import PdfFormField, check_pdf

from .models import (
    Application,
    JobPosting,
    LanguageLevel,
    TalentDemand,
    TalentProfile,
)

CV_MAX_BYTES = 5 * 1024 * 1024

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class JobPostingForm(Fieldsets, forms.ModelForm):
    fieldsets = (
        (_("The job"), ("title_en", "title_zh", "field", "type", "openings", "deadline")),
        (_("What the work is"), ("description_en", "description_zh")),
        (pgettext_lazy("where a job is", "Where"), ("city", "province", "remote")),
        (
            _("Pay and requirements"),
            (
                "salary_min",
                "salary_max",
                "salary_period",
                "experience_years",
                "degree",
                "languages",
            ),
        ),
        (
            _("Work permit and relocation"),
            ("work_permit", "r_visa_support", "relocation_help", "housing_help"),
        ),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages required"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = JobPosting
        fields = [
            "title_en",
            "title_zh",
            "field",
            "type",
            "description_en",
            "description_zh",
            "city",
            "province",
            "remote",
            "salary_min",
            "salary_max",
            "salary_period",
            "experience_years",
            "degree",
            "openings",
            "deadline",
            "work_permit",
            "r_visa_support",
            "relocation_help",
            "housing_help",
        ]
        widgets = {"deadline": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["languages"].initial = list(
                self.instance.languages.values_list("language", flat=True)
            )

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("salary_min"), cleaned.get("salary_max")
        if low is not None and high is not None and high < low:
            self.add_error("salary_max", _("The top of the salary range is below its bottom."))
        deadline = cleaned.get("deadline")
        if deadline and deadline < timezone.localdate():
            self.add_error("deadline", _("The deadline is in the past."))
        if not (cleaned.get("title_en") or "").strip():
            self.add_error("title_en", _("Give the title in English."))
        return cleaned

    def service_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class DeadlineForm(forms.Form):
    deadline = forms.DateField(label=_("New deadline"), widget=DATE_INPUT)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline < timezone.localdate():
            raise forms.ValidationError(_("The deadline is in the past."))
        return deadline


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this posting?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class CvField(PdfFormField):
    """A CV: a real PDF under a tighter size cap than other documents."""

    def to_python(self, data):
        data = forms.FileField.to_python(self, data)
        if data is not None:
            check_pdf(data, max_bytes=CV_MAX_BYTES)
        return data


class TalentProfileForm(Fieldsets, forms.ModelForm):
    fieldsets = (
        (_("About you"), ("headline", "photo", "summary_en", "summary_zh")),
        (_("Where you are"), ("nationality", "residence", "province")),
        (
            _("Education and experience"),
            ("degree", "institution", "experience_years", "fields", "publications"),
        ),
        (_("CV and who sees your profile"), ("cv", "visibility")),
    )

    class Meta:
        model = TalentProfile
        fields = [
            "headline",
            "summary_en",
            "summary_zh",
            "nationality",
            "residence",
            "province",
            "fields",
            "degree",
            "institution",
            "experience_years",
            "publications",
            "cv",
            "photo",
            "visibility",
        ]
        field_classes = {"cv": CvField}
        widgets = {
            "fields": forms.CheckboxSelectMultiple,
            "visibility": forms.RadioSelect,
            "summary_en": forms.Textarea(attrs={"rows": 4}),
            "summary_zh": forms.Textarea(attrs={"rows": 4}),
            "publications": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "cv": _("A PDF document of at most 5 MB."),
        }


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", "---------"), *Language.choices], required=False
    )
    level = forms.ChoiceField(
        label=_("Level"), choices=LanguageLevel.choices, initial=LanguageLevel.WORKING
    )


class BaseLanguageFormSet(forms.BaseFormSet):
    def clean(self):
        seen = set()
        for form in self.forms:
            code = form.cleaned_data.get("language") if hasattr(form, "cleaned_data") else None
            if code and code in seen:
                raise forms.ValidationError(_("Each language once, please."))
            seen.add(code)

    def languages(self) -> list[tuple[str, str]]:
        return [
            (form.cleaned_data["language"], form.cleaned_data["level"])
            for form in self.forms
            if form.cleaned_data.get("language")
        ]


LanguageFormSet = forms.formset_factory(
    LanguageForm, formset=BaseLanguageFormSet, extra=0, min_num=4, max_num=8
)


class ApplicationForm(forms.Form):
    cover_letter = forms.CharField(
        label=_("Cover letter"), widget=forms.Textarea(attrs={"rows": 8}), max_length=10000
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Private note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )


class ApplicantFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        choices=[("", _("Any state")), *Application.State.choices],
        required=False,
    )
    q = forms.CharField(label=_("Name or email"), required=False)


class MoveForm(forms.Form):
    to = forms.ChoiceField(label=_("Move to"), choices=[])
    applications = forms.ModelMultipleChoiceField(
        label=_("Applications"), queryset=Application.objects.none()
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        from .services import EMPLOYER_STATES

        self.fields["to"].choices = [(state.value, state.label) for state in EMPLOYER_STATES]
        self.fields["applications"].queryset = queryset


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Name of the search"), max_length=100)
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=1000)


class TalentDemandForm(Fieldsets, forms.ModelForm):
    fieldsets = (
        (_("The talents wanted"), ("title_en", "title_zh", "field", "level", "number")),
        (
            _("What they will do and what you offer"),
            ("description_en", "description_zh", "offer_en", "offer_zh"),
        ),
    )

    class Meta:
        model = TalentDemand
        fields = [
            "title_en",
            "title_zh",
            "field",
            "level",
            "number",
            "description_en",
            "description_zh",
            "offer_en",
            "offer_zh",
        ]

    def clean_number(self):
        number = self.cleaned_data["number"]
        if number < 1:
            raise forms.ValidationError(_("At least one talent."))
        return number


class DemandAnswerForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the delegation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )

from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ciep.forms_rendering import Fieldsets
from ciep.models import Field, Language, Organisation
from ciep.time_zones import zone_choices

from .models import (
    Booth,
    Brochure,
    Exhibitor,
    GalleryImage,
    Hall,
    Meeting,
    Product,
    Slot,
    language_codes,
)

CHINA = timezone.get_default_timezone()


class ApplicationForm(Fieldsets, forms.Form):
    """An organisation's application: a hall and the booth wanted, or a booth picked."""

    fieldsets = (
        (_("Who exhibits"), ("organisation", "fields")),
        (_("The booth"), ("hall", "booth_kind", "size_m2", "booth")),
        (_("Your profile in the catalogue"), ("description_en", "description_zh")),
    )

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    hall = forms.ModelChoiceField(
        label=_("Hall wanted"), queryset=Hall.objects.none(), required=False
    )
    booth_kind = forms.ChoiceField(
        label=_("Booth kind"),
        choices=[c for c in Booth.Kind.choices if c[0] != Booth.Kind.PAVILION],
    )
    size_m2 = forms.IntegerField(
        label=_("Size wanted (m²)"), min_value=1, max_value=5000, initial=9
    )
    booth = forms.ModelChoiceField(
        label=_("A specific booth (optional)"),
        queryset=Booth.objects.none(),
        required=False,
        help_text=_("Pick an available booth from the floor plan, or leave it to the organisers."),
    )
    fields = forms.ModelMultipleChoiceField(
        label=_("Fields"),
        queryset=Field.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description_en = forms.CharField(
        label=_("Profile (English)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    description_zh = forms.CharField(
        label=_("Profile (Chinese)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, organisations, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["hall"].queryset = Hall.objects.filter(edition=edition)
        # Any booth of the edition is accepted here, so that a booth taken since the page was
        # shown gets the service's clear message; only available ones are offered.
        booths = Booth.objects.for_edition(edition).exclude(kind=Booth.Kind.PAVILION)
        self.fields["booth"].queryset = booths
        self.fields["booth"].choices = [("", "---------")] + [
            (
                booth.pk,
                _("%(code)s, hall %(hall)s, %(size)d m²")
                % {"code": booth.code, "hall": booth.hall.code, "size": booth.size_m2},
            )
            for booth in booths.available().select_related("hall")
        ]

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("description_en") or cleaned.get("description_zh") or "").strip():
            self.add_error(
                "description_en", _("Describe the organisation in at least one language.")
            )
        return cleaned


class PavilionApplicationForm(forms.Form):
    hall = forms.ModelChoiceField(
        label=_("Hall wanted"), queryset=Hall.objects.none(), required=False
    )
    size_m2 = forms.IntegerField(
        label=_("Size wanted (m²)"), min_value=9, max_value=5000, initial=200
    )
    description_en = forms.CharField(
        label=_("Profile (English)"), widget=forms.Textarea(attrs={"rows": 4})
    )
    description_zh = forms.CharField(
        label=_("Profile (Chinese)"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hall"].queryset = Hall.objects.filter(edition=edition)


class PlaceInPavilionForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Member organisation"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, delegation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = delegation.organisations.all()


class ExhibitorForm(forms.ModelForm):
    class Meta:
        model = Exhibitor
        fields = [
            "description_en",
            "description_zh",
            "logo",
            "banner",
            "video_url",
            "contact_name",
            "contact_email",
            "contact_phone",
            "fields",
        ]
        widgets = {"fields": forms.CheckboxSelectMultiple}

    languages = forms.MultipleChoiceField(
        label=_("Languages your staff speak at negotiations"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["languages"] = language_codes(self.instance.languages)

    def clean_languages(self):
        """The codes as the exhibitor stores them, comma-separated ("zh,de")."""
        return ",".join(self.cleaned_data["languages"])


class GalleryImageForm(forms.ModelForm):
    class Meta:
        model = GalleryImage
        fields = ["image", "caption_en", "caption_zh"]


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = ["name_en", "name_zh", "summary_en", "summary_zh", "image"]
        widgets = {
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "summary_zh": forms.Textarea(attrs={"rows": 3}),
        }


class BrochureForm(forms.ModelForm):
    class Meta:
        model = Brochure
        fields = ["title_en", "title_zh", "file"]


class SlotForm(forms.Form):
    """A negotiation slot, entered in China's time (the conference's time zone)."""

    starts_at = forms.DateTimeField(
        label=_("Starts at (China time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    duration_minutes = forms.TypedChoiceField(
        label=_("Length"),
        coerce=int,
        choices=[
            (15, _("15 minutes")),
            (30, _("30 minutes")),
            (45, _("45 minutes")),
            (60, _("1 hour")),
        ],
        initial=30,
    )
    mode = forms.ChoiceField(label=_("Where"), choices=Slot.Mode.choices)
    meeting_link = forms.URLField(label=_("Meeting link (online slots)"), required=False)

    def clean_starts_at(self):
        value: datetime = self.cleaned_data["starts_at"]
        # The form shows China's time whatever the visitor's zone, so read it as such.
        return timezone.make_aware(value.replace(tzinfo=None), CHINA)


class MeetingRequestForm(Fieldsets, forms.Form):
    fieldsets = (
        (_("Languages of the meeting"), ("languages", "interpreter_requested")),
        (_("Your message"), ("message",)),
    )

    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    interpreter_requested = forms.BooleanField(
        label=_("I would like an interpreter"),
        required=False,
        help_text=_("The organisers assign one from their pool of interpreters."),
    )
    message = forms.CharField(
        label=_("Message to the exhibitor"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the requester"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class SlotMoveForm(forms.Form):
    """A new start for a slot and the meeting it holds, in China's time."""

    starts_at = forms.DateTimeField(
        label=_("New start (China time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def clean_starts_at(self):
        value: datetime = self.cleaned_data["starts_at"]
        return timezone.make_aware(value.replace(tzinfo=None), CHINA)


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did the meeting go?"),
        choices=Meeting.Outcome.choices,
        widget=forms.RadioSelect,
    )


class ProposeForm(NoteForm):
    slot = forms.ModelChoiceField(label=_("Another of your slots"), queryset=Slot.objects.none())

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots


class TimeZoneForm(forms.Form):
    ZONES = [
        "Asia/Shanghai",
        "Asia/Hong_Kong",
        "Asia/Tokyo",
        "Asia/Seoul",
        "Asia/Singapore",
        "Asia/Kolkata",
        "Asia/Dubai",
        "Asia/Jerusalem",
        "Europe/Moscow",
        "Europe/Kyiv",
        "Europe/Helsinki",
        "Europe/Berlin",
        "Europe/Paris",
        "Europe/Rome",
        "Europe/London",
        "America/New_York",
        "America/Chicago",
        "America/Los_Angeles",
        "America/Sao_Paulo",
        "Australia/Sydney",
        "Pacific/Auckland",
        "Africa/Johannesburg",
        "UTC",
    ]
    tz = forms.ChoiceField(label=_("Your time zone"), choices=[(zone, zone) for zone in ZONES])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Named in the reader's language (ciep.time_zones), not by their IANA names.
        self.fields["tz"].choices = zone_choices(self.ZONES)

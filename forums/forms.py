import datetime
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ciep.models import User
from ciep.time_zones import zone_form_choices

from .models import SUB_VENUE_KINDS, Attendance, Speaker, SubVenueEvent, Venue


class RegistrationForm(forms.Form):
    attendance = forms.ChoiceField(
        label=_("I will attend"), choices=Attendance.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendance"].initial = session.default_attendance()
        if not session.offers_online:
            self.fields["attendance"].choices = [(Attendance.ON_SITE, Attendance.ON_SITE.label)]
        elif not session.offers_on_site:
            self.fields["attendance"].choices = [(Attendance.ONLINE, Attendance.ONLINE.label)]


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=40,
        help_text=_("Scan the QR code with the phone's camera, or type the code on the ticket."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class GroupRegistrationForm(forms.Form):
    members = forms.ModelMultipleChoiceField(
        label=_("Members to register"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, delegation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = User.objects.filter(
            delegation_memberships__delegation=delegation
        ).order_by("name")


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        coerce=int,
        choices=[(n, str(n)) for n in range(5, 0, -1)],
        widget=forms.RadioSelect,
        help_text=_("5 is best."),
    )
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SpeakerProfileForm(forms.ModelForm):
    class Meta:
        model = Speaker
        fields = [
            "name_en",
            "name_zh",
            "title_en",
            "title_zh",
            "affiliation_en",
            "affiliation_zh",
            "country",
            "photo",
            "biography_en",
            "biography_zh",
        ]


class SubVenueEventForm(forms.ModelForm):
    """A delegation head's proposal of an event at a sub-venue. The day and times are entered
    in the sub-venue's own time zone (the chosen venue's, or the one given for a new venue)."""

    date = forms.DateField(
        label=_("Date"),
        help_text=_("In the sub-venue's own time zone."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )

    event_fields = ("title_en", "title_zh", "section", "kind", "description_en", "description_zh")
    venue_fields = ("venue", "venue_name_en", "venue_name_zh", "city_en", "city_zh", "country")
    time_fields = ("time_zone", "date", "start_time", "end_time", "capacity", "language")

    class Meta:
        model = SubVenueEvent
        fields = [
            "title_en",
            "title_zh",
            "section",
            "kind",
            "description_en",
            "description_zh",
            "venue",
            "venue_name_en",
            "venue_name_zh",
            "city_en",
            "city_zh",
            "country",
            "time_zone",
            "capacity",
            "language",
        ]
        error_messages = {
            "title_en": {"required": _("Give the event's title in English.")},
            "title_zh": {"required": _("Give the event's title in Chinese.")},
            "time_zone": {
                "invalid_choice": _("“%(value)s” is no time zone; choose one from the list.")
            },
            "capacity": {"min_value": _("Offer at least one seat.")},
        }
        widgets = {
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "description_zh": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = edition.forum_sections.all()
        venue = self.fields["venue"]
        venue.queryset = edition.forum_venues.filter(kind__in=SUB_VENUE_KINDS)
        venue.empty_label = _("A new sub-venue (describe it below)")
        self.fields["time_zone"].help_text = _("For a new sub-venue; a chosen one keeps its own.")
        self.fields["time_zone"].choices = zone_form_choices(
            self.instance.time_zone or self.initial.get("time_zone", "")
        )
        self.fields["capacity"].help_text = _("Seats for registered people.")
        if self.instance.pk:
            local = timezone.localtime(
                self.instance.start, zoneinfo.ZoneInfo(self.instance.time_zone)
            )
            local_end = timezone.localtime(
                self.instance.end, zoneinfo.ZoneInfo(self.instance.time_zone)
            )
            self.initial.update(
                date=local.date(), start_time=local.time(), end_time=local_end.time()
            )

    def _grouped(self, names):
        return [self[name] for name in names]

    def event_group(self):
        return self._grouped(self.event_fields)

    def venue_group(self):
        return self._grouped(self.venue_fields)

    def time_group(self):
        return self._grouped(self.time_fields)

    def clean(self):
        cleaned = super().clean()
        venue: Venue | None = cleaned.get("venue")
        zone_name = venue.time_zone if venue else cleaned.get("time_zone")
        day, start, end = (cleaned.get(name) for name in ("date", "start_time", "end_time"))
        if zone_name and day and start and end:
            zone = zoneinfo.ZoneInfo(zone_name)
            if end <= start:
                self.add_error("end_time", _("The event must end after it starts."))
            else:
                self.instance.start = datetime.datetime.combine(day, start, tzinfo=zone)
                self.instance.end = datetime.datetime.combine(day, end, tzinfo=zone)
        return cleaned

    def service_data(self) -> dict:
        """What the proposal's services take: the model's fields and the aware times."""
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        data.update(start=self.instance.start, end=self.instance.end)
        return data

from django import forms
from django.utils.translation import gettext_lazy as _

from ciep.models import User

from .models import Attendance, Speaker


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

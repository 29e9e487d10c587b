from django import forms

from .models import Accreditation


class AccreditationForm(forms.ModelForm):
    class Meta:
        model = Accreditation
        fields = ["outlet", "country", "role", "press_card"]

"""Long forms drawn in groups: a fieldset with a heading each, short fields two by two."""

from django import forms

from ciep.forms_rendering import Fieldsets


class TripForm(Fieldsets, forms.Form):
    fieldsets = (("Who", ("name", "country")), ("Why", ("purpose",)))

    name = forms.CharField(label="Name")
    country = forms.CharField(label="Country", required=False)
    purpose = forms.CharField(label="Purpose", widget=forms.Textarea)
    newsletter = forms.BooleanField(label="Newsletter", required=False)
    token = forms.CharField(widget=forms.HiddenInput, required=False)


def test_field_groups_follow_the_fieldsets_then_the_fields_they_do_not_name():
    groups = [
        (heading, [(field.name, wide) for field, wide in fields])
        for heading, fields in TripForm().field_groups()
    ]
    assert groups == [
        ("Who", [("name", False), ("country", False)]),
        ("Why", [("purpose", True)]),
        ("", [("newsletter", False), ("token", False)]),
    ]


def test_form_with_fieldsets_renders_legends_labels_and_linked_errors():
    html = str(TripForm(data={"name": ""}))
    assert html.count('<fieldset class="form-section">') == 3
    assert '<legend class="form-section-heading">Who</legend>' in html
    assert '<label for="id_name">' in html
    assert (
        '<input type="text" name="name" aria-invalid="true" aria-describedby="id_name_errors" '
        'required id="id_name">'
    ) in html
    assert '<div class="field-errors" id="id_name_errors" role="alert">' in html
    assert 'class="form-column is-wide' in html
    assert html.count('name="token"') == 1

"""The organisers' bulk imports of the exhibition hall (``ciep.imports``), from the admin:
a hall's booths (one row a booth, saved by ``booth_create``) and an edition's exhibitors
(one row an organisation, its booth and fields, saved by ``exhibitor_create``)."""

from collections import Counter

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ciep.imports import (
    Column,
    ImportSchema,
    checked_by_form,
    choice_lookup,
    field_lookup,
)
from ciep.models import Field, Organisation
from ciep.permissions import is_organiser

from . import services
from .models import Booth, Exhibitor, Hall

BOOTH_FIELDS = ["code", "size_m2", "kind", "price_band", "x", "y", "width", "depth"]


class _BoothCells(forms.ModelForm):
    class Meta:
        model = Booth
        fields = BOOTH_FIELDS


class _ExhibitorCells(forms.ModelForm):
    class Meta:
        model = Exhibitor
        fields = ["fields", "description_en", "description_zh", "contact_name", "contact_email"]


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _duplicates(rows, key) -> dict:
    """{row number: {column key: [message]}} for the rows whose ``key`` value another row of
    the file has too."""
    counts = Counter(key(cleaned) for _number, cleaned in rows if key(cleaned) is not None)
    return {
        number: [_("Another row of the file has the same value.")]
        for number, cleaned in rows
        if key(cleaned) is not None and counts[key(cleaned)] > 1
    }


class BoothImport(ImportSchema):
    """A hall's booths: code, size, kind, price band, and position and size on the plan."""

    key = "exhibitions.booths"
    title = gettext_lazy("Import booths")
    file_stem = "booths"
    columns = (
        Column("code", gettext_lazy("Booth code"), True, "A-101", gettext_lazy("New in the hall.")),
        Column(
            "size_m2",
            gettext_lazy("Size (m²)"),
            False,
            "9",
            gettext_lazy("Width × depth when empty."),
        ),
        Column("kind", gettext_lazy("Kind"), False, choices=Booth.Kind.labels),
        Column("price_band", gettext_lazy("Price band"), False, choices=Booth.PriceBand.labels),
        Column("x", gettext_lazy("Position from the left (m)"), True, "0"),
        Column("y", gettext_lazy("Position from the top (m)"), True, "0"),
        Column(
            "width",
            gettext_lazy("Width on the plan (m)"),
            False,
            "3",
            gettext_lazy("3 when empty."),
        ),
        Column(
            "depth",
            gettext_lazy("Depth on the plan (m)"),
            False,
            "3",
            gettext_lazy("3 when empty."),
        ),
    )

    def may_import(self, user, scope) -> bool:
        return is_organiser(user)

    def context(self, scope) -> dict:
        return {
            "kind": choice_lookup(Booth.Kind.choices),
            "price_band": choice_lookup(Booth.PriceBand.choices),
        }

    def examples(self, scope) -> dict:
        return {
            **super().examples(scope),
            "kind": str(Booth.Kind.STANDARD.label),
            "price_band": str(Booth.PriceBand.B.label),
        }

    def clean_row(self, values: dict, *, scope: Hall, context: dict):
        values = {
            **values,
            "kind": values["kind"] or Booth.Kind.STANDARD,
            "price_band": values["price_band"] or Booth.PriceBand.B,
            "width": values["width"] or "3",
            "depth": values["depth"] or "3",
        }
        if not values["size_m2"] and values["width"].isdigit() and values["depth"].isdigit():
            values["size_m2"] = str(int(values["width"]) * int(values["depth"]))
        unknown = _("“%(value)s” is not one of the choices.")
        lookups = {
            "kind": (context["kind"], unknown),
            "price_band": (context["price_band"], unknown),
        }
        cleaned = checked_by_form(_BoothCells, values, lookups=lookups).cleaned_data
        services.booth_check(booth=Booth(hall=scope, **cleaned))
        return cleaned

    def clean_rows(self, rows: list, *, scope, context: dict) -> dict:
        found = _duplicates(rows, lambda cleaned: _fold(cleaned["code"]))
        return {number: {"code": messages} for number, messages in found.items()}

    def save(self, cleaned: list, *, scope: Hall, by) -> list:
        return [services.booth_create(hall=scope, by=by, **row) for row in cleaned]


class ExhibitorImport(ImportSchema):
    """An edition's exhibitors: the organisation, its hall and booth, fields and contact."""

    key = "exhibitions.exhibitors"
    title = gettext_lazy("Import exhibitors")
    file_stem = "exhibitors"
    columns = (
        Column(
            "organisation",
            gettext_lazy("Organisation"),
            True,
            help=gettext_lazy("Its name in English or Chinese, as registered on the portal."),
        ),
        Column("hall", gettext_lazy("Hall"), False, help=gettext_lazy("The hall's code or name.")),
        Column(
            "booth",
            gettext_lazy("Booth code"),
            False,
            help=gettext_lazy("An available booth of that hall; none when empty."),
        ),
        Column(
            "fields",
            gettext_lazy("Fields"),
            False,
            help=gettext_lazy("One or more fields by name, separated by semicolons."),
        ),
        Column("description_en", gettext_lazy("Description (English)"), False),
        Column("description_zh", gettext_lazy("Description (Chinese)"), False),
        Column("contact_name", gettext_lazy("Contact person"), False),
        Column("contact_email", gettext_lazy("Contact email"), False),
    )

    def may_import(self, user, scope) -> bool:
        return is_organiser(user)

    def context(self, scope) -> dict:
        organisations = {}
        for pk, name_en, name_zh in Organisation.objects.values_list("pk", "name_en", "name_zh"):
            for name in {_fold(name_en), _fold(name_zh)} - {""}:
                # A name two organisations share names neither.
                organisations[name] = pk if organisations.get(name, pk) == pk else None
        halls = {}
        for hall in Hall.objects.filter(edition=scope):
            for name in {_fold(hall.code), _fold(hall.name_en), _fold(hall.name_zh)} - {""}:
                halls[name] = hall
        booths = {
            (booth.hall_id, _fold(booth.code)): booth
            for booth in Booth.objects.filter(hall__edition=scope).select_related("hall")
        }
        return {
            "organisations": organisations,
            "halls": halls,
            "booths": booths,
            "fields": field_lookup(),
        }

    def examples(self, scope) -> dict:
        organisation = Organisation.objects.order_by("pk").first()
        booth = (
            Booth.objects.filter(hall__edition=scope, state=Booth.State.AVAILABLE)
            .exclude(kind=Booth.Kind.PAVILION)
            .select_related("hall")
            .first()
        )
        return {
            **super().examples(scope),
            "organisation": str(organisation.name) if organisation else "",
            "hall": booth.hall.code if booth else "",
            "booth": booth.code if booth else "",
            "fields": "; ".join(str(field.name) for field in Field.objects.all()[:2]),
        }

    def clean_row(self, values: dict, *, scope, context: dict):
        errors = {}
        cleaned = {}
        try:
            form = checked_by_form(
                _ExhibitorCells,
                {key: values[key] for key in _ExhibitorCells._meta.fields},
                lookups={"fields": (context["fields"], _("No field is called “%(value)s”."))},
                lists=("fields",),
            )
            cleaned.update(form.cleaned_data)
        except ValidationError as error:
            errors.update(error.message_dict)
        name = values["organisation"]
        organisation_pk = context["organisations"].get(_fold(name), False)
        if not name:
            errors["organisation"] = [_("This field is required.")]
        elif organisation_pk is None:
            errors["organisation"] = [
                _("Several organisations are called “%(value)s”.") % {"value": name}
            ]
        elif organisation_pk is False:
            errors["organisation"] = [_("No organisation is called “%(value)s”.") % {"value": name}]
        booth = None
        if values["booth"] or values["hall"]:
            hall = context["halls"].get(_fold(values["hall"]))
            if not values["hall"]:
                errors["hall"] = [_("Name the booth's hall.")]
            elif hall is None:
                errors["hall"] = [_("No hall is called “%(value)s”.") % {"value": values["hall"]}]
            elif not values["booth"]:
                errors["booth"] = [_("Name the booth in the hall.")]
            else:
                booth = context["booths"].get((hall.pk, _fold(values["booth"])))
                if booth is None:
                    errors["booth"] = [
                        _("Hall %(hall)s has no booth “%(value)s”.")
                        % {"hall": hall.code, "value": values["booth"]}
                    ]
        if not errors:
            organisation = Organisation.objects.get(pk=organisation_pk)
            services.exhibitor_check(edition=scope, organisation=organisation, booth=booth)
            cleaned.update(organisation=organisation, booth=booth)
        if errors:
            raise ValidationError(errors)
        return cleaned

    def clean_rows(self, rows: list, *, scope, context: dict) -> dict:
        found = {}
        for key in ("organisation", "booth"):
            duplicates = _duplicates(
                rows, lambda cleaned, key=key: getattr(cleaned[key], "pk", None)
            )
            for number, messages in duplicates.items():
                found.setdefault(number, {})[key] = messages
        return found

    def save(self, cleaned: list, *, scope, by) -> list:
        return [services.exhibitor_create(edition=scope, by=by, **row) for row in cleaned]

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ciep.exports import csv_response, in_chunks
from ciep.import_pages import ImportPages, admin_import_urls
from ciep.models import Delegation, Edition, Language
from ciep.params import as_id
from ciep.selectors import current_edition

from . import exports, services
from .imports import BoothImport, ExhibitorImport
from .models import (
    Application,
    Booth,
    Brochure,
    Exhibitor,
    GalleryImage,
    Hall,
    Interpreter,
    Meeting,
    Product,
    Slot,
    language_codes,
    languages_apart,
)


def _run(modeladmin, request, call) -> bool:
    """Call a service, turning its refusal into an error message; True when it went through."""
    try:
        call()
    except ValidationError as error:
        for message in error.messages:
            modeladmin.message_user(request, message, messages.ERROR)
        return False
    return True


def _intermediate(modeladmin, request, queryset, form, title: str, action: str):
    """Render a page asking for the action's input (a reason, a booth) before applying it."""
    return render(
        request,
        "admin/exhibitions/action_form.html",
        {
            **modeladmin.admin_site.each_context(request),
            "title": title,
            "form": form,
            "queryset": queryset,
            "action": action,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
            "opts": modeladmin.model._meta,
        },
    )


class ReleasesInterpretersMixin:
    """Deleting rows that hold meetings still to take place tells those meetings' interpreters
    first (``services.meetings_delete_release``), in the deletion's transaction.
    ``meetings_path`` is the lookup from a meeting to the admin's model ("" for meetings)."""

    meetings_path = ""

    def _release_interpreters(self, request, queryset):
        lookup = f"{self.meetings_path}__in" if self.meetings_path else "pk__in"
        services.meetings_delete_release(
            meetings=Meeting.objects.filter(**{lookup: queryset.values("pk")}), by=request.user
        )

    def delete_model(self, request, obj):
        with transaction.atomic():
            self._release_interpreters(request, type(obj).objects.filter(pk=obj.pk))
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            self._release_interpreters(request, queryset)
            super().delete_queryset(request, queryset)


def _earlier_booth(organisation_path: str):
    """Whether the row's organisation exhibited at an earlier edition (a returning exhibitor)."""
    return Exists(
        Exhibitor.objects.filter(
            organisation=OuterRef(organisation_path),
            edition__number__lt=OuterRef("edition__number"),
        )
    )


class ReturningFilter(admin.SimpleListFilter):
    title = _("returning exhibitor")
    parameter_name = "returning"

    def lookups(self, request, model_admin):
        return [("yes", _("Returning")), ("no", _("First time"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(returning=self.value() == "yes")
        return queryset


class ReturningMixin:
    """Organisers give returning exhibitors priority: a flag to sort and filter by."""

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(returning=_earlier_booth("organisation"))

    @admin.display(description=_("returning"), boolean=True, ordering="-returning")
    def returning(self, obj):
        return obj.returning


# --- Halls and booths -----------------------------------------------------------------------


class BoothRowForm(forms.Form):
    prefix = forms.CharField(label=_("Code prefix"), max_length=10, initial="A-")
    first_number = forms.IntegerField(label=_("First number"), min_value=0, initial=101)
    count = forms.IntegerField(label=_("Number of booths"), min_value=1, max_value=200, initial=10)
    x = forms.IntegerField(label=_("Position from the left (m)"), min_value=0, initial=0)
    y = forms.IntegerField(label=_("Position from the top (m)"), min_value=0, initial=0)
    width = forms.IntegerField(label=_("Width of each booth (m)"), min_value=1, initial=3)
    depth = forms.IntegerField(label=_("Depth of each booth (m)"), min_value=1, initial=3)
    kind = forms.ChoiceField(label=_("Kind"), choices=Booth.Kind.choices)
    price_band = forms.ChoiceField(
        label=_("Price band"), choices=Booth.PriceBand.choices, initial="B"
    )
    vertical = forms.BooleanField(label=_("Run downwards instead of to the right"), required=False)


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_zh", "edition", "area_m2", "booth_count", "plan"]
    list_filter = ["edition"]
    search_fields = ["code", "name_en", "name_zh"]
    list_select_related = ["edition"]
    change_form_template = "admin/exhibitions/hall_change_form.html"
    actions = [exports.HALLS.action()]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(booth_total=Count("booths"))

    @admin.display(description=_("booths"), ordering="booth_total")
    def booth_count(self, hall):
        return hall.booth_total

    @admin.display(description=_("floor plan"))
    def plan(self, hall):
        return format_html('<a href="{}">{}</a>', hall.get_absolute_url(), _("Floor plan"))

    def get_urls(self):
        return [
            path(
                "<int:pk>/add-row/",
                self.admin_site.admin_view(self.add_row_view),
                name="exhibitions_hall_add_row",
            ),
            *admin_import_urls(
                self, "<int:pk>/import-booths/", "exhibitions_hall_import", self._booth_import
            ),
            *super().get_urls(),
        ]

    def _booth_import(self, request, pk) -> ImportPages:
        hall = get_object_or_404(Hall.objects.select_related("edition"), pk=pk)
        if not self.has_change_permission(request, hall):
            raise PermissionDenied
        return ImportPages.admin(
            self,
            request,
            "exhibitions_hall_import",
            [hall.pk],
            schema=BoothImport(),
            scope=hall,
            done_url=reverse("admin:exhibitions_booth_changelist") + f"?hall__id__exact={hall.pk}",
            heading=f"{hall} · {hall.edition.title}",
        )

    def add_row_view(self, request, pk):
        hall = get_object_or_404(Hall, pk=pk)
        if not self.has_change_permission(request, hall) or not request.user.has_perm(
            "exhibitions.add_booth"
        ):
            raise PermissionDenied
        form = BoothRowForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                booths = services.hall_add_booth_row(
                    hall=hall, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                self.message_user(
                    request,
                    _("%(count)d booths created in %(hall)s.")
                    % {"count": len(booths), "hall": hall},
                )
                return redirect(
                    reverse("admin:exhibitions_booth_changelist") + f"?hall__id__exact={hall.pk}"
                )
        return render(
            request,
            "admin/exhibitions/booth_row_form.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Add a row of booths to %(hall)s") % {"hall": hall},
                "form": form,
                "hall": hall,
                "opts": self.model._meta,
            },
        )


class AssignToDelegationForm(forms.Form):
    delegation = forms.ModelChoiceField(label=_("Delegation"), queryset=Delegation.objects.none())


@admin.register(Booth)
class BoothAdmin(admin.ModelAdmin):
    list_display = ["code", "hall", "kind", "size_m2", "price_band", "state", "assigned_to"]
    list_filter = ["hall__edition", "hall", "state", "kind", "price_band"]
    search_fields = [
        "code",
        "exhibitor__organisation__name_en",
        "exhibitor__organisation__name_zh",
        "delegation__name_en",
        "delegation__name_zh",
    ]
    list_select_related = ["hall__edition", "exhibitor__organisation", "delegation"]
    autocomplete_fields = ["hall"]
    readonly_fields = ["state", "exhibitor", "delegation"]
    fields = [
        "hall",
        "code",
        "kind",
        "price_band",
        "size_m2",
        ("x", "y"),
        ("width", "depth"),
        "state",
        "exhibitor",
        "delegation",
    ]
    actions = [
        "release",
        "assign_pavilion",
        exports.BOOTHS.action(),
    ]

    @admin.display(description=_("assigned to"))
    def assigned_to(self, booth):
        return booth.exhibitor.organisation if booth.exhibitor else (booth.delegation or "")

    @admin.action(description=_("Release the selected booths"), permissions=["change"])
    def release(self, request, queryset):
        released = 0
        for booth in queryset:
            if _run(
                self, request, lambda b=booth: services.booth_release(booth=b, by=request.user)
            ):
                released += 1
        if released:
            self.message_user(request, _("%(count)d booths released.") % {"count": released})

    @admin.action(
        description=_("Assign the selected pavilion to a delegation"), permissions=["change"]
    )
    def assign_pavilion(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one booth."), messages.ERROR)
            return None
        booth = queryset.select_related("hall").get()
        form = AssignToDelegationForm(request.POST if "apply" in request.POST else None)
        form.fields["delegation"].queryset = Delegation.objects.filter(
            edition_id=booth.hall.edition_id
        )
        if form.is_valid():
            if _run(
                self,
                request,
                lambda: services.booth_assign(
                    booth=booth, delegation=form.cleaned_data["delegation"], by=request.user
                ),
            ):
                self.message_user(request, _("Booth %(code)s assigned.") % {"code": booth.code})
            return None
        return _intermediate(
            self, request, queryset, form, _("Assign a pavilion"), "assign_pavilion"
        )


# --- Applications ---------------------------------------------------------------------------


class ReasonForm(forms.Form):
    note = forms.CharField(
        label=_("Reason (the applicant sees it)"), widget=forms.Textarea(attrs={"rows": 4})
    )


@admin.register(Application)
class ApplicationAdmin(ReturningMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "edition",
        "returning",
        "state",
        "hall",
        "booth_kind",
        "size_m2",
        "booth",
        "created_at",
    ]
    list_filter = [
        "edition",
        "state",
        ReturningFilter,
        "booth_kind",
        "hall",
        "organisation__country",
    ]
    search_fields = [
        "organisation__name_en",
        "organisation__name_zh",
        "delegation__name_en",
        "delegation__name_zh",
    ]
    list_select_related = ["edition", "organisation", "delegation", "hall", "booth"]
    autocomplete_fields = ["organisation", "delegation", "hall", "fields"]
    readonly_fields = ["state", "booth", "decided_at", "decided_by", "applied_by", "created_at"]
    fields = [
        "edition",
        "organisation",
        "delegation",
        "applied_by",
        ("hall", "booth_kind", "size_m2"),
        "booth",
        "fields",
        "description_en",
        "description_zh",
        "state",
        "decision_note",
        ("decided_at", "decided_by"),
        "created_at",
    ]
    actions = [
        "approve",
        "reject",
        exports.EXHIBITOR_APPLICATIONS.action(),
    ]

    def has_add_permission(self, request):
        # Applications come from the applicants' own form, which goes through the service.
        return False

    @admin.action(description=_("Approve the selected applications"), permissions=["change"])
    def approve(self, request, queryset):
        approved = 0
        for application in queryset:
            if _run(
                self,
                request,
                lambda a=application: services.application_approve(application=a, by=request.user),
            ):
                approved += 1
        if approved:
            self.message_user(request, _("%(count)d applications approved.") % {"count": approved})

    @admin.action(description=_("Reject the selected applications…"), permissions=["change"])
    def reject(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            rejected = 0
            for application in queryset:
                if _run(
                    self,
                    request,
                    lambda a=application: services.application_reject(
                        application=a, by=request.user, note=form.cleaned_data["note"]
                    ),
                ):
                    rejected += 1
            if rejected:
                self.message_user(
                    request, _("%(count)d applications rejected.") % {"count": rejected}
                )
            return None
        return _intermediate(self, request, queryset, form, _("Reject applications"), "reject")


# --- Exhibitors -----------------------------------------------------------------------------


class ProductInline(admin.StackedInline):
    model = Product
    extra = 0


class GalleryInline(admin.TabularInline):
    model = GalleryImage
    extra = 0


class BrochureInline(admin.TabularInline):
    model = Brochure
    extra = 0


class AssignBoothForm(forms.Form):
    booth = forms.ModelChoiceField(label=_("Booth"), queryset=Booth.objects.none())


def _exhibitor_row(exhibitor: Exhibitor) -> list:
    location = exhibitor.location
    return [
        exhibitor.edition.number,
        exhibitor.organisation.name_en,
        exhibitor.organisation.name_zh,
        exhibitor.organisation.country.code,
        exhibitor.organisation.get_type_display(),
        location.code if location else "",
        location.hall.code if location else "",
        exhibitor.contact_name,
        exhibitor.contact_email,
        exhibitor.contact_phone,
        exhibitor.page_views,
    ]


@admin.register(Exhibitor)
class ExhibitorAdmin(ReleasesInterpretersMixin, ReturningMixin, admin.ModelAdmin):
    meetings_path = "slot__exhibitor"
    list_display = ["organisation", "edition", "returning", "booth_code", "country", "page_views"]
    list_filter = [
        "edition",
        ReturningFilter,
        "organisation__country",
        "organisation__type",
        "booth__hall",
        "delegation",
    ]
    search_fields = ["organisation__name_en", "organisation__name_zh", "booth__code"]
    list_select_related = ["organisation", "edition", "booth", "pavilion"]
    autocomplete_fields = ["organisation", "pavilion", "delegation", "fields"]
    readonly_fields = ["application", "page_views", "booth_code"]
    inlines = [ProductInline, GalleryInline, BrochureInline]
    change_list_template = "admin/exhibitions/exhibitor_change_list.html"
    actions = [
        "assign_booth",
        "release_booth",
        "export_csv",
    ]

    def get_urls(self):
        return [
            *admin_import_urls(
                self, "import/<int:pk>/", "exhibitions_exhibitor_import", self._exhibitor_import
            ),
            *super().get_urls(),
        ]

    def _exhibitor_import(self, request, pk) -> ImportPages:
        edition = get_object_or_404(Edition, pk=pk)
        if not self.has_add_permission(request):
            raise PermissionDenied
        return ImportPages.admin(
            self,
            request,
            "exhibitions_exhibitor_import",
            [edition.pk],
            schema=ExhibitorImport(),
            scope=edition,
            done_url=reverse("admin:exhibitions_exhibitor_changelist")
            + f"?edition__id__exact={edition.pk}",
            heading=str(edition.title),
        )

    def changelist_view(self, request, extra_context=None):
        chosen = as_id(request.GET.get("edition__id__exact"))
        edition = (Edition.objects.filter(pk=chosen).first() if chosen else None) or (
            current_edition()
        )
        return super().changelist_view(
            request, {**(extra_context or {}), "import_edition": edition}
        )

    @admin.action(description=_("Export the selected rows to CSV"))
    def export_csv(self, request, queryset):
        header = [
            _("edition"),
            _("name (English)"),
            _("name (Chinese)"),
            _("country or region"),
            _("type"),
            _("booth"),
            _("hall"),
            _("contact person"),
            _("contact email"),
            _("contact phone"),
            _("page views"),
        ]
        exhibitors = queryset.select_related(
            "edition", "organisation", "booth__hall", "pavilion__hall"
        )
        return csv_response("exhibitors.csv", header, map(_exhibitor_row, in_chunks(exhibitors)))

    @admin.display(description=_("booth"))
    def booth_code(self, exhibitor):
        location = exhibitor.location
        return location.code if location else "—"

    @admin.display(description=_("country or region"), ordering="organisation__country")
    def country(self, exhibitor):
        return exhibitor.organisation.country.name

    @admin.action(
        description=_("Assign a booth to the selected exhibitor…"), permissions=["change"]
    )
    def assign_booth(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one exhibitor."), messages.ERROR)
            return None
        exhibitor = queryset.get()
        form = AssignBoothForm(request.POST if "apply" in request.POST else None)
        form.fields["booth"].queryset = (
            Booth.objects.for_edition(exhibitor.edition_id)
            .exclude(state=Booth.State.ASSIGNED)
            .exclude(kind=Booth.Kind.PAVILION)
            .select_related("hall")
        )
        if form.is_valid():
            booth = form.cleaned_data["booth"]
            if _run(
                self,
                request,
                lambda: services.booth_assign(booth=booth, exhibitor=exhibitor, by=request.user),
            ):
                self.message_user(
                    request,
                    _("Booth %(code)s assigned to %(exhibitor)s.")
                    % {"code": booth.code, "exhibitor": exhibitor.organisation},
                )
            return None
        return _intermediate(self, request, queryset, form, _("Assign a booth"), "assign_booth")

    @admin.action(description=_("Release the selected exhibitors' booths"), permissions=["change"])
    def release_booth(self, request, queryset):
        for booth in Booth.objects.filter(exhibitor__in=queryset):
            if _run(
                self, request, lambda b=booth: services.booth_release(booth=b, by=request.user)
            ):
                self.message_user(request, _("Booth %(code)s released.") % {"code": booth.code})


# --- Negotiations ---------------------------------------------------------------------------


@admin.register(Slot)
class SlotAdmin(ReleasesInterpretersMixin, admin.ModelAdmin):
    meetings_path = "slot"
    list_display = ["exhibitor", "starts_at", "duration_minutes", "mode"]
    list_filter = ["exhibitor__edition", "mode", "starts_at"]
    search_fields = ["exhibitor__organisation__name_en", "exhibitor__organisation__name_zh"]
    list_select_related = ["exhibitor__organisation", "exhibitor__edition"]
    autocomplete_fields = ["exhibitor"]
    date_hierarchy = "starts_at"

    def get_readonly_fields(self, request, obj=None):
        # A slot's time moves with its meeting, through the exhibitor's meeting page
        # (services.slot_move), so that both parties are told.
        return ["exhibitor", "starts_at", "duration_minutes"] if obj is not None else []

    actions = [exports.NEGOTIATION_SLOTS.action()]


class InterpreterForm(forms.ModelForm):
    language_choice = forms.MultipleChoiceField(
        label=_("languages"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Interpreter
        fields = ["name", "email", "phone", "preferred_language", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial["language_choice"] = language_codes(self.instance.languages or "")

    def save(self, commit=True):
        self.instance.languages = ",".join(self.cleaned_data["language_choice"])
        return super().save(commit)


@admin.register(Interpreter)
class InterpreterAdmin(admin.ModelAdmin):
    form = InterpreterForm
    fields = [
        "name",
        "email",
        "phone",
        "preferred_language",
        "language_choice",
        "is_active",
        "calendar",
    ]
    readonly_fields = ["calendar"]
    list_display = ["name", "language_list", "email", "is_active", "assigned"]
    list_filter = ["is_active"]
    search_fields = ["name", "email"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                assigned_count=Count("meetings", filter=Q(meetings__state__in=Meeting.LIVE_STATES))
            )
        )

    @admin.display(description=_("languages"))
    def language_list(self, interpreter):
        return interpreter.language_list

    @admin.display(description=_("live meetings"), ordering="assigned_count")
    def assigned(self, interpreter):
        return interpreter.assigned_count

    @admin.display(description=_("calendar"))
    def calendar(self, interpreter):
        if interpreter is None or interpreter.pk is None:
            return "–"
        meetings = (
            interpreter.meetings.filter(state__in=Meeting.LIVE_STATES)
            .select_related("slot__exhibitor__organisation", "requester")
            .order_by("starts_at")
        )
        rows = [
            (
                timezone.localtime(m.starts_at).strftime("%Y-%m-%d %H:%M"),
                timezone.localtime(m.ends_at).strftime("%H:%M"),
                m.slot.exhibitor.organisation,
                m.requester,
            )
            for m in meetings
        ]
        if not rows:
            return _("No meetings assigned")
        return format_html_join("", "<div>{} – {}: {} · {}</div>", rows)


class AssignInterpreterForm(forms.Form):
    interpreter = forms.ModelChoiceField(
        label=_("Interpreter"), queryset=Interpreter.objects.filter(is_active=True)
    )


class SharedLanguageFilter(admin.SimpleListFilter):
    """Meetings whose two sides share no language, the ones that need an interpreter. Both
    sides' languages are lists of codes, compared here rather than in SQL."""

    title = _("shared language")
    parameter_name = "shared_language"

    def lookups(self, request, model_admin):
        return [("no", _("No shared language")), ("yes", _("A shared language"))]

    def queryset(self, request, queryset):
        if self.value() not in ("no", "yes"):
            return queryset
        rows = queryset.values_list("pk", "languages", "slot__exhibitor__languages")
        apart = [pk for pk, theirs, ours in rows.iterator() if languages_apart(theirs, ours)]
        if self.value() == "no":
            return queryset.filter(pk__in=apart)
        return queryset.exclude(pk__in=apart)


@admin.register(Meeting)
class MeetingAdmin(ReleasesInterpretersMixin, admin.ModelAdmin):
    list_display = [
        "requester",
        "exhibitor",
        "starts_at",
        "state",
        "outcome",
        "no_shared_language",
        "interpreter_requested",
        "interpreter",
        "hold_until",
    ]
    list_filter = [
        "slot__exhibitor__edition",
        "state",
        "outcome",
        SharedLanguageFilter,
        "interpreter_requested",
        ("interpreter", admin.EmptyFieldListFilter),
        "slot__mode",
    ]
    search_fields = [
        "requester__name",
        "requester__email",
        "slot__exhibitor__organisation__name_en",
        "slot__exhibitor__organisation__name_zh",
    ]
    list_select_related = ["requester", "slot__exhibitor__organisation", "interpreter"]
    autocomplete_fields = ["slot", "requester", "replaces"]
    readonly_fields = [
        "starts_at",
        "ends_at",
        "state",
        "hold_until",
        "outcome",
        "outcome_recorded_at",
        "interpreter",
        "no_shared_language",
    ]
    date_hierarchy = "starts_at"
    actions = [
        "assign_interpreter",
        "remove_interpreter",
        exports.MEETINGS.action(),
    ]

    def has_add_permission(self, request):
        # Meetings are requested by visitors through the booking service.
        return False

    @admin.display(description=_("no shared language"), boolean=True)
    def no_shared_language(self, meeting):
        return meeting.language_mismatch

    @admin.action(description=_("Assign an interpreter…"), permissions=["change"])
    def assign_interpreter(self, request, queryset):
        form = AssignInterpreterForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            interpreter = form.cleaned_data["interpreter"]
            for meeting in queryset:
                if _run(
                    self,
                    request,
                    lambda m=meeting: services.interpreter_assign(
                        meeting=m, interpreter=interpreter, by=request.user
                    ),
                ):
                    self.message_user(
                        request,
                        _("%(name)s interprets the meeting of %(when)s.")
                        % {
                            "name": interpreter.name,
                            "when": timezone.localtime(meeting.starts_at).strftime(
                                "%Y-%m-%d %H:%M"
                            ),
                        },
                    )
            if not interpreter.email:
                self.message_user(
                    request,
                    _("%(name)s has no email address: tell them yourself.")
                    % {"name": interpreter.name},
                    messages.WARNING,
                )
            return None
        return _intermediate(
            self, request, queryset, form, _("Assign an interpreter"), "assign_interpreter"
        )

    @admin.action(description=_("Remove the interpreter"), permissions=["change"])
    def remove_interpreter(self, request, queryset):
        removed = 0
        for meeting in queryset.filter(interpreter__isnull=False):
            removed += _run(
                self,
                request,
                lambda m=meeting: services.interpreter_assign(
                    meeting=m, interpreter=None, by=request.user
                ),
            )
        self.message_user(
            request,
            ngettext(
                "The interpreter has been removed from %(count)d meeting.",
                "The interpreters have been removed from %(count)d meetings.",
                removed,
            )
            % {"count": removed},
        )

    @admin.display(description=_("exhibitor"), ordering="slot__exhibitor__organisation__name_en")
    def exhibitor(self, meeting):
        return meeting.slot.exhibitor.organisation

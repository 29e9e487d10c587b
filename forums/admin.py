from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from ciep.admin_actions import run_service
from ciep.time_zones import zone_form_choices, zone_label

from . import exports, selectors, services
from .models import (
    DelegationQuota,
    Feedback,
    Registration,
    Section,
    Session,
    SessionSpeaker,
    Speaker,
    SubVenueEvent,
    Venue,
)

export_registrations_csv = exports.REGISTRATIONS.action()


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_zh", "edition", "order", "session_count"]
    list_filter = ["edition"]
    list_editable = ["order"]
    list_select_related = ["edition"]
    search_fields = ["name_en", "name_zh"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(session_count=Count("sessions"))

    @admin.display(description=pgettext_lazy("forum", "sessions"), ordering="session_count")
    def session_count(self, obj):
        return obj.session_count


class ZoneChoicesMixin:
    """The time zone is chosen by country and offset (``ciep.time_zones``), not by its IANA
    name; the object's own zone stays among the choices."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "time_zone" in form.base_fields:
            form.base_fields["time_zone"].choices = zone_form_choices(obj.time_zone if obj else "")
        return form


@admin.register(Venue)
class VenueAdmin(ZoneChoicesMixin, admin.ModelAdmin):
    list_display = ["name_en", "name_zh", "kind", "city_en", "zone", "edition"]
    list_filter = ["edition", "kind", "country"]
    list_select_related = ["edition"]
    search_fields = ["name_en", "name_zh", "city_en", "city_zh"]

    @admin.display(description=_("time zone"), ordering="time_zone")
    def zone(self, venue):
        return zone_label(venue.time_zone, country=venue.country.code or "")


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_zh", "affiliation_en", "country", "user"]
    list_filter = ["country"]
    list_select_related = ["user"]
    search_fields = ["name_en", "name_zh", "affiliation_en", "affiliation_zh", "user__email"]
    autocomplete_fields = ["user"]


class SessionSpeakerInline(admin.TabularInline):
    model = SessionSpeaker
    extra = 1
    autocomplete_fields = ["speaker"]


class DelegationQuotaInline(admin.TabularInline):
    model = DelegationQuota
    extra = 0
    autocomplete_fields = ["delegation"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = [
        "title_en",
        "section",
        "kind",
        "start",
        "venue",
        "format",
        "capacity",
        "confirmed_count",
        "waiting_count",
        "status",
    ]
    list_filter = [
        "edition",
        "section",
        "kind",
        "format",
        "language",
        "status",
        "venue__kind",
        "guest_country",
    ]
    list_select_related = ["section", "venue"]
    search_fields = ["title_en", "title_zh", "speakers__name_en", "speakers__name_zh"]
    autocomplete_fields = [
        "section",
        "venue",
        "fields",
        "organising_organisation",
        "organising_delegation",
    ]
    date_hierarchy = "start"
    inlines = [SessionSpeakerInline, DelegationQuotaInline]
    readonly_fields = ["clashes", "live_views", "replay_views"]
    actions = [
        "duplicate",
        "promote_waiting_list",
        "export_registrations",
        "cancel_sessions",
        "reinstate_sessions",
    ]
    fieldsets = [
        (None, {"fields": ["edition", "section", "kind", "status"]}),
        (
            _("Texts"),
            {"fields": [("title_en", "title_zh"), ("abstract_en", "abstract_zh")]},
        ),
        (
            _("When and where"),
            {"fields": [("start", "end"), "venue", "clashes", "format", "language", "capacity"]},
        ),
        (
            _("Organisers and fields"),
            {
                "fields": [
                    "organising_organisation",
                    "organising_delegation",
                    "guest_country",
                    "fields",
                ]
            },
        ),
        (
            _("Live stream"),
            {"fields": ["stream_url", "replay_url", "live_views", "replay_views"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
                waiting=Count("registrations", filter=Q(registrations__status="waiting")),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        # A new session is entered in its state; then only the actions move it.
        if obj is None:
            return self.readonly_fields
        return [*self.readonly_fields, "status"]

    @admin.action(description=_("Schedule the selected cancelled sessions again"))
    def reinstate_sessions(self, request, queryset):
        run_service(
            request,
            queryset,
            services.session_reinstate,
            _("%(count)d sessions scheduled again."),
            argument="session",
        )

    @admin.display(description=_("confirmed"), ordering="confirmed")
    def confirmed_count(self, obj):
        return obj.confirmed

    @admin.display(description=_("waiting"), ordering="waiting")
    def waiting_count(self, obj):
        return obj.waiting

    @admin.display(description=_("double bookings"))
    def clashes(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        found = selectors.session_clashes(obj)
        lines = [(_("Room"), other) for other in found["venue"]]
        lines += [(_("Speaker"), other) for other in found["speakers"]]
        if not lines:
            return _("None")
        return format_html_join("", "<div>{}: {}</div>", ((kind, o) for kind, o in lines))

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            self.announce_change(request, obj, form)
        if change and "capacity" in form.changed_data:
            promoted = services.registration_promote(session=obj)
            if promoted:
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d person was promoted from the waiting list.",
                        "%(count)d people were promoted from the waiting list.",
                        len(promoted),
                    )
                    % {"count": len(promoted)},
                )

    def announce_change(self, request, session, form):
        """Tell the registrants when the edit moved the session (cancelling it is an action,
        ``cancel_sessions``, which tells them through the service)."""
        changed = set(form.changed_data)
        if changed & {"start", "end", "venue"} and not session.is_cancelled:
            told = services.session_announce(
                session=session,
                change="moved",
                previous_start=form.initial.get("start"),
                previous_venue=Venue.objects.filter(pk=form.initial.get("venue")).first()
                if "venue" in changed
                else None,
            )
        else:
            return
        if told:
            self.message_user(
                request,
                ngettext(
                    "%(count)d registered person is told of the change by mail.",
                    "%(count)d registered people are told of the change by mail.",
                    told,
                )
                % {"count": told},
            )

    @admin.action(
        description=_("Cancel the selected sessions and tell their registrants"),
        permissions=["change"],
    )
    def cancel_sessions(self, request, queryset):
        cancelled = 0
        for session in queryset:
            try:
                services.session_cancel(session=session, by=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{session}: {' '.join(error.messages)}", messages.WARNING
                )
            else:
                cancelled += 1
        if cancelled:
            self.message_user(
                request,
                ngettext("%(count)d session cancelled.", "%(count)d sessions cancelled.", cancelled)
                % {"count": cancelled},
            )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.warn_double_bookings(request, form.instance)

    def warn_double_bookings(self, request, session):
        found = selectors.session_clashes(session)
        for other in found["venue"]:
            self.message_user(
                request,
                _("%(venue)s is also booked for “%(other)s” at the same time.")
                % {"venue": session.venue, "other": other},
                messages.WARNING,
            )
        for other in found["speakers"]:
            self.message_user(
                request,
                _("A speaker of this session also speaks at “%(other)s” at the same time.")
                % {"other": other},
                messages.WARNING,
            )

    @admin.action(description=_("Duplicate the selected sessions"))
    def duplicate(self, request, queryset):
        for session in queryset:
            services.session_duplicate(session=session, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d session duplicated.", "%(count)d sessions duplicated.", len(queryset)
            )
            % {"count": len(queryset)},
        )

    @admin.action(description=_("Promote from the waiting list into free seats"))
    def promote_waiting_list(self, request, queryset):
        promoted = sum(len(services.registration_promote(session=s)) for s in queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d person was promoted from the waiting list.",
                "%(count)d people were promoted from the waiting list.",
                promoted,
            )
            % {"count": promoted},
        )

    @admin.action(description=_("Export the registrations of the selected sessions to CSV"))
    def export_registrations(self, request, queryset):
        registrations = (
            Registration.objects.filter(session__in=queryset)
            .select_related("session", "user", "delegation")
            .order_by("session__start", "session_id", "created_at", "id")
        )
        return export_registrations_csv(
            RegistrationAdmin(Registration, self.admin_site), request, registrations
        )


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = [
        "user",
        "session",
        "attendance",
        "status",
        "delegation",
        "code",
        "created_at",
        "checked_in_at",
    ]
    list_filter = [
        "status",
        "attendance",
        ("checked_in_at", admin.EmptyFieldListFilter),
        "session__edition",
        "session__section",
    ]
    list_select_related = ["user", "session", "delegation"]
    search_fields = ["user__name", "user__email", "code", "session__title_en", "session__title_zh"]
    autocomplete_fields = ["session", "user", "delegation", "registered_by"]
    readonly_fields = [
        "status",
        "code",
        "promoted_at",
        "cancelled_at",
        "checked_in_at",
        "checked_in_by",
    ]
    actions = ["promote", "cancel", export_registrations_csv]

    def has_add_permission(self, request):
        # People register through the site (or a delegation's head for them), so that the
        # capacity and the waiting list are always respected.
        return False

    @admin.action(description=_("Promote the waiting list of these sessions into free seats"))
    def promote(self, request, queryset):
        sessions = Session.objects.filter(
            pk__in=queryset.filter(status="waiting").values("session")
        )
        promoted = sum(len(services.registration_promote(session=s)) for s in sessions)
        self.message_user(
            request,
            ngettext(
                "%(count)d person was promoted from the waiting list.",
                "%(count)d people were promoted from the waiting list.",
                promoted,
            )
            % {"count": promoted},
        )

    @admin.action(description=_("Cancel the selected registrations"))
    def cancel(self, request, queryset):
        cancelled = 0
        for registration in queryset.exclude(status="cancelled"):
            try:
                services.registration_cancel(registration=registration, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                self.message_user(request, f"{registration}: {error}", messages.ERROR)
            else:
                cancelled += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d registration cancelled.", "%(count)d registrations cancelled.", cancelled
            )
            % {"count": cancelled},
        )


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ["session", "user", "rating", "comment", "created_at"]
    list_filter = ["rating", "session__edition", "session__section"]
    list_select_related = ["session", "user"]
    search_fields = ["session__title_en", "session__title_zh", "comment", "user__name"]
    autocomplete_fields = ["session", "user"]
    actions = [exports.FEEDBACK.action()]


@admin.register(SubVenueEvent)
class SubVenueEventAdmin(ZoneChoicesMixin, admin.ModelAdmin):
    """Delegations' proposals of sub-venue events: organisers read them, write a reason when
    they refuse one, and approve or refuse with the actions (each mails the proposing head)."""

    list_display = ["title_en", "delegation", "sub_venue", "start", "capacity", "state", "edition"]
    list_filter = ["edition", "state", "kind", "venue__kind", "country"]
    list_select_related = ["delegation", "venue", "edition"]
    search_fields = ["title_en", "title_zh", "delegation__name_en", "delegation__name_zh"]
    autocomplete_fields = ["section", "venue"]
    date_hierarchy = "start"
    # Organisers read a proposal as its head sent it and only write the reason for a refusal;
    # the actions move it along.
    readonly_fields = [
        field.name
        for field in SubVenueEvent._meta.fields
        if field.name not in ("id", "refusal_reason")
    ]
    fieldsets = [
        (None, {"fields": ["edition", "delegation", "proposed_by", "state", "session"]}),
        (
            _("The event"),
            {
                "fields": [
                    ("title_en", "title_zh"),
                    ("description_en", "description_zh"),
                    "section",
                    "kind",
                    "language",
                    "capacity",
                ]
            },
        ),
        (
            _("When and where"),
            {
                "fields": [
                    ("start", "end", "time_zone"),
                    "venue",
                    ("venue_name_en", "venue_name_zh"),
                    ("city_en", "city_zh", "country"),
                ]
            },
        ),
        (
            _("Review"),
            {
                "fields": [
                    "refusal_reason",
                    "reviewed_by",
                    "reviewed_at",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    actions = [
        "approve",
        "refuse",
        exports.SUB_VENUE_EVENTS.action(),
    ]

    def has_add_permission(self, request):
        return False  # delegations' heads propose them from their delegation's page

    @admin.display(description=_("sub-venue"), ordering="venue__name_en")
    def sub_venue(self, obj):
        return obj.venue.name if obj.venue_id else obj.venue_name

    @admin.action(description=_("Approve the selected proposals into the programme"))
    def approve(self, request, queryset):
        run_service(
            request,
            queryset,
            services.sub_venue_event_approve,
            _("%(count)d sub-venue events approved into the programme."),
            argument="event",
        )

    @admin.action(description=_("Refuse the selected proposals (with the reason written in each)"))
    def refuse(self, request, queryset):
        def refuse(*, event, by):
            services.sub_venue_event_refuse(event=event, by=by, reason=event.refusal_reason)

        run_service(
            request, queryset, refuse, _("%(count)d sub-venue events refused."), argument="event"
        )

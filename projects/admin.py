from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ciep.admin_actions import run_service

from . import exports, services
from .models import (
    Competition,
    CompetitionEntry,
    FollowUpReminder,
    Intention,
    IntentionEvent,
    ProgressReport,
    Project,
    ProjectCooperationType,
    ProjectDocument,
)


class ProjectCooperationTypeInline(admin.TabularInline):
    model = ProjectCooperationType
    extra = 1


class ProjectDocumentInline(admin.TabularInline):
    model = ProjectDocument
    extra = 0


class CompetitionEntryInline(admin.TabularInline):
    model = CompetitionEntry
    extra = 0
    autocomplete_fields = ["project"]
    fields = ["project", "result", "award"]


def _run(modeladmin, request, queryset, service, done, **kwargs):
    run_service(request, queryset, service, done, argument=modeladmin.service_argument, **kwargs)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    service_argument = "project"
    list_display = [
        "title_en",
        "title_zh",
        "kind",
        "owner_display",
        "owner_country_display",
        "edition",
        "state",
        "hidden_at",
    ]
    list_filter = ["edition", "state", "kind", "stage", "fields", "owner_country", "delegation"]
    list_select_related = ["edition", "organisation", "delegation", "expert"]
    search_fields = ["title_en", "title_zh", "summary_en", "summary_zh", "team_name"]
    autocomplete_fields = ["organisation", "delegation", "expert", "hidden_by", "created_by"]
    filter_horizontal = ["fields"]
    inlines = [ProjectCooperationTypeInline, ProjectDocumentInline]
    # States change only through the actions (the services), never in the form.
    readonly_fields = [
        "state",
        "published_at",
        "hidden_at",
        "hidden_by",
        "hidden_reason",
        "created_at",
        "updated_at",
    ]
    date_hierarchy = "created_at"
    actions = [
        "publish",
        "close",
        "unhide",
        exports.PROJECTS.action(),
    ]

    @admin.display(description=_("owner"))
    def owner_display(self, obj):
        return obj.owner_name

    # The field's own column rebuilds every country choice for each row (a quarter of a second
    # per page of 100); the country's name is a dictionary lookup.
    @admin.display(description=_("owner's country or region"), ordering="owner_country")
    def owner_country_display(self, obj):
        return obj.owner_country.name

    @admin.action(description=_("Close the selected projects"))
    def close(self, request, queryset):
        _run(self, request, queryset, services.project_close, _("%(count)d projects closed."))

    @admin.action(description=_("Show the selected hidden projects again"))
    def unhide(self, request, queryset):
        _run(self, request, queryset, services.project_unhide, _("%(count)d projects shown."))

    @admin.action(description=_("Publish the selected projects"))
    def publish(self, request, queryset):
        _run(self, request, queryset, services.project_publish, _("%(count)d projects published."))


class IntentionEventInline(admin.TabularInline):
    model = IntentionEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "from_state", "to_state", "by", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ProgressReportInline(admin.StackedInline):
    model = ProgressReport
    extra = 0
    fields = ["milestone", "text", "submitted_by", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["submitted_by"]


@admin.register(Intention)
class IntentionAdmin(admin.ModelAdmin):
    service_argument = "intention"
    list_display = [
        "__str__",
        "edition",
        "delegation",
        "organisation",
        "cooperation_type",
        "state",
        "signed_on",
        "created_at",
    ]
    list_filter = [
        "edition",
        "state",
        "cooperation_type",
        "fields",
        "delegation",
        "counterpart_organisation__country",
    ]
    list_select_related = [
        "edition",
        "delegation",
        "organisation",
        "counterpart_organisation",
        "counterpart_delegation",
        "counterpart_expert",
    ]
    search_fields = [
        "description_en",
        "description_zh",
        "counterpart_team",
        "delegation__name_en",
        "delegation__name_zh",
        "organisation__name_en",
        "organisation__name_zh",
        "counterpart_organisation__name_en",
        "counterpart_organisation__name_zh",
    ]
    autocomplete_fields = [
        "delegation",
        "organisation",
        "project",
        "counterpart_organisation",
        "counterpart_delegation",
        "counterpart_expert",
        "submitted_by",
    ]
    filter_horizontal = ["fields"]
    # The state moves only through the services (actions here, buttons on the site).
    readonly_fields = ["state", "state_changed_at", "created_at", "updated_at"]
    inlines = [IntentionEventInline, ProgressReportInline]
    date_hierarchy = "created_at"
    actions = [
        "mark_lapsed",
        exports.INTENTIONS.action(),
    ]

    @admin.action(description=_("Mark the selected intentions as lapsed"))
    def mark_lapsed(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            services.intention_lapse,
            _("%(count)d intentions marked as lapsed."),
        )


@admin.register(ProgressReport)
class ProgressReportAdmin(admin.ModelAdmin):
    list_display = ["intention", "milestone", "submitted_by", "created_at"]
    list_filter = ["milestone", "intention__edition", "intention__delegation"]
    list_select_related = [
        "intention__delegation",
        "intention__organisation",
        "intention__counterpart_organisation",
        "intention__counterpart_delegation",
        "intention__counterpart_expert",
        "submitted_by",
    ]
    search_fields = ["text"]
    autocomplete_fields = ["intention", "submitted_by"]
    actions = [exports.PROGRESS_REPORTS.action()]


@admin.register(FollowUpReminder)
class FollowUpReminderAdmin(admin.ModelAdmin):
    list_display = ["intention", "milestone", "sent_at"]
    list_filter = ["milestone", "intention__edition"]
    list_select_related = [
        "intention__delegation",
        "intention__organisation",
        "intention__counterpart_organisation",
        "intention__counterpart_delegation",
        "intention__counterpart_expert",
    ]
    search_fields = ["intention__description_en", "intention__description_zh"]
    autocomplete_fields = ["intention"]
    actions = [exports.FOLLOW_UP_REMINDERS.action()]


@admin.register(Competition)
class CompetitionAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_zh", "edition", "entries_open"]
    list_filter = ["edition", "entries_open"]
    list_select_related = ["edition"]
    search_fields = ["name_en", "name_zh", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [CompetitionEntryInline]
    actions = [exports.COMPETITIONS.action()]


@admin.register(CompetitionEntry)
class CompetitionEntryAdmin(admin.ModelAdmin):
    service_argument = "entry"
    list_display = ["project", "competition", "result", "award"]
    list_filter = ["competition__edition", "competition", "result", "project__fields"]
    list_select_related = ["project", "competition"]
    search_fields = ["project__title_en", "project__title_zh", "award"]
    autocomplete_fields = ["competition", "project", "entered_by"]
    actions = [
        "mark_finalist",
        "mark_winner",
        exports.COMPETITION_ENTRIES.action(),
    ]

    @admin.action(description=_("Mark the selected entries as finalists"))
    def mark_finalist(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            services.entry_set_result,
            _("%(count)d entries marked as finalists."),
            result=CompetitionEntry.Result.FINALIST,
        )

    @admin.action(description=_("Mark the selected entries as winners"))
    def mark_winner(self, request, queryset):
        _run(
            self,
            request,
            queryset,
            services.entry_set_result,
            _("%(count)d entries marked as winners."),
            result=CompetitionEntry.Result.WINNER,
        )

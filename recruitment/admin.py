from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import exports, services
from .models import (
    Application,
    ApplicationEvent,
    ApplicationNote,
    DemandAnswer,
    JobAlert,
    JobLanguage,
    JobPosting,
    JobReport,
    SavedJob,
    SavedSearch,
    TalentDemand,
    TalentLanguage,
    TalentProfile,
)

APPLICATION_EXPORT = exports.APPLICATIONS.action()


class HideActionForm(ActionForm):
    reason = forms.CharField(
        label=_("Reason (for hiding)"), required=False, widget=forms.TextInput(attrs={"size": 40})
    )


class JobLanguageInline(admin.TabularInline):
    model = JobLanguage
    extra = 0


class JobReportInline(admin.TabularInline):
    model = JobReport
    extra = 0
    fields = ["reporter", "reason", "created_at", "resolved_at"]
    readonly_fields = ["reporter", "reason", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(JobPosting)
class JobPostingAdmin(admin.ModelAdmin):
    action_form = HideActionForm
    list_display = [
        "title_en",
        "organisation",
        "edition",
        "field",
        "type",
        "status",
        "deadline",
        "hidden_at",
    ]
    list_filter = [
        "status",
        ("hidden_at", admin.EmptyFieldListFilter),
        "edition",
        "type",
        "field",
        "work_permit",
        "remote",
    ]
    search_fields = ["title_en", "title_zh", "organisation__name_en", "organisation__name_zh"]
    list_select_related = ["organisation", "edition", "field"]
    autocomplete_fields = ["organisation", "field", "posted_by", "hidden_by"]
    # States change only through the actions (the services), never in the form.
    readonly_fields = ["status", "published_at", "hidden_at", "hidden_by", "hidden_reason"]
    date_hierarchy = "created_at"
    inlines = [JobLanguageInline, JobReportInline]
    actions = [
        "hide",
        "restore",
        exports.JOB_POSTINGS.action(),
    ]

    @admin.action(description=_("Hide the selected postings (give a reason)"))
    def hide(self, request, queryset):
        reason = request.POST.get("reason", "")
        try:
            for posting in queryset.select_related("posted_by"):
                services.job_posting_hide(posting=posting, reason=reason, by=request.user)
        except ValidationError:
            self.message_user(
                request, _("Write the reason in the field next to the action."), messages.ERROR
            )
            return
        self.message_user(request, _("%(count)d postings hidden.") % {"count": queryset.count()})

    @admin.action(description=_("Restore the selected hidden postings"))
    def restore(self, request, queryset):
        for posting in queryset:
            services.job_posting_restore(posting=posting, by=request.user)
        self.message_user(request, _("%(count)d postings restored.") % {"count": queryset.count()})


@admin.register(JobReport)
class JobReportAdmin(admin.ModelAdmin):
    list_display = ["posting", "reporter", "created_at", "resolved_at"]
    list_filter = [("resolved_at", admin.EmptyFieldListFilter)]
    search_fields = ["posting__title_en", "posting__title_zh", "reason", "reporter__email"]
    list_select_related = ["posting", "reporter"]
    autocomplete_fields = ["posting", "reporter"]


class TalentLanguageInline(admin.TabularInline):
    model = TalentLanguage
    extra = 0


@admin.register(TalentProfile)
class TalentProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "headline", "nationality", "degree", "experience_years", "visibility"]
    list_filter = ["visibility", "degree", "nationality", "fields"]
    search_fields = ["user__name", "user__email", "headline", "summary_en", "summary_zh"]
    list_select_related = ["user"]
    autocomplete_fields = ["user", "fields"]
    inlines = [TalentLanguageInline]
    actions = [exports.TALENTS.action()]


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "from_state", "to_state", "by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class ApplicationNoteInline(admin.TabularInline):
    model = ApplicationNote
    extra = 0
    fields = ["author", "text", "created_at"]
    readonly_fields = ["author", "created_at"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["talent", "posting", "state", "created_at", "state_changed_at"]
    list_filter = ["state", "posting__edition", "posting__organisation"]
    search_fields = [
        "talent__user__name",
        "talent__user__email",
        "posting__title_en",
        "posting__title_zh",
    ]
    list_select_related = ["talent__user", "posting"]
    autocomplete_fields = ["talent", "posting"]
    # The state moves only through the services (the employer's pages), which record and email.
    readonly_fields = ["state", "state_changed_at"]
    inlines = [ApplicationEventInline, ApplicationNoteInline]
    actions = [APPLICATION_EXPORT]


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "query", "alerts", "created_at"]
    list_filter = ["alerts"]
    search_fields = ["name", "user__email", "query"]
    list_select_related = ["user"]
    autocomplete_fields = ["user"]


@admin.register(SavedJob)
class SavedJobAdmin(admin.ModelAdmin):
    list_display = ["user", "posting", "created_at"]
    search_fields = ["user__email", "posting__title_en"]
    list_select_related = ["user", "posting"]
    autocomplete_fields = ["user", "posting"]


@admin.register(JobAlert)
class JobAlertAdmin(admin.ModelAdmin):
    list_display = ["user", "posting", "sent_at"]
    search_fields = ["user__email", "posting__title_en"]
    list_select_related = ["user", "posting"]
    autocomplete_fields = ["user", "posting"]


@admin.register(TalentDemand)
class TalentDemandAdmin(admin.ModelAdmin):
    list_display = ["title_en", "delegation", "field", "level", "number", "status"]
    list_filter = ["status", "level", "field", "delegation__edition"]
    search_fields = ["title_en", "title_zh", "delegation__name_en", "delegation__name_zh"]
    list_select_related = ["delegation", "field"]
    autocomplete_fields = ["delegation", "field", "created_by"]
    # A delegation's members close their demands on their page (talent_demand_close).
    readonly_fields = ["status"]
    actions = [exports.TALENT_DEMANDS.action()]


@admin.register(DemandAnswer)
class DemandAnswerAdmin(admin.ModelAdmin):
    list_display = ["talent", "demand", "created_at"]
    list_filter = ["demand__delegation"]
    search_fields = ["talent__user__name", "talent__user__email", "demand__title_en", "message"]
    list_select_related = ["talent__user", "demand"]
    autocomplete_fields = ["talent", "demand"]
    actions = [exports.DEMAND_ANSWERS.action()]

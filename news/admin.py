from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ciep.admin_actions import run_service

from . import exports, services
from .models import (
    Accreditation,
    Article,
    CommitteeMeeting,
    CommitteeMember,
    MediaFigure,
    PressKitItem,
    WorkPlanItem,
)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["__str__", "category", "edition", "state", "publish_at", "published_at"]
    list_filter = ["state", "category", "edition", "fields"]
    list_select_related = ["edition"]
    search_fields = ["title_en", "title_zh", "summary_en", "summary_zh"]
    autocomplete_fields = ["edition"]
    filter_horizontal = ["fields"]
    date_hierarchy = "created_at"
    readonly_fields = [
        "state",
        "published_at",
        "author",
        "reviewed_by",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["category", "edition", "fields", "countries"]}),
        (_("English"), {"fields": ["title_en", "summary_en", "body_en", "lead_image_alt_en"]}),
        (_("Chinese"), {"fields": ["title_zh", "summary_zh", "body_zh", "lead_image_alt_zh"]}),
        (_("Lead image"), {"fields": ["lead_image"]}),
        (
            _("Publication"),
            {
                "fields": [
                    "state",
                    "publish_at",
                    "published_at",
                    "author",
                    "reviewed_by",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]
    actions = [
        "submit",
        "publish",
        "schedule",
        "return_to_draft",
        exports.ARTICLES.action(),
    ]

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.state in (Article.State.SCHEDULED, Article.State.PUBLISHED):
            fields.append("publish_at")  # moved only through the schedule action
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Send the selected drafts for review"))
    def submit(self, request, queryset):
        run_service(
            request,
            queryset,
            services.article_submit,
            _("%(count)d articles sent for review."),
            argument="article",
        )

    @admin.action(description=_("Publish the selected articles now"))
    def publish(self, request, queryset):
        run_service(
            request,
            queryset,
            services.article_publish,
            _("%(count)d articles published."),
            argument="article",
        )

    @admin.action(description=_("Schedule the selected articles at their publication time"))
    def schedule(self, request, queryset):
        def schedule(*, article, by):
            if article.publish_at is None:
                raise ValidationError(_("Give the article a publication time first."))
            services.article_schedule(article=article, by=by, publish_at=article.publish_at)

        run_service(
            request, queryset, schedule, _("%(count)d articles scheduled."), argument="article"
        )

    @admin.action(description=_("Return the selected articles to draft (withdraw)"))
    def return_to_draft(self, request, queryset):
        run_service(
            request,
            queryset,
            services.article_return_to_draft,
            _("%(count)d articles returned to draft."),
            argument="article",
        )


@admin.register(MediaFigure)
class MediaFigureAdmin(admin.ModelAdmin):
    list_display = ["edition", "key", "value", "source_en", "as_of", "entered_by"]
    list_filter = ["edition", "key"]
    list_select_related = ["edition", "entered_by"]
    search_fields = ["source_en", "source_zh"]
    autocomplete_fields = ["edition"]
    readonly_fields = ["entered_by", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Accreditation)
class AccreditationAdmin(admin.ModelAdmin):
    list_display = ["outlet", "journalist", "country", "role", "edition", "state", "decided_at"]
    list_filter = ["state", "edition", "role", "country"]
    list_select_related = ["edition", "journalist"]
    search_fields = ["outlet", "journalist__name", "journalist__email"]
    autocomplete_fields = ["edition", "journalist"]
    readonly_fields = [
        "edition",
        "journalist",
        "state",
        "press_card_link",
        "decided_by",
        "decided_at",
        "badge_code",
        "created_at",
        "updated_at",
    ]
    fields = [
        "edition",
        "journalist",
        "outlet",
        "country",
        "role",
        "press_card_link",
        "state",
        "refusal_reason",
        "decided_by",
        "decided_at",
        "badge_code",
        "created_at",
        "updated_at",
    ]
    actions = [
        "approve",
        "refuse",
        exports.ACCREDITATIONS.action(),
    ]

    def has_add_permission(self, request):
        return False  # journalists apply at /press/apply/

    @admin.display(description=_("press card"))
    def press_card_link(self, obj):
        if not obj.pk:
            return "-"
        return format_html(
            '<a href="{}">{}</a>', reverse("press:press_card", args=[obj.pk]), _("Open")
        )

    @admin.action(description=_("Approve the selected accreditations (mails the journalists)"))
    def approve(self, request, queryset):
        run_service(
            request,
            queryset,
            services.accreditation_approve,
            _("%(count)d accreditations approved."),
            argument="accreditation",
        )

    @admin.action(description=_("Refuse the selected accreditations (mails the journalists)"))
    def refuse(self, request, queryset):
        def refuse(*, accreditation, by):
            services.accreditation_refuse(
                accreditation=accreditation, by=by, reason=accreditation.refusal_reason
            )

        run_service(
            request,
            queryset,
            refuse,
            _("%(count)d accreditations refused."),
            argument="accreditation",
        )


@admin.register(PressKitItem)
class PressKitItemAdmin(admin.ModelAdmin):
    list_display = ["title_en", "title_zh", "kind", "edition"]
    list_filter = ["edition", "kind"]
    list_select_related = ["edition"]
    search_fields = ["title_en", "title_zh"]
    autocomplete_fields = ["edition"]


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_zh", "organisation_en", "role_en", "edition", "is_public"]
    list_filter = ["edition", "is_public"]
    list_select_related = ["edition"]
    list_editable = ["is_public"]
    search_fields = ["name_en", "name_zh", "organisation_en", "organisation_zh"]
    autocomplete_fields = ["edition"]


@admin.register(CommitteeMeeting)
class CommitteeMeetingAdmin(admin.ModelAdmin):
    list_display = ["date", "place_en", "edition", "is_public"]
    list_filter = ["edition", "is_public"]
    list_select_related = ["edition"]
    search_fields = ["place_en", "place_zh", "agenda_en", "agenda_zh"]
    autocomplete_fields = ["edition"]
    date_hierarchy = "date"


@admin.register(WorkPlanItem)
class WorkPlanItemAdmin(admin.ModelAdmin):
    list_display = ["title_en", "owner_en", "due_date", "state", "edition", "is_public"]
    list_filter = ["edition", "state", "is_public"]
    list_select_related = ["edition"]
    search_fields = ["title_en", "title_zh", "owner_en", "owner_zh"]
    autocomplete_fields = ["edition"]
    readonly_fields = ["state"]
    actions = ["mark_planned", "mark_in_progress", "mark_done"]

    def _move(self, request, queryset, state):
        run_service(
            request,
            queryset,
            services.work_plan_item_move,
            _("%(count)d tasks moved."),
            argument="item",
            state=state,
        )

    @admin.action(description=_("Mark the selected tasks as planned"))
    def mark_planned(self, request, queryset):
        self._move(request, queryset, WorkPlanItem.State.PLANNED)

    @admin.action(description=_("Mark the selected tasks as in progress"))
    def mark_in_progress(self, request, queryset):
        self._move(request, queryset, WorkPlanItem.State.IN_PROGRESS)

    @admin.action(description=_("Mark the selected tasks as done"))
    def mark_done(self, request, queryset):
        self._move(request, queryset, WorkPlanItem.State.DONE)

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from . import back_office_exports, mail, services
from .admin_actions import run_service
from .caching import page_apps
from .models import (
    AccessToken,
    Attendance,
    AuditEntry,
    Consent,
    Delegation,
    DelegationDocument,
    DelegationMember,
    Edition,
    EditionChange,
    EditionGuest,
    Field,
    Invitation,
    Membership,
    Organisation,
    OutgoingMail,
    User,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEvent,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "came_as", "preferred_language", "is_staff", "date_joined"]
    list_filter = ["came_as", "preferred_language", "is_staff", "is_active", "groups"]
    search_fields = ["email", "name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["name", "preferred_language", "came_as"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "name", "password1", "password2"]})
    ]
    actions = [back_office_exports.USERS.action()]


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_zh", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name_en", "name_zh", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    actions = [back_office_exports.FIELDS.action()]


class EditionAdminForm(forms.ModelForm):
    reschedule_reason_en = forms.CharField(
        label=_("Reason for rescheduling (English)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the dates or the format of an existing edition change."),
    )
    reschedule_reason_zh = forms.CharField(
        label=_("Reason for rescheduling (Chinese)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Edition
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        rescheduled = self.instance.pk and {"start_date", "end_date", "format"} & set(
            self.changed_data
        )
        if rescheduled and not cleaned.get("reschedule_reason_en"):
            self.add_error(
                "reschedule_reason_en",
                _("Say why the edition is rescheduled: the notice on the site shows it."),
            )
        return cleaned


class EditionChangeInline(admin.TabularInline):
    model = EditionChange
    extra = 0
    can_delete = False
    fields = [
        "created_at",
        "previous_start_date",
        "previous_format",
        "new_start_date",
        "new_format",
        "reason_en",
        "show_notice",
    ]
    readonly_fields = [
        "created_at",
        "previous_start_date",
        "previous_format",
        "new_start_date",
        "new_format",
        "reason_en",
    ]

    def has_add_permission(self, request, obj=None):
        return False


class EditionGuestFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """One guest of honour per edition: the database refuses a second one, and the form
        says so first (a conditional constraint is not checked by the inline's forms)."""
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        roles = [data.get("role") for data in kept]
        if self.instance.pk:  # rows the forms do not hold (added meanwhile) count too
            in_forms = [form.instance.pk for form in self.forms if form.instance.pk]
            others = EditionGuest.objects.filter(edition=self.instance).exclude(pk__in=in_forms)
            roles += list(others.values_list("role", flat=True))
        if roles.count(EditionGuest.Role.GUEST_OF_HONOUR) > 1:
            raise ValidationError(
                _("An edition has one guest of honour; make the others observers.")
            )


class EditionGuestInline(admin.TabularInline):
    """The edition's guest of honour and observers, each with a short introduction shown on
    its page."""

    model = EditionGuest
    formset = EditionGuestFormSet
    extra = 0
    fields = ["country", "role", "order", "intro_en", "intro_zh"]
    verbose_name = _("guest country")
    verbose_name_plural = _("Guest of honour and observers")


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    form = EditionAdminForm
    list_display = ["number", "title_en", "start_date", "format", "status", "is_current"]
    list_filter = ["status", "format", "is_current"]
    search_fields = ["title_en", "title_zh", "theme_en", "theme_zh"]
    inlines = [EditionGuestInline, EditionChangeInline]
    readonly_fields = ["is_current"]
    fieldsets = [
        (None, {"fields": ["number", "year", "status", "is_current"]}),
        (
            _("Title and theme"),
            {
                "fields": [
                    ("title_en", "title_zh"),
                    ("theme_en", "theme_zh"),
                    ("slogan_en", "slogan_zh"),
                ]
            },
        ),
        (
            _("When and where"),
            {
                "fields": [
                    ("start_date", "end_date"),
                    "format",
                    ("city_en", "city_zh"),
                    ("venue_en", "venue_zh"),
                ]
            },
        ),
        (_("Rescheduling"), {"fields": ["reschedule_reason_en", "reschedule_reason_zh"]}),
        (_("Hosts"), {"fields": [("hosts_en", "hosts_zh"), ("co_hosts_en", "co_hosts_zh")]}),
    ]
    actions = [
        "make_current",
        "clone",
        "open_editions",
        "conclude_editions",
        back_office_exports.EDITIONS.action(),
    ]

    def get_readonly_fields(self, request, obj=None):
        # An edition is entered in any state (past editions too); then only the actions move it.
        if obj is None:
            return self.readonly_fields
        return [*self.readonly_fields, "status"]

    @admin.action(description=_("Open the selected planned editions"))
    def open_editions(self, request, queryset):
        run_service(
            request,
            queryset,
            services.edition_open,
            _("%(count)d editions opened."),
            argument="edition",
        )

    @admin.action(description=_("Conclude the selected open editions"))
    def conclude_editions(self, request, queryset):
        run_service(
            request,
            queryset,
            services.edition_conclude,
            _("%(count)d editions concluded."),
            argument="edition",
        )

    @admin.action(description=_("Mark the selected edition as the current one"))
    def make_current(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one edition."), messages.ERROR)
            return
        edition = services.edition_make_current(edition=queryset.get(), by=request.user)
        self.message_user(request, _("%(edition)s is now current.") % {"edition": edition})

    @admin.action(description=_("Start the next edition from the selected one"))
    def clone(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one edition."), messages.ERROR)
            return
        try:
            edition = services.edition_clone(source=queryset.get(), by=request.user)
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)
            return
        self.message_user(
            request,
            _("%(edition)s was created as a planned edition: check its dates.")
            % {"edition": edition},
        )

    def save_model(self, request, obj, form, change):
        reason = form.cleaned_data.get("reschedule_reason_en")
        if change and reason:
            original = Edition.objects.get(pk=obj.pk)
            new_values = (obj.start_date, obj.end_date, obj.format)
            obj.start_date, obj.end_date, obj.format = (
                original.start_date,
                original.end_date,
                original.format,
            )
            super().save_model(request, obj, form, change)
            try:
                services.edition_reschedule(
                    edition=obj,
                    start_date=new_values[0],
                    end_date=new_values[1],
                    format=new_values[2],
                    reason_en=reason,
                    reason_zh=form.cleaned_data.get("reschedule_reason_zh", ""),
                    by=request.user,
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            obj.refresh_from_db()
        else:
            super().save_model(request, obj, form, change)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_zh", "type", "country", "city", "verified_at"]
    list_filter = ["type", "country", ("verified_at", admin.EmptyFieldListFilter), "fields"]
    search_fields = ["name_en", "name_zh", "city"]
    autocomplete_fields = ["fields", "verified_by"]
    readonly_fields = ["verified_at", "verified_by"]
    list_select_related = ["verified_by"]
    inlines = [MembershipInline]
    actions = [
        "verify",
        "unverify",
        back_office_exports.ORGANISATIONS.action(),
    ]

    @admin.action(description=_("Verify the selected organisations"))
    def verify(self, request, queryset):
        for organisation in queryset:
            services.organisation_verify(organisation=organisation, by=request.user)
        self.message_user(
            request, _("%(count)d organisations verified.") % {"count": queryset.count()}
        )

    @admin.action(description=_("Withdraw the verification of the selected organisations"))
    def unverify(self, request, queryset):
        for organisation in queryset:
            services.organisation_unverify(organisation=organisation, by=request.user)
        self.message_user(
            request, _("%(count)d organisations unverified.") % {"count": queryset.count()}
        )


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__email", "user__name", "organisation__name_en", "organisation__name_zh"]
    autocomplete_fields = ["user", "organisation"]
    list_select_related = ["user", "organisation"]
    actions = [back_office_exports.MEMBERSHIPS.action()]


class DelegationMemberInline(admin.TabularInline):
    model = DelegationMember
    extra = 0
    autocomplete_fields = ["user"]


class DelegationDocumentInline(admin.TabularInline):
    model = DelegationDocument
    extra = 0


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_zh", "kind", "country", "edition", "parent"]
    list_filter = ["edition", "kind", "country"]
    search_fields = ["name_en", "name_zh"]
    autocomplete_fields = ["parent", "organisations"]
    list_select_related = ["edition", "parent"]
    inlines = [DelegationMemberInline, DelegationDocumentInline]
    actions = [back_office_exports.DELEGATIONS.action()]


@admin.register(DelegationMember)
class DelegationMemberAdmin(admin.ModelAdmin):
    list_display = ["user", "delegation", "role"]
    list_filter = ["role", "delegation__edition"]
    search_fields = ["user__email", "user__name", "delegation__name_en", "delegation__name_zh"]
    autocomplete_fields = ["user", "delegation"]
    list_select_related = ["user", "delegation"]
    actions = [back_office_exports.DELEGATION_MEMBERS.action()]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "delegation", "role", "invited_by", "accepted_at"]
    list_filter = [("accepted_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    autocomplete_fields = ["organisation", "delegation", "invited_by"]
    list_select_related = ["organisation", "delegation", "invited_by"]


@admin.register(EditionChange)
class EditionChangeAdmin(admin.ModelAdmin):
    list_display = ["edition", "previous_start_date", "new_start_date", "new_format", "created_at"]
    list_filter = ["edition"]
    search_fields = ["reason_en", "reason_zh"]
    list_select_related = ["edition"]
    autocomplete_fields = ["changed_by"]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["name", "edition", "role", "country", "organisation", "checked_in_at"]
    list_filter = ["edition", "role", ("checked_in_at", admin.EmptyFieldListFilter), "country"]
    search_fields = ["name", "code", "user__email"]
    autocomplete_fields = ["user", "organisation", "delegation"]
    list_select_related = ["edition", "organisation"]
    readonly_fields = ["code", "checked_in_at"]
    actions = [back_office_exports.ATTENDANCE.action()]


@admin.register(OutgoingMail)
class OutgoingMailAdmin(admin.ModelAdmin):
    """What the portal is sending: organisers see what waits, what failed and why, and send a
    given-up mail again. Bodies hold personal data and links that sign people in (password
    resets), so they are not shown; nothing here can be written."""

    list_display = ["to", "subject", "state", "attempts", "created_at", "next_attempt_at"]
    list_filter = ["state", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["to", "subject"]
    date_hierarchy = "created_at"
    fields = ["to", "from_email", "subject", "state", "attempts", "next_attempt_at", "sent_at"]
    readonly_fields = fields + ["last_error"]
    actions = ["send_again"]

    def get_fields(self, request, obj=None):
        return [*self.fields, "last_error"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the given-up mails again"), permissions=["view"])
    def send_again(self, request, queryset):
        count = mail.mail_retry(mails=queryset)
        self.message_user(
            request,
            ngettext("%(count)d mail queued again.", "%(count)d mails queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


# --- Audit log ------------------------------------------------------------------------------

# The organisers' audit log replaces django-auditlog's own page (ciep/audit.py).
admin.site.unregister(LogEntry)

AUDIT_ACTIONS = {
    AuditEntry.Action.CREATE: pgettext_lazy("audit", "created"),
    AuditEntry.Action.UPDATE: pgettext_lazy("audit", "changed"),
    AuditEntry.Action.DELETE: pgettext_lazy("audit", "deleted"),
    AuditEntry.Action.ACCESS: pgettext_lazy("audit", "viewed"),
}


class AuditActionFilter(admin.SimpleListFilter):
    title = pgettext_lazy("audit", "action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        return list(AUDIT_ACTIONS.items())

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() is not None else queryset


class AuditRecordFilter(admin.SimpleListFilter):
    title = _("kind of record")
    parameter_name = "record"

    def lookups(self, request, model_admin):
        types = ContentType.objects.get_for_models(*auditlog.get_models()).items()
        return sorted(
            (
                (content_type.pk, capfirst(model._meta.verbose_name))
                for model, content_type in types
            ),
            key=lambda choice: str(choice[1]),
        )

    def queryset(self, request, queryset):
        return queryset.filter(content_type=self.value()) if self.value() else queryset


class AuditActorFilter(admin.SimpleListFilter):
    title = _("organiser")
    parameter_name = "organiser"

    def lookups(self, request, model_admin):
        return [
            (user.pk, str(user)) for user in User.objects.filter(is_staff=True).order_by("email")
        ]

    def queryset(self, request, queryset):
        return queryset.filter(actor=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log, read-only for everyone: entries are written by django-auditlog only."""

    date_hierarchy = "timestamp"
    list_display = ["when", "who", "action_label", "record", "record_text", "summary"]
    list_filter = [AuditActionFilter, AuditRecordFilter, AuditActorFilter]
    list_select_related = ["actor", "content_type"]
    search_fields = ["object_repr", "object_pk", "actor__email", "actor__name", "changes"]
    fields = [
        "when",
        "who",
        "address",
        "action_label",
        "record",
        "record_id",
        "record_text",
        "changes_table",
    ]
    readonly_fields = fields
    actions = [back_office_exports.AUDIT_LOG.action()]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # django-auditlog's own labels are not translated into Chinese: the columns carry ours.
    @admin.display(description=pgettext_lazy("audit", "when"), ordering="timestamp")
    def when(self, entry):
        return entry.timestamp

    @admin.display(description=pgettext_lazy("audit", "who"), ordering="actor")
    def who(self, entry):
        return entry.actor or entry.actor_email or "—"

    @admin.display(description=_("client address"))
    def address(self, entry):
        return entry.remote_addr

    @admin.display(description=_("record number"))
    def record_id(self, entry):
        return entry.object_pk

    @admin.display(description=pgettext_lazy("audit", "record"), ordering="object_repr")
    def record_text(self, entry):
        return entry.object_repr

    @admin.display(description=pgettext_lazy("audit", "action"), ordering="action")
    def action_label(self, entry):
        return AUDIT_ACTIONS.get(entry.action, entry.action)

    @admin.display(description=_("kind of record"), ordering="content_type")
    def record(self, entry):
        model = entry.content_type.model_class()
        return capfirst(model._meta.verbose_name) if model else entry.content_type.model

    def _changes(self, entry):
        try:
            return entry.changes_display_dict
        except Exception:  # a model that no longer exists: show what was stored
            return entry.changes_dict

    @admin.display(description=_("changes"))
    def summary(self, entry):
        text = "; ".join(
            f"{capfirst(field)}: {self._value(values, 0)} → {self._value(values, 1)}"
            for field, values in self._changes(entry).items()
        )
        return Truncator(text).chars(140)

    @admin.display(description=_("changes"))
    def changes_table(self, entry):
        rows = format_html_join(
            "",
            "<tr><th scope='row'>{}</th><td>{}</td><td>{}</td></tr>",
            (
                (capfirst(field), self._value(values, 0), self._value(values, 1))
                for field, values in self._changes(entry).items()
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            pgettext_lazy("audit", "field"),
            pgettext_lazy("audit", "before"),
            pgettext_lazy("audit", "after"),
            rows,
        )

    @staticmethod
    def _value(values, index):
        # Changes of a many-to-many field are {"type": "m2m", "operation": ..., "objects": ...}.
        if isinstance(values, dict):
            return ", ".join(values.get("objects", [])) if index else values.get("operation", "")
        return values[index] if len(values) > index else ""


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    """Personal access tokens of the JSON API, for organisers to see who reads what. Only the
    token's beginning and a hash are stored; nothing here can be written (their owners create
    and revoke them on their own page)."""

    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = [
        ("revoked_at", admin.EmptyFieldListFilter),
        ("expires_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["name", "prefix", "user__email", "user__name"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    fields = [
        "user",
        "name",
        "prefix",
        "scopes",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrganisersWebhookForm(forms.ModelForm):
    """The organisers' own webhook (no organisation: it hears every organisation's events),
    checked and saved by ``services.webhook_create``."""

    events = forms.MultipleChoiceField(
        label=_("events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Webhook
        fields = ["url", "events"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            services.webhook_check_address(url)
        except ValidationError as error:
            raise ValidationError(error.message_dict["url"]) from None
        return url


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin):
    """Webhooks. Organisations' admins add and remove theirs on their organisation's page;
    organisers add their own here (without an organisation), which hear every event."""

    list_display = ["url", "organisation_or_organisers", "created_at"]
    list_filter = [("organisation", admin.EmptyFieldListFilter)]
    search_fields = ["url", "organisation__name_en", "organisation__name_zh"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "url", "events", "secret", "created_by", "created_at"]
    readonly_fields = fields

    @admin.display(description=_("organisation"), ordering="organisation")
    def organisation_or_organisers(self, webhook):
        return webhook.organisation or _("The organisers (every event)")

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = OrganisersWebhookForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["url", "events"] if obj is None else self.fields

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        created = services.webhook_create(
            organisation=None,
            url=form.cleaned_data["url"],
            events=form.cleaned_data["events"],
            by=request.user,
        )
        obj.pk, obj.secret = created.pk, created.secret

    def delete_model(self, request, obj):
        services.webhook_delete(webhook=obj, by=request.user)


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    fields = ["number", "created_at", "response_status", "latency_ms", "response_excerpt", "error"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    """Every event told to a webhook, with each attempt's answer, latency and the beginning
    of its body; organisers send a delivery again with the action."""

    list_display = [
        "event",
        "webhook",
        "state",
        "attempts",
        "response_status",
        "latency_ms",
        "created_at",
        "sent_at",
    ]
    list_filter = ["state", "event"]
    search_fields = ["webhook__url", "webhook__organisation__name_en"]
    list_select_related = ["webhook"]
    date_hierarchy = "created_at"
    actions = ["redeliver"]
    inlines = [WebhookAttemptInline]
    fields = [
        "webhook",
        "event",
        "payload",
        "state",
        "attempts",
        "next_attempt_at",
        "response_status",
        "latency_ms",
        "response_excerpt",
        "last_error",
        "created_at",
        "sent_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected deliveries again"), permissions=["view"])
    def redeliver(self, request, queryset):
        count = 0
        for delivery in queryset.select_related("webhook__organisation"):
            try:
                services.webhook_delivery_redeliver(delivery=delivery, by=request.user)
            except PermissionDenied:
                continue
            count += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d delivery queued again.", "%(count)d deliveries queued again.", count
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Consent records, read-only: only the services that publish or hide data write them."""

    date_hierarchy = "created_at"
    list_display = ["created_at", "user", "purpose", "object_label", "granted", "text_version"]
    list_filter = ["purpose", "granted", "text_version", "created_at"]
    list_select_related = ["user"]
    search_fields = ["user__email", "user__name", "object_label"]
    fields = [
        "created_at",
        "user",
        "purpose",
        "object_type",
        "object_id",
        "object_label",
        "granted",
        "text_version",
        "text",
    ]
    readonly_fields = fields
    actions = [back_office_exports.CONSENTS.action()]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# --- The back office's index: the core, then the areas in their order ----------------------

_app_list = admin.site.get_app_list


def _app_list_in_area_order(request, app_label=None):
    """The admin's apps grouped as the portal lists them (``ciep.areas``), the core first and
    the apps that are no area (accounts, the audit log) last."""
    order = {label: position for position, label in enumerate(page_apps())}
    return sorted(
        _app_list(request, app_label),
        key=lambda app: (order.get(app["app_label"], len(order)), str(app["name"])),
    )


admin.site.get_app_list = _app_list_in_area_order

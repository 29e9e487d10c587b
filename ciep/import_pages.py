"""The pages of a bulk import (``ciep.imports``), the same for every import.

An area's view finds the object the rows go into (scoped to the user: what they may not act
on is a 404), then answers with :func:`template_response`, :func:`upload_page` or
:func:`preview_page`, giving an :class:`ImportPages` that says which schema, which object,
the addresses of the flow and the page the rows are listed on afterwards. The same pages serve
the portal (``base.html``) and the back office (``admin/base_site.html`` with the admin's
context).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .forms import ImportUploadForm
from .imports import (
    CSV_TYPE,
    XLSX_TYPE,
    ImportSchema,
    Table,
    build_preview,
    import_batch_confirm,
    import_batch_create,
    limits_text,
    read_table,
    template_csv,
    template_xlsx,
)
from .models import Delegation, ImportBatch


@dataclass
class ImportPages:
    schema: ImportSchema
    scope: object
    # The URLs of the flow: "template" (takes the format, "csv" or "xlsx"), "upload",
    # "preview" (takes the batch's token) and "done" (where the imported rows are listed).
    template_url: Callable[[str], str]
    upload_url: str
    preview_url: Callable[[object], str]
    done_url: str
    heading: str = ""  # what the rows go into, under the page's title
    base_template: str = "base.html"
    extra_context: dict = field(default_factory=dict)

    @classmethod
    def named(cls, url_name: str, args: list, **kwargs) -> "ImportPages":
        """The pages of an import whose URLs follow one naming: ``url_name`` (the upload),
        ``<url_name>_template`` (+ the format) and ``<url_name>_preview`` (+ the token),
        each taking ``args`` first."""
        return cls(
            template_url=lambda file_format: reverse(
                f"{url_name}_template", args=[*args, file_format]
            ),
            upload_url=reverse(url_name, args=args),
            preview_url=lambda batch: reverse(f"{url_name}_preview", args=[*args, batch.token]),
            **kwargs,
        )

    @classmethod
    def admin(cls, model_admin, request, url_name: str, args: list, **kwargs) -> "ImportPages":
        """The same pages in the back office, under ``admin:<url_name>``."""
        return cls.named(
            f"admin:{url_name}",
            args,
            base_template="admin/base_site.html",
            extra_context={
                **model_admin.admin_site.each_context(request),
                "opts": model_admin.model._meta,
            },
            **kwargs,
        )

    def check(self, request) -> None:
        if not self.schema.may_import(request.user, self.scope):
            raise PermissionDenied

    def render(self, request, template: str, context: dict, status: int = 200):
        return render(
            request,
            template,
            {
                **self.extra_context,
                "base_template": self.base_template,
                "schema": self.schema,
                "heading": self.heading,
                "title": self.schema.title,
                "upload_url": self.upload_url,
                "template_csv_url": self.template_url("csv"),
                "template_xlsx_url": self.template_url("xlsx"),
                "done_url": self.done_url,
                "limits": limits_text(),
                **context,
            },
            status=status,
        )


def template_response(request, pages: ImportPages, file_format: str) -> HttpResponse:
    """The template to fill in, headers in the page's language, as CSV or .xlsx."""
    pages.check(request)
    if file_format == "csv":
        body, content_type = template_csv(pages.schema, pages.scope), CSV_TYPE
    elif file_format == "xlsx":
        body, content_type = template_xlsx(pages.schema, pages.scope), XLSX_TYPE
    else:
        raise Http404
    response = HttpResponse(body, content_type=content_type)
    name = f"{pages.schema.file_stem}-{get_language()}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def upload_page(request, pages: ImportPages) -> HttpResponse:
    """The upload form; a file that imports as it is goes on to its preview, any other is
    shown again with every error and the good rows, and nothing is kept of it."""
    pages.check(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    preview = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            preview = build_preview(pages.schema, table, scope=pages.scope, user=request.user)
            if preview.valid:
                batch = import_batch_create(
                    schema=pages.schema,
                    scope=pages.scope,
                    table=table,
                    file_name=upload.name or "",
                    by=request.user,
                )
                return redirect(pages.preview_url(batch))
    return pages.render(
        request,
        "ciep/import_upload.html",
        {"form": form, "preview": preview},
    )


def preview_page(request, pages: ImportPages, token) -> HttpResponse:
    """The rows a valid file will create, and the button that imports them all (once)."""
    pages.check(request)
    batch = get_object_or_404(
        ImportBatch,
        token=token,
        user=request.user,
        schema=pages.schema.key,
        scope=pages.schema.scope_key(pages.scope),
    )
    if request.method == "POST":
        try:
            batch, imported = import_batch_confirm(
                batch=batch, schema=pages.schema, scope=pages.scope, by=request.user
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(pages.upload_url)
        if imported:
            messages.success(
                request, _("%(count)d rows imported.") % {"count": batch.created_count}
            )
        else:
            messages.info(request, _("This file was already imported; nothing was added twice."))
        return redirect(pages.done_url)
    preview = None
    if batch.confirmed_at is None:
        preview = build_preview(
            pages.schema, Table.from_json(batch.table), scope=pages.scope, user=request.user
        )
    return pages.render(request, "ciep/import_preview.html", {"batch": batch, "preview": preview})


def import_views(pages_for: Callable) -> tuple:
    """The three views of an import (template, upload, preview) for an area's URLs, from
    ``pages_for(request, **url_kwargs) -> ImportPages``, which finds the object scoped to the
    user (a 404 for anyone else). Signed-in people only."""

    @login_required
    def template_view(request, file_format: str, **kwargs):
        return template_response(request, pages_for(request, **kwargs), file_format)

    @login_required
    def upload_view(request, **kwargs):
        return upload_page(request, pages_for(request, **kwargs))

    @login_required
    def preview_view(request, token, **kwargs):
        return preview_page(request, pages_for(request, **kwargs), token)

    return template_view, upload_view, preview_view


def import_urls(prefix: str, url_name: str, views: tuple) -> list:
    """The URLs of an import's three ``views`` (``import_views``): ``<prefix>`` (the upload;
    ``prefix`` holds the object's converter, e.g. "demands/import/<int:delegation_pk>/"),
    ``<prefix>template.<format>`` and ``<prefix><token>/``, named ``url_name``,
    ``<url_name>_template`` and ``<url_name>_preview`` (as ``ImportPages.named`` expects)."""
    template_view, upload_view, preview_view = views
    return [
        path(prefix, upload_view, name=url_name),
        path(f"{prefix}template.<str:file_format>", template_view, name=f"{url_name}_template"),
        path(f"{prefix}<uuid:token>/", preview_view, name=f"{url_name}_preview"),
    ]


def admin_import_urls(model_admin, prefix: str, url_name: str, pages_for: Callable) -> list:
    """``import_urls`` for a ``ModelAdmin.get_urls``, behind the admin's own checks;
    ``pages_for(request, **kwargs)`` gives ``ImportPages.admin(...)``."""
    wrap = model_admin.admin_site.admin_view
    return import_urls(prefix, url_name, tuple(map(wrap, import_views(pages_for))))


def delegation_import_pages(
    request, delegation_pk: int, url_name: str, *, schema: ImportSchema, done_url: str
) -> ImportPages:
    """The pages of an import into a delegation that the user heads (a 404 for anyone else:
    the head speaks for the delegation)."""
    delegation = get_object_or_404(
        Delegation.objects.headed_by(request.user).select_related("edition"), pk=delegation_pk
    )
    return ImportPages.named(
        url_name,
        [delegation.pk],
        schema=schema,
        scope=delegation,
        done_url=done_url,
        heading=f"{delegation.name} · {delegation.edition.title}",
    )

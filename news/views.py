from pathlib import PurePath
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ciep.models import Edition
from ciep.qr import qr_svg
from ciep.selectors import current_edition
from ciep.storage import private_file_response

from . import selectors, services
from .filters import ArticleFilter
from .forms import AccreditationForm
from .models import Accreditation
from .permissions import can_edit_articles

PAGE_SIZE = 12


def article_list(request):
    filterset = ArticleFilter(request.GET or None, queryset=selectors.article_list())
    page_obj = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "news/article_list.html",
        {
            "filter": filterset,
            "page_obj": page_obj,
            "articles": page_obj.object_list,
            "filtered": any(value for key, value in request.GET.items() if key != "page"),
        },
    )


def share_links(url: str, title: str) -> list[tuple[str, str]]:
    """Where a reader may share an article: (service, address); WeChat by its QR code."""
    return [
        (
            "Weibo",
            "https://service.weibo.com/share/share.php?" + urlencode({"url": url, "title": title}),
        ),
        ("LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url})),
        ("X", "https://twitter.com/intent/tweet?" + urlencode({"url": url, "text": title})),
        ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
        ("E-mail", "mailto:?" + urlencode({"subject": title, "body": url})),
    ]


def article_detail(request, pk: int):
    article = get_object_or_404(selectors.article_detail_queryset(request.user), pk=pk)
    url = settings.PORTAL_URL.rstrip("/") + request.path
    return render(
        request,
        "news/article_detail.html",
        {
            "article": article,
            "can_edit": can_edit_articles(request.user),
            "share_links": share_links(url, str(article.title)),
            "share_url": url,
            "wechat_qr": qr_svg(url, title=str(article.title), scale=3),
        },
    )


# --- Press centre ---------------------------------------------------------------------------


def _current_edition_or_404():
    edition = current_edition()
    if edition is None:
        raise Http404
    return edition


def press_centre(request):
    """The current edition's press centre: how to be accredited, and for an accredited
    journalist their badge and the press kit. Personal: never cached."""
    edition = _current_edition_or_404()
    accreditation = selectors.accreditation_of(request.user, edition)
    accredited = accreditation is not None and accreditation.is_approved
    return render(
        request,
        "news/press_centre.html",
        {
            "edition": edition,
            "accreditation": accreditation,
            "press_kit": selectors.press_kit(edition) if accredited else [],
        },
    )


@login_required
def accreditation_apply(request):
    edition = _current_edition_or_404()
    form = AccreditationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.accreditation_apply(
                edition=edition, journalist=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _errors_to_form(form, error)
        else:
            messages.success(
                request, _("Your application has been sent. The organisers will write to you.")
            )
            return redirect("press:centre")
    return render(request, "news/accreditation_form.html", {"form": form, "edition": edition})


def _errors_to_form(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
def accreditation_badge(request, pk: int):
    """The press badge of an accredited journalist, with the QR code the check-in desk scans."""
    accreditation = get_object_or_404(
        Accreditation.objects.approved().filter(journalist=request.user).select_related("edition"),
        pk=pk,
    )
    return render(
        request,
        "news/accreditation_badge.html",
        {
            "accreditation": accreditation,
            "qr": qr_svg(f"CIEP-PRESS-{accreditation.badge_code}", title=_("Press badge")),
        },
    )


@login_required
def press_card(request, pk: int):
    """A journalist's press card: to the journalist and the organisers only."""
    accreditation = get_object_or_404(Accreditation.objects.visible_to(request.user), pk=pk)
    extension = PurePath(accreditation.press_card.name).suffix
    return private_file_response(
        accreditation.press_card, filename=f"press-card-{accreditation.pk}{extension}"
    )


@login_required
def press_kit_download(request, pk: int):
    item = get_object_or_404(selectors.press_kit_visible_to(request.user), pk=pk)
    extension = PurePath(item.file.name).suffix
    return private_file_response(item.file, filename=f"ciep-press-kit-{item.pk}{extension}")


def committee(request, number: int):
    edition = get_object_or_404(Edition, number=number)
    return render(
        request,
        "news/committee.html",
        {"edition": edition, **selectors.committee(edition, request.user)},
    )

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from ciep.qr import qr_svg

from . import selectors
from .filters import ArticleFilter
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

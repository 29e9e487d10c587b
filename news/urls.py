from django.urls import path

from ciep.caching import cache_for_visitors

from . import views
from .feeds import ArticleFeed

app_name = "news"

urlpatterns = [
    path("", cache_for_visitors("news")(views.article_list), name="article_list"),
    path("feed/", cache_for_visitors("news")(ArticleFeed()), name="feed"),
    path(
        "<int:pk>/",
        cache_for_visitors("news", shows="news.Article")(views.article_detail),
        name="article_detail",
    ),
]

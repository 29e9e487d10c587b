"""The news' part of a synthetic edition (``generate_edition``): the media figures the
organisers enter after the fair, at the 17th edition's published figures unless the options
name others (``media_outlets``, ``press_releases``, ``live_views``,
``new_media_readership``)."""

from news.models import MediaFigure

# "73 domestic and foreign media ... released 1,857 pieces of press release", "live videos of
# the Opening Ceremony had been viewed for about 687,000 times", "the readership of new media
# exceeded 32 million".
SEVENTEENTH_EDITION = {
    MediaFigure.Key.MEDIA_OUTLETS: 73,
    MediaFigure.Key.PRESS_RELEASES: 1857,
    MediaFigure.Key.LIVE_VIEWS: 687_000,
    MediaFigure.Key.NEW_MEDIA_READERSHIP: 32_000_000,
}
SOURCE_EN = "The organising committee's closing press release"
SOURCE_ZH = "组委会闭幕新闻稿"


def generate(ctx) -> None:
    edition = ctx.edition
    rows = [
        MediaFigure(
            edition=edition,
            key=key,
            value=ctx.options.get(str(key), default),
            source_en=SOURCE_EN,
            source_zh=SOURCE_ZH,
            as_of=edition.end_date,
        )
        for key, default in SEVENTEENTH_EDITION.items()
    ]
    MediaFigure.objects.filter(edition=edition).delete()
    MediaFigure.objects.bulk_create(rows)
    ctx.progress.step("media figures", len(rows), len(rows))

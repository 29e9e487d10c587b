"""Template helpers shared by every app's pages."""

import hashlib
from html import escape

from django import template
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.base import token_kwargs
from django.templatetags.static import static
from django.urls import translate_url
from django.utils.formats import date_format
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext

from ..bilingual import is_chinese, shown_language
from ..caching import shared
from ..countries import country_name as _country_name
from ..idempotency import FIELD, new_token
from ..permissions import heads_delegation, is_delegation_head, is_organisation_admin
from ..places import place_name

register = template.Library()


@register.simple_tag
def form_token():
    """A create form's one-time token: sending the form twice creates one row."""
    return mark_safe(f'<input type="hidden" name="{FIELD}" value="{new_token()}">')


@register.simple_tag
def lang_of(instance, name: str) -> SafeString:
    """`` lang="en"`` (or Chinese) on the element around a bilingual text when the reader's
    language has none and the other language's text is shown, so that a screen reader reads
    it with the right voice: ``<h1{% lang_of session "title" %}>{{ session.title }}</h1>``."""
    shown = shown_language(instance, name) if instance is not None else None
    page = "zh-Hans" if is_chinese() else "en"
    if shown is None or shown == page:
        return mark_safe("")
    return mark_safe(f' lang="{shown}"')


@register.simple_tag
def form_errors_id(form) -> str:
    """The id of the alert that holds a form's own errors (``includes/form.html``)."""
    return f"{form.prefix}-form-errors" if form.prefix else "form-errors"


@register.simple_tag
def field_widget(field):
    """The field's widget, linked to its help text and errors for screen readers; also to the
    form's own errors when the form says they are about every field (a wrong password)."""
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    attrs = {}
    if field.errors:
        described_by.append(f"{field.auto_id}_errors")
        attrs["aria-invalid"] = "true"
    form = field.form
    if (
        getattr(form, "errors_describe_fields", False)
        and field.widget_type != "checkbox"
        and form.non_field_errors()
    ):
        described_by.append(form_errors_id(form))
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


def _attributes(attrs: dict) -> str:
    """HTML attributes as Django's widget templates write them (True bare, False left out)."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


@register.simple_tag
def select_options(widget) -> SafeString:
    """A select's options, written here rather than through a template per option.

    Django renders every ``<option>`` through two included templates; the country list's 250
    options then cost more than the rest of a search page. The markup is the same.
    """
    lines = []
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            lines.append(f'<optgroup label="{escape(str(group_name))}">')
        lines.extend(
            f'<option value="{escape(str(option["value"]))}"{_attributes(option["attrs"])}>'
            f"{escape(str(option['label']))}</option>"
            for option in options
        )
        if group_name:
            lines.append("</optgroup>")
    return mark_safe("\n" + "\n".join(lines))  # every text above is escaped


@register.simple_tag(takes_context=True)
def shared_form(context, form, *app_labels: str) -> SafeString:
    """A filter form drawn once for every reader who chose the same filters.

    Only for GET forms that hold nothing personal (no CSRF token, no per-user choices): the
    HTML is kept per page, filters and language until ``app_labels`` (whose data fill the
    choices) change.
    """
    data = form.data.urlencode() if form.is_bound else ""
    digest = hashlib.sha256(f"{context['request'].path}?{data}".encode()).hexdigest()
    return mark_safe(shared(f"form:{digest}", lambda: str(form), *app_labels))


class SharedPartNode(template.Node):
    def __init__(self, nodelist, name, app_labels, options):
        self.nodelist, self.name, self.app_labels, self.options = (
            nodelist,
            name,
            app_labels,
            options,
        )

    def render(self, context):
        options = {key: value.resolve(context) for key, value in self.options.items()}
        app_labels = []
        for value in (label.resolve(context) for label in self.app_labels):
            app_labels += [value] if isinstance(value, str) else list(value)
        reads = {}
        if options.get("shows") is not None:
            shown = options["shows"]
            reads["shows"] = (shown._meta.label_lower, shown.pk)
            name = f"{self.name}:{shown._meta.label_lower}:{shown.pk}"
        elif options.get("edition") is not None:
            reads["edition"] = getattr(options["edition"], "pk", options["edition"])
            name = f"{self.name}:{reads['edition']}"
        else:
            name = self.name

        def draw():
            # Drawn as for a visitor: nothing of the person reading can enter a shared part.
            with context.push(user=AnonymousUser(), request=None, csrf_token=None, perms=None):
                return self.nodelist.render(context)

        return mark_safe(shared(f"part:{name}", draw, *app_labels, **reads))


@register.tag
def shared_part(parser, token):
    """``{% shared_part "name" "app" … shows=object %}…{% end_shared_part %}``: a part of a
    page that is the same for every reader (the apps may also be given as a list), drawn once
    and kept until what it reads changes (``ciep.caching.shared``): with ``shows``, that
    object's version, as its page; with ``edition``, that edition's content of the apps.
    What it reads lazily (a related list in the template) is read only when it is drawn. It
    is drawn as for a visitor without a session: ``user`` is anonymous and there is no CSRF
    token or request inside it.
    """
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("shared_part needs a name")
    name, *rest = bits
    options = token_kwargs([bit for bit in rest if "=" in bit], parser)
    app_labels = [parser.compile_filter(bit) for bit in rest if "=" not in bit]
    nodelist = parser.parse(("end_shared_part",))
    parser.delete_first_token()
    return SharedPartNode(nodelist, name.strip("\"'"), app_labels, options)


@register.filter
def day_heading(day) -> str:
    """A programme day: "Thursday 26 May 2022", "2022年5月26日 星期四"."""
    return date_format(day, "Y年n月j日 l" if is_chinese() else "l j F Y")


@register.filter
def heads(user, delegation) -> bool:
    """``{% if user|heads:delegation %}``: the delegation's head, who speaks for it."""
    return heads_delegation(user, delegation)


@register.filter
def place(text) -> str:
    """A city or province in the reader's language ("Shenzhen", "深圳") when it is known."""
    return place_name(str(text or ""))


@register.filter
def country_name(code) -> str:
    return _country_name(str(code) if code else "")


SHARE_DESCRIPTION_LENGTH = 160
OPEN_GRAPH_LOCALES = {"en": "en_GB", "zh-hans": "zh_CN"}


def _absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.PORTAL_URL.rstrip("/") + url


@register.inclusion_tag("includes/share_card.html", takes_context=True)
def share_card(context, title="", description="", image=None, kind="website"):
    """What search engines and share previews (WeChat, Weibo, LinkedIn) read of a page.

    A description from the page's own text, the canonical address and the page in each
    language (``hreflang``; English, the unprefixed one, is the default), and Open Graph and
    Twitter card tags with the page's image or the conference's card. Addresses are built on
    ``PORTAL_URL``, never on the request's host, so a cached page names the real site.
    """
    request = context.get("request")
    path = request.path if request is not None else "/"
    page = request.GET.get("page", "") if request is not None else ""
    canonical = _absolute(path) + (f"?page={page}" if page.isascii() and page.isdigit() else "")
    language = get_language() or settings.LANGUAGE_CODE
    alternates = [
        ("zh-Hans" if code == "zh-hans" else code, _absolute(translate_url(path, code)))
        for code, _name in settings.LANGUAGES
    ]
    text = " ".join(strip_tags(str(description or "")).split())
    image_url = getattr(image, "url", image) if image else static("img/share-card.png")
    return {
        "title": title or gettext("Conference on International Exchange of Professionals"),
        "description": Truncator(text).chars(SHARE_DESCRIPTION_LENGTH)
        or gettext(
            "The yearly talent and technology fair in Shenzhen: exhibitors, jobs for foreign "
            "experts, project cooperation and the Shenzhen Forum, in English and Chinese."
        ),
        "image": _absolute(image_url),
        "has_own_image": bool(image),
        "kind": kind,
        "canonical": canonical,
        "alternates": alternates,
        "default_alternate": _absolute(translate_url(path, settings.LANGUAGE_CODE)),
        "locale": OPEN_GRAPH_LOCALES.get(language, "en_GB"),
        "other_locales": [
            locale for code, locale in OPEN_GRAPH_LOCALES.items() if code != language
        ],
    }


TITLES = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms", "sir", "dame"})


@register.filter
def initials(name) -> str:
    """A monogram for a name without a logo: two initials ("Galilee Biomed" -> "GB"), or the
    first two characters of a Chinese name ("深圳大学" -> "深圳")."""
    text = str(name or "").strip()
    if not text:
        return ""
    if not text[0].isascii():
        return text[:2]
    words = [
        word
        for word in text.replace("-", " ").split()
        if word[:1].isalnum() and word.lower().rstrip(".") not in TITLES
    ]
    if len(words) < 2:
        return text[:2].upper()
    return "".join(word[0] for word in words[:2]).upper()


@register.filter(name="is_organisation_admin")
def is_organisation_admin_filter(membership) -> bool:
    """``{% if membership|is_organisation_admin %}``: the permission rule, for a row in hand."""
    return is_organisation_admin(membership)


@register.filter(name="is_delegation_head")
def is_delegation_head_filter(member) -> bool:
    """``{% if member|is_delegation_head %}``: the permission rule, for a row in hand."""
    return is_delegation_head(member)

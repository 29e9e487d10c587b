"""Headers that tell browsers what the portal's responses may do.

Every response carries a strict Content-Security-Policy (scripts, styles and fonts from the
portal only, images and media also from the public media origin, no plugins, no framing, forms
posted only to the portal), a Permissions-Policy that turns off the device features no page
uses, and Cross-Origin-Resource-Policy: same-origin, except on public media, which other sites
and mail clients may show; public media the portal serves itself get a sandboxing policy of
their own instead, and a download's Content-Disposition unless they are images. Django's
SecurityMiddleware adds Referrer-Policy and Cross-Origin-Opener-Policy; this middleware sits
right before it (so that its HTTPS redirects are covered too) and before whitenoise, so static
files, error pages, the admin and allauth's pages get the same headers.
"""

from urllib.parse import urlsplit

from django.conf import settings

# Features the browser would otherwise offer a page (or a frame in it); none is used.
DISABLED_FEATURES = (
    "accelerometer",
    "autoplay",
    "browsing-topics",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DISABLED_FEATURES)


def public_media_origins(
    *,
    bucket: str,
    custom_domain: str = "",
    url_protocol: str = "https:",
    endpoint_url: str = "",
    region: str = "",
    addressing_style: str = "",
) -> list[str]:
    """The origins of public media's URLs on object storage, for the policy's img-src.

    Mirrors how django-storages and boto name a public file: on the custom domain when there is
    one; otherwise on the endpoint (path addressing, boto's choice for an endpoint unless
    `virtual` is asked) or on the bucket's own host below it (virtual addressing). On AWS
    itself (no endpoint) boto names the bucket's host on the global or the regional domain, so
    both are listed. No bucket, no origin: local media are served by the portal itself.
    """
    if not bucket:
        return []
    if custom_domain:
        host = custom_domain.removeprefix("//").split("/", 1)[0]
        return [f"{url_protocol.rstrip(':')}://{host}"]
    if endpoint_url:
        endpoint = urlsplit(endpoint_url)
        if addressing_style == "virtual":
            return [f"{endpoint.scheme}://{bucket}.{endpoint.netloc}"]
        return [f"{endpoint.scheme}://{endpoint.netloc}"]
    suffix = "amazonaws.com.cn" if region.startswith("cn-") else "amazonaws.com"
    hosts = [] if region.startswith("cn-") else ["s3.amazonaws.com"]
    if region:
        hosts.append(f"s3.{region}.{suffix}")
    if addressing_style == "path":
        return [f"https://{host}" for host in hosts]
    return [f"https://{bucket}.{host}" for host in hosts]


def media_url_origins(media_url: str) -> list[str]:
    """The origin of public media on the local disk when ``MEDIA_URL`` names another origin
    (``https://media.ciep.example.org/``), for the policy's img-src; none for a path of the
    portal's own (``media/``). A scheme-relative URL gives the host alone, which the policy
    matches on the page's own scheme."""
    url = urlsplit(media_url)
    if not url.netloc:
        return []
    return [f"{url.scheme}://{url.netloc}" if url.scheme else url.netloc]


# Public media that the portal serves itself (while debugging): a file opened on its own is
# inert, runs no script, loads nothing, and has no access to the portal's origin.
MEDIA_POLICY = "default-src 'none'; sandbox"


def content_security_policy(*, media_origins: list[str], upgrade_insecure_requests: bool) -> str:
    """The policy's text: the portal's own origin, plus ``media_origins`` for images and media."""
    media = " ".join(media_origins)
    directives = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        f"img-src 'self' data: {media}".rstrip(),
        "font-src 'self'",
        "connect-src 'self'",
        f"media-src 'self' {media}".rstrip(),
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
    if upgrade_insecure_requests:
        directives.append("upgrade-insecure-requests")
    return "; ".join(directives)


class SecurityHeadersMiddleware:
    """Adds the policy headers to every response; placed right before SecurityMiddleware.

    With `CSP_REPORT_ONLY` the policy is sent as Content-Security-Policy-Report-Only: browsers
    then log what it would block and block nothing, for rolling a change of policy out. A
    response that already carries a header of its own keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path_info.startswith(f"/{settings.MEDIA_URL.lstrip('/')}"):
            # Public media: no resource policy (other sites may show a logo), a policy of
            # their own, never sniffed, and anything but an image is a download.
            response.headers.setdefault("Content-Security-Policy", MEDIA_POLICY)
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            content_type = response.get("Content-Type", "")
            if response.status_code == 200 and not content_type.startswith("image/"):
                response.headers.setdefault("Content-Disposition", "attachment")
            return response
        header = (
            "Content-Security-Policy-Report-Only"
            if settings.CSP_REPORT_ONLY
            else "Content-Security-Policy"
        )
        response.headers.setdefault(
            header,
            content_security_policy(
                media_origins=settings.CSP_MEDIA_ORIGINS,
                upgrade_insecure_requests=settings.CSP_UPGRADE_INSECURE_REQUESTS,
            ),
        )
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response

"""The 17th edition at the size its articles give, generated for the demo beside the
hand-written 20th: 4,000 organisations from 52 countries and regions, 2,105 booths on
70,000 m², 66 events, 110,000 visitors and 3,000 intentions, with logos and photos.

``seed_demo`` generates it once, before the hand-written rows of the 17th edition are added to
it; loading the demo again finds it and changes nothing. ``DEMO_EDITION_SCALE`` (or
``seed_demo --scale``) sizes it: 1 for the articles' figures, 0.1 for a tenth, 0 for none.
"""

import io
from datetime import date

from django.core.management import call_command

from ..models import Edition, Organisation

NUMBER = 17
START = date(2019, 4, 14)
FIGURES = {
    "organisations": 4000,
    "experts": 8500,
    "representatives": 9300,
    "visitors": 110_000,
    "booths": 2105,
    "exhibition_area": 70_000,
    "events": 66,
    "registrations": 20_000,
    "jobs": 3000,
    "applications": 12_000,
    "projects": 1500,
    "intentions": 3000,
    "agreements": 400,
}
# Not volumes: the same at every scale.
KEPT = {"countries": 52, "delegations": 29}


def figures(scale: float) -> dict[str, int]:
    """The generator's options at ``scale`` (1 gives the articles' figures)."""
    scaled = {key: max(1, round(value * scale)) for key, value in FIGURES.items()}
    scaled["organisations"] = max(scaled["organisations"], KEPT["countries"])
    return {**scaled, **KEPT}


def is_generated() -> bool:
    return Organisation.objects.filter(
        attendances__edition__number=NUMBER, name_en__endswith=f"({NUMBER})"
    ).exists()


def generate_17th(*, scale: float) -> str:
    """Generate the 17th edition at ``scale`` unless it is there; say what was done."""
    if scale <= 0:
        return "The 17th edition is not generated (scale 0)."
    if is_generated():
        return "The generated 17th edition is loaded already."
    if Edition.objects.filter(number=NUMBER).exists():
        return (
            "The 17th edition exists without generated data (an older demo): it is kept as it "
            "is. Start from an empty database to have it generated."
        )
    output = io.StringIO()
    call_command(
        "generate_edition",
        str(NUMBER),
        seed=NUMBER,
        start=START,
        images=True,
        stdout=output,
        **figures(scale),
    )
    return f"The 17th edition was generated at scale {scale:g}: " + ", ".join(
        f"{value:,} {key.replace('_', ' ')}" for key, value in figures(scale).items()
    )

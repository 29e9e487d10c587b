"""What the cluster check needs beyond the demo, written through the models on the demo data.

Run by ``deploy/cluster.py`` as ``manage.py shell -c`` with the cluster's environment. Creates
two forum sessions (one of 50 seats, one without a limit), signed-in people for the seat race
and for the mail check (their sessions written through Django's session store, as a sign-in
would), an employer whose only mail is the one the mail check expects, and prints what the
check needs as one line of JSON.
"""

import json
import os
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.utils import timezone

from ciep.models import Edition, Membership, User
from exhibitions.models import Exhibitor
from forums.models import Section, Session, Venue
from recruitment.models import JobPosting

RACE_PEOPLE = int(os.environ.get("CLUSTER_RACE_PEOPLE", "200"))
SessionStore = import_module(settings.SESSION_ENGINE).SessionStore


def signed_in(user: User) -> str:
    """The key of a new session in which ``user`` is signed in."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def person(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    return user or User.objects.create_user(email=email, password=None, name=name)


edition = Edition.objects.get(is_current=True)
section = Section.objects.filter(edition=edition).order_by("order", "pk").first()
venue = Venue.objects.filter(edition=edition).order_by("order", "pk").first()
start = timezone.now() + timedelta(days=30)


def forum_session(title: str, capacity: int | None) -> Session:
    return Session.objects.create(
        edition=edition,
        section=section,
        venue=venue,
        title_en=title,
        title_zh=title,
        start=start,
        end=start + timedelta(hours=2),
        capacity=capacity,
    )


race = forum_session("Cluster check: fifty seats", 50)
open_seats = forum_session("Cluster check: open seats", None)

exhibitor_user = User.objects.get(email="exhibitor@ciep.example")
expert = User.objects.get(email="expert@ciep.example")
exhibitor = (
    Exhibitor.objects.staffed_by(exhibitor_user).filter(edition=edition).order_by("pk").first()
    or Exhibitor.objects.staffed_by(exhibitor_user).order_by("-edition__number", "pk").first()
)
untouched = JobPosting.objects.public().exclude(applications__talent__user=expert)
member_of = Membership.objects.filter(user=exhibitor_user).values("organisation")
# The CV check applies to a posting of the demo exhibitor's organisation (the exhibitor is the
# employer who downloads the CV); the mail check to another employer's posting, whose new
# member receives nothing but the mail that the application sends.
cv_posting = untouched.filter(organisation__in=member_of).order_by("pk").first()
mail_posting = untouched.exclude(organisation__in=member_of).order_by("pk").first()
mail_employer = person("employer@cluster.example", "Cluster Employer")
Membership.objects.get_or_create(
    organisation=mail_posting.organisation,
    user=mail_employer,
    defaults={"role": Membership.Role.ADMIN},
)

racers = [
    person(f"racer-{number:03d}@cluster.example", f"Racer {number:03d}")
    for number in range(RACE_PEOPLE)
]
mail_attendee = person("attendee@cluster.example", "Cluster Attendee")

print(
    json.dumps(
        {
            "exhibitor": exhibitor.pk,
            "cv_posting": cv_posting.pk,
            "mail_posting": mail_posting.pk,
            "race_session": race.pk,
            "open_session": open_seats.pk,
            "race_cookies": [signed_in(user) for user in racers],
            "attendee_cookie": signed_in(mail_attendee),
            "session_cookie_name": settings.SESSION_COOKIE_NAME,
        }
    )
)

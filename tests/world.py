"""A small demo-like edition built from the factories, with one person for every kind of role.

Shared by the tests that walk every address of the portal (tests/ciep/test_access_table.py,
tests/ciep/test_hostile_input.py): each role owns some objects and is a stranger to others, and
every address that takes an object's id can be filled in from ``World.url_args``.
"""

import datetime
import types
import uuid

from django.core import signing
from django.test import Client

from ciep.models import (
    Consent,
    DelegationDocument,
    DelegationMember,
    EditionGuest,
    ImportBatch,
    Invitation,
    Membership,
    Webhook,
)
from ciep.services import token_create
from ciep.storage import SIGNING_SALT, private_storage
from exhibitions.models import Booth, Brochure, GalleryImage, Product
from forums.models import CalendarFeed, SubVenueEvent
from projects.models import ProjectDocument
from tests.conftest import image_file, pdf_file, sign_in_with_second_factor
from tests.exhibitions.factories import (
    ApplicationFactory as BoothApplicationFactory,
)
from tests.exhibitions.factories import (
    BoothFactory,
    ExhibitorFactory,
    HallFactory,
    MeetingFactory,
    SlotFactory,
)
from tests.factories import (
    DelegationFactory,
    DelegationMemberFactory,
    EditionFactory,
    FieldFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.forums.factories import (
    DelegationQuotaFactory,
    RegistrationFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SpeakerFactory,
)
from tests.news.factories import AccreditationFactory, DraftFactory, PressKitItemFactory
from tests.projects.factories import (
    CompetitionFactory,
    DemandFactory,
    IntentionFactory,
    ProjectFactory,
)
from tests.recruitment.factories import (
    ApplicationFactory as JobApplicationFactory,
)
from tests.recruitment.factories import (
    DemandAnswerFactory,
    JobPostingFactory,
    SavedSearchFactory,
    TalentDemandFactory,
    TalentProfileFactory,
)

# Every role, in the order of the access table's columns.
ROLES = (
    "anonymous",
    "talent",  # a visitor with a talent profile, who applied, registered and booked
    "other_talent",  # another talent, a stranger to all of that
    "exhibitor",  # staff (not administrator) of the exhibiting organisation A
    "org_admin",  # administrator of organisation A (its booth, jobs and projects)
    "other_exhibitor",  # administrator of organisation B, which has its own booth
    "other_member",  # staff of organisation B
    "head",  # head of delegation D
    "other_head",  # head of delegation E
    "organiser",  # organisers' staff, signed in with a second factor
    "staff_no_2fa",  # organisers' staff signed in with a password only
)


def build() -> types.SimpleNamespace:
    w = types.SimpleNamespace()
    w.edition = EditionFactory(is_current=True)
    w.field = FieldFactory()
    w.users = {role: UserFactory(name=f"Name-{role}-Z") for role in ROLES if role != "anonymous"}
    for role in ("organiser", "staff_no_2fa"):
        user = w.users[role]
        user.delete()
        w.users[role] = UserFactory(organiser=True, name=f"Name-{role}-Z")
    u = w.users

    # Organisations A and B, each exhibiting.
    w.org = OrganisationFactory()
    w.other_org = OrganisationFactory()
    MembershipFactory(organisation=w.org, user=u["org_admin"], role=Membership.Role.ADMIN)
    w.membership = MembershipFactory(
        organisation=w.org, user=u["exhibitor"], role=Membership.Role.STAFF
    )
    MembershipFactory(
        organisation=w.other_org, user=u["other_exhibitor"], role=Membership.Role.ADMIN
    )
    MembershipFactory(organisation=w.other_org, user=u["other_member"], role=Membership.Role.STAFF)
    w.hall = HallFactory(edition=w.edition)
    w.exhibitor = ExhibitorFactory(edition=w.edition, organisation=w.org)
    w.other_exhibitor = ExhibitorFactory(edition=w.edition, organisation=w.other_org)
    w.product = Product.objects.create(exhibitor=w.exhibitor, name_en="A product")
    w.brochure = Brochure.objects.create(
        exhibitor=w.exhibitor, title_en="A brochure", file=pdf_file()
    )
    w.gallery = GalleryImage.objects.create(
        exhibitor=w.exhibitor, caption_en="An image", image=image_file()
    )
    w.slot = SlotFactory(exhibitor=w.exhibitor)
    w.free_slot = SlotFactory(exhibitor=w.exhibitor)
    w.meeting = MeetingFactory(slot=w.slot, requester=u["talent"])
    w.booth_application = BoothApplicationFactory(edition=w.edition, organisation=w.org)

    # Delegations D and E.
    w.delegation = DelegationFactory(edition=w.edition)
    w.other_delegation = DelegationFactory(edition=w.edition)
    DelegationMemberFactory(
        delegation=w.delegation, user=u["head"], role=DelegationMember.Role.HEAD
    )
    DelegationMemberFactory(
        delegation=w.other_delegation, user=u["other_head"], role=DelegationMember.Role.HEAD
    )
    w.delegation_member = DelegationMemberFactory(delegation=w.delegation)
    w.delegation_document = DelegationDocument.objects.create(
        delegation=w.delegation, title_en="A policy", file=pdf_file()
    )
    w.pavilion = BoothFactory(
        hall=w.hall, state=Booth.State.ASSIGNED, kind=Booth.Kind.PAVILION, delegation=w.delegation
    )
    w.invitation = Invitation.objects.create(
        email=u["other_talent"].email,
        organisation=w.org,
        role=Membership.Role.STAFF,
        invited_by=u["org_admin"],
    )

    # Recruitment.
    w.profile = TalentProfileFactory(
        user=u["talent"], fields=[w.field], cv=pdf_file(), photo=image_file()
    )
    w.other_profile = TalentProfileFactory(user=u["other_talent"])
    w.posting = JobPostingFactory(edition=w.edition, organisation=w.org, field=w.field)
    w.job_application = JobApplicationFactory(posting=w.posting, talent=w.profile, cv=pdf_file())
    w.saved_search = SavedSearchFactory(user=u["talent"])
    w.demand = TalentDemandFactory(delegation=w.delegation, field=w.field)
    w.demand_answer = DemandAnswerFactory(demand=w.demand, talent=w.profile)
    w.demand_import = _import_batch(u["head"], "recruitment.talent_demands", w.delegation)

    # Projects.
    w.project = ProjectFactory(edition=w.edition, organisation=w.org, created_by=u["org_admin"])
    w.project_document = ProjectDocument.objects.create(
        project=w.project, title_en="Plan", file=pdf_file()
    )
    w.delegation_demand = DemandFactory(delegation=w.delegation, created_by=u["head"])
    w.project_import = _import_batch(u["head"], "projects.demands", w.delegation)
    w.intention = IntentionFactory(
        edition=w.edition,
        delegation=w.delegation,
        counterpart_organisation=w.org,
        project=w.project,
        submitted_by=u["head"],
        signed_document=pdf_file("agreement.pdf"),
    )
    w.competition = CompetitionFactory(edition=w.edition)

    # The forum.
    w.session = SessionFactory(edition=w.edition)
    w.speaker = SpeakerFactory(user=u["talent"])
    SessionSpeakerFactory(session=w.session, speaker=w.speaker)
    w.registration = RegistrationFactory(session=w.session, user=u["talent"])
    DelegationQuotaFactory(session=w.session, delegation=w.delegation)
    w.feed = CalendarFeed.objects.create(user=u["talent"])
    w.guest = EditionGuest.objects.create(
        edition=w.edition, country="GB", role=EditionGuest.Role.GUEST_OF_HONOUR
    )
    start = w.session.start + datetime.timedelta(days=1)
    w.sub_venue_event = SubVenueEvent.objects.create(
        edition=w.edition,
        delegation=w.delegation,
        proposed_by=u["head"],
        section=w.session.section,
        kind=w.session.kind,
        title_en="A sub-venue event",
        title_zh="分会场活动",
        venue_name_en="A sub-venue",
        country="DE",
        time_zone="Europe/Berlin",
        start=start,
        end=start + datetime.timedelta(hours=2),
        capacity=20,
    )
    w.draft_article = DraftFactory(edition=w.edition)
    w.accreditation = AccreditationFactory(
        edition=w.edition, journalist=u["talent"], state="approved"
    )
    w.press_kit_item = PressKitItemFactory(edition=w.edition)
    w.webhook = Webhook.objects.create(
        organisation=w.org,
        url="https://hooks.example.org/ciep",
        events=["application.created"],
        created_by=u["org_admin"],
    )
    w.token, _raw = token_create(user=u["talent"], name="CRM", scopes=["recruitment:read"])
    w.consent = Consent.objects.create(
        user=u["talent"],
        purpose=Consent.Purpose.TALENT_PROFILE,
        object_type="recruitment.talentprofile",
        object_id=1,
        object_label="Talent profile",
        granted=True,
        text_version="1",
        text="Show my talent profile to employers.",
    )
    # A private file's short-lived signed address, as the back office hands it to organisers.
    w.private_name = private_storage().save("delegations/policy.pdf", pdf_file())
    return w


def _import_batch(user, schema: str, delegation) -> ImportBatch:
    """A file uploaded by ``user`` for an import into ``delegation``, not yet confirmed."""
    return ImportBatch.objects.create(
        token=uuid.uuid4(), user=user, schema=schema, scope=f"delegation:{delegation.pk}"
    )


def url_args(w, name: str) -> dict:
    """The arguments of the address named ``name`` (``app:name``), filled from the world."""
    return {
        "ciep:edition_detail": {"number": w.edition.number},
        "ciep:edition_report": {"number": w.edition.number},
        "ciep:edition_report_json": {"number": w.edition.number},
        "ciep:edition_report_csv": {"number": w.edition.number},
        "ciep:edition_guest": {"number": w.edition.number, "country": "gb"},
        "forums:sub_venue_event_propose": {"delegation_pk": w.delegation.pk},
        "forums:sub_venue_event_edit": {"pk": w.sub_venue_event.pk},
        "ciep:edition_attend": {"number": w.edition.number},
        "ciep:attendance_cancel": {"number": w.edition.number},
        "ciep:edition_check_in": {"number": w.edition.number},
        "ciep:organisation_detail": {"pk": w.org.pk},
        "ciep:organisation_edit": {"pk": w.org.pk},
        "ciep:organisation_members": {"pk": w.org.pk},
        "ciep:membership_remove": {"pk": w.org.pk, "membership_pk": w.membership.pk},
        "ciep:invitation_accept": {"token": w.invitation.token},
        "ciep:delegation_detail": {"pk": w.delegation.pk},
        "ciep:delegation_manage": {"pk": w.delegation.pk},
        "ciep:delegation_member_remove": {
            "pk": w.delegation.pk,
            "member_pk": w.delegation_member.pk,
        },
        "ciep:delegation_document_delete": {
            "pk": w.delegation.pk,
            "document_pk": w.delegation_document.pk,
        },
        "exhibitions:catalogue_edition": {"number": w.edition.number},
        "exhibitions:hall_detail": {"pk": w.hall.pk},
        "exhibitions:exhibitor_detail": {"pk": w.exhibitor.pk},
        "exhibitions:exhibitor_edit": {"pk": w.exhibitor.pk},
        "exhibitions:exhibitor_manage": {"pk": w.exhibitor.pk},
        "exhibitions:exhibitor_content_add": {"pk": w.exhibitor.pk, "kind": "product"},
        "exhibitions:exhibitor_content_delete": {
            "pk": w.exhibitor.pk,
            "kind": "product",
            "item_pk": w.product.pk,
        },
        "exhibitions:slot_manage": {"pk": w.exhibitor.pk},
        "exhibitions:slot_withdraw": {"pk": w.exhibitor.pk, "slot_pk": w.free_slot.pk},
        "exhibitions:meeting_request": {"pk": w.exhibitor.pk, "slot_pk": w.free_slot.pk},
        "exhibitions:exhibitor_figures": {"pk": w.exhibitor.pk},
        "exhibitions:exhibitor_meetings_csv": {"pk": w.exhibitor.pk},
        "exhibitions:pavilion_application_create": {"delegation_pk": w.delegation.pk},
        "exhibitions:application_detail": {"pk": w.booth_application.pk},
        "exhibitions:application_withdraw": {"pk": w.booth_application.pk},
        "exhibitions:pavilion_manage": {"pk": w.pavilion.pk},
        "exhibitions:meeting_detail": {"pk": w.meeting.pk},
        "exhibitions:meeting_ics": {"pk": w.meeting.pk},
        "exhibitions:meeting_action": {"pk": w.meeting.pk, "action": "cancel"},
        "recruitment:job_detail": {"pk": w.posting.pk},
        "recruitment:apply": {"pk": w.posting.pk},
        "recruitment:job_save": {"pk": w.posting.pk},
        "recruitment:job_report": {"pk": w.posting.pk},
        "recruitment:search_delete": {"pk": w.saved_search.pk},
        "recruitment:application_detail": {"pk": w.job_application.pk},
        "recruitment:application_withdraw": {"pk": w.job_application.pk},
        "recruitment:application_cv": {"pk": w.job_application.pk},
        "recruitment:posting_create": {"organisation_pk": w.org.pk},
        "recruitment:posting_edit": {"pk": w.posting.pk},
        "recruitment:posting_publish": {"pk": w.posting.pk},
        "recruitment:posting_close": {"pk": w.posting.pk},
        "recruitment:posting_extend": {"pk": w.posting.pk},
        "recruitment:posting_applicants": {"pk": w.posting.pk},
        "recruitment:applicant_detail": {
            "pk": w.posting.pk,
            "application_pk": w.job_application.pk,
        },
        "recruitment:posting_matches": {"pk": w.posting.pk},
        "recruitment:demand_detail": {"pk": w.demand.pk},
        "recruitment:demand_create": {"delegation_pk": w.delegation.pk},
        "recruitment:demand_edit": {"pk": w.demand.pk},
        "recruitment:demand_close": {"pk": w.demand.pk},
        "recruitment:demand_answers": {"pk": w.demand.pk},
        "recruitment:demand_import": {"delegation_pk": w.delegation.pk},
        "recruitment:demand_import_template": {
            "delegation_pk": w.delegation.pk,
            "file_format": "xlsx",
        },
        "recruitment:demand_import_preview": {
            "delegation_pk": w.delegation.pk,
            "token": w.demand_import.token,
        },
        "talents:talent_detail": {"pk": w.profile.pk},
        "talents:talent_cv": {"pk": w.profile.pk},
        "talents:talent_photo": {"pk": w.profile.pk},
        "projects:project_detail": {"pk": w.project.pk},
        "projects:project_edit": {"pk": w.project.pk},
        "projects:project_document_remove": {
            "pk": w.project.pk,
            "document_pk": w.project_document.pk,
        },
        "projects:project_action": {"pk": w.project.pk, "action": "close"},
        "projects:intention_detail": {"pk": w.intention.pk},
        "projects:intention_sign": {"pk": w.intention.pk},
        "projects:intention_agreement": {"pk": w.intention.pk},
        "projects:intention_publication": {"pk": w.intention.pk},
        "projects:intention_report": {"pk": w.intention.pk},
        "projects:intention_transition": {"pk": w.intention.pk, "state": "withdrawn"},
        "projects:delegation_intentions": {"pk": w.delegation.pk},
        "projects:delegation_intentions_csv": {"pk": w.delegation.pk},
        "projects:demand_import": {"delegation_pk": w.delegation.pk},
        "projects:demand_import_template": {"delegation_pk": w.delegation.pk, "file_format": "csv"},
        "projects:demand_import_preview": {
            "delegation_pk": w.delegation.pk,
            "token": w.project_import.token,
        },
        "projects:competition_detail": {"slug": w.competition.slug},
        "forums:edition_programme": {"number": w.edition.number},
        "forums:programme_ics": {"number": w.edition.number},
        "forums:session_detail": {"pk": w.session.pk},
        "forums:session_ics": {"pk": w.session.pk},
        "forums:session_watch": {"pk": w.session.pk},
        "forums:session_register": {"pk": w.session.pk},
        "forums:session_bookmark": {"pk": w.session.pk},
        "forums:session_feedback": {"pk": w.session.pk},
        "forums:group_register": {"pk": w.session.pk, "delegation_pk": w.delegation.pk},
        "forums:registration_detail": {"pk": w.registration.pk},
        "forums:registration_cancel": {"pk": w.registration.pk},
        "forums:speaker_detail": {"pk": w.speaker.pk},
        "forums:agenda_feed": {"token": w.feed.token},
        "news:article_detail": {"pk": w.draft_article.pk},
        "press:badge": {"pk": w.accreditation.pk},
        "committee:committee": {"number": w.edition.number},
        "press:press_card": {"pk": w.accreditation.pk},
        "press:press_kit_download": {"pk": w.press_kit_item.pk},
        "ciep:consent_withdraw": {"pk": w.consent.pk},
        "ciep:organisation_webhooks": {"pk": w.org.pk},
        "ciep:webhook_delete": {"pk": w.org.pk, "webhook_pk": w.webhook.pk},
        "ciep:token_revoke": {"pk": w.token.pk},
        "language_switch": {"language": "zh-hans"},
        "sitemap_section": {"section": "booths"},
        "private_file": {"token": signing.dumps(w.private_name, salt=SIGNING_SALT)},
        "account_confirm_email": {"key": "an-unknown-key"},
        "account_reset_password_from_key": {"uidb36": "1", "key": "an-unknown-key"},
    }.get(name)


def client_for(w, role: str, **kwargs) -> Client:
    """A client signed in as ``role`` (staff with a second factor when the role says so)."""
    client = Client(**kwargs)
    if role == "organiser":
        sign_in_with_second_factor(client, w.users[role])
    elif role != "anonymous":
        client.force_login(w.users[role])
    return client

"""Small builders for test data: each makes a valid object, with keyword overrides."""

import datetime
import itertools

from commitments.models import (
    ANALYST_GROUP,
    EDITOR_GROUP,
    Commitment,
    CommitmentParty,
    Event,
    Party,
    Sector,
    Source,
    StatusUpdate,
    User,
)
from commitments.roles import role_group

SUMMIT_DAY = datetime.date(2025, 8, 29)
# The instant every test starts at (tests/conftest.py, `fixed_clock`): some fifteen months
# after the summit. Noon UTC: the same day in any TIME_ZONE from UTC-11 to +11.
NOW = datetime.datetime(2026, 11, 28, 12, 0, tzinfo=datetime.UTC)
TODAY = NOW.date()
_numbers = itertools.count(1)


def _n() -> int:
    return next(_numbers)


def make_user(username=None, *, groups=(), **fields) -> User:
    user = User.objects.create_user(
        username=username or f"user{_n()}", password="correct-horse-battery-9", **fields
    )
    for name in groups:
        user.groups.add(role_group(name))
    return user


def make_analyst(username=None, **fields) -> User:
    return make_user(username, groups=[ANALYST_GROUP], **fields)


def make_editor(username=None, **fields) -> User:
    return make_user(username, groups=[EDITOR_GROUP], is_staff=True, **fields)


def make_sector(**fields) -> Sector:
    n = _n()
    fields.setdefault("name", f"Sector {n}")
    fields.setdefault("slug", f"sector-{n}")
    return Sector.objects.create(**fields)


def make_party(**fields) -> Party:
    n = _n()
    fields.setdefault("name", f"Party {n}")
    fields.setdefault("slug", f"party-{n}")
    fields.setdefault("kind", Party.Kind.COUNTRY)
    return Party.objects.create(**fields)


def make_event(**fields) -> Event:
    n = _n()
    fields.setdefault("name", f"Summit {n}")
    fields.setdefault("slug", f"summit-{n}")
    fields.setdefault("starts_on", SUMMIT_DAY)
    return Event.objects.create(**fields)


def make_source(**fields) -> Source:
    n = _n()
    fields.setdefault("title", f"Source {n}")
    fields.setdefault("url", f"https://example.org/source-{n}")
    return Source.objects.create(**fields)


def make_commitment(*, parties=(), **fields) -> Commitment:
    n = _n()
    fields.setdefault("title", f"Commitment {n}")
    fields.setdefault("slug", f"commitment-{n}")
    fields.setdefault("summary", f"Summary of commitment {n}.")
    fields.setdefault("announced_on", SUMMIT_DAY)
    if "sector" not in fields:
        fields["sector"] = make_sector()
    commitment = Commitment.objects.create(**fields)
    for position, (party, role) in enumerate(parties):
        CommitmentParty.objects.create(
            commitment=commitment, party=party, role=role, position=position
        )
    return commitment


def make_update(commitment=None, *, sources=None, **fields) -> StatusUpdate:
    """A draft update with one source (pass sources=[] for none). Given a published state,
    it is stored with its sources first, then put in that state (as the seed data is)."""
    fields.setdefault("as_of", SUMMIT_DAY)
    fields.setdefault("status", StatusUpdate.Status.IN_PROGRESS)
    fields.setdefault("summary", "Work has started.")
    state = fields.pop("state", StatusUpdate.State.DRAFT)
    update = StatusUpdate.objects.create(commitment=commitment or make_commitment(), **fields)
    update.sources.set([make_source()] if sources is None else sources)
    if state != StatusUpdate.State.DRAFT:
        update.state = state
        update.save(update_fields=["state"])
    return update


def publish(update: StatusUpdate, by: User | None = None) -> StatusUpdate:
    """Submit (if needed) and publish an update through the workflow methods."""
    if update.state in (StatusUpdate.State.DRAFT, StatusUpdate.State.REJECTED):
        update.submit()
    update.publish(by or make_editor())
    return update


def make_published_update(commitment=None, *, by=None, **fields) -> StatusUpdate:
    return publish(make_update(commitment, **fields), by)


def open_correction(original: StatusUpdate, author: User, note="Figure corrected.", **changes):
    """A correction of a published update, submitted for review (as the site makes one)."""
    return _submit_revision(original, StatusUpdate.Kind.CORRECTION, author, note, changes)


def open_retraction(original: StatusUpdate, author: User, note="Wrong commitment."):
    return _submit_revision(original, StatusUpdate.Kind.RETRACTION, author, note, {})


def _submit_revision(original, kind, author, note, changes):
    revision = original.revision(kind, author, note)
    for name, value in changes.items():
        setattr(revision, name, value)
    revision.save()
    revision.sources.set(original.sources.all())
    revision.submit(by=author)
    return revision


def make_submitted_update(commitment=None, **fields) -> StatusUpdate:
    """An update submitted for review through the workflow (same keywords as make_update)."""
    update = make_update(commitment, **fields)
    update.submit()
    return update


def commitment_admin_data(commitment: Commitment, **changes) -> dict:
    """What the admin's change form of `commitment` posts, with `changes` made."""
    data = {
        "title": commitment.title,
        "slug": commitment.slug,
        "summary": commitment.summary,
        "sector": commitment.sector_id,
        "announced_on": commitment.announced_on.isoformat(),
        "loaded_version": commitment.version,
        "commitment_parties-TOTAL_FORMS": "0",
        "commitment_parties-INITIAL_FORMS": "0",
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


LONG_TITLE = (
    "Facilitate the exchange of 50,000 skilled professionals and semi-skilled workers between "
    "India and Japan under the Specified Skilled Worker programme"
)


def publish_sample_figures() -> Commitment:
    """On the seed data: the pages' hardest real content. A long title with a published
    figure (its list row shows bar, percent and pace badge; its parent, the 5 lakh, rolls it
    up), a money figure on the ¥10 trillion, a status change on Chandrayaan-5. Returns the
    long-titled commitment."""
    editor = make_editor("vera")
    skilled = Commitment.objects.get(slug="fifty-thousand-skilled-professionals")
    skilled.title = LONG_TITLE
    skilled.save()
    make_published_update(
        skilled,
        by=editor,
        status=StatusUpdate.Status.IN_PROGRESS,
        progress_value=6000,
        as_of=datetime.date(2026, 3, 31),
        summary="6,000 skilled professionals moved to Japan in the first year.",
        sources=[
            make_source(
                title="Specified Skilled Worker statistics, first year of the programme",
                publisher="Immigration Services Agency of Japan",
                url="https://isa.example/ssw-statistics-2026-first-year-of-the-programme",
            )
        ],
    )
    make_published_update(
        Commitment.objects.get(slug="japanese-investment-10-trillion-yen"),
        by=editor,
        status=StatusUpdate.Status.IN_PROGRESS,
        progress_value=1_200_000_000_000,
        as_of=datetime.date(2026, 6, 30),
        summary="¥1.2 trillion of Japanese investment announced in the first ten months.",
    )
    make_published_update(
        Commitment.objects.get(slug="chandrayaan-5"),
        by=editor,
        status=StatusUpdate.Status.IN_PROGRESS,
        as_of=datetime.date(2026, 3, 2),
        summary="Mission design review completed.",
    )
    return skilled

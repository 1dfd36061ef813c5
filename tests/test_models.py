"""Model invariants: every named database constraint, and the rules only clean() enforces.

Each constraint is tested twice with the same bad data: written straight to the database it
raises IntegrityError, and full_clean() rejects it with a clear ValidationError. Valid data is
checked to pass full_clean(), so the tests can fail both ways.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone

from commitments.models import (
    Commitment,
    CommitmentParty,
    Conversion,
    Event,
    Party,
    Source,
    StatusUpdate,
)
from tests.factories import (
    SUMMIT_DAY,
    TODAY,
    make_commitment,
    make_event,
    make_party,
    make_sector,
    make_source,
    make_update,
)

pytestmark = pytest.mark.django_db

ONE_DAY = datetime.timedelta(days=1)


# Builders of unsaved objects, so the same bad data can be saved or full_clean()ed.


def new_commitment(**fields) -> Commitment:
    fields.setdefault("title", "Joint lunar polar exploration")
    fields.setdefault("slug", "joint-lunar-polar-exploration")
    fields.setdefault("summary", "A joint mission to the Moon's south pole.")
    fields.setdefault("announced_on", SUMMIT_DAY)
    if "sector" not in fields:
        fields["sector"] = make_sector()
    return Commitment(**fields)


def new_update(**fields) -> StatusUpdate:
    if "commitment" not in fields:
        fields["commitment"] = make_commitment()
    fields.setdefault("as_of", SUMMIT_DAY)
    fields.setdefault("status", StatusUpdate.Status.IN_PROGRESS)
    fields.setdefault("summary", "Work has started.")
    return StatusUpdate(**fields)


def new_source(**fields) -> Source:
    fields.setdefault("title", "Joint statement")
    fields.setdefault("url", "https://example.org/joint-statement")
    return Source(**fields)


def new_party(**fields) -> Party:
    fields.setdefault("name", "Gujarat")
    fields.setdefault("slug", "gujarat")
    fields.setdefault("kind", Party.Kind.STATE)
    return Party(**fields)


def new_event(**fields) -> Event:
    fields.setdefault("name", "Annual summit")
    fields.setdefault("slug", "annual-summit")
    fields.setdefault("starts_on", SUMMIT_DAY)
    return Event(**fields)


def new_commitment_party(**fields) -> CommitmentParty:
    if "commitment" not in fields:
        fields["commitment"] = make_commitment()
    if "party" not in fields:
        fields["party"] = make_party()
    return CommitmentParty(**fields)


def targeted_commitment(**fields) -> Commitment:
    fields.setdefault("target_value", Decimal("100"))
    fields.setdefault("target_unit", Commitment.Unit.COUNT)
    return make_commitment(**fields)


def validation_errors(obj) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    return excinfo.value.message_dict


def assert_rejected(obj, key: str, fragment: str, *, only: bool = True) -> None:
    """full_clean() fails, naming `key` with a message containing `fragment`."""
    errors = validation_errors(obj)
    assert key in errors, errors
    assert any(fragment in message for message in errors[key]), errors
    if only:
        assert set(errors) == {key}, errors


# Bad data, one case per way of breaking a constraint. `build` runs inside the test (with the
# database) and returns an unsaved or modified object that breaks the constraint.


@dataclass
class Case:
    constraint: str
    build: Any
    key: str
    fragment: str


def _existing_party_other_case() -> Party:
    make_party(name="Gujarat", slug="gujarat")
    return new_party(name="GUJARAT", slug="gujarat-2")


def _existing_source_same_url() -> Source:
    make_source(url="https://example.org/joint-statement")
    return new_source(title="The same statement, again")


def _commitment_own_parent() -> Commitment:
    commitment = make_commitment()
    commitment.parent = commitment
    return commitment


def _party_twice_on_commitment() -> CommitmentParty:
    party = make_party()
    commitment = make_commitment(parties=[(party, CommitmentParty.Role.LEAD)])
    return new_commitment_party(
        commitment=commitment, party=party, role=CommitmentParty.Role.COUNTERPART
    )


CASES = [
    # Event
    Case(
        "event_ends_on_or_after_start",
        lambda: new_event(ends_on=SUMMIT_DAY - ONE_DAY),
        "ends_on",
        "cannot end before it starts",
    ),
    # Party
    Case(
        "party_name_unique_ignoring_case",
        _existing_party_other_case,
        NON_FIELD_ERRORS,
        "A party with this name already exists.",
    ),
    Case("party_kind_valid", lambda: new_party(kind="planet"), "kind", "not a valid choice"),
    # Source
    Case(
        "source_url_unique_when_present",
        _existing_source_same_url,
        NON_FIELD_ERRORS,
        "A source with this URL already exists.",
    ),
    Case(
        "source_url_http_or_https",
        lambda: new_source(url="ftp://example.org/statement.pdf"),
        "url",
        "Enter a valid URL",
    ),
    Case(
        "source_url_http_or_https",
        lambda: new_source(url="javascript:alert(1)"),
        "url",
        "Enter a valid URL",
    ),
    Case(
        "source_archive_url_http_or_https",
        lambda: new_source(archive_url="ftp://archive.example.org/statement.pdf"),
        "archive_url",
        "Enter a valid URL",
    ),
    Case("source_kind_valid", lambda: new_source(kind="rumour"), "kind", "not a valid choice"),
    Case(
        "source_accessed_on_or_after_published",
        lambda: new_source(published_on=SUMMIT_DAY, accessed_on=SUMMIT_DAY - ONE_DAY),
        "accessed_on",
        "cannot be accessed before it was published",
    ),
    # StatusUpdate
    Case(
        "update_status_valid",
        lambda: new_update(status="finished"),
        "status",
        "not a valid choice",
    ),
    Case("update_state_valid", lambda: new_update(state="archived"), "state", "not a valid choice"),
    Case(
        "update_progress_value_not_negative",
        lambda: new_update(commitment=targeted_commitment(), progress_value=Decimal("-1")),
        "progress_value",
        "The progress value cannot be negative.",
    ),
    Case(
        "update_published_has_review_time",
        lambda: new_update(state=StatusUpdate.State.PUBLISHED, reviewed_at=None),
        NON_FIELD_ERRORS,
        "A published update needs its review time.",
    ),
    Case(
        "update_rejected_has_comment",
        lambda: new_update(
            state=StatusUpdate.State.REJECTED, reviewed_at=timezone.now(), review_comment=""
        ),
        NON_FIELD_ERRORS,
        "A rejected update needs the reviewer's comment.",
    ),
    Case(
        "update_rejected_has_comment",
        lambda: new_update(
            state=StatusUpdate.State.REJECTED, reviewed_at=None, review_comment="Cite a source."
        ),
        NON_FIELD_ERRORS,
        "A rejected update needs the reviewer's comment.",
    ),
    Case(
        "update_kind_valid",
        lambda: new_update(kind="rumour"),
        NON_FIELD_ERRORS,
        "update_kind_valid",
    ),
    Case(
        "update_revision_has_original_and_note",
        lambda: new_update(kind=StatusUpdate.Kind.CORRECTION, correction_note="Typo."),
        NON_FIELD_ERRORS,
        "names the update it amends",
    ),
    Case(
        "update_revision_has_original_and_note",
        lambda: new_update(corrects=make_update(), correction_note=""),
        NON_FIELD_ERRORS,
        "names the update it amends",
    ),
    # Commitment
    Case(
        "commitment_deadline_not_before_announced",
        lambda: new_commitment(deadline=SUMMIT_DAY - ONE_DAY, deadline_precision="day"),
        "deadline",
        "The deadline cannot be before the announced date.",
    ),
    Case(
        "commitment_deadline_not_before_announced",
        # A year deadline is the year's last day: 2024 ends before the 2025 announcement.
        lambda: new_commitment(deadline=datetime.date(2024, 12, 31), deadline_precision="year"),
        "deadline",
        "The deadline cannot be before the announced date.",
    ),
    Case(
        "commitment_deadline_has_precision",
        lambda: new_commitment(deadline=datetime.date(2030, 8, 29), deadline_precision=""),
        "deadline_precision",
        "Say how precise the deadline is",
    ),
    Case(
        "commitment_deadline_has_precision",
        lambda: new_commitment(deadline=None, deadline_precision="year"),
        "deadline",
        "Give the deadline, or leave its precision empty.",
    ),
    Case(
        "commitment_deadline_has_precision",
        lambda: new_commitment(deadline=datetime.date(2030, 8, 29), deadline_precision="week"),
        "deadline_precision",
        "not a valid choice",
    ),
    Case(
        "commitment_target_value_needs_unit",
        lambda: new_commitment(target_value=Decimal("10"), target_unit=""),
        "target_unit",
        "A target value needs a unit.",
    ),
    Case(
        "commitment_unit_needs_target_value",
        lambda: new_commitment(target_value=None, target_unit=Commitment.Unit.PEOPLE),
        "target_value",
        "Give the target value for this unit",
    ),
    Case(
        "commitment_target_unit_valid",
        lambda: new_commitment(target_value=Decimal("10"), target_unit="furlong"),
        "target_unit",
        "not a valid choice",
    ),
    Case(
        "commitment_other_unit_is_named",
        lambda: new_commitment(
            target_value=Decimal("500"), target_unit=Commitment.Unit.OTHER, target_unit_label=""
        ),
        "target_unit_label",
        "Name the unit",
    ),
    Case(
        "commitment_target_and_baseline_not_negative",
        lambda: new_commitment(target_value=Decimal("-5"), target_unit=Commitment.Unit.COUNT),
        "target_value",
        "A target cannot be negative.",
    ),
    Case(
        "commitment_target_and_baseline_not_negative",
        lambda: new_commitment(
            target_value=Decimal("5"),
            target_unit=Commitment.Unit.COUNT,
            baseline_value=Decimal("-1"),
        ),
        "baseline_value",
        "A baseline cannot be negative.",
    ),
    Case(
        "commitment_baseline_needs_target",
        lambda: new_commitment(baseline_value=Decimal("3")),
        "baseline_value",
        "A baseline only makes sense with a target value.",
    ),
    Case(
        "commitment_target_differs_from_baseline",
        lambda: new_commitment(target_value=Decimal("0"), target_unit=Commitment.Unit.COUNT),
        "target_value",
        "The target must differ from the baseline.",
    ),
    Case(
        "commitment_target_differs_from_baseline",
        lambda: new_commitment(
            target_value=Decimal("7"),
            target_unit=Commitment.Unit.COUNT,
            baseline_value=Decimal("7"),
        ),
        "target_value",
        "The target must differ from the baseline.",
    ),
    Case(
        "commitment_not_own_parent",
        _commitment_own_parent,
        "parent",
        "A commitment cannot be its own parent.",
    ),
    Case(
        "commitment_counts_toward_parent_needs_parent",
        lambda: new_commitment(
            counts_toward_parent=True,
            parent=None,
            target_value=Decimal("10"),
            target_unit=Commitment.Unit.COUNT,
        ),
        "counts_toward_parent",
        "Only a commitment with a parent can count toward it.",
    ),
    Case(
        "commitment_current_status_valid",
        # current_status is not editable, so field validation skips it; only the
        # constraint (which has no custom message) catches it.
        lambda: new_commitment(current_status="finished"),
        NON_FIELD_ERRORS,
        "commitment_current_status_valid",
    ),
    # CommitmentParty
    Case(
        "commitment_party_once",
        _party_twice_on_commitment,
        NON_FIELD_ERRORS,
        "This party is already on the commitment.",
    ),
    Case(
        "commitment_party_role_valid",
        lambda: new_commitment_party(role="bystander"),
        "role",
        "not a valid choice",
    ),
    # Conversion
    Case(
        "conversion_between_two_currencies",
        lambda: new_conversion(to_currency="JPY"),
        NON_FIELD_ERRORS,
        "between two different currencies",
    ),
    Case(
        "conversion_amounts_positive",
        lambda: new_conversion(to_amount=0),
        NON_FIELD_ERRORS,
        "must be above zero",
    ),
]


def _subscriber():
    from commitments.models import Subscriber

    return Subscriber.objects.create(email="reader@example.org", token="t" * 43)


def _followed_twice(scope: str):
    """A second subscription of one address to the same thing."""
    from commitments.models import Subscription

    subscriber = _subscriber()
    target = {
        "everything": {},
        "commitment": {"commitment": make_commitment()},
        "sector": {"sector": make_sector()},
        "party": {"party": make_party()},
        "event": {"event": make_event()},
    }[scope]
    Subscription.objects.create(subscriber=subscriber, scope=scope, **target)
    return Subscription(subscriber=subscriber, scope=scope, **target)


def _subscription_without_its_target():
    from commitments.models import Subscription

    return Subscription(subscriber=_subscriber(), scope="commitment")


def _delivered_twice():
    from commitments.models import Delivery

    subscriber, update = _subscriber(), make_update()
    Delivery.objects.create(subscriber=subscriber, update=update)
    return Delivery(subscriber=subscriber, update=update)


# Following by e-mail: each thing followed once per address, a subscription names exactly
# its target, each update reaches an address once.
CASES += [
    *(
        Case(
            f"subscription_once_{scope}",
            lambda scope=scope: _followed_twice(scope),
            NON_FIELD_ERRORS,
            f"subscription_once_{scope}",
        )
        for scope in ("everything", "commitment", "sector", "party", "event")
    ),
    Case(
        "subscription_scope_target",
        _subscription_without_its_target,
        NON_FIELD_ERRORS,
        "subscription_scope_target",
    ),
    Case("delivery_once", _delivered_twice, NON_FIELD_ERRORS, "already exists"),
]


def new_conversion(**fields) -> Conversion:
    values = {
        "from_currency": "JPY",
        "from_amount": 10**13,
        "to_currency": "INR",
        "to_amount": 596 * 10**10,
        **fields,
    }
    return Conversion(source=make_source(), **values)


CASE_PARAMS = [
    pytest.param(case, id=f"{case.constraint}-{i}") for i, case in enumerate(CASES, start=1)
]


def _declared_constraints() -> dict[str, models.BaseConstraint]:
    return {
        constraint.name: constraint
        for model in apps.get_app_config("commitments").get_models()
        for constraint in model._meta.constraints
    }


def test_every_named_constraint_has_a_case():
    assert {case.constraint for case in CASES} == set(_declared_constraints())


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_database_rejects_bad_data(case):
    bad = case.build()
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        bad.save()  # save() does not call full_clean(): straight to the database.
    constraint = _declared_constraints()[case.constraint]
    # SQLite names a violated CHECK constraint, but not a violated unique index on fields.
    if isinstance(constraint, models.CheckConstraint) or connection.vendor == "postgresql":
        assert case.constraint in str(excinfo.value)


@pytest.mark.parametrize("case", CASE_PARAMS)
def test_full_clean_rejects_bad_data(case):
    assert_rejected(case.build(), case.key, case.fragment)


def test_database_rejects_bad_data_written_with_update():
    """A queryset update() bypasses clean() and save() alike; the database still says no."""
    update = make_update()
    with pytest.raises(IntegrityError), transaction.atomic():
        StatusUpdate.objects.filter(pk=update.pk).update(state=StatusUpdate.State.PUBLISHED)
    update.refresh_from_db()
    assert update.state == StatusUpdate.State.DRAFT

    commitment = make_commitment()
    with pytest.raises(IntegrityError), transaction.atomic():
        Commitment.objects.filter(pk=commitment.pk).update(parent=commitment)
    commitment.refresh_from_db()
    assert commitment.parent is None


# Valid data passes, so each rejection above is about the bad value, not the fixture.


def _good_commitment_party() -> CommitmentParty:
    commitment = make_commitment(parties=[(make_party(), CommitmentParty.Role.LEAD)])
    return new_commitment_party(commitment=commitment, role=CommitmentParty.Role.COUNTERPART)


def _good_child_commitment() -> Commitment:
    parent = targeted_commitment(target_unit=Commitment.Unit.PEOPLE)
    return new_commitment(
        parent=parent,
        counts_toward_parent=True,
        target_value=Decimal("20"),
        target_unit=Commitment.Unit.PEOPLE,
    )


GOOD = [
    pytest.param(new_event, id="event"),
    pytest.param(lambda: new_event(ends_on=SUMMIT_DAY), id="event-one-day"),
    pytest.param(new_party, id="party"),
    pytest.param(new_source, id="source"),
    pytest.param(
        lambda: new_source(
            url="http://example.org/a",
            archive_url="https://web.archive.org/web/2025/http://example.org/a",
            published_on=SUMMIT_DAY,
            accessed_on=SUMMIT_DAY,
        ),
        id="source-all-fields",
    ),
    pytest.param(lambda: new_source(url=""), id="source-print-document"),
    pytest.param(new_update, id="update"),
    pytest.param(
        lambda: new_update(commitment=targeted_commitment(), progress_value=Decimal("0")),
        id="update-progress-zero",
    ),
    pytest.param(
        lambda: new_update(state=StatusUpdate.State.PUBLISHED, reviewed_at=timezone.now()),
        id="update-published",
    ),
    pytest.param(
        lambda: new_update(
            state=StatusUpdate.State.REJECTED, reviewed_at=timezone.now(), review_comment="No."
        ),
        id="update-rejected",
    ),
    pytest.param(new_commitment, id="commitment"),
    pytest.param(
        lambda: new_commitment(
            deadline=datetime.date(2030, 3, 31),
            deadline_precision="day",
            target_value=Decimal("10"),
            target_unit=Commitment.Unit.JPY,
            baseline_value=Decimal("2"),
        ),
        id="commitment-target-and-baseline",
    ),
    pytest.param(
        lambda: new_commitment(
            target_value=Decimal("500"), target_unit=Commitment.Unit.OTHER, target_unit_label="MW"
        ),
        id="commitment-other-unit",
    ),
    pytest.param(
        lambda: new_commitment(deadline=SUMMIT_DAY, deadline_precision="day"),
        id="commitment-deadline-on-announcement",
    ),
    pytest.param(_good_child_commitment, id="commitment-child"),
    pytest.param(_good_commitment_party, id="commitment-party"),
]


@pytest.mark.parametrize("build", GOOD)
def test_valid_data_passes_full_clean_and_saves(build):
    obj = build()
    obj.full_clean()
    obj.save()
    assert type(obj).objects.filter(pk=obj.pk).exists()


# Rules that only clean() enforces.


def test_commitment_cannot_be_its_own_ancestor():
    a = make_commitment(title="A")
    b = make_commitment(title="B", parent=a)
    c = make_commitment(title="C", parent=b)
    a = Commitment.objects.get(pk=a.pk)
    a.parent = Commitment.objects.get(pk=c.pk)
    assert_rejected(a, "parent", "cannot be its own ancestor")
    errors = validation_errors(a)
    assert "“C” is already below this commitment" in errors["parent"][0]


def test_commitment_may_move_under_an_unrelated_commitment():
    a = make_commitment()
    b = make_commitment(parent=a)
    other = make_commitment()
    b.parent = other
    b.full_clean()


def test_ancestors_lists_parent_then_grandparent():
    a = make_commitment()
    b = make_commitment(parent=a)
    c = make_commitment(parent=b)
    assert [node.pk for node in Commitment.objects.get(pk=c.pk).ancestors()] == [b.pk, a.pk]
    assert a.ancestors() == []


@pytest.mark.parametrize(
    ("given", "precision", "stored"),
    [
        (datetime.date(2030, 8, 15), "year", datetime.date(2030, 12, 31)),
        (datetime.date(2030, 1, 1), "year", datetime.date(2030, 12, 31)),
        (datetime.date(2028, 2, 3), "month", datetime.date(2028, 2, 29)),  # leap year
        (datetime.date(2030, 2, 3), "month", datetime.date(2030, 2, 28)),
        (datetime.date(2030, 8, 15), "month", datetime.date(2030, 8, 31)),
        (datetime.date(2030, 4, 15), "month", datetime.date(2030, 4, 30)),
        (datetime.date(2030, 8, 15), "day", datetime.date(2030, 8, 15)),
    ],
)
def test_clean_moves_deadline_to_end_of_its_period(given, precision, stored):
    commitment = new_commitment(deadline=given, deadline_precision=precision)
    commitment.full_clean()
    assert commitment.deadline == stored
    commitment.save()
    commitment.refresh_from_db()
    assert commitment.deadline == stored


def test_month_deadline_in_the_announcement_month_is_valid():
    """Any day of the announcement month names that month: its last day is not too early."""
    commitment = new_commitment(deadline=SUMMIT_DAY.replace(day=1), deadline_precision="month")
    commitment.full_clean()
    assert commitment.deadline == datetime.date(2025, 8, 31)


@pytest.mark.parametrize(
    ("deadline", "precision", "label"),
    [
        (datetime.date(2030, 12, 31), "year", "by 2030"),
        (datetime.date(2030, 8, 31), "month", "by August 2030"),
        (datetime.date(2030, 8, 29), "day", "29 August 2030"),
        (datetime.date(2030, 3, 1), "day", "1 March 2030"),
        (None, "", ""),
    ],
)
def test_deadline_label(deadline, precision, label):
    commitment = new_commitment(deadline=deadline, deadline_precision=precision)
    assert commitment.deadline_label == label


def test_update_as_of_in_the_future_is_rejected():
    tomorrow = TODAY + ONE_DAY
    assert_rejected(new_update(as_of=tomorrow), "as_of", "cannot be in the future")


def test_update_as_of_today_is_accepted():
    new_update(as_of=TODAY).full_clean()


def test_update_as_of_before_announcement_is_rejected():
    update = new_update(as_of=SUMMIT_DAY - ONE_DAY)
    assert_rejected(update, "as_of", "before the commitment was announced (29 August 2025)")


def test_update_as_of_on_announcement_day_is_accepted():
    new_update(as_of=SUMMIT_DAY).full_clean()


def test_progress_value_needs_a_target():
    update = new_update(commitment=make_commitment(), progress_value=Decimal("5"))
    assert_rejected(update, "progress_value", "has no measurable target")


def test_progress_value_with_a_target_is_accepted():
    new_update(commitment=targeted_commitment(), progress_value=Decimal("5")).full_clean()


# counts_toward_parent: only with a parent, and only when both targets share a unit.


@pytest.mark.parametrize(
    ("parent_target", "child_target", "ok"),
    [
        (("count", ""), ("count", ""), True),
        (("other", "MW"), ("other", "MW"), True),
        (("people", ""), ("count", ""), False),
        (("other", "MW"), ("other", "km"), False),
        (None, ("count", ""), False),
        (("count", ""), None, False),
        (None, None, False),
    ],
)
def test_counts_toward_parent_needs_targets_in_the_same_unit(parent_target, child_target, ok):
    def target(spec):
        if spec is None:
            return {}
        unit, label = spec
        return {"target_value": Decimal("10"), "target_unit": unit, "target_unit_label": label}

    parent = make_commitment(**target(parent_target))
    child = new_commitment(parent=parent, counts_toward_parent=True, **target(child_target))
    if ok:
        child.full_clean()
    else:
        assert_rejected(child, "counts_toward_parent", "only when both have targets in the same")


def test_a_child_need_not_count_toward_its_parent():
    parent = make_commitment()
    new_commitment(parent=parent, counts_toward_parent=False).full_clean()


# Sources: http(s) only; a URL is unique when given, but many print sources have none.


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/statement.pdf", "javascript:alert(1)", "file:///etc/passwd", "example"],
)
@pytest.mark.parametrize("field", ["url", "archive_url"])
def test_source_urls_must_be_http_or_https(field, url):
    assert_rejected(new_source(**{field: url}), field, "Enter a valid URL")


@pytest.mark.parametrize("url", ["http://example.org/a", "https://example.org/a?b=c#d"])
def test_source_http_and_https_urls_are_accepted(url):
    new_source(url=url).full_clean()


def test_many_sources_may_have_no_url():
    make_source(url="")
    make_source(url="")
    new_source(url="").full_clean()
    new_source(url="").save()
    assert Source.objects.filter(url="").count() == 3


def test_a_source_may_be_edited_without_clashing_with_itself():
    source = make_source(url="https://example.org/only")
    source.title = "Renamed"
    source.full_clean()


def test_party_names_differing_only_in_case_clash_but_different_names_do_not():
    make_party(name="Shizuoka", slug="shizuoka")
    assert_rejected(new_party(name="shizuoka", slug="s2"), NON_FIELD_ERRORS, "already exists")
    new_party(name="Shizuoka Prefecture", slug="s3").full_clean()


def test_event_dates_are_checked_by_clean():
    make_event()  # a second event is no clash
    assert_rejected(
        new_event(ends_on=SUMMIT_DAY - ONE_DAY), "ends_on", "An event cannot end before it starts."
    )

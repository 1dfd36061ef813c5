"""As of any day, every figure of the dashboard agrees with the list (issue 12): the total,
the status and sector counts, overdue, stale, the status-over-time chart and the links."""

import datetime
from html.parser import HTMLParser

import pytest
from django.utils import timezone

from commitments.models import Commitment, StatusUpdate, UpdateStatus
from tests.factories import (
    SUMMIT_DAY,
    TODAY,
    make_commitment,
    make_editor,
    make_published_update,
    make_sector,
)

pytestmark = pytest.mark.usefixtures("seeded")

BEFORE = SUMMIT_DAY - datetime.timedelta(days=28)  # 1 August 2025: nothing announced yet
LATER = SUMMIT_DAY + datetime.timedelta(days=60)


def days_after(n: int) -> datetime.date:
    return SUMMIT_DAY + datetime.timedelta(days=n)


def noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def later_updates(db, seeded):
    """Updates after the summit, each published a few days after its as-of date, and one
    new commitment in a new sector. Returns the updates by name."""
    editor = make_editor()

    def update(commitment, status, as_of, reviewed_on):
        made = make_published_update(commitment, by=editor, status=status, as_of=as_of)
        StatusUpdate.objects.filter(pk=made.pk).update(reviewed_at=noon(reviewed_on))
        return made

    new = make_commitment(
        title="A pledge made after the summit",
        sector=make_sector(name="Late sector", slug="late-sector"),
        announced_on=days_after(20),
    )
    get = Commitment.objects.get
    return {
        "skilled": update(
            get(slug="fifty-thousand-skilled-professionals"),
            "in_progress",
            days_after(30),
            days_after(35),
        ),
        "chandrayaan": update(get(slug="chandrayaan-5"), "delayed", days_after(40), days_after(41)),
        "new": update(new, "announced", days_after(50), days_after(50)),
        # Dated before LATER, but published after it: it counts in the standing on LATER (the
        # dated updates decide), yet was not "recently published" then.
        "mou": update(get(slug="mou-space"), "achieved", days_after(45), days_after(70)),
    }


def query(day, **params) -> str:
    if day:
        params["as_of"] = day.isoformat()
    return "?" + "&".join(f"{name}={value}" for name, value in params.items())


def listed(client, path, day, **params) -> int:
    response = client.get(path + query(day, **params))
    assert response.status_code == 200
    return response.context["table"].paginator.count


@pytest.mark.parametrize(
    ("day", "expected_total"),
    [(BEFORE, 0), (SUMMIT_DAY, 18), (days_after(36), 18), (LATER, 19), (None, 19)],
    ids=["before-anything", "announcement-day", "after-first-update", "later", "today"],
)
def test_every_dashboard_figure_agrees_with_the_list(client, later_updates, day, expected_total):
    dashboard = client.get("/" + query(day)).context
    total = dashboard["total"]
    assert total == expected_total
    assert sum(row["count"] for row in dashboard["by_status"]) == total
    assert sum(row["sector"].public_count for row in dashboard["by_sector"]) == total
    assert listed(client, "/commitments/", day) == total

    for row in dashboard["by_status"]:
        if row["count"]:
            assert listed(client, "/commitments/", day, status=row["status"].value) == row["count"]
    for row in dashboard["by_sector"]:
        sector = row["sector"]
        assert listed(client, sector.get_absolute_url(), day) == sector.public_count
    assert listed(client, "/commitments/", day, overdue="on") == dashboard["overdue_count"]
    assert listed(client, "/commitments/", day, stale="on") == dashboard["stale_count"]

    portfolio = dashboard["portfolio"]
    if total:
        last = portfolio["table"][-1]
        assert last["month_end"] == (day or TODAY)
        assert last["total"] == total
        assert last["counts"] == {
            row["status"].value: row["count"] for row in dashboard["by_status"]
        }
    else:
        assert portfolio is None


def test_the_standing_moves_with_the_dated_updates(client, later_updates):
    def counts(day):
        by_status = client.get("/" + query(day)).context["by_status"]
        return {row["status"].value: row["count"] for row in by_status if row["count"]}

    assert counts(SUMMIT_DAY) == {UpdateStatus.ANNOUNCED: 18}
    assert counts(days_after(36)) == {UpdateStatus.ANNOUNCED: 17, UpdateStatus.IN_PROGRESS: 1}
    assert counts(LATER) == {
        UpdateStatus.ANNOUNCED: 16,  # 15 from the summit and the new one
        UpdateStatus.IN_PROGRESS: 1,
        UpdateStatus.DELAYED: 1,
        UpdateStatus.ACHIEVED: 1,
    }
    sectors = {row["sector"].slug for row in client.get("/" + query(LATER)).context["by_sector"]}
    assert "late-sector" in sectors
    before = client.get("/" + query(days_after(36))).context["by_sector"]
    assert "late-sector" not in {row["sector"].slug for row in before}


def test_before_anything_the_dashboard_says_there_is_nothing_yet(client, later_updates):
    response = client.get("/" + query(BEFORE))
    content = response.content.decode()
    assert "0 public commitments" in content
    assert response.context["by_sector"] == []
    assert "Every open commitment has a recent update." not in content
    assert "No commitments yet, so nothing is stale." in content
    assert list(response.context["recent_updates"]) == []
    assert "No updates published yet." in content


def test_recently_published_means_published_by_the_end_of_that_day(client, later_updates):
    def recent(day):
        return list(client.get("/" + query(day)).context["recent_updates"])

    on_later = recent(LATER)
    end_of_later = noon(LATER + datetime.timedelta(days=1)) - datetime.timedelta(hours=12)
    assert all(u.as_of <= LATER and u.reviewed_at < end_of_later for u in on_later)
    pks = [u.pk for u in on_later]
    assert pks[:3] == [later_updates[name].pk for name in ("new", "chandrayaan", "skilled")]
    assert later_updates["mou"].pk not in pks  # published after LATER
    assert later_updates["skilled"].pk not in [u.pk for u in recent(days_after(34))]
    assert recent(days_after(35))[0].pk == later_updates["skilled"].pk
    # The seed's updates were published on the announcement day itself.
    assert len(recent(SUMMIT_DAY)) == 10
    assert recent(None)[0].pk == later_updates["mou"].pk


class Links(HTMLParser):
    """The links inside <main>, as (href, text)."""

    def __init__(self):
        super().__init__()
        self.in_main, self.href, self.text, self.links = False, None, "", []

    def handle_starttag(self, tag, attrs):
        if tag == "main":
            self.in_main = True
        elif tag == "a" and self.in_main:
            self.href, self.text = dict(attrs).get("href"), ""

    def handle_data(self, data):
        if self.href is not None:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        elif tag == "a" and self.href is not None:
            self.links.append((self.href, self.text.strip()))
            self.href = None


LEAVES_THE_DAY = {"Back to today", "Clear"}


@pytest.mark.parametrize(
    "path", ["/", "/commitments/", "/commitments/?page=1&sort=-last_update", "/sectors/space/"]
)
def test_links_from_an_as_of_page_keep_the_day(client, later_updates, path):
    separator = "&" if "?" in path else "?"
    response = client.get(f"{path}{separator}as_of={LATER.isoformat()}")
    parser = Links()
    parser.feed(response.content.decode())
    checked = [
        (href, text)
        for href, text in parser.links
        if href.startswith(("/commitments/", "/sectors/", "/parties/"))
        and text not in LEAVES_THE_DAY
    ]
    assert checked, "no links to check"
    missing = [(href, text) for href, text in checked if f"as_of={LATER.isoformat()}" not in href]
    assert missing == []
    # Every kind of page is reached: a detail page and a sector page at least.
    assert any(href.startswith("/sectors/") for href, _ in checked)
    assert any(
        href.startswith("/commitments/") and href.split("?")[0].count("/") == 3
        for href, _ in checked
    )

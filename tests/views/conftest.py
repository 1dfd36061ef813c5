import datetime

import pytest

from commitments.models import CommitmentParty
from tests.factories import (
    SUMMIT_DAY,
    make_commitment,
    make_editor,
    make_party,
    make_published_update,
    make_sector,
)


@pytest.fixture
def portfolio(db):
    """build(n): n public commitments with parties, targets and two sourced updates each."""
    editor = make_editor("portfolio-editor")
    sectors = [make_sector() for _ in range(3)]
    parties = [make_party() for _ in range(4)]

    def build(n):
        for i in range(n):
            commitment = make_commitment(
                sector=sectors[i % 3],
                target_value=1000,
                target_unit="people",
                deadline=SUMMIT_DAY + datetime.timedelta(days=200 + i),
                deadline_precision="day",
            )
            CommitmentParty.objects.create(commitment=commitment, party=parties[i % 4], role="lead")
            CommitmentParty.objects.create(
                commitment=commitment, party=parties[(i + 1) % 4], role="counterpart"
            )
            make_published_update(commitment, by=editor, status="announced")
            make_published_update(
                commitment,
                by=editor,
                status="in_progress",
                progress_value=i,
                as_of=SUMMIT_DAY + datetime.timedelta(days=30),
            )

    return build

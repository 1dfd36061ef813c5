from tests.factories import make_published_update


def test_publishing_sets_current_status(db):
    update = make_published_update()
    update.commitment.refresh_from_db()
    assert update.commitment.current_status == "in_progress"

"""The public export of published updates (/updates/export.csv) is not the import's format:
uploading it says where the importable export is, instead of only listing columns."""

import pytest

from commitments.imports.base import ImportFileError
from commitments.imports.reading import read_table
from commitments.imports.updates import Planner
from commitments.models import ImportBatch
from tests.factories import make_analyst, make_commitment, make_published_update

pytestmark = pytest.mark.django_db


def test_the_public_updates_export_is_pointed_to_the_importable_one(client):
    make_published_update(make_commitment())
    public_csv = b"".join(client.get("/updates/export.csv").streaming_content)
    batch = ImportBatch(kind=ImportBatch.Kind.UPDATES, created_by=make_analyst())
    with pytest.raises(ImportFileError) as error:
        read_table("updates.csv", public_csv, Planner(batch))
    message = str(error.value)
    assert "public export of published updates" in message
    assert "download the export of the updates" in message


def test_another_file_without_the_columns_gets_no_such_hint():
    batch = ImportBatch(kind=ImportBatch.Kind.UPDATES, created_by=make_analyst())
    with pytest.raises(ImportFileError) as error:
        read_table("x.csv", b"name,amount\nA,1\n", Planner(batch))
    assert "public export" not in str(error.value)

import pytest

from services.clinic import Clinic
from tests.factories import make_clinic


@pytest.fixture
def clinic(tmp_path, database_url) -> Clinic:
    clinic = make_clinic(tmp_path, database_url=database_url)
    yield clinic
    clinic.db.dispose()

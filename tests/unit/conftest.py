import pytest

from services.clinic import Clinic
from tests.factories import make_clinic


@pytest.fixture
def clinic(tmp_path) -> Clinic:
    clinic = make_clinic(tmp_path)
    yield clinic
    clinic.db.dispose()

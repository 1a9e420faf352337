"""Fill a benchmark clinic quickly: patients inserted in one transaction with one shared password hash."""

from models import Role, User
from services.accounts import _hasher
from services.clinic import Clinic


def add_patients(clinic: Clinic, count: int) -> list[int]:
    """Add `count` confirmed patients (p0@b.org, ...) and return their user ids."""
    password_hash = _hasher.hash('bench-pass')
    with clinic.db.writing() as session:
        users = [
            User(
                email=f'p{i}@b.org',
                full_name=f'Patient {i}',
                role=Role.patient,
                password_hash=password_hash,
                email_confirmed_at=clinic.now(),  # patients who confirmed their address, as those who book have
            )
            for i in range(count)
        ]
        session.add_all(users)
        session.flush()
        return [u.id for u in users if u.id is not None]

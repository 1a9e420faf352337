"""The demo clinic that README.md lists under 'Run it (with the demo clinic)': one admin, three doctors, two patients,
every password demo1234."""

from sqlmodel import select

from models import Role, User

from .accounts import create_account
from .clinic import Clinic

DEMO_PASSWORD = 'demo1234'  # published in README.md, so seeded as it is, past the password policy
DOCTORS = (
    ('alice.smith@clinic.example', 'Dr. Alice Smith', 'General Practice'),
    ('bob.jones@clinic.example', 'Dr. Bob Jones', 'Pediatrics'),
    ('carol.diaz@clinic.example', 'Dr. Carol Diaz', 'Dermatology'),
)
PATIENTS = (
    ('maria.lopez@mail.example', 'Maria Lopez'),
    ('james.lee@mail.example', 'James Lee'),
)


def create_demo_clinic(clinic: Clinic) -> bool:
    """Fill an empty database with the demo clinic; return False and touch nothing if it has any user."""
    with clinic.db.reading() as session:
        if session.exec(select(User.id).limit(1)).first() is not None:
            return False
    create_account(
        clinic,
        email='admin@clinic.example',
        full_name='Clinic Admin',
        password=DEMO_PASSWORD,
        role=Role.admin,
        password_policy=False,
    )
    for email, name, specialty in DOCTORS:
        create_account(
            clinic,
            email=email,
            full_name=name,
            password=DEMO_PASSWORD,
            role=Role.doctor,
            specialty=specialty,
            password_policy=False,
        )
    for email, name in PATIENTS:
        create_account(
            clinic, email=email, full_name=name, password=DEMO_PASSWORD, role=Role.patient, password_policy=False
        )
    return True

"""E-mails and reminders go out in the recipient's language, to a real SMTP server: a patient who chose Spanish gets
her confirmation, its invitation's summary, a staff cancellation's reason and her reminder in Spanish; a German
doctor his in German; someone who chose nothing gets the clinic's default."""

from urllib.parse import parse_qs, urlsplit

import pytest

from services.accounts import register_patient
from services.booking import book, cancel
from services.cancel_reasons import DOCTOR_UNAVAILABLE
from services.email_checks import confirm_email
from services.outbox import send_due
from services.profiles import choose_language
from services.reminders import send_reminder
from tests.factories import NEXT_MONDAY, Mailbox, create_doctor, create_patient, local, make_clinic, text_of
from tests.unit.test_confirmations import invitation_of


@pytest.fixture
def mailed(tmp_path, database_url):
    with Mailbox() as mailbox:
        clinic = make_clinic(
            tmp_path,
            database_url=database_url,
            languages='en,es,de',
            doctor_confirmations=True,
            **mailbox.settings,
        )
        yield clinic, mailbox
        clinic.db.dispose()


def test_each_recipient_reads_the_confirmation_in_their_own_language(mailed):
    clinic, mailbox = mailed
    doctor, maria, james = (
        create_doctor(clinic, 'Dr. Alice Smith'),
        create_patient(clinic, 'Maria'),
        create_patient(clinic),
    )
    choose_language(clinic, actor_id=maria.id, language='es')
    choose_language(clinic, actor_id=doctor.user_id, language='de')
    info = book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    book(clinic, actor_id=james.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 11))
    cancel(clinic, actor_id=doctor.user_id, appointment_id=info.id, reason=DOCTOR_UNAVAILABLE)
    send_due(clinic)

    booked, cancelled = mailbox.to(maria.email)
    assert booked['Subject'] == 'Reservada: Dr. Alice Smith, lun, 30 nov 2026, 10:00'
    assert 'Su cita con Dr. Alice Smith está reservada para el lun, 30 nov 2026, 10:00' in text_of(booked)
    assert '<html lang="es">' in booked.get_body(('html',)).get_content()
    _, event = invitation_of(booked)
    assert str(event['SUMMARY']) == 'Consultation con Dr. Alice Smith'  # the kind's name is the clinic's own words
    assert cancelled['Subject'].startswith('Cancelada: ')
    assert 'El médico no está disponible a esa hora.' in text_of(cancelled)  # the reason in her language

    to_doctor = mailbox.to(doctor.email)
    assert to_doctor[0]['Subject'] == 'Gebucht: Maria, Mo., 30. Nov. 2026, 10:00'
    assert 'ist bei Ihnen für Mo., 30. Nov. 2026, 10:00 (Consultation) gebucht.' in text_of(to_doctor[0])

    [james_mail] = mailbox.to(james.email)  # chose nothing: the clinic's default, English
    assert james_mail['Subject'] == 'Booked: Dr. Alice Smith, Mon 30 Nov 2026, 11:00'


def test_a_reminder_reaches_the_bell_and_the_mailbox_in_the_patients_language(mailed):
    clinic, mailbox = mailed
    doctor, maria = create_doctor(clinic, 'Dr. Alice Smith'), create_patient(clinic, 'Maria')
    choose_language(clinic, actor_id=maria.id, language='de')
    info = book(clinic, actor_id=maria.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    assert send_reminder(clinic, appointment_id=info.id, lead_minutes=120)
    send_due(clinic)
    reminder = mailbox.to(maria.email)[-1]
    assert reminder['Subject'] == 'Erinnerung: Dr. Alice Smith, Mo., 30. Nov. 2026, 10:00'
    assert 'Erinnerung: Ihr Termin bei Dr. Alice Smith ist am Mo., 30. Nov. 2026, 10:00.' in text_of(reminder)
    assert 'Um ihn anzusehen oder abzusagen, öffnen Sie http' in text_of(reminder)


def test_a_patient_who_signed_up_in_spanish_gets_their_mail_in_spanish(mailed):
    clinic, mailbox = mailed
    doctor = create_doctor(clinic, 'Dr. Alice Smith')
    register_patient(clinic, email='nora@example.org', full_name='Nora', password='noras-password', language='es')
    register_patient(clinic, email='omar@example.org', full_name='Omar', password='omars-password', language='fr')
    send_due(clinic)
    for hour, address in ((10, 'nora@example.org'), (11, 'omar@example.org')):
        [link] = mailbox.links(address)
        patient = confirm_email(clinic, token=parse_qs(urlsplit(link).query)['token'][0])
        book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, hour))
    send_due(clinic)
    assert mailbox.to('nora@example.org')[-1]['Subject'].startswith('Reservada: Dr. Alice Smith, lun, 30 nov 2026')
    # a language the clinic does not offer is not kept: the clinic's default
    assert mailbox.to('omar@example.org')[-1]['Subject'].startswith('Booked: Dr. Alice Smith, Mon 30 Nov 2026')

"""E-mail to patients whose appointments a schedule change cancelled: sent after the commit, never fatal."""

from dataclasses import replace

from services.booking import book
from services.cancellation_mail import mail_cancellations
from tests.factories import NEXT_MONDAY, Mailbox, create_doctor, create_patient, local, make_clinic


def test_each_cancelled_patient_gets_an_email_with_the_doctor_the_time_and_the_reason(tmp_path, database_url):
    with Mailbox() as mailbox:
        clinic = make_clinic(tmp_path, database_url=database_url, **mailbox.settings)
        doctor = create_doctor(clinic, 'Dr. Alice Smith')
        maria, james = create_patient(clinic, 'Maria'), create_patient(clinic, 'James')
        infos = [
            replace(
                book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, hour)),
                cancel_reason='The doctor is unavailable at that time.',
            )
            for patient, hour in ((maria, 10), (james, 11))
        ]
        mail_cancellations(clinic, infos)
        clinic.db.dispose()
    [to_maria] = mailbox.to(maria.email)
    assert to_maria['Subject'] == 'Cancelled: Dr. Alice Smith, Mon 30 Nov 2026, 10:00'
    assert 'The doctor is unavailable at that time.' in to_maria.get_content()
    [to_james] = mailbox.to(james.email)
    assert '11:00' in to_james['Subject']


def test_without_a_mail_host_or_with_the_server_down_nothing_fails(tmp_path, database_url):
    with Mailbox() as mailbox:
        port = mailbox.port
    clinic = make_clinic(
        tmp_path, database_url=database_url, smtp_host='127.0.0.1', smtp_port=port, smtp_starttls=False
    )
    doctor, patient = create_doctor(clinic), create_patient(clinic)
    info = book(clinic, actor_id=patient.id, doctor_id=doctor.id, starts_at=local(NEXT_MONDAY, 10))
    mail_cancellations(clinic, [info])  # the server is gone: logged, not raised
    clinic.db.dispose()

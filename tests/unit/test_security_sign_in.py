"""Attacks on sign-in through the service, on every database backend: filling the disk with huge failed sign-ins,
racing guesses past the limit, locking an owner out from elsewhere, spraying emails, and hashing without bound."""

import asyncio
import random
import string
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import func, select

from models import LoginFailure
from services import accounts
from services.accounts import HASHES_AT_ONCE, register_patient, sign_in, sign_in_in_turn
from services.errors import SignInRefused
from services.schedule import list_doctors
from services.sign_in_limits import FORGET_AFTER, FREE_PER_ACCOUNT, FREE_PER_ADDRESS
from tests.waiting import until

ATTACKER, OWNER = '203.0.113.9', '198.51.100.4'
WRONG = 'Wrong email or password.'


@pytest.fixture
def ann(clinic):
    return register_patient(clinic, email='ann@example.org', full_name='Ann Lee', password='anns-password')


def attempt(clinic, email: str, password: str = 'wrong-password', client: str = ATTACKER) -> str:
    """Sign in and return the answer: 'signed in', or the refusal's message."""
    try:
        sign_in(clinic, email=email, password=password, client=client)
    except SignInRefused as refusal:
        return refusal.message
    return 'signed in'


def database_bytes(clinic) -> int:
    """The size of the clinic's database: SQLite's file after a checkpoint, or PostgreSQL's failure table."""
    with clinic.db.reading() as session:
        if clinic.db.is_postgres:
            return int(session.execute(text("SELECT pg_total_relation_size('login_failures')")).scalar())
        session.execute(text('PRAGMA wal_checkpoint(TRUNCATE)'))
    return Path(make_url(clinic.db.url).database).stat().st_size


def stored_failures(clinic) -> int:
    with clinic.db.reading() as session:
        return session.exec(select(func.count()).select_from(LoginFailure)).one()


def test_huge_failed_sign_ins_leave_the_database_small(clinic, ann):
    huge = 900_000
    before = database_bytes(clinic)
    rng = random.Random(1)
    for index in range(60):
        email = ''.join(rng.choices(string.ascii_lowercase, k=huge)) + '@example.org'
        assert attempt(clinic, email, password='x' * huge, client=f'10.0.0.{index}') == WRONG
    for index in range(200):  # the longest emails accepted, each new, from one address
        email = f'{index:03}' + 'a' * 239 + '@example.org'
        assert len(email) == 254
        attempt(clinic, email, password='x' * 1024)
    grown = database_bytes(clinic) - before
    print(
        f'\nFIGURE disk fill: 60 sign-ins with 900 KB emails and passwords + 200 with 254-character emails: '
        f'the database grew by {grown / 1024:.0f} KB ({before / 1024:.0f} KB before), '
        f'{stored_failures(clinic)} failures kept'
    )
    assert grown < 64 * 1024
    assert stored_failures(clinic) <= FREE_PER_ADDRESS
    assert attempt(clinic, 'ann@example.org', password='anns-password', client=OWNER) == 'signed in'


def test_failures_are_deleted_once_they_no_longer_count(clinic, ann):
    for index in range(FREE_PER_ADDRESS):
        attempt(clinic, f'guess{index}@example.org', client=f'10.0.1.{index}')
    assert stored_failures(clinic) == FREE_PER_ADDRESS
    clinic.clock.advance(FORGET_AFTER + timedelta(seconds=1))
    attempt(clinic, 'someone@example.org')
    assert stored_failures(clinic) == 1  # only the newest: the others expired without anyone signing in as them


def test_twenty_parallel_guesses_check_no_more_passwords_than_the_limit(clinic, ann):
    barrier = threading.Barrier(20)
    answers: list[str] = []

    def guess(number: int) -> None:
        barrier.wait()
        answers.append(attempt(clinic, 'ann@example.org', password=f'guess-number-{number}'))

    threads = [threading.Thread(target=guess, args=(number,)) for number in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    checked = answers.count(WRONG)
    print(f'\nFIGURE parallel guesses: 20 at once, {checked} passwords checked (limit {FREE_PER_ACCOUNT})')
    assert checked == FREE_PER_ACCOUNT
    assert all(answer.startswith('Too many failed sign-in attempts') for answer in answers if answer != WRONG)


def test_an_attacker_elsewhere_cannot_lock_the_owner_out(clinic, ann):
    answers = [attempt(clinic, 'ann@example.org') for _ in range(20)]
    assert answers.count(WRONG) == FREE_PER_ACCOUNT and answers[-1].startswith('Too many failed sign-in attempts')
    assert attempt(clinic, 'ann@example.org', password='anns-password', client=OWNER) == 'signed in'


def test_repeated_failures_make_the_next_attempt_wait_longer_and_longer_never_for_good(clinic, ann):
    for _ in range(FREE_PER_ACCOUNT):
        assert attempt(clinic, 'ann@example.org', client=OWNER) == WRONG
    waits = []
    for _ in range(4):
        refusal = attempt(clinic, 'ann@example.org', password='anns-password', client=OWNER)
        seconds = int(refusal.split('try again in ')[1].split()[0])
        waits.append(seconds)
        clinic.clock.advance(timedelta(seconds=seconds))
        assert attempt(clinic, 'ann@example.org', client=OWNER) == WRONG
    assert waits == [1, 2, 4, 8]
    clinic.clock.advance(timedelta(seconds=16))
    assert attempt(clinic, 'ann@example.org', password='anns-password', client=OWNER) == 'signed in'
    for _ in range(FREE_PER_ACCOUNT):  # a right password wipes the slate for this address
        assert attempt(clinic, 'ann@example.org', client=OWNER) == WRONG


def test_spraying_many_emails_from_one_address_is_slowed_like_guessing_one(clinic, ann):
    barrier = threading.Barrier(30)
    answers: list[str] = []

    def spray(number: int) -> None:
        barrier.wait()
        answers.append(attempt(clinic, f'someone{number}@example.org'))

    threads = [threading.Thread(target=spray, args=(number,)) for number in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers.count(WRONG) == FREE_PER_ADDRESS
    assert attempt(clinic, 'ann@example.org', password='anns-password', client=OWNER) == 'signed in'


class WatchedHasher:
    """The tests' cheap hasher, holding every hash until told to go, and counting how many run at once."""

    def __init__(self, hasher) -> None:
        self.hasher, self.hashing, self.most = hasher, 0, 0
        self.go, self.lock = threading.Event(), threading.Lock()

    def verify(self, password: str, password_hash: str) -> bool:
        with self.lock:
            self.hashing += 1
            self.most = max(self.most, self.hashing)
        self.go.wait(10)
        try:
            return self.hasher.verify(password, password_hash)
        finally:
            with self.lock:
                self.hashing -= 1


async def test_a_crowd_of_sign_ins_hashes_two_at_a_time_and_holds_no_thread_other_use_cases_need(
    clinic, ann, monkeypatch
):
    watched = WatchedHasher(accounts._hasher)
    monkeypatch.setattr(accounts, '_hasher', watched)
    crowd = [  # more than any default thread pool has threads (at most 32)
        asyncio.create_task(sign_in_in_turn(clinic, email=f'x{n}@example.org', password='guess', client=f'10.9.0.{n}'))
        for n in range(40)
    ]
    await until(lambda: watched.hashing == HASHES_AT_ONCE)
    ordinary = await asyncio.wait_for(asyncio.to_thread(list_doctors, clinic), timeout=5)  # answers meanwhile
    assert ordinary == [] and watched.hashing == HASHES_AT_ONCE and not any(task.done() for task in crowd)
    watched.go.set()
    answers = await asyncio.gather(*crowd, return_exceptions=True)
    assert [getattr(answer, 'message', answer) for answer in answers] == [WRONG] * 40
    assert watched.most == HASHES_AT_ONCE

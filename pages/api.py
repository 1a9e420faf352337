"""/api/v1: the clinic's REST API for its other systems, on the same app and the same service functions as the pages
(the same rules, permissions, audit records and live updates). Documented by FastAPI at /api/v1/openapi.json and
/api/v1/docs.

A request authenticates with a personal access token (`Authorization: Bearer clinic_...`, made on /profile) and
acts as its owner; a read-only token may not write. Errors are JSON, `{"error": {"code", "message", "field"}}`, with
the message the page would show: 401 no or a dead token, 403 not allowed, 404 not found (or not yours), 409 a time
just taken, 422 bad input, 429 too many requests. `POST /appointments` honours `Idempotency-Key`.
"""

import asyncio
import collections
import json
import time
from collections.abc import AsyncIterator, Callable
from datetime import date, datetime, timedelta
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse
from nicegui import app
from pydantic import BaseModel, Field
from sqlmodel import Session
from sse_starlette.sse import EventSourceResponse

from models import AppointmentStatus, Role, TokenScope, UnavailabilityReason
from services.api_tokens import TokenHolder, holder_of
from services.appointments import appointment_list_key
from services.availability import InTheWay, mark_unavailable, remove_unavailability
from services.booking import book, cancel, reschedule
from services.clinic import Clinic
from services.errors import AppointmentsInTheWay, ClinicError, NotAllowed, NotFound, SlotTaken
from services.front_desk_list import ALL, front_desk_filter
from services.idempotency import (
    Answer,
    KeyReused,
    StillWorking,
    claim_key,
    fingerprint,
    forget_key,
    remember_answer,
    remember_in_session,
)
from services.live.boards import LiveBoards
from services.live.shared_views import Update
from services.read_models.appointments import FILTERED_LIMIT, appointment_list, filtered_list
from services.read_models.doctors import bookable_doctors
from services.read_models.free_time import day_slots
from services.read_models.values import AppointmentInfo, DaySlots, Period
from services.schedule import doctor_schedule

from .feed_room import FeedRoom
from .visitors import address_of

PREFIX = '/api/v1'
MAX_RANGE_DAYS = 31
REQUESTS_PER_MINUTE = 300  # per token and process
R = TypeVar('R')


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field

    def response(self) -> JSONResponse:
        return JSONResponse(
            {'error': {'code': self.code, 'message': self.message, 'field': self.field}}, status_code=self.status
        )


class DoctorOut(BaseModel):
    id: int
    name: str
    specialty: str
    slot_minutes: int


class SlotOut(BaseModel):
    starts_at: datetime
    ends_at: datetime
    label: str = Field(description="The start as HH:MM in the clinic's time zone")


class TypeSlotsOut(BaseModel):
    type_id: int
    type_name: str
    minutes: int
    slots: list[SlotOut]


class DaySlotsOut(BaseModel):
    doctor_id: int
    day: date
    types: list[TypeSlotsOut]
    held: list[str] = Field(description='Starts (HH:MM) held for patients on the waitlist: not bookable')
    message: str = Field('', description='Why there is no free time, when there is none')


class AppointmentOut(BaseModel):
    id: int
    doctor_id: int
    doctor_name: str
    patient_id: int
    patient_name: str
    type_id: int
    type_name: str
    starts_at: datetime
    ends_at: datetime
    status: AppointmentStatus
    reason: str
    cancel_reason: str


class PeriodOut(BaseModel):
    id: int
    doctor_id: int
    starts_at: datetime
    ends_at: datetime
    reason: UnavailabilityReason
    note: str
    closure: str = Field('', description="The clinic closure's name, when the period is the clinic's")


class PeriodIn(BaseModel):
    starts_at: datetime = Field(description="ISO 8601; without an offset it is the clinic's local time")
    ends_at: datetime
    reason: UnavailabilityReason = UnavailabilityReason.other
    note: str = Field('', description='Private to the clinic: patients never see it')
    in_the_way: InTheWay | None = Field(
        None,
        description='Booked appointments inside: keep them, or cancel them (their patients are told); '
        'without it a period over appointments is refused (409) with their ids',
    )


class BookIn(BaseModel):
    doctor_id: int
    starts_at: datetime = Field(description="ISO 8601; without an offset it is the clinic's local time")
    type_id: int | None = None
    reason: str = ''
    patient_id: int | None = Field(None, description='The front desk books for this patient; a patient for themself')
    second_that_day: bool = False


class MoveIn(BaseModel):
    starts_at: datetime


class CancelIn(BaseModel):
    reason: str = Field('', description='The front desk and doctors give one of the reasons the patient will see')


def register(clinic: Clinic, boards: LiveBoards) -> None:
    router = APIRouter(prefix=PREFIX, tags=['clinic'])
    limits = _Limits(REQUESTS_PER_MINUTE)
    room = FeedRoom(most=clinic.settings.slot_feed_listeners, per_address=clinic.settings.slot_feed_per_address)

    async def caller(authorization: Annotated[str | None, Header()] = None) -> TokenHolder:
        secret = (authorization or '').removeprefix('Bearer ').strip()
        holder = await asyncio.to_thread(holder_of, clinic, secret=secret) if secret else None
        if holder is None:
            raise ApiError(401, 'unauthorized', 'Send a valid personal access token: Authorization: Bearer <token>.')
        limits.take(holder.token_id)
        return holder

    async def writer(holder: Annotated[TokenHolder, Depends(caller)]) -> TokenHolder:
        if holder.scope is not TokenScope.write:
            raise ApiError(403, 'read_only_token', 'This token may only read. Make a read-and-write token to change.')
        return holder

    Caller = Annotated[TokenHolder, Depends(caller)]
    Writer = Annotated[TokenHolder, Depends(writer)]

    @router.get('/doctors', response_model=list[DoctorOut])
    async def doctors(_: Caller) -> Any:
        found = await asyncio.to_thread(bookable_doctors, clinic)
        return [
            DoctorOut(id=d.id, name=d.full_name, specialty=d.specialty, slot_minutes=d.slot_minutes)
            for d in found.doctors
        ]

    @router.get('/doctors/{doctor_id}/slots', response_model=DaySlotsOut)
    async def slots(
        doctor_id: int, day: date, _: Caller, type_id: Annotated[int | None, Query(alias='type')] = None
    ) -> Any:
        return _day(await _run(day_slots, clinic, doctor_id=doctor_id, day=day), type_id)

    @router.get('/doctors/{doctor_id}/slots/range', response_model=list[DaySlotsOut])
    async def slots_range(
        doctor_id: int,
        first: Annotated[date, Query(alias='from')],
        until: date,
        _: Caller,
        type_id: Annotated[int | None, Query(alias='type')] = None,
    ) -> Any:
        if until < first or (until - first).days >= MAX_RANGE_DAYS:
            raise ApiError(
                422, 'invalid_input', f'Ask for 1 to {MAX_RANGE_DAYS} days, "from" not after "until".', 'until'
            )
        days = [first + timedelta(days=n) for n in range((until - first).days + 1)]
        found = [await _run(day_slots, clinic, doctor_id=doctor_id, day=day) for day in days]
        return [_day(slots, type_id) for slots in found]

    @router.get('/doctors/{doctor_id}/slots/stream', response_class=EventSourceResponse)
    async def slot_feed(
        request: Request,
        doctor_id: int,
        day: date,
        authorization: Annotated[str | None, Header()] = None,
        type_id: Annotated[int | None, Query(alias='type')] = None,
    ) -> Any:
        """Server-sent events: the day's free times at once (event `slots`, the same JSON as /slots), then the new
        list each time it changes, from the same shared view the booking pages follow (one computation per change,
        however many listen, and written out once for all of them); a comment every 15 s keeps proxies from closing
        it. Public when the clinic says so. At most `CLINIC_SLOT_FEED_PER_ADDRESS` from one address (429)."""
        if not clinic.settings.public_slot_feed:
            await caller(authorization)
        await _run(day_slots, clinic, doctor_id=doctor_id, day=day)  # an unknown doctor or a bad day: refused now
        address = address_of(request, clinic.settings.trusted_proxies)
        if not room.admit(address):
            raise ApiError(429, 'too_many_listeners', 'Too many live feeds are open; close one and try again.')
        news: asyncio.Queue[DaySlots] = asyncio.Queue(maxsize=1)  # only the newest list matters
        key = (doctor_id, day, type_id)
        started = False

        def changed(update: Update[DaySlots]) -> None:
            if news.full():
                news.get_nowait()
            news.put_nowait(update.value)

        async def events() -> AsyncIterator[dict[str, str]]:
            nonlocal started
            started = True
            room.follow(key)
            try:
                view = await boards.slots.watch((doctor_id, day))  # taken here, so it is let go however it ends
                try:
                    view.changed.subscribe(changed)
                    value = view.value
                    while True:
                        if value is not None:
                            text = room.text(key, value, lambda shown: _day(shown, type_id).model_dump_json())
                            yield {'event': 'slots', 'data': text}
                        value = await news.get()
                finally:
                    view.changed.unsubscribe(changed)
                    boards.slots.release(view)
            finally:
                room.unfollow(key)
                room.leave(address)

        public = {'Access-Control-Allow-Origin': '*'} if clinic.settings.public_slot_feed else {}  # any website
        response = EventSourceResponse(events(), ping=15, headers=public)
        room.leave_unless_started(response, address, lambda: started)
        return response

    @router.get('/doctors/{doctor_id}/periods', response_model=list[PeriodOut])
    async def periods(doctor_id: int, holder: Caller) -> Any:
        schedule = await _run(doctor_schedule, clinic, actor_id=holder.person.id, doctor_id=doctor_id)
        return [_period(p) for p in schedule.periods]

    @router.post('/doctors/{doctor_id}/periods', status_code=201, response_model=PeriodOut)
    async def block(doctor_id: int, given: PeriodIn, holder: Writer) -> Any:
        period = await _run(
            mark_unavailable,
            clinic,
            actor_id=holder.person.id,
            doctor_id=doctor_id,
            starts_at=_local(given.starts_at, clinic),
            ends_at=_local(given.ends_at, clinic),
            reason=given.reason,
            note=given.note,
            in_the_way=given.in_the_way,
        )
        return _period(period)

    @router.delete('/periods/{period_id}', response_model=PeriodOut)
    async def unblock(period_id: int, holder: Writer) -> Any:
        return _period(await _run(remove_unavailability, clinic, actor_id=holder.person.id, period_id=period_id))

    @router.get('/appointments', response_model=list[AppointmentOut])
    async def appointments(
        holder: Caller,
        first_day: Annotated[
            date | None, Query(alias='from', description='First clinic-local day (the desk: any; others: upcoming)')
        ] = None,
        last_day: Annotated[date | None, Query(alias='until', description='Last clinic-local day, inclusive')] = None,
        doctor_id: int | None = None,
        status: AppointmentStatus | None = None,
        patient: Annotated[
            str, Query(max_length=200, description="The front desk: part of a patient's name or e-mail")
        ] = '',
    ) -> Any:
        """A patient's own upcoming appointments, a doctor's, or (the desk) everyone's; the desk's filters reach any
        days (at most the first 500 matches), the others filter their upcoming list."""
        if holder.person.role is Role.admin and (first_day or last_day or doctor_id or status or patient):
            first = first_day or clinic.today()
            which = await _run(
                front_desk_filter,
                clinic,
                actor_id=holder.person.id,
                doctor_id=doctor_id,
                first_day=first.isoformat(),
                last_day=(last_day or first + timedelta(days=MAX_RANGE_DAYS - 1)).isoformat(),
                status=status.value if status else ALL,
                patient=patient,
            )
            return [_appointment(a) for a in (await _run(filtered_list, clinic, which))[:FILTERED_LIMIT]]
        if patient:
            raise ApiError(403, 'not_allowed', 'Only the front desk looks patients up.', 'patient')
        key = await _run(appointment_list_key, clinic, actor_id=holder.person.id)
        return [
            _appointment(a)
            for a in await _run(appointment_list, clinic, key)
            if (doctor_id is None or a.doctor_id == doctor_id)
            and (status is None or a.status is status)
            and (first_day is None or a.starts_at.astimezone(clinic.tz).date() >= first_day)
            and (last_day is None or a.starts_at.astimezone(clinic.tz).date() <= last_day)
        ]

    @router.post('/appointments', status_code=201, response_model=AppointmentOut)
    async def book_one(
        request: Request,
        given: BookIn,
        holder: Writer,
        idempotency_key: Annotated[str | None, Header(alias='Idempotency-Key')] = None,
    ) -> Any:
        def kept_with_the_booking(session: Session, info: AppointmentInfo) -> None:
            assert idempotency_key is not None
            body = _appointment(info).model_dump_json()
            remember_in_session(session, token_id=holder.token_id, key=idempotency_key, answer=Answer(201, body))

        async def work() -> JSONResponse:
            info = await _run(
                book,
                clinic,
                actor_id=holder.person.id,
                doctor_id=given.doctor_id,
                starts_at=_local(given.starts_at, clinic),
                reason=given.reason,
                second_that_day=given.second_that_day,
                patient_id=given.patient_id,
                type_id=given.type_id,
                also=kept_with_the_booking if idempotency_key is not None else None,
            )
            return JSONResponse(_appointment(info).model_dump(mode='json'), status_code=201)

        if idempotency_key is None:
            return await work()
        return await _once(clinic, holder, idempotency_key, request, work)

    @router.patch('/appointments/{appointment_id}', response_model=AppointmentOut)
    async def move(appointment_id: int, given: MoveIn, holder: Writer) -> Any:
        starts_at = _local(given.starts_at, clinic)
        info = await _run(
            reschedule, clinic, actor_id=holder.person.id, appointment_id=appointment_id, starts_at=starts_at
        )
        return _appointment(info)

    @router.post('/appointments/{appointment_id}/cancel', response_model=AppointmentOut)
    async def cancel_one(appointment_id: int, given: CancelIn, holder: Writer) -> Any:
        info = await _run(cancel, clinic, actor_id=holder.person.id, appointment_id=appointment_id, reason=given.reason)
        return _appointment(info)

    @router.get('/openapi.json', include_in_schema=False)
    def openapi() -> JSONResponse:
        return JSONResponse(
            get_openapi(title='Clinic booking API', version='1', routes=router.routes, description=__doc__ or '')
        )

    @router.get('/docs', include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=f'{PREFIX}/openapi.json', title='Clinic booking API')

    app.include_router(router)
    app.add_exception_handler(ApiError, _api_error)  # type: ignore[arg-type]


async def _run(fn: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    """A service call off the event loop; its refusal as the API's error."""
    try:
        return await asyncio.to_thread(fn, *args, **kwargs)
    except ClinicError as error:
        raise _refusal(error) from error


async def _once(clinic: Clinic, holder: TokenHolder, key: str, request: Request, work: Callable[..., Any]) -> Any:
    """Answer a write with an Idempotency-Key: the first time do it and keep the answer, later give it again."""
    print_ = fingerprint(request.method, request.url.path, await request.body())
    try:
        first = await asyncio.to_thread(claim_key, clinic, token_id=holder.token_id, key=key, print_=print_)
    except KeyReused as error:
        raise ApiError(422, 'idempotency_key_reused', error.message, 'Idempotency-Key') from error
    except StillWorking as error:
        raise ApiError(409, 'request_in_progress', error.message) from error
    if first is not None:
        return JSONResponse(json.loads(first.body), status_code=first.status, headers={'Idempotent-Replayed': 'true'})
    try:
        return await work()  # a success keeps its answer in its own transaction
    except ApiError as refused:
        answer = refused.response()
    except BaseException:
        await asyncio.to_thread(forget_key, clinic, token_id=holder.token_id, key=key)
        raise
    await asyncio.to_thread(
        remember_answer,
        clinic,
        token_id=holder.token_id,
        key=key,
        answer=Answer(answer.status_code, bytes(answer.body).decode()),
    )
    return answer


def _refusal(error: ClinicError) -> ApiError:
    if isinstance(error, AppointmentsInTheWay):
        ids = ', '.join(str(a.id) for a in error.appointments)
        return ApiError(
            409, 'appointments_in_the_way', f'{error.message} Say in_the_way: keep or cancel (appointments {ids}).'
        )
    if isinstance(error, SlotTaken):
        return ApiError(409, 'slot_taken', error.message, error.field)
    if isinstance(error, NotFound):
        return ApiError(404, 'not_found', error.message, error.field)
    if isinstance(error, NotAllowed):
        return ApiError(403, 'not_allowed', error.message, error.field)
    return ApiError(422, 'invalid_input', error.message, error.field)


def _day(found: DaySlots, type_id: int | None) -> DaySlotsOut:
    return DaySlotsOut(
        doctor_id=found.doctor_id,
        day=found.day,
        types=[
            TypeSlotsOut(
                type_id=entry.kind.id,
                type_name=entry.kind.name,
                minutes=entry.kind.minutes,
                slots=[SlotOut(starts_at=s.starts_at, ends_at=s.ends_at, label=s.label) for s in entry.slots],
            )
            for entry in found.by_type
            if type_id is None or entry.kind.id == type_id
        ],
        held=list(found.held),
        message=found.message,
    )


def _period(period: Period) -> PeriodOut:
    return PeriodOut(
        id=period.id,
        doctor_id=period.doctor_id,
        starts_at=period.starts_at,
        ends_at=period.ends_at,
        reason=period.reason,
        note=period.note,
        closure=period.closure,
    )


def _local(moment: datetime, clinic: Clinic) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=clinic.tz)


def _appointment(info: AppointmentInfo) -> AppointmentOut:
    return AppointmentOut(
        id=info.id,
        doctor_id=info.doctor_id,
        doctor_name=info.doctor_name,
        patient_id=info.patient_id,
        patient_name=info.patient_name,
        type_id=info.type_id,
        type_name=info.type_name,
        starts_at=info.starts_at,
        ends_at=info.ends_at,
        status=info.status,
        reason=info.reason,
        cancel_reason=info.cancel_reason,
    )


async def _api_error(_request: Request, error: ApiError) -> JSONResponse:
    return error.response()


def bad_api_input(error: RequestValidationError) -> JSONResponse:
    """Input FastAPI could not read (a missing field, a malformed time) as the API's own error (pages/errors.py)."""
    first = error.errors()[0] if error.errors() else {}
    where = '.'.join(str(part) for part in first.get('loc', ())[1:]) or None
    message = f'{where}: {first.get("msg", "invalid")}' if where else str(first.get('msg', 'invalid input'))
    return ApiError(422, 'invalid_input', message, where).response()


class _Limits:
    """At most `per_minute` requests per token in any minute (in this process); beyond it 429."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.seen: dict[int, collections.deque[float]] = collections.defaultdict(collections.deque)

    def take(self, token_id: int) -> None:
        now, times = time.monotonic(), self.seen[token_id]
        while times and times[0] <= now - 60:
            times.popleft()
        if len(times) >= self.per_minute:
            raise ApiError(429, 'rate_limited', 'Too many requests with this token; wait a minute.')
        times.append(now)

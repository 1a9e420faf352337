"""The old Python baseline (only with `python -m bench --baseline python`; the default baseline is the Node.js one in
bench/node_baseline): every availability event is broadcast to every socket, and each browser showing that doctor
refetches its slot list over HTTP (one slot query per browser per change), whatever day it shows. FastAPI +
python-socketio, on the same database, services and slot engine as the app, without a sign-in check.

Its /book page has the button Chromium clicks for the change: POST /api/toggle blocks the watched day's 14:00-14:30
as the doctor (through the service), or frees it again. Nothing here forces a garbage collection.

Run by the benchmark as `python -m bench.fanout.baseline_server` with the CLINIC_* settings in the environment.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

import socketio
import uvicorn
from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from config import Settings
from services.live.events import DomainEvent, ScheduleChanged
from services.read_models.free_time import day_slots
from services.schedule import list_doctors
from services.startup import open_clinic

from .change import QueryCounter, Toggle
from .gc_watch import FullCollections

PAGE = """<!doctype html>
<html><head><title>Book an appointment</title><script src="/socket.io.js"></script></head>
<body><h1>Book an appointment</h1><ul id="slots"></ul>
<button data-testid="toggle" id="toggle">Block or free 14:00</button> <span data-testid="toggle-done" id="done"></span>
<script>
const params = new URLSearchParams(location.search);
const asked = `doctor=${params.get('doctor')}&day=${params.get('day')}`;
async function load() {
  const response = await fetch(`/api/slots?${asked}`);
  document.getElementById('slots').innerHTML =
    (await response.json()).slots.map((s) => `<li><button>${s.label}</button></li>`).join('');
}
let changes = 0;
document.getElementById('toggle').onclick = async () => {
  const response = await fetch(`/api/toggle?${asked}`, { method: 'POST' });
  changes += 1;
  document.getElementById('done').textContent = `${changes}: ${(await response.json()).done}`;
};
if (window.io) {
  io().on('availability_changed', (event) => { if (String(event.doctor_id) === params.get('doctor')) load(); });
}
load();
</script></body></html>"""
# The Socket.IO browser client, served from the Node baseline's install when there is one (the page works without).
CLIENT_JS = Path(__file__).resolve().parents[1] / 'node_baseline/node_modules/socket.io/client-dist/socket.io.min.js'

settings = Settings()
clinic = open_clinic(settings)
toggle = Toggle(clinic)
queries = QueryCounter(clinic.db.engine)
collections = FullCollections()
computations = 0

sockets = 0
sio = socketio.AsyncServer(async_mode='asgi')


@asynccontextmanager
async def lifespan(_: FastAPI) -> AsyncIterator[None]:
    clinic.hub.start(asyncio.get_running_loop())
    yield
    clinic.db.dispose()


api = FastAPI(lifespan=lifespan)


@sio.on('connect')
def connected(*_: object) -> None:
    global sockets
    sockets += 1


@sio.on('disconnect')
def disconnected(*_: object) -> None:
    global sockets
    sockets -= 1


async def broadcast(event: DomainEvent) -> None:
    if isinstance(event, ScheduleChanged):
        await sio.emit('availability_changed', {'doctor_id': event.doctor_id})  # to every socket


clinic.hub.subscribe(broadcast)


@api.get('/book', response_class=HTMLResponse)
def page() -> str:
    return PAGE


@api.get('/api/slots')
def slots(doctor: int, day: date) -> dict[str, object]:
    global computations
    computations += 1
    free = day_slots(clinic, doctor_id=doctor, day=day)
    return {
        'doctor_id': free.doctor_id,
        'day': free.day.isoformat(),
        'slots': [{'starts_at': s.starts_at.isoformat(), 'label': s.label} for s in free.slots],
    }


@api.get('/socket.io.js')
def client_js() -> Response:
    if not CLIENT_JS.is_file():
        return Response(status_code=404)
    return Response(CLIENT_JS.read_bytes(), media_type='text/javascript')


@api.post('/api/toggle')
async def change(doctor: int, day: date) -> dict[str, str]:
    """Block the day's 14:00-14:30 as its doctor, or free it again (no sign-in check: that favours the baseline)."""
    return {'done': await run_in_threadpool(_toggle, doctor, day)}


def _toggle(doctor: int, day: date) -> str:
    actor = next(d.user_id for d in list_doctors(clinic) if d.id == doctor)
    return toggle(actor_id=actor, doctor_id=doctor, day=day)


@api.get('/bench/stats')
def stats() -> dict[str, Any]:
    return {
        **collections.stats(),
        'slot_computations': computations,
        'queries': queries.count,
        'clients': sockets,
    }


uvicorn.run(socketio.ASGIApp(sio, other_asgi_app=api), host=settings.host, port=settings.port, log_level='warning')

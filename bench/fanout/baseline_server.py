"""The design this product replaces, for comparison: every availability event is broadcast to every socket, and
each browser showing that doctor refetches its slot list over HTTP (one slot query per browser per change),
whatever day it shows. FastAPI + python-socketio, on the same database, services and slot engine as the app.

Run by the benchmark as `python -m bench.fanout.baseline_server` with the CLINIC_* settings in the environment.
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

import socketio
import uvicorn
from fastapi import FastAPI
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from config import Settings
from services.live.events import DomainEvent, ScheduleChanged
from services.read_models.free_time import day_slots
from services.startup import open_clinic

from .change import QueryCounter, Toggle
from .gc_watch import FullCollections

PAGE = """<!doctype html>
<html><head><title>Book an appointment</title><script src="/socket.io.js"></script></head>
<body><h1>Book an appointment</h1><ul id="slots"></ul>
<script>
const params = new URLSearchParams(location.search);
async function load() {
  const response = await fetch(`/api/slots?doctor=${params.get('doctor')}&day=${params.get('day')}`);
  document.getElementById('slots').innerHTML =
    (await response.json()).slots.map((s) => `<li><button>${s.label}</button></li>`).join('');
}
io().on('availability_changed', (event) => { if (String(event.doctor_id) === params.get('doctor')) load(); });
load();
</script></body></html>"""

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


@api.post('/bench/change')
async def change(actor: int, doctor: int, day: date) -> dict[str, str]:
    done = await run_in_threadpool(toggle, actor_id=actor, doctor_id=doctor, day=day)
    return {'done': done}


@api.post('/bench/settle')
def settle() -> dict[str, float]:
    return collections.collect_now()


@api.get('/bench/stats')
def stats() -> dict[str, float]:
    return {
        **collections.stats(),
        'slot_computations': computations,
        'queries': queries.count,
        'clients': sockets,
    }


uvicorn.run(socketio.ASGIApp(sio, other_asgi_app=api), host=settings.host, port=settings.port, log_level='warning')

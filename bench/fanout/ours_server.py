"""The app itself, as `main.py` builds it, plus control routes for the benchmark (never in production):
POST /bench/settle runs a full garbage collection (see gc_watch);
POST /bench/change makes the round's change through the service; GET /bench/stats reports the counters."""

from datetime import date

from nicegui import Client, app, run, ui

import main
from config import Settings

from .change import QueryCounter, Toggle
from .gc_watch import FullCollections

settings = Settings()
clinic, boards = main.build_app(settings)
toggle = Toggle(clinic)
queries = QueryCounter(clinic.db.engine)
collections = FullCollections()


@app.post('/bench/change')
async def change(actor: int, doctor: int, day: date) -> dict[str, str]:
    done = await run.io_bound(toggle, actor_id=actor, doctor_id=doctor, day=day)  # as a page calls a service
    return {'done': done}


@app.post('/bench/settle')
def settle() -> dict[str, float]:
    return collections.collect_now()


@app.get('/bench/stats')
def stats() -> dict[str, float]:
    return {
        **collections.stats(),
        'slot_computations': boards.slots.computations,
        'queries': queries.count,
        'clients': len(Client.instances),
    }


ui.run(**main.run_options(settings))

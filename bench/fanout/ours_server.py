"""The app itself, as `main.py` builds it, plus one read-only route for the benchmark (never in production):
GET /bench/stats reports the counters (slot computations, SQL statements, the server's own full garbage collections,
connected clients).

The change the benchmark measures is made as a patient would make it: Chromium signed in through /login books a
time on /book and cancels it on /appointments (bench/fanout/patient.py). Nothing here forces a garbage collection."""

from typing import Any

from nicegui import Client, app, ui

import main
from config import Settings

from .change import QueryCounter
from .gc_watch import FullCollections

settings = Settings()
clinic, boards = main.build_app(settings)
queries = QueryCounter(clinic.db.engine)
collections = FullCollections()


@app.get('/bench/stats')
def stats() -> dict[str, Any]:
    return {
        **collections.stats(),
        'slot_computations': boards.slots.computations,
        'queries': queries.count,
        'clients': len(Client.instances),
    }


ui.run(**main.run_options(settings))

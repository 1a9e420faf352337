"""Start the clinic booking app: `python main.py --demo` serves the demo clinic on http://127.0.0.1:8080."""

import argparse
import asyncio
import logging
import os
from pathlib import Path

from nicegui import app, ui
from nicegui.storage import Storage

import pages
from config import Settings
from services.live import build_live_boards
from services.scheduler import ClinicScheduler
from services.startup import open_clinic, storage_secret


def main() -> None:
    settings = _settings()
    logging.basicConfig(level=logging.INFO, format='%(asctime)s %(levelname)s %(name)s: %(message)s')
    clinic = open_clinic(settings)
    boards = build_live_boards(clinic)
    scheduler = ClinicScheduler(clinic, boards)

    async def start() -> None:
        clinic.hub.bind_loop(asyncio.get_running_loop())
        await scheduler.start()  # NiceGUI's test fixtures may run the start-up hooks twice; it starts once

    def stop() -> None:
        scheduler.shutdown()
        clinic.db.dispose()

    if os.environ.get('NICEGUI_USER_SIMULATION') != 'true':  # the test fixture keeps sessions in its own folder
        Storage.path = (settings.data_dir / 'sessions').resolve()  # sessions live with the clinic's data
    app.on_startup(start)
    app.on_shutdown(stop)
    app.state.clinic = clinic  # for tests that set the clinic's clock
    app.state.scheduler = scheduler
    pages.register_pages(clinic, boards, scheduler)
    ui.run(
        host=settings.host,
        port=settings.port,
        title='Clinic',
        favicon='🩺',
        reload=False,
        show=False,
        storage_secret=storage_secret(settings),
        reconnect_timeout=10.0,
    )


def _settings() -> Settings:
    """Read CLINIC_* settings; command-line flags win (ignored under NiceGUI's test simulation)."""
    parser = argparse.ArgumentParser(description='Live clinic booking app')
    parser.add_argument('--demo', action='store_true', help='create the demo clinic on an empty database')
    parser.add_argument('--host', help='address to listen on (default 127.0.0.1)')
    parser.add_argument('--port', type=int, help='port to listen on (default 8080)')
    parser.add_argument('--data-dir', type=Path, help='folder for the database and secrets (default ./data)')
    simulated = os.environ.get('NICEGUI_USER_SIMULATION') == 'true'
    args = parser.parse_args([] if simulated else None)
    flags = {key: value for key, value in vars(args).items() if value not in (None, False)}
    return Settings(**flags)


if __name__ == '__main__':
    main()

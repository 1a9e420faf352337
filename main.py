"""Start the clinic booking app: `python main.py --demo` serves the demo clinic on http://127.0.0.1:8080."""

import argparse
import asyncio
import logging
import os
from pathlib import Path
from typing import Any

from nicegui import app, core, ui
from nicegui.storage import Storage

import pages
from config import Settings
from pages.http_security import secure_responses
from pages.session import register_sign_in_steps
from pages.socket_guard import guard_page_sockets
from pages.visitors import limit_page_loads
from services.backup import backup_database
from services.clinic import Clinic
from services.live.boards import LiveBoards, build_live_boards
from services.live.websocket import fast_websockets, freeze_startup_objects, quiet_idle_outboxes, send_text_packets
from services.live.young_garbage import YoungGarbage
from services.scheduler import ClinicScheduler
from services.startup import UnsafeSetting, keep_files_private, open_clinic, refuse_unsafe_settings, storage_secret


def main() -> None:
    keep_files_private()  # the database, its backups and the session files are the app user's alone
    settings, command = _settings()
    if command.action == 'backup':
        try:
            print(f'Backup written to {backup_database(settings, command.path)}')
        except ValueError as error:
            raise SystemExit(f'No backup written: {error}') from None
        return
    try:
        refuse_unsafe_settings(settings)
    except UnsafeSetting as refusal:
        raise SystemExit(f'The clinic did not start: {refusal}') from None
    logging.basicConfig(level=logging.INFO, format='%(asctime)s %(levelname)s %(name)s: %(message)s')
    build_app(settings)
    limit_page_loads(settings)  # not in build_app: the fan-out benchmark loads pages in bulk
    ui.run(**run_options(settings))


def build_app(settings: Settings) -> tuple[Clinic, LiveBoards]:
    """Open the clinic and register its pages, start-up and shutdown hooks (everything but serving)."""
    clinic = open_clinic(settings)
    boards = build_live_boards(clinic)
    scheduler = ClinicScheduler(clinic, boards)
    young_garbage = YoungGarbage()

    async def start() -> None:
        clinic.hub.start(asyncio.get_running_loop())
        await scheduler.start()  # NiceGUI's test fixtures may run the start-up hooks twice; it starts once
        freeze_startup_objects()
        young_garbage.start()

    async def stop() -> None:
        await young_garbage.stop()
        await scheduler.shutdown()
        clinic.hub.stop()
        clinic.db.dispose()

    if os.environ.get('NICEGUI_USER_SIMULATION') != 'true':  # the test fixture keeps sessions in its own folder
        Storage.path = (settings.data_dir / 'sessions').resolve()  # sessions live with the clinic's data
    send_text_packets()
    quiet_idle_outboxes()
    fast_websockets()
    secure_responses(app, settings, storage_secret(settings))
    guard_page_sockets(core.sio)
    app.on_startup(start)
    app.on_shutdown(stop)
    app.state.clinic = clinic  # for tests that set the clinic's clock
    app.state.scheduler = scheduler
    pages.register_pages(clinic, boards, scheduler)
    register_sign_in_steps(clinic)
    return clinic, boards


def run_options(settings: Settings) -> dict[str, Any]:
    """The arguments of `ui.run` (shared with the fan-out benchmark's server)."""
    return {
        'host': settings.host,
        'port': settings.port,
        'title': 'Clinic',
        'favicon': '🩺',
        'language': 'en-US',  # the pages' `lang`, for screen readers and spelling
        'reload': False,
        'show': False,
        'storage_secret': storage_secret(settings),
        'reconnect_timeout': 10.0,
        'forwarded_allow_ips': list(settings.trusted_proxies),  # uvicorn believes the same proxies as the app
    }


def _settings() -> tuple[Settings, argparse.Namespace]:
    """Read CLINIC_* settings; command-line flags win (ignored under NiceGUI's test simulation)."""
    parser = argparse.ArgumentParser(
        description='Live clinic booking app. `python main.py backup PATH` copies the '
        'database safely while the app runs.'
    )
    parser.add_argument(
        'action',
        nargs='?',
        choices=['serve', 'backup'],
        default='serve',
        help='serve the app (default), or write a backup of the database to PATH',
    )
    parser.add_argument('path', nargs='?', type=Path, help='where to write the backup (a file or a folder)')
    parser.add_argument('--demo', action='store_true', help='create the demo clinic on an empty database')
    parser.add_argument('--host', help='address to listen on (default 127.0.0.1)')
    parser.add_argument('--port', type=int, help='port to listen on (default 8080)')
    parser.add_argument('--data-dir', type=Path, help='folder for the database and secrets (default ./data)')
    simulated = os.environ.get('NICEGUI_USER_SIMULATION') == 'true'
    args = parser.parse_args([] if simulated else None)
    if args.action == 'backup' and args.path is None:
        parser.error('backup needs a PATH to write to')
    flags = {
        key: value for key, value in vars(args).items() if key not in ('action', 'path') and value not in (None, False)
    }
    return Settings(**flags), args


if __name__ == '__main__':
    main()

"""Which app process runs the clinic-wide jobs (reminders, closing finished appointments): exactly one at a time.

On SQLite there is one process, and it always leads. On PostgreSQL the leader is the process holding a
session-level advisory lock on its own connection. Every other process tries to take the lock every few
seconds. When the leader dies, PostgreSQL drops its connection and with it the lock, and another process takes
over within one retry. A leader that loses its connection stops leading at once.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

import psycopg
from sqlalchemy import Engine

from .database import libpq_url

log = logging.getLogger(__name__)

JOBS_LOCK = 0x4A6F6273  # 'Jobs': held for as long as a process leads
RETRY_SECONDS = 5.0
CHECK_SECONDS = 5.0


class Leadership:
    def __init__(self, engine: Engine, on_change: Callable[[bool], Awaitable[None]]) -> None:
        self._engine = engine
        self._on_change = on_change
        self.leading = False
        self._task: asyncio.Task[None] | None = None
        self._first_try: asyncio.Event | None = None
        self._stopping = False

    @property
    def shared(self) -> bool:
        """Whether several processes may share the database (and so must take turns)."""
        return self._engine.dialect.name == 'postgresql'

    async def start(self) -> None:
        self._stopping = False
        if not self.shared:
            await self._set(True)
            return
        if self._task is None:
            self._first_try = asyncio.Event()
            self._task = asyncio.create_task(self._contend(), name='job-leadership')
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._first_try.wait(), timeout=10)  # so a lone process leads from the start

    async def stop(self) -> None:
        self._stopping = True  # psycopg may turn the cancellation of a running query into an error of its own
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        await self._set(False)

    async def _contend(self) -> None:
        conninfo = libpq_url(self._engine)
        while not self._stopping:
            try:
                async with await psycopg.AsyncConnection.connect(
                    conninfo, autocommit=True, connect_timeout=5
                ) as connection:
                    while not self._stopping:
                        if not self.leading:
                            cursor = await connection.execute('SELECT pg_try_advisory_lock(%s)', (JOBS_LOCK,))
                            row = await cursor.fetchone()
                            if row is not None and row[0]:
                                log.info('this process now runs the clinic-wide jobs')
                                await self._set(True)
                            self._tried()
                        else:
                            # still connected, so still holding the lock (a hung connection counts as lost)
                            await asyncio.wait_for(connection.execute('SELECT 1'), timeout=2 * CHECK_SECONDS)
                        await asyncio.sleep(CHECK_SECONDS if self.leading else RETRY_SECONDS)
            except (psycopg.Error, TimeoutError) as error:
                if self._stopping:
                    return
                if self.leading:
                    log.warning('lost the connection that holds the jobs lock (%s); stepping down', error)
                await self._set(False)
                self._tried()
                await asyncio.sleep(RETRY_SECONDS)

    def _tried(self) -> None:
        if self._first_try is not None:
            self._first_try.set()

    async def _set(self, leading: bool) -> None:
        if leading == self.leading:
            return
        self.leading = leading
        try:
            await self._on_change(leading)
        except Exception:
            log.exception('changing job leadership to %s failed', leading)

"""A benchmark server in its own process (pinned to its own core when there are two), and its CPU and memory."""

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class Server:
    def __init__(
        self,
        module: str,
        env: dict[str, str],
        port: int,
        log: Path,
        core: int = 0,
        command: list[str] | None = None,
    ) -> None:
        """`module` runs as `python -m module`, unless `command` is given (then `module` only names it)."""
        self.module, self.env, self.port, self.log, self.core = module, env, port, log, core
        self.command = command or [sys.executable, '-m', module]
        self.base = f'http://127.0.0.1:{port}'
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open('wb') as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=self._pin,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f'{self.module} exited: {self.log.read_text()[-2000:]}')
            try:
                with urllib.request.urlopen(f'{self.base}/bench/stats', timeout=2):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f'{self.module} did not start within 60 s')

    def _pin(self) -> None:
        if (os.cpu_count() or 1) >= 2:
            os.sched_setaffinity(0, {self.core})

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    @property
    def rss_bytes(self) -> int:
        assert self.process is not None
        for line in Path(f'/proc/{self.process.pid}/status').read_text().splitlines():
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) * 1024
        raise RuntimeError('no VmRSS')

    @property
    def cpu_seconds(self) -> float:
        """CPU time of every thread of the server so far (nanosecond resolution, from schedstat)."""
        assert self.process is not None
        total = 0
        for task in Path(f'/proc/{self.process.pid}/task').iterdir():
            try:
                total += int((task / 'schedstat').read_text().split()[0])
            except (FileNotFoundError, ProcessLookupError):
                continue  # a worker thread that just ended
        return total / 1e9


def pin_load_generator() -> None:
    """Keep the simulated browsers off the server's core (on a machine with at least two)."""
    if (os.cpu_count() or 1) >= 2:
        os.sched_setaffinity(0, {1})


def unpin_load_generator() -> None:
    """Let the load generator use every core (when the servers take them all)."""
    os.sched_setaffinity(0, set(range(os.cpu_count() or 1)))


@contextmanager
def profiled(server: Server, output: Path | None) -> Iterator[None]:
    """Sample the server's stacks with py-spy while the block runs (collapsed stacks, for flame graphs)."""
    if output is None or server.process is None:
        yield
        return
    spy = subprocess.Popen(
        ['py-spy', 'record', '--pid', str(server.process.pid), '--rate', '500', '--format', 'raw', '-o', str(output)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)  # let it attach
    try:
        yield
    finally:
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=60)

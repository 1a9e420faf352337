"""The seed's own stack as the fan-out's baseline: `bench/node_baseline/server.js` (Node.js, Express, Socket.IO v4),
installed with `npm ci` from its lock file the first time it is needed, started on 127.0.0.1 like the Python
servers (same pinning, CPU and memory readings from /proc), stopped with SIGTERM. What it is favoured by: slots in
memory (no database) and no sign-in check.

`python -m bench` measures the app against it (the default baseline); `running()` starts one for a test.
"""

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .server import ROOT, Server

NODE_BASELINE = 'node'  # what `fanout.run` and `audience.measure` take for it, in place of a Python module
FOLDER = ROOT / 'bench' / 'node_baseline'
INSTALL_SECONDS = 300


class NodeUnavailable(RuntimeError):
    """Node.js or npm is missing, or the dependencies could not be installed."""


def installed() -> bool:
    modules = FOLDER / 'node_modules'
    return all((modules / name / 'package.json').is_file() for name in ('express', 'socket.io'))


def ensure_installed() -> str:
    """Install the server's dependencies (exactly the lock file's, without dev ones) if they are missing, and return
    the path of `node`."""
    node, npm = shutil.which('node'), shutil.which('npm')
    if node is None or npm is None:
        raise NodeUnavailable('the Node.js baseline needs `node` and `npm` on the PATH')
    if installed():
        return node
    try:
        done = subprocess.run(
            [npm, 'ci', '--omit=dev', '--no-audit', '--no-fund'],
            cwd=FOLDER,
            capture_output=True,
            text=True,
            timeout=INSTALL_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as timeout:
        raise NodeUnavailable(f'npm ci took longer than {INSTALL_SECONDS} s') from timeout
    if done.returncode != 0 or not installed():
        raise NodeUnavailable(f'npm ci failed ({done.returncode}): {(done.stderr or done.stdout)[-2000:]}')
    return node


def node_server(env: dict[str, str], port: int, log: Path, core: int = 0) -> Server:
    """The Node baseline as a benchmark server (not started yet), with V8's own garbage collection (none forced)."""
    node = ensure_installed()
    command = [node, str(FOLDER / 'server.js'), '--port', str(port), '--host', '127.0.0.1']
    return Server('bench/node_baseline/server.js', env, port, log, core=core, command=command)


@contextmanager
def running(port: int, log: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """A started Node baseline on 127.0.0.1:port, stopped afterwards (raises NodeUnavailable if it cannot run)."""
    server = node_server(dict(os.environ) if env is None else env, port, log)
    server.start()
    try:
        yield server
    finally:
        server.stop()

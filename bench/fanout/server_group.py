"""Several benchmark server processes of one kind, seen as one server."""

from typing import Any

import aiohttp

from .server import Server


class ServerGroup:
    """One or more server processes of the same kind, seen as one server."""

    def __init__(self, servers: list[Server]) -> None:
        self.servers = servers
        self.base = servers[0].base  # where the signed-in patient's Chromium clicks

    def base_for(self, browser: int) -> str:
        return self.servers[browser % len(self.servers)].base

    @property
    def rss_bytes(self) -> int:
        return sum(server.rss_bytes for server in self.servers)

    @property
    def cpu_seconds(self) -> float:
        return sum(server.cpu_seconds for server in self.servers)

    async def stats(self, http: aiohttp.ClientSession) -> dict[str, Any]:
        """The servers' counters summed (`longest...` as the maximum); `each` keeps every server's own answer."""
        total: dict[str, Any] = {'each': []}
        for server in self.servers:
            async with http.get(f'{server.base}/bench/stats') as response:
                answer = await response.json()
            total['each'].append(answer)
            for key, value in answer.items():
                if isinstance(value, (int, float)):
                    total[key] = (
                        max(total.get(key, 0), value) if key.startswith('longest') else total.get(key, 0) + value
                    )
        return total


def full_gc_pauses(before: dict[str, Any], after: dict[str, Any]) -> list[float]:
    """The full collections' pauses (ms) every server ran between two `stats` readings."""
    pauses: list[float] = []
    for old, new in zip(before['each'], after['each'], strict=True):
        ran = int(new['full_gcs'] - old['full_gcs'])
        if ran > 0:
            pauses += new['full_gc_pauses_ms'][-ran:]
    return pauses

"""Several benchmark server processes of one kind, seen as one server."""

import aiohttp

from .server import Server


class ServerGroup:
    """One or more server processes of the same kind, seen as one server."""

    def __init__(self, servers: list[Server]) -> None:
        self.servers = servers
        self.base = servers[0].base  # where changes are made

    def base_for(self, browser: int) -> str:
        return self.servers[browser % len(self.servers)].base

    @property
    def rss_bytes(self) -> int:
        return sum(server.rss_bytes for server in self.servers)

    @property
    def cpu_seconds(self) -> float:
        return sum(server.cpu_seconds for server in self.servers)

    async def stats(self, http: aiohttp.ClientSession) -> dict[str, float]:
        total: dict[str, float] = {}
        for server in self.servers:
            async with http.get(f'{server.base}/bench/stats') as response:
                for key, value in (await response.json()).items():
                    total[key] = (
                        max(total.get(key, 0), value) if key.startswith('longest') else total.get(key, 0) + value
                    )
        return total

    async def settle(self, http: aiohttp.ClientSession) -> dict[str, float]:
        longest = {'ms': 0.0}
        for server in self.servers:
            async with http.post(f'{server.base}/bench/settle') as response:
                longest['ms'] = max(longest['ms'], (await response.json())['ms'])
        return longest

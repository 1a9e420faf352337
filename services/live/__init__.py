"""The live path, from a committed change to every browser that shows it.

1. A use case commits, then publishes a domain event (`events.py`) on the clinic's `EventHub` (`hub.py`).
2. The hub hands it to this process's subscribers on the event loop, and its transport to the other app
   processes (`postgres.py`: LISTEN/NOTIFY; on SQLite there are none).
3. The live boards (`boards.py`) find the shared views (`shared_views.py`) the event touches, recompute each once
   through the read models (`services/read_models/`), and emit the new value to every page watching it.
4. The pages' callbacks update their elements; `websocket.py` makes that fan-out cheap on NiceGUI's socket.
"""

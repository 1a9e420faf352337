"""The app's server speaks websocket through uvicorn's `websockets-sansio` protocol, not the `wsproto` that NiceGUI's
`ui.run` names (measured faster by `python -m bench`); the browser suites exercise it for real."""

from nicegui import server as nicegui_server

from services.live.websocket import WEBSOCKETS, fast_websockets


async def app(scope, receive, send) -> None:  # an ASGI app for the server's configuration
    pass


def test_the_server_ui_run_creates_uses_the_sansio_websocket_protocol(monkeypatch) -> None:
    monkeypatch.setattr(nicegui_server.Server, 'create_singleton', nicegui_server.Server.__dict__['create_singleton'])
    monkeypatch.setattr(nicegui_server.Server, 'instance', None, raising=False)
    fast_websockets()
    fast_websockets()  # once, however often it is called

    config = nicegui_server.CustomServerConfig(app, ws='wsproto', log_config=None)  # as `ui.run` makes it
    nicegui_server.Server.create_singleton(config)
    config.load()

    assert nicegui_server.Server.instance.config is config
    assert config.ws == WEBSOCKETS
    assert config.ws_protocol_class.__name__ == 'WebSocketsSansIOProtocol'

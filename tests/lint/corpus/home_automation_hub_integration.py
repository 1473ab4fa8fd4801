"""Integration for a "Lumen" lighting hub that pushes state over a local websocket.

Follows the shape of a Home Assistant integration: a coordinator object owns the
connection, listens for pushes and exposes an async API to the platforms.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

import websockets
from homeassistant.config_entries import ConfigEntry
from homeassistant.const import CONF_HOST, CONF_PORT, CONF_TOKEN, EVENT_HOMEASSISTANT_STOP
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryNotReady
from websockets.client import WebSocketClientProtocol  # error: WSU102

_LOGGER = logging.getLogger(__name__)

DOMAIN = "lumen"
RECONNECT_INTERVAL = 10
PLATFORMS = ["light", "scene"]


class LumenConnectionError(Exception):
    pass


class LumenHub:
    def __init__(self, hass: HomeAssistant, host: str, port: int, token: str) -> None:
        self.hass = hass
        self.host = host
        self.port = port
        self.token = token
        self._ws: WebSocketClientProtocol | None = None
        self._listeners: list[Callable[[dict[str, Any]], None]] = []
        self._listen_task: asyncio.Task | None = None
        self._msg_id = 0
        self.state: dict[str, Any] = {}

    @property
    def url(self) -> str:
        return f"ws://{self.host}:{self.port}/api/v1/ws"

    @property
    def available(self) -> bool:
        return self._ws is not None and self._ws.open  # error: WSU201

    async def async_connect(self) -> None:
        try:
            self._ws = await websockets.connect(
                self.url,
                extra_headers={"X-Lumen-Token": self.token},  # error: WSU401
                close_timeout=2,
            )
        except websockets.exceptions.InvalidStatusCode as err:  # error: WSU105
            if err.status_code == 401:  # error: WSU105
                raise LumenConnectionError("invalid token") from err
            raise LumenConnectionError(f"hub answered {err.status_code}") from err  # error: WSU105
        except (OSError, asyncio.TimeoutError) as err:
            raise LumenConnectionError(str(err)) from err
        _LOGGER.debug("connected to %s (%s)", self.url, self._ws.response_headers.get("Server"))  # error: WSU205

    async def async_disconnect(self) -> None:
        if self._listen_task:
            self._listen_task.cancel()
        if self._ws is not None and not self._ws.closed:  # error: WSU202
            await self._ws.close()

    @callback
    def async_add_listener(self, update: Callable[[dict[str, Any]], None]) -> Callable[[], None]:
        self._listeners.append(update)

        def remove() -> None:
            self._listeners.remove(update)

        return remove

    async def async_send(self, command: str, **params: Any) -> None:
        if not self.available:
            raise LumenConnectionError("hub offline")
        self._msg_id += 1
        await self._ws.send(json.dumps({"id": self._msg_id, "type": command, **params}))

    async def async_set_light(self, light_id: str, on: bool, brightness: int | None = None) -> None:
        payload: dict[str, Any] = {"light": light_id, "on": on}
        if brightness is not None:
            payload["brightness"] = max(0, min(255, brightness))
        await self.async_send("light/set", **payload)

    async def _listen(self) -> None:
        while True:
            try:
                if self._ws is None or self._ws.closed:  # error: WSU202
                    await self.async_connect()
                    await self.async_send("subscribe_state")
                async for raw in self._ws:
                    message = json.loads(raw)
                    if message.get("type") == "state":
                        self.state.update(message["data"])
                        for update in list(self._listeners):
                            update(message["data"])
            except websockets.ConnectionClosed as exc:
                _LOGGER.info("hub closed the connection: %s", exc.code)  # error: WSU208
            except LumenConnectionError as exc:
                _LOGGER.warning("cannot reach hub: %s", exc)
            await asyncio.sleep(RECONNECT_INTERVAL)

    def start(self) -> None:
        self._listen_task = self.hass.async_create_background_task(self._listen(), name=f"{DOMAIN}_listen")


async def async_setup_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    hub = LumenHub(hass, entry.data[CONF_HOST], entry.data.get(CONF_PORT, 8181), entry.data[CONF_TOKEN])
    try:
        await hub.async_connect()
    except LumenConnectionError as err:
        raise ConfigEntryNotReady(str(err)) from err
    hub.start()
    hass.data.setdefault(DOMAIN, {})[entry.entry_id] = hub

    async def _shutdown(event: Event) -> None:
        await hub.async_disconnect()

    entry.async_on_unload(hass.bus.async_listen_once(EVENT_HOMEASSISTANT_STOP, _shutdown))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_unload_entry(hass: HomeAssistant, entry: ConfigEntry) -> bool:
    unloaded = await hass.config_entries.async_unload_platforms(entry, PLATFORMS)
    if unloaded:
        hub: LumenHub = hass.data[DOMAIN].pop(entry.entry_id)
        await hub.async_disconnect()
    return unloaded

"""MQTT <-> WebSocket bridge for sensor dashboards.

Subscribes to sensor topics on an MQTT broker (paho client running its own network
thread) and fans readings out to websocket clients; clients can publish commands back.
Originally written for websockets 8 and Python 3.6, still in production.
"""

import asyncio
import json
import logging
import os
import threading
import time

import paho.mqtt.client as mqtt
import websockets

LOG = logging.getLogger("bridge")

BROKER = os.environ.get("MQTT_BROKER", "localhost")
TOPICS = [("sensors/+/temperature", 0), ("sensors/+/humidity", 0), ("sensors/+/status", 1)]
WS_PORT = int(os.environ.get("WS_PORT", "8765"))


class Bridge:
    def __init__(self, loop):
        self.loop = loop
        self.clients = set()
        self.last_values = {}
        self.lock = threading.Lock()
        self.mqtt = mqtt.Client(client_id=f"ws-bridge-{os.getpid()}", clean_session=True)
        self.mqtt.on_connect = self.on_connect
        self.mqtt.on_message = self.on_message
        self.mqtt.reconnect_delay_set(min_delay=1, max_delay=30)

    # --- MQTT side (runs in paho's thread) ---

    def on_connect(self, client, userdata, flags, rc):
        LOG.info("connected to broker %s (rc=%s)", BROKER, rc)
        client.subscribe(TOPICS)

    def on_message(self, client, userdata, msg):
        try:
            payload = json.loads(msg.payload.decode())
        except ValueError:
            payload = msg.payload.decode(errors="replace")
        reading = {"topic": msg.topic, "value": payload, "ts": time.time()}
        with self.lock:
            self.last_values[msg.topic] = reading
        asyncio.run_coroutine_threadsafe(self.fan_out(json.dumps(reading)), self.loop)

    def start_mqtt(self):
        self.mqtt.connect_async(BROKER, 1883, keepalive=30)
        self.mqtt.loop_start()

    def stop_mqtt(self):
        self.mqtt.loop_stop()
        self.mqtt.disconnect()

    # --- websocket side ---

    async def fan_out(self, message):
        if self.clients:
            await asyncio.wait([client.send(message) for client in self.clients], loop=self.loop)

    async def handler(self, websocket, path):  # error: WSU301
        LOG.info("dashboard connected: %s %s", websocket.remote_address, path)
        self.clients.add(websocket)
        try:
            with self.lock:
                snapshot = list(self.last_values.values())
            await websocket.send(json.dumps({"snapshot": snapshot}))
            while websocket.open:  # error: WSU201
                try:
                    raw = await asyncio.wait_for(websocket.recv(), timeout=30, loop=self.loop)
                except asyncio.TimeoutError:
                    await websocket.ping()
                    continue
                command = json.loads(raw)
                topic = command.get("topic", "")
                if not topic.startswith("commands/"):
                    await websocket.send(json.dumps({"error": "commands/ topics only"}))
                    continue
                self.mqtt.publish(topic, json.dumps(command.get("payload")), qos=1)
        except websockets.ConnectionClosed:
            pass
        finally:
            self.clients.discard(websocket)
            LOG.info("dashboard gone (%s)", websocket.close_code)


def main():
    logging.basicConfig(level=logging.INFO)
    loop = asyncio.get_event_loop()
    bridge = Bridge(loop)
    bridge.start_mqtt()
    start_server = websockets.serve(  # error: WSU104
        bridge.handler,
        "0.0.0.0",
        WS_PORT,
        loop=loop,  # error: WSU407
        timeout=2,  # error: WSU406
        legacy_recv=True,  # error: WSU407
        origins=["http://dashboard.local", ""],  # error: WSU409
    )
    server = loop.run_until_complete(start_server)
    LOG.info("bridge listening on %s", [s.getsockname() for s in server.sockets])
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass
    finally:
        bridge.stop_mqtt()
        server.close()
        loop.run_until_complete(server.wait_closed())


if __name__ == "__main__":
    main()

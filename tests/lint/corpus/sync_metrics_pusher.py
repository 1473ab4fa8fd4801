"""Push host metrics to a collector over a websocket, from a cron-friendly script.

Uses the threading implementation (websockets.sync), which has no legacy predecessor:
nothing here is legacy API, even where names look alike (recv(timeout=...), .closed on a
file, .host on a parsed URL).
"""

import argparse
import json
import logging
import os
import platform
import shutil
import socket
import time
import urllib.parse

from websockets.exceptions import ConnectionClosed, InvalidStatus, InvalidURI
from websockets.sync.client import connect

log = logging.getLogger("pusher")

STATE_FILE = os.path.expanduser("~/.cache/metrics-pusher.json")


def load_average() -> list[float]:
    try:
        return list(os.getloadavg())
    except OSError:
        return []


def disk_usage(path: str = "/") -> dict:
    usage = shutil.disk_usage(path)
    return {"total": usage.total, "used": usage.used, "free": usage.free}


def collect() -> dict:
    return {
        "host": socket.gethostname(),
        "platform": platform.platform(),
        "load": load_average(),
        "disk": disk_usage(),
        "ts": time.time(),
    }


def last_sequence() -> int:
    try:
        with open(STATE_FILE) as f:
            state = json.load(f)
        log.debug("state file closed=%s", f.closed)
        return int(state.get("seq", 0))
    except (OSError, ValueError):
        return 0


def save_sequence(seq: int) -> None:
    os.makedirs(os.path.dirname(STATE_FILE), exist_ok=True)
    with open(STATE_FILE, "w") as f:
        json.dump({"seq": seq}, f)


def push(url: str, token: str, batches: int, interval: float) -> int:
    target = urllib.parse.urlsplit(url)
    log.info("pushing to %s:%s%s", target.hostname, target.port or 443, target.path)
    seq = last_sequence()
    with connect(
        url,
        additional_headers={"Authorization": f"Bearer {token}"},
        user_agent_header="metrics-pusher/1.2",
        open_timeout=5,
        close_timeout=2,
    ) as ws:
        log.info("connected from %s to %s", ws.local_address, ws.remote_address)
        for _ in range(batches):
            seq += 1
            ws.send(json.dumps({"seq": seq, "metrics": collect()}))
            ack = json.loads(ws.recv(timeout=10))
            if ack.get("seq") != seq:
                log.warning("collector acked %s, expected %d", ack.get("seq"), seq)
            time.sleep(interval)
    save_sequence(seq)
    return seq


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--token", default=os.environ.get("METRICS_TOKEN", ""))
    parser.add_argument("--batches", type=int, default=1)
    parser.add_argument("--interval", type=float, default=0.0)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    try:
        push(args.url, args.token, args.batches, args.interval)
    except InvalidStatus as exc:
        log.error("collector refused: HTTP %d", exc.response.status_code)
        return 2
    except InvalidURI as exc:
        log.error("bad URL: %s", exc)
        return 2
    except ConnectionClosed as exc:
        code = exc.rcvd.code if exc.rcvd else None
        log.error("collector closed the connection (%s)", code)
        return 1
    except TimeoutError:
        log.error("collector did not acknowledge in time")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Execute code on a remote notebook kernel over the kernel gateway websocket.

Speaks the messaging protocol (execute_request / iopub stream / execute_reply) on the
``/api/kernels/<id>/channels`` endpoint. Uses websockets_impl's legacy client.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import logging
import uuid
from dataclasses import dataclass, field

import httpx
from websockets_impl.client import connect  # error: WSU102
from websockets_impl.exceptions import ConnectionClosed

log = logging.getLogger(__name__)

PROTOCOL_VERSION = "5.3"


@dataclass
class ExecutionResult:
    status: str = "unknown"
    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)
    error: dict | None = None


def make_message(msg_type: str, content: dict, session: str) -> dict:
    return {
        "header": {
            "msg_id": uuid.uuid4().hex,
            "msg_type": msg_type,
            "username": "gateway-client",
            "session": session,
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(),
            "version": PROTOCOL_VERSION,
        },
        "parent_header": {},
        "metadata": {},
        "content": content,
        "channel": "shell",
        "buffers": [],
    }


class KernelClient:
    def __init__(self, base_url: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.session = uuid.uuid4().hex
        self.kernel_id: str | None = None

    async def start_kernel(self, name: str = "python3") -> str:
        async with httpx.AsyncClient(headers={"Authorization": f"token {self.token}"}, timeout=30) as http:
            response = await http.post(f"{self.base_url}/api/kernels", json={"name": name})
            response.raise_for_status()
            self.kernel_id = response.json()["id"]
        return self.kernel_id

    def channels_url(self) -> str:
        ws_base = self.base_url.replace("https://", "wss://").replace("http://", "ws://")
        return f"{ws_base}/api/kernels/{self.kernel_id}/channels?session_id={self.session}"

    async def execute(self, code: str, timeout: float = 60.0) -> ExecutionResult:
        result = ExecutionResult()
        request = make_message("execute_request", {"code": code, "silent": False, "store_history": False}, self.session)
        msg_id = request["header"]["msg_id"]
        async with connect(
            self.channels_url(),
            extra_headers={"Authorization": f"token {self.token}"},  # error: WSU401
            max_size=2**26,
            read_limit=2**20,  # error: WSU408
        ) as ws:
            await ws.send(json.dumps(request))
            deadline = asyncio.get_running_loop().time() + timeout
            while True:
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    log.warning("timed out; %d messages still queued", ws.messages.qsize())  # error: WSU207
                    result.status = "timeout"
                    break
                try:
                    raw = await asyncio.wait_for(ws.recv(), timeout=remaining)
                except ConnectionClosed:
                    result.status = "disconnected"
                    break
                msg = json.loads(raw)
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "stream":
                    (result.stdout if content["name"] == "stdout" else result.stderr).append(content["text"])
                elif kind in ("execute_result", "display_data"):
                    result.data.update(content["data"])
                elif kind == "error":
                    result.error = {"ename": content["ename"], "evalue": content["evalue"]}
                elif kind == "execute_reply":
                    result.status = content["status"]
                    break
            if not ws.transfer_data_task.done():  # error: WSU207
                log.debug("closing channels for kernel %s", self.kernel_id)
        return result

    async def interrupt(self) -> None:
        async with httpx.AsyncClient(headers={"Authorization": f"token {self.token}"}) as http:
            await http.post(f"{self.base_url}/api/kernels/{self.kernel_id}/interrupt")


async def main() -> None:
    client = KernelClient("http://localhost:8888", token="dev")
    await client.start_kernel()
    result = await client.execute("import sys; print(sys.version); 6 * 7")
    print(result.status, "".join(result.stdout), result.data.get("text/plain"))


if __name__ == "__main__":
    asyncio.run(main())

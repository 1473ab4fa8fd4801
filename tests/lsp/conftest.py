"""One server per test module for the tests that share the default set-up (starting one
takes about a second: most of it importing lsprotocol). Each test opens its own file."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio

from tests.lsp.helpers import Client, running_server


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("workspace")


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def client(workspace: Path) -> AsyncIterator[Client]:
    async with running_server(workspace) as client:
        yield client

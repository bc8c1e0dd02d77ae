"""The last start-up step of ``meldbot serve``: what start-up built is kept out of the
garbage collector's full passes, which scanned all of it under the first burst."""

from __future__ import annotations

import gc
from pathlib import Path

from bot import cli
from tests.core.conftest import make_settings
from tests.operations.support import MakeClient


async def test_serve_freezes_what_start_up_built_once_the_app_has_started(
    tmp_path: Path, aiohttp_client: MakeClient
) -> None:
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'meldbot.db'}", tmp_path)
    app = await cli._app(settings)
    assert app.on_startup[-1] is cli.freeze_start_up_objects
    gc.unfreeze()
    try:
        await aiohttp_client(app)  # runs the start-up steps
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()  # the rest of the suite collects as usual

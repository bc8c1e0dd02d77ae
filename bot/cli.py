"""The ``meldbot`` command: serve, run the migrations, make a sealing key."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from aiohttp import web

from bot.settings import ConfigError, Settings, load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="meldbot", description="meldbot — meldpunt in de chat")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run meldbot (web chat, Slack, health check)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=3978)
    db = commands.add_parser("db", help="database tasks")
    db.add_argument("action", choices=["upgrade"])
    commands.add_parser("seal-key", help="print a new key for MELDBOT_SEAL_KEY")
    return parser


async def _upgrade(settings: Settings) -> None:
    from storage.database import create_engine
    from storage.migrate import upgrade

    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


def _serve(settings: Settings, host: str, port: int) -> None:
    from bot.app import create_app

    if settings.web_chat_enabled and host not in {"127.0.0.1", "localhost", "::1"}:
        logging.getLogger("meldbot").warning(
            "the web chat lets anyone act as anyone; it is now reachable beyond this machine"
        )
    print(f"meldbot: http://{host}:{port}/", flush=True)
    web.run_app(create_app(settings), host=host, port=port, print=None)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    if args.command == "seal-key":
        from storage.sealing import new_key

        print(new_key())
        return 0
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"meldbot: {error}", file=sys.stderr)
        return 2
    if args.command == "db":
        asyncio.run(_upgrade(settings))
        print("meldbot: database is up to date")
        return 0
    _serve(settings, args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())

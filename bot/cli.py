"""The ``meldbot`` command: serve, run the migrations, make a sealing key, package for Teams."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import sys
from importlib import metadata
from pathlib import Path

from aiohttp import web

from bot.access.config import is_loopback
from bot.observability.logs import configure_logging
from bot.retention import command as retention_command
from bot.settings import ConfigError, Settings, load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="meldbot", description="meldbot — meldpunt in de chat")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run meldbot (web chat, Slack, health check)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=3978)
    db = commands.add_parser("db", help="database tasks")
    db.add_argument(
        "action",
        choices=["upgrade", "reindex", "copy"],
        help="upgrade: run the migrations; reindex: rebuild the search index under the "
        "current sealing key (after rotating it); copy: copy the embedded SQLite "
        "database into an empty PostgreSQL one (--to)",
    )
    db.add_argument("--to", help="copy: the target, postgresql+asyncpg://user@host/db")
    export = commands.add_parser("export", help="a CSV file: the registry's cases or the audit")
    export.add_argument("what", choices=["cases", "audit"])
    export.add_argument("--from", dest="first", required=True, help="the first day, YYYY-MM-DD")
    export.add_argument("--to", dest="last", required=True, help="the last day, YYYY-MM-DD")
    export.add_argument("--output", type=Path, help="the file (default: standard output)")
    commands.add_parser("seal-key", help="print a new key for MELDBOT_SEAL_KEY")
    retention_command.add_parser(commands)
    seal = commands.add_parser("seal", help="sealing key tasks")
    seal.add_argument(
        "action",
        choices=["rotate"],
        help="rotate: seal everything anew with the first key in MELDBOT_SEAL_KEY and rehash "
        "(after which the older keys can be removed)",
    )
    teams = commands.add_parser(
        "teams-package", help="build the Teams app package (the zip an admin uploads)"
    )
    teams.add_argument(
        "--bot-id", help=f"the Entra app's application (client) id (default: ${TEAMS_CLIENT_ID})"
    )
    teams.add_argument("--output", type=Path, default=Path("meldbot-teams.zip"))
    teams.add_argument("--version", help="the app version, such as 1.0.0 (default: meldbot's)")
    teams.add_argument("--developer-name", help="default: MELDBOT_ORGANISATION")
    teams.add_argument("--website", help="a page about meldbot for your staff (required)")
    teams.add_argument("--privacy-url", help="your privacy statement (required)")
    teams.add_argument("--terms-url", help="your terms of use (default: the website)")
    teams.add_argument("--domain", help="meldbot's public host name, if it serves pages")
    teams.add_argument("--app-id", help="the Teams app id (default: derived from the bot id)")
    from bot.privacy.command import add_parser

    add_parser(commands)
    return parser


TEAMS_CLIENT_ID = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID"


async def _upgrade(settings: Settings) -> None:
    from bot.app import local_seal_key
    from storage.database import create_engine
    from storage.migrate import upgrade

    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine, seal_key=settings.seal_key or local_seal_key(settings.data_dir))
    finally:
        await engine.dispose()


async def _reindex(settings: Settings) -> int:
    from bot.app import opened_database

    async with opened_database(settings) as database:
        return await database.reindex()


async def _export(settings: Settings, args: argparse.Namespace) -> str:
    from bot.app import opened_database
    from bot.registry.command import day_of, export

    first, last = day_of(args.first, "--from"), day_of(args.last, "--to")
    async with opened_database(settings) as database:
        done = await export(database, args.what, first, last, args.output)
    return f"meldbot: {done.rows} rows written to {done.written_to}"


async def _copy(settings: Settings, target: str | None) -> str:
    from storage.copy import CopyRefused, copy_database

    if not target:
        raise ConfigError("db copy needs --to postgresql+asyncpg://user@host/database.")
    try:
        counts = await copy_database(settings.database_url, target)
    except CopyRefused as refusal:
        raise ConfigError(str(refusal)) from None
    lines = [f"  {table}: {count}" for table, count in counts.items()]
    return "\n".join(["meldbot: copied, rows per table (checked in the target):", *lines])


def _rotate(settings: Settings) -> int:
    from bot.app import local_seal_key
    from storage.rotation import rotate, summary
    from storage.sealing import SealError

    try:
        counts = asyncio.run(
            rotate(settings.database_url, settings.seal_key or local_seal_key(settings.data_dir))
        )
    except SealError:
        print(
            "meldbot: a sealed value opens with none of the keys in MELDBOT_SEAL_KEY; put the "
            "old key back after the new one and run it again.",
            file=sys.stderr,
        )
        return 2
    print(summary(counts))
    return 0


def check_serving(settings: Settings, host: str) -> None:
    """meldbot's own pages show cases: beyond this machine only behind a real sign-in."""
    if is_loopback(host):
        return
    if settings.signin is None:
        raise ConfigError(
            f"[signin] is missing: meldbot serves its console on {host} only with an "
            "OpenID Connect sign-in (the demo sign-in works on 127.0.0.1 only)."
        )
    if not settings.public_url.startswith("https://"):
        raise ConfigError(
            f"MELDBOT_PUBLIC_URL must be an https:// address when meldbot serves on {host}."
        )


def _serve(settings: Settings, host: str, port: int) -> None:
    from bot.observability.access import AccessLog

    check_serving(settings, host)
    if settings.web_chat_enabled and not is_loopback(host):
        logging.getLogger("meldbot").warning(
            "the web chat lets anyone act as anyone; it is now reachable beyond this machine"
        )
    print(f"meldbot: http://{host}:{port}/", flush=True)
    web.run_app(_app(settings), host=host, port=port, print=None, access_log_class=AccessLog)


async def _app(settings: Settings) -> web.Application:
    from bot.app import create_app

    app = await create_app(settings)
    app.on_startup.append(freeze_start_up_objects)  # the last start-up step
    return app


async def freeze_start_up_objects(_application: web.Application) -> None:
    """What start-up built (modules, settings, SQLAlchemy's metadata) lives as long as the
    process: keep it out of the collector's full passes. The first of those under load
    scanned all of it and stalled every request for about 100 ms."""
    gc.collect()
    gc.freeze()


def _teams_package(args: argparse.Namespace) -> None:
    from adapters.teams.package import build_package

    for option, value in (("--website", args.website), ("--privacy-url", args.privacy_url)):
        if not value:
            raise ConfigError(
                f"{option} is missing: Teams shows your staff a link to it next to the app."
            )
    path = build_package(
        bot_id=args.bot_id or os.environ.get(TEAMS_CLIENT_ID, ""),
        output=args.output,
        version=args.version or metadata.version("meldbot"),
        developer_name=args.developer_name or load_settings().organisation,
        website=args.website,
        privacy_url=args.privacy_url,
        terms_url=args.terms_url or args.website,
        valid_domain=args.domain,
        app_id=args.app_id,
    )
    print(f"meldbot: {path}")
    print(
        "Next: upload it in the Teams admin center (Teams apps → Manage apps → Upload new "
        "app), then add meldbot to the coordinators' team."
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    configure_logging("text")  # until the settings say otherwise
    # Its DEBUG lines carry SQL parameters, among them the platform ids in state keys.
    logging.getLogger("aiosqlite").setLevel(logging.INFO)
    if args.command == "seal-key":
        from storage.sealing import new_key

        print(new_key())
        return 0
    if args.command == "teams-package":
        try:
            _teams_package(args)
        except ConfigError as error:
            print(f"meldbot: {error}", file=sys.stderr)
            return 2
        return 0
    try:
        settings = load_settings()
    except ConfigError as error:
        print(f"meldbot: {error}", file=sys.stderr)
        return 2
    configure_logging(settings.log_format)
    if args.command == "export" or (args.command == "db" and args.action == "copy"):
        try:
            if args.command == "export":
                said = asyncio.run(_export(settings, args))
            else:
                said = asyncio.run(_copy(settings, args.to))
        except ConfigError as error:
            print(f"meldbot: {error}", file=sys.stderr)
            return 2
        print(said, file=sys.stderr if args.command == "export" else sys.stdout)
        return 0
    if args.command == "retention":
        try:
            return asyncio.run(retention_command.run_command(settings, args))
        except ConfigError as error:
            print(f"meldbot: {error}", file=sys.stderr)
            return 2
    if args.command == "db" and args.action == "reindex":
        count = asyncio.run(_reindex(settings))
        print(f"meldbot: the search index of {count} cases is rebuilt")
        return 0
    if args.command == "privacy":
        from bot.privacy.command import run

        return asyncio.run(run(settings, args))
    if args.command == "seal":
        return _rotate(settings)
    if args.command == "db":
        asyncio.run(_upgrade(settings))
        print("meldbot: database is up to date")
        return 0
    try:
        _serve(settings, args.host, args.port)
    except ConfigError as error:
        print(f"meldbot: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The CLI's own commands; each calls the same services as the API."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from common.jsonout import json_text
from gpubroker import account, check, tables


def run(command: str, argv: list[str]) -> int:
    from gpubroker import workers

    handlers = {"serve": serve, "sync": sync, "offers": offers, "bench-gpu": bench_gpu,
                "ask": ask, "worker": workers.worker, "beat": workers.beat,
                "login": account.login, "whoami": account.whoami, "logout": account.logout,
                "check": check.main}
    return handlers[command](argv)


def serve(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="gpubroker serve", description=(
        "Apply migrations, sync offers if the store is empty, then serve the API, "
        "docs (/api/v2/docs), /health and /metrics."))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--no-sync", action="store_true", help="do not sync on an empty store")
    parser.add_argument("--sync-interval", type=int, default=None, metavar="SECONDS",
                        help="re-sync every N seconds in the background (default "
                             "GPUBROKER_SYNC_INTERVAL_S or 3600; 0 turns it off)")
    parser.add_argument("--workers", type=int, default=None, metavar="N",
                        help="worker processes on one port (default: the CPU count with "
                             "REDIS_URL, else 1: without Redis rate limits and WebSocket "
                             "pushes are per process)")
    parser.add_argument("--no-scheduler", action="store_true",
                        help="run no periodic jobs here (Celery beat runs them)")
    args = parser.parse_args(argv)
    from gpubroker.serve_workers import workers_from_argv
    from gpubroker.server import serve_forever

    return serve_forever(host=args.host, port=args.port, initial_sync=not args.no_sync,
                         interval_s=args.sync_interval, workers=workers_from_argv(argv),
                         scheduler=not args.no_scheduler)


def sync(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="gpubroker sync", description=(
        "Fetch offers from every source (or only --provider NAME), store them, and print a "
        "summary. A failing provider keeps its last good offers, marked stale."))
    parser.add_argument("--provider", action="append", metavar="NAME",
                        help="only this provider (repeatable)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args(argv)
    from django.core.management import call_command

    from market.services.providers import offers_sync_all

    call_command("migrate", verbosity=0)
    from common.errors import BrokerError

    try:
        results = offers_sync_all(only=args.provider,
                                  on_result=None if args.json else tables.sync_progress_line)
    except BrokerError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 2
    if args.json:
        print(json_text([r.summary() for r in results]))
    else:
        print(tables.sync_summary(results))
    return 0 if all(r.status in ("ok", "disabled", "no_key") for r in results) else 1


def offers(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="gpubroker offers", description=(
        "Query stored offers with the filters of GET /api/v2/providers/."))
    filter_flags_add(parser)
    parser.add_argument("-q", "--q", help="filter language, e.g. 'gpu_memory_gb>=40 spot=false'")
    parser.add_argument("--sort", default="price_per_hour", help="numeric field, - for descending")
    parser.add_argument("--limit", type=int, default=20, help="rows to show (default 20, ≤ 500)")
    parser.add_argument("--page", type=int, default=1)
    parser.add_argument("--json", action="store_true", help="print JSON like the API")
    parser.add_argument("--saved", metavar="NAME", help="rerun this saved search (with --user)")
    parser.add_argument("--user", metavar="EMAIL", help="whose saved search --saved names")
    args = parser.parse_args(argv)
    if bool(args.saved) != bool(args.user):
        parser.error("--saved and --user go together")
    return _offers(args)


def filter_flags_add(parser: argparse.ArgumentParser) -> None:
    """One flag per filter parameter of the one table (``--min-disk-gb`` for min_disk_gb)."""
    from market.fields import FILTER_PARAMS

    for param in FILTER_PARAMS:
        flag = f"--{param.name.replace('_', '-')}"
        if param.kind == "text":
            parser.add_argument(flag, dest=param.name, action="append",
                                help=f"{param.description} (repeatable)")
        elif param.kind == "flag":
            parser.add_argument(flag, dest=param.name, choices=["true", "false"],
                                help=param.description)
        else:
            parser.add_argument(flag, dest=param.name, type=float, help=param.description)


def _offers(args: argparse.Namespace) -> int:
    from common.errors import BrokerError
    from market.selectors import offers_page

    params = {k: v for k, v in vars(args).items()
              if k not in {"sort", "limit", "page", "json", "saved", "user"} and v is not None}
    per_page = max(1, min(args.limit, 500))
    try:
        if args.saved:
            page = _saved_page(args, per_page)
        else:
            page = offers_page(params=params, sort=args.sort, page=args.page, per_page=per_page)
    except BrokerError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 2
    if args.json:
        print(json_text(page.as_dict()))
    else:
        print(tables.offers_table(page))
    return 0


def _saved_page(args: argparse.Namespace, per_page: int) -> Any:
    from django.contrib.auth import get_user_model

    from common.errors import NotFound
    from market.selectors import offers_saved_search

    user = get_user_model().objects.filter(email__iexact=args.user).first()
    if user is None:
        raise NotFound(f"no user {args.user}")
    search, page = offers_saved_search(user=user, name=args.saved, sort=args.sort,
                                       page=args.page, per_page=per_page)
    print(f"saved search '{search.name}': {search.q} {search.filters or ''}".rstrip(),
          file=sys.stderr)
    return page


def bench_gpu(argv: list[str]) -> int:
    from gpubench import bench

    return int(bench.main(argv))


def ask(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="gpubroker ask", description=(
        "Ask the assistant (the same service as POST /api/v2/ai/chat): the answer, the "
        "offers it cites and the editable query. --parse only reads the request."))
    parser.add_argument("message", nargs="+", help='e.g. "serve llama 3 70b for 20 users"')
    parser.add_argument("--parse", action="store_true",
                        help="print the parse (workload, filters, q=) instead of answering")
    parser.add_argument("--json", action="store_true", help="print JSON like the API")
    args = parser.parse_args(argv)
    from assistant.chat.service import chat_reply
    from assistant.services import request_parsed
    from common.errors import BrokerError

    message = " ".join(args.message)
    try:
        body = (request_parsed(text=message) if args.parse
                else chat_reply(message=message, session_id=None, user=None))
    except BrokerError as exc:
        print(f"error: {exc.detail}", file=sys.stderr)
        return 2
    print(json_text(body) if args.json or args.parse
          else tables.assistant_answer(body))
    return 0

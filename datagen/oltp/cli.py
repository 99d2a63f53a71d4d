"""scripts/oltp.sh create [--order-lines N] [--seed S] | day [--seed S] [--erasures N]

create: (re)creates the OLTP database (SALES_INSIGHTS_OLTP_* settings) and fills it with
        datagen's company over datagen's default period (FY2024-FY2026).
day:    applies one day of business after the latest order date in the database.
"""
from __future__ import annotations

import argparse
import json
import sys
import time

from ..cli import DEFAULTS
from .connection import OltpSettings


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/oltp.sh", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="(re)create and fill the OLTP database")
    create.add_argument("--order-lines", type=int, default=12000,
                        help="order lines to generate (default 12000, at least 1000)")
    create.add_argument("--seed", type=int, default=DEFAULTS["seed"])
    day = commands.add_parser("day", help="apply one day of business after the latest day")
    day.add_argument("--seed", type=int, default=DEFAULTS["seed"])
    day.add_argument("--erasures", type=int, default=1, help="erasure requests (default 1)")
    args = parser.parse_args(argv)
    if args.command == "create" and args.order_lines < 1000:
        parser.error("--order-lines must be at least 1000")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    settings = OltpSettings.from_env()
    started = time.perf_counter()
    try:
        if args.command == "create":
            from .create import create

            say(f"oltp: creating {settings.describe()}")
            result = create(settings, args.order_lines, args.seed, DEFAULTS["start"], DEFAULTS["end"], say)
        else:
            from .day import apply_day

            result = apply_day(settings, args.seed, args.erasures)
    except Exception as error:  # pymysql.err.* and friends: one clear line, non-zero exit
        say(f"error: oltp {args.command} on {settings.describe()} failed: {error}")
        return 1
    say(f"oltp: {args.command} done in {time.perf_counter() - started:.1f} s")
    print(json.dumps(result, default=str))
    return 0

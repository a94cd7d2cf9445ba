"""``python -m bot.sandbox [--port 8081]``: run the sandbox Bot API until Ctrl-C."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from bot.sandbox.server import FakeTelegram


async def _serve(args: argparse.Namespace) -> None:
    fake = FakeTelegram(
        args.token, per_chat_per_second=args.per_chat, global_per_second=args.overall
    )
    await fake.start(args.host, args.port)
    try:
        print(f"Vécus sandbox Bot API on http://{args.host}:{fake.port}", flush=True)
        print(f"  TELEGRAM_BASE_URL={fake.base_url}")
        print(f"  TELEGRAM_BASE_FILE_URL={fake.base_file_url}")
        print(f"  token: {fake.token}")
        print(
            f"  play the user: curl -X POST http://{args.host}:{fake.port}/sandbox/send "
            """-d '{"user_id": 1, "text": "/start"}'""",
            flush=True,
        )
        await asyncio.Event().wait()
    finally:
        await fake.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default="123456:SANDBOX")
    parser.add_argument("--per-chat", type=float, default=10, help="messages/s per chat")
    parser.add_argument("--overall", type=float, default=30, help="messages/s overall")
    args = parser.parse_args(argv)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args))


if __name__ == "__main__":
    main()

"""The analysis worker: answers off the event loop, gives up on a timeout, and never outlives
the bot that started it."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from nlp import NlpWorker

ROOT = Path(__file__).resolve().parents[2]


async def test_worker_answers_off_the_loop_and_gives_up_on_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    worker = NlpWorker(timeout=30, in_process=True)
    analysis = await worker.analyse("vu mon nom ils ont dit non")
    assert analysis is not None and "patronyme" in analysis.codes()

    import nlp.worker

    def slow(text: str) -> None:
        time.sleep(2)

    monkeypatch.setattr(nlp.worker, "analyse", slow)
    worker.timeout = 0.2
    ticks = 0

    async def heartbeat() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    beat = asyncio.create_task(heartbeat())
    assert await worker.analyse("trop long") is None
    beat.cancel()
    assert ticks >= 10  # the event loop kept running while the analysis was stuck
    worker.close()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _command(pid: int) -> bytes:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes()
    except OSError:
        return b""


def _alive(pid: int) -> bool:
    """Running, or asleep: a zombie waiting for its new parent to reap it is gone."""
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize("when", ["loading", "ready"])
def test_a_bot_killed_with_sigkill_leaves_no_worker_behind(when: str) -> None:
    """Killed while its worker still imports spaCy, or once it answers: either way it goes."""
    bot = textwrap.dedent(
        f"""
        import asyncio
        from nlp import NlpWorker

        async def main():
            worker = NlpWorker(timeout=120)
            worker.start()
            if "{when}" == "ready" and await worker.analyse("bonjour") is None:
                print("the worker never answered", flush=True)
            else:
                print("{when}", flush=True)
            await asyncio.sleep(600)

        asyncio.run(main())
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", bot], cwd=ROOT, stdout=subprocess.PIPE)
    try:
        assert proc.stdout is not None and proc.stdout.readline() == f"{when}\n".encode()
        workers = _children(proc.pid)  # the worker, and multiprocessing's resource tracker
        assert any(b"spawn_main" in _command(p) for p in workers)
        assert all(_alive(p) for p in workers)
    finally:
        proc.kill()  # SIGKILL: the bot cannot say goodbye to its worker
        proc.wait()
    deadline = time.monotonic() + 30
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_alive(p) for p in workers)

"""Analysis off the bot's event loop: a worker process holds spaCy (300 MiB, 5 s to load), the
bot awaits its answers with a timeout. If the worker is slow or dies, the caller gets None and the
conversation goes on without suggestions; the worker is then replaced."""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
import threading
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import wait

from nlp.analysis import MAX_CHARS, Analysis, analyse, default_analyser

log = logging.getLogger(__name__)


def _warm() -> None:
    default_analyser()


def _start_worker() -> None:
    """In the worker process: exit when the bot is gone, then load the model. A bot killed
    with SIGKILL cannot stop its worker, and the worker's queue never tells it: without this
    watch, each crash would leave 300 MiB behind. The parent's sentinel is readable as soon as
    the bot is gone, even if that happened while this process was still importing spaCy."""
    parent = multiprocessing.parent_process()
    if parent is not None:

        def watch() -> None:
            wait([parent.sentinel])
            os._exit(0)

        threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    _warm()


class NlpWorker:
    def __init__(self, timeout: float = 15.0, *, in_process: bool = False) -> None:
        self.timeout = timeout
        self.in_process = in_process  # a thread instead of a process: tests, small machines
        self._executor: Executor | None = None

    def _new_executor(self) -> Executor:
        if self.in_process:
            return ThreadPoolExecutor(max_workers=1, thread_name_prefix="nlp")
        context = multiprocessing.get_context("spawn")
        return ProcessPoolExecutor(max_workers=1, mp_context=context, initializer=_start_worker)

    def start(self) -> None:
        """Start loading the model now, in the background, so the first story waits less."""
        if self._executor is None:
            self._executor = self._new_executor()
            self._executor.submit(_warm)

    async def analyse(self, text: str) -> Analysis | None:
        self.start()
        assert self._executor is not None
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, analyse, text[:MAX_CHARS])
        try:
            return await asyncio.wait_for(future, self.timeout)
        except TimeoutError:
            log.warning(
                "analysis timed out after %.1f s; going on without suggestions", self.timeout
            )
        except BrokenProcessPool:
            log.error("analysis worker died; starting a new one")
            self._executor = None
        except Exception:
            log.exception("analysis failed; going on without suggestions")
        return None

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

"""The worker processes letter batches render in, and what runs in them.

Rendering a hearing reminder is ~6 ms of pure Python (~9 ms for a process's first few dozen, ~3.5 ms
for a letter printed before, whose paragraphs and font subsets are remembered), and writing, fsyncing
and logging it ~2 ms more, so one core cannot reach the 150 letters/s the office needs: a batch big
enough to repay starting them renders its chunks in worker processes while this process writes and
logs the chunks already done, in order.

Worker processes are forked when this process runs a single thread (the CLI) and come from a fork
server otherwise (the window: forking beside Qt's threads can deadlock the child). A program that
runs batches from a thread must therefore guard its main module with `if __name__ == "__main__":`,
as the kantor-cases entry points do. What a worker runs (`render_jobs`, `warm_worker`) imports the
renderer when called, not when this module is imported, so the office's start stays without it.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kantor_cases.letters import Letterhead

    from .fields import LetterSubject

log = logging.getLogger(__name__)

# Batches render in worker processes once they are big enough to repay starting them.
POOL_THRESHOLD = 40
CHUNK = 25
MAX_WORKERS = 4
# What the fork server imports once, so that each worker it forks starts with the renderer loaded.
_RENDERER = "kantor_cases.services.letters.fields"

Rendered = list[tuple[bytes | None, str]]


@dataclass(frozen=True)
class Job:
    """One letter of a batch: whom it is for, its language and the fields it prints."""

    subject: LetterSubject
    language: str
    fields: dict[str, Any]


def render_jobs(template_id: str, letterhead: Letterhead, letter_date: date, sources: Mapping[str, str | None],
                jobs: Sequence[tuple[str, Mapping[str, Any]]]) -> Rendered:
    """Render a chunk of a batch (in a worker process): (pdf, "") or (None, why it cannot be printed)."""
    from kantor_cases.letters import TemplateError, render_letter

    from .fields import template_problem

    results: Rendered = []
    for language, fields in jobs:
        try:
            results.append((render_letter(template_id, language, fields, letterhead, letter_date,
                                          sources.get(language)), ""))
        except TemplateError as error:
            results.append((None, template_problem(template_id, error)))
    return results


def warm_worker(today: date) -> None:
    """Run in each new worker process: fonts registered, the reminder templates compiled and their
    fixed paragraphs laid out once (the renderer keeps them), so the first batch runs at full speed.
    `today` comes from the parent, whose clock is the office's."""
    from kantor_cases.letters import Letterhead, TemplateError, fonts, render_letter, sample_fields

    fonts.register_fonts()
    letterhead = Letterhead("Kantor", "Kantor", "0", ("Beverly Hills, CA",), "", "")
    for language in ("en", "es"):
        with suppress(TemplateError):
            render_letter("hearing-reminder", language, sample_fields("hearing-reminder", language), letterhead,
                          today)


def _load_cjk_if_used(letterhead: Letterhead, sources: Mapping[str, str | None], payload: object) -> None:
    """Load the CJK font here, before the workers fork, when any letter of the batch needs it: each
    forked worker then starts with it instead of loading it on its own (it is loaded only when
    needed, as most batches have no Chinese, Japanese or Korean text)."""
    from kantor_cases.letters import fonts

    if fonts.CJK_RUN.search(repr((letterhead, sources, payload))):
        fonts.register_fonts(cjk=True)


def _single_threaded() -> bool:
    """True when this process runs one thread only, counted by the OS: Qt's threads (the window,
    its thread pool) are invisible to `threading`. Only Linux can say cheaply; elsewhere, False."""
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


class RenderWorkers:
    """The letter service's pool of worker processes, started when first needed (or asked for)."""

    def __init__(self, workers: int | None, today: Callable[[], date]) -> None:
        cpus = os.cpu_count() or 1
        self._workers = max(1, min(MAX_WORKERS, cpus if workers is None else workers))
        self._today = today
        self._pool: ProcessPoolExecutor | None = None
        self._forked = False  # the pool's workers are forks of this process (they start at once)
        self._pool_lock = threading.Lock()

    @property
    def running(self) -> bool:
        return self._pool is not None

    def close(self) -> None:
        """Stop the batch worker processes (the office is closing)."""
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def render_stream(self, template_id: str, letterhead: Letterhead, letter_date: date,
                      sources: Mapping[str, str | None], jobs: Sequence[Job],
                      stop: Callable[[], bool]) -> Iterator[tuple[Sequence[Job], Rendered]]:
        """Rendered chunks in order; in worker processes when the batch is big enough."""
        chunks = [jobs[i:i + CHUNK] for i in range(0, len(jobs), CHUNK)]
        payload = [[(job.language, job.fields) for job in chunk] for chunk in chunks]
        futures: dict[int, Future[Rendered]] = {}
        warm: Rendered = []
        if len(jobs) >= POOL_THRESHOLD and self._workers > 1:
            # One letter here first: forked workers then start with the fonts registered and the
            # template compiled. The rest goes to the workers, whose caches warm on the letters
            # they go on printing, unless they are starting now from a fork server: then the rest
            # of the first chunk renders here while they start.
            warm = render_jobs(template_id, letterhead, letter_date, sources, payload[0][:1])
            _load_cjk_if_used(letterhead, sources, payload)
            starting = self._pool is None
            pool = self._executor()
            if pool is not None:
                first = 1 if starting and not self._forked else 0
                try:
                    futures = {index: pool.submit(render_jobs, template_id, letterhead, letter_date, sources,
                                                  payload[index][len(warm) if index == 0 else 0:])
                               for index in range(first, len(chunks))}
                except (BrokenProcessPool, RuntimeError, OSError) as error:
                    log.warning("Rendering the batch in this process: worker processes unavailable (%s)", error)
                    self._discard_pool()
                    futures = {}
        try:
            for index, chunk in enumerate(chunks):
                if stop():
                    return
                done = warm if index == 0 else []
                results = None
                if index in futures:
                    try:
                        results = done + futures[index].result()
                    except BrokenProcessPool as error:
                        log.warning("A letter worker process stopped (%s); rendering the rest here", error)
                        self._discard_pool()
                        futures = {}
                if results is None:
                    results = done + render_jobs(template_id, letterhead, letter_date, sources,
                                                 payload[index][len(done):])
                yield chunk, results
        finally:
            for future in futures.values():
                future.cancel()

    def _executor(self) -> ProcessPoolExecutor | None:
        if self._workers < 2:
            return None
        with self._pool_lock:
            if self._pool is None:
                today = self._today()
                methods = multiprocessing.get_all_start_methods()
                # fork is instant and inherits warm caches, but forking a process that runs other
                # threads (the window's) can deadlock the child on a lock one of them held; the
                # fork server is forked from a clean single-threaded process instead.
                context: Any
                self._forked = "fork" in methods and _single_threaded()
                if self._forked:
                    context = multiprocessing.get_context("fork")
                    warm_worker(today)  # here, once: every forked worker starts with its results
                elif "forkserver" in methods:
                    context = multiprocessing.get_context("forkserver")
                    context.set_forkserver_preload([_RENDERER])
                else:
                    context = multiprocessing.get_context("spawn")
                try:
                    self._pool = ProcessPoolExecutor(self._workers, mp_context=context,
                                                     initializer=warm_worker, initargs=(today,))
                except (OSError, ValueError, NotImplementedError) as error:
                    log.warning("No worker processes for letter batches: %s", error)
                    self._workers = 1
                    return None
            return self._pool

    def start(self, expected_letters: int | None = None, wait: bool = False) -> None:
        """Start the batch worker processes now, so that the next batch does not wait for them.

        The batch dialog calls this when it opens, with the number of letters it expects (nothing
        is started for a batch too small to use them). Starting takes about half a second (a fork
        server starts and imports the renderer), so by default it runs on a daemon thread.
        """
        if (expected_letters is not None and expected_letters < POOL_THRESHOLD) or self._pool is not None:
            return

        def start() -> None:
            pool = self._executor()
            if pool is None:
                return
            try:
                for future in [pool.submit(int) for _ in range(self._workers)]:
                    future.result()
            except (BrokenProcessPool, RuntimeError, OSError) as error:
                log.warning("Letter worker processes could not start: %s", error)
                self._discard_pool()

        if wait:
            start()
        else:
            threading.Thread(target=start, name="letter-workers", daemon=True).start()

    def _discard_pool(self) -> None:
        with self._pool_lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

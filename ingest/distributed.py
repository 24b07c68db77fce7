"""The worker side of a parallel ingest: one digest in, its records (or one error line) out.

`kg ingest --workers N` runs `extract_file` in a pool of local processes and
`kg ingest --scheduler ADDR` on the workers of a Dask cluster; the writer (the
`kg` process) stores what comes back, one digest at a time. A worker loads the
spaCy pipeline once (`load_nlp` keeps it in a module-level cache for the life
of the process) and keeps nothing else between digests.

What comes back is plain data that pickles: ``("ok", Digest)``, or
``("error", message)`` for a digest the user must fix, or ``("internal",
message, traceback)`` for a bug. Exceptions are not sent back as such: an
`IngestError` subclass need not survive pickling with its arguments.
"""

from __future__ import annotations

import os
import signal
import tempfile
import threading
import time
import traceback
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from techclaims.schema.records import Digest

#: What a worker sends back (plain data, so it pickles): the records, a user's error as one line,
#: or a bug's message and traceback.
Outcome = (
    tuple[Literal["ok"], "Digest"]
    | tuple[Literal["error"], str]
    | tuple[Literal["internal"], str, str]
)

#: Test-only hook, a comma-separated list of ``NAME`` or ``NAME:MARKER``: the worker extracting the
#: digest file NAME kills itself (SIGKILL) mid-digest, every time, or only while the file MARKER does
#: not exist yet (it creates MARKER first, so a retry succeeds). Unset in normal use.
KILL_HOOK = "KG_TEST_KILL_WORKER"


def warm(gpu: bool = False, parent: int | None = None) -> None:
    """A pool's initializer: tie this worker's life to `parent` (see `die_with_parent`), then load
    the pipeline now, so the first digest does not pay for it (and freeze it: `freeze_heap`)."""
    if parent is not None:
        die_with_parent(parent)
    from techclaims.ingest.extract import freeze_heap
    from techclaims.ingest.nlp.pipeline import load_nlp

    load_nlp(gpu=gpu)
    freeze_heap()


def die_with_parent(parent: int, every_s: float = 0.5) -> None:
    """End this process when `parent` is gone, however it went (kill -9 included).

    A pool's workers wait on a pipe their parent's death does not always close, so after a
    `kill -9` of `kg ingest --workers N` they stayed, ~700 MB each, for good. A daemon thread
    looks at the parent pid twice a second (an orphan is re-parented, so its parent pid
    changes) and exits the process at once. Portable, and free of PR_SET_PDEATHSIG's catch
    (that fires when the parent *thread* that started the worker ends, not the process).
    """
    if os.getppid() != parent:  # already orphaned before this ran
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(every_s)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="kg-die-with-parent", daemon=True).start()


_WATCHED: list[int] = []  # the pid whose forked children watch it (set once per process)


def forked_children_die_with_me() -> None:
    """Make every process forked from this one from now on watch it (`die_with_parent`).

    `kg ingest FILE --workers N` extracts one file with spaCy's own ``n_process=N``, whose
    workers are forked and block on a queue they hold both ends of: after a kill -9 of `kg`
    they stayed for good, like the pool's did. spaCy cannot be handed an initializer, so a
    fork hook starts the watch in each child (a grandchild watches its own parent instead).
    """
    if _WATCHED:
        return
    parent = os.getpid()
    _WATCHED.append(parent)

    def watch() -> None:
        if os.getppid() == parent:
            die_with_parent(parent)

    os.register_at_fork(after_in_child=watch)


class ForkedWorkers:
    """While extracting with spaCy's ``n_process``: watch the processes it forks, and when one dies
    of a signal or an error status, end the others and keep how the first died (`why`).

    spaCy forks every worker after making every pipe, so each holds the others' ends: when one
    died (the kernel's OOM killer, a kill), the parent waited for its docs forever (`kg ingest
    FILE --workers 2` hung). Ending the others closes that pipe, spaCy raises, and the caller can
    skip the digest with the reason instead of hanging. A no-op unless `active`.
    """

    def __init__(self, active: bool, every_s: float = 0.2) -> None:
        self.active = active
        self.every_s = every_s
        self.why: str | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> ForkedWorkers:
        if self.active:
            # spaCy's own warning that a worker failed: the skipped line says it, and why
            warnings.filterwarnings("ignore", message=r".*\[W127\]")
            self._thread = threading.Thread(target=self._watch, name="kg-workers", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def abandon(self, err: BaseException) -> None:
        """Let the exit skip spaCy's queues to the dead workers (`err` was raised through spaCy).

        Their feeder threads block on pipes nobody reads any more, and freeing or exiting joins
        them: `kg` printed the error and then hung. The queues are still reachable from the
        frames of `err`'s traceback; each is told not to join its thread (what is queued is lost).
        """
        from multiprocessing.queues import Queue

        for frame, _ in traceback.walk_tb(err.__traceback__):
            for value in list(frame.f_locals.values()):
                for item in value if isinstance(value, list | tuple) else (value,):
                    if isinstance(item, Queue):
                        item.cancel_join_thread()

    def _watch(self) -> None:
        import multiprocessing

        seen: dict[int | None, multiprocessing.Process] = {}
        while not self._stop.wait(self.every_s):
            for process in multiprocessing.active_children():
                seen.setdefault(process.pid, process)  # type: ignore[arg-type]
            dead = [p.exitcode for p in seen.values() if p.exitcode not in (None, 0)]
            if dead and self.why is None:
                self.why = exit_reason(dead[0])
                for process in seen.values():
                    if process.exitcode is None:
                        process.kill()


def exit_reason(code: int) -> str:
    """A process's exit status in words: its signal (SIGKILL: often the machine out of memory)."""
    if code >= 0:
        return f"exit status {code}"
    try:
        name = signal.Signals(-code).name
    except ValueError:
        name = f"signal {-code}"
    return f"killed by {name}" + (
        ", often the machine running out of memory" if name == "SIGKILL" else ""
    )


def ready() -> bool:
    """A task that does nothing: a new pool answers it once its processes have started."""
    return True


def extract_file(
    path: str, gpu: bool = False, data: bytes | None = None, source: str | None = None
) -> Outcome:
    """Read, repair and extract the digest at `path`, or, with `data`, the digest of that name and
    content (so a worker needs no shared file system: the file is written to a temporary folder).
    `source` names the digest (`kg.ingest_job.find_digests`; default: the file name)."""
    name = Path(path).name
    source = source or name
    _kill_hook(name)
    if data is None:
        return _extract(Path(path), gpu, source)
    with tempfile.TemporaryDirectory(prefix="kg-digest-") as folder:
        local = Path(folder) / name
        local.write_bytes(data)
        return _extract(local, gpu, source, shown=path)


def _extract(path: Path, gpu: bool, source: str, shown: str | None = None) -> Outcome:
    from techclaims.ingest.errors import IngestError
    from techclaims.ingest.extract import extract_digest
    from techclaims.ingest.nlp.pipeline import load_nlp

    try:
        return ("ok", extract_digest(path, load_nlp(gpu=gpu), source=source))
    except IngestError as err:
        message = str(err)
        if shown is not None:
            message = message.replace(str(path), shown)
        return ("error", message)
    except Exception as err:  # a bug, not the user's input
        return (
            "internal",
            f"{shown or path}: internal error while extracting ({type(err).__name__}: {err}); "
            "run with -v for the traceback",
            traceback.format_exc(),
        )


def _kill_hook(name: str) -> None:
    for spec in filter(None, os.environ.get(KILL_HOOK, "").split(",")):
        target, _, marker = spec.partition(":")
        if name != target:
            continue
        if marker:
            try:
                with open(marker, "x"):
                    pass
            except FileExistsError:
                continue
        os.kill(os.getpid(), signal.SIGKILL)

"""One build step in a forked child process, while the build goes on with the next ones.

The build's two big steps are independent once the inputs are parsed: SHACL reads the asserted data,
the closure and the writing of the cache do not need its answer until the end. Python runs one of
them at a time; a forked child runs SHACL on the second core (a copy of the parsed graphs for free,
copy-on-write) and sends its answer back through a pipe as JSON. The parent only commits the
build once that answer says the data conforms, so nothing is given up: a violation or an error in
the child stops the build exactly as it did in one process.

Where ``os.fork`` is missing or the process may use one CPU only, the step runs in the process
itself, before :class:`InBackground` returns.
"""

from __future__ import annotations

import gc
import json
import os
import signal
import traceback
from collections.abc import Callable
from typing import Any

from kennisgraaf.build.inputs import BuildError


class BackgroundFailed(RuntimeError):
    """The child process died or raised something other than a :class:`BuildError`."""


def can_fork() -> bool:
    """Whether a step may run beside the build: ``os.fork`` exists and more than one CPU is ours."""
    return hasattr(os, "fork") and len(os.sched_getaffinity(0)) > 1


class InBackground:
    """``work()`` (returning something JSON can carry) started in a child process; :meth:`result` waits.

    A :class:`BuildError` raised by ``work`` is raised again by :meth:`result` with its message and
    exit code; its report travels as ``error_report(report)`` and comes back through ``read_report``.
    """

    def __init__(self, work: Callable[[], Any], *, error_report: Callable[[Any], Any] = lambda report: None,
                 read_report: Callable[[Any], Any] = lambda entry: None, fork: bool | None = None) -> None:
        self._read_report = read_report
        self._pid = 0
        self._answer: dict[str, Any] | None = None
        if not (can_fork() if fork is None else fork):
            self._answer = _outcome(work, error_report)
            return
        read_end, write_end = os.pipe()
        # Objects that exist now go to the collector's permanent generation for the fork: the child's
        # collections then never walk (and so never copy, page by page) the parent's parsed graphs.
        gc.freeze()
        pid = os.fork()
        if pid:
            gc.unfreeze()
        if pid == 0:  # the child: do the work, write the answer, leave without running any cleanup of the parent's
            status = 0
            try:
                os.close(read_end)
                data = json.dumps(_outcome(work, error_report)).encode("utf-8")
                with os.fdopen(write_end, "wb") as out:
                    out.write(data)
            except BaseException:  # noqa: BLE001 - nothing may escape into the parent's code
                status = 1
            finally:
                os._exit(status)
        os.close(write_end)
        self._pid = pid
        self._read_end = read_end

    def result(self) -> Any:
        """The value ``work`` returned; raises its BuildError, or BackgroundFailed when the child failed."""
        if self._answer is None:
            with os.fdopen(self._read_end, "rb") as answer:
                data = answer.read()
            _pid, status = os.waitpid(self._pid, 0)
            self._pid = 0
            if not data:
                raise BackgroundFailed(f"the background step ended without an answer ({_how(status)})")
            self._answer = json.loads(data)
        answer = self._answer
        if "error" in answer:
            message, exit_code, report = answer["error"]
            raise BuildError(message, exit_code, self._read_report(report) if report is not None else None)
        if "crash" in answer:
            raise BackgroundFailed(f"the background step failed:\n{answer['crash']}")
        return answer["value"]

    def cancel(self) -> None:
        """Stop the child, if it still runs (the build failed for another reason first)."""
        if self._pid:
            try:
                os.kill(self._pid, signal.SIGKILL)
                os.waitpid(self._pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
            os.close(self._read_end)
            self._pid = 0


def _outcome(work: Callable[[], Any], error_report: Callable[[Any], Any]) -> dict[str, Any]:
    try:
        return {"value": work()}
    except BuildError as exc:
        report = error_report(exc.report) if exc.report is not None else None
        return {"error": [exc.args[0] if exc.args else str(exc), exc.exit_code, report]}
    except Exception:  # noqa: BLE001 - reported to the parent, which raises it as BackgroundFailed
        return {"crash": traceback.format_exc()}


def _how(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.WEXITSTATUS(status)}"

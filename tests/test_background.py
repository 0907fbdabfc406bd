"""build/background.py: a build step in a forked child, its answer, its errors and its end."""

from __future__ import annotations

import os
import time

import pytest

from kennisgraaf.build.background import BackgroundFailed, InBackground
from kennisgraaf.build.inputs import BuildError

# fork=True forks whatever the number of CPUs (which only decides the default); the tests run on Linux.


@pytest.mark.parametrize("fork", [True, False])
def test_the_value_comes_back_from_the_child_or_from_the_process_itself(fork):
    step = InBackground(lambda: {"pid": os.getpid(), "list": [1, "twee"]}, fork=fork)
    value = step.result()
    assert value["list"] == [1, "twee"]
    assert (value["pid"] != os.getpid()) is fork


@pytest.mark.parametrize("fork", [True, False])
def test_a_build_error_keeps_its_message_exit_code_and_report(fork):

    def work():
        raise BuildError("the data violates the shapes", 1, {"findings": 3})

    step = InBackground(work, fork=fork, error_report=lambda report: {"kept": report},
                        read_report=lambda entry: ("read", entry))
    with pytest.raises(BuildError) as caught:
        step.result()
    assert str(caught.value) == "the data violates the shapes"
    assert caught.value.exit_code == 1
    assert caught.value.report == ("read", {"kept": {"findings": 3}})


def test_any_other_exception_and_a_dead_child_are_reported_not_ignored():
    def broken():
        raise ValueError("kapot")

    with pytest.raises(BackgroundFailed, match="ValueError: kapot"):
        InBackground(broken, fork=True).result()
    with pytest.raises(BackgroundFailed, match="without an answer .*exit status 3"):
        InBackground(lambda: os._exit(3), fork=True).result()


def test_cancel_stops_a_child_that_still_runs():
    started = time.perf_counter()
    step = InBackground(lambda: time.sleep(30), fork=True)
    pid = step._pid
    step.cancel()
    assert time.perf_counter() - started < 10
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped: no zombie left behind

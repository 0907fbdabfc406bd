"""The access log: one line per request on stderr, on by default in ``serve``, off with a flag."""

from __future__ import annotations

import io
import re
import time

import httpx

from kennisgraaf.web.accesslog import AccessLog

LINE = re.compile(r'^(\S+) "(\S+) (\S+)" (\d{3}|-) (\d+) (\d+\.\d)ms$')


def test_one_line_per_request_with_method_path_status_bytes_and_duration(app):
    stream = io.StringIO()
    client = httpx.Client(transport=httpx.WSGITransport(app=AccessLog(app, stream)), base_url="http://kg.test")
    page = client.get("/doc/provincie/drenthe?lang=en")
    missing = client.get("/doc/provincie/nergens", headers={"Accept": "text/plain"})
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    first, second = (LINE.match(line) for line in lines)
    assert first and second
    assert first.group(2, 3, 4) == ("GET", "/doc/provincie/drenthe", "200")  # no query string in the log
    assert int(first.group(5)) == len(page.content)
    assert second.group(3, 4) == ("/doc/provincie/nergens", "404") and int(second.group(5)) == len(missing.content)


def test_serve_logs_by_default_and_not_with_the_flag(serve_process):
    logged = serve_process()
    httpx.get(logged("/health"))
    quiet = serve_process("--no-access-log")
    httpx.get(quiet("/health"))
    time.sleep(0.5)  # the line is written after the body is sent
    assert any(re.search(r'"GET /health" 200 \d+ ', line) for line in logged.output)
    assert not any('"GET /health"' in line for line in quiet.output)


def test_a_hit_answered_in_front_of_flask_is_logged_too(app):
    stream = io.StringIO()
    client = httpx.Client(transport=httpx.WSGITransport(app=AccessLog(app, stream)), base_url="http://kg.test")
    headers = {"Accept": "text/html, */*;q=0.123"}  # a request key of this test's own
    first = client.get("/doc/provincie/groningen", headers=headers)
    again = client.get("/doc/provincie/groningen", headers=headers)
    assert (first.headers["X-Cache"], again.headers["X-Cache"]) == ("miss", "hit")
    lines = [LINE.match(line) for line in stream.getvalue().splitlines()]
    assert len(lines) == 2 and all(lines)
    assert lines[1].group(2, 3, 4) == ("GET", "/doc/provincie/groningen", "200")
    assert int(lines[1].group(5)) == len(again.content) == len(first.content)

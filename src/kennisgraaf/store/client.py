"""HTTP plumbing shared by the remote store and the loader: one session, and errors read as one line."""

from __future__ import annotations

import html
import re

import requests

from kennisgraaf.store.credentials import Credentials

USER_AGENT = "kennisgraaf"


def open_session(credentials: Credentials) -> requests.Session:
    """A session that names us and sends ``credentials`` with every request."""
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    credentials.apply(session)
    return session


def connection_reason(exc: BaseException) -> str:
    """The gist of a connection error (requests nests urllib3's reason in long reprs)."""
    text = str(exc)
    found = re.search(r"\[Errno -?\d+\] ([^'\")]+)|(Connection refused|Name or service not known|Read timed out)", text)
    return (found.group(1) or found.group(2)).strip() if found else text[:300]


def text_of(response: requests.Response) -> str:
    """The store's error message as one line of plain text (Virtuoso's are HTML pages)."""
    text = response.text[:4000]
    if "<" in text and ">" in text:
        text = html.unescape(re.sub(r"(?s)<(head|style|script)\b.*?</\1>|<[^>]+>", " ", text))
    return " ".join(text.split())[:1000]

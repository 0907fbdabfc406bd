"""Credentials for a remote store, and keeping them out of every message, log line and page.

Credentials come from the settings (``kennisgraaf.toml`` or ``KENNISGRAAF_*`` variables), never
from a command-line flag alone, where other users of the machine would see them:

- ``store_user`` + ``store_password`` with ``store_auth = basic`` (the default with a user) or
  ``digest`` (Virtuoso's ``/sparql-auth`` and ``/sparql-graph-crud-auth`` want Digest);
- ``store_token``: ``Authorization: Bearer …`` (``store_auth = bearer``, the default with a token);
- ``store_headers``: any further headers, one ``Name: value`` per line (an API key for a proxy,
  GraphDB's ``Authorization: GDB …``).

``load`` uses the ``store_update_*`` settings, each falling back to its ``store_*`` counterpart, so
a read-only account can serve while another one loads. A user name and password in the URL
(``http://user:secret@host/…``) are taken out of it and used as ``store_user``/``store_password``
when those are not set.

:class:`Redactor` replaces every secret (and any ``user:password@`` in a URL) by ``***``; every
message of :mod:`kennisgraaf.store.remote` and :mod:`kennisgraaf.store.loader` goes through it
before it can reach a client, a log or ``/health``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote, quote_plus, unquote, urlsplit, urlunsplit

import requests
from requests.auth import AuthBase, HTTPBasicAuth, HTTPDigestAuth

from kennisgraaf.config import Settings

SCHEMES = ("basic", "digest", "bearer")
MASK = "***"
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/\s@]*@")
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


class CredentialsError(ValueError):
    """Settings that do not make usable credentials (the message names the setting, never a secret)."""


@dataclass(frozen=True)
class Credentials:
    """How to authenticate to one store URL: a scheme with user/password or token, and extra headers."""

    scheme: str = ""  # "" (none), "basic", "digest" or "bearer"
    user: str = ""
    password: str = field(default="", repr=False)
    token: str = field(default="", repr=False)
    headers: tuple[tuple[str, str], ...] = field(default=(), repr=False)

    def __bool__(self) -> bool:
        return bool(self.scheme or self.headers)

    def auth(self) -> AuthBase | None:
        """The requests auth handler (Basic, Digest or Bearer), or None."""
        if self.scheme == "basic":
            return HTTPBasicAuth(self.user, self.password)
        if self.scheme == "digest":
            return HTTPDigestAuth(self.user, self.password)
        if self.scheme == "bearer":
            return _Bearer(self.token)
        return None

    def apply(self, session: requests.Session) -> None:
        """Set up ``session`` to send these credentials with every request."""
        session.auth = self.auth()
        session.headers.update(dict(self.headers))

    def secrets(self) -> list[str]:
        """Every value that must never be shown."""
        return [s for s in (self.password, self.token, *(value for _, value in self.headers)) if s]

    def describe(self) -> str:
        """What is sent, without the secrets, e.g. ``digest as 'kgload'``."""
        parts = []
        if self.scheme in ("basic", "digest"):
            parts.append(f"{self.scheme} as {self.user!r}")
        elif self.scheme == "bearer":
            parts.append("a bearer token")
        if self.headers:
            parts.append("headers " + ", ".join(name for name, _ in self.headers))
        return " and ".join(parts) or "no credentials"


class _Bearer(AuthBase):
    def __init__(self, token: str) -> None:
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


def parse_headers(text: str, setting: str) -> tuple[tuple[str, str], ...]:
    """``Name: value`` lines (blank lines skipped) as pairs; a bad line is an error naming ``setting``."""
    pairs = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon or not _HEADER_NAME.fullmatch(name.strip()) or not value.strip():
            raise CredentialsError(f"setting {setting!r}, line {number}: not a 'Name: value' header")
        pairs.append((name.strip(), value.strip()))
    return tuple(pairs)


def split_userinfo(url: str) -> tuple[str, str, str]:
    """``url`` without ``user:password@``, and the (percent-decoded) user and password it held."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, "", ""
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    return urlunsplit(parts._replace(netloc=hostport)), unquote(user), unquote(password)


def credentials_for(settings: Settings, url: str, *, update: bool = False) -> tuple[str, Credentials]:
    """The URL to use (userinfo taken out) and the credentials the settings give for it.

    ``update``: for ``load`` (the ``store_update_*`` settings, each falling back to ``store_*``).
    """
    def pick(name: str) -> tuple[str, str]:
        if update and getattr(settings, f"store_update_{name}"):
            return getattr(settings, f"store_update_{name}"), f"store_update_{name}"
        return getattr(settings, f"store_{name}"), f"store_{name}"

    clean, url_user, url_password = split_userinfo(url)
    scheme, scheme_setting = pick("auth")
    user, _ = pick("user")
    password, _ = pick("password")
    token, _ = pick("token")
    header_text, header_setting = pick("headers")
    if not user and url_user:
        user, password = url_user, url_password
    scheme = scheme.strip().lower()
    if not scheme:
        scheme = "bearer" if token else "basic" if user else ""
    if scheme not in ("", *SCHEMES):
        raise CredentialsError(f"setting {scheme_setting!r}: {scheme!r} is not one of {', '.join(SCHEMES)}")
    if scheme in ("basic", "digest") and not user:
        raise CredentialsError(f"setting {scheme_setting!r} is {scheme!r} but no user is set (store_user)")
    if scheme == "bearer" and not token:
        raise CredentialsError(f"setting {scheme_setting!r} is 'bearer' but no token is set (store_token)")
    headers = parse_headers(header_text, header_setting)
    return clean, Credentials(scheme, user, password, token, headers)


class Redactor:
    """Replaces known secrets, their percent-encoded forms and any URL userinfo with ``***``."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        forms = set()
        for secret in secrets:
            if secret:
                forms |= {secret, quote(secret, safe=""), quote(secret), quote_plus(secret)}
        # Longest first, so that a secret containing another is replaced whole.
        self.forms = sorted(forms, key=len, reverse=True)

    def __call__(self, text: object) -> str:
        shown = _USERINFO.sub(lambda m: m.group(1) + MASK + "@", str(text))
        for form in self.forms:
            shown = shown.replace(form, MASK)
        return shown

    def with_secrets(self, secrets: Iterable[str]) -> Redactor:
        """A redactor for these secrets as well."""
        return Redactor([*self.forms, *secrets])


def credentials_in_url(url: str, credentials: Credentials | None) -> tuple[str, Credentials, Redactor]:
    """``url`` without its userinfo; ``credentials``, or else Basic with the URL's user and password;
    and the redactor for both."""
    url, url_user, url_password = split_userinfo(url)
    if credentials is None:
        credentials = Credentials("basic", url_user, url_password) if url_user else Credentials()
    return url, credentials, Redactor([*credentials.secrets(), url_password])


def refusal(status: int, credentials: Credentials, what: str, settings: str) -> str:
    """Why the store answered 401/403, and which settings to look at."""
    if not credentials:
        return (f"The {what} asks for credentials ({status} {'Unauthorized' if status == 401 else 'Forbidden'}) "
                f"and none are set: see {settings}.")
    return (f"The {what} refused the credentials ({status} {'Unauthorized' if status == 401 else 'Forbidden'}; "
            f"sent {credentials.describe()}): check {settings}.")

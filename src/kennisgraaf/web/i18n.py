"""Page language: ``?lang=``, then the ``lang`` cookie, then ``Accept-Language`` (Dutch by default)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask, Response, request
from werkzeug.datastructures import LanguageAccept

LANGUAGES = ("nl", "en")


def choose_language(param: str | None, cookie: str | None, accept: LanguageAccept) -> str:
    """``?lang=`` first, then the ``lang`` cookie, then ``Accept-Language``; Dutch by default."""
    for explicit in (param, cookie):
        if explicit in LANGUAGES:
            return explicit
    best = accept.best_match(LANGUAGES) if accept else None
    return best if best in LANGUAGES else "nl"


def other_language(lang: str) -> str:
    return "en" if lang == "nl" else "nl"


def request_language() -> str:
    """The language of the page for the current request (``nl`` or ``en``)."""
    return choose_language(request.args.get("lang"), request.cookies.get("lang"), request.accept_languages)


def _lang_url(code: str) -> str:
    """The current page in language ``code``, keeping its other query parameters."""
    return request.path + "?" + urlencode(sorted({**request.args.to_dict(), "lang": code}.items()))


def format_number(value: int | float, lang: str) -> str:
    """A number with the language's digit grouping: 50.000 (nl), 50,000 (en)."""
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "nl" else text


def format_bytes(size: int, lang: str) -> str:
    """A byte size for people: 1,2 MB (nl), 1.2 MB (en); exact bytes stay available elsewhere."""
    value, unit = float(size), "B"
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            break
        value /= 1000
    text = f"{value:.0f}" if unit == "B" else f"{value:.1f}"
    return f"{text.replace('.', ',') if lang == 'nl' else text} {unit}"


def template_globals() -> dict[str, Any]:
    """What every template may use: ``lang``, ``other_lang``, ``lang_url(code)`` and ``t(nl, en)``."""
    lang = request_language()
    return {"lang": lang, "other_lang": other_language(lang), "lang_url": _lang_url,
            "t": lambda nl, en: en if lang == "en" else nl,
            "number": lambda value: format_number(value, lang),
            "bytesize": lambda size: format_bytes(size, lang)}


def remember_language(response: Response) -> Response:
    """A language chosen with ``?lang=`` sticks (cookie) on every page of the site, not only where chosen."""
    chosen = request.args.get("lang")
    if chosen in ("nl", "en"):
        response.set_cookie("lang", chosen, max_age=365 * 24 * 3600, samesite="Lax")
    if response.mimetype == "text/html":
        response.vary.update(("Accept", "Accept-Language", "Cookie"))
    return response


def init_app(app: Flask) -> None:
    """Give every template of the app the language globals; remember a chosen language."""
    app.context_processor(template_globals)
    app.after_request(remember_language)

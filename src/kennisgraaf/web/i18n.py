"""Page language: ``?lang=``, then the ``lang`` cookie, then ``Accept-Language`` (Dutch by default)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Flask, request
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


def template_globals() -> dict[str, Any]:
    """What every template may use: ``lang``, ``other_lang``, ``lang_url(code)`` and ``t(nl, en)``."""
    lang = request_language()
    return {"lang": lang, "other_lang": other_language(lang), "lang_url": _lang_url,
            "t": lambda nl, en: en if lang == "en" else nl}


def init_app(app: Flask) -> None:
    """Give every template of the app the language globals."""
    app.context_processor(template_globals)

"""What every page needs at hand: labels, evidence, quote locations and documents, loaded once.

The dataset behind an app never changes, and these tables are small (a few thousand rows), so
they are read from the store once, through the queries in ``kennisgraaf/site/queries/page-*.rq``, and
kept in memory. Per-resource facts are queried per page (see :mod:`kennisgraaf.site.pages`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from kennisgraaf.site.queries import read_query
from kennisgraaf.store.base import QueryResult, Solution, Store, StoreError, boolean, solutions
from kennisgraaf.vocab import DCTERMS, FOAF, RDFS, SKOS, UriStrategy

# Label properties in order of preference.
LABEL_PROPERTIES = tuple(str(p) for p in (SKOS.prefLabel, RDFS.label, DCTERMS.title, FOAF.name))


#: Helper answers kept per app (membership checks, options): each is a few rows; values are user-chosen.
MEMO_ENTRIES = 4096


class PageQueries:
    """Runs the page queries on a store, with the deployment's PREFIX lines prepended.

    One instance serves one app, hence one dataset version: whole-dataset answers that every page
    shares (class counts, task changes) and helper SELECTs (a canned query's membership check) are
    computed once and kept here (:meth:`select_once`, :meth:`rows_once`); a new build means a new app.
    """

    def __init__(self, store: Store, uris: UriStrategy) -> None:
        self.store = store
        self.prologue = uris.sparql_prologue()
        self._texts: dict[str, str] = {}
        self._memo: OrderedDict[tuple[str, bool], list[Solution]] = OrderedDict()
        self._memo_lock = threading.Lock()

    def text(self, name: str) -> str:
        if name not in self._texts:
            self._texts[name] = self.prologue + read_query(name)
        return self._texts[name]

    def select(self, name: str, bindings: Mapping[str, str] | None = None, *,
               asserted: bool = False) -> list[Solution]:
        """Rows of a SELECT query; ``bindings`` maps variable names to IRIs."""
        result = self.store.query(self.text(name), asserted=asserted, bindings=_iris(bindings))
        return solutions(result)[1]

    def select_whole(self, name: str) -> list[Solution]:
        """Every row of the whole-dataset SELECT ``name``, or a :class:`StoreError` (503) when the store
        cut the answer at its result limit: pages built from a cut index would silently lack labels or
        quotes (at 1M generated triples the labels are 61,450 rows against the default limit of 50,000)."""
        return _whole(self.store.query(self.text(name)), name)

    def select_once(self, name: str, *, asserted: bool = False) -> list[Solution]:
        """Rows of a whole-dataset SELECT (no bindings), computed on first use and then shared; do not mutate."""
        return self.rows_once(self.text(name), asserted=asserted)

    def rows_once(self, text: str, *, asserted: bool = False) -> list[Solution]:
        """Rows of the SELECT ``text`` (PREFIX lines included), kept for the app's life (least recently used
        out past ``MEMO_ENTRIES``). A failure (time limit, busy) is not kept: the next call tries again."""
        key = (text, asserted)
        with self._memo_lock:
            rows = self._memo.get(key)
            if rows is not None:
                self._memo.move_to_end(key)
                return rows
        rows = solutions(self.store.query(text, asserted=asserted))[1]
        with self._memo_lock:
            self._memo[key] = rows
            while len(self._memo) > MEMO_ENTRIES:
                self._memo.popitem(last=False)
        return rows

    def ask(self, name: str, bindings: Mapping[str, str] | None = None) -> bool:
        return boolean(self.store.query(self.text(name), bindings=_iris(bindings)))

    def graph(self, name: str, *, default_graphs: list[str] | None = None,
              accept: str = "application/n-triples") -> bytes:
        """Body of a CONSTRUCT query in ``accept``."""
        return self.store.query(self.text(name), accept=accept, default_graphs=default_graphs).body


def _whole(result: QueryResult, name: str) -> list[Solution]:
    if result.truncated:
        raise StoreError(f"The pages need every row of {name}, which is over this server's result limit; "
                         "raise the settings result_limit and max_result_bytes (docs/pages.md).", 503)
    return solutions(result)[1]


def is_iri(text: str) -> bool:
    """Whether ``text`` is a valid absolute IRI (a path from a URL may hold spaces, quotes, braces …)."""
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def _iris(bindings: Mapping[str, str] | None) -> dict[str, ox.NamedNode] | None:
    return {k: ox.NamedNode(v) for k, v in bindings.items()} if bindings else None


@dataclass(frozen=True)
class Evidence:
    """A quote a node carries, and the document it comes from."""

    node: str
    quote: str
    document: str


@dataclass(frozen=True, order=True)
class Location:
    """Where a quote occurs in a source text (character offsets into the raw text)."""

    start: int
    end: int
    text: str
    quote: str

    @property
    def anchor(self) -> str:
        """The fragment id of the passage on a document page (docs/pages.md)."""
        return f"q-{self.start}-{self.end}"


@dataclass
class PageIndex:
    """Labels, evidence, quote locations and documents of the whole dataset."""

    labels: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)  # iri → property → lang → label
    evidence: dict[str, list[Evidence]] = field(default_factory=lambda: defaultdict(list))
    locations: dict[tuple[str, str], list[Location]] = field(default_factory=lambda: defaultdict(list))
    by_text: dict[str, list[Location]] = field(default_factory=lambda: defaultdict(list))
    document_text: dict[str, str] = field(default_factory=dict)
    document_graph: dict[str, str] = field(default_factory=dict)
    text_file: dict[str, str] = field(default_factory=dict)
    document_date: dict[str, str] = field(default_factory=dict)
    derived_dates: set[str] = field(default_factory=set)  # documents whose date is derived, not printed
    _support: dict[tuple[str, str], list[Evidence]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls, queries: PageQueries) -> PageIndex:
        index = cls()
        for row in queries.select_whole("page-labels.rq"):
            by_prop = index.labels.setdefault(row["resource"].value, {})
            by_prop.setdefault(row["property"].value, {}).setdefault(row["label"].language or "", row["label"].value)
        for row in queries.select_whole("page-evidence.rq"):
            index.evidence[row["node"].value].append(
                Evidence(row["node"].value, row["quote"].value, row["document"].value))
        for row in queries.select_whole("page-locations.rq"):
            loc = Location(int(row["start"].value), int(row["end"].value), row["text"].value, row["quote"].value)
            index.locations[(loc.text, loc.quote)].append(loc)
            index.by_text[loc.text].append(loc)
        for row in queries.select_whole("page-documents.rq"):
            index.document_text[row["document"].value] = row["text"].value
            index.document_graph[row["document"].value] = row["graph"].value
            if "file" in row:
                index.text_file[row["text"].value] = row["file"].value
            if "date" in row:
                index.document_date[row["document"].value] = row["date"].value
                # "1": Virtuoso gives a BIND(true …) back as the integer 1 (docs/stores.md).
                if row.get("derived") is not None and row["derived"].value in ("true", "1"):
                    index.derived_dates.add(row["document"].value)
        for locs in (*index.locations.values(), *index.by_text.values()):
            locs.sort()
        for evs in index.evidence.values():
            for ev in evs:
                if ev.document in index.document_text:
                    index._support[(index.document_text[ev.document], ev.quote)].append(ev)
        for evs in index._support.values():
            evs.sort(key=lambda ev: (ev.node, ev.document))
        return index

    def label(self, iri: str, lang: str) -> str | None:
        """The best label of ``iri`` in ``lang`` (then without language, then any language)."""
        by_prop = self.labels.get(iri)
        if not by_prop:
            return None
        for order in ((lang,), ("",), ("nl", "en")):
            for prop in LABEL_PROPERTIES:
                for code in order:
                    if code in by_prop.get(prop, {}):
                        return by_prop[prop][code]
        return next(iter(next(iter(by_prop.values())).values()))

    def labels_of(self, iri: str) -> dict[str, str]:
        """One label per language (preferred property first)."""
        found: dict[str, str] = {}
        for prop in LABEL_PROPERTIES:
            for code, text in self.labels.get(iri, {}).get(prop, {}).items():
                found.setdefault(code, text)
        return found

    def locations_of(self, evidence: Evidence) -> list[Location]:
        """Where the quote of ``evidence`` occurs in its document's source text."""
        text = self.document_text.get(evidence.document)
        return self.locations.get((text, evidence.quote), []) if text else []

    def supporting(self, location: Location) -> list[Evidence]:
        """The nodes whose quote is this passage, in documents held by the passage's source text."""
        return self._support.get((location.text, location.quote), [])

    def documents(self) -> list[str]:
        """Every document, oldest first (by printed or derived date), then by IRI."""
        return sorted(self.document_text, key=lambda d: (self.document_date.get(d, "9999"), d))

    def documents_of_text(self, text: str) -> list[str]:
        return sorted(d for d, t in self.document_text.items() if t == text)


class IndexCache:
    """Loads the :class:`PageIndex` once per app, on first use, thread-safely."""

    def __init__(self, queries: PageQueries) -> None:
        self.queries = queries
        self._index: PageIndex | None = None
        self._lock = threading.Lock()

    def get(self) -> PageIndex:
        if self._index is None:
            with self._lock:
                if self._index is None:
                    self._index = PageIndex.load(self.queries)
        return self._index

"""The task diagram: per document, which government layer drops, keeps, hands over or takes on
which task. Geometry only; ``templates/resources/_diagram.html`` draws it as inline SVG.

Rows are the document's task changes, one per task (``page-task-changes.rq``); columns are the government
layers (Rijk, provincie, gemeente) and a column for everything else (organisations, policy frames,
or an actor the document does not name). A change with a recipient is drawn as an arrow from the
actor's column to the recipient's; an action that ends a task (afbouwen, beëindigen) as a minus.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from kennisgraaf.site.pages import Labeller, Link
from kennisgraaf.store.base import Solution

# Display order of the layer columns, by the last segment of the layer IRI; others follow.
LAYER_ORDER = ("rijk", "provincie", "gemeente")
# Actions that end a task for the actor (by the last segment of the action IRI).
ENDING_ACTIONS = ("afbouwen", "beeindigen")
OTHER = ""

LABEL_WIDTH = 330
COLUMN_WIDTH = 120
ROW_HEIGHT = 26
HEADER_HEIGHT = 56
MAX_LABEL = 46


@dataclass
class Row:
    """One task change: its label, link, and where its markers go."""

    y: int
    change: Link
    task: Link
    action: Link
    kind: str  # "ends" | "hands-over" | "keeps"
    actor: Link | None
    recipient: Link | None
    actor_x: int | None
    recipient_x: int | None
    short_label: str


@dataclass
class Panel:
    """The diagram of one document."""

    document: Link
    columns: list[tuple[int, str]]  # (x, heading)
    rows: list[Row] = field(default_factory=list)
    width: int = 0
    height: int = 0

    @property
    def slug(self) -> str:
        return self.document.iri.rstrip("/").rsplit("/", 1)[-1]


def _tail(iri: str | None) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1] if iri else ""


def _columns(rows: list[Solution], labeller: Labeller) -> list[tuple[str, str]]:
    """(layer IRI or OTHER, heading) in display order."""
    layers = {r[k].value for r in rows for k in ("actorLayer", "recipientLayer") if k in r}
    ordered = sorted(layers, key=lambda iri: (LAYER_ORDER.index(_tail(iri)) if _tail(iri) in LAYER_ORDER
                                              else len(LAYER_ORDER), iri))
    other = "overig" if labeller.lang == "nl" else "other"
    return [(iri, labeller.label(iri)) for iri in ordered] + [(OTHER, other)]


def panels(rows: list[Solution], labeller: Labeller, documents: list[str] | None = None) -> list[Panel]:
    """One panel per document (in ``documents`` order when given) from task-change rows."""
    columns = _columns(rows, labeller)
    x_of = {iri: LABEL_WIDTH + COLUMN_WIDTH // 2 + i * COLUMN_WIDTH for i, (iri, _) in enumerate(columns)}
    by_doc: dict[str, list[Solution]] = defaultdict(list)
    seen = set()
    for row in rows:  # one row per task of a change (a change may name several tasks)
        key = (row["change"].value, row["task"].value)
        if key not in seen:
            seen.add(key)
            by_doc[row["document"].value].append(row)
    order = documents if documents is not None else sorted(by_doc)
    result = []
    for doc in order:
        if doc not in by_doc:
            continue
        panel = Panel(labeller.link(doc), [(x_of[iri], heading) for iri, heading in columns])
        for i, row in enumerate(by_doc[doc]):
            panel.rows.append(_row(row, HEADER_HEIGHT + i * ROW_HEIGHT, labeller, x_of))
        panel.width = LABEL_WIDTH + COLUMN_WIDTH * len(columns)
        panel.height = HEADER_HEIGHT + ROW_HEIGHT * len(panel.rows) + 8
        result.append(panel)
    return result


def _row(row: Solution, y: int, labeller: Labeller, x_of: dict[str, int]) -> Row:
    actor = row.get("actor")
    recipient = row.get("recipient")
    actor_x = x_of[row["actorLayer"].value] if "actorLayer" in row else (x_of[OTHER] if actor else None)
    recipient_x = None
    if recipient is not None:
        recipient_x = x_of[row["recipientLayer"].value] if "recipientLayer" in row else x_of[OTHER]
    action = row["action"].value
    if _tail(action) in ENDING_ACTIONS:
        kind = "ends"
    elif recipient is not None:
        kind = "hands-over"
    else:
        kind = "keeps"
    task = labeller.link(row["task"].value)
    action_link = labeller.link(action)
    text = f"{task.label} — {action_link.label}"
    short = text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"
    return Row(y, labeller.link(row["change"].value), task, action_link, kind,
               labeller.link(actor.value) if actor else None,
               labeller.link(recipient.value) if recipient else None,
               actor_x, recipient_x, short)

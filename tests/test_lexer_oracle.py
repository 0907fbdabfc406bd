"""The SPARQL tokenizer against rdflib's parser as an oracle, on generated queries (hypothesis).

A small grammar makes SELECT / ASK / CONSTRUCT queries with FROM / FROM NAMED, SERVICE, nested
groups, OPTIONAL, UNION, MINUS, GRAPH, subqueries, FILTERs, IRIs with odd characters (# ' ( ) ; %
and non-ASCII), strings that contain keywords, braces and quotes, and comments in between; and
updates with a prologue. For each, what admission's tokenizer finds must be what rdflib's parse
tree and algebra say: SERVICE or not, the FROM and FROM NAMED graphs, update or query (and which
form), and how deep ``{ }`` and ``( )`` nest. Where a generated query puts ``<`` right after a
value inside parentheses (``FILTER(?o<'>')``), the lexer follows both readings of ``<`` on
purpose (see kennisgraaf.sparql.lexer) and may find more than the one true reading: there, every
finding of rdflib's must be among the lexer's.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, assume, event, given, note, settings
from hypothesis import strategies as st
from pyparsing import ParseBaseException, ParseResults
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from kennisgraaf.sparql.admission import GuardError, Limits, admit, is_update, query_form
from kennisgraaf.sparql.lexer import scan

NO_LIMITS = Limits(max_bytes=10**9, max_depth=10**6, max_operations=10**9)
EX = "http://example.org/ns#"

# Characters an IRIREF may hold besides letters, including the ones that start strings and comments.
IRI_CHARS = st.sampled_from(list("az09#'()[];,=&?$!*+@~%-._/:") + ["é", "ß", "€", "😀"])
STRING_PIECES = st.sampled_from([
    "SERVICE <http://evil.example/> {", "FROM NAMED <http://example.org/g>", "FROM <http://x/>", "INSERT DATA {",
    "# not a comment", "{ { (( [[", "}", ")", "'", '"', "<", ">", "\\", "\n", "é", "WHERE {", "x", "' ; DROP ALL",
])
COMMENT_PIECES = st.sampled_from(["SERVICE <http://x/> {", "FROM <http://g/>", "{ { {", "'", '"""', "<", "é", ""])


@dataclass
class Generated:
    text: str
    ambiguous: bool = False  # a '<' right after a value inside ( ): the lexer follows both readings


@st.composite
def blank(draw) -> str:
    """Whitespace, sometimes with a comment in it."""
    space = draw(st.sampled_from([" ", "  ", "\n", "\t", " \n "]))
    if draw(st.integers(0, 5)) == 0:
        return f"{space}# {draw(COMMENT_PIECES)}\n"
    return space


@st.composite
def iri(draw) -> str:
    path = draw(st.text(IRI_CHARS, max_size=12))
    return f"<http://example.org/{path}>"


@st.composite
def term(draw) -> str:
    return draw(st.one_of(iri(), st.sampled_from(["ex:a", "ex:b-c", "ex:d.e", "?s", "?o", "$x"])))


@st.composite
def string(draw) -> str:
    content = "".join(draw(st.lists(STRING_PIECES, max_size=4)))
    quote = draw(st.sampled_from(["'", '"', "'''", '"""']))
    escaped = content.replace("\\", "\\\\").replace(quote[0], "\\" + quote[0])
    if len(quote) == 1:
        escaped = escaped.replace("\n", "\\n")
    return quote + escaped + quote


@st.composite
def triple(draw) -> str:
    obj = draw(st.one_of(term(), string(), st.sampled_from(["3", "1.5", "true"])))
    return f"{draw(term())} {draw(st.sampled_from(['ex:p', '?p', 'a']))} {obj} ."


@st.composite
def filter_(draw, out: Generated) -> str:
    form = draw(st.integers(0, 6)) % 4 if draw(st.booleans()) else draw(st.integers(0, 2))  # both readings: rarer
    if form == 0:
        return f"FILTER(?o < {draw(st.sampled_from(['3', '?s']))})"
    if form == 1:
        return f"FILTER(?o = {draw(iri())})"
    if form == 2:
        return f"FILTER(?o != {draw(string())})"
    out.ambiguous = True
    return f"FILTER(?o<{draw(string())})"


@st.composite
def group(draw, depth: int, out: Generated) -> str:
    """A group graph pattern ``{ … }`` of at most ``depth`` levels."""
    parts = []
    for _ in range(draw(st.integers(1, 3))):
        choices = ["triple", "filter"] + (["group", "optional", "union", "minus", "graph", "service", "subquery"]
                                          if depth > 1 else [])
        kind = draw(st.sampled_from(choices))
        if kind == "triple":
            parts.append(draw(triple()))
        elif kind == "filter":
            parts.append(draw(filter_(out)))
        elif kind == "group":
            parts.append(draw(group(depth - 1, out)))
        elif kind == "optional":
            parts.append("OPTIONAL " + draw(group(depth - 1, out)))
        elif kind == "union":
            parts.append(draw(group(depth - 1, out)) + " UNION " + draw(group(depth - 1, out)))
        elif kind == "minus":
            parts.append("MINUS " + draw(group(depth - 1, out)))
        elif kind == "graph":
            parts.append(f"GRAPH {draw(st.sampled_from(['?g', 'ex:g']))} " + draw(group(depth - 1, out)))
        elif kind == "service":
            target = draw(st.one_of(iri(), st.just("?endpoint")))
            silent = draw(st.sampled_from(["", "SILENT ", "silent "]))
            parts.append(f"{draw(st.sampled_from(['SERVICE', 'service', 'Service']))} {silent}{target} "
                         + draw(group(depth - 1, out)))
        else:
            parts.append("{ SELECT ?s WHERE " + draw(group(depth - 2, out)) + " }" if depth > 2
                         else draw(group(depth - 1, out)))
    return "{" + draw(blank()) + draw(blank()).join(parts) + draw(blank()) + "}"


@st.composite
def prologue(draw) -> str:
    lines = [f"PREFIX ex: <{EX}>"]
    if draw(st.booleans()):
        lines.append(f"PREFIX odd: {draw(iri())}")
    return draw(blank()).join(lines) + draw(blank())


@st.composite
def query(draw) -> Generated:
    out = Generated("")
    form = draw(st.sampled_from(["SELECT * ", "select ?s ", "ASK ", "CONSTRUCT { ?s ex:p ?o } "]))
    dataset = "".join(
        f"{draw(st.sampled_from(['FROM', 'from', 'FROM NAMED', 'from named']))} "
        f"{draw(st.one_of(iri(), st.sampled_from(['ex:g1', 'ex:g2'])))}{draw(blank())}"
        for _ in range(draw(st.integers(0, 3)))
    )
    where = draw(st.sampled_from(["WHERE ", "where ", ""]))
    out.text = draw(prologue()) + form + dataset + where + draw(group(draw(st.integers(1, 3)), out))
    return out


@st.composite
def update(draw) -> str:
    operation = draw(st.sampled_from([
        "INSERT DATA { ex:a ex:p {s} }", "delete data { ex:a ex:p {s} }", "DELETE WHERE { ?s ex:p {s} }",
        "CLEAR ALL", "DROP SILENT GRAPH {i}", "LOAD {i}", "CREATE GRAPH {i}", "ADD DEFAULT TO {i}",
        "WITH {i} DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "MOVE {i} TO DEFAULT", "COPY DEFAULT TO {i}",
    ]))
    return draw(prologue()) + operation.replace("{s}", draw(string())).replace("{i}", draw(iri()))


# --- what rdflib says -------------------------------------------------------------------------------

def _nodes(node, groups: int = 0):
    """Every CompValue of a parse tree or algebra, with the number of { } groups around it."""
    if isinstance(node, CompValue):
        groups += node.name in ("GroupGraphPatternSub", "SubSelect")
        yield node, groups
        for value in node.values():
            yield from _nodes(value, groups)
    elif isinstance(node, list | tuple | ParseResults):
        for value in node:
            yield from _nodes(value, groups)


def _depth(tree) -> int:
    """How deep { } and ( ) nest: each group is one level, a FILTER's parentheses one more."""
    return max(groups + (node.name == "Filter") for node, groups in _nodes(tree))


def _oracle(text: str):
    """What rdflib reads in ``text``; None when it cannot (its parser is recursive: deep nesting overflows it)."""
    try:
        tree = parseQuery(text)
        depth = _depth(tree)  # before translateQuery, which rewrites the tree in place
        algebra = translateQuery(tree).algebra
    except (ParseBaseException, RecursionError):
        return None
    clauses = algebra.get("datasetClause") or []
    return {
        "service": any(node.name == "ServiceGraphPattern" for node, _ in _nodes(algebra)),
        "from": list(dict.fromkeys(str(c["default"]) for c in clauses if "default" in c)),
        "from_named": list(dict.fromkeys(str(c["named"]) for c in clauses if "named" in c)),
        "form": {"SelectQuery": "select", "AskQuery": "ask", "ConstructQuery": "graph"}[algebra.name],
        "depth": depth,
    }


# --- the property -------------------------------------------------------------------------------------

@settings(max_examples=160, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(query())
def test_the_tokenizer_finds_what_rdflib_parses_in_a_query(generated: Generated):
    text = generated.text
    note(text)
    expected = _oracle(text)
    # rdflib refuses a few valid queries (it cuts a SERVICE pattern's text out again by itself); the
    # generator makes valid SPARQL, so those have nothing to compare against.
    assume(expected is not None)
    event(f"SERVICE: {expected['service']}, FROM: {bool(expected['from'] or expected['from_named'])}, "
          f"depth {expected['depth']}, both readings of '<': {generated.ambiguous}")
    assert not is_update(text)
    assert query_form(text) == expected["form"]
    found = scan(text, NO_LIMITS.max_depth, NO_LIMITS.max_operations)
    try:
        admitted = admit(text, limits=NO_LIMITS)
    except GuardError as error:
        assert found.service and "SERVICE" in error.message
        admitted = None
    if not generated.ambiguous:
        assert found.service == expected["service"]
        assert found.depth == expected["depth"]
    else:  # the lexer may see more than the one true reading, never less
        assert found.service or not expected["service"]
        assert found.depth >= expected["depth"]
    if admitted is not None:
        assert admitted.form == expected["form"]
        if generated.ambiguous:
            assert set(expected["from"]) <= set(admitted.from_graphs)
            assert set(expected["from_named"]) <= set(admitted.from_named_graphs)
        else:
            assert admitted.from_graphs == expected["from"]
            assert admitted.from_named_graphs == expected["from_named"]


@settings(max_examples=40, deadline=None)
@given(update())
def test_every_update_rdflib_parses_is_refused_as_an_update(text: str):
    parseUpdate(text)  # the generator writes valid updates: rdflib must read them
    try:
        parseQuery(text)
        raise AssertionError("rdflib also parsed an update as a query")
    except ParseBaseException:
        pass
    assert is_update(text)
    try:
        admit(text)
        raise AssertionError("an update was admitted")
    except GuardError as error:
        assert error.status == 403

"""The canned-query catalogue: strict headers, typed parameters bound as RDF terms, the CLI face."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kennisgraaf.build.dataset import BuiltDataset
from kennisgraaf.cli import main
from kennisgraaf.config import Settings
from kennisgraaf.site.openapi import openapi_parameters
from kennisgraaf.sparql.catalogue import (
    ANY,
    CatalogueError,
    ParameterError,
    UnknownQuery,
    bind_query,
    values_block,
)
from kennisgraaf.sparql.lexer import outer_where_group
from kennisgraaf.sparql.queryfiles import load_catalogue, read_query
from kennisgraaf.vocab import UriStrategy

URIS = UriStrategy()
BASE = URIS.base
KG = BASE + "def#"
XSD = "http://www.w3.org/2001/XMLSchema#"
INJECTIONS = [
    '" } } SELECT * WHERE { ?s ?p ?o } #',
    "x' . ?s ?p ?o . FILTER('1",
    "id/provincie/drenthe> . ?s ?p ?o . <x",
    "}} DROP ALL #",
    "a\nb } #",
    "\\u0022 } #",
    "\\u003E",
    "#",
    "{",
    "<>",
    "'''\"\"\"",
]

GOOD = """\
#+ title: {nl: Een vraag, en: A question}
#+ description: {nl: Beschrijving, en: Description}
#+ tags: [test]
#+ parameters:
#+   provincie:
#+     type: iri
#+     class: kg:PublicAuthority
#+     default: id/provincie/drenthe
#+     label: {nl: Provincie, en: Province}
#+     description: {nl: de provincie, en: the province}
#+   jaar:
#+     type: literal
#+     datatype: xsd:integer
#+     optional: true
#+     label: {nl: Jaar, en: Year}
#+     description: {nl: een jaar, en: a year}
#+   zoek:
#+     type: literal
#+     datatype: xsd:string
#+     default: kennis
#+     label: {nl: Zoek, en: Search}
#+     description: {nl: zoekterm, en: search term}
#+   handeling:
#+     type: enum
#+     values: {afbouwen: id/handeling/afbouwen, overdragen: id/handeling/overdragen}
#+     default: afbouwen
#+     label: {nl: Handeling, en: Action}
#+     description: {nl: de handeling, en: the action}
#+ example: {provincie: id/provincie/utrecht, jaar: 2010}
# A comment with a brace { and the word WHERE, which the parser must skip.
SELECT (COUNT(*) AS ?n) ("}WHERE{" AS ?s)
WHERE {
  ?x kg:actor ?provincie ; kg:action ?handeling ; kg:year ?y ; kg:text ?t .
  FILTER(!BOUND(?jaar) || ?y = ?jaar)
  FILTER(CONTAINS(?t, ?zoek))
}
"""


def write(tmp_path: Path, text: str, name: str = "vraag") -> Path:
    path = tmp_path / f"{name}.rq"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def shipped():
    return load_catalogue(URIS)


@pytest.fixture
def good(tmp_path):
    return read_query(write(tmp_path, GOOD), URIS)


# -- the shipped catalogue -------------------------------------------------------------------


def test_the_catalogue_has_between_15_and_30_queries(shipped):
    assert 15 <= len(shipped) <= 30


def test_every_title_and_description_is_translated_not_copied(shipped):
    # The loader already requires non-empty nl and en texts; a copied text passes it.
    for query in shipped:
        assert query.title["nl"] != query.title["en"], query.name
        assert query.description["nl"] != query.description["en"], query.name


def test_no_query_file_hard_codes_the_base_iri(shipped):
    for query in shipped:
        assert "w3id.org" not in query.path.read_text(encoding="utf-8"), query.name
        assert not any(line.upper().startswith("PREFIX") for line in query.body.splitlines()), query.name


def test_the_catalogue_follows_the_deployment_base():
    other = UriStrategy("https://example.test/kg/")
    query = load_catalogue(other).get("taken-provincie")
    bound = bind_query(query, {}, other)
    assert "<https://example.test/kg/id/provincie/drenthe>" in bound.text
    assert "PREFIX kg: <https://example.test/kg/def#>" in bound.text
    assert query.parameter("provincie").cls == "https://example.test/kg/def#PublicAuthority"


def test_every_query_is_documented(shipped):
    docs = (Path(__file__).resolve().parent.parent / "docs" / "queries.md").read_text(encoding="utf-8")
    for query in shipped:
        assert f"| `{query.name}` |" in docs, query.name


def test_at_least_one_query_depends_on_inference_and_says_so(shipped):
    inferred = [q.name for q in shipped if q.inference]
    assert "documenten-per-wet" in inferred
    for name in inferred:
        assert "OWL-RL" in shipped.get(name).inference["en"]


def test_unknown_query_lists_the_catalogue(shipped):
    with pytest.raises(UnknownQuery) as caught:
        shipped.get("bestaat-niet")
    assert caught.value.available == [q.name for q in shipped]
    assert "taken-provincie" in str(caught.value)


# -- headers that do not parse fail loudly ----------------------------------------------------


@pytest.mark.parametrize(("change", "problem"), [
    (lambda t: t.replace("#+ tags: [test]", "#+ tags: [test]]"), ":3: header is not valid YAML"),
    (lambda t: t.replace("#+ tags: [test]", "#+ tags: [test]\n#+ colour: red"), "unknown header key"),
    (lambda t: t.replace("en: A question", "fr: Une question"), "'title' must have non-empty 'nl' and 'en'"),
    (lambda t: t.replace("type: enum", "type: list"), "parameter 'handeling': needs 'type'"),
    (lambda t: t.replace("class: kg:PublicAuthority", "class: Thing"), "neither a known CURIE"),
    (lambda t: t.replace("datatype: xsd:integer", "datatype: xsd:time"), "datatype must be one of"),
    (lambda t: t.replace("default: afbouwen", "default: slopen"), "defaults: parameter 'handeling'"),
    (lambda t: t.replace("jaar: 2010}", "jaar: twintig}"), "example: parameter 'jaar'"),
    (lambda t: t.replace("jaar: 2010}", "jaar: 2010, kleur: rood}"), "example: parameter 'kleur': unknown"),
    (lambda t: t.replace("FILTER(CONTAINS(?t, ?zoek))", ""), "parameter 'zoek' is not used"),
    # Only in a comment or a string is not used: the tokenizer reads variables, not text.
    (lambda t: t.replace("FILTER(CONTAINS(?t, ?zoek))", "# FILTER(CONTAINS(?t, ?zoek))"),
     "parameter 'zoek' is not used"),
    (lambda t: t.replace("FILTER(CONTAINS(?t, ?zoek))", "FILTER(CONTAINS(?t, '?zoek'))"),
     "parameter 'zoek' is not used"),
    (lambda t: t.replace("WHERE {\n  ?x", "{\n  ?x"), "needs an explicit top-level 'WHERE {'"),
    (lambda t: t.replace("COUNT(*)", "COUNT(*"), "the query does not parse"),
    (lambda t: t.replace("#+   zoek:", "#+   format:"), "not a usable name"),
    (lambda t: "SELECT * WHERE { ?s ?p ?o }\n", ":1: no '#+' header"),
])
def test_a_bad_header_fails_naming_the_file_and_the_problem(tmp_path, change, problem):
    path = write(tmp_path, change(GOOD))
    with pytest.raises(CatalogueError) as caught:
        read_query(path, URIS)
    assert str(path) in str(caught.value)
    assert problem in str(caught.value)


def test_loading_a_folder_fails_on_its_first_bad_file(tmp_path):
    write(tmp_path, GOOD, "a-goed")
    write(tmp_path, GOOD.replace("#+ tags: [test]", "#+ tags: [test"), "b-kapot")
    with pytest.raises(CatalogueError, match="b-kapot.rq"):
        load_catalogue(URIS, tmp_path)


def test_the_header_gives_name_kind_and_parameters(good):
    assert good.name == "vraag" and good.kind == "select"
    assert [p.name for p in good.parameters] == ["provincie", "jaar", "zoek", "handeling"]
    assert good.parameter("provincie").cls == KG + "PublicAuthority"
    assert good.parameter("jaar").datatype == XSD + "integer" and good.parameter("jaar").optional
    assert good.example == {"provincie": "id/provincie/utrecht", "jaar": "2010"}


def test_the_where_group_is_found_past_comments_strings_and_iris():
    text = '# WHERE {\nSELECT ("{" AS ?a) (<urn:x#WHERE> AS ?b) WHERE { ?s ?p "WHERE {" }'
    assert text[outer_where_group(text) - 1:].startswith("{ ?s")
    assert outer_where_group("SELECT * FROM kg:WHERE { ?s ?p ?o }") is None  # a local name is not the keyword
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert construct[outer_where_group(construct):].startswith(" ?s ?p ?o }") and outer_where_group(construct) > 20


# -- parameters become RDF terms ---------------------------------------------------------------


def test_defaults_fill_the_gaps_and_values_become_terms(good):
    bound = bind_query(good, {"jaar": "2012", "zoek": "rol"}, URIS)
    assert bound.values == {"provincie": "id/provincie/drenthe", "jaar": "2012", "zoek": "rol", "handeling": "afbouwen"}
    assert bound.terms["provincie"] == ox.NamedNode(BASE + "id/provincie/drenthe")
    assert bound.terms["jaar"] == ox.Literal("2012", datatype=ox.NamedNode(XSD + "integer"))
    assert bound.terms["zoek"] == ox.Literal("rol")
    assert bound.terms["handeling"] == ox.NamedNode(BASE + "id/handeling/afbouwen")


@pytest.mark.parametrize("given", ["https://w3id.org/kennisgraaf/id/provincie/drenthe", "id:provincie/drenthe",
                                   "/id/provincie/drenthe", " id/provincie/drenthe "])
def test_an_iri_may_be_absolute_a_curie_or_relative(good, given):
    term = bind_query(good, {"provincie": given}, URIS).terms["provincie"]
    assert term == ox.NamedNode(BASE + "id/provincie/drenthe")


def test_an_optional_parameter_left_open_is_not_bound(good):
    for given in ({}, {"jaar": ANY}):
        bound = bind_query(good, given, URIS)
        assert bound.terms["jaar"] is None
        assert "?jaar" not in bound.text.split("VALUES", 1)[1].split("}", 1)[0]


@pytest.mark.parametrize(("given", "named", "allowed"), [
    ({"kleur": "rood"}, "kleur", "takes provincie, jaar, zoek, handeling"),
    ({"handeling": "slopen"}, "handeling", "use one of 'afbouwen', 'overdragen'"),
    ({"jaar": "twintig"}, "jaar", "not a valid <http://www.w3.org/2001/XMLSchema#integer>"),
    ({"jaar": "2010.5"}, "jaar", "not a valid"),
    ({"provincie": "id/provincie/drenthe extra"}, "provincie", "not a valid IRI"),
    ({"provincie": "*"}, "provincie", "only allowed for optional parameters"),
    ({"zoek": "x" * 501}, "zoek", "longer than 500 characters"),
])
def test_a_bad_value_names_the_parameter_and_what_is_allowed(good, given, named, allowed):
    with pytest.raises(ParameterError) as caught:
        bind_query(good, given, URIS)
    assert caught.value.parameter == named
    assert f"parameter {named!r}" in str(caught.value) and allowed in str(caught.value)


def test_dates_are_checked_as_dates(tmp_path):
    text = GOOD.replace("datatype: xsd:integer", "datatype: xsd:date").replace("jaar: 2010}", "jaar: 2010-01-14}")
    query = read_query(write(tmp_path, text), URIS)
    assert bind_query(query, {"jaar": "2010-01-14"}, URIS).terms["jaar"].datatype == ox.NamedNode(XSD + "date")
    with pytest.raises(ParameterError, match="jaar"):
        bind_query(query, {"jaar": "2010-02-30"}, URIS)


@pytest.mark.parametrize("attack", INJECTIONS)
def test_injection_attempts_are_refused_or_bound_as_one_literal(good, attack):
    for name in ("handeling", "jaar"):
        with pytest.raises(ParameterError):
            bind_query(good, {name: attack}, URIS)
    try:  # an IRI is refused, or (like '#') it is one IRI that the membership check then refuses
        iri = bind_query(good, {"provincie": attack}, URIS).terms["provincie"]
        assert iri == ox.NamedNode(BASE + attack.strip().lstrip("/"))
    except ParameterError as exc:
        assert exc.parameter == "provincie"
    bound = bind_query(good, {"zoek": attack}, URIS)
    assert bound.terms["zoek"] == ox.Literal(attack)
    # The query still has the shape of the file: one VALUES row, the same groups, and it parses.
    assert bound.text.count("VALUES") == 1
    assert isinstance(ox.Store().query(bound.text), ox.QuerySolutions)
    block = values_block({"zoek": bound.terms["zoek"]})
    solutions = list(ox.Store().query(f"SELECT * WHERE {{ {block} }}"))
    assert len(solutions) == 1 and solutions[0]["zoek"] == ox.Literal(attack)


def test_why_values_and_not_substitutions():
    """pyoxigraph only substitutes projected variables; an aggregate query does not project its parameter."""
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?s = ?x) }"
    with pytest.raises(Exception, match="projection"):
        ox.Store().query(text, substitutions={ox.Variable("x"): ox.NamedNode("urn:a")})
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:p"), ox.Literal("1")))
    bound = text.replace("WHERE {", "WHERE { " + values_block({"x": ox.NamedNode("urn:a")}), 1)
    assert list(store.query(bound))[0]["n"].value == "1"


def test_class_membership_is_checked_with_a_query_and_lists_what_is_allowed(shipped):
    query = shipped.get("taken-provincie")
    bound = shipped.bind(query, {"provincie": "id/provincie/atlantis"})
    seen = []

    def select(text: str) -> list[dict[str, str]]:
        seen.append(text)
        if "FILTER NOT EXISTS" in text:
            return [{"parameter": "provincie"}]
        return [{"value": BASE + "id/provincie/drenthe"}, {"value": BASE + "id/provincie/utrecht"}]

    with pytest.raises(ParameterError) as caught:
        shipped.check(bound, select)
    assert caught.value.parameter == "provincie"
    assert "allowed: id/provincie/drenthe, id/provincie/utrecht" in str(caught.value)
    assert f"<{BASE}id/provincie/atlantis>" in seen[0] and f"<{KG}PublicAuthority>" in seen[0]


def test_openapi_parameters_carry_types_defaults_and_both_languages(good):
    params = {p["name"]: p for p in openapi_parameters(good, {"provincie": ["id/provincie/drenthe"]})}
    # "" (an empty form field) means the default, so it is a documented value where there is one.
    assert params["provincie"]["schema"] == {"type": "string", "enum": ["id/provincie/drenthe", ""],
                                             "default": "id/provincie/drenthe"}
    assert params["handeling"]["schema"]["enum"] == ["afbouwen", "overdragen", ""]
    assert params["jaar"]["schema"]["pattern"].endswith("|\\*|)$") and not params["jaar"]["required"]
    assert params["zoek"]["schema"]["maxLength"] == 500
    assert "de provincie" in params["provincie"]["description"] and "the province" in params["provincie"]["description"]


# -- the command line --------------------------------------------------------------------------


def _cli(settings: Settings, *args: str):
    return CliRunner().invoke(main, ["--cache-dir", str(settings.cache_path), *args], catch_exceptions=False)


def test_cli_lists_the_catalogue(settings, shipped):
    result = _cli(settings, "queries")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.output.splitlines() if line and not line.startswith(" ")]
    assert names == [q.name for q in shipped]


def test_cli_runs_a_canned_query_with_parameters(settings, built: BuiltDataset):
    result = _cli(settings, "query", "--name", "taken-provincie", "--param", "handeling=overdragen",
                  "--format", "json")
    assert result.exit_code == 0, result.output
    tasks = {row["taak"].rsplit("/", 1)[1] for row in json.loads(result.output)}
    assert tasks == {"taken-mijn-ontwikkeling", "combineren-arbeid-en-zorg", "tijdenbeleid"}


@pytest.mark.parametrize(("args", "message"), [
    (("--name", "bestaat-niet"), "no canned query named 'bestaat-niet'"),
    (("--name", "taken-provincie", "--param", "handeling=slopen"), "parameter 'handeling'"),
    (("--name", "taken-provincie", "--param", "provincie=id/provincie/atlantis"), "is not a <"),
    (("--name", "taken-provincie", "--param", "handeling"), "--param takes KEY=VALUE"),
])
def test_cli_refuses_bad_names_and_values_with_exit_2(settings, built, args, message):
    result = _cli(settings, "query", *args)
    assert result.exit_code == 2
    assert message in result.output

"""Issue 16, patterns 3 and 4: typed events and structured time; one way to the responsible party.

Events get a kg:eventType from id/begrippenkader/gebeurtenissoorten; claims get kg:timeAt,
kg:timeFrom, kg:timeUntil, kg:timeAfter or kg:plannedTime (xsd:date / gYearMonth / gYear) beside
kg:timing, the words of the text. kg:responsible always names an agent with a kg:layer; OWL-RL adds
kg:responsibleLayer.
"""

from __future__ import annotations

BASE = "BASE <https://w3id.org/kennisgraaf/>\n"
XSD = "http://www.w3.org/2001/XMLSchema#"


def tail(iri: str) -> str:
    return iri.rsplit("/", 1)[1]


# -- events ------------------------------------------------------------------------------------


def test_every_event_has_a_type_and_the_timeline_by_type(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?e ?type ?date WHERE {
          { ?e a kg:Event } UNION { ?e a kg:RenamingEvent }
          ?e kg:eventType ?type ; dcterms:date ?date .
        } ORDER BY ?date""")
    assert [(tail(r["e"]), tail(r["type"]), r["date"]) for r in rows] == [
        ("ujc-werkconferentie", "conferentie", "2009-10-09"),                       # '9 oktober jl.' (year derived)
        ("statenvergadering-drenthe-2009-12-16", "statenvergadering", "2009-12-16"),  # '16 december 2009'
        ("lokale-verkiezingen-2010", "verkiezing", "2010"),                          # 'voorjaar 2010'
        ("statenvergadering-drenthe-2010-02-03", "statenvergadering", "2010-02-03"),  # '3 februari 2010'
        ("provinciale-statenverkiezingen-2015", "verkiezing", "2015-03-18"),         # 'Op 18 maart' (year derived)
        ("mogroep-wordt-sociaal-werk-nederland", "naamswijziging", "2016-06-01"),    # reference fact
        ("kabinetsformatie-2017", "kabinetsformatie", "2017"),                       # 'nog in volle gang' (derived)
        ("gemeenteraadsverkiezingen-2018", "verkiezing", "2018-03-21"),              # '21 maart 2018'
    ]


def test_elections_across_documents_in_one_query(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?e ?doc WHERE { ?e kg:eventType <id/gebeurtenissoort/verkiezing> ; dcterms:source ?doc }""")
    assert {(tail(r["e"]), tail(r["doc"])) for r in rows} == {
        ("lokale-verkiezingen-2010", "alleato-2010-kerntaken"),
        ("provinciale-statenverkiezingen-2015", "mogroep-2015-oproep"),
        ("gemeenteraadsverkiezingen-2018", "swn-2017-gemeenten"),
    }


def test_derived_event_dates_stay_marked(kg) -> None:
    """The years of '9 oktober jl.', 'Op 18 maart' and the formation are derived: each says so."""
    rows = kg.select(BASE + """
        SELECT ?e WHERE {
          ?e a kg:Event ; skos:editorialNote ?n . FILTER(lang(?n) = "en" && CONTAINS(?n, "derived"))
        }""")
    assert {tail(r["e"]) for r in rows} >= {"ujc-werkconferentie", "provinciale-statenverkiezingen-2015",
                                            "kabinetsformatie-2017"}


# -- structured time (001 Drenthe, 000 MOgroep) --------------------------------------------------


def times(kg, document: str) -> dict[str, dict[str, tuple[str, str]]]:
    rows = kg.select(BASE + f"""
        SELECT ?c ?p ?v (DATATYPE(?v) AS ?dt) WHERE {{
          ?c kg:statedIn <id/document/{document}> ; ?p ?v ; kg:timing ?timing .
          VALUES ?p {{ kg:timeAt kg:timeFrom kg:timeUntil kg:timeAfter kg:plannedTime }}
        }}""")
    out: dict[str, dict[str, tuple[str, str]]] = {}
    for r in rows:
        out.setdefault(tail(r["c"]).removeprefix(document + "-"), {})[r["p"].rsplit("#", 1)[1]] = (
            r["v"], r["dt"].removeprefix(XSD))
    return out


def test_drenthe_timings_as_dates_and_intervals(kg) -> None:
    """'uiterlijk 15 januari 2010'; 'na 2012'; 'De sociale allianties lopen door tot en met 2012'; 'in 2011
    een proces gestart'; 'na 2013'; 'na uw besluitvorming op PNS d.d. 3 februari 2010'; 'in de loop van
    2010'; the four steps: planned 'in 2008' / 'in 2009' / 'in 2009' / 'in 2010', and 'in februari 2009
    door uw staten goedgekeurd', 'in het vierde kwartaal 2009 aan uw staten toegezonden', 'in het
    najaar 2010 opgeleverd'."""
    found = times(kg, "drenthe-2010-pns")
    assert found == {
        "toezegging": {"timeUntil": ("2010-01-15", "date")},
        "suggestie-cdk": {"timeAt": ("2009-12-16", "date")},
        "instellingen-op-eigen-benen": {"timeAfter": ("2012", "gYear")},
        "sociale-allianties": {"timeUntil": ("2012", "gYear")},
        "proces-2011": {"timeFrom": ("2011", "gYear")},
        "sociaal-na-2013": {"timeAfter": ("2013", "gYear")},
        "gesprekken-gemeenten": {"timeAfter": ("2010-02-03", "date")},
        "implementatievoorstellen": {"timeAt": ("2010", "gYear")},
        "hoofdlijn-vervolgstappen": {"timeAt": ("2009", "gYear")},
        "stap-uitvoeringsplan": {"plannedTime": ("2008", "gYear"), "timeAt": ("2009-02", "gYearMonth")},
        "stap-visiedocument": {"plannedTime": ("2009", "gYear"), "timeAt": ("2009", "gYear")},
        "stap-plan-afbouw-taken": {"plannedTime": ("2009", "gYear"), "timeAt": ("2010", "gYear")},
        "stap-uitvoering-afbouw": {"plannedTime": ("2010", "gYear")},
    }


def test_drenthe_steps_that_came_later_than_planned(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?step WHERE {
          <id/opsomming/drenthe-2010-pns-vervolgstappen> kg:hasItem/kg:itemClaim ?step .
          ?step kg:plannedTime ?planned ; kg:timeAt ?actual .
          FILTER(YEAR(?actual) > YEAR(?planned))
        }""")
    assert {tail(r["step"]) for r in rows} == {"drenthe-2010-pns-stap-uitvoeringsplan",
                                               "drenthe-2010-pns-stap-plan-afbouw-taken"}


def test_mogroep_2015_responsibilities_since(kg) -> None:
    """'Sinds 2007 hebben gemeenten steeds meer de lead gekregen'; 'Sinds dit jaar ligt ook de
    verantwoordelijkheid …' (this year = 2015, derived like the call's own date)."""
    assert times(kg, "mogroep-2015-oproep") == {
        "wmo-2007-gemeenten": {"timeFrom": ("2007", "gYear")},
        "wmo-2015-kwetsbare-groepen": {"timeFrom": ("2015", "gYear")},
    }
    assert kg.ask(BASE + """ASK { <id/verantwoordelijkheid/mogroep-2015-oproep-wmo-2015-kwetsbare-groepen>
        skos:editorialNote ?n . FILTER(CONTAINS(?n, "'since this year' is 2015")) }""")


def test_no_structured_time_where_the_text_gives_none(kg) -> None:
    """'eind kabinetsperiode', 'gedurende de looptijd van …', 'na de lokale verkiezingen voorjaar 2010'
    and 'vindt plaats' stay text only."""
    rows = kg.select(BASE + """
        SELECT ?c WHERE {
          ?c kg:timing ?t . FILTER(CONTAINS(?t, "kabinetsperiode") || CONTAINS(?t, "looptijd")
                                 || CONTAINS(?t, "na de lokale verkiezingen") || CONTAINS(?t, "vindt plaats"))
          ?c kg:timeAt|kg:timeFrom|kg:timeUntil|kg:timeAfter|kg:plannedTime ?v .
        }""")
    assert rows == []


def test_alleato_swn_and_mogroep_2014_have_no_structured_claim_times(kg) -> None:
    for document in ("alleato-2010-kerntaken", "swn-2017-gemeenten", "mogroep-2014-transformeren"):
        assert times(kg, document) == {}


# -- one way to the responsible party -----------------------------------------------------------


def test_every_responsible_party_is_an_agent_with_a_layer(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?r ?who WHERE {
          ?r kg:responsible ?who .
          FILTER NOT EXISTS { ?who a kg:Agent ; kg:layer ?layer }
        }""")
    assert rows == []
    assert not kg.ask(BASE + "ASK { ?x kg:responsible|kg:roleFor|kg:addressedTo|kg:actor|kg:recipient|kg:performedBy"
                             "|kg:stanceFor ?l . ?l a kg:GovernmentLayer }", asserted=True)


def test_responsible_layer_and_body_per_document(kg) -> None:
    """One pattern: kg:responsible → the agent; kg:responsibleLayer (inferred) → its layer;
    kg:bodyOf → the authority of a body. 003: 'Provinciale Staten onderscheidenlijk Gedeputeerde Staten
    zorg dragen voor … het steunfunctiewerk'; 001: 'Uitvoering van de Wet op de jeugdzorg is een
    wettelijke taak' (Drenthe); 002/004: 'Gemeenten worden verantwoordelijk …'."""
    rows = kg.select(BASE + """
        SELECT ?doc ?who ?layer ?authority WHERE {
          ?r a kg:LegalResponsibility ; kg:statedIn ?doc ; kg:responsible ?who ; kg:responsibleLayer ?layer .
          OPTIONAL { ?who kg:bodyOf ?authority }
        }""")
    found = {(tail(r["doc"]), tail(r["who"]), tail(r["layer"]), tail(r.get("authority", "-/-"))) for r in rows}
    assert found == {
        ("alleato-2010-kerntaken", "gs-utrecht", "provincie", "utrecht"),
        ("alleato-2010-kerntaken", "ps-utrecht", "provincie", "utrecht"),
        ("alleato-2010-kerntaken", "provincies", "provincie", "-"),
        ("drenthe-2010-pns", "drenthe", "provincie", "-"),
        ("mogroep-2014-transformeren", "gemeenten", "gemeente", "-"),
        ("mogroep-2015-oproep", "gemeenten", "gemeente", "-"),
        ("swn-2017-gemeenten", "gemeenten", "gemeente", "-"),
    }


def test_the_canned_query_now_finds_drenthes_responsibility(kg) -> None:
    """Before, Drenthe's responsible was the layer concept itself and fell out of
    kg:responsible/kg:bodyOf?/kg:layer; now every responsibility has a layer through one path."""
    rows = kg.select(BASE + """
        SELECT ?r WHERE {
          ?r a kg:LegalResponsibility . FILTER NOT EXISTS { ?r kg:responsible/kg:bodyOf?/kg:layer ?l }
        }""")
    assert rows == []

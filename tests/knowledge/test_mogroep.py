"""Competency questions on the MOgroep / Sociaal Werk Nederland documents (000, 002, 004).

Each test is a SPARQL query over the built dataset and the answer the documents give
(../shared/questions.md B02, B05, B08, B10, B12, B15, B19, B23, B25), plus the rules that every
claim in these graphs carries its evidence and that derived dates are marked as derived.
B23 and B25 span documents: B23 needs the renaming MOgroep -> Sociaal Werk Nederland (a
reference fact made symmetric by OWL-RL), B25 the Wmo as a work (the OWL-RL property chain
kg:mentionsLaw o kg:versionOf); both also check that without inference the answer is incomplete.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

BASE = "BASE <https://w3id.org/kennisgraaf/>\n"
ID = "https://w3id.org/kennisgraaf/id/"

GRAPHS = {
    "mogroep-2015-oproep": "000_ed024f3fd91570c7.txt",
    "mogroep-2014-transformeren": "002_020d473030d50063.txt",
    "swn-2017-gemeenten": "004_b7e651edca1d64fc.txt",
}
DOCUMENTS = {
    ID + "document/mogroep-2015-brief",
    ID + "document/mogroep-2015-oproep",
    ID + "document/mogroep-2014-transformeren",
    ID + "document/swn-2017-gemeenten",
}


# -- B02 · metadata of the oproep ------------------------------------------------------------


def test_b02_signatory_of_the_oproep(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?name ?function ?organisation WHERE {
          ?oproep a kg:Call ; kg:attachmentOf ?letter ; kg:hasParticipation ?part .
          ?letter a kg:Letter .
          ?part kg:agent ?person ; kg:participationRole ?role ; kg:functionTitle ?function ;
                kg:onBehalfOf ?org .
          ?role skos:prefLabel "ondertekenaar"@nl .
          ?person foaf:name ?name .
          ?org rdfs:label ?organisation . FILTER(lang(?organisation) = "nl")
          ?oproep kg:sender ?org .
        }""")
    assert [(r["name"], r["function"], r["organisation"]) for r in rows] == [("Aly van Beek", "directeur", "MOgroep")]


def test_b02_addressees_and_copy_of_the_oproep(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?kind ?label WHERE {
          <id/document/mogroep-2015-oproep> ?p ?agent .
          VALUES (?p ?kind) { (kg:addressee "aan") (kg:copyTo "cc") }
          ?agent rdfs:label ?label . FILTER(lang(?label) = "nl")
        }""")
    addressees = {r["label"] for r in rows if r["kind"] == "aan"}
    copies = {r["label"] for r in rows if r["kind"] == "cc"}
    assert addressees == {"Gedeputeerde Statenleden van alle provincies",
                          "de lijsttrekkers (Provinciale Statenverkiezingen)"}
    assert "(aanstaande) bestuurders, politici en ambtenaren van alle provincies" in copies
    assert "de Provinciale Staten (van elke provincie)" in copies


def test_b02_salutation_signature_and_cc_are_quoted(kg) -> None:
    rows = kg.select(BASE + "SELECT ?quote WHERE { <id/document/mogroep-2015-oproep> kg:quote ?quote }")
    quotes = {r["quote"] for r in rows}
    assert {
        "Geachte Gedeputeerde Statenleden van alle provincies,",
        "MOgroep directeur",
        "Aly van Beek",
        "Cc (aanstaande) bestuurders, politici en ambtenaren van alle provincies",
        "De oproep is gericht aan de lijsttrekkers",
    } <= quotes


def test_cover_letter_signatory_contact_details_as_printed(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?name ?function ?phone ?mobile ?days ?attachment WHERE {
          <id/document/mogroep-2015-brief> a kg:Letter ; kg:addressee ?griffier ;
              kg:hasParticipation ?part ; kg:hasAttachment ?attachment .
          ?griffier skos:altLabel "statengriffier"@nl .
          ?part kg:agent/foaf:name ?name ; kg:functionTitle ?function ; kg:mobilePhone ?mobile ;
                kg:workingDays ?days ; kg:participationRole/skos:prefLabel "ondertekenaar"@nl .
          ?part kg:phone ?phone . FILTER(?phone != ?mobile)
        }""")
    assert rows == [{
        "name": "Marcel Mathijssen", "function": "Teamleider Public Affairs",
        "phone": "030 – 721 0 730", "mobile": "06 – 29 25 94 13", "days": "maandag t/m vrijdag",
        "attachment": ID + "document/mogroep-2015-oproep",
    }]


def test_the_mobile_number_differs_per_document_and_stays_off_the_person(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?doc ?phone WHERE {
          ?part kg:agent <id/persoon/marcel-mathijssen> ; kg:participationIn ?doc ; kg:phone ?phone .
          FILTER(STRSTARTS(?phone, "06"))
        }""")
    assert {(r["doc"], r["phone"]) for r in rows} == {
        (ID + "document/mogroep-2015-brief", "06 – 29 25 94 13"),
        (ID + "document/swn-2017-gemeenten", "06 – 29259412"),
    }
    assert not kg.ask(BASE + "ASK { <id/persoon/marcel-mathijssen> kg:phone|foaf:phone|kg:email ?x }")


# -- B05 · what Groningen (and Flevoland) do -------------------------------------------------


def test_b05_websites_groningen_runs(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?website WHERE {
          ?activity a kg:Activity ; kg:statedIn <id/document/mogroep-2015-oproep> ;
                    kg:performedBy <id/provincie/groningen> ; kg:concerns ?site .
          ?site a foaf:Document ; rdfs:label ?website . FILTER(lang(?website) = "nl")
        }""")
    assert sorted(r["website"] for r in rows) == ["armoedegroningen", "mantelzorggroningen", "vrijwilligersgroningen"]


def test_b05_groningen_connects_the_parties_for_the_approach_to_poverty(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?description ?quote WHERE {
          ?activity a kg:Activity ; kg:performedBy <id/provincie/groningen> ;
                    kg:theme <id/thema/armoede> ; kg:description ?description ; kg:quote ?quote .
          FILTER NOT EXISTS { ?activity kg:concerns ?site . ?site a foaf:Document }
          FILTER(lang(?description) = "nl")
        }""")
    assert rows
    assert all("verbindt" in r["description"].lower() and "armoede" in r["description"] for r in rows)
    assert "En voor de bovenlokale aanpak van armoede verbindt de provinciepartijen met elkaar." in {
        r["quote"] for r in rows}


def test_b05_groningen_and_flevoland_take_up_a_supra_local_role(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?province WHERE {
          ?activity a kg:Activity ; kg:quote "Groningen en Flevoland pakken bovenlokale rol op"@nl ;
                    kg:performedBy ?province .
        }""")
    assert {r["province"] for r in rows} == {ID + "provincie/groningen", ID + "provincie/flevoland"}
    flevoland = kg.select(BASE + """
        SELECT ?activity WHERE {
          ?activity a kg:Activity ; kg:performedBy <id/provincie/flevoland> .
          FILTER NOT EXISTS { ?activity kg:performedBy <id/provincie/groningen> }
        }""")
    assert len(flevoland) == 3


# -- B08 · the six themes, in order ----------------------------------------------------------


def test_b08_six_themes_not_for_municipalities_alone_in_order(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?order ?theme WHERE {
          ?whole kg:statedIn <id/document/mogroep-2015-oproep> ;
                 kg:quote ?sentence .
          FILTER(CONTAINS(STR(?sentence), "niet alleen op gemeentelijk niveau"))
          ?item dcterms:isPartOf ?whole ; kg:order ?order ; kg:theme ?concept .
          ?concept skos:prefLabel ?theme ; skos:inScheme <id/begrippenkader/themas> .
          FILTER(lang(?theme) = "nl")
        } ORDER BY ?order""")
    assert [r["theme"] for r in rows] == [
        "leefbaarheid", "armoede", "werkloosheid", "vergrijzing", "eenzaamheid", "krimp",
    ]
    assert [r["order"] for r in rows] == ["1", "2", "3", "4", "5", "6"]


# -- B10 · the three preconditions -----------------------------------------------------------


def test_b10_three_preconditions_in_order(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?order ?heading WHERE {
          ?paper a kg:PositionPaper ; dcterms:title "Niet repareren maar transformeren"@nl ;
                 kg:documentSubject ?subject .
          FILTER(STR(?subject) = "Drie randvoorwaarden hervorming sociaal domein")
          ?condition a kg:Position ; kg:statedIn ?paper ; dcterms:isPartOf ?whole ;
                     kg:order ?order ; kg:nameAsWritten ?heading .
        } ORDER BY ?order""")
    assert [r["heading"] for r in rows] == [
        "Werken aan nieuwe oplossingen",
        "Participeren moet ook kúnnen",
        "30 Miljoen voor kennisontwikkeling en vakmanschap van de sociaal werker",
    ]


def test_b10_preconditions_have_their_arguments(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?order (COUNT(?argument) AS ?arguments) WHERE {
          ?condition dcterms:isPartOf <id/standpunt/mogroep-2014-transformeren-drie-randvoorwaarden> ;
                     kg:order ?order ; kg:hasArgument ?argument .
        } GROUP BY ?order ORDER BY ?order""")
    assert [r["order"] for r in rows] == ["1", "2", "3"]
    assert all(int(r["arguments"]) >= 2 for r in rows)


# -- B12 · the money in 'Niet repareren maar transformeren' ----------------------------------


def _figures(kg, document: str) -> list[dict[str, str]]:
    return kg.select(BASE + f"""
        SELECT ?figure ?value ?unit ?qualifier ?year ?measures WHERE {{
          ?figure a kg:Figure ; kg:statedIn <{document}> ; kg:value ?value ; kg:measures ?measures .
          FILTER(lang(?measures) = "nl")
          OPTIONAL {{ ?figure kg:unit ?u . ?u skos:prefLabel ?unit . FILTER(lang(?unit) = "nl") }}
          OPTIONAL {{ ?figure kg:qualifier ?qualifier }}
          OPTIONAL {{ ?figure kg:referenceYear ?year }}
        }}""")


def test_b12_shift_share_zonmw_and_the_30_million(kg) -> None:
    rows = _figures(kg, ID + "document/mogroep-2014-transformeren")
    found = {(Decimal(r["value"]), r.get("unit"), r.get("qualifier"), r.get("year")) for r in rows}
    assert (Decimal("8000000000"), "euro", None, None) in found
    assert (Decimal("0.25"), "aandeel", "grofweg", None) in found
    assert (Decimal("127000000"), "euro", "meer dan", "2013") in found
    assert (Decimal("30000000"), "euro", None, None) in found
    thirty = [r for r in rows if Decimal(r["value"]) == Decimal("30000000")]
    assert len(thirty) == 1
    target = "kennisontwikkeling, -verspreiding en vakmanschap van professionals in het preventieve sociale domein"
    assert target in thirty[0]["measures"]
    share = [r for r in rows if Decimal(r["value"]) == Decimal("0.25") and r.get("qualifier") == "grofweg"]
    assert "rijksuitgaven in het sociaal domein" in share[0]["measures"]


def test_b12_zonmw_figure_concerns_zonmw(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?written WHERE {
          ?figure a kg:Figure ; kg:concerns <id/overheid/zonmw> ; kg:valueAsWritten ?written ;
                  kg:referenceYear "2013"^^xsd:gYear .
        }""")
    assert [r["written"] for r in rows] == ["meer dan 127 miljoen"]


# -- B15 · metadata of the 2017 letter -------------------------------------------------------


def test_b15_sender_addressee_purpose_and_contact(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?sender ?addressee ?purpose ?name ?phone ?email WHERE {
          ?letter a kg:Letter ; dcterms:title "De kracht en macht ligt bij de gemeenten"@nl ;
                  kg:sender/rdfs:label ?sender ; kg:addressee/rdfs:label ?addressee ;
                  dcterms:description ?purpose ; kg:hasParticipation ?part .
          ?part kg:participationRole/skos:prefLabel "contactpersoon"@nl ;
                kg:agent/foaf:name ?name ; kg:phone ?phone ; kg:email ?email .
          FILTER(lang(?sender) = "nl" && lang(?addressee) = "nl" && lang(?purpose) = "nl")
        }""")
    assert len(rows) == 1
    row = rows[0]
    assert (row["sender"], row["addressee"], row["name"]) == (
        "Sociaal Werk Nederland", "landelijke politieke partijen", "Marcel Mathijssen",
    )
    assert (row["phone"], row["email"]) == ("06 – 29259412", "mathijssen@sociaalwerk.nl")
    assert "handreiking ‘gemeenteprogram’" in row["purpose"]
    assert not kg.ask(BASE + "ASK { <id/betrokkenheid/swn-2017-gemeenten-mathijssen> kg:functionTitle ?f }")


def test_b15_recommendations_to_the_municipalities_in_order(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?order ?label WHERE {
          ?r a kg:Recommendation ; kg:statedIn <id/document/swn-2017-gemeenten> ;
             kg:addressedTo <id/overheid/gemeenten> ; kg:order ?order ; rdfs:label ?label .
          FILTER NOT EXISTS { ?r dcterms:isPartOf ?whole }
          FILTER(lang(?label) = "nl")
        } ORDER BY ?order""")
    assert [int(r["order"]) for r in rows] == list(range(1, 14))
    assert rows[5]["label"] == (
        "Gemeenten zetten in op de juiste ondersteuning en snelle toegang tot schuldhulpverlening")
    assert rows[6]["label"] == "Gemeenten vergroten hun grip op de instroom tot beschermingsbewind"


# -- B19 · debts: figures and the SCP ----------------------------------------------------------


def test_b19_finances_debts_and_the_scp(kg) -> None:
    rows = _figures(kg, ID + "document/swn-2017-gemeenten")
    found = {(Decimal(r["value"]), r.get("unit"), r.get("qualifier")) for r in rows}
    assert (Decimal("80"), "procent", None) in found
    assert (Decimal("0.2"), "aandeel", "bijna") in found
    eighty = [r for r in rows if Decimal(r["value"]) == Decimal("80")]
    assert "financiën" in eighty[0]["measures"] and "(wijk)teams" in eighty[0]["measures"]
    scp = kg.select(BASE + """
        SELECT ?stance WHERE {
          ?claim kg:statedIn <id/document/swn-2017-gemeenten> ; kg:citedSource <id/overheid/scp> ; kg:stance ?stance .
          FILTER(lang(?stance) = "nl")
        }""")
    assert len(scp) == 1
    assert "niet mee kan komen in de steeds complexer wordende, digitaliserende samenleving" in scp[0]["stance"]


# -- B23 · one organisation under two names --------------------------------------------------

ORGANISATION_DOCUMENTS = """
    SELECT DISTINCT ?doc ?name ?year WHERE {
      { ?doc kg:sender <id/organisatie/sociaal-werk-nederland> }
      UNION
      { ?doc kg:sender ?other . ?other kg:sameOrganisationAs <id/organisatie/sociaal-werk-nederland> }
      ?doc kg:sender ?sender ; kg:derivedDate ?date .
      ?sender rdfs:label ?name . FILTER(lang(?name) = "nl")
      BIND(SUBSTR(STR(?date), 1, 4) AS ?year)
    }"""


def test_b23_documents_of_the_organisation_under_either_name(kg) -> None:
    rows = kg.select(BASE + ORGANISATION_DOCUMENTS)
    assert {(r["doc"], r["name"], r["year"]) for r in rows} == {
        (ID + "document/mogroep-2014-transformeren", "MOgroep", "2014"),
        (ID + "document/mogroep-2015-brief", "MOgroep", "2015"),
        (ID + "document/mogroep-2015-oproep", "MOgroep", "2015"),
        (ID + "document/swn-2017-gemeenten", "Sociaal Werk Nederland", "2017"),
    }


def test_b23_the_two_names_come_from_the_renaming_and_need_inference(kg) -> None:
    assert len(kg.select(BASE + ORGANISATION_DOCUMENTS, asserted=True)) == 1
    rows = kg.select(BASE + """
        SELECT ?original ?resulting ?date WHERE {
          ?event a kg:RenamingEvent ; org:originalOrganization ?original ;
                 org:resultingOrganization ?resulting ; dcterms:date ?date ; dcterms:source ?source .
        }""")
    assert {(r["original"], r["resulting"], r["date"]) for r in rows} == {
        (ID + "organisatie/mogroep", ID + "organisatie/sociaal-werk-nederland", "2016-06-01")}


def test_b23_organisations_writing_in_more_than_one_year(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?org (COUNT(DISTINCT ?year) AS ?years) WHERE {
          ?doc a kg:Document ; kg:sender ?sender .
          { ?doc kg:printedDate ?date } UNION { ?doc kg:derivedDate ?date }
          BIND(SUBSTR(STR(?date), 1, 4) AS ?year)
          ?sender kg:sameOrganisationAs? ?org .
        } GROUP BY ?org HAVING (COUNT(DISTINCT ?year) > 1)""")
    assert {(r["org"], r["years"]) for r in rows} == {
        (ID + "organisatie/mogroep", "3"), (ID + "organisatie/sociaal-werk-nederland", "3")}


# -- B25 · laws in more than one document ----------------------------------------------------

LAWS_PER_SOURCE = """
    SELECT ?law (GROUP_CONCAT(DISTINCT ?file; separator=" ") AS ?files) WHERE {
      ?doc a kg:Document ; kg:mentionsLaw ?law ; kg:sourceText/kg:fileName ?name .
      ?law a kg:Law .
      BIND(SUBSTR(?name, 1, 3) AS ?file)
    } GROUP BY ?law HAVING (COUNT(DISTINCT ?file) > 1)"""


def test_b25_laws_named_in_more_than_one_document(kg) -> None:
    rows = kg.select(BASE + LAWS_PER_SOURCE)
    found = {r["law"]: sorted(r["files"].split()) for r in rows}
    assert found == {
        ID + "wet/wmo": ["000", "001", "002", "003", "004"],
        ID + "wet/wet-op-de-jeugdzorg": ["001", "003"],
        ID + "wet/jeugdwet": ["002", "004"],
    }


def test_b25_the_wmo_as_a_work_exists_only_thanks_to_inference(kg) -> None:
    query = BASE + """
        SELECT DISTINCT ?name WHERE {
          ?doc kg:mentionsLaw <id/wet/wmo> ; kg:sourceText/kg:fileName ?name .
        }"""
    inferred = {r["name"][:3] for r in kg.select(query)}
    asserted = {r["name"][:3] for r in kg.select(query, asserted=True)}
    assert inferred == {"000", "001", "002", "003", "004"}
    assert asserted < inferred


def test_b25_versions_the_mogroep_documents_mean(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?doc ?version WHERE {
          ?mention a kg:LawMention ; kg:statedIn ?doc ; kg:mentionedLaw ?version .
          ?version kg:versionOf <id/wet/wmo> .
        }""")
    found = {(r["doc"], r["version"]) for r in rows if r["doc"] in DOCUMENTS}
    assert found == {
        (ID + "document/mogroep-2015-oproep", ID + "wet/wmo-2007"),
        (ID + "document/mogroep-2015-oproep", ID + "wet/wmo-2015"),
        (ID + "document/mogroep-2014-transformeren", ID + "wet/wmo-2015"),
        (ID + "document/swn-2017-gemeenten", ID + "wet/wmo-2015"),
    }
    wet_jeugd = kg.select(BASE + """
        SELECT ?law WHERE { ?m kg:nameAsWritten "wet Jeugd" ; kg:mentionedLaw ?law }""")
    assert [r["law"] for r in wet_jeugd] == [ID + "wet/jeugdwet"]


# -- Derived dates and evidence ----------------------------------------------------------------


def test_undated_documents_carry_a_derived_year_with_its_derivation(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?doc ?year (COUNT(DISTINCT lang(?how)) AS ?languages) WHERE {
          ?doc a kg:Document ; kg:derivedDate ?year ; kg:dateDerivation ?how .
          FILTER NOT EXISTS { ?doc kg:printedDate ?printed }
        } GROUP BY ?doc ?year""")
    found = {r["doc"]: (r["year"], r["languages"]) for r in rows if r["doc"] in DOCUMENTS}
    assert found == {
        ID + "document/mogroep-2015-brief": ("2015", "2"),
        ID + "document/mogroep-2015-oproep": ("2015", "2"),
        ID + "document/mogroep-2014-transformeren": ("2014", "2"),
        ID + "document/swn-2017-gemeenten": ("2017", "2"),
    }


@pytest.mark.parametrize("graph", sorted(GRAPHS))
def test_every_claim_has_a_document_and_a_quote(kg, graph: str) -> None:
    rows = kg.select(BASE + f"""
        SELECT DISTINCT ?node WHERE {{
          GRAPH <graph/{graph}> {{ ?node a ?class }}
          ?class rdfs:subClassOf* kg:Claim .
          FILTER NOT EXISTS {{
            GRAPH <graph/{graph}> {{ ?node kg:statedIn ?doc ; kg:quote ?quote }}
            ?doc a kg:Document .
          }}
        }}""")
    assert rows == []
    claims = kg.select(BASE + f"""
        SELECT (COUNT(DISTINCT ?node) AS ?n) WHERE {{
          GRAPH <graph/{graph}> {{ ?node a ?class ; kg:statedIn ?doc }}
          ?class rdfs:subClassOf* kg:Claim .
        }}""")
    assert int(claims[0]["n"]) >= 30

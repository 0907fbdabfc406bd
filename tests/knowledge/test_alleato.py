"""Competency questions on the Alleato memo (003) and its join with the Drenthe letter (001).

Each test is a SPARQL query over the built dataset and the answer the memo gives
(../shared/questions.md A05, A22, A28, A30), plus the evidence rule for the memo's graph.
"""

from __future__ import annotations

BASE = "BASE <https://w3id.org/kennisgraaf/>\n"
TITLE = '"Kerntaken en de rol van de provincie in het sociale domein"@nl'
ALLEATO_GRAPH = "<graph/alleato-2010-kerntaken>"
ID = "https://w3id.org/kennisgraaf/id/"


def test_a05_author_function_organisation_and_addressees(kg) -> None:
    rows = kg.select(BASE + f"""
        SELECT ?name ?function ?organisation ?addressee ?province WHERE {{
          ?doc a kg:Memo ; dcterms:title {TITLE} ;
               kg:hasParticipation ?part ; kg:addressee ?addressee ; kg:sender ?sender .
          ?part kg:agent ?person ; kg:participationRole ?role ; kg:functionTitle ?function ;
                kg:onBehalfOf ?org .
          ?role skos:prefLabel "auteur"@nl .
          ?person foaf:name ?name .
          ?org rdfs:label ?organisation . FILTER(lang(?organisation) = "nl")
          FILTER(?sender = ?org)
          ?addressee a kg:GoverningBody ; kg:bodyOf ?province .
        }}""")
    assert {(r["name"], r["function"], r["organisation"]) for r in rows} == {("Lineke Maat", "directeur", "Alleato")}
    assert {r["addressee"] for r in rows} == {ID + "orgaan/gs-utrecht", ID + "orgaan/ps-utrecht"}
    assert {r["province"] for r in rows} == {ID + "provincie/utrecht"}


def test_a05_memo_metadata_is_printed_not_derived(kg) -> None:
    rows = kg.select(BASE + f"""
        SELECT ?date ?reference ?derived WHERE {{
          ?doc dcterms:title {TITLE} ; kg:printedDate ?date ; kg:referenceNumber ?reference .
          OPTIONAL {{ ?doc kg:derivedDate ?derived }}
        }}""")
    assert rows == [{"date": "2010-01-11", "reference": "LM/RH/09878a"}]


def test_a22_four_reasons_to_keep_a_provincial_role(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?order ?label ?heading WHERE {
          ?position a kg:Position ; kg:proposedBy ?org ; kg:concerns ?province ;
                    kg:stance ?stance ; kg:hasArgument ?argument .
          ?org rdfs:label "Alleato"@nl .
          ?province rdfs:label "Provincie Utrecht"@nl .
          FILTER(lang(?stance) = "nl" && CONTAINS(?stance, "een rol blijven vervullen"))
          ?argument a kg:Argument ; kg:order ?order ; rdfs:label ?label ; skos:altLabel ?heading .
          FILTER(lang(?label) = "nl" && lang(?heading) = "nl")
        } ORDER BY ?order""")
    assert [(r["order"], r["label"], r["heading"]) for r in rows] == [
        ("1", "Integraliteit", "Integrale aanpak: people, planet, profit"),
        ("2", "Schaalgrootte", "Schaalgrootte: capaciteit en kwaliteit"),
        ("3", "Bovengemeentelijke samenwerking", "Bovengemeentelijke samenwerking"),
        ("4", "Kennis delen en verankeren", "Kennis delen en verankeren"),
    ]


def test_a22_the_reasons_follow_the_sentence_that_introduces_them(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?order ?quote WHERE {
          ?position kg:hasArgument ?argument ; kg:quote ?intro .
          FILTER(STR(?intro) = "De provincie Utrecht moeten een rol blijven vervullen op het sociale domein omdat:")
          ?argument kg:order ?order ; kg:quote ?quote .
          FILTER(STRSTARTS(STR(?quote), "*"))
        } ORDER BY ?order""")
    assert [r["quote"].split("*")[1] for r in rows] == [
        "Integraliteit", "Schaalgrootte", "Bovengemeentelijke samenwerking", "Kennis delen en verankeren",
    ]


def test_a28_laws_that_give_provinces_a_legal_framework(kg) -> None:
    rows = kg.select(BASE + f"""
        SELECT ?written ?law ?bwb WHERE {{
          ?doc dcterms:title {TITLE} .
          ?responsibility a kg:LegalResponsibility ; kg:statedIn ?doc ; kg:assignedBy ?law ;
                          kg:responsible ?who ; kg:task ?task .
          ?who kg:layer <id/bestuurslaag/provincie> .
          ?task skos:prefLabel "uitvoering van sociaal beleid"@nl .
          ?mention a kg:LawMention ; kg:statedIn ?doc ; kg:mentionedLaw ?law ; kg:nameAsWritten ?written .
          ?law kg:bwbId ?bwb .
        }}""")
    assert {(r["written"], r["law"], r["bwb"]) for r in rows} == {
        ("Wet op de Jeugdzorg", ID + "wet/wet-op-de-jeugdzorg", "BWBR0016637"),
        ("WMO", ID + "wet/wmo-2007", "BWBR0020031"),
    }


def test_a28_article_13_wmo_is_about_steunfunctiewerk(kg) -> None:
    rows = kg.select(BASE + f"""
        SELECT ?written ?number ?bwb ?task ?body WHERE {{
          ?doc dcterms:title {TITLE} .
          ?mention a kg:LawMention ; kg:statedIn ?doc ; kg:mentionedLaw ?article ; kg:nameAsWritten ?written .
          ?article a kg:LawArticle ; kg:articleNumber ?number ; kg:articleOf ?version .
          ?version kg:bwbId ?bwb .
          ?responsibility a kg:LegalResponsibility ; kg:statedIn ?doc ; kg:assignedBy ?article ;
                          kg:task ?t ; kg:responsible ?body .
          ?t skos:prefLabel ?task . FILTER(lang(?task) = "nl")
        }}""")
    assert {(r["written"], r["number"], r["bwb"], r["task"]) for r in rows} == {
        ("artikel 13 van de WMO", "13", "BWBR0020031", "steunfunctiewerk"),
    }
    assert {r["body"] for r in rows} == {ID + "orgaan/ps-utrecht", ID + "orgaan/gs-utrecht"}


def test_a28_the_memo_mentions_the_wmo_as_a_work_by_inference(kg) -> None:
    query = BASE + "SELECT ?law WHERE { <id/document/alleato-2010-kerntaken> kg:mentionsLaw ?law }"
    inferred = {r["law"] for r in kg.select(query)}
    asserted = {r["law"] for r in kg.select(query, asserted=True)}
    assert ID + "wet/wmo" in inferred - asserted
    assert {ID + "wet/wmo-2007", ID + "wet/wmo-2007/artikel-13", ID + "wet/wet-op-de-jeugdzorg"} <= asserted


def test_a28_ujc_werkconferentie_year_is_derived_and_marked(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?timing ?date ?note ?speaker WHERE {
          ?argument kg:occasion ?event ; kg:proposedBy ?person ; kg:statedIn <id/document/alleato-2010-kerntaken> .
          ?person rdfs:label ?speaker . FILTER(lang(?speaker) = "nl")
          ?event a kg:Event ; kg:timing ?timing ; dcterms:date ?date ; skos:editorialNote ?note .
          FILTER(lang(?note) = "en")
        }""")
    assert len(rows) == 1
    assert (rows[0]["timing"], rows[0]["date"], rows[0]["speaker"]) == ("9 oktober jl.", "2009-10-09", "mevrouw Haak")
    assert "derived" in rows[0]["note"]


def test_alleato_proposes_four_roles_for_the_province(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?order ?label ?type WHERE {
          ?proposal a kg:RoleProposal ; kg:statedIn <id/document/alleato-2010-kerntaken> ;
                    kg:proposedBy <id/organisatie/alleato> ; kg:roleFor <id/provincie/utrecht> ;
                    kg:order ?order ; kg:roleLabel ?label ; kg:roleType ?type .
        } ORDER BY ?order""")
    assert [(r["label"], r["type"].rsplit("/", 1)[1]) for r in rows] == [
        ("Borgen van kennis en deskundigheid", "kennisfunctie"),
        ("Stimuleren en faciliteren van onderlinge uitwisseling van kennis en ervaring", "facilitator"),
        ("Faciliteren van bovenlokale samenwerking", "facilitator"),
        ("Stimuleren en faciliteren van innovatie in het sociale domein", "innovator"),
    ]


def test_a30_roles_alleato_and_drenthe_both_give_the_province(kg) -> None:
    rows = kg.select(BASE + """
        SELECT DISTINCT ?role ?type WHERE {
          ?alleato a kg:RoleProposal ; kg:statedIn <id/document/alleato-2010-kerntaken> ;
                   kg:roleLabel ?role ; kg:roleType ?type .
          ?drenthe a kg:RoleProposal ; kg:statedIn <id/document/drenthe-2010-pns> ;
                   kg:roleType ?type ; kg:roleFor ?target .
          FILTER(?target = <id/bestuurslaag/provincie> || EXISTS { ?target kg:layer <id/bestuurslaag/provincie> })
        }""")
    assert rows == [{"role": "Borgen van kennis en deskundigheid", "type": ID + "rol/kennisfunctie"}]


def test_every_claim_in_the_memo_graph_has_evidence(kg) -> None:
    claims = kg.select(BASE + f"""
        SELECT ?node ?class (COUNT(DISTINCT ?quote) AS ?quotes) WHERE {{
          GRAPH {ALLEATO_GRAPH} {{ ?node ?p ?o }}
          ?node a kg:Claim ; a ?class .
          FILTER(?class IN (kg:Position, kg:Argument, kg:RoleProposal, kg:LawMention, kg:LegalResponsibility,
                            kg:Recommendation, kg:Activity, kg:Figure, kg:TaskChange))
          OPTIONAL {{ ?node kg:statedIn <id/document/alleato-2010-kerntaken> ; kg:quote ?quote }}
        }} GROUP BY ?node ?class""")
    assert {r["class"].rsplit("#", 1)[1] for r in claims} >= {
        "Position", "Argument", "RoleProposal", "LawMention", "LegalResponsibility", "Recommendation", "Activity",
    }
    assert len(claims) >= 30
    assert [r["node"] for r in claims if int(r["quotes"]) == 0] == []

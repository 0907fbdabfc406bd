"""Competency questions on the Drenthe letter (001): 'Nadere uitwerking sociaal domein volgens PNS'.

Each test is a SPARQL query over the built dataset and the answer the letter gives
(../shared/questions.md A01, A07, A09, A11, A12, A15, A17), plus the evidence rules for the
letter's graph: every claim has kg:statedIn and a quote, and every quote is verbatim.
"""

from __future__ import annotations

BASE = "BASE <https://w3id.org/kennisgraaf/>\n"
DOC = "<id/document/drenthe-2010-pns>"
GRAPH = "<graph/drenthe-2010-pns>"
ID = "https://w3id.org/kennisgraaf/id/"
TITLE = '"Nadere uitwerking sociaal domein volgens Provincie Nieuwe Stijl (PNS)"@nl'


def product_changes(kg, product: str) -> list[dict[str, str]]:
    """Task changes the letter states for one product line, with action and task labels (nl)."""
    return kg.select(BASE + f"""
        SELECT ?change ?action ?task ?reason ?core ?recipient ?timing ?description WHERE {{
          ?change a kg:TaskChange ; kg:statedIn {DOC} ; kg:productLine <id/product/{product}> ;
                  kg:actor <id/provincie/drenthe> ; kg:action ?a ; kg:task ?t .
          ?a skos:prefLabel ?action . FILTER(lang(?action) = "nl")
          ?t skos:prefLabel ?task . FILTER(lang(?task) = "nl")
          OPTIONAL {{ ?change kg:reason ?reason }}
          OPTIONAL {{ ?change kg:coreTask ?core }}
          OPTIONAL {{ ?change kg:recipient ?recipient }}
          OPTIONAL {{ ?change kg:timing ?timing }}
          OPTIONAL {{ ?change kg:description ?description }}
        }}""")


def test_a01_sender_and_addressee(kg) -> None:
    rows = kg.select(BASE + f"""
        SELECT ?sender ?senderLabel ?addressee ?addresseeLabel ?province WHERE {{
          ?doc a kg:Letter ; dcterms:title {TITLE} ; kg:sender ?sender ; kg:addressee ?addressee .
          ?sender rdfs:label ?senderLabel ; kg:bodyOf ?province . FILTER(lang(?senderLabel) = "nl")
          ?addressee rdfs:label ?addresseeLabel ; kg:bodyOf ?province . FILTER(lang(?addresseeLabel) = "nl")
        }}""")
    assert [(r["senderLabel"], r["addresseeLabel"], r["province"]) for r in rows] == [
        ("Gedeputeerde Staten van Drenthe", "Provinciale Staten van Drenthe", ID + "provincie/drenthe"),
    ]


def test_a01_addressee_is_marked_as_derived_from_the_salutation(kg) -> None:
    rows = kg.select(BASE + f"""
        SELECT ?note WHERE {{ {DOC} skos:editorialNote ?note . FILTER(lang(?note) = "en") }}""")
    assert len(rows) == 1
    note = rows[0]["note"]
    assert "derived" in note and "Geachte voorzitter/leden" in note and "uw staten" in note
    quotes = {r["q"] for r in kg.select(BASE + f"SELECT ?q WHERE {{ {DOC} kg:quote ?q }}")}
    assert {"Geachte voorzitter/leden,", "gedeputeerde staten van Drenthe,"} <= quotes


def test_a01_printed_metadata(kg) -> None:
    rows = kg.select(BASE + f"""
        SELECT ?date ?place ?reference ?subject ?derived WHERE {{
          {DOC} kg:printedDate ?date ; kg:place ?place ; kg:referenceNumber ?reference ;
                kg:documentSubject ?subject .
          OPTIONAL {{ {DOC} kg:derivedDate ?derived }}
        }}""")
    assert rows == [{
        "date": "2010-01-14", "place": "Assen", "reference": "2/5.11/2010000732",
        "subject": "Nadere uitwerking sociaal domein volgens Provincie Nieuwe Stijl (PNS)",
    }]


def test_a01_handler_and_signatories(kg) -> None:
    rows = kg.select(BASE + f"""
        SELECT ?role ?name ?function ?phone WHERE {{
          {DOC} kg:hasParticipation ?p .
          ?p kg:participationRole/skos:prefLabel ?role ; kg:onBehalfOf <id/orgaan/gs-drenthe> .
          FILTER(lang(?role) = "nl")
          OPTIONAL {{ ?p kg:agent/foaf:name ?name }}
          OPTIONAL {{ ?p kg:functionTitle ?function }}
          OPTIONAL {{ ?p kg:phone ?phone }}
        }}""")
    assert sorted((r["role"], r.get("name"), r.get("function"), r.get("phone")) for r in rows) == [
        ("behandelaar", "J. Bos", None, "(0592) 36 56 32"),
        ("ondertekenaar", None, "secretaris", None),
        ("ondertekenaar", None, "voorzitter", None),
    ]


def test_a07_mijn_ontwikkeling_reason_and_consequences(kg) -> None:
    rows = product_changes(kg, "mijn-ontwikkeling")
    assert {r["action"] for r in rows} == {"afbouwen", "overdragen", "uitvoeren", "verbinden"}
    not_core = [r for r in rows if r.get("core") == "false"]
    assert {r["action"] for r in not_core} == {"afbouwen", "overdragen"}
    assert all("onderwijs geen provinciale kerntaak" in r["reason"] for r in not_core)
    assert all("rijksmiddelen" in r["reason"] for r in not_core)
    executed = [r for r in rows if r["action"] == "uitvoeren"]
    assert [(r["task"], r["description"]) for r in executed] == [
        ("uitvoering van het Onderwijskansenplan", "conform vastgesteld plan"),
    ]
    assert "core" not in executed[0]


def test_a07_phasing_out_follows_the_sociale_agenda_and_alliances(kg) -> None:
    rows = kg.select(BASE + f"""
        SELECT DISTINCT ?frame WHERE {{
          ?change kg:statedIn {DOC} ; kg:productLine <id/product/mijn-ontwikkeling> ;
                  kg:action <id/handeling/afbouwen> ; kg:inLineWith ?frame .
        }}""")
    assert {r["frame"] for r in rows} == {ID + "programma/sociale-agenda", ID + "programma/sociale-allianties"}


def test_a09_mijn_omgeving_omgevingsbeleid_and_phase_out(kg) -> None:
    rows = product_changes(kg, "mijn-omgeving")
    assert {(r["action"], r["task"]) for r in rows} == {
        ("opnemen in het Omgevingsbeleid", "woon- en leefklimaat afgestemd op demografische ontwikkelingen"),
        ("afbouwen", "welzijn- en zorgtaken"),
    }
    by_action = {r["action"]: r for r in rows}
    moved = by_action["opnemen in het Omgevingsbeleid"]
    assert moved["recipient"] == ID + "programma/omgevingsbeleid"
    assert "van provinciaal belang omdat het van regionale waarde is" in moved["reason"]
    assert "passen niet bij de PNS" in by_action["afbouwen"]["reason"]
    # The letter does not use the word 'kerntaak' for this product.
    assert all("core" not in r for r in rows)


def test_a11_mijn_jeugd_continue_and_await_the_evaluation(kg) -> None:
    rows = product_changes(kg, "mijn-jeugd")
    assert {r["action"] for r in rows} == {"voortzetten", "verbinden"}
    continued = [r for r in rows if r["action"] == "voortzetten"]
    assert [r["task"] for r in continued] == ["uitvoering van de Wet op de jeugdzorg"]
    assert "landelijke evaluatie (eind kabinetsperiode)" in continued[0]["timing"]
    assert "wettelijke taak" in continued[0]["reason"]
    awaited = kg.select(BASE + f"""
        SELECT ?timing WHERE {{
          ?activity a kg:Activity ; kg:statedIn {DOC} ; kg:productLine <id/product/mijn-jeugd> ;
                    kg:timing ?timing ; kg:quote ?quote .
          FILTER(CONTAINS(STR(?quote), "de landelijke evaluatie (eind kabinetsperiode) afwachten"))
        }}""")
    assert [r["timing"] for r in awaited] == ["eind kabinetsperiode"]


def test_a11_wet_op_de_jeugdzorg_is_a_statutory_task(kg) -> None:
    rows = kg.select(BASE + f"""
        SELECT ?law ?bwb ?responsible ?layer ?task ?quote WHERE {{
          ?r a kg:LegalResponsibility ; kg:statedIn {DOC} ; kg:assignedBy ?law ; kg:responsible ?responsible ;
             kg:responsibleLayer ?layer ; kg:task/skos:prefLabel ?task ; kg:quote ?quote .
          FILTER(lang(?task) = "nl" && CONTAINS(STR(?quote), "wettelijke taak"))
          ?law kg:bwbId ?bwb .
        }}""")
    # 'De provincie Drenthe heeft meerwaarde gegeven aan deze uitvoering': the province of Drenthe,
    # and through its kg:layer the provincial layer (one way to the responsible party, issue 16).
    assert [(r["law"], r["bwb"], r["responsible"], r["layer"], r["task"]) for r in rows] == [
        (ID + "wet/wet-op-de-jeugdzorg", "BWBR0016637", ID + "provincie/drenthe", ID + "bestuurslaag/provincie",
         "uitvoering van de Wet op de jeugdzorg"),
    ]


def test_a12_products_with_tasks_phased_out(kg) -> None:
    rows = kg.select(BASE + f"""
        SELECT (COUNT(DISTINCT ?product) AS ?n) (GROUP_CONCAT(DISTINCT ?label; separator="|") AS ?labels) WHERE {{
          ?change a kg:TaskChange ; kg:statedIn {DOC} ; kg:actor <id/provincie/drenthe> ;
                  kg:action <id/handeling/afbouwen> ; kg:productLine ?product .
          ?product kg:inProgramme <id/programma/programma-2-drenthe> ; skos:prefLabel ?label .
          FILTER(lang(?label) = "nl")
        }}""")
    assert rows[0]["n"] == "4"
    assert set(rows[0]["labels"].split("|")) == {"Mijn ontwikkeling", "Mijn beweging", "Mijn omgeving", "Mijn dag"}


def test_a12_mijn_jeugd_is_the_only_product_without_phase_out(kg) -> None:
    rows = kg.select(BASE + f"""
        SELECT ?product WHERE {{
          ?product kg:inProgramme <id/programma/programma-2-drenthe> .
          FILTER NOT EXISTS {{
            ?change kg:statedIn {DOC} ; kg:action <id/handeling/afbouwen> ; kg:productLine ?product .
          }}
        }}""")
    assert [r["product"] for r in rows] == [ID + "product/mijn-jeugd"]


def test_a15_province_is_strategic_director_and_initiative_passes_to_municipalities(kg) -> None:
    roles = kg.select(BASE + f"""
        SELECT ?label ?for ?quote WHERE {{
          ?p a kg:RoleProposal ; kg:statedIn {DOC} ; kg:proposedBy <id/orgaan/gs-drenthe> ;
             kg:roleType ?type ; kg:roleFor ?for ; kg:roleLabel ?label ; kg:quote ?quote .
          VALUES ?type {{ <id/rol/regisseur> <id/rol/uitvoerder> }}
        }}""")
    director = {(r["label"], r["for"]) for r in roles if "regisseur" in r["quote"] and "strategisch" in r["label"]}
    assert director == {("strategisch regisseur", ID + "provincie/drenthe")}
    passed = {r["for"] for r in roles if "gaat het initiatief over naar de gemeenten" in r["quote"]}
    assert passed == {ID + "overheid/gemeenten"}


def test_a15_the_province_carries_out_no_social_policy_of_its_own(kg) -> None:
    rows = kg.select(BASE + f"""
        SELECT ?stance WHERE {{
          ?p a kg:Position ; kg:statedIn {DOC} ; kg:concerns <id/provincie/drenthe> ; kg:stance ?stance ;
             kg:hasArgument ?argument .
          ?argument kg:quote ?quote .
          FILTER(STRSTARTS(STR(?quote), "Het Rijk heeft namelijk de gemeenten vooraan gezet"))
        }}""")
    assert [r["stance"] for r in rows] == ["De provincie voert geen eigen sociaal beleid uit."]


def test_a17_tasks_for_which_the_rijk_put_municipalities_in_front(kg) -> None:
    rows = kg.select(BASE + f"""
        SELECT ?order ?written ?law WHERE {{
          ?change a kg:TaskChange ; kg:statedIn {DOC} ; kg:actor <id/overheid/rijk> ;
                  kg:action <id/handeling/beleggen> ; kg:recipient <id/overheid/gemeenten> ;
                  kg:order ?order ; kg:nameAsWritten ?written .
          OPTIONAL {{ ?change kg:concerns ?law . ?law a kg:LawVersion }}
          OPTIONAL {{ ?change kg:concerns ?law . ?law a kg:Law }}
        }} ORDER BY ?order""")
    assert [r["written"] for r in rows] == [
        "WMO", "WSW", "volwasseneneducatie", "aanpak voortijdig schoolverlaters", "onderwijshuisvesting",
    ]
    assert {r["written"]: r.get("law") for r in rows if r.get("law")} == {
        "WMO": ID + "wet/wmo-2007", "WSW": ID + "wet/wsw",
    }


def test_a17_wmo_mention_is_the_2007_version_and_reaches_the_work_by_inference(kg) -> None:
    rows = kg.select(BASE + f"""
        SELECT ?law ?written WHERE {{
          ?m a kg:LawMention ; kg:statedIn {DOC} ; kg:mentionedLaw ?law ; kg:nameAsWritten ?written .
        }}""")
    assert {(r["written"], r["law"]) for r in rows} == {
        ("WMO", ID + "wet/wmo-2007"), ("WSW", ID + "wet/wsw"), ("Wet op de jeugdzorg", ID + "wet/wet-op-de-jeugdzorg"),
    }
    query = BASE + f"SELECT ?law WHERE {{ {DOC} kg:mentionsLaw ?law }}"
    inferred = {r["law"] for r in kg.select(query)}
    asserted = {r["law"] for r in kg.select(query, asserted=True)}
    assert ID + "wet/wmo" in inferred - asserted
    assert ID + "wet/wmo-2015" not in inferred


def test_a30_drenthe_knowledge_role_is_a_judgement_marked_as_such(kg) -> None:
    rows = kg.select(BASE + f"""
        SELECT ?label ?note WHERE {{
          ?p a kg:RoleProposal ; kg:statedIn {DOC} ; kg:roleType <id/rol/kennisfunctie> ;
             kg:roleFor <id/provincie/drenthe> ; kg:roleLabel ?label ; skos:editorialNote ?note .
          FILTER(lang(?note) = "en")
        }}""")
    assert [r["label"] for r in rows] == ["kennis veilig stellen"]
    assert "judgement" in rows[0]["note"]


def test_every_claim_in_the_letter_graph_has_evidence(kg) -> None:
    rows = kg.select(BASE + f"""
        SELECT ?node ?class (COUNT(DISTINCT ?quote) AS ?quotes) (COUNT(DISTINCT ?doc) AS ?docs) WHERE {{
          GRAPH {GRAPH} {{ ?node a ?class }}
          ?class rdfs:subClassOf* kg:Claim .
          FILTER(STRSTARTS(STR(?class), STR(kg:)))
          OPTIONAL {{ ?node kg:quote ?quote }}
          OPTIONAL {{ ?node kg:statedIn ?doc . FILTER(?doc = {DOC}) }}
        }} GROUP BY ?node ?class""")
    classes = {r["class"].rsplit("#", 1)[1] for r in rows}
    assert classes >= {"TaskChange", "RoleProposal", "Position", "Argument", "LawMention",
                       "LegalResponsibility", "Recommendation", "Activity"}
    assert len({r["node"] for r in rows}) >= 50
    assert [r["node"] for r in rows if r["quotes"] == "0" or r["docs"] == "0"] == []

"""Issue 16, patterns 5 and 6: descriptions complete, participations complete.

Programmes, plans and reports that a document describes carry what the text says about them
(kg:description in the document's words, the responsible organisation where the text names it);
every participation (author, signatory, contact, handler) has its document (kg:participationIn and
kg:statedIn) and the verbatim quote it rests on, the same way in every document file.
"""

from __future__ import annotations

BASE = "BASE <https://w3id.org/kennisgraaf/>\n"


def tail(iri: str) -> str:
    return iri.rsplit("/", 1)[1]


# -- descriptions --------------------------------------------------------------------------------


def description(kg, iri: str) -> str:
    rows = kg.select(BASE + f'SELECT ?d WHERE {{ <{iri}> kg:description ?d . FILTER(lang(?d) = "nl") }}')
    assert len(rows) == 1, iri
    return rows[0]["d"]


def responsible(kg, iri: str) -> set[str]:
    rows = kg.select(BASE + f"SELECT ?o WHERE {{ <{iri}> kg:responsibleOrganisation ?o }}")
    return {r["o"].split("/id/", 1)[1] for r in rows}


def test_drenthe_programmes_are_described_with_what_the_letter_says(kg) -> None:
    """'Het Onderwijskansenplan uitvoeren conform vastgesteld plan'; 'In Drenthe 2028, het Drents Olympisch
    plan, wordt aangegeven hoe sport gebruikt wordt …'; 'In de vigerende Sociale agenda is het beleid erop
    gericht dat de instellingen na 2012 op eigen benen staan'; 'Reeds in de vorige Sociale agenda, Mensen
    in het Middelpunt'; 'nieuw Visiedocument GS op het Drents middenbestuur'."""
    assert "conform vastgesteld plan" in description(kg, "id/programma/onderwijskansenplan")
    assert "Drents Olympisch plan" in description(kg, "id/programma/drenthe-2028")
    assert "na 2012 op eigen benen" in description(kg, "id/programma/sociale-agenda")
    assert "vorige Sociale agenda" in description(kg, "id/programma/mensen-in-het-middelpunt")
    assert "3 februari 2010" in description(kg, "id/programma/pns")
    assert "in februari 2009 door Provinciale Staten goedgekeurd" in description(
        kg, "id/programma/uitvoeringsplan-amen")
    assert "najaar 2010" in description(kg, "id/programma/plan-afbouw-taken")
    assert "zachte landing" in description(kg, "id/rapport/statenstuk-2009-366")
    assert responsible(kg, "id/programma/pns") == {"orgaan/gs-drenthe"}
    for programme in ("onderwijskansenplan", "drenthe-2028", "sociale-agenda", "omgevingsbeleid", "bestuursakkoord"):
        assert responsible(kg, f"id/programma/{programme}") == {"provincie/drenthe"}, programme
    assert kg.ask(BASE + "ASK { <id/programma/sociale-agenda> dcterms:replaces "
                         "<id/programma/mensen-in-het-middelpunt> }")
    # 'zal het in de planning genoemde plan … opgeleverd worden': passive, so nobody is named as its maker.
    assert responsible(kg, "id/programma/plan-afbouw-taken") == set()


def test_reports_cited_by_mogroep_swn_and_alleato_are_described(kg) -> None:
    """'De Gezondheidsraad is glashelder in haar adviesrapport Sociaal werk op solide basis'; 'Terecht pleit
    de SER in haar rapport ‘Gelijk een goede start’ daarom voor “een basisvoorziening voor elke peuter …”';
    'Tegengaan van bestuurlijke drukte is een belangrijk argument geweest achter het rapport ‘Ruimte, regie
    en rekenschap’'; 'Lysias in het evaluatieonderzoek Alleato, voorjaar 2009'."""
    assert "cruciale rol van de sociaalwerker" in description(kg, "id/rapport/sociaal-werk-op-solide-basis")
    assert "een basisvoorziening voor elke peuter" in description(kg, "id/rapport/gelijk-een-goede-start")
    assert "bestuurlijke drukte" in description(kg, "id/rapport/ruimte-regie-en-rekenschap")
    assert "Lysias" in description(kg, "id/rapport/evaluatieonderzoek-alleato-2009")
    assert "meer dan 127 miljoen" in description(kg, "id/programma/zonmw-kennisprogrammas-zorg")


def test_facts_from_heading_labels_are_properties(kg) -> None:
    """'Omgevingsbeleid (Drenthe)', 'Bestuursakkoord (Drenthe)' and 'Uitvoeringsplan (kader Amen en
    Bestuursakkoord)' carried their facts only in the label."""
    assert kg.ask(BASE + """ASK { <id/programma/uitvoeringsplan-amen>
        dcterms:references <id/rapport/amen-is-geen-amsterdam> , <id/programma/bestuursakkoord> }""")
    assert responsible(kg, "id/programma/omgevingsbeleid") == {"provincie/drenthe"}


# -- participations ------------------------------------------------------------------------------


def participations(kg, document: str) -> set[tuple[str, str, str]]:
    rows = kg.select(BASE + f"""
        SELECT ?p ?role ?quote WHERE {{
          <id/document/{document}> kg:hasParticipation ?p .
          ?p kg:participationIn <id/document/{document}> ; kg:statedIn <id/document/{document}> ;
             kg:participationRole ?role ; kg:quote ?quote .
        }}""")
    return {(tail(r["p"]), tail(r["role"]), r["quote"]) for r in rows}


def test_every_participation_has_its_document_and_quote_the_same_way(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?p WHERE {
          ?p a kg:Participation .
          FILTER NOT EXISTS { ?d kg:hasParticipation ?p . ?p kg:participationIn ?d ; kg:statedIn ?d ; kg:quote ?q }
        }""")
    assert rows == []
    assert kg.select(BASE + "SELECT (COUNT(?p) AS ?n) WHERE { ?p a kg:Participation }")[0]["n"] == "7"


def test_alleato_author_from_the_memo_header(kg) -> None:
    """'van: Alleato, Lineke Maat, directeur'."""
    assert participations(kg, "alleato-2010-kerntaken") == {
        ("alleato-2010-kerntaken-auteur", "auteur", "van: Alleato, Lineke Maat, directeur")}


def test_drenthe_handler_and_two_unnamed_signatories(kg) -> None:
    """'Behandeld door de heer J. Bos (0592) 36 56 32'; ', secretaris , voorzitter'."""
    found = participations(kg, "drenthe-2010-pns")
    assert ("drenthe-2010-pns-j-bos", "behandelaar", "Behandeld door de heer J. Bos (0592) 36 56 32") in found
    assert {(p, r) for p, r, q in found if q == ", secretaris , voorzitter"} == {
        ("drenthe-2010-pns-secretaris", "ondertekenaar"), ("drenthe-2010-pns-voorzitter", "ondertekenaar")}


def test_mogroep_2015_signatories_of_letter_and_call(kg) -> None:
    """Letter: 'Drs. M.P.M. (Marcel) Mathijssen', 'Teamleider Public Affairs', 'T. 030 – 721 0 730',
    'M. 06 – 29 25 94 13'; call: 'MOgroep directeur', 'Aly van Beek'."""
    letter = participations(kg, "mogroep-2015-brief")
    assert {q for _, _, q in letter} == {
        "Drs. M.P.M. (Marcel) Mathijssen", "Teamleider Public Affairs", "T. 030 – 721 0 730", "M. 06 – 29 25 94 13",
        "Werkdagen: maandag t/m vrijdag"}
    assert {(p, r) for p, r, _ in letter} == {("mogroep-2015-brief-mathijssen", "ondertekenaar")}
    call = participations(kg, "mogroep-2015-oproep")
    assert call == {("mogroep-2015-oproep-van-beek", "ondertekenaar", "MOgroep directeur"),
                    ("mogroep-2015-oproep-van-beek", "ondertekenaar", "Aly van Beek")}


def test_swn_contact_from_the_closing_line(kg) -> None:
    """'kunt u contact opnemen met Marcel Mathijssen, 06 – 29259412; mathijssen@sociaalwerk.nl'."""
    ((p, role, quote),) = participations(kg, "swn-2017-gemeenten")
    assert (p, role) == ("swn-2017-gemeenten-mathijssen", "contactpersoon")
    assert "Marcel Mathijssen, 06 – 29259412; mathijssen@sociaalwerk.nl" in quote


def test_the_2014_paper_names_no_person(kg) -> None:
    assert participations(kg, "mogroep-2014-transformeren") == set()


def test_every_addressee_rests_on_a_quote_of_its_document(kg) -> None:
    """Addressees stay kg:addressee (an organisation, body or group, not a person); the words they rest on
    are quotes of the document: 'aan: Gedeputeerde Staten en Provinciale Staten provincie Utrecht',
    'Geachte voorzitter/leden,', 'Aan de statengriffier,', 'Geachte Gedeputeerde Statenleden van alle
    provincies,', 'De MOgroep roept kabinet en politiek op', 'als landelijke politieke partij'."""
    expected = {
        "alleato-2010-kerntaken": "Gedeputeerde Staten en Provinciale Staten provincie Utrecht",
        "drenthe-2010-pns": "Geachte voorzitter/leden,",
        "mogroep-2015-brief": "Aan de statengriffier,",
        "mogroep-2015-oproep": "Geachte Gedeputeerde Statenleden van alle provincies,",
        "mogroep-2014-transformeren": "De MOgroep roept kabinet en politiek op",
        "swn-2017-gemeenten": "als landelijke politieke partij",
    }
    for document, words in expected.items():
        assert kg.ask(BASE + f"""ASK {{ <id/document/{document}> kg:addressee ?a ; kg:quote ?q .
            FILTER(CONTAINS(?q, "{words}")) }}"""), document

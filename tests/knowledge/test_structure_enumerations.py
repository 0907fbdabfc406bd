"""Issue 16, pattern 1: the lists the documents introduce, as kg:Enumeration nodes.

For every list: its title as written, its own quote, and its items in order, each pointing to the
claim(s) it is. The expected items are fragments of the source texts (data/bronnen/), in the order
the document gives them; a test finds each fragment in a quote of the claim at that position.
"""

from __future__ import annotations

BASE = "BASE <https://w3id.org/kennisgraaf/>\n"
ID = "https://w3id.org/kennisgraaf/id/"


def items(kg, enumeration: str) -> list[tuple[int, set[str]]]:
    """(position, all quotes of the item's claims) in kg:position order."""
    rows = kg.select(BASE + f"""
        SELECT ?position ?quote WHERE {{
          <id/opsomming/{enumeration}> kg:hasItem ?item .
          ?item kg:position ?position ; kg:itemClaim ?claim .
          ?claim kg:quote ?quote .
        }} ORDER BY ?position""")
    out: dict[int, set[str]] = {}
    for r in rows:
        out.setdefault(int(r["position"]), set()).add(r["quote"])
    return sorted(out.items())


def assert_items(kg, enumeration: str, expected: list[str]) -> None:
    found = items(kg, enumeration)
    assert [p for p, _ in found] == list(range(1, len(expected) + 1)), enumeration
    for (position, quotes), fragment in zip(found, expected, strict=True):
        assert any(fragment in q for q in quotes), f"{enumeration} item {position}: {fragment!r} not in {quotes}"


def enumerations_of(kg, document: str) -> dict[str, tuple[str, int]]:
    rows = kg.select(BASE + f"""
        SELECT ?e ?title (COUNT(?item) AS ?n) WHERE {{
          ?e a kg:Enumeration ; kg:statedIn <id/document/{document}> ; kg:titleAsWritten ?title ; kg:hasItem ?item .
        }} GROUP BY ?e ?title""")
    return {r["e"].rsplit("/", 1)[1]: (r["title"], int(r["n"])) for r in rows}


# -- 003 · Alleato memo ------------------------------------------------------------------------


def test_alleato_enumerates_reasons_roles_and_follow_up(kg) -> None:
    assert enumerations_of(kg, "alleato-2010-kerntaken") == {
        "alleato-2010-kerntaken-redenen":
            ("De provincie Utrecht moeten een rol blijven vervullen op het sociale domein omdat:", 4),
        "alleato-2010-kerntaken-rollen":
            ("Alleato ziet voor de provincie de volgende rollen in het sociale domein:", 4),
        "alleato-2010-kerntaken-mogelijkheden-voor-vervolg": ("Mogelijkheden voor vervolg", 4),
    }


def test_alleato_the_four_reasons_in_order(kg) -> None:
    assert_items(kg, "alleato-2010-kerntaken-redenen", [
        "*Integraliteit*", "*Schaalgrootte*", "*Bovengemeentelijke samenwerking*", "*Kennis delen en verankeren*"])


def test_alleato_the_four_roles_in_order(kg) -> None:
    assert_items(kg, "alleato-2010-kerntaken-rollen", [
        "Borgen van kennis en deskundigheid",
        "Stimuleren en faciliteren van onderlinge uitwisseling van kennis en ervaring",
        "Faciliteren van bovenlokale samenwerking",
        "Stimuleren en faciliteren van innovatie in het sociale domein"])


def test_alleato_the_four_follow_up_proposals_in_order(kg) -> None:
    assert_items(kg, "alleato-2010-kerntaken-mogelijkheden-voor-vervolg", [
        "bijeenkomst met Statenleden", "in samenwerking met CMO's in andere provincies faciliteren",
        "in beeld welke keuzes gemeenten maken", "een bijeenkomst met wethouders"])


# -- 002 · MOgroep position paper -------------------------------------------------------------


def test_mogroep_2014_enumerates_the_three_preconditions_and_the_new_laws(kg) -> None:
    assert enumerations_of(kg, "mogroep-2014-transformeren") == {
        "mogroep-2014-transformeren-drie-randvoorwaarden": ("Drie randvoorwaarden hervorming sociaal domein", 3),
        "mogroep-2014-transformeren-nieuwe-wetgeving": ("de nieuwe wetgeving", 4),
    }
    assert_items(kg, "mogroep-2014-transformeren-drie-randvoorwaarden", [
        "Werken aan nieuwe oplossingen", "Participeren moet ook kúnnen",
        "30 Miljoen voor kennisontwikkeling en vakmanschap van de sociaal werker"])


def test_mogroep_2014_the_new_laws_in_order_are_law_mentions(kg) -> None:
    """'( Wmo, Jeugdwet, Wet langdurige zorg en Participatiewet)'."""
    rows = kg.select(BASE + """
        SELECT ?position ?written WHERE {
          <id/opsomming/mogroep-2014-transformeren-nieuwe-wetgeving> kg:hasItem ?item .
          ?item kg:position ?position ; kg:itemClaim ?m . ?m a kg:LawMention ; kg:nameAsWritten ?written .
        } ORDER BY ?position""")
    assert [r["written"] for r in rows] == ["Wmo", "Jeugdwet", "Wet langdurige zorg", "Participatiewet"]


# -- 000 · MOgroep oproep ----------------------------------------------------------------------


def test_mogroep_2015_enumerates_roles_investments_and_themes(kg) -> None:
    assert enumerations_of(kg, "mogroep-2015-oproep") == {
        "mogroep-2015-oproep-innovator-verbinder-financier": ("een belangrijke taak", 3),
        "mogroep-2015-oproep-investeren-door": ("investeren in het sociaal domein door", 3),
        "mogroep-2015-oproep-themas": ("Thema’s", 6),
    }
    assert enumerations_of(kg, "mogroep-2015-brief") == {}


def test_mogroep_2015_the_roles_in_order_are_role_proposals(kg) -> None:
    """'als innovator, verbinder en financier van vernieuwing'."""
    rows = kg.select(BASE + """
        SELECT ?position ?type WHERE {
          <id/opsomming/mogroep-2015-oproep-innovator-verbinder-financier> kg:hasItem ?item .
          ?item kg:position ?position ; kg:itemClaim/kg:roleType ?type .
        } ORDER BY ?position""")
    assert [r["type"].rsplit("/", 1)[1] for r in rows] == ["innovator", "verbinder", "financier"]


def test_mogroep_2015_the_six_themes_in_order(kg) -> None:
    """'Thema’s als leefbaarheid, armoede, werkloosheid, vergrijzing, eenzaamheid en krimp'."""
    rows = kg.select(BASE + """
        SELECT ?position ?theme WHERE {
          <id/opsomming/mogroep-2015-oproep-themas> kg:hasItem ?item .
          ?item kg:position ?position ; kg:itemClaim/kg:theme ?theme .
        } ORDER BY ?position""")
    assert [r["theme"].rsplit("/", 1)[1] for r in rows] == [
        "leefbaarheid", "armoede", "werkloosheid", "vergrijzing", "eenzaamheid", "krimp"]
    assert_items(kg, "mogroep-2015-oproep-investeren-door", [
        "kennisontwikkeling", "nieuwe coalities smeden", "innovatieve experimenten"])


# -- 001 · Drenthe letter ----------------------------------------------------------------------


def test_drenthe_enumerates_tasks_products_principles_and_steps(kg) -> None:
    assert enumerations_of(kg, "drenthe-2010-pns") == {
        "drenthe-2010-pns-denk-hierbij-aan": ("Denk hierbij aan", 5),
        "drenthe-2010-pns-producten": ("Uitwerking PNS voor sociaal domein op productniveau", 5),
        "drenthe-2010-pns-uitgangspunten": ("Uitgangspunten", 4),
        "drenthe-2010-pns-vervolgstappen": ("Vervolgstappen PNS", 4),
    }


def test_drenthe_the_products_in_order(kg) -> None:
    """'- Mijn ontwikkeling' … '- Mijn jeugd': the assessment of each product (two for Mijn omgeving)."""
    rows = kg.select(BASE + """
        SELECT ?position ?c ?product WHERE {
          <id/opsomming/drenthe-2010-pns-producten> kg:hasItem ?item .
          ?item kg:position ?position ; kg:itemClaim ?c .
          { ?c kg:concerns ?product } UNION { ?c kg:productLine ?product }
          ?product a kg:ProductLine .
        } ORDER BY ?position""")
    found: dict[int, tuple[set[str], set[str]]] = {}
    for r in rows:
        products, claims = found.setdefault(int(r["position"]), (set(), set()))
        products.add(r["product"].rsplit("/", 1)[1])
        claims.add(r["c"])
    assert [(sorted(p), len(c)) for _, (p, c) in sorted(found.items())] == [
        (["mijn-ontwikkeling"], 1), (["mijn-beweging"], 1), (["mijn-omgeving"], 2), (["mijn-dag"], 1),
        (["mijn-jeugd"], 1)]


def test_drenthe_the_rijk_tasks_principles_and_steps_in_order(kg) -> None:
    assert_items(kg, "drenthe-2010-pns-denk-hierbij-aan", [
        "de WMO", "de WSW", "volwasseneneducatie", "aanpak voortijdig schoolverlaters", "onderwijshuisvesting"])
    assert_items(kg, "drenthe-2010-pns-uitgangspunten", [
        "Provincie is in positie als initiator", "(rol: initiëren, regisseren)",
        "De provincie geeft het primaat in het sociale domein aan de gemeenten.", "leefbaarheidscomponent"])
    assert_items(kg, "drenthe-2010-pns-vervolgstappen", [
        "Uitvoeringsplan in 2008", "nieuw Visiedocument GS", "Plan afbouw taken", "Uitvoering afbouw taken in 2010"])


def test_drenthe_one_bullet_two_claims(kg) -> None:
    """'(rol: initiëren, regisseren)': one item, two role proposals."""
    rows = kg.select(BASE + """
        SELECT ?type WHERE {
          <id/opsomming/drenthe-2010-pns-uitgangspunten> kg:hasItem ?item .
          ?item kg:position 2 ; kg:itemClaim/kg:roleType ?type .
        }""")
    assert sorted(r["type"].rsplit("/", 1)[1] for r in rows) == ["initiator", "regisseur"]


# -- 004 · Sociaal Werk Nederland letter -------------------------------------------------------


def test_swn_enumerates_suggestions_and_their_sublists(kg) -> None:
    assert enumerations_of(kg, "swn-2017-gemeenten") == {
        "swn-2017-gemeenten-pleit-voor": ("Dan pleit u voor het volgende:", 13),
        "swn-2017-gemeenten-beschermingsbewind-korte-termijn":
            ("Maar de gemeente kan ook op korte termijn al iets aan deze stijgende kosten doen:", 3),
        "swn-2017-gemeenten-integratie-statushouders": ("Dit betekent dat:", 2),
        "swn-2017-gemeenten-acties-erkenning-vrijwilligerswerk": ("Goede acties voor die erkenning zijn:", 3),
        "swn-2017-gemeenten-bijdragen-preventie-wijk": (
            "De gemeente kan bijdragen aan de opzet, uitvoering en afstemming van preventieprogramma’s (WPG) en "
            "maatschappelijke ondersteuning (WMO) door:", 7),
    }


def test_swn_the_thirteen_suggestions_in_order(kg) -> None:
    assert_items(kg, "swn-2017-gemeenten-pleit-voor", [
        "investeren in peutervoorzieningen", "kind- en gezinsgerichte",
            "Geef voortijdige schoolverlaters een perspectief",
        "Gemeente en verzekeraar investeren gezamenlijk in preventie", "meer aandacht voor preventie",
        "Gemeenten verbeteren de aanpak van schulden en armoede",
            "Gemeenten vergroten hun grip op de instroom tot beschermingsbewind",
        "integratie van statushouders", "Gemeenten erkennen de waarde van het vrijwilligerswerk",
        "mantelzorgers een beroep kunnen doen op ondersteuning", "wijkinfrastructuur",
        "Gemeenten gaan voor transparante kwaliteit", "Professionaliseringplannen"])


def test_swn_the_sublists_in_order(kg) -> None:
    assert_items(kg, "swn-2017-gemeenten-acties-erkenning-vrijwilligerswerk", ["Door iedereen",
        "Op jonge leeftijd", "Samen"])
    assert_items(kg, "swn-2017-gemeenten-integratie-statushouders", [
        "Statushouders integraal, structureel en vroegtijdig begeleid", "draagvlak"])
    assert_items(kg, "swn-2017-gemeenten-beschermingsbewind-korte-termijn", [
        "Ga als gemeente in gesprek", "een rol van betekenis",
            "financiële dienstverlening voor deze doelgroepen evalueren"])
    assert_items(kg, "swn-2017-gemeenten-bijdragen-preventie-wijk", [
        "Multifunctionele Accommodatie", "gezondheidsverschillen", "Afspraken met wijkpartners", "Wijkgemeenschap",
        "Laagdrempelige inloopplekken", "Gemeenschappelijke leer- en werkplekken", "formele en informele zorg"])


# -- across documents --------------------------------------------------------------------------


def test_every_enumeration_has_its_own_quote_containing_its_title(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?e WHERE {
          ?e a kg:Enumeration ; kg:titleAsWritten ?t .
          FILTER NOT EXISTS { ?e kg:quote ?q FILTER(CONTAINS(STR(?q), STR(?t))) }
        }""")
    assert rows == []
    counts = kg.select(BASE + "SELECT (COUNT(?e) AS ?n) WHERE { ?e a kg:Enumeration }")
    assert counts[0]["n"] == "17"


def test_order_within_a_list_needs_no_shared_order_number(kg) -> None:
    """Positions run 1…n within each list, whatever kg:order numbers the claims carry."""
    rows = kg.select(BASE + """
        SELECT ?e (COUNT(?i) AS ?n) (MAX(?p) AS ?max) (COUNT(DISTINCT ?p) AS ?distinct) WHERE {
          ?e kg:hasItem ?i . ?i kg:position ?p .
        } GROUP BY ?e""")
    assert rows and all(r["n"] == r["max"] == r["distinct"] for r in rows)

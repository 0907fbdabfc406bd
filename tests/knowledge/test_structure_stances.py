"""Issue 16, pattern 2: positions with a direction (kg:stanceType, scheme id/begrippenkader/strekkingen).

The stance type sits beside the stance in words; the classification is editorial and accounted for
in docs/data-review.md. Each test names the words of the source text the direction rests on.
"""

from __future__ import annotations

BASE = "BASE <https://w3id.org/kennisgraaf/>\n"


def stances(kg, document: str) -> dict[str, tuple[str, frozenset[str]]]:
    rows = kg.select(BASE + f"""
        SELECT ?p ?type ?for WHERE {{
          ?p a kg:Position ; kg:statedIn <id/document/{document}> ; kg:stanceType ?type .
          OPTIONAL {{ ?p kg:stanceFor ?for }}
        }}""")
    out: dict[str, tuple[str, set[str]]] = {}
    for r in rows:
        slug = r["p"].rsplit("/", 1)[1].removeprefix(document + "-")
        _, fors = out.setdefault(slug, (r["type"].rsplit("/", 1)[1], set()))
        if r.get("for"):
            fors.add(r["for"].split("/id/", 1)[1])
    return {k: (t, frozenset(f)) for k, (t, f) in out.items()}


def test_the_stance_scheme_has_five_bilingual_types(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?c ?nl ?en WHERE {
          ?c skos:inScheme <id/begrippenkader/strekkingen> ; a kg:StanceType ;
             skos:prefLabel ?nl , ?en . FILTER(lang(?nl) = "nl" && lang(?en) = "en")
        }""")
    assert {(r["c"].rsplit("/", 1)[1], r["nl"], r["en"]) for r in rows} == {
        ("bepleiten", "bepleit", "advocates"), ("afwijzen", "wijst af", "opposes"), ("beperken", "beperkt", "limits"),
        ("voorwaarden-stellen", "stelt voorwaarden", "conditions"), ("beschrijven", "beschrijft", "describes")}


def test_every_position_has_exactly_one_stance_type_beside_its_words(kg) -> None:
    rows = kg.select(BASE + """
        SELECT ?p (COUNT(DISTINCT ?t) AS ?n) WHERE {
          ?p a kg:Position . OPTIONAL { ?p kg:stanceType ?t }
        } GROUP BY ?p""")
    assert len(rows) == 49 and all(r["n"] == "1" for r in rows)


def test_alleato_advocates_a_lasting_but_limited_role_for_utrecht(kg) -> None:
    """'De provincie Utrecht moeten een rol blijven vervullen'; 'Ook als taken rondom jeugdzorg wijzigen,
    behoudt de provincie een functie'; 'De rol van de provincie in het sociale domein is vooral
    stimulerend en faciliterend'; 'een heroverweging ... is op zijn plek' (a finding, no direction)."""
    utrecht = frozenset({"provincie/utrecht"})
    assert stances(kg, "alleato-2010-kerntaken") == {
        "rol-blijven-vervullen": ("bepleiten", utrecht),
        "jeugdzorg": ("bepleiten", utrecht),
        "stimulerend-en-faciliterend": ("beperken", utrecht),
        "heroverweging": ("beschrijven", frozenset()),
    }


def test_drenthe_opposes_limits_and_advocates_per_product(kg) -> None:
    """'De provincie voert geen eigen sociaal beleid uit'; Mijn omgeving: 'Voor de provincie is hier geen
    rol en verantwoordelijkheid weggelegd'; Mijn ontwikkeling / beweging / dag: no core task, yet a
    'mogelijke agendazettende rol', Topsport, 'toegevoegde waarde' in the Omgevingsbeleid; 'Indien u
    deze suggestie ... overneemt, is het college bereid' (a condition)."""
    found = stances(kg, "drenthe-2010-pns")
    drenthe = frozenset({"provincie/drenthe"})
    assert {k for k, (t, _) in found.items() if t == "afwijzen"} == {
        "geen-eigen-sociaal-beleid", "mijn-omgeving-geen-rol"}
    assert {k for k, (t, _) in found.items() if t == "beperken"} == {
        "mijn-ontwikkeling", "mijn-beweging", "mijn-dag", "provinciale-rol"}
    assert found["ambtelijke-ondersteuning"] == ("voorwaarden-stellen", frozenset({"orgaan/gs-drenthe"}))
    assert found["mijn-omgeving-provinciaal-belang"] == ("bepleiten", drenthe)
    assert found["sociaal-na-2013"] == ("bepleiten", drenthe)
    assert {k for k, (t, _) in found.items() if t == "beschrijven"} == {
        "streven", "bezuinigingen", "consistent-beleid", "gemeente-belangrijkste-speler",
        "onzekere-toekomst-instellingen"}
    assert all(f <= drenthe | {"orgaan/gs-drenthe"} for _, f in found.values())


def test_mogroep_2014_conditions_the_reform(kg) -> None:
    """'Drie randvoorwaarden hervorming sociaal domein'; each precondition pleads ('pleit ... voor',
    'breekt een lans voor', 'pleit ervoor ... 30 miljoen')."""
    found = stances(kg, "mogroep-2014-transformeren")
    assert found["drie-randvoorwaarden"][0] == "voorwaarden-stellen"
    assert {found[f"randvoorwaarde-{i}"][0] for i in (1, 2, 3)} == {"bepleiten"}
    assert found["stelselwijziging"][0] == "beschrijven"


def test_mogroep_2015_advocates_a_role_for_the_provinces(kg) -> None:
    """'De MOgroep ... ziet dat provincies een belangrijke rol kunnen vervullen'; the six themes 'moeten
    [niet alleen] op gemeentelijk niveau worden aangepakt'; 'Slechts een enkele provincie legt deze
    logische verbindingen' (a finding)."""
    oproep = stances(kg, "mogroep-2015-oproep")
    provinces = frozenset({"overheid/provincies"})
    assert {k for k, v in oproep.items() if v == ("bepleiten", provinces)} == {
        "plek-in-collegeprogramma", "belangrijke-rol-provincies", "bovenlokale-vraagstukken", "fysiek-en-sociaal",
        "innovatie-verlengde-kerntaken", "thema-1-leefbaarheid", "thema-2-armoede", "thema-3-werkloosheid",
        "thema-4-vergrijzing", "thema-5-eenzaamheid", "thema-6-krimp"}
    assert oproep["enkele-provincie"][0] == "beschrijven"
    assert stances(kg, "mogroep-2015-brief") == {"plek-in-collegeprogramma": ("bepleiten", provinces)}


def test_swn_2017_advocates_for_municipalities_and_social_work_and_limits_self_reliance(kg) -> None:
    """'De versterking van de sociale basis(voorzieningen) in buurten is een cruciale opgave voor gemeenten';
    'Sociaal maakt gezond'; 'Burgers vragen om op hun eigen kracht te vertrouwen, is mooi als principe maar
    heeft ook zijn grenzen'."""
    found = stances(kg, "swn-2017-gemeenten")
    assert found["sociale-basis"] == ("bepleiten", frozenset({"overheid/gemeenten"}))
    assert found["sociaal-maakt-gezond"] == ("bepleiten", frozenset({"groep/sociaal-werkers"}))
    assert found["grenzen-eigen-kracht"][0] == "beperken"
    assert found["kracht-en-macht"][0] == "beschrijven"


def test_across_documents_who_advocates_and_who_limits_a_provincial_role(kg) -> None:
    """One query: positions on a province's role by direction. Alleato and the MOgroep advocate a
    provincial role; Drenthe's own GS advocate, limit and oppose parts of theirs."""
    rows = kg.select(BASE + """
        SELECT DISTINCT ?holder ?type WHERE {
          ?p a kg:Position ; kg:stanceType ?type ; kg:stanceFor ?for ; kg:proposedBy ?holder .
          ?for kg:bodyOf?/kg:layer <id/bestuurslaag/provincie> .
        }""")
    found = {(r["holder"].split("/id/", 1)[1], r["type"].rsplit("/", 1)[1]) for r in rows}
    assert found == {
        ("organisatie/alleato", "bepleiten"), ("organisatie/alleato", "beperken"),
        ("organisatie/mogroep", "bepleiten"),
        ("orgaan/gs-drenthe", "bepleiten"), ("orgaan/gs-drenthe", "beperken"), ("orgaan/gs-drenthe", "afwijzen"),
        ("orgaan/gs-drenthe", "voorwaarden-stellen"),
    }

"""Review questions: further competency questions of the kinds in ../shared/questions.md.

Written during the review of faithfulness and coverage (docs/data-review.md). Each test asks a
question a policy analyst would ask of one document or across documents, and checks the answer
against what the source texts say (the quotes in the docstrings are verbatim from data/bronnen/).
"""

from __future__ import annotations

from decimal import Decimal

BASE = "BASE <https://w3id.org/kennisgraaf/>\n"
ID = "https://w3id.org/kennisgraaf/id/"


def tail(iri: str) -> str:
    return iri.rsplit("/", 1)[1]


# -- R01 · programmes per product line (001) ---------------------------------------------------


def test_r01_programmes_drenthe_names_per_product_line(kg) -> None:
    """Which programmes and plans does the Drenthe letter name, and under which product line?

    Mijn ontwikkeling: 'Het Onderwijskansenplan uitvoeren conform vastgesteld plan.'
    Mijn beweging: 'In Drenthe 2028, het Drents Olympisch plan, …'; 'zoals aangegeven in Amen is geen
    Amsterdam'. Mijn omgeving: '… in het nieuwe Omgevingsbeleid. Ook het provinciaal
    Meerjarenprogramma is hierbij van belang.' Mijn dag: '… in het nieuwe Omgevingsbeleid.'
    Mijn jeugd: 'het succes van het Drentse jeugdzorgprogramma'; 'jeugdzorg en uitvoering
    Onderwijskansenplan met elkaar te verbinden'. Four products phase out 'in de lijn van de Sociale
    agenda en gesloten allianties met gemeenten'.
    """
    rows = kg.select(BASE + """
        SELECT DISTINCT ?product ?programme WHERE {
          ?claim kg:statedIn <id/document/drenthe-2010-pns> .
          { ?claim kg:productLine ?p } UNION { ?claim kg:concerns ?p . ?p a kg:ProductLine }
          ?claim kg:inLineWith|kg:concerns|kg:recipient|kg:citedSource ?prog .
          { ?prog a kg:Programme } UNION { ?prog a kg:Report }
          BIND(STRAFTER(STR(?p), "product/") AS ?product)
          BIND(STRAFTER(STR(?prog), "id/") AS ?programme)
        }""")
    found = {(r["product"], r["programme"]) for r in rows}
    frames = {"programma/sociale-agenda", "programma/sociale-allianties"}
    expected = {
        "mijn-ontwikkeling": {"programma/onderwijskansenplan"} | frames,
        "mijn-beweging": {"programma/drenthe-2028", "rapport/amen-is-geen-amsterdam"} | frames,
        "mijn-omgeving": {"programma/omgevingsbeleid", "programma/meerjarenprogramma"} | frames,
        "mijn-dag": {"programma/omgevingsbeleid"} | frames,
        "mijn-jeugd": {"programma/drentse-jeugdzorgprogramma", "programma/onderwijskansenplan"},
    }
    assert found == {(product, prog) for product, progs in expected.items() for prog in progs}


def test_r01_current_tasks_of_mijn_beweging_and_which_gets_a_consequence(kg) -> None:
    """'De huidige provinciale taken (verbeteren accommodaties gehandicaptensport en stimuleren
    breedtesport)' — only 'Taken voor breedtesport afbouwen' follows; the other task gets none."""
    current = kg.select(BASE + """
        SELECT ?task WHERE {
          ?p a kg:Position ; kg:statedIn <id/document/drenthe-2010-pns> ;
             kg:concerns <id/product/mijn-beweging> ; kg:task/skos:prefLabel ?task .
          FILTER(lang(?task) = "nl")
        }""")
    assert {r["task"] for r in current} == {"verbeteren accommodaties gehandicaptensport", "stimuleren breedtesport"}
    changed = kg.select(BASE + """
        SELECT ?task ?action WHERE {
          ?c a kg:TaskChange ; kg:statedIn <id/document/drenthe-2010-pns> ;
             kg:productLine <id/product/mijn-beweging> ; kg:task ?task ; kg:action ?action .
        }""")
    assert {(tail(r["task"]), tail(r["action"])) for r in changed} == {
        ("breedtesport", "afbouwen"), ("topsport", "aandacht-houden")}


def test_r01_mijn_dag_tasks_go_to_the_municipalities_but_that_is_derived(kg) -> None:
    """Mijn dag: 'Taken afbouwen en overdragen …' names neither the tasks nor a recipient; the graph
    gives both, each marked as derived."""
    rows = kg.select(BASE + """
        SELECT ?action ?recipient ?note WHERE {
          ?c a kg:TaskChange ; kg:statedIn <id/document/drenthe-2010-pns> ;
             kg:productLine <id/product/mijn-dag> ; kg:action ?action ; skos:editorialNote ?note .
          OPTIONAL { ?c kg:recipient ?recipient }
          FILTER(lang(?note) = "en")
        }""")
    assert {(tail(r["action"]), r.get("recipient")) for r in rows} == {
        ("afbouwen", None), ("overdragen", ID + "overheid/gemeenten")}
    assert all("derived" in r["note"] for r in rows)
    assert all("recipient" in r["note"] for r in rows if r.get("recipient"))


# -- R02 · figures about debts (004) -----------------------------------------------------------


def test_r02_figures_the_2017_letter_gives_about_debts(kg) -> None:
    """'80% van de vragen bij de sociale (wijk)teams en integrale intakes gaat (mede) over financiën;
    bijna 1 op de 5 huishoudens heeft risicovolle schulden.' No source, no year."""
    rows = kg.select(BASE + """
        SELECT ?written ?value ?unit ?year ?source WHERE {
          ?f a kg:Figure ; kg:statedIn <id/document/swn-2017-gemeenten> ; kg:theme <id/thema/schulden> ;
             kg:valueAsWritten ?written ; kg:value ?value ; kg:unit ?unit .
          OPTIONAL { ?f kg:referenceYear ?year }
          OPTIONAL { ?f kg:citedSource ?source }
        }""")
    assert {(r["written"], Decimal(r["value"]), tail(r["unit"])) for r in rows} == {
        ("80%", Decimal("80"), "procent"), ("bijna 1 op de 5", Decimal("0.2"), "aandeel")}
    assert all("year" not in r and "source" not in r for r in rows)


def test_r02_figures_on_protective_administration_a_narrower_debt_theme(kg) -> None:
    """Beschermingsbewind is a narrower theme of schulden: 'jaarlijks met zo’n 40.000', '1,5 tot 2
    keer hoger dan de Rijksbijdrage', 'Bij 70% van de aanvragen', 'bijna verdrievoudigd tussen 2010
    en 2014', 'Na drie onderzoeken'."""
    rows = kg.select(BASE + """
        SELECT ?written ?value ?year WHERE {
          ?f a kg:Figure ; kg:statedIn <id/document/swn-2017-gemeenten> ; kg:theme ?theme ;
             kg:valueAsWritten ?written ; kg:value ?value .
          ?theme skos:broader <id/thema/schulden> .
          OPTIONAL { ?f kg:referenceYear ?year }
        }""")
    assert {(r["written"], Decimal(r["value"]), r.get("year")) for r in rows} == {
        ("zo’n 40.000", Decimal("40000"), None),
        ("1,5 tot 2 keer hoger", Decimal("1.5"), None),
        ("1,5 tot 2 keer hoger", Decimal("2"), None),
        ("70%", Decimal("70"), None),
        ("bijna verdrievoudigd", Decimal("3"), "2014"),
        ("drie onderzoeken", Decimal("3"), None),
    }


# -- R03 · what the MOgroep asks of the cabinet (002) ------------------------------------------


def test_r03_what_the_mogroep_asks_cabinet_and_politics_in_2014(kg) -> None:
    """'De MOgroep pleit al vanaf het begin voor het starten van een Transformatieroute en -agenda';
    'om een kwart van deze middelen - 30 miljoen - te investeren'; 'De MOgroep roept kabinet en
    politiek op om … een stimuleringsprogramma Maatschappelijke ondersteuning mogelijk te maken.'"""
    rows = kg.select(BASE + """
        SELECT ?rec ?year WHERE {
          ?rec a kg:Recommendation ; kg:proposedBy <id/organisatie/mogroep> ;
               kg:addressedTo <id/orgaan/kabinet> ; kg:statedIn ?doc .
          ?doc kg:derivedDate ?year .
        }""")
    assert {(tail(r["rec"]), r["year"]) for r in rows} == {
        ("mogroep-2014-transformeren-transformatieroute", "2014"),
        ("mogroep-2014-transformeren-30-miljoen", "2014"),
        ("mogroep-2014-transformeren-stimuleringsprogramma", "2014"),
    }
    programme = kg.select(BASE + """
        SELECT ?label WHERE {
          <id/aanbeveling/mogroep-2014-transformeren-stimuleringsprogramma> kg:concerns/rdfs:label ?label ;
              kg:citedSource/dcterms:title "Sociaal werk op solide basis"@nl .
          FILTER(lang(?label) = "nl")
        }""")
    assert [r["label"] for r in programme] == ["stimuleringsprogramma Maatschappelijke ondersteuning"]


# -- R04 · themes across documents -------------------------------------------------------------


def test_r04_which_documents_treat_poverty_and_which_youth_care(kg) -> None:
    """Armoede: the oproep (thema's 'leefbaarheid, armoede, …'), 'Niet repareren' ('armoede en
    schulden') and the 2017 letter ('zo’n 421.000 kinderen leven in armoede'); neither 2010 document.
    Jeugdzorg: all five source texts (001 Mijn jeugd, 002 'jeugdzorg', 003 UJC, 000 'ook de
    jeugdzorg is naar gemeenten overgeheveld', 004 'jeugdhulp', 'wet Jeugd')."""
    query = BASE + """
        SELECT DISTINCT ?file WHERE {
          ?doc kg:about ?theme ; kg:sourceText/kg:fileName ?name . BIND(SUBSTR(?name, 1, 3) AS ?file)
        }"""
    poverty = {r["file"] for r in kg.select(query.replace("?theme", "<id/thema/armoede>"))}
    youth = {r["file"] for r in kg.select(query.replace("?theme", "<id/thema/jeugdzorg>"))}
    assert poverty == {"000", "002", "004"}
    assert youth == {"000", "001", "002", "003", "004"}


def test_r04_every_theme_a_claim_carries_is_also_a_theme_of_its_document(kg) -> None:
    """Consistency: a document is about (kg:about) every theme its claims carry (kg:theme)."""
    rows = kg.select(BASE + """
        SELECT DISTINCT ?doc ?theme WHERE {
          ?claim kg:statedIn ?doc ; kg:theme ?theme .
          FILTER NOT EXISTS { ?doc kg:about ?theme }
          FILTER NOT EXISTS { ?doc kg:attachmentOf ?letter . ?letter kg:about ?theme }
        }""", asserted=True)
    assert rows == []


# -- R05 · a timeline of documents and events --------------------------------------------------


def test_r05_timeline_with_printed_and_derived_dates(kg) -> None:
    """Documents by date (printed: 003 'datum: 11 januari 2010', 001 'Assen, 14 januari 2010';
    derived: 002 2014, 000 2015, 004 2017) and the events they name, each with its date and whether
    the date (year) is derived: the UJC-werkconferentie '9 oktober jl.', the statenvergadering
    'van 16 december 2009', the PNS decision '3 februari 2010', 'de lokale verkiezingen voorjaar
    2010', the Provinciale Statenverkiezingen 'Op 18 maart', the kabinetsformatie 'nog in volle
    gang', 'de gemeenteraadsverkiezingen van 21 maart 2018'."""
    rows = kg.select(BASE + """
        SELECT ?thing ?date ?derived ?mentionedIn WHERE {
          {
            ?thing kg:sourceText ?source .
            OPTIONAL { ?thing kg:printedDate ?printed }
            OPTIONAL { ?thing kg:derivedDate ?derivedDate }
            BIND(COALESCE(?printed, ?derivedDate) AS ?date)
            BIND(BOUND(?derivedDate) AS ?derived)
          } UNION {
            ?thing a kg:Event ; dcterms:date ?date .
            ?mention kg:mentions ?thing . BIND(STRAFTER(STR(?mention), "document/") AS ?mentionedIn)
            OPTIONAL { ?thing skos:editorialNote ?note FILTER(lang(?note) = "en" && CONTAINS(?note, "derived")) }
            BIND(BOUND(?note) AS ?derived)
          }
        }""", asserted=True)
    found = {tail(r["thing"]): (r["date"], r["derived"], r.get("mentionedIn")) for r in rows}
    assert len(found) == len(rows)  # each event is named in one document
    assert found == {
        "alleato-2010-kerntaken": ("2010-01-11", "false", None),
        "drenthe-2010-pns": ("2010-01-14", "false", None),
        "mogroep-2014-transformeren": ("2014", "true", None),
        "mogroep-2015-brief": ("2015", "true", None),
        "mogroep-2015-oproep": ("2015", "true", None),
        "swn-2017-gemeenten": ("2017", "true", None),
        "ujc-werkconferentie": ("2009-10-09", "true", "alleato-2010-kerntaken"),
        "statenvergadering-drenthe-2009-12-16": ("2009-12-16", "false", "drenthe-2010-pns"),
        "statenvergadering-drenthe-2010-02-03": ("2010-02-03", "false", "drenthe-2010-pns"),
        "lokale-verkiezingen-2010": ("2010", "false", "alleato-2010-kerntaken"),
        "provinciale-statenverkiezingen-2015": ("2015-03-18", "true", "mogroep-2015-oproep"),
        "kabinetsformatie-2017": ("2017", "true", "swn-2017-gemeenten"),
        "gemeenteraadsverkiezingen-2018": ("2018-03-21", "false", "swn-2017-gemeenten"),
    }


def test_r05_what_happened_at_the_staten_meeting_of_16_december_2009(kg) -> None:
    """'ons college heeft toegezegd u uiterlijk 15 januari 2010 een uitwerking toe te doen komen';
    'Tevens heeft de Commissaris der Koningin in diezelfde vergadering van december uw staten de
    suggestie aan de hand gedaan om zelf met een uitwerking van het sociaal domein te komen.'"""
    rows = kg.select(BASE + """
        SELECT ?claim ?who WHERE {
          ?claim kg:occasion <id/bijeenkomst/statenvergadering-drenthe-2009-12-16> ;
                 kg:performedBy|kg:proposedBy ?who .
        }""")
    assert {(tail(r["claim"]), tail(r["who"])) for r in rows} == {
        ("drenthe-2010-pns-toezegging", "gs-drenthe"), ("drenthe-2010-pns-suggestie-cdk", "cdk-drenthe")}


# -- R06 · roles proposed for the provinces --------------------------------------------------


def test_r06_role_types_more_than_one_organisation_proposes_for_the_province(kg) -> None:
    """Kennisfunctie: Alleato 'Borgen van kennis en deskundigheid', GS Drenthe 'om kennis veilig te
    stellen' (a judgement, marked), the MOgroep 'kennisontwikkeling'. Innovator: Alleato 'Stimuleren en
    faciliteren van innovatie', the MOgroep 'als innovator'. Facilitator: Alleato 'Faciliteren van
    bovenlokale samenwerking', the MOgroep 'innovatieve experimenten mogelijk te maken'.
    Ondersteuner: GS Drenthe 'gemeenten en onderwijsinstellingen ondersteunen', the MOgroep
    'steunfunctiewerk'."""
    rows = kg.select(BASE + """
        SELECT ?type (GROUP_CONCAT(DISTINCT STRAFTER(STR(?p), "id/"); separator=" ") AS ?who) WHERE {
          ?r a kg:RoleProposal ; kg:roleType ?type ; kg:proposedBy ?p .
          ?r kg:layer|kg:roleFor/kg:layer <id/bestuurslaag/provincie> .
        } GROUP BY ?type HAVING (COUNT(DISTINCT ?p) > 1)""")
    found = {tail(r["type"]): set(r["who"].split()) for r in rows}
    assert found == {
        "kennisfunctie": {"organisatie/alleato", "orgaan/gs-drenthe", "organisatie/mogroep"},
        "innovator": {"organisatie/alleato", "organisatie/mogroep"},
        "facilitator": {"organisatie/alleato", "organisatie/mogroep"},
        "ondersteuner": {"orgaan/gs-drenthe", "organisatie/mogroep"},
    }


def test_r06_same_wording_same_role_type(kg) -> None:
    """'Stimuleren en faciliteren van innovatie in het sociale domein' (Alleato) and 'Dit stimuleren van
    innovatie in het sociale domein' (MOgroep) are one kind of role."""
    rows = kg.select(BASE + """
        SELECT DISTINCT ?type WHERE {
          ?r a kg:RoleProposal ; kg:roleLabel ?label ; kg:roleType ?type .
          FILTER(CONTAINS(LCASE(STR(?label)), "stimuleren") && CONTAINS(LCASE(STR(?label)), "innovatie"))
        }""")
    assert [tail(r["type"]) for r in rows] == ["innovator"]


def test_r06_roles_for_social_work_across_documents(kg) -> None:
    """Not a layer of government, but the MOgroep/SWN give social work a role in each of its
    documents: 'kan lokaal sociaal werk een belangrijke verbinder' (2015), 'een cruciale rol in het
    activeren van de kracht van burgers en samenleving' (2014, after the Gezondheidsraad), 'de doeners',
    '(als opdrachtnemer)' and 'een rol van betekenis' (2017)."""
    rows = kg.select(BASE + """
        SELECT ?file ?label WHERE {
          ?r a kg:RoleProposal ; kg:roleFor <id/groep/sociaal-werkers> ; kg:roleLabel ?label ;
             kg:statedIn/kg:sourceText/kg:fileName ?name .
          BIND(SUBSTR(?name, 1, 3) AS ?file)
        }""")
    assert {(r["file"], r["label"]) for r in rows} == {
        ("000", "een belangrijke verbinder"),
        ("002", "een cruciale rol in het activeren van de kracht van burgers en samenleving"),
        ("004", "de doeners"), ("004", "opdrachtnemer"), ("004", "een rol van betekenis"),
    }


# -- R07 · laws, layers and youth care over time -----------------------------------------------


def test_r07_who_is_legally_responsible_for_youth_care_by_year(kg) -> None:
    """2010: 'Uitvoering van de Wet op de jeugdzorg is een wettelijke taak' (Drenthe, the province);
    'Naast de Wet op de Jeugdzorg bezorgt de WMO provincies een wettelijk kader' (Alleato). 2014:
    'Gemeenten worden verantwoordelijk voor … jeugdzorg' (the Jeugdwet). 2017: 'preventie onder de
    wet Jeugd' (the municipalities)."""
    rows = kg.select(BASE + """
        SELECT DISTINCT ?year ?layer ?law WHERE {
          ?r a kg:LegalResponsibility ; kg:assignedBy ?law ; kg:responsible ?who ; kg:statedIn ?doc .
          VALUES ?law { <id/wet/wet-op-de-jeugdzorg> <id/wet/jeugdwet> }
          ?who (kg:layer)? ?layer . ?layer a kg:GovernmentLayer .
          ?doc kg:printedDate|kg:derivedDate ?date . BIND(SUBSTR(STR(?date), 1, 4) AS ?year)
        }""")
    assert {(r["year"], tail(r["layer"]), tail(r["law"])) for r in rows} == {
        ("2010", "provincie", "wet-op-de-jeugdzorg"),
        ("2014", "gemeente", "jeugdwet"),
        ("2017", "gemeente", "jeugdwet"),
    }
    assert not kg.ask(BASE + "ASK { <id/wet/wet-op-de-jeugdzorg> kg:hasVersion|kg:versionOf <id/wet/jeugdwet> }")
    assert kg.ask(BASE + "ASK { <id/wet/wet-op-de-jeugdzorg> kg:succeededBy <id/wet/jeugdwet> }")


def test_r07_laws_the_2014_paper_names_and_as_what(kg) -> None:
    """'( Wmo, Jeugdwet, Wet langdurige zorg en Participatiewet)' — the new legislation, in that order;
    'voorzieningen als Wwb, Wajong'; 'sectorale (arbeid, awbz en jeugdzorg) subsidies'."""
    rows = kg.select(BASE + """
        SELECT ?written ?order ?bwb WHERE {
          ?m a kg:LawMention ; kg:statedIn <id/document/mogroep-2014-transformeren> ;
             kg:nameAsWritten ?written ; kg:mentionedLaw ?law .
          ?law kg:bwbId ?bwb .
          OPTIONAL { ?m kg:order ?order }
        }""")
    found = {r["written"]: (r.get("order"), r["bwb"]) for r in rows}
    assert found == {
        "Wmo": ("1", "BWBR0035362"), "Jeugdwet": ("2", "BWBR0034925"),
        "Wet langdurige zorg": ("3", "BWBR0035917"), "Participatiewet": ("4", "BWBR0015703"),
        "Wwb": (None, "BWBR0015703"), "Wajong": (None, "BWBR0008657"), "awbz": (None, "BWBR0002614"),
    }


# -- R08 · people and sources across documents ---------------------------------------------------


def test_r08_the_person_in_two_documents_and_his_numbers(kg) -> None:
    """'Drs. M.P.M. (Marcel) Mathijssen Teamleider Public Affairs … M. 06 – 29 25 94 13' (2015) and
    'contact opnemen met Marcel Mathijssen, 06 – 29259412' (2017): one person, two roles, the mobile
    number as each document prints it."""
    rows = kg.select(BASE + """
        SELECT ?person ?doc ?role ?phone WHERE {
          ?doc kg:hasParticipation ?p . ?p kg:agent ?person ; kg:participationRole/skos:prefLabel ?role ;
             kg:phone ?phone .
          FILTER(lang(?role) = "nl")
          { SELECT ?person WHERE { ?d kg:hasParticipation/kg:agent ?person } GROUP BY ?person
            HAVING (COUNT(DISTINCT ?d) > 1) }
        }""")
    assert {(tail(r["person"]), tail(r["doc"]), r["role"], r["phone"]) for r in rows} == {
        ("marcel-mathijssen", "mogroep-2015-brief", "ondertekenaar", "030 – 721 0 730"),
        ("marcel-mathijssen", "mogroep-2015-brief", "ondertekenaar", "06 – 29 25 94 13"),
        ("marcel-mathijssen", "swn-2017-gemeenten", "contactpersoon", "06 – 29259412"),
    }


def test_r08_sources_each_document_cites(kg) -> None:
    """001 cites 'Amen is geen Amsterdam' (and its Plan van aanpak, statenstuk 2009-366); 002 '(SCP,
    2014)', '(Tonkens, 2014)' and the Gezondheidsraad's 'Sociaal werk op solide basis'; 003 the
    Commissie Lodders' 'Ruimte, regie en rekenschap' and 'Lysias in het evaluatieonderzoek Alleato';
    004 the WRR, the SER's 'Gelijk een goede start', the SCP and '(Machteld Hubert, 2011)', '(Jan
    Walburg, 2014)'. The cover letter and the oproep of 000 cite nothing."""
    rows = kg.select(BASE + """
        SELECT DISTINCT ?doc ?source WHERE { ?c kg:statedIn ?d ; kg:citedSource ?s .
          BIND(STRAFTER(STR(?d), "document/") AS ?doc) BIND(STRAFTER(STR(?s), "id/") AS ?source) }""")
    found: dict[str, set[str]] = {}
    for r in rows:
        found.setdefault(r["doc"], set()).add(r["source"])
    assert found == {
        "drenthe-2010-pns": {"rapport/amen-is-geen-amsterdam", "rapport/statenstuk-2009-366"},
        "mogroep-2014-transformeren": {"rapport/scp-2014", "rapport/tonkens-2014",
                                       "rapport/sociaal-werk-op-solide-basis"},
        "alleato-2010-kerntaken": {"rapport/ruimte-regie-en-rekenschap", "rapport/evaluatieonderzoek-alleato-2009"},
        "swn-2017-gemeenten": {"overheid/wrr", "overheid/ser", "overheid/scp", "rapport/gelijk-een-goede-start",
                               "rapport/huber-2011", "rapport/walburg-2014"},
    }


def test_r08_figures_with_a_stated_reference_year(kg) -> None:
    """Only three figures say which year they refer to: 'in 2013 al meer dan 127 miljoen' (002),
    'bijna verdrievoudigd tussen 2010 en 2014' and 'In 2016 vroegen circa 32.000 mensen asiel aan'
    (004). The 2010 documents give no figures at all."""
    rows = kg.select(BASE + """
        SELECT ?written ?year WHERE { ?f a kg:Figure ; kg:valueAsWritten ?written ; kg:referenceYear ?year }""")
    assert {(r["written"], r["year"]) for r in rows} == {
        ("meer dan 127 miljoen", "2013"), ("bijna verdrievoudigd", "2014"), ("circa 32.000", "2016")}
    assert not kg.ask(BASE + """ASK { ?f a kg:Figure ; kg:statedIn ?d .
        VALUES ?d { <id/document/drenthe-2010-pns> <id/document/alleato-2010-kerntaken> } }""")


# -- R09 · derived performers are marked -------------------------------------------------------


def test_r09_passive_sentences_in_the_drenthe_letter_have_their_performer_marked(kg) -> None:
    """'De vaste subsidierelatie met de instellingen wordt verbroken', 'Uw staten zullen separaat
    geïnformeerd worden', 'zal er in 2011 een proces gestart worden': the letter names no actor, so
    the graph's actor or performer is marked as derived."""
    rows = kg.select(BASE + """
        SELECT ?claim ?note WHERE {
          VALUES ?claim { <id/taakwijziging/drenthe-2010-pns-subsidierelatie-verbreken>
                          <id/activiteit/drenthe-2010-pns-bezuinigingen-separaat>
                          <id/activiteit/drenthe-2010-pns-proces-2011>
                          <id/activiteit/drenthe-2010-pns-zachte-landing>
                          <id/activiteit/drenthe-2010-pns-stap-uitvoering-afbouw> }
          ?claim kg:actor|kg:performedBy ?who .
          OPTIONAL { ?claim skos:editorialNote ?note FILTER(lang(?note) = "en") }
        }""")
    assert len(rows) == 5
    assert all("derived" in r.get("note", "") for r in rows)

"""Generate a synthetic working copy in kennisgraaf's own vocabulary, for benchmarks at scale.

The copy holds the real ontology/, shapes/ and reference data (data/reference/*.ttl), plus
generated reference entities (municipalities, organisations, persons, tasks, source texts) in
``data/reference/generated.ttl`` and one Turtle file per synthetic document in
``data/documenten/``: letters, memos, position papers and calls with task changes, role
proposals, positions with arguments, figures and law mentions, each with a verbatim quote from
the document's generated source text in ``data/bronnen/`` (so ``kennisgraaf --root DIR build``
checks them like the real ones). The same seed and size give the same bytes.

    python benchmarks/generate.py OUT --triples 100000 [--seed 11] [--with-real-documents]

``--triples`` is the target number of quads of the *built* dataset (asserted, quote locations
and OWL-RL closure together), reached by choosing the number of documents from a measured
average; ``--documents N`` sets the number directly.
"""

from __future__ import annotations

import argparse
import hashlib
import random
import shutil
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Built quads per generated document (reference entities included), measured on builds of the
# generated copies; the fixed part is the ontology and the real reference data.
QUADS_PER_DOCUMENT = 656
FIXED_QUADS = 3719
# data/bronnen file names must match ^[0-9]{3}_[0-9a-f]{16}\.txt$; the real ones use 000-004.
FIRST_SOURCE = 100
MAX_SOURCES = 900  # distinct NNN prefixes 100-999; past that the prefixes repeat with other digests

PREFIXES = """@base <https://w3id.org/kennisgraaf/> .
@prefix kg:      <https://w3id.org/kennisgraaf/def#> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
"""

# The real reference data the generated documents point to.
REAL_PROVINCES = {"drenthe": "Drenthe", "utrecht": "Utrecht", "groningen": "Groningen", "flevoland": "Flevoland"}
NEW_PROVINCES = {"friesland": "Friesland", "overijssel": "Overijssel", "gelderland": "Gelderland",
                 "noord-holland": "Noord-Holland", "zuid-holland": "Zuid-Holland", "zeeland": "Zeeland",
                 "noord-brabant": "Noord-Brabant", "limburg": "Limburg"}
ACTIONS = {  # action slug: (verb before the task, particle after it, with a recipient)
    "afbouwen": ("bouwt", "af", False),
    "overdragen": ("draagt", "over aan", True),
    "voortzetten": ("zet", "voort", False),
    "uitvoeren": ("voert", "uit", False),
    "beleggen": ("belegt", "bij", True),
    "beeindigen": ("beëindigt", "", False),
    "verbinden": ("verbindt", "met", True),
    "aandacht-houden": ("houdt aandacht voor", "", False),
    "opnemen-in-omgevingsbeleid": ("neemt", "op in het omgevingsbeleid", False),
}
ROLE_TYPES = ["regisseur", "initiator", "innovator", "verbinder", "financier", "kennisfunctie", "facilitator",
              "stimulator", "agendazetter", "ondersteuner", "uitvoerder"]
THEMES = ["decentralisatie", "bovenlokale-samenwerking", "innovatie", "participatie", "onderwijs", "sport",
          "woon-en-leefklimaat", "welzijn-en-zorg", "mantelzorg", "vrijwilligerswerk", "maatschappelijke-ondersteuning",
          "jeugdzorg", "arbeid-en-zorg", "leefbaarheid", "kennisinfrastructuur", "bezuinigingen", "armoede",
          "werkloosheid", "vergrijzing", "eenzaamheid", "krimp", "schulden", "preventie", "gezondheid",
          "huiselijk-geweld", "zelfredzaamheid", "sociaal-werk"]
LAWS = {"wmo-2007": "Wmo", "wmo-2015": "Wmo 2015", "jeugdwet": "Jeugdwet", "wet-op-de-jeugdzorg": "Wet op de jeugdzorg",
        "awbz": "AWBZ", "wlz": "Wlz", "participatiewet-2015": "Participatiewet", "wwb": "Wwb", "wsw": "WSW",
        "wajong": "Wajong", "wpg": "Wpg", "woningwet": "Woningwet"}
UNITS = {"euro": "euro", "procent": "procent", "aantal": "", "aandeel": ""}
KINDS = ["Letter", "Memo", "PositionPaper", "Call"]
STANCES = ["bepleiten", "afwijzen", "beperken", "voorwaarden-stellen", "beschrijven"]
PLACES = ["Assen", "Utrecht", "Groningen", "Lelystad", "Zwolle", "Arnhem", "Leeuwarden", "Haarlem", "Den Haag",
          "Middelburg", "Maastricht", "'s-Hertogenbosch"]
MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december"]
FUNCTIONS = ["directeur", "gedeputeerde", "beleidsmedewerker", "secretaris", "teamleider", "programmamanager"]
SYLLABLES = ["ber", "dam", "veen", "hoven", "wijk", "lo", "mer", "sten", "aa", "rode", "hem", "zel", "burg", "ven",
             "holt", "ter", "wol", "ens", "dor", "gra", "mon", "kam", "lin", "ster", "oos", "west", "zand", "bree"]
GIVEN = ["Anna", "Bram", "Carla", "Daan", "Eva", "Frank", "Gerda", "Hans", "Ingrid", "Jan", "Karin", "Lucas",
         "Marieke", "Nico", "Olga", "Pieter", "Renate", "Sander", "Tineke", "Wim", "Yvonne", "Zeger"]
FAMILY = ["de Vries", "Jansen", "Bakker", "Visser", "Smit", "Meijer", "Mulder", "de Boer", "Bos", "Vos", "Peters",
          "Hendriks", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Kok", "Vermeulen", "van Dijk", "Hoekstra"]
TASK_WORDS = ["ondersteuning van", "advisering over", "subsidiëring van", "toezicht op", "kennisdeling over",
              "coördinatie van", "monitoring van", "financiering van", "uitvoering van", "regie op"]
TASK_OBJECTS = ["mantelzorgers", "vrijwilligers", "jeugdhulp", "schuldhulpverlening", "wijkteams", "dorpshuizen",
                "sportverenigingen", "welzijnswerk", "armoedebestrijding", "leefbaarheid in kleine kernen",
                "huiselijk geweld", "laaggeletterdheid", "dagbesteding", "zorgvervoer", "buurtinitiatieven",
                "jongerenwerk", "ouderenzorg", "re-integratie", "beschermd wonen", "preventief jeugdbeleid"]
REASONS = ["de bezuinigingen op het provinciefonds", "de decentralisatie naar gemeenten", "de schaal van de opgave",
           "het ontbreken van een wettelijke taak", "de kennis die regionaal aanwezig is",
           "de samenwerking in de regio",
           "de vergrijzing van de bevolking", "de krimp in het landelijk gebied"]


def turtle_string(text: str) -> str:
    """A Turtle string literal (double quotes, escapes)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def nl(text: str) -> str:
    return turtle_string(text) + "@nl"


def en(text: str) -> str:
    return turtle_string(text) + "@en"


def name_from(rng: random.Random, parts: int = 2) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


@dataclass
class Node:
    """One subject with its predicate-object lines, written as a Turtle block."""

    subject: str
    types: str
    lines: list[tuple[str, Sequence[str]]] = field(default_factory=list)

    def add(self, predicate: str, *objects: str) -> Node:
        if objects:
            self.lines.append((predicate, objects))
        return self

    def turtle(self) -> str:
        parts = [f"{self.subject} a {self.types}"]
        for predicate, objects in self.lines:
            parts.append(f"    {predicate} " + " ,\n        ".join(objects))
        return " ;\n".join(parts) + " .\n"


@dataclass
class World:
    """The generated reference entities the documents use."""

    gemeenten: list[tuple[str, str]]
    organisations: list[tuple[str, str]]
    persons: list[tuple[str, str, str]]
    tasks: list[tuple[str, str]]

    @property
    def authorities(self) -> list[tuple[str, str]]:
        provinces = [(f"<id/provincie/{slug}>", f"de provincie {name}")
                     for slug, name in {**REAL_PROVINCES, **NEW_PROVINCES}.items()]
        return [*provinces, ("<id/overheid/rijk>", "het Rijk"), *self.gemeenten]


def make_world(rng: random.Random, documents: int) -> tuple[World, list[Node]]:
    nodes: list[Node] = []
    for slug, name in NEW_PROVINCES.items():
        nodes.append(Node(f"<id/provincie/{slug}>", "kg:PublicAuthority")
                     .add("rdfs:label", nl(f"Provincie {name}"), en(f"Province of {name}"))
                     .add("skos:altLabel", nl(name))
                     .add("kg:layer", "<id/bestuurslaag/provincie>"))
    gemeenten: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(gemeenten) < max(10, documents // 2):
        name = name_from(rng, rng.choice([2, 2, 3]))
        if name in seen:
            continue
        seen.add(name)
        iri = f"<id/gemeente/{name.lower()}>"
        gemeenten.append((iri, f"de gemeente {name}"))
        nodes.append(Node(iri, "kg:PublicAuthority")
                     .add("rdfs:label", nl(f"Gemeente {name}"), en(f"Municipality of {name}"))
                     .add("kg:layer", "<id/bestuurslaag/gemeente>"))
    organisations: list[tuple[str, str]] = []
    for index in range(max(5, documents // 4)):
        name = f"Stichting {name_from(rng)} {rng.choice(['Welzijn', 'Zorg', 'Kennis', 'Sociaal Werk', 'Jeugd'])}"
        iri = f"<id/organisatie/gen-{index:05d}>"
        organisations.append((iri, name))
        nodes.append(Node(iri, "kg:Organisation").add("rdfs:label", nl(name), en(name))
                     .add("kg:description", nl(f"Een gegenereerde organisatie in het sociaal domein ({index}).")))
    persons: list[tuple[str, str, str]] = []
    for index in range(max(10, documents * 2)):
        given, family = rng.choice(GIVEN), rng.choice(FAMILY)
        iri = f"<id/persoon/gen-{index:05d}>"
        member = rng.choice(organisations)[0]
        persons.append((iri, f"{given} {family}", member))
        nodes.append(Node(iri, "kg:Person").add("rdfs:label", nl(f"{given} {family}"), en(f"{given} {family}"))
                     .add("foaf:name", turtle_string(f"{given} {family}"))
                     .add("foaf:givenName", turtle_string(given)).add("foaf:familyName", turtle_string(family))
                     .add("kg:memberOf", member))
    tasks: list[tuple[str, str]] = []
    for index in range(max(20, documents)):
        label = f"{rng.choice(TASK_WORDS)} {rng.choice(TASK_OBJECTS)}"
        iri = f"<id/taak/gen-{index:05d}>"
        tasks.append((iri, label))
        nodes.append(Node(iri, "kg:Task").add("skos:prefLabel", nl(label), en(f"task {index}: {label}"))
                     .add("rdfs:label", nl(label))
                     .add("skos:definition", nl(f"De taak {label}, zoals gegenereerde documenten haar noemen."))
                     .add("skos:inScheme", "<id/begrippenkader/taken>"))
    return World(gemeenten, organisations, persons, tasks), nodes


@dataclass
class Pairing:
    """Which documents share a source text: a letter and the call enclosed with it.

    ``shapes#SharedSourceIsAttachment`` lets two documents share a source text only when one is
    an attachment of the other, so a text holds one document, or a letter and its call (the
    letter ``kg:hasAttachment`` the call, the call ``kg:attachmentOf`` the letter, both stated, as
    the MOgroep's letter and oproep in file 000). Each call (every fourth document) is enclosed
    with the letter three numbers before it; every other document has a text of its own.
    """

    host: dict[int, int]  # call → the letter it is enclosed with
    attachment: dict[int, int]  # letter → its enclosed call
    source: list[int]  # document → index of its source text
    sender: dict[int, tuple[str, str]] = field(default_factory=dict)  # filled while generating

    @classmethod
    def plan(cls, documents: int) -> Pairing:
        host = {number: number - 3 for number in range(documents) if KINDS[number % len(KINDS)] == "Call"}
        source: list[int] = []
        texts = 0
        for number in range(documents):
            if number in host:
                source.append(source[host[number]])
            else:
                source.append(texts)
                texts += 1
        return cls(host, {letter: call for call, letter in host.items()}, source)


def source_file_name(seed: int, number: int) -> str:
    """``NNN_<16 hex>.txt`` as the shapes demand; NNN cycles through 100-999 (the real texts use
    000-004), the digest of seed and number keeps the names distinct past 900 texts."""
    prefix = FIRST_SOURCE + (number - FIRST_SOURCE) % MAX_SOURCES
    return f"{prefix:03d}_{hashlib.sha256(f'{seed}-{number}'.encode()).hexdigest()[:16]}.txt"


@dataclass
class Document:
    """One synthetic document: its Turtle and its passage of source text."""

    slug: str
    turtle: str
    text: str


def document_iri(number: int) -> str:
    return f"<id/document/gen-{number:05d}>"


def make_document(rng: random.Random, world: World, number: int, source: str, pairing: Pairing) -> Document:
    slug = f"gen-{number:05d}"
    doc = document_iri(number)
    year = 2010 + number % 8
    month, day = rng.randrange(12), rng.randrange(1, 29)
    place = rng.choice(PLACES)
    kind = KINDS[number % len(KINDS)]
    sender_iri, sender = rng.choice(world.organisations + world.authorities[:12])
    host = pairing.host.get(number)
    if host is not None:  # an enclosed call is sent by whoever sent the letter, as in file 000
        sender_iri, sender = pairing.sender[host]
    pairing.sender[number] = (sender_iri, sender)
    addressee_iri, addressee = rng.choice(world.authorities)
    subject = f"{rng.choice(['Visie op', 'Toekomst van', 'Rolverdeling in', 'Afspraken over'])} " \
              f"{rng.choice(TASK_OBJECTS)} ({number})"
    reference = f"{year}/{number:05d}/{rng.randrange(10000):04d}"
    sentences: list[str] = []
    header = [f"{place}, {day} {MONTHS[month]} {year}", f"Ons kenmerk {reference}", f"Onderwerp: {subject}",
              f"Aan {addressee},"]
    sentences += header
    claims: list[Node] = []
    mentions = {sender_iri, addressee_iri}
    laws: set[str] = set()
    themes: set[str] = set()

    for order in range(1, rng.randrange(10, 15)):
        actor_iri, actor = rng.choice(world.authorities)
        action = rng.choice(list(ACTIONS))
        verb, particle, with_recipient = ACTIONS[action]
        task_iri, task = rng.choice(world.tasks)
        recipient_iri, recipient = rng.choice(world.authorities) if with_recipient else ("", "")
        reason = rng.choice(REASONS)
        tail = f" {particle}" if particle else ""
        sentence = (f"{actor[0].upper()}{actor[1:]} {verb} de taak {task}{tail}"
                    f"{' ' + recipient if with_recipient else ''} vanwege {reason} ({slug}, punt {order}).")
        sentences.append(sentence)
        theme = rng.choice(THEMES)
        themes.add(theme)
        node = (Node(f"<id/taakwijziging/{slug}-{order}>", "kg:TaskChange")
                .add("rdfs:label", nl(f"{actor} {verb} {task}{tail}"[:120]))
                .add("kg:actor", actor_iri).add("kg:action", f"<id/handeling/{action}>").add("kg:task", task_iri))
        if recipient_iri:
            node.add("kg:recipient", recipient_iri)
            mentions.add(recipient_iri)
        node.add("kg:reason", nl(reason)).add("kg:order", str(order)).add("kg:theme", f"<id/thema/{theme}>")
        node.add("kg:statedIn", doc).add("kg:quote", nl(sentence))
        claims.append(node)
        mentions.add(actor_iri)

    for order in range(1, rng.randrange(3, 6)):
        role = rng.choice(ROLE_TYPES)
        for_iri, for_label = rng.choice(world.authorities[:12])
        label = f"{for_label} als {role} voor {rng.choice(TASK_OBJECTS)}"
        sentence = f"Wij zien voor {for_label} de rol van {role} bij {rng.choice(TASK_OBJECTS)} ({slug}, rol {order})."
        sentences.append(sentence)
        claims.append(Node(f"<id/rolvoorstel/{slug}-{order}>", "kg:RoleProposal")
                      .add("rdfs:label", nl(label)).add("kg:roleLabel", nl(label)).add("kg:order", str(order))
                      .add("kg:roleType", f"<id/rol/{role}>").add("kg:proposedBy", sender_iri)
                      .add("kg:roleFor", for_iri).add("kg:layer", "<id/bestuurslaag/provincie>")
                      .add("kg:statedIn", doc).add("kg:quote", nl(sentence)))
        mentions.add(for_iri)

    for order in range(1, rng.randrange(2, 4)):
        concerns_iri, concerns = rng.choice(world.authorities)
        stance = f"{concerns[0].upper()}{concerns[1:]} moet {rng.choice(TASK_OBJECTS)} " \
                 f"{rng.choice(['blijven steunen', 'overlaten aan gemeenten', 'beter regelen', 'samen oppakken'])}"
        sentence = f"{stance} ({slug}, standpunt {order})."
        sentences.append(sentence)
        arguments = []
        for index in range(1, rng.randrange(2, 4)):
            argument_sentence = (f"Dat volgt uit {rng.choice(REASONS)} en uit de ervaring met "
                                 f"{rng.choice(TASK_OBJECTS)} ({slug}, standpunt {order}, argument {index}).")
            sentences.append(argument_sentence)
            iri = f"<id/argument/{slug}-{order}-{index}>"
            arguments.append(iri)
            claims.append(Node(iri, "kg:Argument").add("rdfs:label", nl(argument_sentence[:100]))
                          .add("kg:supports", f"<id/standpunt/{slug}-{order}>").add("kg:order", str(index))
                          .add("kg:statedIn", doc).add("kg:quote", nl(argument_sentence)))
        claims.append(Node(f"<id/standpunt/{slug}-{order}>", "kg:Position")
                      .add("rdfs:label", nl(stance)).add("kg:proposedBy", sender_iri).add("kg:concerns", concerns_iri)
                      .add("kg:stance", nl(stance)).add("kg:stanceType", f"<id/strekking/{rng.choice(STANCES)}>")
                      .add("kg:hasArgument", *arguments)
                      .add("kg:theme", f"<id/thema/{rng.choice(THEMES)}>")
                      .add("kg:statedIn", doc).add("kg:quote", nl(sentence)))
        mentions.add(concerns_iri)

    for order in range(1, rng.randrange(3, 6)):
        unit = rng.choice(list(UNITS))
        value = rng.randrange(1, 500) * (1000 if unit == "euro" else 1)
        written = f"{value} {UNITS[unit]}".strip() if unit != "aandeel" else f"{value} op de 1000"
        measure = f"de inzet voor {rng.choice(TASK_OBJECTS)} in {rng.choice(world.authorities)[1]}"
        sentence = f"In {year} ging het om {written} voor {measure} ({slug}, cijfer {order})."
        sentences.append(sentence)
        amount = str(value) if unit != "aandeel" else f"{value / 1000:.3f}"
        claims.append(Node(f"<id/cijfer/{slug}-{order}>", "kg:Figure")
                      .add("rdfs:label", nl(f"{written} voor {measure}"))
                      .add("kg:value", f'"{amount}"^^xsd:decimal').add("kg:valueAsWritten", turtle_string(written))
                      .add("kg:unit", f"<id/eenheid/{unit}>").add("kg:measures", nl(measure))
                      .add("kg:referenceYear", f'"{year}"^^xsd:gYear')
                      .add("kg:statedIn", doc).add("kg:quote", nl(sentence)))

    for law in rng.sample(list(LAWS), rng.randrange(2, 5)):
        sentence = f"Wij verwijzen hierbij naar de {LAWS[law]} en wat die van overheden vraagt ({slug}, {law})."
        sentences.append(sentence)
        laws.add(law)
        claims.append(Node(f"<id/wetsvermelding/{slug}-{law}>", "kg:LawMention")
                      .add("rdfs:label", nl(f"Het document noemt de {LAWS[law]}"))
                      .add("kg:mentionedLaw", f"<id/wet/{law}>").add("kg:nameAsWritten", turtle_string(LAWS[law]))
                      .add("kg:statedIn", doc).add("kg:quote", nl(sentence)))

    person_iri, person, member = rng.choice(world.persons)
    function = rng.choice(FUNCTIONS)
    phone = f"0{rng.randrange(10, 99)} {rng.randrange(100, 999)} {rng.randrange(1000, 9999)}"
    signature = f"Met vriendelijke groet, {person}, {function}, telefoon {phone}"
    sentences.append(signature)
    mentions |= {person_iri, member}
    participation = (Node(f"<id/betrokkenheid/{slug}-ondertekenaar>", "kg:Participation")
                     .add("rdfs:label", nl(f"{person}, ondertekenaar van {slug}"))
                     .add("kg:participationIn", doc).add("kg:agent", person_iri)
                     .add("kg:participationRole", "<id/documentrol/ondertekenaar>")
                     .add("kg:functionTitle", nl(function)).add("kg:onBehalfOf", sender_iri)
                     .add("kg:phone", turtle_string(phone))
                     .add("kg:statedIn", doc).add("kg:quote", nl(signature)))
    document = (Node(doc, f"kg:{kind}")
                .add("rdfs:label", nl(subject), en(f"Synthetic document {number}: {subject}"))
                .add("dcterms:title", nl(subject)).add("kg:documentSubject", nl(subject))
                .add("kg:sender", sender_iri).add("kg:addressee", addressee_iri).add("kg:place", turtle_string(place))
                .add("kg:printedDate", f'"{year}-{month + 1:02d}-{day:02d}"^^xsd:date')
                .add("kg:referenceNumber", turtle_string(reference)).add("kg:sourceText", source)
                .add("kg:hasAttachment", *[document_iri(n) for n in [pairing.attachment.get(number)] if n is not None])
                .add("kg:attachmentOf", *[document_iri(n) for n in [host] if n is not None])
                .add("dcterms:language", '"nl"').add("kg:hasParticipation", participation.subject)
                .add("kg:about", *sorted(f"<id/thema/{theme}>" for theme in themes))
                .add("kg:mentions", *sorted(mentions)).add("kg:mentionsLaw", *sorted(f"<id/wet/{law}>" for law in laws))
                .add("kg:quote", *(nl(line) for line in header), nl(signature)))
    turtle = (f"# Synthetic document {number} (benchmarks/generate.py). Graph: graph/{slug}.\n\n{PREFIXES}\n"
              + "\n".join(node.turtle() for node in [document, participation, *claims]))
    body = "\n\n".join(textwrap.fill(s, width=88, break_on_hyphens=False, break_long_words=False)
                       for s in sentences)
    return Document(slug, turtle, f"=== {slug} ===\n\n{body}\n")


def documents_for(triples: int) -> int:
    """How many documents make a built dataset of about ``triples`` quads."""
    return max(1, round((triples - FIXED_QUADS) / QUADS_PER_DOCUMENT))


def generate(out: Path, documents: int, seed: int = 11, with_real_documents: bool = False) -> None:
    """Write a working copy with ``documents`` synthetic documents to ``out`` (replacing it)."""
    if out.exists():
        shutil.rmtree(out)
    (out / "data" / "documenten").mkdir(parents=True)
    shutil.copytree(REPO / "ontology", out / "ontology")
    shutil.copytree(REPO / "shapes", out / "shapes")
    shutil.copytree(REPO / "data" / "reference", out / "data" / "reference")
    shutil.copytree(REPO / "data" / "bronnen", out / "data" / "bronnen")
    if with_real_documents:
        for path in sorted((REPO / "data" / "documenten").glob("*.ttl")):
            shutil.copy(path, out / "data" / "documenten" / path.name)
    rng = random.Random(seed)
    world, nodes = make_world(rng, documents)
    pairing = Pairing.plan(documents)
    texts: dict[int, list[str]] = {}
    for number in range(documents):
        index = pairing.source[number]
        document = make_document(rng, world, number, f"<id/bron/{FIRST_SOURCE + index}>", pairing)
        texts.setdefault(index, []).append(document.text)
        (out / "data" / "documenten" / f"{document.slug}.ttl").write_text(document.turtle, encoding="utf-8")
    for index, parts in texts.items():
        number = FIRST_SOURCE + index
        name = source_file_name(seed, number)
        (out / "data" / "bronnen" / name).write_text("\n".join(parts), encoding="utf-8")
        nodes.append(Node(f"<id/bron/{number}>", "kg:SourceText").add("kg:fileName", turtle_string(name))
                     .add("rdfs:label", nl(f"brontekst {number} (gegenereerd)"),
                          en(f"source text {number} (generated)"))
                     .add("dcterms:format", '"text/plain; charset=utf-8"').add("dcterms:language", '"nl"'))
    (out / "data" / "reference" / "generated.ttl").write_text(
        f"# Generated reference entities (benchmarks/generate.py, seed {seed}, {documents} documents).\n\n"
        f"{PREFIXES}\n" + "\n".join(node.turtle() for node in nodes), encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="folder to write (replaced)")
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--triples", type=int, help="target quads of the built dataset")
    size.add_argument("--documents", type=int, help="number of synthetic documents")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--with-real-documents", action="store_true", help="also copy the five real documents")
    args = parser.parse_args(argv)
    documents = args.documents if args.documents is not None else documents_for(args.triples)
    generate(args.out, documents, args.seed, args.with_real_documents)
    print(f"{args.out}: {documents} synthetic documents", file=sys.stderr)


if __name__ == "__main__":
    main()

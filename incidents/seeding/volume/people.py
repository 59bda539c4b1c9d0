"""The company and its world for volume data: employees in teams with managers, legal, and a directory.

Everything is chosen here and written by seeding/services.py, which finds it by name first and creates it
only when missing, so `--append` (or a database that already holds the demo data) reuses the people and
organisations it finds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User

from incidents.models import Team
from incidents.seeding import services
from incidents.vocabulary import DraftLanguage, OrganisationKind, Role

INTERNAL_NAME, INTERNAL_DOMAINS = "OurCo", ("ourco.com", "ourco.cn")
TEAM_NAMES = [
    "Export Sales",
    "Asia Pacific",
    "Europe",
    "Americas",
    "Key Accounts",
    "Purchasing",
    "Support",
    "Middle East",
    "Africa",
    "Oceania",
]
GIVEN = [
    "Wei",
    "Li",
    "Anna",
    "Jonas",
    "Mei",
    "Chen",
    "Sofia",
    "Lukas",
    "Hui",
    "Ming",
    "Emma",
    "David",
    "Yan",
    "Tom",
    "Lena",
    "Jun",
    "Sara",
    "Paul",
    "Xin",
    "Nora",
]
FAMILY = [
    "Wang",
    "Zhang",
    "Schmidt",
    "Liu",
    "Müller",
    "Chen",
    "Huang",
    "Weber",
    "Zhao",
    "Fischer",
    "Lin",
    "Becker",
    "Wu",
    "Hoffmann",
    "Zhou",
]
ZONES = ["Asia/Shanghai", "Asia/Shanghai", "Asia/Taipei", "Asia/Hong_Kong", "Europe/Berlin", "UTC"]
LANGUAGES = ["", "", "en", "zh-hans"]  # the pages' languages (settings.LANGUAGES), "" for the browser's

ORG_WORDS = [
    "Acme",
    "Globex",
    "Formosa",
    "Harbor",
    "Jade",
    "Lotus",
    "Northwind",
    "Pearl",
    "Summit",
    "Dragon",
    "Orient",
    "Silk Road",
    "Golden",
    "Phoenix",
    "Evergreen",
    "Blue Ocean",
    "Great Wall",
    "Pacific",
    "Sunrise",
    "Crown",
]
ORG_TRADES = [
    "Trading",
    "Imports",
    "Components",
    "Machinery",
    "Textiles",
    "Electronics",
    "Logistics",
    "Foods",
    "Hardware",
    "Chemicals",
]
# (domain suffix, draft language when set explicitly, contact names in that language's way)
REGIONS = [
    (".com", "", "en"),
    (".com", "", "en"),
    (".de", "", "en"),
    (".co.uk", "", "en"),
    (".com.cn", "", "zh"),
    (".cn", DraftLanguage.ZH_HANS, "zh"),
    (".com.tw", "", "zh"),
    (".hk", "", "zh"),
    (".com.hk", DraftLanguage.ZH_HANT, "zh"),
]
ZH_NAMES = ["王伟", "李娜", "张敏", "刘洋", "陈静", "杨磊", "黄丽", "赵强", "林志明", "周杰"]
ZH_TITLES = ["采购经理", "总经理", "业务经理", "采购专员", "副总"]
EN_TITLES = ["Purchasing Manager", "Buyer", "Managing Director", "Sales Director", ""]


@dataclass
class Client:
    name: str
    kind: str
    domains: list[str]
    contacts: list[tuple[str, str]] = field(default_factory=list)  # (name, address)


@dataclass
class World:
    """Who exists, as the generator needs them: users by role, teams by member, the directory."""

    employees: list[User]
    managers: list[User]  # one per team, index-aligned with teams
    head_of_sales: User
    legal: list[User]
    teams: list[Team]
    team_of: dict[int, Team]
    internal_domain: str
    clients: list[Client]
    competitors: list[Client]


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(GIVEN), rng.choice(FAMILY)


def build_people(rng: random.Random, *, employees: int, teams: int, legal: int = 3) -> dict:
    """Users (no usable password: set one with changepassword), their groups, teams and profiles."""
    specs = [(f"vol-employee-{i:03d}", *_person(rng), Role.EMPLOYEE) for i in range(1, employees + 1)]
    specs += [(f"vol-manager-{i:02d}", *_person(rng), Role.MANAGER) for i in range(1, teams + 1)]
    specs += [("vol-head-of-sales", *_person(rng), Role.MANAGER)]
    specs += [(f"vol-legal-{i:02d}", *_person(rng), Role.LEGAL) for i in range(1, legal + 1)]
    # Chosen for everyone, so what exists already does not change what comes next.
    profiles = [(name, rng.choice(ZONES), rng.choice(LANGUAGES)) for name, *_rest in specs]
    staff = [s[0] for s in specs if s[3] == Role.EMPLOYEE]
    managers = [f"vol-manager-{i:02d}" for i in range(1, teams + 1)]
    users, team_rows = services.people_write(
        users=[(name, first, last, f"{name}@{INTERNAL_DOMAINS[0]}", group) for name, first, last, group in specs],
        password=make_password(None),
        profiles=profiles,
        teams=[f"{TEAM_NAMES[i] if i < len(TEAM_NAMES) else f'Team {i + 1}'} (volume)" for i in range(teams)],
        members=[(index % teams, name) for index, name in enumerate(staff)],
        managers=list(enumerate(managers)),
    )
    return {
        "employees": [users[name] for name in staff],
        "managers": [users[name] for name in managers],
        "head_of_sales": users["vol-head-of-sales"],
        "legal": [users[s[0]] for s in specs if s[3] == Role.LEGAL],
        "teams": team_rows,
        "team_of": {users[name].pk: team_rows[index % teams] for index, name in enumerate(staff)},
    }


def _slug(name: str) -> str:
    return "".join(ch for ch in name.lower().replace(" ", "-") if (ch.isascii() and ch.isalnum()) or ch == "-")


def _plan_directory(rng: random.Random, count: int) -> list[Client]:
    planned = [Client(INTERNAL_NAME, OrganisationKind.INTERNAL, list(INTERNAL_DOMAINS))]
    names = [f"{a} {b}" for a in ORG_WORDS for b in ORG_TRADES]
    rng.shuffle(names)
    for index in range(count - 1):
        base = names[index % len(names)] + ("" if index < len(names) else f" {index // len(names) + 1}")
        kind = OrganisationKind.COMPETITOR if index % 12 == 5 else OrganisationKind.CLIENT
        suffix, _language, style = rng.choice(REGIONS)
        domain = _slug(base) + suffix
        client = Client(base, kind, [domain])
        if rng.random() < 0.15:
            client.domains.append("mail." + domain)
        if kind == OrganisationKind.CLIENT and rng.random() < 0.6:
            for _n in range(rng.randint(1, 3)):
                person = rng.choice(ZH_NAMES) if style == "zh" else " ".join(_person(rng))
                local = f"{_slug(person) or 'contact'}{rng.randint(1, 99)}"
                client.contacts.append((person, f"{local}@{domain}"))
        planned.append(client)
    return planned


def build_directory(rng: random.Random, *, organisations: int) -> tuple[list[Client], list[Client]]:
    """The planned organisations, created where missing; returns (clients, competitors) as plain data."""
    planned = _plan_directory(rng, organisations)
    languages = {suffix: language for suffix, language, _style in REGIONS}
    chosen = [
        (c, languages.get("." + c.domains[0].split(".", 1)[1], "") if rng.random() < 0.3 else "") for c in planned
    ]
    titles = {True: ZH_TITLES, False: EN_TITLES}
    services.directory_write(
        organisations=[(c.name, c.kind, language, c.domains) for c, language in chosen],
        contacts=[
            (c.name, name, address, rng.choice(titles[not name.isascii()]))
            for c in planned
            for name, address in c.contacts
        ],
    )
    clients = [c for c in planned if c.kind == OrganisationKind.CLIENT]
    competitors = [c for c in planned if c.kind == OrganisationKind.COMPETITOR]
    return clients, competitors


def build_world(rng: random.Random, *, employees: int, teams: int, organisations: int) -> World:
    people = build_people(rng, employees=employees, teams=teams)
    clients, competitors = build_directory(rng, organisations=organisations)
    return World(internal_domain=INTERNAL_DOMAINS[0], clients=clients, competitors=competitors, **people)

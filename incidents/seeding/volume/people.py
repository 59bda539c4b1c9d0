"""The company and its world for volume data: employees in teams with managers, legal, and a directory.

Everything is found by name first and created only when missing, so `--append` (or a database that
already holds the demo data) reuses the people and organisations it finds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, User

from incidents.directory.services import directory_stamp_renew
from incidents.models import Contact, MailDomain, Organisation, Profile, Team
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


def _users(specs: list[tuple[str, str, str, str]], password: str) -> dict[str, User]:
    """(username, first, last, group) rows; existing usernames are kept as they are."""
    existing = {u.username: u for u in User.objects.filter(username__in=[s[0] for s in specs])}
    missing = [
        User(username=name, first_name=first, last_name=last, email=f"{name}@{INTERNAL_DOMAINS[0]}", password=password)
        for name, first, last, _group in specs
        if name not in existing
    ]
    User.objects.bulk_create(missing)
    users = {u.username: u for u in User.objects.filter(username__in=[s[0] for s in specs])}
    groups = {g.name: g for g in Group.objects.filter(name__in={s[3] for s in specs})}
    through = User.groups.through
    through.objects.bulk_create(
        [through(user_id=users[name].pk, group_id=groups[group].pk) for name, _f, _l, group in specs],
        ignore_conflicts=True,
    )
    return users


def _profiles(rng: random.Random, users: list[User]) -> None:
    # Chosen for everyone before looking, so what exists already does not change what comes next.
    chosen = [(u, rng.choice(ZONES), rng.choice(LANGUAGES)) for u in users]
    have = set(Profile.objects.filter(user__in=users).values_list("user_id", flat=True))
    Profile.objects.bulk_create(
        [Profile(user=u, time_zone=zone, language=language) for u, zone, language in chosen if u.pk not in have]
    )


def _person(rng: random.Random) -> tuple[str, str]:
    return rng.choice(GIVEN), rng.choice(FAMILY)


def build_people(rng: random.Random, *, employees: int, teams: int, legal: int = 3) -> dict:
    """Users (no usable password: set one with changepassword), their groups, teams and profiles."""
    password = make_password(None)
    specs = [(f"vol-employee-{i:03d}", *_person(rng), Role.EMPLOYEE) for i in range(1, employees + 1)]
    specs += [(f"vol-manager-{i:02d}", *_person(rng), Role.MANAGER) for i in range(1, teams + 1)]
    specs += [("vol-head-of-sales", *_person(rng), Role.MANAGER)]
    specs += [(f"vol-legal-{i:02d}", *_person(rng), Role.LEGAL) for i in range(1, legal + 1)]
    users = _users(specs, password)
    _profiles(rng, list(users.values()))
    team_rows = []
    for i in range(teams):
        name = TEAM_NAMES[i] if i < len(TEAM_NAMES) else f"Team {i + 1}"
        team_rows.append(Team.objects.get_or_create(name=f"{name} (volume)")[0])
    staff = [users[s[0]] for s in specs if s[3] == Role.EMPLOYEE]
    managers = [users[f"vol-manager-{i:02d}"] for i in range(1, teams + 1)]
    team_of = {}
    for index, user in enumerate(staff):
        team = team_rows[index % teams]
        team.members.add(user)
        team_of[user.pk] = team
    for team, manager in zip(team_rows, managers):
        team.managers.add(manager)
    return {
        "employees": staff,
        "managers": managers,
        "head_of_sales": users["vol-head-of-sales"],
        "legal": [users[s[0]] for s in specs if s[3] == Role.LEGAL],
        "teams": team_rows,
        "team_of": team_of,
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
    existing = {o.name: o for o in Organisation.objects.filter(name__in=[c.name for c in planned])}
    Organisation.objects.bulk_create(
        [Organisation(name=c.name, kind=c.kind, language=language) for c, language in chosen if c.name not in existing]
    )
    orgs = {o.name: o for o in Organisation.objects.filter(name__in=[c.name for c in planned])}
    taken = set(MailDomain.objects.values_list("domain", flat=True))
    MailDomain.objects.bulk_create(
        [MailDomain(organisation=orgs[c.name], domain=d) for c in planned for d in c.domains if d not in taken]
    )
    known = set(Contact.objects.filter(organisation__in=orgs.values()).values_list("email", flat=True))
    titles = {True: ZH_TITLES, False: EN_TITLES}
    people = [
        (c, name, address, rng.choice(titles[not name.isascii()])) for c in planned for name, address in c.contacts
    ]
    Contact.objects.bulk_create(
        [
            Contact(organisation=orgs[c.name], name=name, email=address, title=title)
            for c, name, address, title in people
            if address not in known
        ]
    )
    directory_stamp_renew()  # bulk_create sends no signal
    clients = [c for c in planned if c.kind == OrganisationKind.CLIENT]
    competitors = [c for c in planned if c.kind == OrganisationKind.COMPETITOR]
    return clients, competitors


def build_world(rng: random.Random, *, employees: int, teams: int, organisations: int) -> World:
    people = build_people(rng, employees=employees, teams=teams)
    clients, competitors = build_directory(rng, organisations=organisations)
    return World(internal_domain=INTERNAL_DOMAINS[0], clients=clients, competitors=competitors, **people)

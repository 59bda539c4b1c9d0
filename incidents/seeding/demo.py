"""Demo users, directory and incidents for `make run`; safe to run again (nothing is duplicated).

What the demo holds; seeding/services.py writes it through the real services (filing, the directory).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from incidents.core.addresses import Address
from incidents.reports.report import IncidentReport
from incidents.seeding import services
from incidents.vocabulary import MailSystem, OrganisationKind, Problem, RecipientField, RecipientStatus, Role

DEMO_USERS = [
    # username, password, first, last, group, superuser
    ("employee", "demo-employee-pass", "Erin", "Employee", Role.EMPLOYEE, False),
    ("manager", "demo-manager-pass", "Max", "Manager", Role.MANAGER, False),
    ("legal", "demo-legal-pass", "Lena", "Legal", Role.LEGAL, False),
    ("admin", "demo-admin-pass", "Ada", "Admin", None, True),
]
DEMO_DIRECTORY = [
    ("OurCo", OrganisationKind.INTERNAL, ["ourco.com"]),
    ("Acme Trading", OrganisationKind.CLIENT, ["acme-trading.com"]),
    ("Globex China", OrganisationKind.CLIENT, ["globex.com.cn"]),
    ("Rival Exports", OrganisationKind.COMPETITOR, ["rival-exports.com"]),
    ("Formosa Components", OrganisationKind.CLIENT, ["formosa-components.com.tw"]),
]
DEMO_CONTACTS = [
    # organisation, name, title, email, phone
    ("Globex China", "李伟", "采购经理", "li.wei@globex.com.cn", "+86 21 5555 0100"),
    ("Acme Trading", "Anna Becker", "Purchasing Manager", "buyer@acme-trading.com", "+49 40 5555 0142"),
    ("Formosa Components", "陳志明", "業務經理", "chen@formosa-components.com.tw", "+886 2 5555 0188"),
]
DEMO_TEAM = ("Export Sales", "employee", "manager")  # name, member, manager


def _demo_reports(now) -> list[IncidentReport]:
    return [
        IncidentReport(
            subject="Quotation Q-2041 for Acme Trading: 20,000 valves",
            sent_at=now - timedelta(minutes=12),
            mail_system=MailSystem.MICROSOFT365,
            sender="employee@ourco.com",
            recipients=[
                (Address("li.wei@globex.com.cn", "Li Wei"), RecipientField.TO),
                (Address("max@ourco.com"), RecipientField.CC),
            ],
            intended=[Address("buyer@acme-trading.com", "Acme buyer")],
            problems=[Problem.WRONG_RECIPIENT],
            body="Dear buyer,\nplease find our quotation: unit price USD 12.50 FOB Ningbo.",
            attachments=["Quotation_Q-2041_Acme.pdf"],
        ),
        IncidentReport(
            subject="Offer for 5,000 pumps, valid until month end",
            sent_at=now - timedelta(hours=2),
            mail_system=MailSystem.GMAIL,
            sender="employee@ourco.com",
            recipients=[(Address("buyer@acme-trading.com", "Acme buyer"), RecipientField.TO)],
            intended=[Address("buyer@acme-trading.com", "Acme buyer")],
            problems=[Problem.WRONG_PRICE],
            quoted_price=Decimal("82.00"),
            correct_price=Decimal("100.00"),
            currency="USD",
            firm_offer=True,
            recipient_status=RecipientStatus.ACCEPTED,
        ),
        IncidentReport(
            subject="Team lunch moved to Friday",
            sent_at=now - timedelta(days=1),
            mail_system=MailSystem.EXCHANGE,
            sender="employee@ourco.com",
            recipients=[(Address("sales@ourco.com"), RecipientField.TO)],
            intended=[Address("team@ourco.com")],
            problems=[Problem.WRONG_CONTENT],
            recipient_status=RecipientStatus.UNREAD,
        ),
    ]


def seed_demo() -> list[tuple[str, str]]:
    """Create what is missing; returns the demo logins as (username, password)."""
    services.demo_write(
        users=DEMO_USERS,
        directory=DEMO_DIRECTORY,
        contacts=DEMO_CONTACTS,
        team=DEMO_TEAM,
        reporter="employee",
        reports=_demo_reports(timezone.now()),
    )
    return [(row[0], row[1]) for row in DEMO_USERS]

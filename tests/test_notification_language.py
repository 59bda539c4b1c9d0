"""Emails to people are in each recipient's language, never in that of whoever set them off."""

from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone, translation

from incidents.desk.services import pending_report_receive
from incidents.models import Notification, Profile
from incidents.notifications import services as notifications
from tests.factories import UserFactory, file_incident

pytestmark = pytest.mark.usefixtures("zh_catalogue")


def speaking(user, language: str, zone: str = "UTC"):
    Profile.objects.update_or_create(user=user, defaults={"language": language, "time_zone": zone})
    return user


def deliver_all(incident, *, active_language: str) -> None:
    """Deliver as a worker would; the active language stands for a request or worker that happens to have one."""
    with translation.override(active_language):
        for pk in Notification.objects.filter(incident=incident, status="pending").values_list("pk", flat=True):
            notifications.deliver(pk)


def email_to(user):
    [message] = [m for m in mail.outbox if user.email in m.to]
    return message


@pytest.fixture
def two_managers(team, manager):
    """The team's managers: one reads Chinese, one English."""
    second = UserFactory(username="mei")
    team.managers.add(second)
    return speaking(manager, "zh-hans"), speaking(second, "en")


@pytest.mark.parametrize("active_language", ["en", "zh-hans"])
def test_each_manager_gets_the_escalation_in_their_own_language(directory, employee, two_managers, active_language):
    chinese, english = two_managers
    speaking(employee, active_language)  # the reporter's language must not matter either
    incident = file_incident(employee, attachments=["Quotation_Q-1.pdf"])
    deliver_all(incident, active_language=active_language)

    zh = email_to(chinese)
    assert zh.subject.startswith("请确认：[严重]") or zh.subject.startswith("请确认：[高]")
    assert "您好" in zh.body and "原因：" in zh.body and "确认（不再继续升级）" in zh.body
    assert "Acknowledge" not in zh.body and "Severity" not in zh.body
    html = zh.alternatives[0][0]
    assert '<html lang="zh-Hans">' in html and "打开事件" in html

    en = email_to(english)
    assert en.subject.startswith("Acknowledge please: [")
    assert "Hello" in en.body and "Why:" in en.body and "Acknowledge (stops further escalation):" in en.body
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in en.body.replace(incident.subject, ""))
    assert '<html lang="en">' in en.alternatives[0][0]


def test_the_factors_in_a_chinese_email_are_explained_in_chinese(directory, employee, two_managers):
    chinese, _ = two_managers
    incident = file_incident(employee, attachments=["Quotation_Q-1.pdf"])
    deliver_all(incident, active_language="en")
    body = email_to(chinese).body
    why = body[body.index("原因：") + len("原因：") : body.index("确认（")]
    assert why.strip().startswith("- ") and "误收了这封邮件" in why


@pytest.mark.parametrize("site_language, expected", [("en", "Hello"), ("zh-hans", "您好")])
def test_someone_who_chose_no_language_gets_the_sites(settings, directory, employee, manager, site_language, expected):
    settings.LANGUAGE_CODE = site_language
    speaking(manager, "")
    incident = file_incident(employee, attachments=["Quotation_Q-1.pdf"])
    deliver_all(incident, active_language="zh-hans" if site_language == "en" else "en")
    assert expected in email_to(manager).body


def test_the_breach_deadline_reads_as_a_chinese_date_in_the_recipients_zone(directory, employee, legal):
    speaking(legal, "zh-hans", "Asia/Shanghai")
    incident = file_incident(employee, problems=["wrong_recipient", "personal_data"])
    deliver_all(incident, active_language="en")
    local = timezone.localtime(incident.regulatory_deadline, ZoneInfo("Asia/Shanghai"))
    deadline = f"{local.year}年{local.month}月{local.day}日 {local:%H:%M} CST"
    assert f"个人信息泄露：72 小时通知时限截至 {deadline}。" in email_to(legal).body


@pytest.mark.parametrize(
    "language, subject, greeting",
    [
        ("zh-hans", "请完成报告：给华信的报价", "王芳，您好："),
        ("en", "Complete your report: 给华信的报价", "Hello 王芳,"),
    ],
)
def test_the_link_to_a_forwarded_report_is_in_its_owners_language(db, language, subject, greeting):
    owner = speaking(UserFactory(username="wang", first_name="王芳"), language)
    with translation.override("en" if language == "zh-hans" else "zh-hans"):
        pending_report_receive(owner=owner, fields={"subject": "给华信的报价"}, notify_address=owner.email)
    [message] = mail.outbox
    assert message.subject == subject
    assert message.body.startswith(greeting)


def test_a_forwarded_report_without_a_subject_says_so_in_the_owners_language(db):
    owner = speaking(UserFactory(username="wang"), "zh-hans")
    pending_report_receive(owner=owner, fields={}, notify_address=owner.email)
    [message] = mail.outbox
    assert message.subject == "请完成报告：（无主题）" and "主题：（无主题）" in message.body

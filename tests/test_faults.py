"""Fault injection is for the test suite only: `manage.py check` says so whenever it is on."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


def run_check() -> str:
    out = io.StringIO()
    call_command("check", stdout=out, stderr=out)
    return out.getvalue()


def test_no_fault_injection_no_warning(settings):
    settings.MISSEND_FAULTS = []
    assert "missend.W010" not in run_check()


def test_fault_injection_on_is_a_warning_naming_the_points(settings):
    settings.MISSEND_FAULTS = ["enqueue_lost", "redrive_off"]
    output = run_check()
    assert "missend.W010" in output and "enqueue_lost, redrive_off" in output


def test_an_unknown_fault_point_is_an_error(settings):
    settings.MISSEND_FAULTS = ["enqueue_lsot"]
    with pytest.raises(SystemCheckError, match="unknown fault points: enqueue_lsot"):
        run_check()

"""Escalation: who is told about an incident, when the next level is due, and delivering the news."""

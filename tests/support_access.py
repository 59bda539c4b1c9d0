"""Who may see and edit which of the four incidents of the `incidents` fixture (tests/conftest.py), by role."""

# Four incidents that differ in who they belong to and where they are routed.
# - own_low: the employee's, internal only, routed nowhere
# - own_high: the employee's, routed to managers (wrong client with pricing)
# - stranger_low: another employee's (no team), routed nowhere
# - stranger_legal: another employee's (no team), routed to legal only (small low quote to the right client)
INCIDENTS = ("own_low", "own_high", "stranger_low", "stranger_legal")

# Which incidents each role may see.
VISIBLE = {
    "employee": {"own_low", "own_high"},
    "other_employee": {"stranger_low", "stranger_legal"},
    "manager": {"own_low", "own_high"},  # team manager: all of the team's, plus all routed to managers
    "other_manager": {"own_high"},  # manages no team: only what is routed to managers
    "legal": {"stranger_legal"},
    "superuser": set(INCIDENTS),
}
# Which incidents each role may edit: the reporter and the managers of the reporter's team (legal reads only;
# a manager of another team reads what is routed to managers but edits none of it).
EDITABLE = {
    "employee": {"own_low", "own_high"},
    "other_employee": {"stranger_low", "stranger_legal"},
    "manager": {"own_low", "own_high"},
    "other_manager": set(),
    "legal": set(),
    "superuser": set(INCIDENTS),
}

MATRIX = [(role, name) for role in VISIBLE for name in INCIDENTS]

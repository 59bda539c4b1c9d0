"""The hold-and-check relay: outgoing mail is checked like a draft, held for a while so its sender can
cancel it, then passed to the company's real outgoing server.

policy.py is pure (no Django): delays, who may relay, what is due, SMTP replies. hold.py stores a
message, release.py sends it on (claims, retries, cancel, send now), sweep.py finds what is due,
notice.py tells the sender, server.py is the aiosmtpd side.
"""

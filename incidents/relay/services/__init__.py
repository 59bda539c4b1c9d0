"""The relay's writes, one module per step: taking a message in (hold), the sender's notice, releasing it
upstream (release, with the sender's Send now and Cancel), a cancelled message becoming a report, and the sweep."""

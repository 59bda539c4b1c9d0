"""The dashboard for managers, legal and administrators: figures from daily rollups, never from every incident.

How the rollups are keyed, so a page adds up only what its viewer may see
--------------------------------------------------------------------------
Who sees an incident (incidents/access.py ``visibility``) depends on its reporter, its team, and whether
it is routed or was ever escalated to managers or to legal. A rollup row therefore carries exactly those:

* ``DashboardTeamDay``: company day x team x severity x for_managers x for_legal. ``for_managers`` is
  "routed to managers now or escalated to them once" (what the Manager group sees), ``for_legal`` the same
  for legal. A viewer adds up the rows whose team they manage, plus ``for_managers`` rows if they are in
  Manager, plus ``for_legal`` rows if they are in Legal; a superuser adds up every row.
* ``DashboardReporterDay``: the same key plus the reporter. It gives (1) a viewer's own incidents that the
  team rows above do not already hold for them (the reporter rows of the viewer *not* matching the same
  condition, so nothing is counted twice), and (2) a team manager's figures per person, read only for the
  teams they manage: nobody else gets figures per person.
* ``DashboardOpenEscalation``: running escalations counted by route, level reached and state, keyed the
  same way (with the reporter), replaced whole at every refresh.

Incidents count on the company day they were reported (settings.TIME_ZONE), with their three durations
kept as fixed-bucket histograms (layout.py): percentiles do not add up across days, histograms do.
Reviews count on the day they were written, as ``review_selectors.review_counts`` counts them.

How fresh
---------
The beat task ``incidents.refresh_dashboard`` (every MISSEND_DASHBOARD_REFRESH_SECONDS, 5 minutes)
recomputes the days touched since its last run (services.touched_days, with a 15-minute overlap), and any day
whose counts no longer match the incidents and reviews (a deletion); ``manage.py dashboard_rollups
--rebuild`` recomputes everything. The page shows when the rollups were last brought up to date and caches
its rendered figures per rollup generation, viewer scope, filters and language (page.py).

Modules: layout (the measures), rollup (rows from plain facts), figures (figures and percentiles from
summed rows), labels and charts (words and pygal SVG), store (the database), forms and page (the view's parts).
"""

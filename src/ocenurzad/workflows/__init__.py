"""Workflows: the rules that span several apps, in one layer above them.

The domain apps import only downwards (README, "Architecture"): core ← audit ← offices ←
accounts ← jobs ← banner ← surveys ← printing ← responses ← reports ← actions ← scans ←
workflows ← panel ← operations. A rule that joins several of them — § 5 of the ordinances
(a report of the results so far archived with every change residents can see), creating
an office with its default survey and first administrator, the demo, the report's
sections that other apps add — lives here, as plain functions that call the apps'
services and selectors. Panel views call these functions; no domain app imports this
package.

Modules:
    visible_changes  § 5: every change residents see, with the report of the results so
                     far drawn outside any transaction and stored with the change
    onboarding       office_create: office, departments, default survey, first admin
    report_sections  the report's extra sections (actions …), registered with
                     reports.extensions at start-up (apps.py)
    demo_data        the demo offices' data; ``manage.py demo`` makes them
    panel_views      what the panel pages of visible changes say (view layer)
    management/commands: ``demo``, ``survey`` (export, import, import --publish)
"""

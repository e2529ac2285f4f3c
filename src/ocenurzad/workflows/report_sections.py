"""The report's sections that apps above reports add (reports/extensions.py).

Reports does not import the apps whose sections it prints; this module, above them,
registers each section with ``report_section_register``. ``register()`` is called once at
start-up by ``WorkflowsConfig.ready``; add a section there, e.g.::

    from ocenurzad.actions.report import actions_section   # the section's compute/context

    def register() -> None:
        report_section_register(actions_section)
"""


def register() -> None:
    """Register the report's extra sections (none yet)."""

"""低效用地台账 and 一企一方案: the year's inefficient-land register built from a run, its measures, the D-class plans.

``models`` holds the tables (migration 0019), ``repository`` their queries (imported by this feature's services only),
``service`` builds the register and changes cases, measures and plans (audited), ``board`` reads them for pages and
the to-do list with the projects' escalation rule (``core/schedule/difficulties.py``), ``schemas`` what the edges get.
"""

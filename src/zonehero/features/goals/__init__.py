"""Zone goals (目标管理) in the store: yearly goals, actuals per month or quarter, progress against them.

The pure rules (pro-rating, on-course status, formulas) live in
:mod:`zonehero.core.targets`; this feature keeps goals and actuals, audits every
change and computes actuals from the stored enterprise figures.
"""

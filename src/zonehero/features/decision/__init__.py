"""Decision support (决策支持) in the store: cultivation pools of a year, what-if on a draft run,
robustness of a run's classes, and what would lift an enterprise a class.

The pure cores (:mod:`zonehero.core.cultivation`, :mod:`zonehero.core.evaluation.whatif`,
:mod:`zonehero.core.evaluation.robustness`, :mod:`zonehero.core.evaluation.lift`) do the
work; these services load a year's stored figures or a run's inputs, check
who may ask, and audit what they change.
"""

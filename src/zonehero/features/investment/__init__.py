"""招商 leads in the store (招商线索): reporting, first-reporter protection, the pipeline with its clocks, signing.

The rules live in the pure core ``zonehero.core.investment`` (duplicate keys, first-reporter credit, counted
investment, clocks); these services load what an account may see, hand it to the core and write each change with
an audit entry. Signing hands the project to ``zonehero.features.projects``' service.
"""

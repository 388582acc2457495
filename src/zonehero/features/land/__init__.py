"""宗地与租赁 (parcels and leases) in the store: the 自然资源局 registers, imported all or nothing, read by the runs.

The land rule itself is the core's (:mod:`zonehero.core.land`); this feature keeps the records it reads, with
their polygons for the zone map, and hands a run the derivation of its year under its scheme's rules.
"""

"""公示 and 定稿 (publication): the workflow of a run once it leaves draft.

It sits above both the runs and the objections services, since publishing a
corrected run and finalising one both depend on the objections of the run in
公示 while an accepted objection makes a new draft run. Its service holds the
one 定稿 gate that the service enforces and the run page shows.
"""

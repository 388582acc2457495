"""The zone profile in the store (园区概况): the web app's copy of ``core.zone``, edited by the administrator."""

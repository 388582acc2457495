"""领导驾驶舱 (the leader's cockpit): the landing page's figures, decided in :mod:`.service`."""

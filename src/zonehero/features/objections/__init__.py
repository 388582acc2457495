"""Objections (异议) filed during 公示 and their answers."""

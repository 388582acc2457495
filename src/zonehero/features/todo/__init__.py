"""The to-do list (待办) of each role: what an account must act on now, computed live from the other features.

It reads the other features only through their services (and is imported by none of them): an item disappears
as soon as the work it points at is done, because nothing about it is stored.
"""

"""Accounts, roles and log-in (账户与角色)."""

"""The audit log: who read or changed which case, when; for admins."""

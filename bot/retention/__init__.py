"""Retention that follows the case: when a closed case is due, the warning before it, the
once-only extension, the purge to a tombstone, and the destruction list."""

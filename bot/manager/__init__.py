"""The manager in the loop (seed 004, seed 002): only with the reporter's consent.

A coordinator asks the reporter's consent (or has it from the report), invites the
manager for a measure with a text of their own choosing, and meldbot later asks the
manager "Hoe ging het?". The manager sees only what they were invited for.
"""

"""On-call (piket): who is paged for urgent cases, and escalation when nobody answers."""

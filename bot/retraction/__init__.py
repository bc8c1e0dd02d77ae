"""Retraction: taking down what meldbot posted about a case once its retention ends.

Every message a delivery posts about a case is recorded (``recording``), sealed, with the
case; ``tx.posts.retract_case`` turns those records into outbox rows that outlive the case,
and ``delivery`` deletes each message through the platform, with the outbox's retries.
"""

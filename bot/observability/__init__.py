"""What an operator sees of a running meldbot: metrics, readiness, request ids in logs."""

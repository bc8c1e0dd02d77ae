"""The rights of the people in a case: inzage (AVG art. 15) and erasure (art. 17)."""

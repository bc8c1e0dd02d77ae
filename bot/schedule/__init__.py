"""The scheduler: durable timers and recurring jobs, fired exactly once across instances."""

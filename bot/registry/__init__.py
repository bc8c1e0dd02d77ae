"""The registry export: one row per case for GIR/ARO-style registration, never a text or a name."""

"""Pitfall examples and their proofs (see README.md)."""

"""First-party application package of the SCP104 example."""

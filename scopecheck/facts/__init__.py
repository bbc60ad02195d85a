"""Per-file facts: what one file says about mocks, clients, fixtures and tests."""

"""The cross-file model of a pytest suite: fixtures, scopes, setup order, active mocks."""

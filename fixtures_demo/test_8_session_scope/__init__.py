"""Lesson 8: session scope, one moto for the rest of the whole run.

Files: conftest.py (the fixtures, and a hook that runs this package last),
test_a_first_module.py, test_b_second_module.py.

What to watch:
* `s3_per_session` is built by the first test that asks for it and torn down only when
  the whole pytest run ends: not at the end of this module, nor of this package. Every
  module that uses it shares one moto, so module b sees what module a made.
* Defining it in this folder's conftest.py limits who can *request* it, not how long it
  lives. While it is on, moto stays on for every later test of the run, even tests in
  other folders that never heard of it.
* A function-scoped `with mock_aws()` under it, which looks exactly like lesson 1's fixture,
  starts nothing fresh: moto 5 counts nested mocks and resets only when the outermost one
  starts, and wipes only when the outermost one stops. The inner mock sees the session's
  buckets, and what it creates outlives it.
* That is why conftest.py moves these tests to the very end of the run, whatever order
  the command line gave: no other test may run under this mock. In your own suite prefer
  narrower mocks; share expensive setup data, not the mock.
"""

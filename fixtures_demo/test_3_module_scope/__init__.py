"""Lesson 3: module scope, one moto per test module.

Files: conftest.py (the fixture), test_a_first_module.py, test_b_second_module.py.

What to watch:
* `s3_per_module` (in this package's conftest.py) is built before the first test of a
  module that uses it and torn down after the last test of that module. Defined once, it
  still gives each module its own instance.
* Inside one module every test sees what earlier tests left behind. The tests of a module
  therefore depend on their order, and the same setup code can behave differently the
  second time: re-creating a bucket silently succeeds in us-east-1 and fails with
  BucketAlreadyOwnedByYou in eu-west-1 (moto copies AWS here).
* test_b_second_module.py starts from nothing: the module teardown left the `with mock_aws()`
  block, and moto wiped everything module a created.
"""

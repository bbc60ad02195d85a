"""Lesson 7: overriding fixtures with a nested conftest.py.

Files: conftest.py (the overrides), test_a_conftest_overrides.py,
test_b_module_overrides_again.py.

What to watch:
* fixtures_demo/conftest.py defines `aws_region` ("us-east-1") and `s3`, which builds its
  client in `aws_region`. This folder's conftest.py defines both names again. For tests in
  this folder the nearest definition wins: conftest files closer to the test beat those
  further up, a test module beats every conftest, and `parametrize` on the fixture's name
  beats them all.
* Overriding `aws_region` alone changes the client the top-level `s3` builds: a fixture
  always receives the overriding versions of the fixtures it requests.
* An override may request the fixture it replaces under the same name (`def s3(s3)`): it
  extends it. Here it seeds a bucket into the parent's fresh mock.
* Scope stays as it was: each test still gets its own mock, so the seed is new every time.
"""

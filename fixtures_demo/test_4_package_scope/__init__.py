"""Lesson 4: package scope, one moto for a whole package of test modules.

Files: __init__.py (makes this folder a package), conftest.py (the fixture),
test_a_first_module.py, test_b_second_module.py.

What to watch:
* `s3_per_package` is defined in this package's conftest.py with scope="package". pytest
  builds it before the first test in this folder (sub-folders included) that uses it, and
  tears it down after the last one.
* So module b sees the bucket and the object that module a created. Compare lesson 3, where
  the same layout with scope="module" gave module b a clean moto.
* Outside this folder the fixture does not even exist: a conftest.py only serves the tests
  at or below its own folder.
* The mock stops when the package ends. The next lesson's first test finds no buckets only
  because of that: had this mock stayed on, its `with mock_aws()` would not have reset moto.
"""

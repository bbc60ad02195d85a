"""Lessons: how each pytest scope lives and dies with moto 5 (see README.md).

This folder is a package so that every lesson module gets a unique dotted name
(`fixtures_demo.test_3_module_scope.test_a_first_module`), and so that lessons can
import the helpers in `fixtures_demo.support`.
"""

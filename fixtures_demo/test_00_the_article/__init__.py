"""Lesson 00: the article this project answers, line by line (see README.md in fixtures_demo/)."""

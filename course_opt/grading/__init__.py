"""Grading the course's problem sets with nbgrader."""

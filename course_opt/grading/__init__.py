"""Grading of the problem sets: nbgrader's pipeline with student code kept out of the grader."""

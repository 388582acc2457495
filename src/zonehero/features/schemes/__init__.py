"""Evaluation schemes (评价方案) and their versions."""

"""Benchmarks: accuracy against peers, speed against the tokenization floor, and scale.

Run with `python -m benchmarks` (see README, "Benchmarks").  Every figure is a median over repeated runs and
every speed figure is a ratio against a floor measured in the same run, because the machine is shared and
timings are noisy.  Nothing here is imported by the classifier itself, and no timing is asserted in tests.
"""

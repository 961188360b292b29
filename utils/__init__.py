"""Utilities shared by the training machinery (progress bar, ...)."""

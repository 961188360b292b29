"""Utilities shared by the training machinery (progress bar, loss helpers, ...).

Mirrors: keras/utils/__init__.py (tf.keras 2.6), keras/src/utils/__init__.py
(Keras 3)
"""

"""Utilities shared by the training machinery (progress bar, loss helpers, ...).

Mirrors: keras/utils/__init__.py (tf.keras 2.x), keras/src/utils/__init__.py
(Keras 3)
"""

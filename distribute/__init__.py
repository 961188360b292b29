"""The distribution strategy stand-in: where multi-device training plugs in.

Mirrors: tensorflow/python/distribute/__init__.py (tf.distribute; stand-in, not
Keras code)
"""

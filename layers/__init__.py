"""The `Layer` subclasses, one family a folder, as in Keras 3."""

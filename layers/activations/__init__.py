"""The `Activation` layer."""

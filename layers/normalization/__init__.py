"""Normalization layers: `BatchNormalization`, `LayerNormalization`."""

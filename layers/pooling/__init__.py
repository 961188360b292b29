"""Pooling layers: `MaxPooling1D/2D`, `AveragePooling1D/2D` and their global forms."""

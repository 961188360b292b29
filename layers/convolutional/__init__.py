"""Convolution layers: `Conv1D/2D`, `Conv1D/2DTranspose`, `Depthwise` and `Separable`."""

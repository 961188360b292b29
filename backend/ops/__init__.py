"""Differentiable ops, the stand-in for TensorFlow's op library.

Each module pairs every op's forward computation with its gradient:
`math` (arithmetic, matmul, reductions), `array` (shapes and indexing),
`nn` (activations, losses' building blocks, dropout), `convolution` and
`pooling`. Users reach them as `nanokeras.ops.<name>`.
"""

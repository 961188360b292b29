"""Reshaping layers: `Flatten`, `Reshape`, `Permute`, padding, cropping, upsampling."""

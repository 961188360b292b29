"""Saving and loading: whole models (`.keras` archives) and weights (`.weights.npz`)."""

"""Core layers: `Dense`, `Embedding`, `Lambda`, `Identity`."""

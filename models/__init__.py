"""Functions on whole models (`clone_model`), as Keras 3 keeps them in `models/`."""

"""Learning rate schedules (`nanokeras.optimizers.schedules`)."""

"""Recurrent layers: `RNN`, the cells, `SimpleRNN`, `GRU`, `LSTM`, `Bidirectional`."""

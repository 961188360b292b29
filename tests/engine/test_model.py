"""`Model`'s modeling part (engine/training.py): subclassing, `get_layer`, `summary`.

The training methods of engine/training.py are tested in test_training.py.
"""

import numpy as np
import pytest

import nanokeras as nk


class TwoLayer(nk.Model):
    def __init__(self, dense_cls, dropout_cls):
        super().__init__()
        self.hidden = dense_cls(8)
        self.dropout = dropout_cls()
        self.out = dense_cls(1)

    def call(self, inputs, training=False):
        return self.out(self.dropout(self.hidden(inputs), training=training))


def test_subclassed_model_tracks_its_layers_and_weights(toy):
    model = TwoLayer(toy.Dense, toy.Dropout)
    assert model.layers == [model.hidden, model.dropout, model.out]
    assert model.weights == []
    model(np.ones((2, 3)))
    assert [tuple(w.shape) for w in model.weights] == [(3, 8), (8,), (8, 1), (1,)]
    assert model.dropout.seen == [False]  # the default of call(training=False)
    model(np.ones((2, 3)), training=True)
    assert model.dropout.seen[-1] is True


def test_subclassed_model_build_runs_call_on_placeholders(toy):
    model = TwoLayer(toy.Dense, toy.Dropout)
    model.build((None, 5))
    assert model.built and model.hidden.kernel.shape == (5, 8)


def test_layer_before_super_init_is_a_clear_error(toy):
    class Forgetful(nk.Model):
        def __init__(self):
            self.dense = toy.Dense(2)
            super().__init__()

    with pytest.raises(RuntimeError, match=r"subclassing `Model`.*super\(\).__init__"):
        Forgetful()


def test_call_not_implemented_names_the_model():
    class Empty(nk.Model):
        pass

    with pytest.raises(NotImplementedError, match="'empty'.*implement `call"):
        Empty()(np.ones((1, 2)))


def test_get_layer_by_name_and_index(toy):
    x = nk.Input(shape=(2,), name="in")
    model = nk.Model(x, toy.Dense(1, name="head")(x))
    assert model.get_layer("head") is model.layers[1]
    assert model.get_layer(index=0).name == "in"
    assert model.get_layer(index=-1).name == "head"


def test_summary_of_a_sequential_model_is_keras_table(toy):
    model = nk.Sequential()
    model.add(toy.Dense(input_shape=(10,), units=10))
    model.add(toy.Dense(units=1))
    lines = []
    model.summary(print_fn=lines.append)
    assert lines == [
        'Model: "sequential"',
        "_" * 65,
        " Layer (type)                Output Shape              Param #   ",
        "=" * 65,
        " toy_dense (ToyDense)        (None, 10)                110       ",
        " " * 65,
        " toy_dense_1 (ToyDense)      (None, 1)                 11        ",
        "=" * 65,
        "Total params: 121",
        "Trainable params: 121",
        "Non-trainable params: 0",
        "_" * 65,
    ]


def test_summary_of_a_branching_model_lists_connections(toy):
    x = nk.Input(shape=(3,), name="x")
    merged = toy.Add(name="merge")(
        [toy.Dense(2, name="a")(x), toy.Dense(2, name="b")(x)]
    )
    model = nk.Model(x, merged, name="branchy")
    lines = []
    model.summary(print_fn=lines.append)
    text = "\n".join(lines)
    assert "Connected to" in lines[2] and len(lines[1]) == 98
    assert "a[0][0]" in text and "b[0][0]" in text and "x[0][0]" in text
    merge_row = next(line for line in lines if line.startswith(" merge (ToyAdd)"))
    assert "(None, 2)" in merge_row and "a[0][0]" in merge_row


def test_summary_splits_trainable_and_non_trainable(toy):
    model = nk.Sequential([nk.Input(shape=(4,)), toy.Dense(3), toy.Dense(2)])
    model.layers[0].trainable = False
    lines = []
    model.summary(print_fn=lines.append, line_length=80)
    assert lines[-4:] == [
        "Total params: 23",
        "Trainable params: 8",
        "Non-trainable params: 15",
        "_" * 80,
    ]


def test_summary_of_a_subclassed_model_shows_multiple(toy):
    model = TwoLayer(toy.Dense, toy.Dropout)
    model(np.ones((1, 3)))
    lines = []
    model.summary(print_fn=lines.append)
    assert any("multiple" in line and "hidden" not in line for line in lines)
    assert "Total params: 41" in lines


def test_model_weights_order_matches_layers(toy):
    model = nk.Sequential([nk.Input(shape=(2,)), toy.Dense(3), toy.Dense(1)])
    names = [w.name for w in model.weights]
    assert names == [
        "toy_dense/kernel:0",
        "toy_dense/bias:0",
        "toy_dense_1/kernel:0",
        "toy_dense_1/bias:0",
    ]
    assert len(model.get_weights()) == 4


def test_summary_show_trainable_layer_range_and_expand_nested(toy):
    inner = nk.Sequential(
        [nk.Input(shape=(3,)), toy.Dense(4, name="inside")], name="inner"
    )
    x = nk.Input(shape=(3,), name="x")
    model = nk.Model(x, toy.Dense(1, name="head")(inner(x)), name="outer")
    model.get_layer("head").trainable = False
    lines = []
    model.summary(print_fn=lines.append, show_trainable=True)
    assert lines[2].rstrip().endswith("Trainable") and len(lines[1]) == 65 + 11
    head_row = next(line for line in lines if line.startswith(" head"))
    assert head_row.rstrip().endswith("N")
    lines = []
    model.summary(print_fn=lines.append, layer_range=("inner", "head"))
    rows = [line for line in lines if "(" in line and "Layer (type)" not in line]
    assert [row.split()[0] for row in rows] == ["inner", "head"]
    lines = []
    model.summary(print_fn=lines.append, expand_nested=True)
    assert any(line.startswith("  inside (ToyDense)") for line in lines)
    with pytest.raises(ValueError, match=r"'nothing\*'.*'outer'"):
        model.summary(layer_range=("nothing*", "head"))

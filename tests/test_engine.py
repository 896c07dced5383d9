"""The engine that finds ideas alike: which one a process loads, the ONNX path on a tiny model
and tokenizer built here, loading with no network, and what ``similar``, ``duplicates`` and
``suggest_groups`` do on plain walls written here (never the labelled set in bench/)."""

from __future__ import annotations

import json
import logging
import socket

import numpy as np
import onnx
import pytest
from django.core.exceptions import ImproperlyConfigured
from onnx import TensorProto, helper, numpy_helper
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

from summit.engine import Quality, get_engine, grouping, quality, reset_engine
from summit.engine.cache import VectorCache
from summit.engine.lexical import LexicalEngine
from summit.engine.onnx import OnnxEngine
from summit.engine.static import StaticEngine

BUSES = [
    "More buses in the evening",
    "Cheaper bus fares for young people",
    "Bus routes to the hospital",
    "Bus stops with real-time arrival screens",
    "A single bus ticket across all operators",
]
HOMES = [
    "Build more council houses",
    "Fix damp and mould in rented homes",
    "Bring empty homes back into use",
    "Cap rents for private tenants",
]
PARKS = ["Keep the parks clean and safe", "More trees along our streets"]


@pytest.fixture(autouse=True)
def fresh_engine(settings):
    """The engine the settings of a running app would choose (the rest of the suite names the
    plainest one), loaded anew for each test."""
    del settings.SYNTHESIS_ENGINE
    reset_engine()
    yield
    reset_engine()


# A tiny model: each word's vector says its topic, so the mean of a text's words does too.
VOCABULARY = {
    "[PAD]": ([0.0, 0.0, 9.0], 0),  # far from everything: padding that leaks shows
    "[UNK]": ([0.0, 0.0, 0.0], 1),
    "bus": ([1.0, 0.0, 0.1], 2),
    "buses": ([1.0, 0.1, 0.0], 3),
    "fares": ([0.9, 0.0, 0.2], 4),
    "tram": ([1.0, 0.2, 0.1], 5),
    "tickets": ([0.9, 0.1, 0.1], 6),
    "homes": ([0.0, 1.0, 0.1], 7),
    "rent": ([0.1, 1.0, 0.0], 8),
    "landlords": ([0.0, 0.9, 0.2], 9),
    "more": ([0.1, 0.1, 0.3], 10),
    "cheaper": ([0.2, 0.2, 0.3], 11),
    "the": ([0.1, 0.1, 0.1], 12),
}


def write_tokenizer(folder):
    vocab = {word: index for word, (_, index) in VOCABULARY.items()}
    tokenizer = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Lowercase()
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer.save(str(folder / "tokenizer.json"))


def integer_input(name):
    return helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "sequence"])


def write_model(path, kind):
    """``tokens``: one vector per token (a BERT-like graph, with token types); ``sentence``: the
    model pools over the attention mask itself and gives one vector per text."""
    table = np.array([vector for vector, _ in VOCABULARY.values()], dtype=np.float32)
    inits = [numpy_helper.from_array(table, "table")]
    nodes = [helper.make_node("Gather", ["table", "input_ids"], ["words"])]
    inputs = [integer_input("input_ids"), integer_input("attention_mask")]
    if kind == "tokens":
        inits.append(numpy_helper.from_array(np.zeros((2, 3), np.float32), "types"))
        inputs.append(integer_input("token_type_ids"))
        nodes += [
            helper.make_node("Gather", ["types", "token_type_ids"], ["typed"]),
            helper.make_node("Add", ["words", "typed"], ["last_hidden_state"]),
        ]
        output = helper.make_tensor_value_info(
            "last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", 3]
        )
    else:
        inits += [
            numpy_helper.from_array(np.array([2], np.int64), "last_axis"),
            numpy_helper.from_array(np.array([1], np.int64), "sequence_axis"),
        ]
        nodes += [
            helper.make_node("Cast", ["attention_mask"], ["mask"], to=TensorProto.FLOAT),
            helper.make_node("Unsqueeze", ["mask", "last_axis"], ["mask3"]),
            helper.make_node("Mul", ["words", "mask3"], ["kept"]),
            helper.make_node("ReduceSum", ["kept", "sequence_axis"], ["summed"], keepdims=0),
            helper.make_node("ReduceSum", ["mask3", "sequence_axis"], ["count"], keepdims=0),
            helper.make_node("Div", ["summed", "count"], ["sentence_embedding"]),
        ]
        output = helper.make_tensor_value_info(
            "sentence_embedding", TensorProto.FLOAT, ["batch", 3]
        )
    graph = helper.make_graph(nodes, f"tiny-{kind}", inputs, [output], initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(path))


@pytest.fixture(params=["tokens", "sentence"])
def model_dir(request, tmp_path):
    folder = tmp_path / "tiny-model"
    folder.mkdir()
    write_model(folder / "model.onnx", request.param)
    write_tokenizer(folder)
    return folder


def test_the_onnx_engine_is_the_one_in_synthesis_model_dir_and_ranks_by_meaning(
    model_dir, settings
):
    settings.SYNTHESIS_MODEL_DIR = str(model_dir)
    engine = get_engine()
    assert isinstance(engine, OnnxEngine)
    assert engine.name == "ONNX model tiny-model (from SYNTHESIS_MODEL_DIR)"
    wall = [(1, "more homes"), (2, "cheaper bus fares"), (3, "rent landlords"), (4, "tram")]
    assert {key for key, _ in engine.similar("buses tickets", wall, k=2)} == {2, 4}
    assert {key for key, _ in engine.similar("the rent", wall, k=2)} == {1, 3}
    vectors = engine.embed(["bus", "homes", "rent"])
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)


def test_padding_in_a_batch_changes_no_text_s_vector(model_dir):
    engine = OnnxEngine(model_dir)
    alone = engine.encode(["bus"])[0]
    beside_a_long_text = engine.encode(["bus", "more homes rent landlords the tram"])[0]
    assert np.allclose(alone, beside_a_long_text, atol=1e-6)


def test_a_model_laid_out_as_hugging_face_downloads_it_is_found(tmp_path, settings):
    write_model(tmp_path / "onnx" / "model.onnx", "tokens")
    write_tokenizer(tmp_path)
    settings.SYNTHESIS_MODEL_DIR = str(tmp_path)
    assert isinstance(get_engine(), OnnxEngine)


@pytest.mark.parametrize(
    ("missing", "message"),
    [("model.onnx", "has no model.onnx"), ("tokenizer.json", "has no tokenizer.json")],
)
def test_a_model_folder_without_its_files_is_a_clear_error(model_dir, settings, missing, message):
    (model_dir / missing).unlink()
    settings.SYNTHESIS_MODEL_DIR = str(model_dir)
    with pytest.raises(ImproperlyConfigured, match=message):
        get_engine()


def test_the_onnx_engine_made_alone_reads_the_setting(model_dir, settings):
    settings.SYNTHESIS_MODEL_DIR = str(model_dir)
    assert OnnxEngine().folder == model_dir
    settings.SYNTHESIS_MODEL_DIR = None
    with pytest.raises(ImproperlyConfigured, match="Set SYNTHESIS_MODEL_DIR"):
        OnnxEngine()


def test_a_model_folder_that_is_not_there_is_a_clear_error(tmp_path, settings):
    settings.SYNTHESIS_MODEL_DIR = str(tmp_path / "nowhere")
    with pytest.raises(ImproperlyConfigured, match="which is not a folder"):
        get_engine()


def test_the_default_engine_loads_and_runs_with_no_network(monkeypatch, settings):
    def refuse(*args, **kwargs):
        raise OSError("no network in this test")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    settings.SYNTHESIS_MODEL_DIR = None
    engine = get_engine()
    assert isinstance(engine, StaticEngine)
    assert "wordllama" in engine.name
    wall = list(enumerate(BUSES + HOMES))
    assert engine.similar("Lower bus fares", wall, k=1)[0][0] < len(BUSES)
    assert engine.suggest_groups(wall)


def test_one_engine_a_process_until_it_is_reset():
    engine = get_engine()
    assert get_engine() is engine
    reset_engine()
    assert get_engine() is not engine


def test_a_setting_may_name_the_engine(settings):
    settings.SYNTHESIS_ENGINE = "summit.engine.lexical.LexicalEngine"
    assert isinstance(get_engine(), LexicalEngine)


def test_words_in_common_stand_in_with_a_warning_when_wordllama_cannot_load(monkeypatch, caplog):
    def fail():
        raise FileNotFoundError("weights file not found")

    monkeypatch.setattr("summit.engine.static.load_table", fail)
    with caplog.at_level(logging.WARNING, logger="summit.engine.choice"):
        engine = get_engine()
    assert isinstance(engine, LexicalEngine)
    assert "could not load" in caplog.text


def test_similar_finds_the_idea_saying_the_same_thing():
    engine = get_engine()
    wall = list(enumerate(BUSES + HOMES + PARKS))
    found = engine.similar("Bus tickets should cost less for young people", wall, k=3)
    assert found[0][0] == 1
    assert all(key < len(BUSES) for key, _ in found)
    assert [score for _, score in found] == sorted((score for _, score in found), reverse=True)
    assert engine.similar("   ", wall) == []
    assert engine.similar("anything", []) == []


def test_duplicates_puts_the_pair_saying_one_thing_first():
    wall = [
        ("a", "Free school meals for every child"),
        ("b", "Build more council houses"),
        ("c", "Every child should get free school meals"),
        ("d", "More buses in the evening"),
    ]
    found = get_engine().duplicates(wall)
    assert found[0][:2] == ("a", "c")
    assert all({first, second} != {"b", "d"} for first, second, _ in found)


def test_suggested_groups_hold_each_idea_once_keep_topics_apart_and_do_not_vary():
    engine = get_engine()
    wall = [(f"idea-{i}", text) for i, text in enumerate(BUSES + HOMES)]
    groups = engine.suggest_groups(wall)
    keys = [key for group in groups for key in group.keys]
    assert sorted(keys) == sorted(key for key, _ in wall)
    bus_keys = {key for key, _ in wall[: len(BUSES)]}
    assert any(bus_keys <= set(group.keys) for group in groups)
    assert all(not (bus_keys & set(g.keys)) or set(g.keys) <= bus_keys for g in groups)
    assert all(group.label and len(group.label) <= 60 for group in groups)
    assert [len(g.keys) for g in groups] == sorted((len(g.keys) for g in groups), reverse=True)
    assert engine.suggest_groups(wall) == groups
    assert engine.suggest_groups([]) == []
    assert len(engine.suggest_groups([("only", "One idea")])) == 1


def test_lookups_against_a_wall_embed_only_the_new_text(monkeypatch):
    engine = get_engine()
    wall = list(enumerate(BUSES + HOMES))
    engine.similar("Evening buses", wall)
    asked = []
    encode = engine.encode
    monkeypatch.setattr(engine, "encode", lambda texts: asked.append(texts) or encode(texts))
    engine.similar("Buses at night", wall)
    assert asked == [["Buses at night"]]


def test_the_cache_of_vectors_drops_the_least_recently_used():
    cache = VectorCache(budget_bytes=2 * 4 * 3)  # two vectors of three float32
    cache.put_many(["a", "b"], np.ones((2, 3), np.float32))
    cache.get_many(["a"])
    cache.put_many(["c"], np.zeros((1, 3), np.float32))
    assert [v is not None for v in cache.get_many(["a", "b", "c"])] == [True, False, True]


def test_linkage_is_average_linkage_cut_half_a_deviation_above_the_wall_s_average_pair():
    rng = np.random.RandomState(7)
    for _ in range(10):
        points = rng.randn(40, 6)
        points[:20] += 1.5
        points /= np.linalg.norm(points, axis=1, keepdims=True)
        similarity = points @ points.T
        assert quality.adjusted_rand(grouping.linkage(similarity), plain_linkage(similarity)) == 1


def plain_linkage(similarity):
    """Average linkage the slow and obvious way, to check the fast one against."""
    n = len(similarity)
    pairs = similarity[np.triu_indices(n, k=1)]
    bar = pairs.mean() + 0.5 * pairs.std()
    members = [[i] for i in range(n)]
    while True:
        best, pair = -np.inf, None
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                mean = similarity[np.ix_(members[a], members[b])].mean()
                if mean > best:
                    best, pair = mean, (a, b)
        if pair is None or best < bar:
            break
        members[pair[0]] += members.pop(pair[1])
    labels = np.zeros(n, dtype=int)
    for number, rows in enumerate(members):
        labels[rows] = number
    return labels


def test_adjusted_rand_index():
    assert quality.adjusted_rand([0, 0, 1, 1], [1, 1, 0, 0]) == 1.0
    assert quality.adjusted_rand([0, 0, 1, 1], [0, 0, 1, 2]) == pytest.approx(4 / 7)
    assert quality.adjusted_rand([0, 0, 0, 0], [0, 1, 2, 3]) == 0.0
    assert quality.adjusted_rand(["a", "a", "b"], ["x", "y", "y"]) < 0.5


SMALL_SET = {
    "themes": [{"id": "buses", "name": "Buses"}, {"id": "homes", "name": "Homes"}],
    "ideas": [
        *(
            {"id": f"b{i}", "text": t, "theme": "buses", "duplicate_of": None}
            for i, t in enumerate(BUSES)
        ),
        *(
            {"id": f"h{i}", "text": t, "theme": "homes", "duplicate_of": None}
            for i, t in enumerate(HOMES)
        ),
        {
            "id": "dup",
            "text": "Lower bus fares for the young",
            "theme": "buses",
            "duplicate_of": "b1",
        },
    ],
}


def test_quality_is_measured_once_on_the_labelled_set(tmp_path, settings, monkeypatch):
    path = tmp_path / "ideas.json"
    path.write_text(json.dumps(SMALL_SET), encoding="utf-8")
    settings.SYNTHESIS_LABELLED_SET = path
    engine = get_engine()
    measured = engine.quality()
    assert isinstance(measured, Quality)
    assert (measured.ideas, measured.themes) == (len(SMALL_SET["ideas"]), 2)
    assert -1 <= measured.adjusted_rand <= 1
    assert measured.near_duplicates_top3 == 1.0
    monkeypatch.setattr(quality, "measure_engine", lambda engine: pytest.fail("measured again"))
    assert engine.quality() is measured
    assert engine.offers_suggested_groups() == (measured.adjusted_rand >= 0.5)


@pytest.mark.parametrize("content", [None, "not json", '{"ideas": [{"id": 1}]}'])
def test_without_a_readable_labelled_set_there_is_no_quality_and_no_suggestions(
    tmp_path, settings, content
):
    path = tmp_path / "ideas.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    settings.SYNTHESIS_LABELLED_SET = path
    engine = get_engine()
    assert engine.quality() is None
    assert engine.offers_suggested_groups() is False


def test_an_engine_that_fails_its_measure_offers_no_suggestions(
    tmp_path, settings, monkeypatch, caplog
):
    path = tmp_path / "ideas.json"
    path.write_text(json.dumps(SMALL_SET), encoding="utf-8")
    settings.SYNTHESIS_LABELLED_SET = path
    engine = get_engine()

    def broken(ideas):
        raise RuntimeError("broken")

    monkeypatch.setattr(engine, "suggest_groups", broken)
    with caplog.at_level(logging.ERROR, logger="summit.engine.quality"):
        assert engine.quality() is None
    assert engine.offers_suggested_groups() is False
    assert "could not be measured" in caplog.text

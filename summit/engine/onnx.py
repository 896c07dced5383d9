"""A sentence-embedding model an operator chose, in ONNX format, from a folder on this server.

The folder (the setting ``SYNTHESIS_MODEL_DIR``) holds ``model.onnx`` (or ``onnx/model.onnx``,
as Hugging Face's downloads lay it out) and the model's ``tokenizer.json``. onnxruntime runs the
model on the CPU with one thread, so a worker never takes more than its core; Hugging Face's
``tokenizers`` reads the tokenizer. Nothing is downloaded: the folder is all there is
(docs/synthesis.md says how an operator obtains one and checks it).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext

from summit.engine.vectors import VectorEngine, unit_rows

MAX_TOKENS = 256
BATCH = 32
# Where a model's own pooled output goes by name (sentence-transformers' exports).
SENTENCE_OUTPUTS = ("sentence_embedding", "sentence_embeddings")


def model_files(folder: Path) -> tuple[Path, Path]:
    """The folder's model and tokenizer, or ImproperlyConfigured naming what is missing."""
    if not folder.is_dir():
        raise ImproperlyConfigured(f"SYNTHESIS_MODEL_DIR names {folder}, which is not a folder.")
    model = next(
        (p for p in (folder / "model.onnx", folder / "onnx" / "model.onnx") if p.is_file()), None
    )
    if model is None:
        raise ImproperlyConfigured(
            f"SYNTHESIS_MODEL_DIR ({folder}) has no model.onnx (nor onnx/model.onnx)."
        )
    tokenizer = folder / "tokenizer.json"
    if not tokenizer.is_file():
        raise ImproperlyConfigured(f"SYNTHESIS_MODEL_DIR ({folder}) has no tokenizer.json.")
    return model, tokenizer


class OnnxEngine(VectorEngine):
    """A sentence-embedding model: mean of its token vectors over the attention mask (or the
    model's own sentence vector where it gives one), at unit length."""

    def __init__(self, folder: str | Path | None = None) -> None:
        import onnxruntime
        from django.conf import settings
        from tokenizers import Tokenizer

        super().__init__()
        folder = folder or getattr(settings, "SYNTHESIS_MODEL_DIR", None)
        if not folder:
            raise ImproperlyConfigured("Set SYNTHESIS_MODEL_DIR to the folder of an ONNX model.")
        self.folder = Path(folder)
        model, tokenizer = model_files(self.folder)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        self.session = onnxruntime.InferenceSession(
            str(model), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.inputs = {i.name: _integer_type(i.type) for i in self.session.get_inputs()}
        for needed in ("input_ids", "attention_mask"):
            if needed not in self.inputs:
                raise ImproperlyConfigured(f"{model} takes no {needed}: not a text model.")
        unknown = set(self.inputs) - {"input_ids", "attention_mask", "token_type_ids"}
        if unknown:
            raise ImproperlyConfigured(
                f"{model} wants inputs Summit cannot give: {sorted(unknown)}."
            )
        self.output, self.pooled = _choose_output(self.session.get_outputs())

    @property
    def name(self) -> str:
        return gettext("ONNX model %(folder)s (from SYNTHESIS_MODEL_DIR)") % {
            "folder": self.folder.name
        }

    def encode(self, texts: list[str]) -> np.ndarray:
        rows = [self.encode_batch(texts[i : i + BATCH]) for i in range(0, len(texts), BATCH)]
        return unit_rows(np.concatenate(rows)) if rows else np.zeros((0, 0), np.float32)

    def encode_batch(self, texts: list[str]) -> np.ndarray:
        # One text at a time: the tokenizer's batch call starts a pool of threads in a worker.
        encodings = [self.tokenizer.encode(text) for text in texts]
        width = max(1, max(len(e.ids) for e in encodings))
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros((len(texts), width), dtype=np.int64)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        given = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        feed = {name: given[name].astype(dtype) for name, dtype in self.inputs.items()}
        (out,) = self.session.run([self.output], feed)
        out = np.asarray(out, dtype=np.float32)
        if self.pooled:
            return out
        weights = mask[..., None].astype(np.float32)
        return (out * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)


def _integer_type(onnx_type: str) -> type:
    """The numpy type of one of the model's integer inputs (tensor(int64), tensor(int32))."""
    if onnx_type == "tensor(int32)":
        return np.int32
    if onnx_type == "tensor(int64)":
        return np.int64
    raise ImproperlyConfigured(
        f"The model takes an input of type {onnx_type}; Summit feeds integers."
    )


def _choose_output(outputs: list) -> tuple[str, bool]:
    """The output to read, and whether it is already one vector a text (not one a token)."""
    for output in outputs:
        if output.name in SENTENCE_OUTPUTS and len(output.shape) == 2:
            return output.name, True
    for output in outputs:
        if len(output.shape) == 3:
            return output.name, False
    for output in outputs:
        if len(output.shape) == 2:
            return output.name, True
    raise ImproperlyConfigured("The model gives no output of one vector per token or per text.")

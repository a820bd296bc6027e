"""Add the TFLite input-normalisation metadata that MediaPipe's Tasks API requires.

The pose models shipped on PyPI and npm are raw ``.tflite`` graphs. The Tasks API refuses
a float32 input tensor unless the model carries a ``TFLITE_METADATA`` buffer that says how
pixels are normalised. These functions add that buffer, using the flatbuffer schema modules
that ship inside ``mediapipe`` itself (no TensorFlow needed).
"""

from __future__ import annotations

from dataclasses import dataclass

import flatbuffers
import numpy as np
from mediapipe.tasks.metadata import metadata_schema_py_generated as meta_fb
from mediapipe.tasks.metadata import schema_py_generated as model_fb

METADATA_BUFFER_NAME = "TFLITE_METADATA"
MODEL_FILE_IDENTIFIER = b"TFL3"
METADATA_FILE_IDENTIFIER = b"M001"
# TFLite's own writer aligns constant buffers to 16 bytes; doing the same lets the runtime
# map weights in place instead of copying them (and silences its "unaligned" warning).
BUFFER_ALIGNMENT = 16


@dataclass(frozen=True)
class Normalization:
    """Per-channel input normalisation: ``(pixel - mean) / std``.

    Parameters
    ----------
    mean, std
        Values applied to 0-255 RGB pixels. ``(127.5, 127.5)`` maps to [-1, 1];
        ``(0, 255)`` maps to [0, 1].
    """

    mean: float
    std: float


DETECTOR_NORMALIZATION = Normalization(mean=127.5, std=127.5)
LANDMARKER_NORMALIZATION = Normalization(mean=0.0, std=255.0)


def _build_metadata(model: model_fb.ModelT, normalization: Normalization, name: str) -> bytes:
    """Serialise a ``ModelMetadata`` flatbuffer describing one RGB image input."""
    norm = meta_fb.NormalizationOptionsT()
    norm.mean = [normalization.mean]
    norm.std = [normalization.std]
    unit = meta_fb.ProcessUnitT()
    unit.optionsType = meta_fb.ProcessUnitOptions.NormalizationOptions
    unit.options = norm

    image_props = meta_fb.ImagePropertiesT()
    image_props.colorSpace = meta_fb.ColorSpaceType.RGB
    content = meta_fb.ContentT()
    content.contentPropertiesType = meta_fb.ContentProperties.ImageProperties
    content.contentProperties = image_props

    input_meta = meta_fb.TensorMetadataT()
    input_meta.name = "image"
    input_meta.content = content
    input_meta.processUnits = [unit]

    n_outputs = len(model.subgraphs[0].outputs)
    subgraph = meta_fb.SubGraphMetadataT()
    subgraph.inputTensorMetadata = [input_meta]
    subgraph.outputTensorMetadata = [meta_fb.TensorMetadataT() for _ in range(n_outputs)]

    metadata = meta_fb.ModelMetadataT()
    metadata.name = name
    metadata.description = "MediaPipe pose model with input normalisation metadata (lumbopelvic)."
    metadata.minParserVersion = "1.0.0"
    metadata.license = "Apache-2.0"
    metadata.subgraphMetadata = [subgraph]

    builder = flatbuffers.Builder(1024)
    builder.Finish(metadata.Pack(builder), METADATA_FILE_IDENTIFIER)
    return bytes(builder.Output())


class _AlignedBufferT(model_fb.BufferT):
    """``BufferT`` whose data vector is aligned to :data:`BUFFER_ALIGNMENT` bytes."""

    def Pack(self, builder: flatbuffers.Builder) -> int:  # noqa: N802 (flatbuffers API)
        data_offset = None
        if self.data is not None and len(self.data) > 0:
            raw = np.asarray(self.data, dtype=np.uint8).tobytes()
            builder.StartVector(1, len(raw), BUFFER_ALIGNMENT)
            builder.head = builder.head - len(raw)
            builder.Bytes[builder.head : builder.head + len(raw)] = raw
            data_offset = builder.EndVector()
        model_fb.BufferStart(builder)
        if data_offset is not None:
            model_fb.BufferAddData(builder, data_offset)
        model_fb.BufferAddOffset(builder, self.offset)
        model_fb.BufferAddSize(builder, self.size)
        return model_fb.BufferEnd(builder)


def has_metadata(tflite: bytes) -> bool:
    """Return whether a TFLite model already carries a ``TFLITE_METADATA`` buffer."""
    model = model_fb.Model.GetRootAsModel(tflite, 0)
    return any(
        model.Metadata(i).Name() == METADATA_BUFFER_NAME.encode()
        for i in range(model.MetadataLength())
    )


def add_normalization_metadata(tflite: bytes, normalization: Normalization, name: str) -> bytes:
    """Return a copy of a TFLite model with image-input normalisation metadata.

    Parameters
    ----------
    tflite
        The serialised model (a ``TFL3`` flatbuffer).
    normalization
        How the Tasks API must scale 0-255 RGB pixels for this model.
    name
        Model name recorded in the metadata.

    Returns
    -------
    bytes
        The re-serialised model. Any existing ``TFLITE_METADATA`` entry is replaced.

    Raises
    ------
    ValueError
        If ``tflite`` is not a TFLite flatbuffer.
    """
    if len(tflite) < 8 or tflite[4:8] != MODEL_FILE_IDENTIFIER:
        raise ValueError("not a TFLite model (missing TFL3 identifier)")
    model = model_fb.ModelT.InitFromPackedBuf(bytearray(tflite), 0)
    if not model.subgraphs:
        raise ValueError("TFLite model has no subgraph")

    buffers = [_as_aligned(buffer) for buffer in (model.buffers or [])]
    kept = [m for m in (model.metadata or []) if _decode(m.name) != METADATA_BUFFER_NAME]
    metadata_buffer = _AlignedBufferT()
    metadata_buffer.data = np.frombuffer(
        _build_metadata(model, normalization, name), dtype=np.uint8
    )
    buffers.append(metadata_buffer)
    entry = model_fb.MetadataT()
    entry.name = METADATA_BUFFER_NAME
    entry.buffer = len(buffers) - 1
    model.buffers = buffers
    model.metadata = [*kept, entry]

    builder = flatbuffers.Builder(len(tflite) + 4096)
    builder.Finish(model.Pack(builder), MODEL_FILE_IDENTIFIER)
    return bytes(builder.Output())


def _as_aligned(buffer: model_fb.BufferT) -> _AlignedBufferT:
    aligned = _AlignedBufferT()
    aligned.data, aligned.offset, aligned.size = buffer.data, buffer.offset, buffer.size
    return aligned


def _decode(name: bytes | str | None) -> str | None:
    return name.decode() if isinstance(name, bytes) else name

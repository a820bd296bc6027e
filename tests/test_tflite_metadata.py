import numpy as np
import pytest
from conftest import tiny_tflite
from mediapipe.tasks.metadata import metadata_schema_py_generated as meta_fb
from mediapipe.tasks.metadata import schema_py_generated as model_fb

from lumbopelvic.pose.mediapipe.tflite_metadata import (
    BUFFER_ALIGNMENT,
    DETECTOR_NORMALIZATION,
    LANDMARKER_NORMALIZATION,
    add_normalization_metadata,
    has_metadata,
)


def _read_metadata(tflite: bytes) -> meta_fb.ModelMetadataT:
    model = model_fb.ModelT.InitFromPackedBuf(bytearray(tflite), 0)
    (entry,) = [m for m in model.metadata if m.name == b"TFLITE_METADATA"]
    raw = bytes(model.buffers[entry.buffer].data)
    assert raw[4:8] == b"M001"
    return meta_fb.ModelMetadataT.InitFromPackedBuf(bytearray(raw), 0)


@pytest.mark.parametrize("norm", [DETECTOR_NORMALIZATION, LANDMARKER_NORMALIZATION])
def test_metadata_holds_rgb_input_and_normalization(norm):
    raw = tiny_tflite(n_outputs=3)
    assert not has_metadata(raw)
    out = add_normalization_metadata(raw, norm, "test")
    assert has_metadata(out)
    meta = _read_metadata(out)
    (subgraph,) = meta.subgraphMetadata
    (image,) = subgraph.inputTensorMetadata
    assert image.content.contentPropertiesType == meta_fb.ContentProperties.ImageProperties
    assert image.content.contentProperties.colorSpace == meta_fb.ColorSpaceType.RGB
    (unit,) = image.processUnits
    assert unit.optionsType == meta_fb.ProcessUnitOptions.NormalizationOptions
    assert list(unit.options.mean) == [norm.mean]
    assert list(unit.options.std) == [norm.std]
    assert len(subgraph.outputTensorMetadata) == 3
    assert meta.minParserVersion == b"1.0.0"


def test_weights_survive_and_are_aligned():
    out = add_normalization_metadata(tiny_tflite(), LANDMARKER_NORMALIZATION, "test")
    model = model_fb.Model.GetRootAsModel(out, 0)
    weights = model.Buffers(1)
    np.testing.assert_array_equal(weights.DataAsNumpy(), np.arange(37, dtype=np.uint8))
    # Position of the data vector within the serialised file.
    start = weights._tab.Vector(weights._tab.Offset(4))
    assert start % BUFFER_ALIGNMENT == 0


def test_existing_metadata_is_replaced_not_duplicated():
    once = add_normalization_metadata(tiny_tflite(), DETECTOR_NORMALIZATION, "a")
    twice = add_normalization_metadata(once, LANDMARKER_NORMALIZATION, "b")
    model = model_fb.ModelT.InitFromPackedBuf(bytearray(twice), 0)
    assert [m.name for m in model.metadata].count(b"TFLITE_METADATA") == 1
    (unit,) = _read_metadata(twice).subgraphMetadata[0].inputTensorMetadata[0].processUnits
    assert list(unit.options.std) == [255.0]


def test_rejects_non_tflite():
    with pytest.raises(ValueError, match="TFL3"):
        add_normalization_metadata(b"PK\x03\x04 not a model", DETECTOR_NORMALIZATION, "x")

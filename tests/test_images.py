"""Sample photos and image loading."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from cnncourse import SAMPLE_IMAGES, load_image, load_sample, to_grayscale


@pytest.mark.parametrize("name", list(SAMPLE_IMAGES))
def test_sample_photos_load_offline(name):
    photo = load_sample(name)
    assert photo.dtype == np.uint8 and photo.ndim == 3 and photo.shape[-1] == 3
    assert photo.std() > 20  # a real photo, not a blank
    for key in ("description", "credit", "licence"):
        assert SAMPLE_IMAGES[name][key]


def test_unknown_sample_lists_names():
    with pytest.raises(ValueError, match=r"valid values are 'cat', 'astronaut', 'coffee'"):
        load_sample("dog")


def test_grayscale_rgba_and_float_inputs_are_converted(tmp_path):
    rgba = np.zeros((4, 6, 4), dtype=np.uint8)
    rgba[..., 0] = 200
    assert load_image(rgba).shape == (4, 6, 3)
    gray = Image.fromarray(np.full((3, 5), 128, dtype=np.uint8), mode="L")
    assert load_image(gray)[0, 0].tolist() == [128, 128, 128]
    path = tmp_path / "gray.png"
    gray.save(path)
    assert load_image(path).shape == (3, 5, 3)
    assert load_image(np.ones((2, 2)))[0, 0].tolist() == [255, 255, 255]


def test_grayscale_weights_match_pil():
    photo = load_sample("coffee")
    pil = np.asarray(Image.fromarray(photo).convert("L"), dtype=float) / 255
    assert np.abs(to_grayscale(photo) - pil).max() < 1.5 / 255


def test_bad_images(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_image(tmp_path / "missing.png")
    text = tmp_path / "notes.txt"
    text.write_text("not an image")
    with pytest.raises(ValueError, match="is not an image file"):
        load_image(text)
    with pytest.raises(ValueError, match=r"must have shape \(H, W\), \(H, W, 3\) or \(H, W, 4\)"):
        load_image(np.zeros((2, 2, 5)))


@pytest.mark.parametrize("values, match", [
    (np.full((4, 4, 3), 200.0), r"must be in \[0, 1\] unless the dtype is uint8, got values from 200 to 200 "
                                r"\(values up to 255: divide by 255"),
    (np.full((4, 4), -0.5), r"got values from -0.5 to -0.5"),
    (np.array([[0.5, np.nan]]), r"NaN or infinite"),
])
def test_out_of_range_float_images_are_rejected_not_clipped(values, match):
    with pytest.raises(ValueError, match=match):
        load_image(values)


def test_bool_images_are_rejected():
    with pytest.raises(TypeError, match="must be uint8 or real numbers"):
        load_image(np.zeros((3, 3), dtype=bool))


def test_float_images_in_range_and_int_images():
    assert load_image(np.full((2, 2), 1.0)).max() == 255
    assert load_image(np.full((2, 2), 0.5, np.float32))[0, 0, 0] == 128
    assert load_image(np.zeros((2, 2), dtype=np.int64)).max() == 0

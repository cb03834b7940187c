"""Which way is up on an ID photo whose shoulders are lost in the background (light clothes on a light
background), so that no edge of the photo is cut by the subject: the head alone must tell.

The head is wide at the crown and narrows to the chin and the neck below it, and the hair (or a cap) sits at
its top whatever its shade: grey or fair hair on a darker face caps the head as dark hair on a light face
does. Photos drawn here, turned every quarter; no OCR.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
import pytest

from preverif.classify.visual import portrait_rotation
from preverif.imaging.orient import detect_orientation, rotate_clockwise

TURNS = [pytest.param(t, id=f"turned-{t}") for t in (0, 90, 180, 270)]


def _head_photo(width: int, height: int, *, face: int, hair: int, background: int = 222) -> np.ndarray:
    """A grey ID photo: a plain light background, clothes as light as it (lost), a neck, a face with
    eyes and a mouth, and the hair capping the top of the head (lighter or darker than the face)."""
    img = np.full((height, width), background, np.uint8)
    cv2.ellipse(  # light clothes, barely darker than the background
        img, (width // 2, int(1.1 * height)), (width // 2, int(0.4 * height)), 0, 0, 360, background + 4, -1
    )
    cv2.rectangle(
        img, (int(0.41 * width), int(0.55 * height)), (int(0.6 * width), int(0.78 * height)), face, -1
    )
    centre = (width // 2, int(0.4 * height))
    axes = (int(0.2 * width), int(0.22 * height))
    cv2.ellipse(img, centre, axes, 0, 0, 360, face, -1)
    # the hair: the upper half of a slightly larger oval, over the crown and down to the temples
    cv2.ellipse(
        img, (width // 2, int(0.36 * height)), (int(0.21 * width), int(0.18 * height)), 0, 180, 360, hair, -1
    )
    for side in (-1, 1):
        cv2.circle(img, (width // 2 + side * int(0.07 * width), int(0.41 * height)), 3, 30, -1)
    cv2.ellipse(img, (width // 2, int(0.5 * height)), (int(0.05 * width), 4), 0, 0, 180, 40, 2)
    noise = np.random.default_rng(11).normal(0, 4, img.shape)
    return np.clip(img + noise, 0, 255).astype(np.uint8)


def _on_sheet(photo: np.ndarray) -> np.ndarray:
    """The photo alone in the top-left corner of an A4 sheet scanned at 150 dpi."""
    page = np.full((1754, 1240), 246, np.uint8)
    page[50 : 50 + photo.shape[0], 50 : 50 + photo.shape[1]] = photo
    noise = np.random.default_rng(5).normal(0, 2, page.shape)
    return np.clip(page + noise, 0, 255).astype(np.uint8)


def _light_cap_dark_face_on_sheet() -> np.ndarray:
    return _on_sheet(_head_photo(207, 266, face=85, hair=150))


def _dark_hair_light_face_on_sheet() -> np.ndarray:
    return _on_sheet(_head_photo(207, 266, face=185, hair=50))


def _light_cap_dark_face_close_up() -> np.ndarray:
    """A phone's close-up of the print: the photo fills the frame."""
    return _head_photo(900, 1160, face=95, hair=160)


CASES = [
    pytest.param(_light_cap_dark_face_on_sheet, id="light-cap-dark-face-on-a4"),
    pytest.param(_dark_hair_light_face_on_sheet, id="dark-hair-light-face-on-a4"),
    pytest.param(_light_cap_dark_face_close_up, id="light-cap-dark-face-close-up"),
]


@pytest.mark.parametrize("turned", TURNS)
@pytest.mark.parametrize("make", CASES)
def test_head_without_shoulders_is_put_upright(make: Callable[[], np.ndarray], turned: int) -> None:
    page = rotate_clockwise(make(), turned)  # as sent: turned ``turned`` degrees clockwise
    found = portrait_rotation(page)
    assert found is not None and found[0] == (360 - turned) % 360, found
    orientation = detect_orientation(page, text_layer_present=False)
    assert orientation.rotate == (360 - turned) % 360, orientation

"""The prepare stage: a raw page becomes an upright, flat, evenly lit grey page with a quality measure."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from preverif.imaging.deskew import deskew, estimate_skew, to_grey
from preverif.imaging.enhance import normalise_lighting
from preverif.imaging.levels import grey_histogram
from preverif.imaging.orient import OSD_LONG_SIDE, detect_orientation, resize_for_osd, rotate_clockwise
from preverif.imaging.perspective import find_document_quad, rectify
from preverif.imaging.quality import NORMAL_LONG_SIDE, estimate_dpi, measure_quality
from preverif.records import Image, PageQuality, RawPage
from preverif.settings import Settings

MIN_SKEW = 0.3  # degrees below which rotating would only blur the text


@dataclass(frozen=True, eq=False)
class PreparedPage:
    """A page ready to be read. ``image`` is grey uint8; for a born-digital page it keeps the text layer's
    pixel space (no rotation, deskew nor warp), so the text layer's boxes still apply."""

    file: str
    number: int
    image: Image
    dpi: float
    rotation: int  # degrees clockwise applied
    skew: float  # degrees (counter-clockwise positive) corrected
    perspective_fixed: bool
    quality: PageQuality
    orientation_method: str = ""
    content_hash: str = ""
    error: str | None = None  # French, when the page had no image at all
    # the same page before lighting normalisation, which can darken fine print on tinted cards into their
    # background; kept only until the read stage has confirmed the orientation (see reading.py)
    unlit: Image | None = None


def prepare_page(raw: RawPage, settings: Settings) -> PreparedPage:
    """Orient, deskew, rectify and normalise one page; born-digital pages only turn grey."""
    del settings  # nothing tunable yet; kept so that the stage signature is stable
    if raw.image is None or raw.image.size == 0:
        blank = np.full((1, 1), 255, np.uint8)
        return PreparedPage(
            file=raw.file,
            number=raw.number,
            image=blank,
            dpi=raw.dpi,
            rotation=0,
            skew=0.0,
            perspective_fixed=False,
            quality=measure_quality(blank, raw.dpi, born_digital=True),
            content_hash=raw.content_hash,
            error="Page sans image : illisible",
        )
    grey = to_grey(raw.image)
    if raw.text_layer is not None and raw.text_layer.words:
        return PreparedPage(
            file=raw.file,
            number=raw.number,
            image=grey,
            dpi=raw.dpi,
            rotation=0,
            skew=0.0,
            perspective_fixed=False,
            quality=measure_quality(grey, raw.dpi, born_digital=True),
            orientation_method="text_layer",
            content_hash=raw.content_hash,
        )
    dpi = raw.dpi
    fixed = False
    quad = find_document_quad(grey)  # the grey page, not the colour one: the search would convert it again
    if quad is not None:
        grey = rectify(grey, quad)
        fixed = True
        dpi = estimate_dpi(grey.shape, 0.0)  # the file's dpi no longer applies to the warped document
    small = resize_for_osd(grey) if min(grey.shape[:2]) >= 16 else None
    orientation = detect_orientation(grey, text_layer_present=False, small=small)
    upright = rotate_clockwise(grey, orientation.rotate)
    skew = estimate_skew(upright)
    if abs(skew) >= MIN_SKEW:
        upright = deskew(upright, skew)
    else:
        skew = 0.0
    # the sharpness measure resizes the page to the very size the orientation cues used: when the page was
    # neither turned nor deskewed (and really resized), that copy is the same array, made once
    reuse = small is not None and small is not grey and upright is grey and OSD_LONG_SIDE == NORMAL_LONG_SIDE
    counts = grey_histogram(upright) if upright.ndim == 2 and upright.dtype == np.uint8 else None
    quality = measure_quality(upright, dpi, sharpness_work=small if reuse else None, counts=counts)
    return PreparedPage(
        file=raw.file,
        number=raw.number,
        image=normalise_lighting(upright, counts),
        dpi=quality.dpi,
        rotation=orientation.rotate,
        skew=skew,
        perspective_fixed=fixed,
        quality=quality,
        orientation_method=orientation.method,
        content_hash=raw.content_hash,
        unlit=upright,
    )

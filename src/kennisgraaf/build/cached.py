"""The built dataset of the settings' inputs: from the warm cache, else built now.

``serve``, ``query``, ``stats``, ``export`` and ``load`` need the built dataset, and most of the time
the cache already holds it. Opening it needs the input files' bytes (the cache key) and a few small
files of the cache folder, so this module does it without :mod:`kennisgraaf.build.pipeline`: a start
with a warm cache never imports rdflib's parsers, pyshacl, owlrl or the chainer. The pipeline is
imported only when there is something to build.
"""

from __future__ import annotations

from kennisgraaf.build.cachekey import cache_folder
from kennisgraaf.build.dataset import BuiltDataset, DamagedCache
from kennisgraaf.config import Settings


def open_warm(settings: Settings) -> BuiltDataset | None:
    """The cached build of the settings' inputs, checked against its checksums; None when there is none
    or it is damaged (then :func:`dataset_for` builds, and the build says why)."""
    target = cache_folder(settings)
    if not BuiltDataset.is_complete(target):
        return None
    try:
        return BuiltDataset.open(target)
    except DamagedCache:
        return None


def dataset_for(settings: Settings) -> BuiltDataset:
    """The built dataset of the settings' inputs: the warm cache, else a build now (raises BuildError)."""
    dataset = open_warm(settings)
    if dataset is not None:
        return dataset
    from kennisgraaf.build.pipeline import load_or_build  # the build stack, only when there is something to build

    return load_or_build(settings)

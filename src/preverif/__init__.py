"""preverif: pre-check a French driving-licence (ANTS) dossier before it is filed.

The public API for integrators lives in :mod:`preverif.api`; import it lazily so that
``import preverif`` stays cheap for the CLI's ``--version``.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]

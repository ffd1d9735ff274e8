"""escsim: an escalation simulation engine for AWS Incident Manager contacts (ssm-contacts).

``Simulator`` runs contacts, escalation plans and engagements in virtual time; ``sim.client()``
answers the ssm-contacts operations with boto3's names and shapes.
"""

from __future__ import annotations

__version__ = "0.2.0"
__all__ = ["Simulator", "__version__"]


def __getattr__(name: str) -> object:
    # Lazy, so that `import engine` (and the command line's start-up) stays cheap.
    if name == "Simulator":
        from engine.simulator import Simulator

        return Simulator
    raise AttributeError(name)

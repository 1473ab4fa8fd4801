"""The threading implementation: :mod:`.client`, :mod:`.server`, :mod:`.router`."""

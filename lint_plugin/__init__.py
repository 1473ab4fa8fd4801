"""WSU: lint and fix code for the websockets upgrade to the new asyncio implementation."""

__version__ = "0.1.0"

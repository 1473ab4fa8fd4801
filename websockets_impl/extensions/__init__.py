from .base import ClientExtensionFactory, Extension, ServerExtensionFactory

__all__ = ["ClientExtensionFactory", "Extension", "ServerExtensionFactory"]

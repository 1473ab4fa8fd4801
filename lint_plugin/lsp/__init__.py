"""The language server behind ``wsu server``: diagnostics, quick fixes and hovers over LSP.

Everything here needs the ``lsp`` extra (pygls, lsprotocol); nothing else imports it.
"""

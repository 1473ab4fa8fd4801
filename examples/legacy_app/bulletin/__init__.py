"""Bulletin: a small notification service over websockets.

Publishers post messages to channels; subscribers connected to a channel receive them
immediately. See README.md for how to run the server and the command-line client.
"""

__version__ = "1.4.2"

"""``python -m websockets_impl``: the interactive client."""

from .cli import main

if __name__ == "__main__":
    main()

"""A corpus of real files from released packages that used the legacy websockets API.

``labels.txt`` (in the repository) says what each file must change; ``fetch.py``
downloads the packages into ``downloads/`` (ignored by git: nothing downloaded is
committed); ``benchmarks/accuracy.py`` measures the linter against the labels.
"""

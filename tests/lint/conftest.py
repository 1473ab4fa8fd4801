# Corpus and fixture files are linter inputs, never collected as tests.
collect_ignore_glob = ["corpus/*", "fixtures/*", "fix_cases/*"]

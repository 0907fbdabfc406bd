"""Stage 2, SPARQL as a language: tokens, admission, canned queries and their .rq files, media types.

Pure functions over query text and results; executing queries is the store's job.
"""

"""Language data: the word lists and phrase tables fogwatch reads text with, one package per language.

Code says how words are used; which words they are lives here, each list once, so that a word is
added in one place and every stage that reads it sees it (see ``lang/en/__init__.py``).
"""

"""EPUB 3 books with media overlays: the text on screen, each sentence highlighted as
its audio plays.

    book.py   ``write_epub``: one book of many articles, written all or
              nothing, with the EPUB Accessibility 1.1 metadata
    files.py  the content documents, SMIL overlays, navigation document and package

The audio is the exporter's (``reader.export.collection.render_articles``): the same
render, MP3 encoder and timeline as ``reader export`` and the DAISY book.
"""

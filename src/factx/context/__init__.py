"""Context: what the words around a figure say about it.

In: resolved drafts and the document text. Out: drafts completed by their neighbours (a unit written
once for two numbers, a qualifier shared by joined figures, growth or fall), and each figure's
sentence, line and column.
"""

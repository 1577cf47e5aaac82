"""Normalizing: matched text → exact values.

In: the text of a matched number (3万4000, 一千多万, 1,234.5, 十二点五) and the lexicons of a RuleSet.
Out: a :class:`~factx.normalize.numbers.ParsedNumber` (a ``Decimal`` and what qualifies it), and JSON
numbers without float noise.
"""

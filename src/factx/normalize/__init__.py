"""Normalizing: a matched figure → exact values.

In: a match of a rule (``figure.py``: value, unit, range, qualifier, validators, compound parts), the
text of a matched number (``numbers.py``: 3万4000, 一千多万, 1,234.5, 十二点五) and the lexicons of a
RuleSet. Out: a :class:`~factx.normalize.figure.Draft` with its exact ``Decimal`` value, a
:class:`~factx.normalize.numbers.ParsedNumber`, JSON numbers without float noise, and the document's
currency for a bare 元 (``currency.py``).
"""

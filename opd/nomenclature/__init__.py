"""Nomenclature versions: the official lists of program and activity codes, by regulation.

``models``: the versions, their codes and the crosswalk from an old code to its successor;
``loading``: the CSV loads behind ``manage.py load_nomenclature`` and ``load_crosswalk``;
``checks``: which codes of a work plan the version of its year does not hold.
"""

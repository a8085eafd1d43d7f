"""Supervision (督导):
see the sub-modules. Importing the package registers its event handlers.
"""

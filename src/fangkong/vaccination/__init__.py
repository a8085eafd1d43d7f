"""Vaccination (疫苗接种):
see the sub-modules. Importing the package registers its event handlers.
"""

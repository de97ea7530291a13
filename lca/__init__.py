"""Lifecycle carbon accounting of AI compute in orbit and on terrestrial grids.

Brightway 2.5 holds the inventories and solves them; pint carries units.
"""
__version__ = "0.1.0"

"""Inventory data: read and validate ``inventories/``, export to and import from Excel."""
from lca.inventory.model import Activity, Database, Exchange, Inventory, Method, Option
from lca.inventory.read import InventoryError, Problem, inventory_root, read_inventory

__all__ = ["Activity", "Database", "Exchange", "Inventory", "InventoryError", "Method", "Option", "Problem",
           "inventory_root", "read_inventory"]

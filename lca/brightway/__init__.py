"""Brightway layer: the tool's project, database writer, climate methods and calculator."""

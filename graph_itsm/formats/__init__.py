"""Importers and exporters of outside formats (Backstage catalogs, FinOps FOCUS billing, CSV spreadsheets): each
turns its format into the portfolio document and writes it through the one import path (``portfolio.importer``)."""

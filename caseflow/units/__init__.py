"""Reporting units: the bodies a report goes to, their staff and the wall around their cases.

The admin pages' blueprint lives in caseflow.units.views (not imported here, so intake can use the operations
without loading any view).
"""

"""The computed report: ``report_compute`` (report.py) and the parts it is made of."""

from .report import MIN_CELL, REPORT_FORMAT, report_compute

__all__ = ["MIN_CELL", "REPORT_FORMAT", "report_compute"]

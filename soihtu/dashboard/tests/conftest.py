from soihtu.dashboard.tests.fixtures import practice

__all__ = ["practice"]

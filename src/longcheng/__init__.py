"""Longcheng (龙城): a city platform for innovation and investment-promotion services."""

"""Cooperation programmes (南北结对, 合作园区): partner regions and what is in them."""

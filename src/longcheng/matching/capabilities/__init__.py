"""Capabilities (成果、专利、平台、设备、专家) of universities, institutes and firms: entered on
pages or imported from XLSX (all-or-nothing), and matched both ways with challenges."""

"""The contract a selected solution becomes: milestones with amounts, accepted one by one.
Milestone payments are recorded as a status only (the grants module's payables service was not
available); see ``service``."""

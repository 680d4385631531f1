"""Payment batches for finance: build, approve twice (different people), export, bank return."""

"""Application services: ``apply`` (start, save, submit), ``decide`` (stages, amounts, 下达),
``queue`` (lists with age in stage and SLA lights)."""

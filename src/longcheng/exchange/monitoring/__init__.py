"""统一过程监测: the alliance dashboard across institutions, risk signals with evidence and a
review queue, and the supervisor's per-trade JSON report with its 统一交易标识码."""

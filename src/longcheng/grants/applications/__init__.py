"""Applications (申报): 一键申报 from the policy result, drafts, submission with a receipt,
versions kept, the stage machine with queues and SLA lights, and the decision (下达)."""

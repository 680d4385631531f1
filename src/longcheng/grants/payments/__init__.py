"""Payables and payment batches (支付批次): two approvals by different people, the bank XLSX with
大写 amounts, the bank's return file matched by reference; a payable is paid at most once."""

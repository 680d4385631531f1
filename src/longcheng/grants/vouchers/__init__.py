"""Innovation vouchers (创新券): issue, service providers, redemption, claim, payment."""

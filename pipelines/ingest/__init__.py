"""Reading offered ledger files: examining, guarding, normalizing, checking and loading them into the raw tables."""

"""Provider accounts: the platform's curated ones (Cat A) and the ones a clinic connects (Cat B)."""

"""The data: raw files validated, loaded and read (statements, intervals, translations, the ledger file)."""

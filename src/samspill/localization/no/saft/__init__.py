"""SAF-T Financial 1.30: the Norwegian standard audit file of the general ledger.

Selection (one or more periods of one fiscal year) -> streaming XML writer -> file, from the
UI, the API and the command line. See README.md in this folder and docs/saft.md."""

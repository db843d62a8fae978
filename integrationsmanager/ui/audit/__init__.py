"""The audit trail in the program: a record's change history and the global change log."""

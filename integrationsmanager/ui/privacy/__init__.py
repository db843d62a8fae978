"""Data protection (DSGVO) in the program: information, erasure and the list of due deletions."""

"""Stories: the same event across outlets, and how each outlet covered it."""

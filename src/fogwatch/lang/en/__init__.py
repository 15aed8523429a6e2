"""English language data: the word tables fogwatch's stages read English text with."""

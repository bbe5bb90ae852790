"""Reading: finding the article files, and turning their bytes into text and sentences."""

"""lessonbot: a bilingual Q&A bot for study groups, answering from lesson knowledge files."""

"""The city: districts, departments, categories, the working calendar and the duty catalogue (派单目录)."""

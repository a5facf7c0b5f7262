"""The course side of the package: language, exercise checks, release and grading tools."""

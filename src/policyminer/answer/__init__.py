"""Answer: quoted, cited answers to questions, or an honest abstention."""

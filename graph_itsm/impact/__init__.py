"""Impact analysis: what fails, degrades and is noticed when services fail (spec/domain.md, "Impact analysis")."""

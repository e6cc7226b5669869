"""Data: indexed datasets (the `.bin`/`.idx` MMIDIDX format), corpus preprocessing, sample indices and loaders."""

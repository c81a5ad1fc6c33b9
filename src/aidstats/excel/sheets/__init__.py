"""One module per sheet (or family of sheets); each builds its sheet into a workbook."""

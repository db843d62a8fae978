"""Small reusable widgets shared by the areas of the window."""

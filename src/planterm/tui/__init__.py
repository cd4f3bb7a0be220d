"""The Textual layer: it calls the core and renders, nothing more."""

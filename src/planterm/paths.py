"""Where planterm finds its bundled data."""
from pathlib import Path


def data_dir() -> Path:
    """The bundled data folder: inside the installed package, or data/ of a source checkout."""
    packaged = Path(__file__).parent / "data"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "data"

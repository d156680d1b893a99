#!/usr/bin/env python3
"""Regenerate iris.csv and digits.csv from the copies bundled with scikit-learn.

    pip install scikit-learn
    python3 Lessons/data/make_data.py

Writes both files next to this script. The output is deterministic: running it
again gives byte-identical files. No network access is needed (scikit-learn
ships both data sets inside its package).
"""
from pathlib import Path

from sklearn.datasets import load_digits, load_iris

HERE = Path(__file__).resolve().parent


def one_decimal(value: float) -> str:
    """Iris measurements are given to a millimetre: '3.0', as in Fisher's table."""
    text = f"{value:.1f}"
    assert float(text) == value, value
    return text


def integer(value: float) -> str:
    """Digit pixels are counts 0-16: '13', never '13.0'."""
    assert float(value).is_integer(), value
    return str(int(value))


def write_csv(path: Path, header: list[str], rows, labels, number) -> None:
    lines = [",".join(header)]
    for row, label in zip(rows, labels):
        lines.append(",".join([number(v) for v in row] + [str(int(label))]))
    path.write_text("\n".join(lines) + "\n", encoding="ascii")
    print(f"wrote {path} ({len(lines) - 1} rows x {len(header)} columns)")


def main() -> None:
    iris = load_iris()
    write_csv(
        HERE / "iris.csv",
        ["sepal_length", "sepal_width", "petal_length", "petal_width", "label"],
        iris.data,
        iris.target,
        one_decimal,
    )

    digits = load_digits()
    pixels = [f"pixel_{r}_{c}" for r in range(8) for c in range(8)]
    write_csv(HERE / "digits.csv", pixels + ["label"], digits.data, digits.target, integer)


if __name__ == "__main__":
    main()

"""Compile the Typst projects `lexsarah render --emit-typst` writes with the Typst compiler itself.

Run from the repository root after the tests: the projects must give the same pages and the
same text as lexsarah's own PDFs (README, "--emit-typst"). Uses typst-py, the Typst 0.15
compiler as a Python package, with the same flags as
`typst compile --ignore-system-fonts --font-path fonts --root DIR DIR/main.typ`.
"""

import os
import subprocess
import sys
import tempfile

import typst


def main() -> int:
    work = tempfile.mkdtemp()
    pdfs, projects = os.path.join(work, "pdf"), os.path.join(work, "typst")
    cases = ["examples/mjolby-borttappade-handlingar.yaml", "examples/lindbacka/arende.yaml"]
    subprocess.run(
        ["./target/debug/lexsarah", "render", *cases, "--out", pdfs, "--emit-typst", projects],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    failures = 0
    for name in sorted(os.listdir(projects)):
        folder = os.path.join(projects, name)
        standards = ["a-2a", "ua-1"] if name.endswith("tjansteskrivelse") else ["a-2b"]
        theirs = os.path.join(work, f"typst-{name}.pdf")
        with open(theirs, "wb") as out:
            out.write(
                typst.compile(
                    os.path.join(folder, "main.typ"),
                    root=folder,
                    font_paths=["fonts"],
                    ignore_system_fonts=True,
                    pdf_standards=standards,
                )
            )
        ours = os.path.join(pdfs, f"{name}.pdf")
        same = text(ours) == text(theirs)
        print(f"{name}: {'same text' if same else 'TEXT DIFFERS'}")
        failures += not same
    return 1 if failures else 0


def text(pdf: str) -> str:
    """The text of a PDF as pdftotext reads it; pages are split by form feeds, so equal text
    also means an equal page count."""
    return subprocess.run(["pdftotext", pdf, "-"], capture_output=True, text=True, check=True).stdout


if __name__ == "__main__":
    sys.exit(main())

"""The decision log: docs/decisions/<area>.md hold the decisions, docs/decisions.md indexes
them by area. The index and the files must agree, and the docs' links must resolve."""
import re
from pathlib import Path

from conftest import PROJECT_ROOT

DOCS = PROJECT_ROOT / "docs"
INDEX = DOCS / "decisions.md"
DECISION = re.compile(r"^## D(\d+)\. (.+)$", re.MULTILINE)
INDEX_LINE = re.compile(r"^- \[D(\d+)\. (.+)\]\((decisions/[\w-]+\.md)#([\w-]+)\)$", re.MULTILINE)
LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchor(heading: str) -> str:
    """GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    return {anchor(heading) for heading in re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)}


def area_decisions() -> dict[int, tuple[str, Path]]:
    decisions: dict[int, tuple[str, Path]] = {}
    for path in sorted((DOCS / "decisions").glob("*.md")):
        numbers = []
        for number, title in DECISION.findall(path.read_text(encoding="utf-8")):
            assert int(number) not in decisions, f"D{number} is in {path.name} and {decisions[int(number)][1].name}"
            decisions[int(number)] = (title, path)
            numbers.append(int(number))
        assert numbers and numbers == sorted(numbers), f"{path.name}: not in numeric order: {numbers}"
    return decisions


def test_the_index_lists_every_decision_once_with_its_title_and_file():
    decisions = area_decisions()
    text = INDEX.read_text(encoding="utf-8")
    assert not DECISION.search(text), "a decision written in the index instead of its area's file"
    listed = INDEX_LINE.findall(text)
    assert len(listed) == len([line for line in text.splitlines() if line.startswith("- ")]), \
        "an index line that is not `- [Dn. title](decisions/<area>.md#<anchor>)`"
    numbers = [int(number) for number, *_ in listed]
    assert sorted(numbers) == sorted(decisions) and len(set(numbers)) == len(numbers)
    for number, title, link, link_anchor in listed:
        expected_title, path = decisions[int(number)]
        assert (title, DOCS / link) == (expected_title, path), f"D{number}"
        assert link_anchor == anchor(f"D{number}. {title}"), f"D{number}"
    assert {1, 52, 122} <= set(decisions)


def test_every_relative_link_of_the_docs_resolves():
    broken = []
    for page in [PROJECT_ROOT / "README.md", *sorted(DOCS.rglob("*.md"))]:
        for target in LINK.findall(page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue
            file_part, _, fragment = target.partition("#")
            path = (page.parent / file_part).resolve() if file_part else page
            if not path.exists() or (fragment and path.suffix == ".md" and fragment not in anchors(path)):
                broken.append(f"{page.relative_to(PROJECT_ROOT)}: {target}")
    assert not broken, broken

"""What a browser would post for a form of a rendered page: tests post pages as people do."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class _FormReader(HTMLParser):
    """The values a browser submits for the form whose action is ``action``."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.values: dict[str, list[str]] = {}
        self.radios: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = a.get("action", "") == self.action
        if not self.inside or "disabled" in a:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind == "radio":
                self.radios.setdefault(name, []).append(a.get("value", ""))
            if kind in ("radio", "checkbox") and "checked" not in a:
                return
            if kind != "submit":
                self.values.setdefault(name, []).append(a.get("value", ""))
        elif tag == "select":
            self._select = name
            self.values.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.values[self._select].append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            text = "".join(self._text).removeprefix("\n")
            self.values.setdefault(self._textarea, []).append(text)
            self._textarea = None


def form_of(response: Any, action: str) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """What the page's form would post, and the radio groups it offers (name: values)."""
    reader = _FormReader(action)
    reader.feed(response.content.decode())
    assert reader.values, f"no form posting to {action} in the page"
    data = {k: (v[0] if len(v) == 1 else v) for k, v in reader.values.items() if v}
    return data, reader.radios

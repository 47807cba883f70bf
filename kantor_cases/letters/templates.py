"""Letter template sources: loading the built-ins, checking a source against its field catalog,
and filling a template with a client's data.

Sources are Jinja2 text run in a sandbox with StrictUndefined; every printed value passes through
`markup.mark_value` (and so `escape_value`). A template is compiled once per distinct source and
kept, because batches print hundreds of letters from the same template.
"""

from __future__ import annotations

import difflib
import re
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from kantor_cases.resources import resource

from .catalog import CATALOGS, TEMPLATE_IDS, TEMPLATE_LANGUAGES, FieldInfo
from .formatting import Language, format_a_number, format_date, format_money, format_time
from .markup import Block, mark_value, parse_blocks


class ChoiceValue(str):
    """A choice field as a template sees it: prints as the label in the letter's language, and
    `.code` is the stored code, for conditions such as ``engagement.fee_type.code == "flat"``."""

    code: str

    def __new__(cls, label: str, code: str) -> ChoiceValue:
        obj = super().__new__(cls, label)
        obj.code = code
        return obj


class TemplateError(ValueError):
    """A template source or its data cannot make a complete letter; `field` names the culprit."""

    def __init__(self, message: str, field: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.line = line

    def __reduce__(self) -> tuple[type[TemplateError], tuple[str, str | None, int | None]]:
        # Keeps `field` and `line` when the error crosses from a batch worker process.
        return (TemplateError, (self.message, self.field, self.line))


def template_languages(template_id: str) -> tuple[str, ...]:
    """The languages a built-in template exists in ('en', 'es'; the PD request is English only)."""
    _check_id(template_id)
    return TEMPLATE_LANGUAGES[template_id]


def field_catalog(template_id: str) -> list[FieldInfo]:
    """The fields a template may use, in the order the editor should list them."""
    _check_id(template_id)
    return list(CATALOGS[template_id])


def sample_fields(template_id: str, language: str = "en") -> dict[str, object]:
    """Sample values for every field a caller supplies (flat dotted names), for previews.

    With language "es", free-text samples are Spanish, so a Spanish preview reads as one language.
    """
    _check_id(template_id)
    return {
        f.name: f.sample_es if language == "es" and f.sample_es is not None else f.sample
        for f in CATALOGS[template_id]
        if f.source == "fields"
    }


_source_cache: dict[tuple[str, str], str] = {}


def builtin_source(template_id: str, language: str) -> str:
    """The shipped template text, e.g. templates/hearing-reminder.es.j2."""
    _check_id(template_id)
    if language not in TEMPLATE_LANGUAGES[template_id]:
        raise TemplateError(f"Template {template_id!r} has no {language!r} version.")
    key = (template_id, language)
    source = _source_cache.get(key)
    if source is None:
        path = resource("templates", f"{template_id}.{language}.j2")
        source = path.read_text(encoding="utf-8")
        _source_cache[key] = source
    return source


def validate_template(template_id: str, source: str) -> None:
    """Raise TemplateError if `source` has a syntax error or uses a field not in the catalog."""
    _compile(template_id, source)


def render_blocks(
    template_id: str,
    language: Language,
    source: str | None,
    fields: Mapping[str, object],
    frame: Mapping[str, Mapping[str, object]],
) -> tuple[list[Block], dict[str, Any]]:
    """Fill the template and return its body blocks and the formatted data it was filled with.

    `frame` holds what the renderer supplies itself (``firm`` from the letterhead, ``letter``).
    Raises TemplateError naming the field when a field the template uses is missing or blank.
    """
    _check_id(template_id)
    if source is None:
        source = builtin_source(template_id, language)
    compiled = _compile(template_id, source)
    data = prepare_fields(template_id, language, fields, compiled.used)
    data.update(frame)
    try:
        text = compiled.template.render(data)
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"The template uses a value that is not available: {exc.message}") from exc
    except jinja2.TemplateError as exc:
        raise TemplateError(f"The template could not be filled: {exc}") from exc
    return parse_blocks(text), data


@dataclass(frozen=True)
class _Compiled:
    template: jinja2.Template
    used: frozenset[str]


_env = SandboxedEnvironment(
    undefined=jinja2.StrictUndefined,
    finalize=mark_value,
    autoescape=False,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_compiled_cache: dict[tuple[str, str], _Compiled] = {}
_compile_lock = threading.Lock()


_BLOCK_TAG = re.compile(r"\{%.*?%\}")


def _keep_line_ends(source: str) -> str:
    """Protect the line break after a line that has text and ends with a block tag.

    trim_blocks makes a line holding only ``{% if ... %}`` vanish, which is what template
    authors expect; but it also eats the newline after ``text{% endif %}``, silently joining that
    line to the next one (and a following blank line, a paragraph break, disappears). An empty
    expression after the tag keeps the newline; lines are not added, so error line numbers hold.
    """
    lines = source.split("\n")
    for index, line in enumerate(lines):
        stripped = line.rstrip()
        if stripped.endswith("%}") and _BLOCK_TAG.sub("", stripped).strip():
            lines[index] = stripped + '{{ "" }}'
    return "\n".join(lines)


def _compile(template_id: str, source: str) -> _Compiled:
    _check_id(template_id)
    key = (template_id, source)
    compiled = _compiled_cache.get(key)
    if compiled is not None:
        return compiled
    with _compile_lock:
        try:
            tree = _env.parse(_keep_line_ends(source))
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(f"Line {exc.lineno}: {exc.message}", line=exc.lineno) from exc
        used = _check_fields(template_id, tree)
        try:
            template = _env.from_string(tree)
        except jinja2.TemplateSyntaxError as exc:  # e.g. an unknown filter, found when compiling
            raise TemplateError(f"Line {exc.lineno}: {exc.message}", line=exc.lineno) from exc
        compiled = _Compiled(template, used)
        if len(_compiled_cache) > 256:
            # Edited copies come and go in the template editor; a bounded cache keeps it from
            # growing for the life of the desktop session.
            _compiled_cache.clear()
        _compiled_cache[key] = compiled
        return compiled


def _check_id(template_id: str) -> None:
    if template_id not in CATALOGS:
        raise TemplateError(f"Unknown template {template_id!r}; known templates: {', '.join(TEMPLATE_IDS)}.")


def _path_of(node: nodes.Node) -> list[str] | None:
    """['client', 'full_name'] for `client.full_name` or `client['full_name']`, else None."""
    parts: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr):
            parts.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            parts.append(node.arg.value)
            node = node.node
        elif isinstance(node, nodes.Name):
            parts.append(node.name)
            return parts[::-1]
        else:
            return None


def _references(node: nodes.Node) -> Iterator[tuple[list[str], int]]:
    """Every outermost dotted reference rooted at a name, with its line."""
    if isinstance(node, (nodes.Getattr, nodes.Getitem, nodes.Name)):
        path = _path_of(node)
        if path is not None:
            if not (isinstance(node, nodes.Name) and node.ctx != "load"):
                yield path, node.lineno
            # Subscripts such as items[index] still hold references in their argument.
            if isinstance(node, nodes.Getitem):
                yield from _references(node.arg)
            return
    for child in node.iter_child_nodes():
        yield from _references(child)


def _loop_aliases(tree: nodes.Template) -> dict[str, str]:
    """Loop variables bound to list fields: {'doc': 'documents'} for `for doc in documents`."""
    aliases: dict[str, str] = {}
    for loop in tree.find_all(nodes.For):
        path = _path_of(loop.iter)
        if path is not None and isinstance(loop.target, nodes.Name):
            aliases[loop.target.name] = ".".join(path)
    return aliases


def _local_names(tree: nodes.Template) -> set[str]:
    names = {"loop", "range", "lipsum", "dict", "cycler", "joiner", "namespace"}
    for node in tree.find_all(nodes.Name):
        if node.ctx in ("store", "param"):
            names.add(node.name)
    return names


def _check_fields(template_id: str, tree: nodes.Template) -> frozenset[str]:
    catalog = {f.name: f for f in CATALOGS[template_id]}
    aliases = _loop_aliases(tree)
    local = _local_names(tree) - set(aliases)
    used: set[str] = set()
    for path, line in _references(tree):
        root = path[0]
        if root in aliases:
            list_name = aliases[root]
            info = catalog.get(list_name)
            if info is None:
                continue  # the loop's iterable is reported as unknown on its own
            if len(path) > 1 and info.items and path[1] not in {item.name for item in info.items}:
                wanted = f"{list_name}[].{path[1]}"
                raise TemplateError(
                    f"Line {line}: unknown field {wanted!r}; items of {list_name!r} have "
                    + ", ".join(item.name for item in info.items) + ".",
                    field=wanted, line=line,
                )
            continue
        if root in local:
            continue
        name = _longest_field(path, catalog)
        if name is None:
            wanted = ".".join(path)
            members = [n for n in catalog if n.startswith(wanted + ".")]
            if members:
                raise TemplateError(
                    f"Line {line}: {wanted!r} is a group of fields, not a field; use one of "
                    + ", ".join(members) + ".", field=wanted, line=line,
                )
            hint = difflib.get_close_matches(wanted, list(catalog), n=1)
            suffix = f" Did you mean {hint[0]!r}?" if hint else ""
            raise TemplateError(f"Line {line}: unknown field {wanted!r}.{suffix}", field=wanted, line=line)
        used.add(name)
    return frozenset(used)


def _longest_field(path: list[str], catalog: Mapping[str, FieldInfo]) -> str | None:
    for end in range(len(path), 0, -1):
        name = ".".join(path[:end])
        if name in catalog:
            return name
    return None


def _lookup(fields: Mapping[str, object], name: str) -> tuple[bool, object]:
    if name in fields:
        return True, fields[name]
    node: object = fields
    for part in name.split("."):
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        else:
            return False, None
    return True, node


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _format(info: FieldInfo, value: object, language: Language, where: str) -> object:
    if value is None:
        return None
    kind = info.kind
    if kind == "date":
        return format_date(value, language)
    if kind == "time":
        return format_time(value, language)
    if kind == "a_number":
        return format_a_number(value)
    if kind == "money":
        return format_money(value)
    if kind == "bool":
        return bool(value)
    if kind == "choice":
        text = str(getattr(value, "value", value))  # accepts a str-valued Enum as well as its code
        for choice in info.choices:
            if choice.code == text:
                return ChoiceValue(choice.es if language == "es" else choice.en, text)
        return ChoiceValue(text, text)
    if kind == "list":
        if isinstance(value, (str, bytes)) or not hasattr(value, "__iter__"):
            raise TemplateError(f"Field {where!r} must be a list.", field=where)
        items: list[object] = []
        for index, item in enumerate(value):
            if not info.items:
                items.append(item)
                continue
            record: dict[str, object] = {}
            for sub in info.items:
                present, sub_value = _lookup(item, sub.name) if isinstance(item, Mapping) else (False, None)
                sub_where = f"{where}[{index}].{sub.name}"
                if sub.required and (not present or _blank(sub_value)):
                    raise TemplateError(f"Field {sub_where!r} is missing.", field=sub_where)
                record[sub.name] = _format(sub, sub_value, language, sub_where)
            items.append(record)
        return items
    return value


def prepare_fields(
    template_id: str, language: Language, fields: Mapping[str, object], used: frozenset[str]
) -> dict[str, Any]:
    """Nested, formatted data for Jinja: every catalog field is present (None when optional and
    absent); a required field the template or the letter frame uses must be given and non-blank."""
    data: dict[str, Any] = {}
    for info in CATALOGS[template_id]:
        if info.source != "fields":
            continue
        present, value = _lookup(fields, info.name)
        needed = info.name in used or info.name in ("recipient.name", "recipient.address")
        required = info.required
        if info.required_if is not None:
            _, condition = _lookup(fields, info.required_if[0])
            required = str(getattr(condition, "value", condition)) in info.required_if[1]
        if required and needed and (not present or _blank(value)):
            state = "missing" if not present else "empty"
            raise TemplateError(f"Field {info.name!r} is {state}; the letter cannot be printed without it.", field=info.name)
        formatted = _format(info, value, language, info.name) if present else None
        group, _, leaf = info.name.rpartition(".")
        target = data
        for part in group.split(".") if group else ():
            target = target.setdefault(part, {})
        target[leaf] = formatted
    return data

"""A zone set's and a relief's own words in the interface's language (issue 12, item 12).

The core carries both languages as plain data: a zone set's ``zoneset.json`` may give
``name_en``, ``legal_basis[].document_en`` and ``accuracy.statement_en``; a relief catalogue
entry ``name_en``. Missing English falls back to the Chinese, as written. Qt-free (the map view
and the reports may use it); ``language`` is 'zh_CN' or 'en'."""

from __future__ import annotations


def _english(language: str) -> bool:
    return not str(language).startswith("zh")


def _meta(zs) -> dict:
    return getattr(zs, "metadata", None) or {}


def zoneset_name(zs, language: str) -> str:
    if zs is None:
        return ""
    return (_meta(zs).get("name_en") or zs.name) if _english(language) else zs.name


def basis_document(zs, language: str, year: int | None = None) -> str:
    """The legal basis' document number ('温政办〔2024〕10号' / 'Wenzhengban [2024] No. 10')."""
    if zs is None:
        return ""
    document = zs.basis_text(year) if year else zs.basis_text()
    if not document or not _english(language):
        return document
    for entry in _meta(zs).get("legal_basis") or ():
        if entry.get("document") == document and entry.get("document_en"):
            return entry["document_en"]
    return document


def accuracy_statement(zs, language: str) -> str:
    if zs is None:
        return ""
    stmt = zs.accuracy_statement
    if _english(language):
        stmt = (_meta(zs).get("accuracy") or {}).get("statement_en") or stmt
    return stmt


def relief_name(catalogue, code: str, name: str, language: str) -> str:
    """A relief's name from the catalogue in ``language``; ``name`` (as the result keeps it) otherwise."""
    if not _english(language) or catalogue is None:
        return name
    policy = catalogue.policies.get(str(code).strip())
    return (getattr(policy, "name_en", "") or name) if policy is not None else name

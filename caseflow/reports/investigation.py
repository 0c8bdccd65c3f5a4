"""The investigation report: cover, summary, allegations and findings, evidence, interviews, timeline, sign-off."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer

from caseflow.reports.pdf import DocMeta, build, key_values, para, stamp, styles, table


def _split(digest: str) -> str:
    """Return a SHA-256 on two lines of 32 characters, so it fits its column."""
    return f"{digest[:32]}\n{digest[32:]}" if len(digest) == 64 else digest


def _cover(c: dict[str, Any], meta: DocMeta, unit: str, variant_label: str) -> list[Any]:
    st = styles()
    return [
        Spacer(1, 25 * mm),
        para(unit, st["center"]),
        para(_("Investigation report"), st["title"]),
        para(c["number"], st["title"]),
        para(c["title"], st["center"]),
        Spacer(1, 8 * mm),
        stamp(meta.classification),
        Spacer(1, 3 * mm),
        para(variant_label, st["center"]),
        Spacer(1, 12 * mm),
        key_values([(_("Case number"), c["number"]), (_("Title"), c["title"]), (_("Category"), c["category"]),
                    (_("Office concerned"), c["office"]), (_("State"), c["state"]),
                    (_("Lead investigator"), c["lead"]), (_("Date of issue"), meta.issued),
                    (_("Report id"), meta.report_id), (_("Audit chain head at issue"), meta.chain_head)]),
        Spacer(1, 8 * mm),
        para(_("This document is confidential. It may be shown only to those who need it for the proceedings it "
               "was issued for. Its authenticity can be checked with CaseFlow (verify-report)."), st["small"]),
        PageBreak(),
    ]


def _text(value: str, st: dict[str, Any]) -> list[Any]:
    """Return a narrative section's paragraphs, or a line saying it was not written."""
    paragraphs = [p.strip() for p in (value or "").split("\n\n") if p.strip()]
    return [para(p, st["body"]) for p in paragraphs] or [para(_("Not written in this version."), st["small"])]


def _section(title: str, c: dict[str, Any], key: str) -> list[Any]:
    st = styles()
    return [para(title, st["h1"]), *_text(c["narrative"]["sections"].get(key, ""), st)]


def _summary(c: dict[str, Any]) -> list[Any]:
    st = styles()
    out: list[Any] = [para(_("1. Case summary"), st["h1"]),
                      key_values([(_("Channel"), c["channel"]), (_("Priority"), c["priority"]),
                                  (_("Anonymous report"), c["anonymous"]), (_("Reporter's identity"), c["identity"]),
                                  (_("When it happened"), c["incident"]), (_("Where"), c["location"]),
                                  (_("Team"), ", ".join(c["team"]) or "—"), *c["dates"]]),
                      Spacer(1, 3 * mm), para(c["summary"] or _("No summary recorded."), st["body"])]
    if c["parties"]:
        out += [para(_("Persons concerned"), st["h2"]),
                table([[_("Role"), _("Name"), _("Position")]] +
                      [[p["role"], p["name"], p["position"] or "—"] for p in c["parties"]],
                      [30 * mm, 70 * mm, 70 * mm])]
    if c.get("answers"):
        out += [para(c["answers_title"], st["h2"]),
                table([[_("Question"), _("Answer")]] + [list(row) for row in c["answers"]], [70 * mm, 100 * mm])]
    return out


def _allegations(c: dict[str, Any]) -> list[Any]:
    st = styles()
    out: list[Any] = _section(_("3. Allegations"), c, "allegations")
    if not c["allegations"]:
        out.append(para(_("No allegation recorded."), st["body"]))
    for a in c["allegations"]:
        out.append(KeepTogether([
            para(_("Allegation %(n)s — %(subject)s", n=str(a["n"]), subject=a["subject"]), st["h2"]),
            key_values([(_("Conduct alleged"), a["conduct"]), (_("Category"), a["category"])]),
        ]))
    return out


def _evidence(c: dict[str, Any]) -> list[Any]:
    st = styles()
    out: list[Any] = [CondPageBreak(40 * mm), *_section(_("4. Evidence relied on"), c, "evidence"),
                      para(_("Evidence register"), st["h2"])]
    if not c["evidence"]:
        return [*out, para(_("No evidence item registered."), st["body"])]
    out.append(table([[_("Item"), _("Description"), _("Source / location"), _("File and SHA-256")]] +
                     [[e["number"], e["description"], f"{e['source']} / {e['location']}",
                       f"{e['file']}\n{_split(e['sha256'])}"] for e in c["evidence"]],
                     [38 * mm, 36 * mm, 34 * mm, 62 * mm]))
    for e in c["evidence"]:
        if e["custody"]:
            out += [para(_("Custody of %(item)s", item=e["number"]), st["h2"]),
                    table([[_("When"), _("From"), _("To"), _("Reason")]] +
                          [[x["at"], x["from"], x["to"], x["reason"]] for x in e["custody"]],
                          [30 * mm, 40 * mm, 40 * mm, 60 * mm])]
    return out


def _interviews(c: dict[str, Any]) -> list[Any]:
    st = styles()
    out: list[Any] = [para(_("5. Interviews"), st["h1"])]
    if not c["interviews"]:
        return [*out, para(_("No interview recorded."), st["body"])]
    for i in c["interviews"]:
        out.append(KeepTogether([
            para(f"{i['who']} ({i['role']}) — {i['at']}", st["h2"]),
            key_values([(_("Place"), i["where"]), (_("Interviewer"), i["by"]), (_("Summary"), i["summary"] or "—"),
                        (_("Signed statement"), i["statement"] or "—")]),
        ]))
    return out


def _analysis(c: dict[str, Any]) -> list[Any]:
    st = styles()
    out: list[Any] = [CondPageBreak(40 * mm), para(_("6. Analysis per allegation"), st["h1"])]
    if not c["allegations"]:
        return [*out, para(_("No allegation recorded."), st["body"])]
    for a in c["allegations"]:
        out += [para(_("Allegation %(n)s — %(subject)s", n=str(a["n"]), subject=a["subject"]), st["h2"]),
                *_text(c["narrative"]["analysis"].get(a["id"], ""), st),
                key_values([(_("Finding"), a["finding"]), (_("Date of finding"), a["found_at"]),
                            (_("Reasoning"), a["reasoning"] or "—")])]
    return out


def _timeline(c: dict[str, Any]) -> list[Any]:
    st = styles()
    out: list[Any] = [PageBreak(), para(_("Appendix: timeline of the case"), st["h1"]),
                      para(_("Every recorded action on the case, from the tamper-evident audit log. Reads are "
                             "summarised."), st["small"])]
    out += [para(line, st["body"]) for line in c["reads"]]
    rows = [[_("When (UTC)"), _("By"), _("Event"), _("Detail")]]
    rows += [[e["at"], e["who"], e["what"], e["detail"]] for e in c["timeline"]]
    return [*out, table(rows, [28 * mm, 30 * mm, 42 * mm, 70 * mm])]


def _recommendations(c: dict[str, Any]) -> list[Any]:
    st = styles()
    out: list[Any] = [CondPageBreak(50 * mm), *_section(_("9. Recommendations and sanctions"), c, "recommendations")]
    if c["allegations"]:
        out.append(table([[_("Allegation"), _("Finding"), _("Recommended"), _("Decided"), _("Date"),
                           _("Reference")]] +
                         [[f"{a['n']}. {a['subject']}", a["finding"], a["recommended"], a["decided"],
                           a["sanction_date"], a["reference"]] for a in c["allegations"]],
                         [38 * mm, 24 * mm, 28 * mm, 28 * mm, 22 * mm, 30 * mm]))
    if c["referrals"]:
        out += [para(_("Referrals"), st["h2"]),
                table([[_("Referred to"), _("On"), _("Reference"), _("Response")]] +
                      [[r["body"], r["on"], r["reference"], r["response"] or "—"] for r in c["referrals"]],
                      [55 * mm, 22 * mm, 33 * mm, 60 * mm])]
    out += [para(_("Outcome"), st["h2"]), para(c["outcome"] or _("Not yet recorded."), st["body"])]
    return out


def _sign_off(c: dict[str, Any]) -> list[Any]:
    st = styles()
    line = "_" * 38
    n = c["narrative"]
    approved = (f"{n['approved_by']}\n{_('Approved')}: {n['approved_at']}" if n["approved_by"]
                else f"—\n\n{_('Signature')}: {line}\n{_('Date')}: {line}")
    block = table([[_("Prepared by (lead investigator)"), _("Approved by (supervisor)")],
                   [f"{n['author'] or c['lead']}\n\n{_('Signature')}: {line}\n{_('Date')}: {line}", approved]],
                  [85 * mm, 85 * mm], zebra=False)
    return [CondPageBreak(60 * mm), para(_("10. Sign-off"), st["h1"]), block]


def version_label(c: dict[str, Any]) -> str:
    """Return the line saying which version of the written report this is, and whether it is approved."""
    n = c["narrative"]
    if n["version"] is None:
        return _("No written report yet: the record of the case only.")
    if n["status"] == "approved":
        return _("Report version %(v)s, approved by %(name)s on %(at)s", v=str(n["version"]), name=n["approved_by"],
                 at=n["approved_at"])
    return _("DRAFT — report version %(v)s, not approved", v=str(n["version"]))


def render_investigation(content: dict[str, Any], meta: DocMeta, unit: str, variant_label: str) -> bytes:
    """Return the investigation report PDF for (possibly redacted) content."""
    c = content
    story = [*_cover(c, meta, unit, f"{variant_label}\n{version_label(c)}"), *_summary(c),
             *_section(_("2. Background"), c, "background"), *_allegations(c), *_evidence(c), *_interviews(c),
             *_analysis(c), *_section(_("7. Findings"), c, "findings"),
             *_section(_("8. Conclusions"), c, "conclusions"), *_recommendations(c), *_sign_off(c), *_timeline(c)]
    return build(story, meta)

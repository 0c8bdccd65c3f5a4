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


def _summary(c: dict[str, Any]) -> list[Any]:
    st = styles()
    out: list[Any] = [para(_("1. Case summary"), st["h1"]),
                      key_values([(_("Channel"), c["channel"]), (_("Priority"), c["priority"]),
                                  (_("Anonymous report"), _("yes") if c["anonymous"] else _("no")),
                                  (_("Incident"), c["incident"]), (_("Location"), c["location"]),
                                  (_("Team"), ", ".join(c["team"]) or "—"), *c["dates"]]),
                      Spacer(1, 3 * mm), para(c["summary"] or _("No summary recorded."), st["body"])]
    if c["parties"]:
        out += [para(_("Persons concerned"), st["h2"]),
                table([[_("Role"), _("Name"), _("Position")]] +
                      [[p["role"], p["name"], p["position"] or "—"] for p in c["parties"]],
                      [30 * mm, 70 * mm, 70 * mm])]
    return out


def _allegations(c: dict[str, Any]) -> list[Any]:
    st = styles()
    out: list[Any] = [para(_("2. Allegations and findings"), st["h1"])]
    if not c["allegations"]:
        out.append(para(_("No allegation recorded."), st["body"]))
    for a in c["allegations"]:
        out.append(KeepTogether([
            para(_("Allegation %(n)s — %(subject)s", n=str(a["n"]), subject=a["subject"]), st["h2"]),
            key_values([(_("Conduct alleged"), a["conduct"]), (_("Category"), a["category"]),
                        (_("Finding"), a["finding"]), (_("Date of finding"), a["found_at"]),
                        (_("Reasoning"), a["reasoning"] or "—")]),
        ]))
    return out


def _evidence(c: dict[str, Any]) -> list[Any]:
    st = styles()
    out: list[Any] = [CondPageBreak(40 * mm), para(_("3. Evidence and chain of custody"), st["h1"])]
    if not c["evidence"]:
        return [*out, para(_("No evidence item registered."), st["body"])]
    out.append(table([[_("Item"), _("Description"), _("Source / location"), _("File and SHA-256")]] +
                     [[e["number"], e["description"], f"{e['source']} / {e['location']}",
                       f"{e['file']}\n{_split(e['sha256'])}"] for e in c["evidence"]],
                     [28 * mm, 42 * mm, 38 * mm, 62 * mm]))
    for e in c["evidence"]:
        if e["custody"]:
            out += [para(_("Custody of %(item)s", item=e["number"]), st["h2"]),
                    table([[_("When"), _("From"), _("To"), _("Reason")]] +
                          [[x["at"], x["from"], x["to"], x["reason"]] for x in e["custody"]],
                          [30 * mm, 40 * mm, 40 * mm, 60 * mm])]
    return out


def _interviews(c: dict[str, Any]) -> list[Any]:
    st = styles()
    out: list[Any] = [para(_("4. Interviews"), st["h1"])]
    if not c["interviews"]:
        return [*out, para(_("No interview recorded."), st["body"])]
    for i in c["interviews"]:
        out.append(KeepTogether([
            para(f"{i['who']} ({i['role']}) — {i['at']}", st["h2"]),
            key_values([(_("Place"), i["where"]), (_("Interviewer"), i["by"]), (_("Summary"), i["summary"] or "—"),
                        (_("Signed statement"), i["statement"] or "—")]),
        ]))
    return out


def _timeline(c: dict[str, Any]) -> list[Any]:
    st = styles()
    out: list[Any] = [CondPageBreak(40 * mm), para(_("5. Timeline"), st["h1"])]
    rows = [[_("When (UTC)"), _("By"), _("Event"), _("Detail")]]
    rows += [[e["at"], e["who"], e["what"], e["detail"]] for e in c["timeline"]]
    return [*out, table(rows, [28 * mm, 25 * mm, 45 * mm, 72 * mm])]


def _recommendations(c: dict[str, Any]) -> list[Any]:
    st = styles()
    out: list[Any] = [CondPageBreak(50 * mm), para(_("6. Recommendations and sanctions"), st["h1"])]
    if c["allegations"]:
        out.append(table([[_("Allegation"), _("Finding"), _("Recommended"), _("Decided"), _("Date")]] +
                         [[f"{a['n']}. {a['subject']}", a["finding"], a["recommended"], a["decided"],
                           a["sanction_date"]] for a in c["allegations"]],
                         [45 * mm, 30 * mm, 35 * mm, 35 * mm, 25 * mm]))
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
    block = table([[_("Prepared by (lead investigator)"), _("Approved by (supervisor)")],
                   [f"{c['lead']}\n\n{_('Signature')}: {line}\n{_('Date')}: {line}",
                    f"{c['approved_by']}\n\n{_('Signature')}: {line}\n{_('Date')}: {c['approved_at']}"]],
                  [85 * mm, 85 * mm], zebra=False)
    return [CondPageBreak(60 * mm), para(_("7. Sign-off"), st["h1"]), block]


def render_investigation(content: dict[str, Any], meta: DocMeta, unit: str, variant_label: str) -> bytes:
    """Return the investigation report PDF for (possibly redacted) content."""
    story = [*_cover(content, meta, unit, variant_label), *_summary(content), *_allegations(content),
             *_evidence(content), *_interviews(content), *_timeline(content), *_recommendations(content),
             *_sign_off(content)]
    return build(story, meta)

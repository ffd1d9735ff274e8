"""Engagements and pages: start, stop, describe, list, receipts, resolutions and acknowledgement."""

from __future__ import annotations

from typing import Any

from engine.arns import make_arn
from engine.errors import field_error
from engine.service.context import Context
from engine.service.handlers import handles
from engine.service.render import (
    engagement_detail,
    engagement_summary,
    page_detail,
    page_summary,
    receipt,
)
from engine.sim.state import EngagementState


@handles("StartEngagement")
def start_engagement(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """StartEngagement: the engagement starts now; stage 0 has run when this returns (E1, T1b)."""

    def create() -> dict[str, Any]:
        contact = ctx.contact(req["ContactId"])
        n = ctx.ns.next_count("engagement")
        uuid = ctx.engine.rng.uuid("engagement", ctx.ns.account, ctx.ns.region, str(n))
        arn = make_arn(ctx.ns.region, ctx.ns.account, "engagement", contact.alias, uuid)
        engagement = EngagementState(
            arn=arn,
            contact_arn=contact.arn,
            sender=req["Sender"],
            subject=req["Subject"],
            content=req["Content"],
            public_subject=req.get("PublicSubject"),
            public_content=req.get("PublicContent"),
            incident_id=req.get("IncidentId"),
            start=ctx.engine.env.now,
        )
        ctx.engine.start_engagement(ctx.ns, engagement)
        return {"EngagementArn": arn}

    return ctx.idempotent(req, create)


@handles("StopEngagement")
def stop_engagement(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """StopEngagement (E11); stopping a stopped engagement changes nothing."""
    engagement = ctx.engagement(req["EngagementId"])
    ctx.engine.stop_engagement(ctx.ns, engagement, req.get("Reason"))
    return {}


@handles("DescribeEngagement")
def describe_engagement(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """DescribeEngagement."""
    return engagement_detail(ctx, ctx.engagement(req["EngagementId"]))


@handles("ListEngagements")
def list_engagements(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """ListEngagements newest first (L1), filtered by IncidentId and StartTime in a range."""
    incident = req.get("IncidentId")
    window = req.get("TimeRangeValue") or {}
    low = ctx.virtual(window["StartTime"]) if "StartTime" in window else None
    high = ctx.virtual(window["EndTime"]) if "EndTime" in window else None
    engagements = [
        e
        for e in ctx.ns.engagements.values()
        if (incident is None or e.incident_id == incident)
        and (low is None or e.start >= low - 1e-6)
        and (high is None or e.start <= high + 1e-6)
    ]
    return ctx.paginate(
        req, engagements, "Engagements", lambda e: engagement_summary(ctx, e), newest_first=True
    )


@handles("DescribePage")
def describe_page(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """DescribePage."""
    return page_detail(ctx, ctx.page(req["PageId"]))


@handles("ListPagesByContact")
def list_pages_by_contact(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """ListPagesByContact: the pages of a personal contact, newest first (L1)."""
    contact = ctx.contact(req["ContactId"])
    pages = [p for p in ctx.ns.pages.values() if p.contact_arn == contact.arn]
    return ctx.paginate(req, pages, "Pages", lambda p: page_summary(ctx, p), newest_first=True)


@handles("ListPagesByEngagement")
def list_pages_by_engagement(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """ListPagesByEngagement, newest first (L1)."""
    engagement = ctx.engagement(req["EngagementId"])
    return ctx.paginate(
        req, engagement.pages, "Pages", lambda p: page_summary(ctx, p), newest_first=True
    )


@handles("ListPageReceipts")
def list_page_receipts(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """ListPageReceipts, in the order they happened."""
    page = ctx.page(req["PageId"])
    return ctx.paginate(req, page.receipts, "Receipts", lambda r: receipt(ctx, r))


@handles("ListPageResolutions")
def list_page_resolutions(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """ListPageResolutions: engaged contact down to the paged one, top first (E14)."""
    page = ctx.page(req["PageId"])

    def render(entry: tuple[str, str, int | None]) -> dict[str, Any]:
        arn, kind, stage = entry
        out: dict[str, Any] = {"ContactArn": arn, "Type": kind}
        if stage is not None:
            out["StageIndex"] = stage
        return out

    return ctx.paginate(req, page.resolution, "PageResolutions", render)


@handles("AcceptPage")
def accept_page(ctx: Context, req: dict[str, Any]) -> dict[str, Any]:
    """AcceptPage: READ acknowledges (E9, E10); DELIVERED only records delivery."""
    page = ctx.page(req["PageId"])
    code = req["AcceptCode"]
    if req.get("AcceptCodeValidation", "IGNORE") == "ENFORCE" and code != page.code:
        raise field_error(
            "AcceptCode",
            f"Value '{code}' at 'AcceptCode' is not the accept code sent with page {page.arn}",
        )
    channel_arn = None
    if "ContactChannelId" in req:
        channel = ctx.channel(req["ContactChannelId"])
        if channel.contact_arn != page.contact_arn:
            raise field_error(
                "ContactChannelId",
                f"Value '{req['ContactChannelId']}' at 'ContactChannelId' is a channel of "
                f"{channel.contact_arn}, not of the paged contact {page.contact_arn}",
            )
        channel_arn = channel.arn
    ctx.engine.accept(ctx.ns, page, req["AcceptType"], channel_arn, code)
    return {}

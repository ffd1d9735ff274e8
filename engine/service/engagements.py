"""Engagements and pages: start, stop, describe, list, receipts, resolutions and acknowledgement."""

from __future__ import annotations

from engine.arns import make_arn
from engine.errors import field_error
from engine.model import requests as rq
from engine.service.context import Context
from engine.service.handlers import Answer, handles
from engine.service.translate import (
    engagement_detail,
    engagement_summary,
    page_detail,
    page_summary,
    receipt,
    resolution_step,
)
from engine.sim.state import EngagementState, PageState


@handles("StartEngagement")
def start_engagement(ctx: Context, req: rq.StartEngagementRequest) -> Answer:
    """StartEngagement: the engagement starts now; stage 0 has run when this returns (E1, T1b)."""

    def create() -> Answer:
        contact = ctx.contact(req.contact_id)
        n = ctx.ns.next_count("engagement")
        uuid = ctx.engine.rng.uuid("engagement", ctx.ns.account, ctx.ns.region, str(n))
        arn = make_arn(ctx.ns.region, ctx.ns.account, "engagement", contact.alias, uuid)
        engagement = EngagementState(
            arn=arn,
            contact_arn=contact.arn,
            sender=req.sender,
            subject=req.subject,
            content=req.content,
            public_subject=req.public_subject,
            public_content=req.public_content,
            incident_id=req.incident_id,
            start=ctx.engine.env.now,
        )
        ctx.engine.start_engagement(ctx.ns, engagement)
        return {"EngagementArn": arn}

    return ctx.idempotent(req, req.idempotency_token, create)


@handles("StopEngagement")
def stop_engagement(ctx: Context, req: rq.StopEngagementRequest) -> Answer:
    """StopEngagement (E11); stopping a stopped engagement changes nothing."""
    engagement = ctx.engagement(req.engagement_id)
    ctx.engine.stop_engagement(engagement, req.reason)
    return {}


@handles("DescribeEngagement")
def describe_engagement(ctx: Context, req: rq.DescribeEngagementRequest) -> Answer:
    """DescribeEngagement."""
    return engagement_detail(ctx.datetime, ctx.engagement(req.engagement_id))


@handles("ListEngagements")
def list_engagements(ctx: Context, req: rq.ListEngagementsRequest) -> Answer:
    """ListEngagements newest first (L1), filtered by IncidentId and StartTime in a range."""
    incident = req.incident_id
    window = req.time_range_value
    low = high = None
    if window is not None:
        low = None if window.start_time is None else ctx.virtual(window.start_time)
        high = None if window.end_time is None else ctx.virtual(window.end_time)
    engagements = [
        e
        for e in ctx.ns.engagements.values()
        if (incident is None or e.incident_id == incident)
        and (low is None or e.start >= low - 1e-6)
        and (high is None or e.start <= high + 1e-6)
    ]
    return ctx.paginate(
        (req.next_token, req.max_results),
        engagements,
        "Engagements",
        lambda e: engagement_summary(ctx.datetime, e),
        newest_first=True,
    )


@handles("DescribePage")
def describe_page(ctx: Context, req: rq.DescribePageRequest) -> Answer:
    """DescribePage."""
    return page_detail(ctx.datetime, ctx.page(req.page_id))


@handles("ListPagesByContact")
def list_pages_by_contact(ctx: Context, req: rq.ListPagesByContactRequest) -> Answer:
    """ListPagesByContact: the pages of a personal contact, newest first (L1)."""
    contact = ctx.contact(req.contact_id)
    pages = [p for p in ctx.ns.pages.values() if p.contact_arn == contact.arn]
    return _pages(ctx, (req.next_token, req.max_results), pages)


@handles("ListPagesByEngagement")
def list_pages_by_engagement(ctx: Context, req: rq.ListPagesByEngagementRequest) -> Answer:
    """ListPagesByEngagement, newest first (L1)."""
    engagement = ctx.engagement(req.engagement_id)
    return _pages(ctx, (req.next_token, req.max_results), engagement.pages)


def _pages(ctx: Context, page: tuple[str | None, int | None], pages: list[PageState]) -> Answer:
    return ctx.paginate(
        page, pages, "Pages", lambda p: page_summary(ctx.datetime, p), newest_first=True
    )


@handles("ListPageReceipts")
def list_page_receipts(ctx: Context, req: rq.ListPageReceiptsRequest) -> Answer:
    """ListPageReceipts, in the order they happened."""
    page = ctx.page(req.page_id)
    return ctx.paginate(
        (req.next_token, req.max_results),
        page.receipts,
        "Receipts",
        lambda r: receipt(ctx.datetime, r),
    )


@handles("ListPageResolutions")
def list_page_resolutions(ctx: Context, req: rq.ListPageResolutionsRequest) -> Answer:
    """ListPageResolutions: engaged contact down to the paged one, top first (E14)."""
    page = ctx.page(req.page_id)
    return ctx.paginate((req.next_token, None), page.resolution, "PageResolutions", resolution_step)


@handles("AcceptPage")
def accept_page(ctx: Context, req: rq.AcceptPageRequest) -> Answer:
    """AcceptPage: READ acknowledges (E9, E10); DELIVERED only records delivery."""
    page = ctx.page(req.page_id)
    code = req.accept_code
    if req.accept_code_validation == "ENFORCE" and code != page.code:
        raise field_error(
            "AcceptCode",
            f"Value '{code}' at 'AcceptCode' is not the accept code sent with page {page.arn}",
        )
    channel_arn = None
    if req.contact_channel_id is not None:
        channel = ctx.channel(req.contact_channel_id)
        if channel.contact_arn != page.contact_arn:
            raise field_error(
                "ContactChannelId",
                f"Value '{req.contact_channel_id}' at 'ContactChannelId' is a channel of "
                f"{channel.contact_arn}, not of the paged contact {page.contact_arn}",
            )
        channel_arn = channel.arn
    ctx.engine.accept(page, req.accept_type, channel_arn, code)
    return {}
